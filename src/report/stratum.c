/* Strata as readers see them: an estimate's or a claim's stratum, stored as a JSON object of
 * field -> value, shown in the report as "region: North, sex: F" and kept as an object, with
 * that label beside it, in the JSON twin. */
#include "report_private.h"

void report_stratum_read(report_report *r, const char *stratum, rk_buf *label, rk_buf *json)
{
    rk_buf_clear(label);
    rk_buf_clear(json);
    if (r->rc != RK_OK || !stratum)
        return;
    if (!r->stratum && !report_prepare(&r->stratum, r,
                                       "SELECT " RK_ESTIMATE_STRATUM_LABEL_SQL
                                       ", " RP_STRATUM_JSON_SQL " FROM (SELECT ?1 AS stratum)",
                                       "cannot read a stratum"))
        return;
    sqlite3_reset(r->stratum);
    sqlite3_bind_text(r->stratum, 1, stratum, -1, SQLITE_STATIC);
    if (sqlite3_step(r->stratum) != SQLITE_ROW) {
        report_sqlerr(r, "cannot read a stratum");
        return;
    }
    const char *l = rk_store__text(r->stratum, 0), *js = rk_store__text(r->stratum, 1);
    int rc = l ? rk_buf_puts(label, l) : RK_OK;
    if (rc == RK_OK && js)
        rc = rk_buf_puts(json, js);
    sqlite3_reset(r->stratum);
    if (rc != RK_OK)
        r->rc = rc;
}

void report_json_stratum(report_json *j, const char *stratum, const char *json, const char *label)
{
    report_json_key(j, "stratum");
    if (json && *json)
        report_json_raw(j, json);
    else
        report_json_str(j, stratum);
    report_json_key(j, "stratum_label");
    report_json_str(j, label && *label ? label : NULL);
}
