/* rk_sql_event PROJECT KIND < SQL: runs SQL on a project in one transaction and logs it as an
 * event of KIND (payload {"fixture": true}), as an embedding program may through the public
 * rk_store_log_event. The HTTP and browser fixtures write their link run this way: since the
 * audit chain records the state of every table, rows written without an event fail verify. */
#include "reckon/reckon.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: rk_sql_event PROJECT KIND < SQL\n");
        return 1;
    }
    rk_buf sql;
    rk_buf_init(&sql);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
        rk_buf_append(&sql, chunk, n);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    int rc = rk_store_open(&st, &ctx, argv[1], RK_STORE_READWRITE);
    if (rc == RK_OK)
        rc = rk_store_begin(st);
    if (rc == RK_OK)
        rc = rk_store__exec(st, rk_buf_cstr(&sql));
    if (rc == RK_OK)
        rc = rk_store_log_event(st, argv[2], "{\"fixture\":true}", NULL);
    if (rc == RK_OK)
        rc = rk_store_commit(st);
    if (rc != RK_OK) {
        char msg[1024];
        rk_error_format(msg, sizeof(msg), &ctx);
        fprintf(stderr, "rk_sql_event: %s\n", msg);
    }
    rk_store_free(st);
    rk_buf_release(&sql);
    rk_ctx_release(&ctx);
    return rc == RK_OK ? 0 : 1;
}
