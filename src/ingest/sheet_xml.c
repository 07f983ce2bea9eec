/* One XML entry of a zip archive (an .xlsx part, an .ods content.xml) streamed in chunks:
 * memory stays bounded whatever the entry's size. A UTF-8 entry without a DTD (what the
 * spreadsheet writers make) goes through a scanner of our own, which calls expat's kind of
 * handlers (start and end of elements, character data) straight from a buffer of the entry's
 * bytes, names and attribute values NUL-terminated and decoded in place: it is several times
 * faster than expat. Other entries (UTF-16, a DOCTYPE) go through expat, which also judges
 * what the scanner finds malformed: the entry is parsed again by expat, whose message, line and
 * column the error then names. The handlers may suspend the parse at the end of a row
 * (sheet_xml_run then returns 1) and the next run goes on where it stopped. Expat allocates
 * through rk_malloc, so that the fault injection reaches it. */
#include "sheet_xml.h"

#include <strings.h>

#define XML_CHUNK (1 << 16)
#define SCAN_BUF  (1 << 18)
#define SCAN_MIN  (1 << 12)

enum { BEFORE_ROOT, IN_ROOT, AFTER_ROOT };
/* What a step of the scanner did: an event, or it needs more bytes, or the entry is
 * malformed, or it is for expat. */
enum { SCAN_DONE, SCAN_MORE, SCAN_BAD, SCAN_EXPAT };

static const XML_Memory_Handling_Suite xml_memory = {rk_malloc, rk_realloc, rk_free};

const char *sheet_xml_local(const char *name)
{
    const char *local = name;
    for (const char *p = name; *p; p++)
        if (*p == ':')
            local = p + 1;
    return local;
}

const char *sheet_xml_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        /* Most names have no prefix: compare at once, and look for one on a mismatch. */
        if (a[0] == local[0] && strcmp(a, local) == 0)
            return atts[i + 1];
        if (strchr(a, ':') && strcmp(sheet_xml_local(a), local) == 0)
            return atts[i + 1];
    }
    return NULL;
}

/* ---- expat ---- */

static int expat_begin(sheet_xml *x, bool handlers)
{
    if (x->f)
        zip_fclose(x->f);
    x->f = zip_fopen(x->z, x->entry, 0);
    if (!x->f)
        return sheet_fail(x->sh, RK_EINPUT,
                          "the part '%s' cannot be read (%s); the file is damaged", x->entry,
                          zip_strerror(x->z));
    x->eof = false;
    x->fast = false;
    x->p = XML_ParserCreate_MM(NULL, &xml_memory, NULL);
    if (!x->p)
        return rk_error_set(x->sh->ctx, RK_ENOMEM, "out of memory");
    if (handlers) {
        XML_SetUserData(x->p, x->user);
        XML_SetElementHandler(x->p, x->start, x->end);
        if (x->text)
            XML_SetCharacterDataHandler(x->p, x->text);
    }
    return RK_OK;
}

static int malformed(sheet_xml *x)
{
    return sheet_fail(x->sh, RK_EINPUT,
                      "%s:%lu:%lu: malformed XML (%s); the file is damaged or truncated: open "
                      "and save it again, or export the list as CSV",
                      x->entry, (unsigned long)XML_GetCurrentLineNumber(x->p),
                      (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1,
                      XML_ErrorString(XML_GetErrorCode(x->p)));
}

static int expat_run(sheet_xml *x)
{
    for (;;) {
        enum XML_Status st;
        if (x->suspended) {
            x->suspended = false;
            st = XML_ResumeParser(x->p);
        } else {
            if (x->eof)
                return 0;
            void *buf = XML_GetBuffer(x->p, XML_CHUNK);
            if (!buf)
                return rk_error_set(x->sh->ctx, RK_ENOMEM, "out of memory");
            zip_int64_t n = zip_fread(x->f, buf, XML_CHUNK);
            if (n < 0)
                return sheet_fail(x->sh, RK_EINPUT,
                                  "the part '%s' cannot be read (%s); the file is damaged or "
                                  "truncated",
                                  x->entry, zip_file_strerror(x->f));
            x->eof = n == 0;
            st = XML_ParseBuffer(x->p, (int)n, x->eof);
        }
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = true;
            return 1;
        }
        if (st == XML_STATUS_ERROR)
            return x->rc != RK_OK ? x->rc : malformed(x);
        if (x->rc != RK_OK)
            return x->rc;
    }
}

/* The scanner found the entry malformed (`why`, at byte `at`): expat reads it again from the
 * start, without handlers, to say where and how. */
static int scan_bad(sheet_xml *x, const char *why)
{
    if (x->rc != RK_OK)
        return x->rc;
    uint64_t at = x->base + x->pos;
    int rc = expat_begin(x, false);
    if (rc == RK_OK && (rc = expat_run(x)) == RK_OK) /* expat differs: the scanner's word */
        rc = sheet_fail(x->sh, RK_EINPUT,
                        "%s: byte %llu: malformed XML (%s); the file is damaged or truncated: "
                        "open and save it again, or export the list as CSV",
                        x->entry, (unsigned long long)at, why);
    return rc;
}

/* ---- the scanner ---- */

/* The first `needle` (of length m) in [s, s + n), or NULL. */
static char *find(char *s, size_t n, const char *needle, size_t m)
{
    char *e = s + n;
    while (n >= m && (s = memchr(s, needle[0], n - m + 1)) != NULL) {
        if (memcmp(s, needle, m) == 0)
            return s;
        s++;
        n = (size_t)(e - s);
    }
    return NULL;
}

/* An allocation failed in the scanner: the parse stops with the error. */
static int scan_oom(sheet_xml *x)
{
    sheet_xml_abort(x, rk_error_set(x->sh->ctx, RK_ENOMEM, "out of memory"));
    return SCAN_DONE;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t k = 0;
    const char *e = s + n;
    while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
        k++;
        s++;
    }
    return k;
}

/* Drops the bytes read, then reads more (growing the buffer when a token fills it). */
static int scan_fill(sheet_xml *x)
{
    if (x->pos > 0) {
        x->line += (unsigned long)count_lines(x->buf, x->pos);
        memmove(x->buf, x->buf + x->pos, x->len - x->pos);
        x->base += x->pos;
        x->len -= x->pos;
        x->pos = 0;
    }
    if (x->len == x->cap) {
        char *b = rk_realloc(x->buf, x->cap * 2 + 1);
        if (!b)
            return rk_error_set(x->sh->ctx, RK_ENOMEM, "out of memory");
        x->buf = b;
        x->cap *= 2;
    }
    zip_int64_t n = zip_fread(x->f, x->buf + x->len, x->cap - x->len);
    if (n < 0)
        return sheet_fail(x->sh, RK_EINPUT,
                          "the part '%s' cannot be read (%s); the file is damaged or truncated",
                          x->entry, zip_file_strerror(x->f));
    x->eof = n == 0;
    x->len += (size_t)n;
    x->buf[x->len] = '\0';
    return RK_OK;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static bool is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static size_t scan_utf8(const unsigned char *r, const unsigned char *e);

/* The end of the name at s (before limit), or NULL when s holds no name. */
static char *scan_name(char *s, const char *limit)
{
    if (s == limit || !is_name_start((unsigned char)*s))
        return NULL;
    while (s < limit) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80) {
            if (!is_name_char(c))
                break;
            s++;
        } else {
            size_t k = scan_utf8((const unsigned char *)s, (const unsigned char *)limit);
            if (k == 0)
                return NULL;
            s += k;
        }
    }
    return s;
}

/* Writes code point u as UTF-8 at w; its length. */
static size_t put_utf8(char *w, uint32_t u)
{
    if (u < 0x80) {
        w[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        w[0] = (char)(0xC0 | (u >> 6));
        w[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    if (u < 0x10000) {
        w[0] = (char)(0xE0 | (u >> 12));
        w[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        w[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (u >> 18));
    w[1] = (char)(0x80 | ((u >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((u >> 6) & 0x3F));
    w[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

static bool xml_char(uint32_t u)
{
    return u == 0x9 || u == 0xA || u == 0xD || (u >= 0x20 && u <= 0xD7FF) ||
           (u >= 0xE000 && u <= 0xFFFD) || (u >= 0x10000 && u <= 0x10FFFF);
}

/* The reference at r (after its '&', up to e) as UTF-8 at w: its length in the input (the ';'
 * included) and *wn, or 0 when it is no reference XML defines without a DTD. */
static size_t scan_ref(const char *r, const char *e, char *w, size_t *wn)
{
    const char *semi = memchr(r, ';', (size_t)(e - r) < 12 ? (size_t)(e - r) : 12);
    if (!semi || semi == r)
        return 0;
    size_t n = (size_t)(semi - r);
    static const struct {
        const char *name;
        char c;
    } named[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    if (r[0] != '#') {
        for (size_t i = 0; i < RK_ARRAY_LEN(named); i++)
            if (strlen(named[i].name) == n && memcmp(named[i].name, r, n) == 0) {
                w[0] = named[i].c;
                *wn = 1;
                return n + 1;
            }
        return 0;
    }
    uint32_t u = 0;
    bool hex = r[1] == 'x';
    const char *d = r + (hex ? 2 : 1);
    if (d == semi)
        return 0;
    for (; d < semi; d++) {
        unsigned c = (unsigned char)*d, v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return 0;
        u = u * (hex ? 16 : 10) + v;
        if (u > 0x10FFFF)
            return 0;
    }
    if (!xml_char(u))
        return 0;
    *wn = put_utf8(w, u);
    return n + 1;
}

/* The length of the UTF-8 character at r (up to e), or 0 when it is not one XML allows. */
static size_t scan_utf8(const unsigned char *r, const unsigned char *e)
{
    unsigned c = r[0];
    size_t k;
    uint32_t u;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        k = 2;
        u = c & 0x1F;
    } else if (c < 0xF0) {
        k = 3;
        u = c & 0x0F;
    } else if (c < 0xF5) {
        k = 4;
        u = c & 0x07;
    } else
        return 0;
    if ((size_t)(e - r) < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((r[i] & 0xC0) != 0x80)
            return 0;
        u = (u << 6) | (r[i] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    return u >= least[k] && xml_char(u) ? k : 0;
}

/* Decodes character data [p, e) in place: references, line ends (CR LF and CR as LF), and in an
 * attribute value (attr) white space as spaces; refs false for a CDATA section. The decoded
 * length, or -1 when the text is malformed. */
static long scan_decode(char *p, const char *e, bool attr, bool refs)
{
    char *w = p;
    const char *r = p;
    while (r < e) {
        unsigned char c = (unsigned char)*r;
        if (c >= 0x20 && c < 0x80) {
            if (!refs || (c != '&' && c != '<' && c != ']')) {
                *w++ = (char)c;
                r++;
                continue;
            }
            if (c == ']') { /* "]]>" ends CDATA sections only */
                if (!attr && e - r >= 3 && r[1] == ']' && r[2] == '>')
                    return -1;
                *w++ = (char)c;
                r++;
                continue;
            }
            size_t wn, n = c == '&' ? scan_ref(r + 1, e, w, &wn) : 0;
            if (n == 0)
                return -1;
            w += wn;
            r += n + 1;
        } else if (c == '\r') {
            *w++ = attr ? ' ' : '\n';
            r += r + 1 < e && r[1] == '\n' ? 2 : 1;
        } else if (c == '\n' || c == '\t') {
            *w++ = attr ? ' ' : (char)c;
            r++;
        } else if (c >= 0x80) {
            size_t k = scan_utf8((const unsigned char *)r, (const unsigned char *)e);
            if (k == 0)
                return -1;
            if (w != r)
                memmove(w, r, k);
            w += k;
            r += k;
        } else {
            return -1;
        }
    }
    return (long)(w - p);
}

/* Where a text run that the buffer's end cuts may be handed over: not inside a reference, a
 * CR LF or a character. */
static char *scan_cut(char *p, char *e)
{
    char *cut = e;
    for (char *q = e - 1; q >= p && q > e - 12; q--)
        if (*q == ';')
            break;
        else if (*q == '&') {
            cut = q;
            break;
        }
    if (cut > p && cut[-1] == '\r')
        cut--;
    char *q = cut;
    for (int i = 0; i < 3 && q > p && ((unsigned char)q[-1] & 0xC0) == 0x80; i++)
        q--;
    if (q > p && (unsigned char)q[-1] >= 0xC0) {
        unsigned char lead = (unsigned char)q[-1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if ((size_t)(cut - (q - 1)) < need)
            cut = q - 1;
    }
    return cut;
}

static int scan_text(sheet_xml *x, char *p, char *e)
{
    char *lt = memchr(p, '<', (size_t)(e - p));
    char *end = lt ? lt : e;
    if (!lt && !x->eof) {
        if ((size_t)(e - p) < x->cap / 2)
            return SCAN_MORE;
        end = scan_cut(p, e);
        if (end == p)
            return SCAN_MORE;
    }
    x->tok = x->base + (uint64_t)(p - x->buf);
    x->tok_len = (uint64_t)(end - p);
    if (x->state != IN_ROOT) {
        for (char *q = p; q < end; q++)
            if (!is_space((unsigned char)*q))
                return SCAN_BAD;
        x->pos = (size_t)(end - x->buf);
        return SCAN_DONE;
    }
    long n = scan_decode(p, end, false, true);
    if (n < 0)
        return SCAN_BAD;
    x->pos = (size_t)(end - x->buf);
    if (x->text && n > 0)
        x->text(x->user, p, (int)n);
    return SCAN_DONE;
}

static int push_name(sheet_xml *x, const char *name, size_t n)
{
    if (x->depth == x->open_cap) {
        size_t cap = x->open_cap ? x->open_cap * 2 : 16;
        size_t *o = rk_realloc(x->open, cap * sizeof(*o));
        if (!o)
            return RK_ENOMEM;
        x->open = o;
        x->open_cap = cap;
    }
    x->open[x->depth++] = x->names.len;
    if (rk_buf_append(&x->names, name, n) != RK_OK || rk_buf_putc(&x->names, '\0') != RK_OK)
        return RK_ENOMEM;
    return RK_OK;
}

static int scan_end_tag(sheet_xml *x, char *p, char *e)
{
    char *gt = memchr(p, '>', (size_t)(e - p));
    if (!gt)
        return SCAN_MORE;
    char *n0 = p + 2, *n1 = scan_name(n0, gt);
    if (!n1)
        return SCAN_BAD;
    for (char *q = n1; q < gt; q++)
        if (!is_space((unsigned char)*q))
            return SCAN_BAD;
    if (x->state != IN_ROOT || x->depth == 0)
        return SCAN_BAD;
    const char *top = x->names.data + x->open[x->depth - 1];
    size_t n = (size_t)(n1 - n0);
    if (x->names.len - x->open[x->depth - 1] - 1 != n || memcmp(top, n0, n) != 0)
        return SCAN_BAD;
    *n1 = '\0';
    x->names.len = x->open[--x->depth];
    if (x->depth == 0)
        x->state = AFTER_ROOT;
    x->tok = x->base + (uint64_t)(p - x->buf);
    x->tok_len = (uint64_t)(gt + 1 - p);
    x->pos = (size_t)(gt + 1 - x->buf);
    if (x->end)
        x->end(x->user, n0);
    return SCAN_DONE;
}

static int scan_start_tag(sheet_xml *x, char *p, char *e)
{
    char *q = p + 1, quote = 0;
    for (; q < e; q++) {
        char c = *q;
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            break;
        }
    }
    if (q == e)
        return SCAN_MORE;
    if (x->state == AFTER_ROOT)
        return SCAN_BAD;
    bool empty = q[-1] == '/' && q - 1 > p + 1;
    char *limit = empty ? q - 1 : q;
    char *n0 = p + 1, *s = scan_name(n0, limit);
    if (!s)
        return SCAN_BAD;
    char *n1 = s;
    size_t natts = 0;
    for (;;) {
        char *ws = s;
        while (s < limit && is_space((unsigned char)*s))
            s++;
        if (s == limit)
            break;
        char *a0 = s, *a1 = scan_name(s, limit);
        if (s == ws || !a1)
            return SCAN_BAD;
        s = a1;
        while (s < limit && is_space((unsigned char)*s))
            s++;
        if (s == limit || *s != '=')
            return SCAN_BAD;
        s++;
        while (s < limit && is_space((unsigned char)*s))
            s++;
        if (s == limit || (*s != '"' && *s != '\''))
            return SCAN_BAD;
        char *v0 = s + 1, *v1 = memchr(v0, *s, (size_t)(limit - v0));
        if (!v1)
            return SCAN_BAD;
        long vn = scan_decode(v0, v1, true, true);
        if (vn < 0)
            return SCAN_BAD;
        if (2 * natts + 3 > x->atts_cap) {
            size_t cap = x->atts_cap ? x->atts_cap * 2 : 16;
            const char **a = rk_realloc(x->atts, cap * sizeof(*a));
            if (!a)
                return scan_oom(x);
            x->atts = a;
            x->atts_cap = cap;
        }
        /* Names end at '=' or white space, values at their quote: both already read. */
        *a1 = '\0';
        v0[vn] = '\0';
        x->atts[2 * natts] = a0;
        x->atts[2 * natts + 1] = v0;
        natts++;
        s = v1 + 1;
    }
    if (!x->atts) {
        x->atts = rk_malloc(16 * sizeof(*x->atts));
        if (!x->atts)
            return scan_oom(x);
        x->atts_cap = 16;
    }
    x->atts[2 * natts] = NULL;
    for (size_t i = 0; i < natts; i++)
        for (size_t j = i + 1; j < natts; j++)
            if (strcmp(x->atts[2 * i], x->atts[2 * j]) == 0)
                return SCAN_BAD;
    size_t nn = (size_t)(n1 - n0);
    *n1 = '\0';
    if (push_name(x, n0, nn) != RK_OK)
        return scan_oom(x);
    x->state = IN_ROOT;
    x->tok = x->base + (uint64_t)(p - x->buf);
    x->tok_len = (uint64_t)(q + 1 - p);
    x->pos = (size_t)(q + 1 - x->buf);
    if (x->start)
        x->start(x->user, n0, x->atts);
    if (empty && x->rc == RK_OK) {
        x->names.len = x->open[--x->depth];
        if (x->depth == 0)
            x->state = AFTER_ROOT;
        if (x->end)
            x->end(x->user, n0);
    }
    return SCAN_DONE;
}

/* <?...?>, <!--...-->, <![CDATA[...]]>, <!DOCTYPE (for expat). */
static int scan_other(sheet_xml *x, char *p, char *e)
{
    size_t avail = (size_t)(e - p);
    if (p[1] == '?') {
        char *q = avail > 2 ? find(p + 2, avail - 2, "?>", 2) : NULL;
        if (!q)
            return SCAN_MORE;
        bool decl = avail >= 6 && memcmp(p + 2, "xml", 3) == 0 && is_space((unsigned char)p[5]);
        if (decl && x->base + (uint64_t)(p - x->buf) > 3)
            return SCAN_BAD;
        x->pos = (size_t)(q + 2 - x->buf);
        return SCAN_DONE;
    }
    if (avail < 9)
        return SCAN_MORE;
    if (memcmp(p, "<!--", 4) == 0) {
        char *q = find(p + 4, avail - 4, "--", 2);
        if (!q || q + 2 >= e)
            return SCAN_MORE;
        if (q[2] != '>')
            return SCAN_BAD;
        x->pos = (size_t)(q + 3 - x->buf);
        return SCAN_DONE;
    }
    if (memcmp(p, "<![CDATA[", 9) == 0) {
        char *q = find(p + 9, avail - 9, "]]>", 3);
        if (!q)
            return SCAN_MORE;
        if (x->state != IN_ROOT)
            return SCAN_BAD;
        long n = scan_decode(p + 9, q, false, false);
        if (n < 0)
            return SCAN_BAD;
        x->tok = x->base + (uint64_t)(p - x->buf);
        x->tok_len = (uint64_t)(q + 3 - p);
        x->pos = (size_t)(q + 3 - x->buf);
        if (x->text && n > 0)
            x->text(x->user, p + 9, (int)n);
        return SCAN_DONE;
    }
    if (memcmp(p, "<!DOCTYPE", 9) == 0 && x->state == BEFORE_ROOT)
        return SCAN_EXPAT;
    return SCAN_BAD;
}

static int scan_run(sheet_xml *x)
{
    for (;;) {
        if (x->rc != RK_OK)
            return x->rc;
        if (x->suspend) {
            x->suspend = false;
            return 1;
        }
        if (x->pos == x->len) {
            if (x->eof)
                return x->state == AFTER_ROOT ? 0 : scan_bad(x, "the document ends early");
            int rc = scan_fill(x);
            if (rc != RK_OK)
                return rc;
            continue;
        }
        char *p = x->buf + x->pos, *e = x->buf + x->len;
        int r;
        if (*p != '<')
            r = scan_text(x, p, e);
        else if (e - p < 2)
            r = SCAN_MORE;
        else if (p[1] == '/')
            r = scan_end_tag(x, p, e);
        else if (p[1] == '?' || p[1] == '!')
            r = scan_other(x, p, e);
        else
            r = scan_start_tag(x, p, e);
        if (r == SCAN_MORE) {
            if (x->eof)
                return scan_bad(x, "a token is cut short");
            int rc = scan_fill(x);
            if (rc != RK_OK)
                return rc;
        } else if (r == SCAN_BAD) {
            return scan_bad(x, "not well-formed");
        } else if (r == SCAN_EXPAT) {
            int rc = expat_begin(x, true);
            return rc != RK_OK ? rc : expat_run(x);
        }
    }
}

/* Reads `word` Eq quoted-value at *s (after white space); the value's bounds. */
static bool decl_pair(const char **s, const char *e, const char *word, const char **v, size_t *vn)
{
    const char *p = *s;
    if (p == e || !is_space((unsigned char)*p))
        return false;
    while (p < e && is_space((unsigned char)*p))
        p++;
    size_t n = strlen(word);
    if ((size_t)(e - p) < n || memcmp(p, word, n) != 0)
        return false;
    p += n;
    while (p < e && is_space((unsigned char)*p))
        p++;
    if (p == e || *p++ != '=')
        return false;
    while (p < e && is_space((unsigned char)*p))
        p++;
    if (p == e || (*p != '"' && *p != '\''))
        return false;
    const char *q = memchr(p + 1, *p, (size_t)(e - p - 1));
    if (!q)
        return false;
    *v = p + 1;
    *vn = (size_t)(q - p - 1);
    *s = q + 1;
    return true;
}

/* Whether the entry's first bytes are UTF-8 that the scanner reads: no byte order mark of
 * UTF-16, and no declaration, or a plain one that names no other encoding. Expat reads the
 * rest, and says what is wrong with a declaration. */
static bool scan_fits(sheet_xml *x)
{
    const char *p = x->buf;
    size_t n = x->len;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
        x->pos = 3;
    }
    if (n == 0 || *p != '<')
        return false;
    if (n < 6 || memcmp(p, "<?xml", 5) != 0 || !is_space((unsigned char)p[5]))
        return true;
    const char *e = find((char *)p, n < 400 ? n : 400, "?>", 2), *s = p + 5, *v;
    size_t vn;
    if (!e || !decl_pair(&s, e, "version", &v, &vn) || vn < 3 || memcmp(v, "1.", 2) != 0 ||
        strspn(v + 2, "0123456789") < vn - 2)
        return false;
    const char *t = s;
    if (decl_pair(&t, e, "encoding", &v, &vn)) {
        if (vn != 5 || strncasecmp(v, "UTF-8", 5) != 0)
            return false;
        s = t;
    }
    t = s;
    if (decl_pair(&t, e, "standalone", &v, &vn)) {
        if (!((vn == 3 && memcmp(v, "yes", 3) == 0) || (vn == 2 && memcmp(v, "no", 2) == 0)))
            return false;
        s = t;
    }
    while (s < e && is_space((unsigned char)*s))
        s++;
    return s == e;
}

/* ---- the entry ---- */

int sheet_xml_open(sheet_xml *x, ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                   XML_StartElementHandler start, XML_EndElementHandler end,
                   XML_CharacterDataHandler text)
{
    memset(x, 0, sizeof(*x));
    x->sh = sh;
    x->entry = entry;
    x->z = z;
    x->user = user;
    x->start = start;
    x->end = end;
    x->text = text;
    x->line = 1;
    rk_buf_init(&x->names);
    x->f = zip_fopen(z, entry, 0);
    if (!x->f)
        return sheet_fail(sh, RK_EINPUT, "the part '%s' cannot be read (%s); the file is damaged",
                          entry, zip_strerror(z));
    /* A small part (the workbook, its relationships, often the styles) needs no more than its
     * size; the buffer grows if the archive understated it. */
    size_t cap = SCAN_BUF;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, entry, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size < SCAN_BUF)
        cap = RK_MAX((size_t)st.size + 1, (size_t)SCAN_MIN);
    x->buf = rk_malloc(cap + 1);
    if (!x->buf) {
        sheet_xml_close(x);
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    }
    x->cap = cap;
    int rc = RK_OK;
    while (rc == RK_OK && x->len < 512 && !x->eof)
        rc = scan_fill(x);
    x->fast = rc == RK_OK && scan_fits(x);
    if (rc == RK_OK && !x->fast)
        rc = expat_begin(x, true);
    if (rc != RK_OK)
        sheet_xml_close(x);
    return rc;
}

void sheet_xml_extent(ingest_sheet *sh, zip_t *z, const char *entry)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, entry, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        sh->extent = st.size;
}

int sheet_xml_run(sheet_xml *x)
{
    return x->fast ? scan_run(x) : expat_run(x);
}

void sheet_xml_close(sheet_xml *x)
{
    if (x->p)
        XML_ParserFree(x->p);
    if (x->f)
        zip_fclose(x->f);
    rk_free(x->buf);
    rk_free(x->open);
    rk_free(x->atts);
    rk_buf_release(&x->names);
    x->p = NULL;
    x->f = NULL;
    x->buf = NULL;
    x->open = NULL;
    x->atts = NULL;
}

void sheet_xml_abort(sheet_xml *x, int rc)
{
    if (x->rc == RK_OK)
        x->rc = rc;
    if (x->fast)
        x->stop = true;
    else
        XML_StopParser(x->p, XML_FALSE);
}

void sheet_xml_suspend(sheet_xml *x)
{
    if (x->fast)
        x->suspend = true;
    else
        XML_StopParser(x->p, XML_TRUE);
}

uint64_t sheet_xml_byte_index(const sheet_xml *x)
{
    return x->fast ? x->tok : (uint64_t)XML_GetCurrentByteIndex(x->p);
}

uint64_t sheet_xml_byte_count(const sheet_xml *x)
{
    return x->fast ? x->tok_len : (uint64_t)XML_GetCurrentByteCount(x->p);
}

/* The current event's line. */
static unsigned long sheet_xml_line(const sheet_xml *x)
{
    if (!x->fast)
        return (unsigned long)XML_GetCurrentLineNumber(x->p);
    return x->line + (unsigned long)count_lines(x->buf, (size_t)(x->tok - x->base));
}

int sheet_xml_parse(ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    XML_CharacterDataHandler text, sheet_xml **ctl)
{
    sheet_xml x;
    int rc = sheet_xml_open(&x, sh, z, entry, user, start, end, text);
    if (rc == RK_OK) {
        *ctl = &x;
        while ((rc = sheet_xml_run(&x)) == 1)
            ;
        *ctl = NULL;
    }
    sheet_xml_close(&x);
    return rc;
}

int sheet_xml_text(sheet_xml *x, rk_buf *b, const char *s, int n)
{
    if (b->len + (size_t)n > x->sh->max_cell) {
        sheet_xml_abort(x, sheet_fail(x->sh, RK_EINPUT,
                                      "%s:%lu: a text longer than %zu bytes; shorten it or "
                                      "raise --max-field",
                                      x->entry, sheet_xml_line(x), x->sh->max_cell));
        return RK_EINPUT;
    }
    if (rk_buf_append(b, s, (size_t)n) != RK_OK) {
        sheet_xml_abort(x, rk_error_set(x->sh->ctx, RK_ENOMEM, "out of memory"));
        return RK_ENOMEM;
    }
    return RK_OK;
}
