/* Streaming a zip entry's XML (sheet_xml.c), for the .xlsx and .ods readers: a fast scanner of
 * UTF-8 XML without a DTD, with expat for the rest (other encodings, a DOCTYPE) and as the
 * judge of what is malformed. Private to src/ingest. */
#ifndef RK_INGEST_SHEET_XML_H
#define RK_INGEST_SHEET_XML_H

#include "sheet.h"

#include <expat.h>
#include <zip.h>

typedef struct sheet_xml {
    ingest_sheet *sh;
    const char *entry; /* the entry's name, for messages */
    zip_t *z;
    zip_file_t *f;
    void *user;
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    XML_CharacterDataHandler text;
    XML_Parser p; /* expat, when the scanner does not read the entry */
    bool eof, suspended;
    bool stop, suspend; /* asked by a handler */
    int rc;             /* set by a handler that aborts */
    /* The scanner: the entry's bytes [base, base + len) in buf, read up to pos. */
    bool fast;
    char *buf;
    size_t cap, len, pos;
    uint64_t base;
    unsigned long line;    /* the line of buf[0] */
    uint64_t tok, tok_len; /* the current event's bytes in the entry */
    int state;             /* before, in or after the root element */
    rk_buf names;          /* the open elements' names, each NUL-terminated */
    size_t *open;          /* where each starts in names */
    size_t depth, open_cap;
    const char **atts;
    size_t atts_cap;
} sheet_xml;

/* Opens the sheet's zip archive (sh->data, else the file sh->path) with zip_open's `flags`:
 * NULL with libzip's error code in *err when it cannot. */
zip_t *sheet_zip_open(ingest_sheet *sh, int flags, int *err);
/* Opens `entry` of `z` with the handlers (element names as written, prefixes included). */
int sheet_xml_open(sheet_xml *x, ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                   XML_StartElementHandler start, XML_EndElementHandler end,
                   XML_CharacterDataHandler text);
/* Sets sh->extent to the uncompressed size of `entry` of `z`, when the archive says it. */
void sheet_xml_extent(ingest_sheet *sh, zip_t *z, const char *entry);
/* Parses on: 1 when a handler suspended the parser, 0 at the end of the entry, or an error. */
int sheet_xml_run(sheet_xml *x);
void sheet_xml_close(sheet_xml *x);
/* Parses a whole entry; *ctl points to its parser's state while it runs (for aborts). */
int sheet_xml_parse(ingest_sheet *sh, zip_t *z, const char *entry, void *user,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    XML_CharacterDataHandler text, sheet_xml **ctl);
/* From a handler: stops the parse with error `rc` (already set on the context). */
void sheet_xml_abort(sheet_xml *x, int rc);
/* From a handler: stops the parse after this event; sheet_xml_run then returns 1. */
void sheet_xml_suspend(sheet_xml *x);
/* From a handler: the current event's first byte in the entry, and its length. */
uint64_t sheet_xml_byte_index(const sheet_xml *x);
uint64_t sheet_xml_byte_count(const sheet_xml *x);
/* From a handler: appends text to b, capped at the cell limit (aborting past it). */
int sheet_xml_text(sheet_xml *x, rk_buf *b, const char *s, int n);
/* A name without its prefix ("x:row" -> "row"). */
const char *sheet_xml_local(const char *name);
/* The value of the attribute of local name `local`, or NULL. */
const char *sheet_xml_attr(const char **atts, const char *local);

#endif
