/* Splitting a short list given on the command line ("loglinear,dga", "region,sex") into its
 * items, without copying and without strtok's hidden state. */
#include "common.h"

bool rk_split_next(const char **s, char sep, const char **item, size_t *len)
{
    const char *p = *s;
    if (!p)
        return false;
    const char *end = strchr(p, sep);
    size_t n = end ? (size_t)(end - p) : strlen(p);
    *s = end ? end + 1 : NULL;
    while (n > 0 && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *item = p;
    *len = n;
    return true;
}
