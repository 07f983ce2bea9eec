/* One XML entry of a zip archive (an .xlsx part, an .ods content.xml) streamed through expat's
 * incremental parser in chunks of 64 KiB: memory stays bounded whatever the entry's size. The
 * handlers may suspend the parser at the end of a row (sheet_xml_run then returns 1) and the
 * next run resumes it where it stopped. Expat allocates through rk_malloc, so that the fault
 * injection reaches it. */
#include "sheet_xml.h"

#define XML_CHUNK (1 << 16)

static const XML_Memory_Handling_Suite xml_memory = {rk_malloc, rk_realloc, rk_free};

const char *sheet_xml_local(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

const char *sheet_xml_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(sheet_xml_local(atts[i]), local) == 0)
            return atts[i + 1];
    return NULL;
}

int sheet_xml_open(sheet_xml *x, ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                   XML_StartElementHandler start, XML_EndElementHandler end,
                   XML_CharacterDataHandler text)
{
    memset(x, 0, sizeof(*x));
    x->sh = sh;
    x->entry = entry;
    x->f = zip_fopen(z, entry, 0);
    if (!x->f)
        return sheet_fail(sh, RK_EINPUT, "the part '%s' cannot be read (%s); the file is damaged",
                          entry, zip_strerror(z));
    x->p = XML_ParserCreate_MM(NULL, &xml_memory, NULL);
    if (!x->p) {
        zip_fclose(x->f);
        x->f = NULL;
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    }
    XML_SetUserData(x->p, user);
    XML_SetElementHandler(x->p, start, end);
    if (text)
        XML_SetCharacterDataHandler(x->p, text);
    return RK_OK;
}

void sheet_xml_close(sheet_xml *x)
{
    if (x->p)
        XML_ParserFree(x->p);
    if (x->f)
        zip_fclose(x->f);
    x->p = NULL;
    x->f = NULL;
}

void sheet_xml_abort(sheet_xml *x, int rc)
{
    if (x->rc == RK_OK)
        x->rc = rc;
    XML_StopParser(x->p, XML_FALSE);
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

int sheet_xml_run(sheet_xml *x)
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

int sheet_xml_parse(ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    XML_CharacterDataHandler text, sheet_xml **ctl)
{
    sheet_xml x;
    int rc = sheet_xml_open(&x, sh, z, entry, user, start, end, text);
    if (rc != RK_OK)
        return rc;
    *ctl = &x;
    while ((rc = sheet_xml_run(&x)) == 1)
        ;
    *ctl = NULL;
    sheet_xml_close(&x);
    return rc;
}

int sheet_xml_text(sheet_xml *x, rk_buf *b, const char *s, int n)
{
    if (b->len + (size_t)n > x->sh->max_cell) {
        sheet_xml_abort(x, sheet_fail(x->sh, RK_EINPUT,
                                      "%s:%lu: a text longer than %zu bytes; shorten it or "
                                      "raise --max-field",
                                      x->entry, (unsigned long)XML_GetCurrentLineNumber(x->p),
                                      x->sh->max_cell));
        return RK_EINPUT;
    }
    if (rk_buf_append(b, s, (size_t)n) != RK_OK) {
        sheet_xml_abort(x, rk_error_set(x->sh->ctx, RK_ENOMEM, "out of memory"));
        return RK_ENOMEM;
    }
    return RK_OK;
}
