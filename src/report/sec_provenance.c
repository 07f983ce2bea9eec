/* The report's provenance section: every imported file with its SHA-256, the head of the audit
 * chain as rk_store_verify recomputes it, reckon's version, the report's own settings and the
 * configuration and seed of every link run and estimate: enough to reproduce every number. */
#include "report_private.h"

/* Settings JSON longer than this is cut in the HTML (the JSON report has it whole). */
#define MAX_CONFIG_SHOWN 2000

static void config_cell(report_report *r, const char *json)
{
    if (!json) {
        report_html(r, "<td></td>");
        return;
    }
    size_t n = strlen(json), shown = rk_core__utf8_cut(json, n, MAX_CONFIG_SHOWN);
    report_html(r, "<td><code>%.*s", (int)shown, json);
    if (shown < n)
        report_html(r, "</code><span class=\"cut\"> [cut: %zu of %zu bytes shown]</span></td>",
                    shown, n);
    else
        report_html(r, "</code></td>");
}

static void imports(report_report *r)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r,
                        "SELECT i.id, l.name, i.file_name, i.file_sha256, i.bytes, i.rows,"
                        " i.time, i.reckon_version, i.superseded_by FROM import i JOIN list l"
                        " ON l.id = i.list_id ORDER BY i.id",
                        "cannot read imports"))
        return;
    report_html(r,
                "<h3>Imported files</h3><table><tr><th>#</th><th>list</th><th>file</th><th>SHA-256"
                "</th><th class=\"n\">bytes</th><th class=\"n\">rows</th><th>time</th><th>reckon"
                "</th></tr>\n");
    report_json_key(j, "imports");
    report_json_arr(j);
    while (sqlite3_step(s) == SQLITE_ROW) {
        char bytes[64], rows[64], cut[40];
        const char *time = report_date(r, cut, sizeof(cut), rk_store__text(s, 6));
        report_fmt_num(bytes, sizeof(bytes), sqlite3_column_double(s, 4));
        report_fmt_num(rows, sizeof(rows), sqlite3_column_double(s, 5));
        report_html(r, "<tr><td>%lld</td><td>", (long long)sqlite3_column_int64(s, 0));
        report_value(r, rk_store__text(s, 1));
        report_html(r, "</td><td>");
        report_value(r, rk_store__text(s, 2));
        if (sqlite3_column_type(s, 8) != SQLITE_NULL)
            report_html(r, " <span class=\"muted\">(superseded by import %lld)</span>",
                        (long long)sqlite3_column_int64(s, 8));
        report_html(r,
                    "</td><td class=\"hash\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td>%s</td><td>%s</td></tr>\n",
                    rk_store__text(s, 3), bytes, rows, time, rk_store__text(s, 7));
        report_json_obj(j);
        report_json_key(j, "id");
        report_json_int(j, sqlite3_column_int64(s, 0));
        report_json_key(j, "list");
        report_json_str(j, rk_store__text(s, 1));
        report_json_key(j, "file");
        report_json_str(j, rk_store__text(s, 2));
        report_json_key(j, "sha256");
        report_json_str(j, rk_store__text(s, 3));
        report_json_key(j, "bytes");
        report_json_int(j, sqlite3_column_int64(s, 4));
        report_json_key(j, "rows");
        report_json_int(j, sqlite3_column_int64(s, 5));
        report_json_key(j, "time");
        report_json_str(j, time);
        report_json_key(j, "reckon_version");
        report_json_str(j, rk_store__text(s, 7));
        report_json_key(j, "superseded_by");
        if (sqlite3_column_type(s, 8) == SQLITE_NULL)
            report_json_null(j);
        else
            report_json_int(j, sqlite3_column_int64(s, 8));
        report_json_obj_end(j);
    }
    sqlite3_finalize(s);
    report_json_arr_end(j);
    report_html(r, "</table>\n");
}

/* Link runs and estimates: id, time, seed and settings. */
static void runs(report_report *r, const char *title, const char *key, const char *sql)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r, sql, "cannot read settings"))
        return;
    report_json_key(j, key);
    report_json_arr(j);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char cut[40];
        const char *time = report_date(r, cut, sizeof(cut), rk_store__text(s, 2));
        if (!n++)
            report_html(r,
                        "<h3>%s</h3><table><tr><th>#</th><th>what</th><th>time</th><th>seed</th>"
                        "<th>settings</th></tr>\n",
                        title);
        report_html(r, "<tr><td>%lld</td><td>", (long long)sqlite3_column_int64(s, 0));
        report_value(r, rk_store__text(s, 1));
        report_html(r, "</td><td>%s</td><td>%s</td>", time, rk_store__text(s, 3));
        config_cell(r, rk_store__text(s, 4));
        report_html(r, "</tr>\n");
        report_json_obj(j);
        report_json_key(j, "id");
        report_json_int(j, sqlite3_column_int64(s, 0));
        report_json_key(j, "what");
        report_json_str(j, rk_store__text(s, 1));
        report_json_key(j, "time");
        report_json_str(j, time);
        report_json_key(j, "seed");
        if (sqlite3_column_type(s, 3) == SQLITE_NULL)
            report_json_null(j);
        else
            report_json_int(j, sqlite3_column_int64(s, 3));
        report_json_key(j, "config");
        report_json_raw(j, rk_store__text(s, 5));
        report_json_obj_end(j);
    }
    sqlite3_finalize(s);
    report_json_arr_end(j);
    if (n)
        report_html(r, "</table>\n");
}

void report_section_provenance(report_report *r)
{
    report_json *j = &r->json;
    report_html(r,
                "<section id=\"provenance\"><h2>Provenance</h2>\n<p>Every number above comes from "
                "the files below, through the steps logged in the project's audit chain. The chain "
                "links each change to the one before by SHA-256; <code>reckon verify</code> "
                "recomputes it.</p>\n");
    report_json_key(j, "provenance");
    report_json_obj(j);
    imports(r);
    rk_verify_report v;
    int rc = rk_store_verify(&v, r->st);
    if (rc != RK_OK) {
        if (r->rc == RK_OK)
            r->rc = rc;
        return;
    }
    report_html(r,
                "<h3>Audit chain</h3><dl><dt>events</dt><dd>%lld</dd><dt>head</dt><dd "
                "class=\"hash\">%s</dd><dt>state</dt><dd>",
                (long long)v.events, v.head);
    if (v.first_bad) {
        report_html(r, "<strong>broken at event %lld:</strong> %s", (long long)v.first_bad,
                    v.reason);
    } else {
        report_html(r, "intact: every event and the data it vouches for check");
    }
    report_html(r, "</dd></dl>\n");
    report_json_key(j, "audit_chain");
    report_json_obj(j);
    report_json_key(j, "events");
    report_json_int(j, v.events);
    report_json_key(j, "head");
    report_json_str(j, v.head);
    report_json_key(j, "intact");
    report_json_bool(j, v.first_bad == 0);
    report_json_key(j, "first_bad_event");
    report_json_int(j, v.first_bad);
    report_json_key(j, "reason");
    report_json_str(j, v.first_bad ? v.reason : NULL);
    report_json_obj_end(j);

    const rk_count_options *o = &r->opts->counts;
    report_html(r,
                "<h3>Software and settings</h3><dl><dt>reckon</dt><dd>%s</dd><dt>SQLite</dt>"
                "<dd>%s</dd><dt>project schema</dt><dd>%d</dd><dt>children</dt><dd>under %d</dd>"
                "<dt>elderly</dt><dd>%d and over</dd><dt>event year</dt><dd>%s</dd><dt>persons "
                "from</dt><dd>",
                RK_VERSION, sqlite3_libversion(), rk_store_schema_version(), o->children_below,
                o->elderly_from, o->event_year ? "given" : "none (ages need a death date)");
    if (r->basis.run_id)
        report_html(r, "link run %lld", (long long)r->basis.run_id);
    else
        report_html(r, "records (no link run)");
    report_html(r, "</dd></dl>\n");
    report_json_key(j, "reckon_version");
    report_json_str(j, RK_VERSION);
    report_json_key(j, "sqlite_version");
    report_json_str(j, sqlite3_libversion());
    report_json_key(j, "schema");
    report_json_int(j, rk_store_schema_version());
    report_json_key(j, "settings");
    report_json_obj(j);
    report_json_key(j, "children_below");
    report_json_int(j, o->children_below);
    report_json_key(j, "elderly_from");
    report_json_int(j, o->elderly_from);
    report_json_key(j, "event_year");
    if (o->event_year)
        report_json_int(j, o->event_year);
    else
        report_json_null(j);
    report_json_key(j, "link_run");
    if (r->basis.run_id)
        report_json_int(j, r->basis.run_id);
    else
        report_json_null(j);
    report_json_obj_end(j);
    runs(r, "Link runs", "link_runs",
         "SELECT id, 'threshold ' || threshold || ', review ' || review_low || '-' || review_high,"
         " time, seed, config, CASE WHEN json_valid(config) THEN json(config) END FROM link_run"
         " ORDER BY id");
    runs(r, "Estimates", "estimates",
         "SELECT id, method || coalesce(' ' || model, '') || coalesce(', ' "
         "|| " RK_ESTIMATE_STRATUM_LABEL_SQL ", ''), time,"
         " seed, config, CASE WHEN json_valid(config) THEN json(config) END FROM estimate ORDER BY"
         " id");
    report_json_obj_end(j);
    report_html(r, "</section>\n");
}
