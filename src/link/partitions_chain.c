/* The Markov chain that draws the partitions of a component too large to enumerate
 * (partitions.c enumerates the others): from the run's persons, sweeps of Gibbs moves of one
 * atom at a time among the persons next to it, and split-merge moves of whole persons
 * (sequentially allocated, after Dahl 2003 and Jain and Neal 2004), each leaving the
 * distribution of docs/linkage.md ("Drawing partitions") invariant. */
#include "partitions_private.h"

#include <math.h>

typedef struct chain {
    drawer *d;
    uint32_t c0, c1, m;
    uint32_t nfree; /* free slots: freeslot[c0 .. c0 + nfree) */
    uint32_t mark;  /* the last stamp given out */
    rk_rng *rng;
} chain;

/* A stamp no scratch entry of the component holds yet. */
static uint32_t next_mark(chain *c)
{
    if (++c->mark == 0) {
        for (uint32_t a = c->c0; a < c->c1; a++)
            c->d->cstamp[a] = c->d->astamp[a] = 0;
        c->mark = 1;
    }
    return c->mark;
}

static uint32_t atom_size(const drawer *d, uint32_t a)
{
    return d->rec_start[a + 1] - d->rec_start[a];
}

static uint32_t new_slot(chain *c)
{
    assert(c->nfree > 0);
    return c->d->freeslot[c->c0 + --c->nfree];
}

static void join(chain *c, uint32_t a, uint32_t s)
{
    drawer *d = c->d;
    d->cl[a] = s;
    d->cprev[a] = NONE;
    d->cnext[a] = d->chead[s];
    if (d->chead[s] != NONE)
        d->cprev[d->chead[s]] = a;
    d->chead[s] = a;
    d->ccount[s]++;
    d->crec[s] += atom_size(d, a);
    for (uint32_t k = d->ustart[a]; k < d->ustart[a + 1]; k++)
        d->ucount[(size_t)s * d->nu + d->ulist[k]]++;
}

static void leave(chain *c, uint32_t a)
{
    drawer *d = c->d;
    uint32_t s = d->cl[a];
    if (d->cprev[a] != NONE)
        d->cnext[d->cprev[a]] = d->cnext[a];
    else
        d->chead[s] = d->cnext[a];
    if (d->cnext[a] != NONE)
        d->cprev[d->cnext[a]] = d->cprev[a];
    d->ccount[s]--;
    d->crec[s] -= atom_size(d, a);
    for (uint32_t k = d->ustart[a]; k < d->ustart[a + 1]; k++)
        d->ucount[(size_t)s * d->nu + d->ulist[k]]--;
    if (d->ccount[s] == 0)
        d->freeslot[c->c0 + c->nfree++] = s;
    d->cl[a] = NONE;
}

static void move(chain *c, uint32_t a, uint32_t s)
{
    leave(c, a);
    join(c, a, s);
}

/* Does a record of a unique list of atom a lie in slot s, a itself aside? */
static bool unique_clash(const drawer *d, uint32_t a, uint32_t s)
{
    for (uint32_t k = d->ustart[a]; k < d->ustart[a + 1]; k++) {
        uint32_t held = d->ucount[(size_t)s * d->nu + d->ulist[k]];
        if (held > (d->cl[a] == s ? 1u : 0u))
            return true;
    }
    return false;
}

/* Breadth first from the atoms queue[c0 .. c0 + tail) (stamped `mark`) over stored pairs to
 * the atoms of slots s and t; returns the number of atoms reached. */
static uint32_t walk(chain *c, uint32_t tail, uint32_t mark, uint32_t s, uint32_t t)
{
    drawer *d = c->d;
    uint32_t *q = d->queue + c->c0;
    for (uint32_t head = 0; head < tail; head++) {
        uint32_t u = q[head];
        for (uint32_t k = d->adj_start[u]; k < d->adj_start[u + 1]; k++) {
            uint32_t v = d->adj_to[k];
            if ((d->adj_flag[k] & DRAW_LINK) && (d->cl[v] == s || d->cl[v] == t) &&
                d->astamp[v] != mark) {
                d->astamp[v] = mark;
                q[tail++] = v;
            }
        }
    }
    return tail;
}

/* Would the atoms of slot s other than i still be tied together by stored pairs? */
static bool connected_without(chain *c, uint32_t s, uint32_t i)
{
    drawer *d = c->d;
    if (d->ccount[s] <= 2)
        return true;
    uint32_t first = NONE, near = 0;
    for (uint32_t k = d->adj_start[i]; k < d->adj_start[i + 1]; k++)
        if ((d->adj_flag[k] & DRAW_LINK) && d->cl[d->adj_to[k]] == s)
            near++, first = d->adj_to[k];
    if (near <= 1) /* a leaf: what remains holds together */
        return true;
    uint32_t mark = next_mark(c);
    d->astamp[i] = d->astamp[first] = mark;
    d->queue[c->c0] = first;
    return walk(c, 1, mark, s, s) == d->ccount[s] - 1;
}

/* ---- moves ---- */

/* Gibbs move of atom i: alone, or into a person it has a stored pair with, each with its
 * probability given the other atoms' persons. When taking i out would cut its person in two,
 * i stays (no other state of positive weight has the other atoms so). */
static void gibbs(chain *c, uint32_t i)
{
    drawer *d = c->d;
    uint32_t s0 = d->cl[i];
    if (d->ccount[s0] > 1 && !connected_without(c, s0, i))
        return;
    uint32_t mark = next_mark(c), nt = 0, *touched = d->touched + c->c0;
    for (uint32_t k = d->adj_start[i]; k < d->adj_start[i + 1]; k++) {
        uint32_t s = d->cl[d->adj_to[k]];
        if (d->cstamp[s] != mark) {
            d->cstamp[s] = mark;
            d->acc[s] = 0;
            d->aflag[s] = 0;
            touched[nt++] = s;
        }
        d->acc[s] += d->adj_e[k];
        d->aflag[s] |= d->adj_flag[k];
    }
    double si = atom_size(d, i), best = 0; /* alone: log weight 0 */
    for (uint32_t t = 0; t < nt; t++) {
        uint32_t s = touched[t];
        if (d->aflag[s] != DRAW_LINK || unique_clash(d, i, s)) {
            d->aflag[s] = 0; /* not a candidate */
            continue;
        }
        double others = d->crec[s] - (s == s0 ? si : 0);
        d->acc[s] += d->lf * si * others;
        best = RK_MAX(best, d->acc[s]);
    }
    double sum = exp(-best);
    for (uint32_t t = 0; t < nt; t++)
        if (d->aflag[touched[t]])
            sum += exp(d->acc[touched[t]] - best);
    double u = rk_rng_uniform(c->rng) * sum - exp(-best);
    uint32_t to = NONE; /* alone */
    for (uint32_t t = 0; t < nt && u >= 0; t++)
        if (d->aflag[touched[t]]) {
            to = touched[t];
            u -= exp(d->acc[to] - best);
        }
    if (to == NONE && d->ccount[s0] > 1)
        move(c, i, new_slot(c));
    else if (to != NONE && to != s0)
        move(c, i, to);
}

static double log_sigmoid(double x)
{
    return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}

/* The sequential allocation of split-merge: the atoms of slots s and t (one person to split
 * when s == t) are visited breadth first from i (side 1) and j (side 2) over stored pairs,
 * and each joins a side it has a stored pair with among the atoms placed before it, with
 * probability in proportion to its weight with them. When split, the sides are drawn;
 * else they are the persons s and t and the allocation's probability is computed. Returns
 * false when the allocation cannot give them. *logq: the log probability; rec: the records
 * of each side; *n: the atoms visited, in queue[c0..]. */
static bool allocate(chain *c, uint32_t i, uint32_t j, uint32_t s, uint32_t t, bool split,
                     double *logq, double rec[2], uint32_t *n)
{
    drawer *d = c->d;
    uint32_t mark = next_mark(c), *q = d->queue + c->c0, tail = 2;
    q[0] = i, q[1] = j;
    d->astamp[i] = d->astamp[j] = mark;
    d->side[i] = 1, d->side[j] = 2;
    rec[0] = atom_size(d, i), rec[1] = atom_size(d, j);
    *logq = 0;
    for (uint32_t head = 0; head < tail; head++) {
        uint32_t u = q[head];
        if (u != i && u != j) {
            double w[2] = {d->lf * atom_size(d, u) * rec[0], d->lf * atom_size(d, u) * rec[1]};
            bool near[2] = {false, false};
            for (uint32_t k = d->adj_start[u]; k < d->adj_start[u + 1]; k++) {
                uint32_t v = d->adj_to[k];
                if (d->astamp[v] != mark || !d->side[v])
                    continue;
                w[d->side[v] - 1] += d->adj_e[k];
                near[d->side[v] - 1] |= (d->adj_flag[k] & DRAW_LINK) != 0;
            }
            int to; /* 0 or 1 */
            if (split) {
                to = near[0] && near[1] ? rk_rng_uniform(c->rng) >= exp(log_sigmoid(w[0] - w[1]))
                                        : !near[0];
            } else {
                to = d->cl[u] != s;
                if (!near[to])
                    return false;
            }
            if (near[0] && near[1])
                *logq += log_sigmoid(w[to] - w[1 - to]);
            d->side[u] = (uint8_t)(to + 1);
            rec[to] += atom_size(d, u);
        }
        for (uint32_t k = d->adj_start[u]; k < d->adj_start[u + 1]; k++) {
            uint32_t v = d->adj_to[k];
            if ((d->adj_flag[k] & DRAW_LINK) && (d->cl[v] == s || d->cl[v] == t) &&
                d->astamp[v] != mark) {
                d->astamp[v] = mark;
                d->side[v] = 0;
                q[tail++] = v;
            }
        }
    }
    *n = tail;
    return true;
}

/* The log weight of the two sides as one person over the two apart; false when a reviewer's
 * non-match lies between them. */
static bool cross_weight(const chain *c, uint32_t n, const double rec[2], double *out)
{
    const drawer *d = c->d;
    const uint32_t *q = d->queue + c->c0;
    uint32_t mark = c->mark;
    double sum = d->lf * rec[0] * rec[1];
    for (uint32_t h = 0; h < n; h++) {
        uint32_t u = q[h];
        if (d->side[u] != 1)
            continue;
        for (uint32_t k = d->adj_start[u]; k < d->adj_start[u + 1]; k++) {
            uint32_t v = d->adj_to[k];
            if (d->astamp[v] != mark || d->side[v] != 2)
                continue;
            if (d->adj_flag[k] & DRAW_FORBID)
                return false;
            sum += d->adj_e[k];
        }
    }
    *out = sum;
    return true;
}

/* Does a unique list hold a record in both slots s and t? */
static bool unique_shared(const drawer *d, uint32_t s, uint32_t t)
{
    for (size_t u = 0; u < d->nu; u++)
        if (d->ucount[(size_t)s * d->nu + u] && d->ucount[(size_t)t * d->nu + u])
            return true;
    return false;
}

/* A split-merge move on a stored pair (i, j) drawn at random: split their person when they
 * share one, else merge their two persons; accepted by Metropolis-Hastings. */
static void split_merge(chain *c)
{
    drawer *d = c->d;
    uint32_t i = c->c0 + (uint32_t)rk_rng_below(c->rng, c->m), links = 0, j = NONE;
    for (uint32_t k = d->adj_start[i]; k < d->adj_start[i + 1]; k++)
        links += (d->adj_flag[k] & DRAW_LINK) != 0;
    if (links == 0)
        return;
    uint32_t pick = (uint32_t)rk_rng_below(c->rng, links);
    for (uint32_t k = d->adj_start[i]; j == NONE; k++)
        if ((d->adj_flag[k] & DRAW_LINK) && pick-- == 0)
            j = d->adj_to[k];
    uint32_t s = d->cl[i], t = d->cl[j], n;
    bool split = s == t;
    double logq, rec[2], cross;
    if (!split && unique_shared(d, s, t))
        return;
    if (!allocate(c, i, j, s, t, split, &logq, rec, &n) || !cross_weight(c, n, rec, &cross))
        return;
    double log_accept = split ? -cross - logq : cross + logq;
    if (log(rk_rng_uniform(c->rng)) >= log_accept)
        return;
    const uint32_t *q = d->queue + c->c0;
    uint32_t to = split ? new_slot(c) : s;
    for (uint32_t h = 0; h < n; h++)
        if (d->side[q[h]] == 2)
            move(c, q[h], to);
}

/* ---- the chain ---- */

/* Cuts each person of the start that stored pairs do not tie together into the pieces they
 * do. */
static void cut_unconnected(chain *c)
{
    drawer *d = c->d;
    uint32_t seen = next_mark(c);
    for (uint32_t a = c->c0; a < c->c1; a++) {
        uint32_t s = d->cl[a];
        if (d->cstamp[s] == seen)
            continue;
        d->cstamp[s] = seen;
        uint32_t mark = next_mark(c), n = d->ccount[s], *rest = d->touched + c->c0, nrest = 0;
        d->astamp[a] = mark;
        d->queue[c->c0] = a;
        if (walk(c, 1, mark, s, s) == n)
            continue;
        for (uint32_t u = d->chead[s]; u != NONE; u = d->cnext[u])
            if (d->astamp[u] != mark)
                rest[nrest++] = u;
        for (uint32_t r = 0; r < nrest; r++) {
            uint32_t u = rest[r];
            if (d->astamp[u] == mark)
                continue;
            d->astamp[u] = mark;
            d->queue[c->c0] = u;
            uint32_t got = walk(c, 1, mark, s, s), piece = new_slot(c);
            for (uint32_t h = 0; h < got; h++)
                move(c, d->queue[c->c0 + h], piece);
        }
    }
}

/* The start: the point estimate's persons, each atom that a reviewer's non-match or a unique
 * list keeps out of its person alone, each person cut into the pieces stored pairs tie. */
static void start(chain *c)
{
    drawer *d = c->d;
    for (uint32_t s = c->c0; s < c->c1; s++) {
        d->cl[s] = d->chead[s] = NONE;
        d->ccount[s] = d->crec[s] = 0;
        d->freeslot[c->c0 + (c->c1 - 1 - s)] = s;
    }
    memset(d->ucount + (size_t)c->c0 * d->nu, 0, (size_t)c->m * d->nu * sizeof(uint32_t));
    c->nfree = c->m;
    const uint32_t *st = d->o->start;
    if (!st) {
        for (uint32_t a = c->c0; a < c->c1; a++)
            join(c, a, new_slot(c));
        return;
    }
    uint64_t *key = d->sortkey + c->c0;
    for (uint32_t a = c->c0; a < c->c1; a++)
        key[a - c->c0] = ((uint64_t)st[d->rec[d->rec_start[a]]] << 32) | a;
    qsort(key, c->m, sizeof(uint64_t), draw_u64_cmp);
    uint32_t s = NONE;
    for (uint32_t h = 0; h < c->m; h++) {
        uint32_t a = (uint32_t)key[h];
        bool fits = h > 0 && key[h] >> 32 == key[h - 1] >> 32 && !unique_clash(d, a, s);
        for (uint32_t k = d->adj_start[a]; fits && k < d->adj_start[a + 1]; k++)
            fits = !((d->adj_flag[k] & DRAW_FORBID) && d->cl[d->adj_to[k]] == s);
        if (!fits)
            s = new_slot(c);
        join(c, a, s);
    }
    cut_unconnected(c);
}

static void sweep(chain *c)
{
    for (uint32_t a = c->c0; a < c->c1; a++)
        gibbs(c, a);
    for (uint32_t t = 0; t < RK_MAX(1u, c->m / 2); t++)
        split_merge(c);
}

static void record(chain *c, size_t draw, int64_t *out)
{
    drawer *d = c->d;
    uint32_t mark = next_mark(c);
    for (uint32_t a = c->c0; a < c->c1; a++) { /* atoms ascend by their smallest record */
        uint32_t s = d->cl[a];
        if (d->cstamp[s] != mark) {
            d->cstamp[s] = mark;
            d->clabel[s] = draw_label(d, d->rec[d->rec_start[a]]);
        }
        for (uint32_t k = d->rec_start[a]; k < d->rec_start[a + 1]; k++)
            out[draw * d->n + d->rec[k]] = d->clabel[s];
    }
}

void draw_chain(drawer *d, uint32_t c0, uint32_t c1, rk_rng *rng, int64_t *out)
{
    chain c = {.d = d, .c0 = c0, .c1 = c1, .m = c1 - c0, .rng = rng};
    start(&c);
    for (size_t t = 0; t < d->o->burn_in; t++)
        sweep(&c);
    for (size_t draw = 0; draw < d->o->k; draw++) {
        for (size_t t = 0; t < d->o->thin; t++)
            sweep(&c);
        record(&c, draw, out);
    }
}
