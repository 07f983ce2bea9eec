/* The report module's private tier: what later modules of libreckon (serve) and the CLI may use
 * of the report, and the public API may not. Never installed, never included from
 * include/reckon/. */
#ifndef RK_REPORT_INTERNAL_H
#define RK_REPORT_INTERNAL_H

#include "reckon/report.h"

/* A stratum (estimate.stratum, claim.stratum: a JSON object of field -> value) as the report
 * shows it, "region: North, sex: F", in the object's order; NULL for no stratum or an empty
 * object; text that is not a JSON object as it is. An SQL expression over a column named
 * `stratum`, for every page that shows strata. */
#define RK_REPORT_STRATUM_LABEL_SQL                                                                \
    "CASE WHEN stratum IS NULL THEN NULL WHEN json_valid(stratum) AND json_type(stratum) ="        \
    " 'object' THEN (SELECT group_concat(kv, ', ') FROM (SELECT j.key || ': ' || CASE WHEN"        \
    " j.type IN ('true', 'false', 'null') THEN j.type ELSE j.value END AS kv FROM"                 \
    " json_each(stratum) j ORDER BY j.id)) ELSE stratum END"

#endif
