/* The bytes of an input file, twice: a first pass that hashes them (SHA-256 for provenance),
 * counts them and checks that they are text in the declared encoding (UTF-8 by default, with
 * the line, column and byte of the first bad byte, and the encoding ICU's charset detector
 * says the file looks like), and a reader for the CSV parser that converts other encodings
 * (UTF-16 with a byte order mark, Windows-1251, ISO-8859-1, ...) to UTF-8 through iconv. */
#include "source.h"

#include <iconv.h>
#include <sys/stat.h>
#include <unicode/ucsdet.h>

static bool source_is_utf8(const char *encoding)
{
    return !encoding || !*encoding || strcasecmp(encoding, "UTF-8") == 0 ||
           strcasecmp(encoding, "UTF8") == 0;
}

static bool source_is_utf16(const char *encoding)
{
    return encoding &&
           (strcasecmp(encoding, "UTF-16") == 0 || strcasecmp(encoding, "UTF16") == 0 ||
            strcasecmp(encoding, "UTF-16LE") == 0 || strcasecmp(encoding, "UTF-16BE") == 0);
}

/* Whether the bytes start with a UTF-16 byte order mark (not UTF-32's, FF FE 00 00). */
static bool has_utf16_bom(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return true;
    return n >= 2 && p[0] == 0xFF && p[1] == 0xFE && !(n >= 4 && p[2] == 0 && p[3] == 0);
}

/* UTF-16 without a mark, from where the NUL bytes of its ASCII characters (the digits,
 * delimiters and line ends of any list) fall: "UTF-16LE" when a third of the odd bytes or
 * more are NUL and at most one even byte in twenty, "UTF-16BE" for the reverse, else NULL. */
static const char *utf16_order(const unsigned char *p, size_t n)
{
    size_t m = n < 8192 ? n & ~(size_t)1 : 8192, even = 0, odd = 0;
    for (size_t i = 0; i < m; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    size_t units = m / 2;
    if (units < 2)
        return NULL;
    if (odd * 3 >= units && even * 20 <= units)
        return "UTF-16LE";
    if (even * 3 >= units && odd * 20 <= units)
        return "UTF-16BE";
    return NULL;
}

/* The encoding iconv reads the file in, from the declared one and the file's first bytes
 * (head, n): "UTF-16" (iconv takes the order from the mark) for a file with a UTF-16 byte
 * order mark when none or UTF-16 is declared; for UTF-16 declared without a mark, the byte
 * order its NUL bytes show (big-endian when they show none); NULL for UTF-8. */
static const char *source_encoding(const char *declared, const unsigned char *head, size_t n)
{
    bool bom = has_utf16_bom(head, n);
    if (bom && (source_is_utf8(declared) || source_is_utf16(declared)))
        return "UTF-16";
    if (declared && (strcasecmp(declared, "UTF-16") == 0 || strcasecmp(declared, "UTF16") == 0)) {
        const char *order = utf16_order(head, n);
        return order ? order : "UTF-16BE";
    }
    return source_is_utf8(declared) ? NULL : declared;
}

/* Text has no NUL bytes and few control characters in its first kilobytes. */
static bool looks_binary(const unsigned char *p, size_t n)
{
    size_t m = n < 8192 ? n : 8192, ctl = 0;
    for (size_t i = 0; i < m; i++) {
        if (p[i] == 0)
            return true;
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f')
            ctl++;
    }
    return m >= 16 && ctl * 20 > m;
}

/* What stops a scan; scan_report turns it into the message. */
typedef enum scan_stop {
    SCAN_GOING,
    SCAN_BINARY,
    SCAN_NUL,
    SCAN_BAD_UTF8,
    SCAN_EMPTY,
    SCAN_UTF16 /* UTF-16 without a byte order mark, and no encoding declared */
} scan_stop;

/* A scan in progress: where the next byte is, what has been seen, and where it stopped. */
typedef struct scan {
    bool utf8;    /* validate as UTF-8; in other encodings every byte but NUL is text */
    bool wide;    /* UTF-16: NUL bytes are text, iconv checks the characters when reading */
    bool bom;     /* the file starts with a UTF-8 byte order mark */
    bool content; /* some byte is neither blank nor the mark */
    uint64_t off; /* offset of the next byte */
    long line, col;
    scan_stop stop;
    uint64_t stop_off; /* where it stopped */
    long stop_line, stop_col;
    unsigned char stop_byte;   /* SCAN_BAD_UTF8: the first byte of the bad character */
    const char *stop_encoding; /* SCAN_UTF16: its byte order */
} scan;

static size_t scan_stop_at(scan *s, scan_stop why, uint64_t off, long line, long col)
{
    s->stop = why;
    s->stop_off = off;
    s->stop_line = line;
    s->stop_col = col;
    return 0;
}

/* Phase 1: the path names a readable file. */
static int scan_open(rk_ctx *ctx, const char *path, FILE **out)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO,
                            "%s: cannot open: %s; check the path", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return rk_error_set(ctx, RK_EINPUT, "%s: is a folder, not a file", path);
    *out = fopen(path, "rb");
    if (!*out)
        return rk_error_set(ctx, RK_EIO, "%s: cannot open: %s", path, strerror(errno));
    return RK_OK;
}

/* Printable ASCII bytes at p (n available) that the scan can pass eight at a time: they
 * change nothing but the column (once content is seen, blanks change nothing either). */
static size_t scan_ascii_run(scan *s, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (s->content && i + 8 <= n) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        if (((x - ones * 0x20) & ~x & highs) || (x & highs))
            break;
        i += 8;
    }
    s->off += i;
    s->col += (long)i;
    return i;
}

/* The first byte of the character at p (n available, not decodable) that no valid character
 * could have there, or n when the bytes so far begin one (it continues past them). */
static size_t first_bad_byte(const unsigned char *p, size_t n)
{
    unsigned lo, hi;
    int need = rk_core__utf8_lead(p[0], &lo, &hi);
    if (need < 0)
        return 0;
    for (size_t k = 1; k <= (size_t)need && k < n; k++, lo = 0x80, hi = 0xBF)
        if (p[k] < lo || p[k] > hi)
            return k;
    return n;
}

/* Phase 2: the characters of p[0..n). Returns the bytes consumed: all of them, or fewer when
 * the last character continues in the next chunk (never at `eof`), or when the scan stops (a
 * NUL byte, or invalid UTF-8: placed at its character's first byte, as an editor shows it). */
static size_t scan_chars(scan *s, const unsigned char *p, size_t n, bool eof)
{
    size_t i = 0;
    while (i < n) {
        i += scan_ascii_run(s, p + i, n - i);
        if (i >= n)
            break;
        unsigned char c = p[i];
        if (c == 0)
            return scan_stop_at(s, SCAN_NUL, s->off, s->line, s->col);
        if (s->off == 0)
            s->bom = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0;
        if (!(s->bom && s->off < 3) && c != ' ' && c != '\t' && c != '\r' && c != '\n')
            s->content = true;
        size_t len = 1;
        uint32_t cp;
        if (s->utf8 && c >= 0x80 && (len = rk_core__utf8_decode(p + i, n - i, &cp)) == 0) {
            size_t bad = first_bad_byte(p + i, n - i);
            if (bad == n - i && !eof)
                return i;
            if (bad < n - i && p[i + bad] == 0) /* a NUL byte stops the scan where it is */
                return scan_stop_at(s, SCAN_NUL, s->off + bad, s->line, s->col + 1);
            s->stop_byte = c;
            return scan_stop_at(s, SCAN_BAD_UTF8, s->off, s->line, s->col);
        }
        if (c == '\n') {
            s->line++;
            s->col = 1;
        } else {
            s->col++;
        }
        s->off += len;
        i += len;
    }
    return i;
}

/* UTF-16 bytes: the scan counts them and notes content (a byte neither NUL nor blank past
 * the byte order mark); iconv checks the characters as the reader converts them. */
static size_t scan_wide(scan *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && !s->content; i++)
        if (s->off + i >= 2 && p[i] != 0 && p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
            p[i] != '\n')
            s->content = true;
    s->off += n;
    return n;
}

/* The encodings ICU's charset detector names, as iconv names them (the rest are the same). */
static const struct {
    const char *icu, *iconv;
} icu_names[] = {
    {"ISO-8859-8-I", "ISO-8859-8"}, {"IBM424_rtl", "IBM424"}, {"IBM424_ltr", "IBM424"},
    {"IBM420_rtl", "IBM420"},       {"IBM420_ltr", "IBM420"},
};

static const char *iconv_name(const char *icu)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(icu_names); i++)
        if (strcmp(icu, icu_names[i].icu) == 0)
            return icu_names[i].iconv;
    return icu;
}

static bool iconv_knows(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

/* A sample for the detector: the lines of the file's first 4 MiB that hold bytes past ASCII
 * (what tells encodings apart), up to 64 KiB of them. */
static size_t detect_sample(FILE *f, unsigned char *out, size_t cap)
{
    enum { CHUNK = 1 << 16, SCAN_MAX = 1 << 22 };
    unsigned char buf[CHUNK];
    size_t n = 0, seen = 0, got;
    if (fseek(f, 0, SEEK_SET) != 0)
        return 0;
    while (n < cap && seen < SCAN_MAX && (got = fread(buf, 1, CHUNK, f)) > 0) {
        seen += got;
        for (size_t i = 0; i < got && n < cap;) {
            size_t e = i;
            bool wide = false;
            while (e < got && buf[e] != '\n')
                wide |= buf[e++] >= 0x80;
            if (e < got)
                e++;
            if (wide) {
                size_t k = RK_MIN(e - i, cap - n);
                memcpy(out + n, buf + i, k);
                n += k;
            }
            i = e;
        }
    }
    return n;
}

/* What the file looks like to ICU's charset detector: the likeliest encoding iconv knows
 * (its name in first, confidence in *c1) and a second one within 10 points (second, *c2),
 * "" when none. */
static void detect_encoding(FILE *f, char first[32], int *c1, char second[32], int *c2)
{
    first[0] = second[0] = '\0';
    *c1 = *c2 = 0;
    enum { SAMPLE = 1 << 16 };
    unsigned char *sample = rk_malloc(SAMPLE);
    if (!sample)
        return;
    size_t n = detect_sample(f, sample, SAMPLE);
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *d = n ? ucsdet_open(&st) : NULL;
    int32_t nm = 0;
    const UCharsetMatch **m = NULL;
    if (d && U_SUCCESS(st))
        ucsdet_setText(d, (const char *)sample, (int32_t)n, &st);
    if (d && U_SUCCESS(st))
        m = ucsdet_detectAll(d, &nm, &st);
    for (int32_t i = 0; m && U_SUCCESS(st) && i < nm && !second[0]; i++) {
        const char *icu = ucsdet_getName(m[i], &st);
        int conf = ucsdet_getConfidence(m[i], &st);
        if (U_FAILURE(st) || !icu || strcasecmp(icu, "UTF-8") == 0 || conf <= 0)
            continue;
        const char *name = iconv_name(icu);
        if (!iconv_knows(name) || strcasecmp(name, first) == 0)
            continue;
        if (!first[0]) {
            snprintf(first, 32, "%s", name);
            *c1 = conf;
        } else if (conf + 10 >= *c1) {
            snprintf(second, 32, "%s", name);
            *c2 = conf;
        } else {
            break;
        }
    }
    if (d)
        ucsdet_close(d);
    rk_free(sample);
}

/* The refusal of a file that is not UTF-8, with what it looks like. */
static int report_not_utf8(rk_ctx *ctx, const char *path, const scan *s, FILE *f)
{
    char first[32], second[32], also[80] = "";
    int c1, c2;
    detect_encoding(f, first, &c1, second, &c2);
    if (!first[0])
        return rk_error_set_at(ctx, RK_EINPUT, path, s->stop_line, s->stop_col,
                               "not UTF-8 (byte 0x%02X at byte %llu); if the file is in another "
                               "encoding, name it with --encoding (e.g. --encoding WINDOWS-1251 "
                               "or ISO-8859-1)",
                               s->stop_byte, (unsigned long long)s->stop_off);
    if (second[0])
        snprintf(also, sizeof(also), ", or %s (confidence %d%%)", second, c2);
    return rk_error_set_at(ctx, RK_EINPUT, path, s->stop_line, s->stop_col,
                           "not UTF-8 (byte 0x%02X at byte %llu); it looks like %s (confidence "
                           "%d%%)%s: import again with --encoding %s",
                           s->stop_byte, (unsigned long long)s->stop_off, first, c1, also, first);
}

/* Phase 3: the message of what stopped the scan, at its place. */
static int scan_report(rk_ctx *ctx, const char *path, const scan *s, FILE *f)
{
    switch (s->stop) {
    case SCAN_UTF16:
        return rk_error_set_at(ctx, RK_EINPUT, path, 1, 1,
                               "this looks like %s text without a byte order mark; import "
                               "again with --encoding UTF-16",
                               s->stop_encoding);
    case SCAN_BINARY:
        return rk_error_set_at(ctx, RK_EINPUT, path, 1, 1,
                               "this looks like a binary file (a spreadsheet, an archive, an "
                               "image?), not CSV text; export the list as CSV");
    case SCAN_NUL:
        return rk_error_set_at(ctx, RK_EINPUT, path, s->stop_line, s->stop_col,
                               "NUL byte at byte %llu: this looks like a binary file, not CSV "
                               "text; export the list as CSV",
                               (unsigned long long)s->stop_off);
    case SCAN_BAD_UTF8:
        return report_not_utf8(ctx, path, s, f);
    case SCAN_EMPTY:
        return rk_error_set_at(ctx, RK_EINPUT, path, 1, 1,
                               "the file is empty; export the list with a header row and its rows");
    case SCAN_GOING:
        break;
    }
    return RK_OK;
}

int ingest_source_scan(rk_ctx *ctx, const char *path, const char *encoding, ingest_source_info *out)
{
    memset(out, 0, sizeof(*out));
    FILE *f = NULL;
    int rc = scan_open(ctx, path, &f);
    if (rc != RK_OK)
        return rc;
    rk_sha256 h;
    rc = rk_sha256_init(&h);
    if (rc != RK_OK) {
        fclose(f);
        return rk_error_set(ctx, rc, "cannot hash");
    }
    scan s = {.utf8 = source_is_utf8(encoding), .line = 1, .col = 1};
    bool declared = encoding && *encoding;
    /* Chunks of 64 KiB, after the start of a character the previous chunk ended inside. */
    enum { CHUNK = 1 << 16, CARRY_MAX = 3 };
    unsigned char buf[CARRY_MAX + CHUNK];
    size_t carry = 0, got;
    sheet_magic sheet = SHEET_NONE;
    while (s.stop == SCAN_GOING && (got = fread(buf + carry, 1, CHUNK, f)) > 0) {
        rk_sha256_update(&h, buf + carry, got);
        if (s.off == 0 && carry == 0 && sheet == SHEET_NONE)
            sheet = ingest_sheet_magic(buf, got);
        if (sheet != SHEET_NONE) { /* a spreadsheet: hashed and counted, never scanned as text */
            s.off += got;
            continue;
        }
        if (s.off == 0 && carry == 0) {
            const char *enc = source_encoding(encoding, buf, got);
            s.wide = source_is_utf16(enc);
            s.utf8 = s.utf8 && !s.wide;
        }
        if (s.wide) {
            scan_wide(&s, buf, got);
        } else if (s.off == 0 && carry == 0 && looks_binary(buf, got)) {
            s.stop_encoding = declared ? NULL : utf16_order(buf, got);
            scan_stop_at(&s, s.stop_encoding ? SCAN_UTF16 : SCAN_BINARY, 0, 1, 1);
        } else {
            size_t n = carry + got, used = scan_chars(&s, buf, n, false);
            carry = n - used;
            memmove(buf, buf + used, carry);
        }
    }
    if (s.stop == SCAN_GOING && ferror(f)) {
        rc = rk_error_set(ctx, RK_EIO, "%s: read error", path);
        goto cleanup;
    }
    if (s.stop == SCAN_GOING && carry > 0) /* the file ends inside a character */
        scan_chars(&s, buf, carry, true);
    if (s.stop == SCAN_GOING && sheet == SHEET_NONE && (s.off == 0 || !s.content))
        scan_stop_at(&s, SCAN_EMPTY, 0, 1, 1);
    if (s.stop != SCAN_GOING) {
        rc = scan_report(ctx, path, &s, f);
        goto cleanup;
    }
    out->bytes = s.off;
    out->sheet = sheet;
    rk_sha256_final_hex(&h, out->sha256);
cleanup:
    rk_sha256_release(&h);
    fclose(f);
    return rc;
}

struct ingest_source_reader {
    rk_ctx *ctx;
    FILE *f;
    iconv_t cd;
    bool convert;
    char *path;
    char in[1 << 15];
    size_t in_len;
    uint64_t in_offset; /* bytes of the file consumed by iconv */
    bool eof;
};

int ingest_source_reader_open(ingest_source_reader **out, rk_ctx *ctx, const char *path,
                              const char *encoding)
{
    *out = NULL;
    ingest_source_reader *r = rk_calloc(1, sizeof(*r));
    if (!r)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    r->ctx = ctx;
    r->cd = (iconv_t)-1;
    r->path = rk_strdup(path);
    r->f = fopen(path, "rb");
    if (!r->path || !r->f) {
        int rc = r->path ? rk_error_set(ctx, RK_EIO, "%s: cannot open: %s", path, strerror(errno))
                         : rk_error_set(ctx, RK_ENOMEM, "out of memory");
        ingest_source_reader_free(r);
        return rc;
    }
    unsigned char head[8192];
    size_t nhead = fread(head, 1, sizeof(head), r->f);
    const char *enc = source_encoding(encoding, head, nhead);
    if (fseek(r->f, 0, SEEK_SET) != 0) {
        ingest_source_reader_free(r);
        return rk_error_set(ctx, RK_EIO, "%s: cannot read: %s", path, strerror(errno));
    }
    if (enc) {
        r->cd = iconv_open("UTF-8", enc);
        if (r->cd == (iconv_t)-1) {
            ingest_source_reader_free(r);
            return rk_error_set(ctx, RK_EINPUT,
                                "encoding '%s' is not known; use a name from 'iconv --list', "
                                "e.g. WINDOWS-1251, ISO-8859-1, CP1256",
                                encoding);
        }
        r->convert = true;
    }
    *out = r;
    return RK_OK;
}

void ingest_source_reader_free(ingest_source_reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    rk_free(r->path);
    rk_free(r);
}

long ingest_source_reader_read(void *src, char *buf, size_t n)
{
    ingest_source_reader *r = src;
    if (!r->convert) {
        size_t got = fread(buf, 1, n, r->f);
        if (got == 0 && ferror(r->f)) {
            rk_error_set(r->ctx, RK_EIO, "%s: read error", r->path);
            return -1;
        }
        return (long)got;
    }
    for (;;) {
        if (!r->eof && r->in_len < sizeof(r->in)) {
            size_t got = fread(r->in + r->in_len, 1, sizeof(r->in) - r->in_len, r->f);
            if (got == 0) {
                if (ferror(r->f)) {
                    rk_error_set(r->ctx, RK_EIO, "%s: read error", r->path);
                    return -1;
                }
                r->eof = true;
            }
            r->in_len += got;
        }
        if (r->in_len == 0)
            return 0;
        char *inp = r->in, *outp = buf;
        size_t inleft = r->in_len, outleft = n;
        size_t res = iconv(r->cd, &inp, &inleft, &outp, &outleft);
        size_t used = r->in_len - inleft;
        if (res == (size_t)-1 && errno == EILSEQ) {
            rk_error_set(r->ctx, RK_EINPUT,
                         "%s: byte %llu cannot be read as the declared encoding; check "
                         "--encoding",
                         r->path, (unsigned long long)(r->in_offset + used));
            return -1;
        }
        if (res == (size_t)-1 && errno == EINVAL && r->eof && used == 0) {
            rk_error_set(r->ctx, RK_EINPUT, "%s: the file ends inside a character", r->path);
            return -1;
        }
        memmove(r->in, r->in + used, inleft);
        r->in_len = inleft;
        r->in_offset += used;
        if (outp > buf)
            return (long)(outp - buf);
        if (r->eof && used == 0)
            return 0;
    }
}
