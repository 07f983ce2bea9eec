/* The bytes of an input file, twice: a first pass that hashes them (SHA-256 for provenance),
 * counts them and checks that they are text in the declared encoding (UTF-8 by default, with
 * the line, column and byte of the first bad byte), and a reader for the CSV parser that
 * converts legacy encodings (Windows-1251, ISO-8859-1, ...) to UTF-8 through iconv. */
#include "source.h"

#include <iconv.h>
#include <sys/stat.h>

static bool source_is_utf8(const char *encoding)
{
    return !encoding || !*encoding || strcasecmp(encoding, "UTF-8") == 0 ||
           strcasecmp(encoding, "UTF8") == 0;
}

/* Incremental UTF-8 validation (RFC 3629 ranges), so that a character split across two
 * chunks is judged whole. */
typedef struct utf8_state {
    int need;              /* continuation bytes still expected */
    unsigned char lo, hi;  /* allowed range of the next continuation byte */
    uint64_t start_offset; /* offset of the character's first byte */
    long start_line, start_col;
} utf8_state;

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

int source_scan(rk_ctx *ctx, const char *path, const char *encoding, source_info *out)
{
    memset(out, 0, sizeof(*out));
    struct stat sb;
    if (stat(path, &sb) != 0)
        return rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO,
                            "%s: cannot open: %s; check the path", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return rk_error_set(ctx, RK_EINPUT, "%s: is a folder, not a file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_error_set(ctx, RK_EIO, "%s: cannot open: %s", path, strerror(errno));
    rk_sha256 h;
    int rc = rk_sha256_init(&h);
    if (rc != RK_OK) {
        fclose(f);
        return rk_error_set(ctx, rc, "cannot hash");
    }
    bool utf8 = source_is_utf8(encoding);
    utf8_state u = {0};
    long line = 1, col = 1;
    bool content = false, bom = false;
    unsigned char buf[1 << 16];
    size_t n;
    uint64_t off = 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        rk_sha256_update(&h, buf, n);
        if (off == 0 && looks_binary(buf, n)) {
            rc = rk_error_set_at(ctx, RK_EINPUT, path, 1, 1,
                                 "this looks like a binary file (a spreadsheet, an archive, an "
                                 "image?), not CSV text; export the list as CSV");
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++, off++) {
            /* Fast path: eight printable ASCII bytes (no control byte, no high bit) change
             * nothing but the column. */
            while (content && !u.need && i + 8 <= n) {
                uint64_t x;
                memcpy(&x, buf + i, 8);
                const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
                if (((x - ones * 0x20) & ~x & highs) || (x & highs))
                    break;
                i += 8;
                off += 8;
                col += 8;
            }
            if (i >= n)
                break;
            unsigned char c = buf[i];
            if (c == 0) {
                rc = rk_error_set_at(ctx, RK_EINPUT, path, line, col,
                                     "NUL byte at byte %llu: this looks like a binary file, not "
                                     "CSV text; export the list as CSV",
                                     (unsigned long long)off);
                goto cleanup;
            }
            if (off == 0)
                bom = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0;
            if (!(bom && off < 3) && c != ' ' && c != '\t' && c != '\r' && c != '\n')
                content = true;
            if (utf8) {
                if (u.need) {
                    if (c < u.lo || c > u.hi)
                        goto bad_utf8;
                    u.lo = 0x80;
                    u.hi = 0xbf;
                    u.need--;
                } else if (c >= 0x80) {
                    u.start_offset = off;
                    u.start_line = line;
                    u.start_col = col;
                    u.lo = 0x80;
                    u.hi = 0xbf;
                    if (c >= 0xc2 && c <= 0xdf)
                        u.need = 1;
                    else if (c >= 0xe0 && c <= 0xef) {
                        u.need = 2;
                        if (c == 0xe0)
                            u.lo = 0xa0;
                        if (c == 0xed)
                            u.hi = 0x9f;
                    } else if (c >= 0xf0 && c <= 0xf4) {
                        u.need = 3;
                        if (c == 0xf0)
                            u.lo = 0x90;
                        if (c == 0xf4)
                            u.hi = 0x8f;
                    } else {
                        goto bad_utf8;
                    }
                }
            }
            if (c == '\n') {
                line++;
                col = 1;
            } else if ((c & 0xc0) != 0x80 || !utf8) {
                col++;
            }
        }
    }
    if (ferror(f)) {
        rc = rk_error_set(ctx, RK_EIO, "%s: read error", path);
        goto cleanup;
    }
    if (utf8 && u.need) {
        off = u.start_offset;
        goto bad_utf8_at_start;
    }
    if (off == 0 || !content) {
        rc = rk_error_set_at(ctx, RK_EINPUT, path, 1, 1,
                             "the file is empty; export the list with a header row and its rows");
        goto cleanup;
    }
    out->bytes = off;
    rk_sha256_final_hex(&h, out->sha256);
    fclose(f);
    return RK_OK;
bad_utf8:
    u.start_offset = u.need ? u.start_offset : off;
    if (!u.need) {
        u.start_line = line;
        u.start_col = col;
    }
bad_utf8_at_start:
    rc = rk_error_set_at(ctx, RK_EINPUT, path, u.start_line, u.start_col,
                         "invalid UTF-8 at byte %llu; if the file is in another encoding, name "
                         "it with --encoding (e.g. --encoding WINDOWS-1251 or ISO-8859-1)",
                         (unsigned long long)u.start_offset);
cleanup:
    rk_sha256_release(&h);
    fclose(f);
    return rc;
}

struct source_reader {
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

int source_reader_open(source_reader **out, rk_ctx *ctx, const char *path, const char *encoding)
{
    *out = NULL;
    source_reader *r = rk_calloc(1, sizeof(*r));
    if (!r)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    r->ctx = ctx;
    r->cd = (iconv_t)-1;
    r->path = rk_strdup(path);
    r->f = fopen(path, "rb");
    if (!r->path || !r->f) {
        int rc = r->path ? rk_error_set(ctx, RK_EIO, "%s: cannot open: %s", path, strerror(errno))
                         : rk_error_set(ctx, RK_ENOMEM, "out of memory");
        source_reader_free(r);
        return rc;
    }
    if (!source_is_utf8(encoding)) {
        r->cd = iconv_open("UTF-8", encoding);
        if (r->cd == (iconv_t)-1) {
            source_reader_free(r);
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

void source_reader_free(source_reader *r)
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

long source_reader_read(void *src, char *buf, size_t n)
{
    source_reader *r = src;
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
