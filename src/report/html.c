/* `reckon report`: assembles the self-contained HTML report (inline CSS and SVG, no scripts,
 * nothing loaded from elsewhere, printable on A4) and its JSON twin from the sections in
 * sec_*.c, after one pass that tabulates the documented persons and the claims. */
#include "report_private.h"
#include "store/store_internal.h"

#include <ctype.h>

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font:15px/1.45 'DejaVu Sans',Arial,sans-serif;color:#111;background:#fff;margin:0 auto;"
    "max-width:60rem;padding:1.5rem}"
    "h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.3rem;border-bottom:2px solid #222;"
    "padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.05rem;margin-top:1.4rem}"
    "table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem;max-width:100%}"
    "th,td{border:1px solid #999;padding:.25rem "
    ".5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}"
    "th{background:#eee}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th,td.n,td.k{overflow-wrap:normal}td.n,.nw{white-space:nowrap}"
    ".headline{border:2px solid #222;padding:.2rem 1rem;margin:1rem 0}"
    ".lead{font-size:1.3rem;font-weight:bold;margin:.5rem 0}"
    "figure{margin:1rem 0;break-inside:avoid}figure svg{width:100%;height:auto;"
    "font:12px 'DejaVu Sans',Arial,sans-serif}figcaption{font-size:.85rem;color:#333}"
    "svg text{fill:#222}svg .ax{font-weight:bold}svg .sm{font-size:10px}svg .mk{fill:#8a3a00}"
    ".note{background:#f4f4f4;border-left:4px solid #666;padding:.4rem .7rem;margin:.6rem 0}"
    ".cut{color:#555;font-style:italic}.muted{color:#555}code,.hash{font-family:'DejaVu Sans "
    "Mono',monospace;font-size:.8rem;word-break:break-all}"
    "nav ol{columns:2}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
    "dt{font-weight:bold}dd{margin:0}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{max-width:none;padding:0;font-size:10.5pt}h2{break-after:avoid}"
    "section{break-before:page}section#summary{break-before:auto}nav{display:none}"
    "tr,figure{break-inside:avoid}}";

void report_html(report_report *r, const char *fmt, ...)
{
    if (r->rc != RK_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    r->rc = rk_report__vhtml(r->html, fmt, ap);
    va_end(ap);
}

/* Appends trusted markup as is (the compiled-in style sheet), never text from the data. */
static void report_html_raw(report_report *r, const char *markup)
{
    if (r->rc == RK_OK && markup)
        r->rc = rk_buf_puts(r->html, markup);
}

void report_value(report_report *r, const char *s)
{
    if (r->rc == RK_OK && s)
        r->rc = rk_report_html_escape_value(r->html, s, strlen(s));
}

void report_chart_rc(report_report *r, int rc)
{
    if (r->rc == RK_OK)
        r->rc = rc;
}

void report_sqlerr(report_report *r, const char *what)
{
    if (r->rc == RK_OK)
        r->rc = rk_store__sqlerr(r->st, what);
}

bool report_prepare(sqlite3_stmt **out, report_report *r, const char *sql, const char *what)
{
    *out = NULL;
    if (r->rc == RK_OK)
        r->rc = rk_store__prepare(out, r->st, sql, what);
    return r->rc == RK_OK;
}

int64_t report_query_int(report_report *r, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (!report_prepare(&s, r, sql, "cannot read the project"))
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

const char *report_date(const report_report *r, char *out, size_t outsz, const char *in)
{
    if (!in || !r->opts->release || r->opts->dates == RK_REPORT_DATES_EXACT)
        return in;
    /* Keep the year (and month): the leading digits of "YYYY-MM-DD..." */
    size_t keep = r->opts->dates == RK_REPORT_DATES_MONTH ? 7 : 4;
    size_t n = 0;
    while (in[n] && n < keep && (isdigit((unsigned char)in[n]) || (n == 4 && in[n] == '-')))
        n++;
    if (n == keep || n == 4)
        snprintf(out, outsz, "%.*s", (int)(n == keep ? keep : 4), in);
    else
        snprintf(out, outsz, "(date left out)");
    return out;
}

bool report_suppressed(const report_report *r, int64_t n)
{
    return r->opts->release && n > 0 && n < r->opts->min_cell;
}

/* A release's report reads the estimates and claims through temporary views of the same names,
 * which SQLite finds before the project's tables: strata a release leaves out are not there,
 * and the figures of a stratum of fewer than min_cell documented persons are NULL, its status
 * "suppressed". The read transaction's rollback drops them. */
static int release_views(report_report *r)
{
    char sql[2048];
    const char *month = r->opts->dates == RK_REPORT_DATES_YEAR
                            ? " OR json_type(stratum, '$.month') IS NOT NULL"
                            : "";
#define TOO_FINE(month)                                                                            \
    "(stratum IS NOT NULL AND (NOT json_valid(stratum) OR json_type(stratum) != 'object' OR"       \
    " json_type(stratum, '$.place') IS NOT NULL OR EXISTS (SELECT 1 FROM json_each(stratum) k"     \
    " WHERE k.key LIKE 'field:%%')%s))"
    snprintf(sql, sizeof(sql),
             "CREATE TEMP VIEW estimate AS SELECT id, time, run_id, method, model, stratum, "
             "lists, config, seed, CASE WHEN s THEN NULL ELSE observed END AS observed, CASE WHEN "
             "s THEN NULL ELSE estimate END AS estimate, CASE WHEN s THEN NULL ELSE lower END AS "
             "lower, CASE WHEN s THEN NULL ELSE upper END AS upper, CASE WHEN s THEN 'suppressed' "
             "ELSE status END AS status, CASE WHEN s THEN 'fewer than %lld documented persons' "
             "ELSE reason END AS reason, CASE WHEN s THEN '{}' ELSE capture END AS capture, CASE "
             "WHEN s THEN '{}' ELSE result END AS result, batch FROM (SELECT *, observed > 0 AND "
             "observed < %lld AS s FROM main.estimate WHERE NOT " TOO_FINE("%s") ")",
             (long long)r->opts->min_cell, (long long)r->opts->min_cell, month);
    int rc = rk_store__exec(r->st, sql);
    if (rc != RK_OK)
        return rc;
    snprintf(sql, sizeof(sql),
             "CREATE TEMP VIEW claim AS SELECT * FROM main.claim WHERE NOT " TOO_FINE("%s"), month);
#undef TOO_FINE
    return rk_store__exec(r->st, sql);
}

bool report_has_rows(report_report *r, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT EXISTS(SELECT 1 FROM %s)", table);
    return report_query_int(r, sql) != 0;
}

static int write_all(rk_ctx *ctx, FILE *f, const rk_buf *b, const char *what)
{
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
        return rk_error_set(ctx, RK_EIO, "cannot write the %s: %s", what, strerror(errno));
    if (fflush(f) != 0)
        return rk_error_set(ctx, RK_EIO, "cannot write the %s: %s", what, strerror(errno));
    return RK_OK;
}

/* The id and time of the project's latest audit event. */
static int latest_event(report_report *r, int64_t *id, char time[32])
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(&s, r->st, "SELECT id, time FROM event ORDER BY id DESC LIMIT 1",
                               "cannot read the audit chain");
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        snprintf(time, 32, "%s", rk_store__text(s, 1) ? rk_store__text(s, 1) : "");
    }
    rc = step == SQLITE_ROW || step == SQLITE_DONE
             ? RK_OK
             : rk_store__sqlerr(r->st, "cannot read the audit chain");
    sqlite3_finalize(s);
    return rc;
}

int rk_report_write(rk_store *st, const rk_report_options *opts, FILE *html, FILE *json)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, opts != NULL && opts->version == RK_REPORT_OPTIONS_VERSION);
    RK_ASSERT_ARG(ctx, html != NULL);
    rk_buf hb, jb;
    rk_buf_init(&hb);
    rk_buf_init(&jb);
    char *fields[65] = {0};
    size_t nfields = 0;
    report_report r;
    memset(&r, 0, sizeof(r));
    r.st = st;
    r.db = rk_store__db(st);
    r.ctx = ctx;
    r.opts = opts;
    r.html = &hb;
    report_json_init(&r.json, &jb);
    /* One read transaction: every section sees the same snapshot of the project. */
    bool in_tx = false;
    int rc = rk_store__exec(st, "BEGIN");
    if (rc != RK_OK)
        goto cleanup;
    in_tx = true;
    if (opts->release && (rc = release_views(&r)) != RK_OK)
        goto cleanup;
    fields[nfields++] = rk_strdup("region");
    if (!fields[0]) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t more = 0;
    if ((rc = report_claim_fields(st, fields + 1, RK_ARRAY_LEN(fields) - 1, &more)) != RK_OK)
        goto cleanup;
    nfields += more;
    /* "region" twice is harmless but costs a column: drop a duplicate. */
    for (size_t i = 1; i < nfields; i++)
        if (strcmp(fields[i], "region") == 0) {
            rk_free(fields[i]);
            fields[i] = fields[--nfields];
            fields[nfields] = NULL;
            break;
        }
    rk_progress(ctx, "reading persons", 0, 0);
    if ((rc = report_persons_load(&r.persons, st, &opts->counts, (const char *const *)fields,
                                  nfields)) != RK_OK)
        goto cleanup;
    if ((rc = report_claims_with(&r.claims, &r.nclaims, st, &r.persons, false)) != RK_OK)
        goto cleanup;
    r.basis = r.persons.documented;

    const char *title = opts->title ? opts->title : "reckon report";
    /* The stamp: the caller's, or the project's latest change; never the wall clock, so that
     * two reports of the same project are the same bytes. */
    char stamp[32] = "";
    int64_t as_of = 0;
    if ((rc = latest_event(&r, &as_of, stamp)) != RK_OK)
        goto cleanup;
    if (opts->generated)
        snprintf(stamp, sizeof(stamp), "%s", opts->generated);
    if (opts->release) {
        char cut[40];
        snprintf(stamp, sizeof(stamp), "%s", report_date(&r, cut, sizeof(cut), stamp));
    }
    report_html(&r,
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<meta name=\"referrer\" content=\"no-referrer\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; img-src data:\"><title>%s</title><style>",
                title);
    report_html_raw(&r, css);
    report_html(&r, "</style></head><body>\n<header><h1>%s</h1><p class=\"muted\">", title);
    if (opts->release)
        report_html(&r,
                    "A release (names, record ids and exact dates left out) of a project <code>");
    else
        report_html(&r, "Project <code>");
    if (!opts->release)
        report_value(&r, rk_store_path(st));
    if (opts->generated)
        report_html(&r,
                    "</code>; made by reckon %s on %s from the project as of audit event %lld.</p>"
                    "</header>\n",
                    RK_VERSION, stamp, (long long)as_of);
    else
        report_html(&r,
                    "</code>; made by reckon %s from the project as of %s (audit event %lld).</p>"
                    "</header>\n",
                    RK_VERSION, stamp, (long long)as_of);
    report_html(&r,
                "<nav><ol><li><a href=\"#summary\">Summary</a></li><li><a href=\"#lists\">Lists "
                "and overlaps</a></li><li><a href=\"#linkage\">Linkage</a></li><li><a "
                "href=\"#estimates\">Estimates</a></li><li><a href=\"#claims\">Claims</a></li><li>"
                "<a href=\"#provenance\">Provenance</a></li></ol></nav>\n");
    report_json_obj(&r.json);
    report_json_key(&r.json, "reckon_version");
    report_json_str(&r.json, RK_VERSION);
    report_json_key(&r.json, "generated");
    report_json_str(&r.json, stamp);
    report_json_key(&r.json, "as_of_event");
    report_json_int(&r.json, as_of);
    report_json_key(&r.json, "project");
    if (opts->release)
        report_json_null(&r.json);
    else
        report_json_str(&r.json, rk_store_path(st));
    report_json_key(&r.json, "release");
    report_json_bool(&r.json, opts->release);

    void (*const sections[])(report_report *) = {report_section_summary, report_section_lists,
                                                 report_section_linkage, report_section_estimates,
                                                 report_section_claims,  report_section_provenance};
    for (size_t i = 0; i < RK_ARRAY_LEN(sections) && r.rc == RK_OK && r.json.rc == RK_OK; i++) {
        rk_progress(ctx, "writing sections", i, RK_ARRAY_LEN(sections));
        sections[i](&r);
    }
    report_html(&r, "<footer><p class=\"muted\">End of report. Every figure above is in the JSON "
                    "twin of this report (reckon report --json).</p></footer></body></html>\n");
    report_json_obj_end(&r.json);
    if (r.json.rc == RK_OK)
        r.json.rc = rk_buf_putc(&jb, '\n');
    if (r.rc != RK_OK || r.json.rc != RK_OK) {
        int code = r.rc != RK_OK ? r.rc : r.json.rc;
        /* A section that failed on SQL has set the message already. */
        if (ctx->err.code != code)
            rk_error_set(ctx, code, "cannot write the report: %s", rk_strerror(code));
        rc = code;
        goto cleanup;
    }
    if ((rc = write_all(ctx, html, &hb, "report")) != RK_OK)
        goto cleanup;
    if (json && (rc = write_all(ctx, json, &jb, "JSON report")) != RK_OK)
        goto cleanup;
    rk_progress(ctx, "writing sections", RK_ARRAY_LEN(sections), RK_ARRAY_LEN(sections));
cleanup:
    sqlite3_finalize(r.stratum);
    report_batch_release(&r.latest);
    report_batch_release(&r.by_violation);
    if (in_tx)
        rk_store_rollback(st);
    for (size_t i = 0; i < nfields; i++)
        rk_free(fields[i]);
    rk_claim_list_free(r.claims, r.nclaims);
    report_persons_release(&r.persons);
    rk_buf_release(&hb);
    rk_buf_release(&jb);
    return rc;
}
