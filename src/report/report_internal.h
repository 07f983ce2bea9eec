/* The private tier of src/report: what later modules of libreckon (serve) and the CLI may use
 * of the report, and the public API may not: the HTML formatter that every HTML writer of
 * reckon goes through. Never installed, never included from include/reckon/. */
#ifndef RK_REPORT_INTERNAL_H
#define RK_REPORT_INTERNAL_H

#include "common.h"

#include <stdarg.h>

/* Appends `fmt` to b as printf would, except that every %s argument is HTML-escaped by
 * rk_report_html_escape (a NULL argument writes nothing; "%.*s" escapes at most that many bytes).
 * Markup goes in the format, which must be a literal; markup built elsewhere is appended by a
 * function that says "raw" in its name. Numbers are formatted as by printf. Supported: the
 * flags, widths and precisions of printf with d i u x X o f F e E g G and the lengths hh h l ll
 * z j t; %s with no flag or width; %%. */
int rk_report__html(rk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rk_report__vhtml(rk_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
