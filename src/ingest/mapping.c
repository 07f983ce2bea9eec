/* Column mappings: which column of a list's file plays which role, how its dates are written,
 * its encoding, delimiter and name order. Set from a mapping file (parsed here; format in
 * docs/mapping.md) or from command-line flags, which override the file. */
#include "import_private.h"

#include <ctype.h>
#include <stdarg.h>
#include <sys/stat.h>

static const char *const role_names[RK_FIELD_COUNT] = {
    [RK_FIELD_ID] = "id",
    [RK_FIELD_FULL_NAME] = "full_name",
    [RK_FIELD_GIVEN_NAME] = "given_name",
    [RK_FIELD_FAMILY_NAME] = "family_name",
    [RK_FIELD_SECOND_FAMILY_NAME] = "second_family_name",
    [RK_FIELD_PATRONYMIC] = "patronymic",
    [RK_FIELD_FATHER_NAME] = "father_name",
    [RK_FIELD_MOTHER_NAME] = "mother_name",
    [RK_FIELD_SEX] = "sex",
    [RK_FIELD_BIRTH_DATE] = "birth_date",
    [RK_FIELD_BIRTH_YEAR] = "birth_year",
    [RK_FIELD_AGE] = "age",
    [RK_FIELD_DEATH_DATE] = "death_date",
    [RK_FIELD_PLACE] = "place",
    [RK_FIELD_REGION] = "region",
    [RK_FIELD_VIOLATION] = "violation",
};
_Static_assert(sizeof(role_names) / sizeof(role_names[0]) == RK_FIELD_COUNT, "a role lacks a name");

#define MAX_MAPPING_FILE (16u << 20)
#define MAX_LISTS        1024

const char *rk_role_name(rk_role role)
{
    return (unsigned)role < RK_FIELD_COUNT ? role_names[role] : NULL;
}

int rk_role_parse(rk_role *out, const char *name)
{
    for (int i = 0; i < RK_FIELD_COUNT; i++)
        if (strcmp(role_names[i], name) == 0) {
            *out = (rk_role)i;
            return RK_OK;
        }
    return RK_EINPUT;
}

void rk_mapping_init(rk_mapping *m)
{
    memset(m, 0, sizeof(*m));
}

void rk_mapping_release(rk_mapping *m)
{
    if (!m)
        return;
    rk_free(m->list);
    rk_free(m->file);
    rk_free(m->description);
    rk_free(m->language);
    rk_free(m->encoding);
    rk_free(m->sheet);
    for (int i = 0; i < RK_FIELD_COUNT; i++) {
        rk_free(m->column[i]);
        rk_free(m->date_format[i]);
    }
    for (size_t i = 0; i < m->nextras; i++) {
        rk_free(m->extra_name[i]);
        rk_free(m->extra_column[i]);
    }
    rk_mapping_init(m);
}

static int replace_str(char **slot, const char *value)
{
    char *d = rk_strdup(value);
    if (!d)
        return RK_ENOMEM;
    rk_free(*slot);
    *slot = d;
    return RK_OK;
}

/* Where a key of a mapping comes from, for its errors: a line of a file, or a flag. */
typedef struct put_at {
    rk_ctx *ctx;
    const char *file; /* NULL for a flag */
    long line;
} put_at;

static int bad(const put_at *at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(const put_at *at, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (at->file)
        return rk_error_set_at(at->ctx, RK_EINPUT, at->file, at->line, 1, "%s", msg);
    return rk_error_set(at->ctx, RK_EINPUT, "%s", msg);
}

static int put_str(const put_at *at, char **slot, const char *value)
{
    return replace_str(slot, value) == RK_OK ? RK_OK
                                             : rk_error_set(at->ctx, RK_ENOMEM, "out of memory");
}

/* Appends `word` to the list of names in buf (cap bytes), after `sep` unless it is the first:
 * the valid names an error lists. */
static void list_add(char *buf, size_t cap, const char *sep, const char *word)
{
    size_t n = strlen(buf);
    if (n + 1 < cap)
        snprintf(buf + n, cap - n, "%s%s", n ? sep : "", word);
}

static bool valid_extra_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* column.field:NAME: an extra field, kept under NAME. */
static int put_extra(rk_mapping *m, const put_at *at, const char *name, const char *value)
{
    if (!valid_extra_name(name))
        return bad(at, "extra field name '%s' must be letters, digits, '_' or '-'", name);
    for (size_t i = 0; i < m->nextras; i++)
        if (strcmp(m->extra_name[i], name) == 0)
            return put_str(at, &m->extra_column[i], value);
    if (m->nextras >= RK_MAX_EXTRAS)
        return bad(at, "more than 64 extra fields (at '%s')", name);
    m->extra_name[m->nextras] = rk_strdup(name);
    m->extra_column[m->nextras] = rk_strdup(value);
    m->nextras++;
    if (!m->extra_name[m->nextras - 1] || !m->extra_column[m->nextras - 1])
        return rk_error_set(at->ctx, RK_ENOMEM, "out of memory");
    return RK_OK;
}

/* column.ROLE: the header of the column that plays ROLE. */
static int put_column(rk_mapping *m, const put_at *at, const char *role, const char *value)
{
    if (!*value)
        return bad(at, "column for '%s' is empty; name the header of the column", role);
    if (strncmp(role, "field:", 6) == 0)
        return put_extra(m, at, role + 6, value);
    rk_role r;
    if (rk_role_parse(&r, role) != RK_OK) {
        char roles[400] = "";
        for (int i = 0; i < RK_FIELD_COUNT; i++)
            list_add(roles, sizeof(roles), ", ", role_names[i]);
        return bad(at, "unknown role '%s'; roles are %s and field:NAME", role, roles);
    }
    return put_str(at, &m->column[r], value);
}

/* date_format.ROLE: how the dates of a date role are written, or "auto". */
static int put_date_format(rk_mapping *m, const put_at *at, const char *role, const char *value)
{
    rk_role r;
    if (rk_role_parse(&r, role) != RK_OK || (r != RK_FIELD_BIRTH_DATE && r != RK_FIELD_DEATH_DATE))
        return bad(at, "a date format applies to birth_date or death_date, not '%s'", role);
    rk_date_format f;
    char why[512];
    if (strcmp(value, "auto") != 0 && rk_date_format_compile(&f, value, 0, why, sizeof(why)))
        return bad(at, "%s; or say auto to decide the day/month order from the column", why);
    return put_str(at, &m->date_format[r], value);
}

/* century_pivot: the first year of the century window two-digit years are read in. */
static int put_century_pivot(rk_mapping *m, const put_at *at, const char *arg, const char *value)
{
    (void)arg;
    int64_t y;
    if (rk_parse_i64(&y, value) != RK_OK || y < 1000 || y > 2100)
        return bad(at,
                   "century pivot '%s' is not a year from 1000 to 2100; e.g. 1900 reads '92' as "
                   "1992 and '05' as 1905",
                   value);
    m->century_pivot = (int)y;
    return RK_OK;
}

static const struct {
    const char *name;
    rk_name_order order;
} name_orders[] = {
    {"family-first", RK_ORDER_FAMILY_FIRST},
    {"given-first", RK_ORDER_GIVEN_FIRST},
    {"auto", RK_ORDER_AUTO},
};

static int put_name_order(rk_mapping *m, const put_at *at, const char *arg, const char *value)
{
    (void)arg;
    char valid[64] = "";
    for (size_t i = 0; i < RK_ARRAY_LEN(name_orders); i++) {
        if (strcmp(name_orders[i].name, value) == 0) {
            m->name_order = name_orders[i].order;
            return RK_OK;
        }
        list_add(valid, sizeof(valid), ", ", name_orders[i].name);
    }
    return bad(at, "name order '%s' is not one of %s", value, valid);
}

/* The delimiters a mapping names, and how an error lists them (NULL: not listed). */
static const struct {
    const char *name;
    char delimiter; /* 0: detected */
    const char *shown;
} delimiters[] = {
    {",", ',', "','"},    {";", ';', "';'"},   {"|", '|', "'|'"},
    {"tab", '\t', "tab"}, {"\\t", '\t', NULL}, {"auto", 0, "auto"},
};

static int put_delimiter(rk_mapping *m, const put_at *at, const char *arg, const char *value)
{
    (void)arg;
    char valid[64] = "";
    for (size_t i = 0; i < RK_ARRAY_LEN(delimiters); i++) {
        if (strcmp(delimiters[i].name, value) == 0) {
            m->delimiter = delimiters[i].delimiter;
            return RK_OK;
        }
        if (delimiters[i].shown)
            list_add(valid, sizeof(valid), ", ", delimiters[i].shown);
    }
    return bad(at, "delimiter '%s' is not one of %s", value, valid);
}

/* The keys of a mapping (docs/mapping.md). A key ending in '.' is a prefix: what follows it
 * (a role) is passed on as `arg`. A key with a `slot` is text kept as it is. */
static const struct mapping_key {
    const char *key;
    const char *shown; /* how an error lists it */
    int (*put)(rk_mapping *m, const put_at *at, const char *arg, const char *value);
    size_t slot; /* offsetof the char * in rk_mapping, for text */
} mapping_keys[] = {
    {"column.", "column.ROLE", put_column, 0},
    {"date_format.", "date_format.ROLE", put_date_format, 0},
    {"century_pivot", "century_pivot", put_century_pivot, 0},
    {"name_order", "name_order", put_name_order, 0},
    {"delimiter", "delimiter", put_delimiter, 0},
    {"encoding", "encoding", NULL, offsetof(rk_mapping, encoding)},
    {"language", "language", NULL, offsetof(rk_mapping, language)},
    {"description", "description", NULL, offsetof(rk_mapping, description)},
    {"file", "file", NULL, offsetof(rk_mapping, file)},
    {"sheet", "sheet", NULL, offsetof(rk_mapping, sheet)},
};

int rk_mapping_put(rk_mapping *m, rk_ctx *ctx, const char *key, const char *value, const char *file,
                   long line)
{
    const put_at at = {ctx, file, line};
    char valid[160] = "";
    for (size_t i = 0; i < RK_ARRAY_LEN(mapping_keys); i++) {
        const struct mapping_key *k = &mapping_keys[i];
        size_t n = strlen(k->key);
        bool prefix = k->key[n - 1] == '.';
        if (prefix ? strncmp(key, k->key, n) == 0 : strcmp(key, k->key) == 0) {
            if (k->put)
                return k->put(m, &at, key + n, value);
            return put_str(&at, (char **)(void *)((char *)m + k->slot), value);
        }
        list_add(valid, sizeof(valid), ", ", k->shown);
    }
    return bad(&at, "unknown key '%s'; keys are %s", key, valid);
}

int rk_mapping_to_json(char **out, const rk_mapping *m)
{
    return ingest_mapping_json(out, m, NULL);
}

int ingest_mapping_json(char **out, const rk_mapping *m, const char *const evidence[RK_FIELD_COUNT])
{
    rk_buf b;
    rk_buf_init(&b);
    int rc = rk_buf_puts(&b, "{\"list\":");
#define JSTR(s) ((s) ? rk_buf_json_string(&b, (s), strlen(s)) : rk_buf_puts(&b, "null"))
    rc = rc ? rc : JSTR(m->list);
    rc = rc ? rc : rk_buf_puts(&b, ",\"columns\":{");
    bool first = true;
    for (int i = 0; i < RK_FIELD_COUNT && !rc; i++) {
        if (!m->column[i])
            continue;
        rc = rk_buf_printf(&b, "%s\"%s\":", first ? "" : ",", role_names[i]);
        rc = rc ? rc : JSTR(m->column[i]);
        first = false;
    }
    for (size_t i = 0; i < m->nextras && !rc; i++) {
        rc = rk_buf_puts(&b, first ? "" : ",");
        first = false;
        char key[128];
        snprintf(key, sizeof(key), "field:%s", m->extra_name[i]);
        rc = rc ? rc : rk_buf_json_string(&b, key, strlen(key));
        rc = rc ? rc : rk_buf_putc(&b, ':');
        rc = rc ? rc : JSTR(m->extra_column[i]);
    }
    rc = rc ? rc : rk_buf_puts(&b, "},\"date_formats\":{");
    first = true;
    for (int i = 0; i < RK_FIELD_COUNT && !rc; i++) {
        if (!m->date_format[i])
            continue;
        rc = rk_buf_printf(&b, "%s\"%s\":", first ? "" : ",", role_names[i]);
        rc = rc ? rc : JSTR(m->date_format[i]);
        first = false;
    }
    first = true;
    for (int i = 0; evidence && i < RK_FIELD_COUNT && !rc; i++) {
        if (!evidence[i] || !evidence[i][0])
            continue;
        rc = rk_buf_printf(&b, "%s\"%s\":", first ? "},\"date_auto\":{" : ",", role_names[i]);
        rc = rc ? rc : JSTR(evidence[i]);
        first = false;
    }
    const char *order = "auto";
    for (size_t i = 0; i < RK_ARRAY_LEN(name_orders); i++)
        if (name_orders[i].order == m->name_order)
            order = name_orders[i].name;
    rc = rc ? rc : rk_buf_printf(&b, "},\"name_order\":\"%s\",\"language\":", order);
    rc = rc ? rc : JSTR(m->language);
    rc = rc ? rc : rk_buf_puts(&b, ",\"encoding\":");
    rc = rc ? rc : JSTR(m->encoding);
    char d[3] = {m->delimiter == '\t' ? '\\' : m->delimiter, m->delimiter == '\t' ? 't' : 0, 0};
    rc = rc ? rc : rk_buf_puts(&b, ",\"delimiter\":");
    rc = rc ? rc : (m->delimiter ? rk_buf_printf(&b, "\"%s\"", d) : rk_buf_puts(&b, "null"));
    if (m->century_pivot)
        rc = rc ? rc : rk_buf_printf(&b, ",\"century_pivot\":%d", m->century_pivot);
    if (m->sheet) {
        rc = rc ? rc : rk_buf_puts(&b, ",\"sheet\":");
        rc = rc ? rc : JSTR(m->sheet);
    }
    rc = rc ? rc : rk_buf_puts(&b, "}");
#undef JSTR
    if (rc) {
        rk_buf_release(&b);
        return RK_ENOMEM;
    }
    *out = rk_buf_detach(&b);
    return *out ? RK_OK : RK_ENOMEM;
}

/* ---- mapping files ---- */

void rk_mapping_set_init(rk_mapping_set *s)
{
    memset(s, 0, sizeof(*s));
}

void rk_mapping_set_release(rk_mapping_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        rk_mapping_release(&s->lists[i]);
    rk_free(s->lists);
    rk_free(s->dir);
    rk_mapping_set_init(s);
}

rk_mapping *rk_mapping_set_find(rk_mapping_set *s, const char *list)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->lists[i].list && strcmp(s->lists[i].list, list) == 0)
            return &s->lists[i];
    return NULL;
}

static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return s;
}

bool rk_list_name_ok(const char *name, char *why, size_t whysz)
{
    static const char rule[] = "a list name is 1-64 letters, digits, '_', '-' or '.'";
    char shown[300];
    size_t n = strlen(name);
    const char *s = name;
    while (*s && (isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.') &&
           (unsigned char)*s < 0x80)
        s++;
    if (n == 0)
        snprintf(why, whysz, "the list name is empty; %s", rule);
    else if (n > 64)
        snprintf(why, whysz, "list name '%.40s...' is %zu bytes long; %s",
                 rk_str_shown(shown, sizeof(shown), name), n, rule);
    else if (*s)
        snprintf(why, whysz, "list name '%s' holds %s at byte %zu; %s",
                 rk_str_shown(shown, sizeof(shown), name),
                 *s == '\n' || *s == '\r'                 ? "a line break"
                 : *s == 0x1b                             ? "an escape character"
                 : (unsigned char)*s < 0x20 || *s == 0x7f ? "a control character"
                 : *s == ' '                              ? "a space"
                 : (unsigned char)*s >= 0x80              ? "a character beyond ASCII"
                                                          : "a character outside the rule",
                 (size_t)(s - name) + 1, rule);
    else
        return true;
    return false;
}

int rk_mapping_parse(rk_mapping_set *out, rk_ctx *ctx, const char *name, const char *text,
                     size_t len)
{
    rk_mapping_set_init(out);
    size_t bad_at;
    if (!rk_utf8_valid(text, len, &bad_at))
        return rk_error_set_at(ctx, RK_EINPUT, name, 1, 1,
                               "not valid UTF-8 (byte %zu); save the mapping file as UTF-8",
                               bad_at);
    if (memchr(text, '\0', len))
        return rk_error_set_at(ctx, RK_EINPUT, name, 1, 1, "contains a NUL byte; not a text file");
    char *copy = rk_strndup(text, len);
    if (!copy)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t cap = 0;
    int rc = RK_OK;
    rk_mapping *cur = NULL;
    long lineno = 0;
    /* The keys of the current section, pointers into copy, and their lines: a key given twice
     * is refused rather than the last one winning. */
    const char **keys = NULL;
    long *key_lines = NULL;
    size_t nkeys = 0, keys_cap = 0, lines_cap = 0;
    char *p = copy;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    while (*p) {
        lineno++;
        char *eol = strchr(p, '\n');
        char *next = eol ? eol + 1 : p + strlen(p);
        char *line_end = eol ? eol : next;
        /* Comments are whole lines whose first non-blank character is '#': a value may hold '#'. */
        char *s = trim(p, line_end);
        if (*s == '\0' || *s == '#') {
            p = next;
            continue;
        }
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0') {
                rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1,
                                     "section header must be '[list NAME]'");
                break;
            }
            char *inner = trim(s + 1, close);
            if (strncmp(inner, "list", 4) != 0 || (inner[4] != ' ' && inner[4] != '\t')) {
                rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 2,
                                     "section header must be '[list NAME]'");
                break;
            }
            char *lname = trim(inner + 4, inner + strlen(inner));
            char why[512];
            if (!rk_list_name_ok(lname, why, sizeof(why))) {
                rc =
                    rk_error_set_at(ctx, RK_EINPUT, name, lineno, (long)(lname - p) + 1, "%s", why);
                break;
            }
            if (rk_mapping_set_find(out, lname)) {
                rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1,
                                     "list '%s' is mapped twice; merge the two sections", lname);
                break;
            }
            if (out->count >= MAX_LISTS) {
                rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1, "more than %d lists",
                                     MAX_LISTS);
                break;
            }
            if (rk_grow((void **)&out->lists, &cap, out->count + 1, sizeof(rk_mapping)) != RK_OK) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
                break;
            }
            cur = &out->lists[out->count++];
            nkeys = 0;
            rk_mapping_init(cur);
            cur->list = rk_strdup(lname);
            if (!cur->list) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
                break;
            }
            p = next;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1,
                                 "expected 'key = value' or '[list NAME]'");
            break;
        }
        if (!cur) {
            rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1,
                                 "'key = value' before any '[list NAME]' section");
            break;
        }
        char *key = trim(s, eq);
        char *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
        if (!*key) {
            rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1, "missing key before '='");
            break;
        }
        size_t k = 0;
        while (k < nkeys && strcmp(keys[k], key) != 0)
            k++;
        if (k < nkeys) {
            rc = rk_error_set_at(ctx, RK_EINPUT, name, lineno, 1,
                                 "key '%s' is given twice in '[list %s]' (first on line %ld); "
                                 "keep one",
                                 key, cur->list, key_lines[k]);
            break;
        }
        if (rk_grow((void **)&keys, &keys_cap, nkeys + 1, sizeof(*keys)) != RK_OK ||
            rk_grow((void **)&key_lines, &lines_cap, nkeys + 1, sizeof(*key_lines)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        keys[nkeys] = key;
        key_lines[nkeys++] = lineno;
        rc = rk_mapping_put(cur, ctx, key, value, name, lineno);
        if (rc != RK_OK)
            break;
        p = next;
    }
    rk_free(keys);
    rk_free(key_lines);
    rk_free(copy);
    if (rc != RK_OK)
        rk_mapping_set_release(out);
    return rc;
}

int rk_mapping_file_read(rk_mapping_set *out, rk_ctx *ctx, const char *path)
{
    rk_mapping_set_init(out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO,
                            "%s: cannot open the mapping file: %s", path, strerror(errno));
    rk_buf b;
    rk_buf_init(&b);
    int rc = RK_OK;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > MAX_MAPPING_FILE) {
            rc = rk_error_set(ctx, RK_EINPUT, "%s: mapping file larger than 16 MiB", path);
            break;
        }
        if (rk_buf_append(&b, chunk, n) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == RK_OK && ferror(f))
        rc = rk_error_set(ctx, RK_EIO, "%s: read error", path);
    fclose(f);
    if (rc == RK_OK)
        rc = rk_mapping_parse(out, ctx, path, rk_buf_cstr(&b), b.len);
    rk_buf_release(&b);
    if (rc == RK_OK) {
        const char *slash = strrchr(path, '/');
        out->dir = slash ? rk_strndup(path, (size_t)(slash - path)) : rk_strdup(".");
        if (!out->dir) {
            rk_mapping_set_release(out);
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        }
    }
    return rc;
}
