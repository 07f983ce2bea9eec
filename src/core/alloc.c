/* Allocation and test-only fault injection. All of libreckon allocates through rk_malloc and
 * friends (SQLite too, see store/), so a test can make the Nth allocation or file write fail
 * and check that the project is left exactly as it was. */
#include "common.h"

/* The fault counters are process-wide by nature: they model the machine running out of memory
 * or disk, which is not a per-context event. They stay inert (nth == 0) unless armed. */
static long fault_nth[2];
static long fault_seen[2];

void rk_fault_arm(rk_fault_kind kind, long nth)
{
    fault_nth[kind] = nth;
    fault_seen[kind] = 0;
}

bool rk_fault_hit(rk_fault_kind kind)
{
    if (fault_nth[kind] <= 0)
        return false;
    fault_seen[kind]++;
    return fault_seen[kind] == fault_nth[kind];
}

void *rk_malloc(size_t n)
{
    if (rk_fault_hit(RK_FAULT_ALLOC))
        return NULL;
    return malloc(n ? n : 1);
}

void *rk_calloc(size_t count, size_t size)
{
    if (rk_fault_hit(RK_FAULT_ALLOC))
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *rk_realloc(void *p, size_t n)
{
    if (rk_fault_hit(RK_FAULT_ALLOC))
        return NULL;
    return realloc(p, n ? n : 1);
}

void rk_free(void *p)
{
    free(p);
}

int rk_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return RK_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return RK_ENOMEM;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return RK_ENOMEM;
    void *np = rk_realloc(*p, ncap * elem);
    if (!np)
        return RK_ENOMEM;
    *p = np;
    *cap = ncap;
    return RK_OK;
}

char *rk_strndup(const char *s, size_t n)
{
    char *d = rk_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *rk_strdup(const char *s)
{
    return s ? rk_strndup(s, strlen(s)) : NULL;
}
