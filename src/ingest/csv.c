/* A streaming CSV reader (RFC 4180: quoted fields with embedded separators, doubled quotes
 * and newlines; CRLF, LF or CR line ends; a UTF-8 BOM), in bounded memory: one chunk of input
 * and one row at a time, with a cap on each field. It tracks line, column and byte offset so
 * that every error names its place. Written here rather than taken from a library because it is
 * the hot loop of import and must report positions exactly. */
#include "common.h"

#define CHUNK (1u << 16)

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

typedef struct field_info {
    size_t start; /* offset in the row buffer */
    size_t len;
    long line, column;
} field_info;

struct rk_csv {
    rk_ctx *ctx;
    char *name;
    rk_csv_read_fn read;
    void *src;
    rk_csv_options opts;
    char chunk[CHUNK];
    size_t chunk_len, chunk_pos;
    bool eof;
    uint64_t offset; /* bytes consumed */
    long line, column;
    bool last_was_cr;
    rk_buf row;
    field_info *fields;
    size_t nfields, fields_cap;
    long row_line;
    uint64_t row_offset, row_end;
    bool started;
};

static int refill(rk_csv *r)
{
    if (r->eof)
        return 0;
    long n = r->read(r->src, r->chunk, CHUNK);
    if (n < 0)
        return RK_EIO;
    r->chunk_len = (size_t)n;
    r->chunk_pos = 0;
    if (n == 0)
        r->eof = true;
    return n > 0 ? 1 : 0;
}

/* Peeks at the next byte: 1 with *c, 0 at the end, or an error. */
static inline int peek(rk_csv *r, unsigned char *c)
{
    if (r->chunk_pos >= r->chunk_len) {
        int rc = refill(r);
        if (rc <= 0)
            return rc;
    }
    *c = (unsigned char)r->chunk[r->chunk_pos];
    return 1;
}

static inline void advance(rk_csv *r, unsigned char c)
{
    r->chunk_pos++;
    r->offset++;
    if (c == '\n') {
        if (!r->last_was_cr)
            r->line++;
        r->column = 1;
        r->last_was_cr = false;
    } else if (c == '\r') {
        r->line++;
        r->column = 1;
        r->last_was_cr = true;
    } else {
        if ((c & 0xc0) != 0x80)
            r->column++;
        r->last_was_cr = false;
    }
}

static char detect_delimiter(const char *p, size_t n)
{
    size_t counts[3] = {0, 0, 0};
    const char cands[3] = {',', ';', '\t'};
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                if (c == cands[k])
                    counts[k]++;
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return cands[best];
}

int rk_csv_open(rk_csv **out, rk_ctx *ctx, const char *name, rk_csv_read_fn read, void *src,
                const rk_csv_options *opts)
{
    *out = NULL;
    rk_csv *r = rk_calloc(1, sizeof(*r));
    if (!r)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    r->ctx = ctx;
    r->name = rk_strdup(name ? name : "<input>");
    if (!r->name) {
        rk_free(r);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    r->read = read;
    r->src = src;
    rk_csv_options def = RK_CSV_OPTIONS_INIT;
    r->opts = opts ? *opts : def;
    if (r->opts.max_field == 0)
        r->opts.max_field = def.max_field;
    if (r->opts.max_fields == 0)
        r->opts.max_fields = def.max_fields;
    r->line = 1;
    r->column = 1;
    rk_buf_init(&r->row);
    int rc = refill(r);
    if (rc < 0) {
        rk_csv_free(r);
        return rc;
    }
    /* A UTF-8 byte order mark is not data. */
    if (r->chunk_len >= 3 && memcmp(r->chunk, "\xef\xbb\xbf", 3) == 0) {
        r->chunk_pos = 3;
        r->offset = 3;
    }
    if (r->opts.delimiter == 0)
        r->opts.delimiter = detect_delimiter(r->chunk + r->chunk_pos, r->chunk_len - r->chunk_pos);
    *out = r;
    return RK_OK;
}

void rk_csv_free(rk_csv *r)
{
    if (!r)
        return;
    rk_buf_release(&r->row);
    rk_free(r->fields);
    rk_free(r->name);
    rk_free(r);
}

static int begin_field(rk_csv *r)
{
    if (r->nfields >= r->opts.max_fields)
        return rk_error_set_at(r->ctx, RK_EINPUT, r->name, r->line, r->column,
                               "row has more than %zu fields; check the delimiter or raise the "
                               "limit",
                               r->opts.max_fields);
    if (rk_grow((void **)&r->fields, &r->fields_cap, r->nfields + 1, sizeof(field_info)) != RK_OK)
        return rk_error_set(r->ctx, RK_ENOMEM, "out of memory");
    field_info *f = &r->fields[r->nfields++];
    f->start = r->row.len;
    f->len = 0;
    f->line = r->line;
    f->column = r->column;
    return RK_OK;
}

static int end_field(rk_csv *r)
{
    field_info *f = &r->fields[r->nfields - 1];
    f->len = r->row.len - f->start;
    if (rk_buf_putc(&r->row, '\0') != RK_OK)
        return rk_error_set(r->ctx, RK_ENOMEM, "out of memory");
    return RK_OK;
}

static inline int put(rk_csv *r, unsigned char c)
{
    field_info *f = &r->fields[r->nfields - 1];
    if (r->row.len - f->start >= r->opts.max_field)
        return rk_error_set_at(r->ctx, RK_EINPUT, r->name, f->line, f->column,
                               "field is longer than %zu bytes; is a quote left open, or is "
                               "this not a CSV file? (raise the limit with --max-field)",
                               r->opts.max_field);
    if (r->row.len + 2 > r->row.cap && rk_buf_reserve(&r->row, 1) != RK_OK)
        return rk_error_set(r->ctx, RK_ENOMEM, "out of memory");
    r->row.data[r->row.len++] = (char)c;
    return RK_OK;
}

/* Appends n bytes of the current chunk that hold no line end (cols characters) to the field,
 * and moves past them; the caller advances chunk_pos. */
static int put_run(rk_csv *r, const unsigned char *p, size_t n, long cols)
{
    field_info *f = &r->fields[r->nfields - 1];
    if (r->row.len - f->start + n > r->opts.max_field)
        return rk_error_set_at(r->ctx, RK_EINPUT, r->name, f->line, f->column,
                               "field is longer than %zu bytes; is a quote left open, or is "
                               "this not a CSV file? (raise the limit with --max-field)",
                               r->opts.max_field);
    if (rk_buf_reserve(&r->row, n + 1) != RK_OK)
        return rk_error_set(r->ctx, RK_ENOMEM, "out of memory");
    memcpy(r->row.data + r->row.len, p, n);
    r->row.len += n;
    r->offset += n;
    r->column += cols;
    r->last_was_cr = false;
    return RK_OK;
}

/* Copies the chunk's bytes from the current position up to `stop` or a line end (or the
 * chunk's end) into the field at once, counting the columns they take. */
static int copy_run(rk_csv *r, unsigned char stop)
{
    const unsigned char *p = (const unsigned char *)r->chunk;
    size_t i = r->chunk_pos, end = r->chunk_len;
    long cols = 0;
    while (i < end && p[i] != stop && p[i] != '\n' && p[i] != '\r') {
        cols += (p[i] & 0xc0) != 0x80;
        i++;
    }
    int rc = put_run(r, p + r->chunk_pos, i - r->chunk_pos, cols);
    if (rc == RK_OK)
        r->chunk_pos = i;
    return rc;
}

int rk_csv_next(rk_csv *r)
{
    unsigned char c;
    int rc;
    const unsigned char delim = (unsigned char)r->opts.delimiter;
    rk_buf_clear(&r->row);
    r->nfields = 0;
    /* Skip blank lines between rows. */
    for (;;) {
        rc = peek(r, &c);
        if (rc < 0)
            return rk_error_set_at(r->ctx, RK_EIO, r->name, r->line, r->column, "read error");
        if (rc == 0)
            return 0;
        if (c != '\n' && c != '\r')
            break;
        advance(r, c);
    }
    r->row_line = r->line;
    r->row_offset = r->offset;
    enum state st = FIELD_START;
    long quote_line = 0, quote_col = 0;
    if ((rc = begin_field(r)) != RK_OK)
        return rc;
    for (;;) {
        rc = peek(r, &c);
        if (rc < 0)
            return rk_error_set_at(r->ctx, RK_EIO, r->name, r->line, r->column, "read error");
        if (rc == 0) {
            if (st == QUOTED)
                return rk_error_set_at(r->ctx, RK_EINPUT, r->name, quote_line, quote_col,
                                       "quote opened here is never closed; close it or double "
                                       "the quotes inside the field (\"\")");
            break;
        }
        switch (st) {
        case FIELD_START:
            if (c == '"') {
                quote_line = r->line;
                quote_col = r->column;
                st = QUOTED;
                advance(r, c);
                continue;
            }
            st = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            if (c != delim && c != '\n' && c != '\r') {
                /* Fast path: the rest of an unquoted field within this chunk, in one copy. */
                if ((rc = copy_run(r, (unsigned char)delim)) != RK_OK)
                    return rc;
                continue;
            }
            break; /* at a delimiter or the line end */
        case QUOTED:
            if (c != '"' && c != '\n' && c != '\r') {
                /* Fast path: the quoted text up to the next quote or line end, in one copy. */
                if ((rc = copy_run(r, '"')) != RK_OK)
                    return rc;
                continue;
            }
            advance(r, c);
            if (c == '"') {
                st = QUOTE_IN_QUOTED;
                continue;
            }
            if ((rc = put(r, c)) != RK_OK)
                return rc;
            continue;
        case QUOTE_IN_QUOTED:
            if (c == '"') {
                advance(r, c);
                if ((rc = put(r, c)) != RK_OK)
                    return rc;
                st = QUOTED;
                continue;
            }
            if (c != delim && c != '\n' && c != '\r')
                return rk_error_set_at(r->ctx, RK_EINPUT, r->name, r->line, r->column,
                                       "unexpected '%c' after a closing quote; a quote inside a "
                                       "quoted field must be doubled (\"\")",
                                       c >= 0x20 && c < 0x7f ? c : '?');
            break;
        }
        /* Here an unquoted or closed quoted field ends: at a delimiter the next one begins. */
        if (c != delim)
            goto end_row;
        advance(r, c);
        if ((rc = end_field(r)) != RK_OK || (rc = begin_field(r)) != RK_OK)
            return rc;
        st = FIELD_START;
    }
end_row:
    if ((rc = end_field(r)) != RK_OK)
        return rc;
    r->row_end = r->offset;
    /* Consume the line end (CRLF as one). */
    if (peek(r, &c) == 1 && (c == '\r' || c == '\n')) {
        advance(r, c);
        if (c == '\r' && peek(r, &c) == 1 && c == '\n')
            advance(r, c);
    }
    r->started = true;
    return 1;
}

size_t rk_csv_nfields(const rk_csv *r)
{
    return r->nfields;
}

const char *rk_csv_field(const rk_csv *r, size_t i, size_t *len)
{
    if (i >= r->nfields) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = r->fields[i].len;
    return r->row.data + r->fields[i].start;
}

void rk_csv_field_pos(const rk_csv *r, size_t i, long *line, long *column)
{
    if (i >= r->nfields) {
        *line = r->line;
        *column = r->column;
        return;
    }
    *line = r->fields[i].line;
    *column = r->fields[i].column;
}

long rk_csv_row_line(const rk_csv *r)
{
    return r->row_line;
}

uint64_t rk_csv_row_offset(const rk_csv *r)
{
    return r->row_offset;
}

uint64_t rk_csv_row_length(const rk_csv *r)
{
    return r->row_end - r->row_offset;
}
