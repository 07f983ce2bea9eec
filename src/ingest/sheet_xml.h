/* Streaming a zip entry's XML through expat (sheet_xml.c), for the .xlsx and .ods readers.
 * Private to src/ingest. */
#ifndef RK_INGEST_SHEET_XML_H
#define RK_INGEST_SHEET_XML_H

#include "sheet.h"

#include <expat.h>
#include <zip.h>

typedef struct sheet_xml {
    ingest_sheet *sh;
    const char *entry; /* the entry's name, for messages */
    zip_file_t *f;
    XML_Parser p;
    bool eof, suspended;
    int rc; /* set by a handler that aborts */
} sheet_xml;

/* Opens `entry` of `z` with the handlers (element names as written, prefixes included). */
int sheet_xml_open(sheet_xml *x, ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                   XML_StartElementHandler start, XML_EndElementHandler end,
                   XML_CharacterDataHandler text);
/* Parses on: 1 when a handler suspended the parser, 0 at the end of the entry, or an error. */
int sheet_xml_run(sheet_xml *x);
void sheet_xml_close(sheet_xml *x);
/* Parses a whole entry; *ctl points to its parser's state while it runs (for aborts). */
int sheet_xml_parse(ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    XML_CharacterDataHandler text, sheet_xml **ctl);
/* From a handler: stops the parse with error `rc` (already set on the context). */
void sheet_xml_abort(sheet_xml *x, int rc);
/* From a handler: appends text to b, capped at the cell limit (aborting past it). */
int sheet_xml_text(sheet_xml *x, rk_buf *b, const char *s, int n);
/* A name without its prefix ("x:row" -> "row"). */
const char *sheet_xml_local(const char *name);
/* The value of the attribute of local name `local`, or NULL. */
const char *sheet_xml_attr(const char **atts, const char *local);

#endif
