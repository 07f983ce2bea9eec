/* String comparators for linkage keys: Jaro-Winkler, bounded optimal string alignment distance,
 * a token-set match for multi-part names and a Soundex-like key. They work on ASCII keys made by
 * the text module, allocate nothing and cut keys at 255 bytes. */
#include "link_private.h"

#define CMP_MAX 255

/* Jaro-Winkler with matches m (transpositions t) and common prefix p of strings of na and nb
 * bytes: one expression, so that the similarity and its bound (jw_floor) round alike. */
static inline double jw_of(double m, double t, size_t na, size_t nb, size_t prefix)
{
    double jaro = (m / (double)na + m / (double)nb + (m - t / 2.0) / m) / 3.0;
    if (jaro <= 0.7)
        return jaro;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* At most how many bytes of a and b can be paired, a byte only with an equal one: the bytes
 * they have in common as multisets, counted by classes of the low 5 bits (letters of either
 * case in one class): merging bytes into classes only adds to the count. */
static inline size_t common_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    uint8_t left[32] = {0}; /* na <= 255 */
    for (size_t i = 0; i < na; i++)
        left[a[i] & 31]++;
    size_t k = 0;
    for (size_t j = 0; j < nb; j++) {
        uint8_t *l = &left[b[j] & 31];
        if (*l) {
            (*l)--;
            k++;
        }
    }
    return k;
}

double link_jw_floor(const char *a, size_t na, const char *b, size_t nb, double floor)
{
    if (na > CMP_MAX)
        na = CMP_MAX;
    if (nb > CMP_MAX)
        nb = CMP_MAX;
    if (na == 0 || nb == 0)
        return (na == 0 && nb == 0) ? 1.0 : 0.0;
    if (na == nb && memcmp(a, b, na) == 0)
        return 1.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix])
        prefix++;
    /* Unequal strings are under 1 - 4e-4: unless all n <= 255 bytes of each match in order
     * (the strings equal), m / na or m / nb is at most 1 - 1/255, or (m - t/2) / m at most
     * 1 - 1/510, so Jaro at most 1 - 1/1530, and the boost keeps 0.6 of the rest. */
    if (floor > 1.0 - 1e-4)
        return 0.0;
    if (floor > 0) {
        /* A bound, to skip the matching when it proves the similarity below floor: a byte of
         * a matches only one byte of b, equal to it, so the matches m are at most the bytes
         * they have in common. The similarity grows with m and shrinks with transpositions,
         * so m at that most with none bounds it from above (the Winkler boost x + p/10 (1 - x)
         * grows with x too). The margin covers rounding. */
        size_t most = common_bytes(a, na, b, nb);
        if (most == 0)
            return 0.0; /* no byte in common: no match, which is 0 */
        if (jw_of((double)most, 0, na, nb, prefix) < floor - 1e-9)
            return 0.0;
    }
    size_t window = RK_MAX(na, nb) / 2;
    window = window > 0 ? window - 1 : 0;
    bool amatch[CMP_MAX], bmatch[CMP_MAX];
    memset(amatch, 0, na);
    memset(bmatch, 0, nb);
    size_t matches = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = RK_MIN(i + window + 1, nb);
        for (size_t j = lo; j < hi; j++) {
            if (!bmatch[j] && a[i] == b[j]) {
                amatch[i] = bmatch[j] = true;
                matches++;
                break;
            }
        }
    }
    if (matches == 0)
        return 0.0;
    size_t trans = 0;
    for (size_t i = 0, j = 0; i < na; i++) {
        if (!amatch[i])
            continue;
        while (!bmatch[j])
            j++;
        if (a[i] != b[j])
            trans++;
        j++;
    }
    return jw_of((double)matches, (double)trans, na, nb, prefix);
}

double rk_link_jaro_winkler(const char *a, size_t na, const char *b, size_t nb)
{
    return link_jw_floor(a, na, b, nb, 0);
}

/* Swaps the two sides of a comparison: the strings and their sizes (lengths, or counts). */
static inline void swap_sides(const char **a, size_t *na, const char **b, size_t *nb)
{
    const char *t = *a;
    *a = *b;
    *b = t;
    size_t tn = *na;
    *na = *nb;
    *nb = tn;
}

/* The distance capped at 2 (0 equal, 1 one edit, 2 more) in one pass: the comparison of
 * every pair of names that did not agree at a stronger level calls for it. */
static int osa_within_one(const char *a, size_t na, const char *b, size_t nb)
{
    if (na < nb)
        swap_sides(&a, &na, &b, &nb);
    size_t i = 0;
    while (i < nb && a[i] == b[i])
        i++;
    if (na == nb) {
        if (i == na)
            return 0;
        if (memcmp(a + i + 1, b + i + 1, na - i - 1) == 0)
            return 1; /* substitution */
        if (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
            memcmp(a + i + 2, b + i + 2, na - i - 2) == 0)
            return 1; /* transposition */
        return 2;
    }
    /* na == nb + 1: a letter of a dropped */
    return memcmp(a + i + 1, b + i, nb - i) == 0 ? 1 : 2;
}

int rk_link_osa(const char *a, size_t na, const char *b, size_t nb, int max_dist)
{
    if (na > CMP_MAX)
        na = CMP_MAX;
    if (nb > CMP_MAX)
        nb = CMP_MAX;
    if (max_dist < 0)
        max_dist = 0;
    size_t diff = na > nb ? na - nb : nb - na;
    if (diff > (size_t)max_dist)
        return max_dist + 1;
    if (max_dist <= 1) {
        int d = osa_within_one(a, na, b, nb);
        return d > max_dist ? max_dist + 1 : d;
    }
    /* Three rows of the dynamic programme: two back (for transpositions), one back, current. */
    int rows[3][CMP_MAX + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (int)i;
        int rowmin = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > max_dist)
            return max_dist + 1;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[nb];
    return d > max_dist ? max_dist + 1 : d;
}

/* Splits at spaces into at most `cap` tokens (start, length). */
static size_t tokenize(const char *s, size_t n, size_t *start, size_t *len, size_t cap)
{
    size_t k = 0, i = 0;
    while (i < n && k < cap) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ')
            i++;
        start[k] = st;
        len[k] = i - st;
        k++;
    }
    return k;
}

#define MAX_TOKENS 16

bool rk_link_token_set(const char *a, size_t na, const char *b, size_t nb, double jw_min)
{
    size_t as[MAX_TOKENS], al[MAX_TOKENS], bs[MAX_TOKENS], bl[MAX_TOKENS];
    size_t ka = tokenize(a, na, as, al, MAX_TOKENS);
    size_t kb = tokenize(b, nb, bs, bl, MAX_TOKENS);
    if (ka == 0 || kb == 0)
        return false;
    if (ka > kb) { /* a is the name with fewer tokens */
        swap_sides(&a, &ka, &b, &kb);
        for (size_t i = 0; i < MAX_TOKENS; i++) {
            size_t t1 = as[i], t2 = al[i];
            as[i] = bs[i];
            al[i] = bl[i];
            bs[i] = t1;
            bl[i] = t2;
        }
    }
    /* Greedy: each short-side token takes the best unused token of the other side. */
    bool used[MAX_TOKENS] = {0};
    for (size_t i = 0; i < ka; i++) {
        double best = -1;
        size_t bestj = 0;
        for (size_t j = 0; j < kb; j++) {
            if (used[j])
                continue;
            /* Below jw_min a token cannot be taken, whatever its similarity. */
            double s = link_jw_floor(a + as[i], al[i], b + bs[j], bl[j], jw_min);
            if (s > best) {
                best = s;
                bestj = j;
            }
        }
        if (best < jw_min)
            return false;
        used[bestj] = true;
    }
    return true;
}

/* Soundex digit of a lowercase or uppercase ASCII letter; 0 for vowels and h, w, y. */
static char soundex_code(char c)
{
    switch (c | 0x20) {
    case 'b':
    case 'f':
    case 'p':
    case 'v':
        return '1';
    case 'c':
    case 'g':
    case 'j':
    case 'k':
    case 'q':
    case 's':
    case 'x':
    case 'z':
        return '2';
    case 'd':
    case 't':
        return '3';
    case 'l':
        return '4';
    case 'm':
    case 'n':
        return '5';
    case 'r':
        return '6';
    default:
        return 0;
    }
}

void rk_link_soundex(char out[5], const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
        i++;
    if (i >= n) {
        out[0] = '\0';
        return;
    }
    out[0] = (char)(s[i] | 0x20);
    size_t k = 1;
    char last = soundex_code(s[i]);
    for (i++; i < n && k < 4; i++) {
        char c = (char)(s[i] | 0x20);
        if (c < 'a' || c > 'z')
            continue;
        char code = soundex_code(c);
        if (code && code != last)
            out[k++] = code;
        if (c != 'h' && c != 'w')
            last = code;
    }
    while (k < 4)
        out[k++] = '0';
    out[4] = '\0';
}
