/* SVG charts for the report, written as text: horizontal bars, histograms, points with
 * intervals (forest plots), lines (traces) and UpSet-style capture-pattern charts. Each is a
 * <figure> whose <svg role="img"> carries a <title> and a <desc> (the text alternative) and whose
 * caption repeats it; all text is escaped. Colours are the Okabe-Ito palette's blue and
 * vermillion over greys, and every distinction is also made by shape or dash, so the charts read
 * in greyscale and for colour-blind readers. */
#include "report_private.h"

#define W        680.0
#define INK      "#222"
#define GRID     "#ccc"
#define BAR      "#4d4d4d"
#define ACCENT   "#0072B2"
#define ACCENT2  "#D55E00"
#define MAXLABEL 48 /* bytes of a label shown in a chart */

void report_fmt_num(char *out, size_t outsz, double v)
{
    if (!isfinite(v)) {
        snprintf(out, outsz, "n/a");
        return;
    }
    if (fabs(v) >= 100 || v == floor(v)) {
        double r = floor(fabs(v) + 0.5);
        char digits[64];
        snprintf(digits, sizeof(digits), "%.0f", r);
        size_t nd = strlen(digits), o = 0;
        if (v < 0 && r > 0 && o + 1 < outsz)
            out[o++] = '-';
        for (size_t i = 0; i < nd && o + 2 < outsz; i++) {
            if (i && (nd - i) % 3 == 0)
                out[o++] = ',';
            out[o++] = digits[i];
        }
        out[o] = '\0';
        return;
    }
    snprintf(out, outsz, "%.3g", v);
}

/* Appends a label for SVG text: cut at MAXLABEL bytes (on a character boundary) with an
 * ellipsis, escaped. */
static int svg_label_max(rk_buf *b, const char *s, size_t max)
{
    if (!s)
        return RK_OK;
    size_t n = strlen(s), shown = rk_core__utf8_cut(s, n, max);
    int rc = rk_report_html_escape(b, s, shown);
    if (rc == RK_OK && shown < n)
        rc = rk_report__html(b, "\xE2\x80\xA6");
    return rc;
}

static int svg_label(rk_buf *b, const char *s)
{
    return svg_label_max(b, s, MAXLABEL);
}

/* A step of 1, 2 or 5 times a power of ten giving about `n` ticks over [lo, hi]. */
static double nice_step(double lo, double hi, int n)
{
    double range = hi - lo;
    if (!(range > 0))
        return 1;
    double raw = range / n, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static int open_figure(rk_buf *b, const report_chart *c, double h)
{
    unsigned long id = (unsigned long)b->len;
    return rk_report__html(b,
                           "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                           "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"t%lu d%lu\">"
                           "<title id=\"t%lu\">%s</title><desc id=\"d%lu\">%s</desc>",
                           W, h, id, id, id, c->title, id, c->alt);
}

static int close_figure(rk_buf *b, const report_chart *c)
{
    return rk_report__html(b, "</svg><figcaption><b>%s.</b> %s</figcaption></figure>\n", c->title,
                           c->alt);
}

/* A horizontal numeric axis at y over [x0, x1] pixels for values [lo, hi], with grid lines up
 * to gy0 and a label below. */
static int x_axis(rk_buf *b, double x0, double x1, double y, double gy0, double lo, double hi,
                  const char *label)
{
    int rc = rk_report__html(
        b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" INK "\"/>", x0, y, x1,
        y);
    double step = nice_step(lo, hi, 5);
    for (double t = ceil(lo / step) * step; t <= hi + step * 1e-9 && rc == RK_OK; t += step) {
        double x = x0 + (t - lo) / (hi - lo) * (x1 - x0);
        char num[64];
        report_fmt_num(num, sizeof(num), fabs(t) < step * 1e-9 ? 0 : t);
        rc = rk_report__html(b,
                             "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID
                             "\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                             x, gy0, x, y + 4, x, y + 16, num);
    }
    rc = rc ? rc
            : rk_report__html(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"ax\">",
                              (x0 + x1) / 2, y + 32);
    rc = rc ? rc : svg_label_max(b, label, 120);
    return rc ? rc : rk_report__html(b, "</text>");
}

/* A vertical numeric axis at x over [y0 (bottom), y1 (top)] for [lo, hi], labelled. */
static int y_axis(rk_buf *b, double x, double y0, double y1, double gx1, double lo, double hi,
                  const char *label)
{
    int rc = rk_report__html(
        b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" INK "\"/>", x, y0, x,
        y1);
    double step = nice_step(lo, hi, 4);
    for (double t = ceil(lo / step) * step; t <= hi + step * 1e-9 && rc == RK_OK; t += step) {
        double y = y0 - (t - lo) / (hi - lo) * (y0 - y1);
        char num[64];
        report_fmt_num(num, sizeof(num), fabs(t) < step * 1e-9 ? 0 : t);
        rc = rk_report__html(b,
                             "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID
                             "\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                             x - 4, y, gx1, y, x - 6, y + 4, num);
    }
    rc = rc ? rc
            : rk_report__html(b,
                              "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
                              "text-anchor=\"middle\" class=\"ax\">",
                              x - 48, (y0 + y1) / 2);
    rc = rc ? rc : svg_label(b, label);
    return rc ? rc : rk_report__html(b, "</text>");
}

static void range_of(const double *v, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            *lo = RK_MIN(*lo, v[i]);
            *hi = RK_MAX(*hi, v[i]);
        }
}

static void pad_range(double *lo, double *hi)
{
    if (!(*hi > *lo)) {
        *hi = *lo + 1;
        *lo -= 1;
    }
    double step = nice_step(*lo, *hi, 5);
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
}

int report_chart_bars(rk_buf *b, const report_chart *c, const char *const *labels,
                      const double *values, size_t n)
{
    const double left = 190, right = W - 70, top = 12, row = 22;
    double h = top + row * (double)n + 48;
    double lo = 0, hi = 0;
    range_of(values, n, &lo, &hi);
    pad_range(&lo, &hi);
    int rc = open_figure(b, c, h);
    rc = rc ? rc : x_axis(b, left, right, top + row * (double)n + 4, top, lo, hi, c->xlabel);
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        double y = top + row * (double)i, v = isfinite(values[i]) ? values[i] : 0;
        double w = (v - lo) / (hi - lo) * (right - left);
        char num[64];
        report_fmt_num(num, sizeof(num), values[i]);
        rc = rk_report__html(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6,
                             y + 15);
        rc = rc ? rc : svg_label(b, labels[i]);
        rc = rc ? rc
                : rk_report__html(
                      b,
                      "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                      "fill=\"" BAR "\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>",
                      left, y + 3, w, row - 6, left + w + 4, y + 15, num);
    }
    return rc ? rc : close_figure(b, c);
}

int report_chart_histogram(rk_buf *b, const report_chart *c, const double *edges,
                           const double *counts, size_t nbins, double marker,
                           const char *marker_label)
{
    const double left = 70, right = W - 20, top = 24, bottom = 220;
    double xlo = edges[0], xhi = edges[nbins], ylo = 0, yhi = 0;
    if (isfinite(marker)) {
        xlo = RK_MIN(xlo, marker);
        xhi = RK_MAX(xhi, marker);
    }
    range_of(counts, nbins, &ylo, &yhi);
    pad_range(&ylo, &yhi);
    if (!(xhi > xlo))
        xhi = xlo + 1;
    int rc = open_figure(b, c, bottom + 44);
    rc = rc ? rc : y_axis(b, left, bottom, top, right, ylo, yhi, c->ylabel);
    rc = rc ? rc : x_axis(b, left, right, bottom, bottom, xlo, xhi, c->xlabel);
    for (size_t i = 0; i < nbins && rc == RK_OK; i++) {
        double x0 = left + (edges[i] - xlo) / (xhi - xlo) * (right - left);
        double x1 = left + (edges[i + 1] - xlo) / (xhi - xlo) * (right - left);
        double y = bottom - (counts[i] - ylo) / (yhi - ylo) * (bottom - top);
        rc =
            rk_report__html(b,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" BAR
                            "\" stroke=\"#fff\" stroke-width=\"0.5\"/>",
                            x0, y, RK_MAX(x1 - x0, 0.5), bottom - y);
    }
    if (rc == RK_OK && isfinite(marker)) {
        double x = left + (marker - xlo) / (xhi - xlo) * (right - left);
        rc = rk_report__html(
            b,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" ACCENT2
            "\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"%.1f\" "
            "y=\"%.1f\" class=\"mk\">",
            x, top - 6, x, bottom, x + 4, top + 4);
        rc = rc ? rc : svg_label(b, marker_label);
        rc = rc ? rc : rk_report__html(b, "</text>");
    }
    return rc ? rc : close_figure(b, c);
}

int report_chart_intervals(rk_buf *b, const report_chart *c, const char *const *labels,
                           const double *est, const double *lo, const double *hi, size_t n,
                           const report_marks *m)
{
    const double *mark = m ? m->mark : NULL, *mark2 = m ? m->mark2 : NULL;
    const char *mark_label = m ? m->mark_label : NULL;
    const double left = 230, right = W - 24, top = 30, row = 24;
    double bottom = top + row * (double)n;
    double xlo = INFINITY, xhi = -INFINITY;
    range_of(est, n, &xlo, &xhi);
    range_of(lo, n, &xlo, &xhi);
    range_of(hi, n, &xlo, &xhi);
    if (mark)
        range_of(mark, n, &xlo, &xhi);
    if (mark2)
        range_of(mark2, n, &xlo, &xhi);
    if (!isfinite(xlo))
        xlo = 0, xhi = 1;
    xlo = RK_MIN(xlo, 0);
    pad_range(&xlo, &xhi);
    int rc = open_figure(b, c, bottom + 48);
    rc = rc ? rc : x_axis(b, left, right, bottom + 4, top - 8, xlo, xhi, c->xlabel);
    /* Legend: the shapes, so that no colour is needed to tell them apart. */
    rc = rc ? rc
            : rk_report__html(b,
                              "<circle cx=\"%.1f\" cy=\"12\" r=\"4\" fill=\"" ACCENT "\"/><text "
                              "x=\"%.1f\" y=\"16\">estimate with interval</text>",
                              left, left + 8);
    if (rc == RK_OK && mark) {
        rc =
            rk_report__html(b,
                            "<rect x=\"%.1f\" y=\"8\" width=\"8\" height=\"8\" fill=\"#fff\" "
                            "stroke=\"" ACCENT2 "\" stroke-width=\"2\"/><text x=\"%.1f\" y=\"16\">",
                            left + 190, left + 202);
        rc = rc ? rc : svg_label(b, mark_label);
        rc = rc ? rc : rk_report__html(b, "</text>");
    }
    if (rc == RK_OK && mark2) {
        rc = rk_report__html(b,
                             "<path d=\"M%.1f 6l6 6-6 6-6-6z\" fill=\"" INK "\"/><text x=\"%.1f\" "
                             "y=\"16\">",
                             left + 340, left + 350);
        rc = rc ? rc : svg_label(b, m->mark2_label);
        rc = rc ? rc : rk_report__html(b, "</text>");
    }
#define PX(v) (left + ((v)-xlo) / (xhi - xlo) * (right - left))
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        double y = top + row * (double)i + row / 2;
        rc =
            rk_report__html(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 8, y + 4);
        rc = rc ? rc : svg_label(b, labels[i]);
        rc = rc ? rc : rk_report__html(b, "</text>");
        if (rc == RK_OK && isfinite(lo[i]) && isfinite(hi[i]))
            rc = rk_report__html(
                b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" INK
                "\" stroke-width=\"2\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"" INK "\"/><line x1=\"%.1f\" y1=\"%.1f\" "
                "x2=\"%.1f\" y2=\"%.1f\" stroke=\"" INK "\"/>",
                PX(lo[i]), y, PX(hi[i]), y, PX(lo[i]), y - 5, PX(lo[i]), y + 5, PX(hi[i]), y - 5,
                PX(hi[i]), y + 5);
        if (rc == RK_OK && isfinite(est[i]))
            rc = rk_report__html(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"" ACCENT "\"/>",
                                 PX(est[i]), y);
        if (rc == RK_OK && mark && isfinite(mark[i]))
            rc = rk_report__html(
                b,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"#fff\" "
                "stroke=\"" ACCENT2 "\" stroke-width=\"2\"/>",
                PX(mark[i]) - 4.5, y - 4.5);
        if (rc == RK_OK && mark2 && isfinite(mark2[i]))
            rc = rk_report__html(b, "<path d=\"M%.1f %.1fl6 6-6 6-6-6z\" fill=\"" INK "\"/>",
                                 PX(mark2[i]), y - 6);
    }
#undef PX
    return rc ? rc : close_figure(b, c);
}

int report_chart_line(rk_buf *b, const report_chart *c, const double *y, size_t n)
{
    const double left = 70, right = W - 20, top = 16, bottom = 200;
    double ylo = INFINITY, yhi = -INFINITY;
    range_of(y, n, &ylo, &yhi);
    if (!isfinite(ylo))
        ylo = 0, yhi = 1;
    pad_range(&ylo, &yhi);
    double xhi = n > 1 ? (double)(n - 1) : 1;
    int rc = open_figure(b, c, bottom + 44);
    rc = rc ? rc : y_axis(b, left, bottom, top, right, ylo, yhi, c->ylabel);
    rc = rc ? rc : x_axis(b, left, right, bottom, bottom, 0, xhi, c->xlabel);
    rc = rc ? rc : rk_report__html(b, "<polyline fill=\"none\" stroke=\"" ACCENT "\" points=\"");
    /* At most ~1,000 points drawn: a longer trace is thinned evenly. */
    size_t step = n > 1000 ? (n + 999) / 1000 : 1;
    for (size_t i = 0; i < n && rc == RK_OK; i += step)
        if (isfinite(y[i]))
            rc = rk_report__html(b, "%.1f,%.1f ", left + (double)i / xhi * (right - left),
                                 bottom - (y[i] - ylo) / (yhi - ylo) * (bottom - top));
    rc = rc ? rc : rk_report__html(b, "\"/>");
    return rc ? rc : close_figure(b, c);
}

int report_chart_upset(rk_buf *b, const report_chart *c, const char *const *list_names,
                       size_t nlists, const uint64_t *patterns, const double *counts,
                       size_t npatterns)
{
    const double left = 150, right = W - 10, top = 20, barh = 150, dot = 18;
    double col = npatterns ? RK_MIN(36.0, (right - left) / (double)npatterns) : 36;
    double base = top + barh, mtop = base + 24;
    double h = mtop + dot * (double)nlists + 40;
    double yhi = 0, ylo = 0;
    range_of(counts, npatterns, &ylo, &yhi);
    pad_range(&ylo, &yhi);
    int rc = open_figure(b, c, h);
    rc = rc ? rc : y_axis(b, left - 10, base, top, right, ylo, yhi, c->ylabel);
    for (size_t p = 0; p < npatterns && rc == RK_OK; p++) {
        double x = left + col * (double)p + col / 2;
        double y = base - (counts[p] - ylo) / (yhi - ylo) * barh;
        char num[64];
        report_fmt_num(num, sizeof(num), counts[p]);
        rc =
            rk_report__html(b,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" BAR
                            "\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                            "class=\"sm\">%s</text>",
                            x - col * 0.35, y, col * 0.7, base - y, x, y - 3, num);
        double first = -1, last = -1;
        for (size_t l = 0; l < nlists && rc == RK_OK; l++) {
            bool in = (patterns[p] >> l) & 1;
            double cy = mtop + dot * (double)l + dot / 2;
            if (in) {
                if (first < 0)
                    first = cy;
                last = cy;
            }
            rc = rk_report__html(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>", x, cy,
                                 in ? INK : "#d9d9d9");
        }
        if (rc == RK_OK && first >= 0 && last > first)
            rc = rk_report__html(b,
                                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                 "stroke=\"" INK "\" stroke-width=\"2\"/>",
                                 x, first, x, last);
    }
    for (size_t l = 0; l < nlists && rc == RK_OK; l++) {
        rc = rk_report__html(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 8,
                             mtop + dot * (double)l + dot / 2 + 4);
        rc = rc ? rc : svg_label(b, list_names[l]);
        rc = rc ? rc : rk_report__html(b, "</text>");
    }
    rc = rc ? rc
            : rk_report__html(b,
                              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"ax\">"
                              "capture pattern (filled: the lists that name the persons)</text>",
                              (left + right) / 2, h - 8);
    return rc ? rc : close_figure(b, c);
}
