/* Standardization of one imported record: its name parsed into tokens with their keys, its
 * sex read (or inferred from the name where the list is blank), its place folded. The import
 * stores the result as the record's `std` JSON; the linker parses names the same way. */
#include "common.h"

int rk_text_record_name(rk_name *out, rk_text *t, const char *const fields[RK_FIELD_COUNT])
{
    const char *full = fields[RK_FIELD_FULL_NAME];
    if (full && *full)
        return rk_text_name_parse(out, t, full);
    const char *family = fields[RK_FIELD_FAMILY_NAME];
    const char *second = fields[RK_FIELD_SECOND_FAMILY_NAME];
    char joined[1024];
    if (second && *second) {
        /* The maternal surname follows the paternal one, as Spanish writes them. */
        snprintf(joined, sizeof(joined), "%s %s", family ? family : "", second);
        family = joined;
    }
    return rk_text_name_parts(out, t, fields[RK_FIELD_GIVEN_NAME], family,
                              fields[RK_FIELD_PATRONYMIC]);
}

static int put_str(rk_buf *b, const char *key, const char *v, bool comma)
{
    /* Called some twenty times a record at import: no printf. */
    int rc = comma ? rk_buf_putc(b, ',') : RK_OK;
    rc = rc ? rc : rk_buf_putc(b, '"');
    rc = rc ? rc : rk_buf_puts(b, key);
    rc = rc ? rc : rk_buf_puts(b, "\":");
    return rc ? rc : rk_buf_json_string(b, v ? v : "", v ? strlen(v) : 0);
}

int rk_text_record_std(rk_buf *out, rk_text *t, const char *const fields[RK_FIELD_COUNT])
{
    rk_name name;
    int rc = rk_text_record_name(&name, t, fields);
    if (rc != RK_OK)
        return rc;
    rc = rk_buf_puts(out, "{\"name\":{");
    rc = rc ? rc : put_str(out, "culture", rk_text_culture_name(name.culture), false);
    rc = rc ? rc : put_str(out, "order", rk_text_order_name(name.order), true);
    rc = rc ? rc : put_str(out, "why", name.why, true);
    rc = rc ? rc : rk_buf_puts(out, ",\"tokens\":[");
    for (size_t i = 0; i < name.ntokens && rc == RK_OK; i++) {
        const rk_name_token *tok = &name.tokens[i];
        rc = rk_buf_puts(out, i ? ",{" : "{");
        rc = rc ? rc : put_str(out, "text", tok->k.text, false);
        rc = rc ? rc : put_str(out, "role", rk_text_role_name(tok->role), true);
        rc = rc ? rc : put_str(out, "latin", tok->k.latin, true);
        rc = rc ? rc : put_str(out, "key", tok->k.key, true);
        if (rc == RK_OK && tok->k.alt && *tok->k.alt)
            rc = put_str(out, "alt", tok->k.alt, true);
        rc = rc ? rc : rk_buf_putc(out, '}');
    }
    rc = rc ? rc : rk_buf_puts(out, "]}");
    unsigned sex_flags = 0;
    rk_sex sex = rk_text_sex(t, fields[RK_FIELD_SEX], &name, &sex_flags);
    rc = rc ? rc : put_str(out, "sex", rk_text_sex_code(sex), true);
    if (rc == RK_OK && (sex_flags & RK_SEX_INFERRED))
        rc = rk_buf_puts(out, ",\"sex_inferred\":true");
    const char *place = fields[RK_FIELD_PLACE];
    if (rc == RK_OK && place && *place) {
        rk_buf key;
        rk_buf_init(&key);
        rc = rk_text_place_key(&key, t, place);
        if (rc == RK_OK)
            rc = put_str(out, "place_key", rk_buf_cstr(&key), true);
        rk_buf_release(&key);
    }
    rc = rc ? rc : rk_buf_putc(out, '}');
    return rc;
}

int rk_text_import_hook(void *user, rk_ctx *ctx, const rk_mapping *m,
                        const char *const fields[RK_FIELD_COUNT], char **std_json)
{
    (void)m;
    rk_text *t = user;
    rk_buf b;
    rk_buf_init(&b);
    /* A record's JSON is a few hundred bytes: one allocation, not seven doublings from 8. */
    int rc = rk_buf_reserve(&b, 1023);
    rc = rc ? rc : rk_text_record_std(&b, t, fields);
    if (rc != RK_OK) {
        rk_buf_release(&b);
        if (rc == RK_ENOMEM)
            return rk_error_set(ctx, rc, "out of memory");
        return rc;
    }
    *std_json = rk_buf_detach(&b);
    return *std_json ? RK_OK : rk_error_set(ctx, RK_ENOMEM, "out of memory");
}

int rk_text_for_mapping(rk_text **out, rk_ctx *ctx, const rk_mapping *m)
{
    rk_text_options o = RK_TEXT_OPTIONS_INIT;
    if (m->language && *m->language && rk_text_lang_parse(&o.lang, ctx, m->language) != RK_OK)
        return rk_error_set(ctx, RK_EINPUT,
                            "language '%s' of list '%s' is not known; use az, ru, hy, ar, es, "
                            "sr, ka, sq, tr or en",
                            m->language, m->list ? m->list : "");
    o.order = m->name_order;
    return rk_text_new(out, ctx, &o);
}
