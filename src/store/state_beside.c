/* The rows a transaction writes, hashed on a thread beside the writer (state.c hashes each row
 * for the audit chain's state digest, a third of a link run's save). The writer copies each
 * batch into a free slot of a small queue and goes on; the thread hashes the batches in turn,
 * and its sums are read when the transaction's event is appended. */
#include "store_private.h"

#include <pthread.h>
#include <unistd.h>

/* Four batches of a mebibyte: the writer waits only when the thread is four batches behind. */
enum { BESIDE_SLOTS = 4 };

typedef struct beside {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t changed; /* a batch queued or taken, or the end */
    unsigned char *slot[BESIDE_SLOTS];
    size_t len[BESIDE_SLOTS];
    size_t cap[BESIDE_SLOTS];
    int first, queued; /* the batches waiting (first: the one being hashed), modulo the slots */
    bool ending;       /* no batch comes after those queued */
    rk_store_row_sums sums;
} beside;

static void *beside_run(void *arg)
{
    beside *b = arg;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->queued && !b->ending)
            pthread_cond_wait(&b->changed, &b->mu);
        if (!b->queued)
            break;
        int at = b->first;
        pthread_mutex_unlock(&b->mu);
        rk_store__rows_hash(&b->sums, b->slot[at], b->len[at]);
        pthread_mutex_lock(&b->mu);
        b->first = (b->first + 1) % BESIDE_SLOTS;
        b->queued--;
        pthread_cond_broadcast(&b->changed);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static int beside_give(void *arg, const unsigned char *batch, size_t n)
{
    beside *b = arg;
    pthread_mutex_lock(&b->mu);
    while (b->queued == BESIDE_SLOTS)
        pthread_cond_wait(&b->changed, &b->mu);
    int at = (b->first + b->queued) % BESIDE_SLOTS;
    pthread_mutex_unlock(&b->mu);
    /* The slot is free: neither queued nor hashed, so only the writer touches it. */
    int rc = rk_grow((void **)&b->slot[at], &b->cap[at], n, 1);
    if (rc == RK_OK) {
        memcpy(b->slot[at], batch, n);
        b->len[at] = n;
        pthread_mutex_lock(&b->mu);
        b->queued++;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->mu);
    }
    return rc;
}

static void beside_free(beside *b)
{
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->changed);
    for (int i = 0; i < BESIDE_SLOTS; i++)
        rk_free(b->slot[i]);
    rk_free(b);
}

static int beside_finish(void *arg, rk_store_row_sums *sums)
{
    beside *b = arg;
    pthread_mutex_lock(&b->mu);
    b->ending = true;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    if (sums)
        rk_store__row_sums_add(sums, &b->sums);
    beside_free(b);
    return RK_OK;
}

bool store_beside_start(rk_store_row_hasher *out)
{
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return false; /* the thread would only take turns with the writer */
    beside *b = rk_calloc(1, sizeof(*b));
    if (!b)
        return false;
    if (pthread_mutex_init(&b->mu, NULL) != 0) {
        rk_free(b);
        return false;
    }
    if (pthread_cond_init(&b->changed, NULL) != 0) {
        pthread_mutex_destroy(&b->mu);
        rk_free(b);
        return false;
    }
    if (pthread_create(&b->thread, NULL, beside_run, b) != 0) {
        beside_free(b);
        return false;
    }
    *out = (rk_store_row_hasher){.give = beside_give, .finish = beside_finish, .arg = b};
    return true;
}

bool rk_store__hash_rows_beside(rk_store *st)
{
    rk_store_row_hasher h;
    if (!store_beside_start(&h))
        return false;
    if (rk_store__hash_rows_with(st, &h))
        return true;
    h.finish(h.arg, NULL); /* never the store's: ends the thread */
    return false;
}
