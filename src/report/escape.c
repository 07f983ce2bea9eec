/* HTML escaping of untrusted text for the report: every value from the data passes through
 * here before it reaches the HTML (element content, attribute values, SVG text). Besides the
 * markup characters it neutralises what could mislead a reader: bidirectional controls (a
 * right-to-left override can make "gpj.exe" read "exe.jpg"), other control characters and
 * invalid UTF-8, and it caps what one value may occupy on the page. */
#include "common.h"

/* Characters shown as "[U+XXXX]" rather than passed through. */
static bool is_shown_as_code(uint32_t c)
{
    if (c < 0x20)
        return c != '\t' && c != '\n';
    return (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
           c == 0xFFF9 || c == 0xFFFA || c == 0xFFFB;
}

int rk_report_html_escape(rk_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = 0, i = 0;
    int rc = RK_OK;
    while (i < n && rc == RK_OK) {
        const char *rep = NULL;
        char code[16];
        size_t len = 1;
        switch (u[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default: {
            uint32_t cp = 0;
            len = rk_core__utf8_decode(u + i, n - i, &cp);
            if (len == 0) {
                rep = "\xEF\xBF\xBD"; /* U+FFFD */
                len = 1;
            } else if (is_shown_as_code(cp)) {
                snprintf(code, sizeof(code), "[U+%04X]", (unsigned)cp);
                rep = code;
            }
        }
        }
        if (rep) {
            rc = rk_buf_append(b, s + start, i - start);
            if (rc == RK_OK)
                rc = rk_buf_puts(b, rep);
            start = i + len;
        }
        i += len;
    }
    if (rc == RK_OK)
        rc = rk_buf_append(b, s + start, n - start);
    return rc;
}

int rk_report_html_escape_value(rk_buf *b, const char *s, size_t n)
{
    size_t shown = rk_core__utf8_cut(s, n, RK_REPORT_MAX_SHOWN);
    int rc = rk_buf_puts(b, "<bdi>");
    if (rc == RK_OK)
        rc = rk_report_html_escape(b, s, shown);
    if (rc == RK_OK && shown < n)
        rc = rk_buf_printf(b, "</bdi><span class=\"cut\"> [cut: %zu of %zu bytes shown]</span>",
                           shown, n);
    else if (rc == RK_OK)
        rc = rk_buf_puts(b, "</bdi>");
    return rc;
}
