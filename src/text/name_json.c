/* The parse of a name as JSON, for `reckon name --json` and for exports: each token with
 * its role, script, keys, gender hint and flags, and the culture, order and reason. */
#include "common.h"

#include "text/text_private.h"

static int field(rk_buf *out, const char *name, const char *value, bool comma)
{
    int rc = rk_buf_printf(out, "%s\"%s\":", comma ? "," : "", name);
    if (rc == RK_OK)
        rc = rk_buf_json_string(out, value ? value : "", value ? strlen(value) : 0);
    return rc;
}

static const char *gender_name(rk_gender g)
{
    return g == RK_GENDER_MALE ? "male" : g == RK_GENDER_FEMALE ? "female" : "";
}

int rk_text_name_json(rk_buf *out, const rk_name *name, const char *input)
{
    if (!name || !out)
        return RK_EINTERNAL;
    int rc = rk_buf_puts(out, "{");
    if (rc == RK_OK && input)
        rc = field(out, "input", input, false);
    if (rc == RK_OK)
        rc = field(out, "culture", rk_text_culture_name(name->culture), input != NULL);
    if (rc == RK_OK)
        rc = field(out, "order", rk_text_order_name(name->order), true);
    if (rc == RK_OK)
        rc = field(out, "gender", gender_name(name->gender), true);
    if (rc == RK_OK)
        rc = field(out, "why", name->why, true);
    if (rc == RK_OK)
        rc = rk_buf_printf(out, ",\"order_evidence\":%d,\"truncated\":%s,\"tokens\":[",
                           name->order_evidence,
                           (name->flags & RK_NAME_TRUNCATED) ? "true" : "false");
    for (size_t i = 0; rc == RK_OK && i < name->ntokens; i++) {
        const rk_name_token *t = &name->tokens[i];
        rc = rk_buf_puts(out, i ? ",{" : "{");
        if (rc == RK_OK)
            rc = field(out, "text", t->k.text, false);
        if (rc == RK_OK)
            rc = field(out, "role", rk_text_role_name(t->role), true);
        if (rc == RK_OK)
            rc = field(out, "script", rk_text_script_name(t->k.script), true);
        if (rc == RK_OK)
            rc = field(out, "latin", t->k.latin, true);
        if (rc == RK_OK)
            rc = field(out, "key", t->k.key, true);
        if (rc == RK_OK)
            rc = field(out, "alt", t->k.alt, true);
        if (rc == RK_OK)
            rc = field(out, "skeleton", t->k.skel, true);
        if (rc == RK_OK)
            rc = field(out, "gender", gender_name(t->k.gender), true);
        if (rc == RK_OK)
            rc =
                rk_buf_printf(out, ",\"nickname_group\":%u,\"abjad\":%s,\"stem\":%s}",
                              (unsigned)t->k.nick, (t->k.flags & RK_TOKEN_ABJAD) ? "true" : "false",
                              (t->k.flags & RK_TOKEN_STEM) ? "true" : "false");
    }
    if (rc == RK_OK)
        rc = rk_buf_puts(out, "]}");
    return rc;
}
