/* `reckon synth --scenario febrl`: two files of Australian-style person records in the shape
 * of the Febrl benchmark files (Christen 2008), where some people of the first file are in the
 * second once more with errors: typing slips, OCR confusions, phonetic spellings, missing
 * values, swapped names, a changed postcode digit, a changed or day/month-swapped birth date.
 * Names, streets and suburbs are drawn from skewed frequency tables (a few very common), each
 * suburb has its postcode and state. A person is a pure function of (seed, id) and each file
 * visits its people in an affine permutation of their ids, so memory does not grow with the
 * number of records and the same seed writes the same bytes. */
#include "synth_run.h"

#include "reckon/synth.h"

#include <math.h>

static const char *const kind_names[] = {"typo", "ocr",      "phonetic", "missing",
                                         "swap", "postcode", "date",     NULL};

const char *rk_synth_febrl_kind(int kind)
{
    return kind >= 0 && kind < RK_FEBRL_NKINDS ? kind_names[kind] : NULL;
}

/* The tables, most common first. */
static const char *const given_f[] = {
    "emily",     "jessica",  "sarah",    "chloe",     "olivia",    "lauren",    "isabella",
    "emma",      "hannah",   "grace",    "sophie",    "charlotte", "ella",      "georgia",
    "mia",       "amelia",   "ruby",     "madison",   "zoe",       "caitlin",   "rebecca",
    "samantha",  "michaela", "courtney", "jade",      "kate",      "alana",     "brooke",
    "tayla",     "bianca",   "jasmine",  "amy",       "laura",     "rachel",    "nicole",
    "stephanie", "danielle", "melissa",  "kimberley", "tahlia",    "eliza",     "lucy",
    "abbey",     "holly",    "paige",    "renee",     "natalie",   "alexandra", "victoria",
    "elizabeth", "claire",   "ashley",   "monique",   "teagan",    "shannon",   "kayla",
    "leah",      "erin",     "naomi",    "tara",      "annabel",   "matilda",   "scarlett",
    "phoebe",    "imogen",   "lily",     "jacinta",   "kirra",     "sienna",    "talia",
    "bridget",   "molly",    "lara",     "ebony",     "jemma",     "kelsey",    "cassandra",
    "brianna",   "rhiannon", "stacey",   "dominique", "elise",     "hayley",    "jordan",
    "keeley",    "lilly",    "mikayla",  "aleisha",   "savannah",  "tamara",    "yasmin",
    "zara",      "portia",   "kiara",    "jorja",     "isabelle",
};
static const char *const given_m[] = {
    "joshua",    "lachlan",  "thomas",  "jack",        "benjamin",  "samuel",   "james",
    "daniel",    "william",  "matthew", "ryan",        "luke",      "nicholas", "jacob",
    "liam",      "ethan",    "dylan",   "alexander",   "jordan",    "mitchell", "riley",
    "connor",    "harrison", "oliver",  "joel",        "jayden",    "cooper",   "callum",
    "brodie",    "blake",    "hayden",  "kyle",        "tyler",     "zachary",  "aidan",
    "bailey",    "jake",     "michael", "christopher", "david",     "andrew",   "adam",
    "nathan",    "patrick",  "timothy", "jesse",       "corey",     "isaac",    "jackson",
    "noah",      "max",      "angus",   "hamish",      "declan",    "fletcher", "harley",
    "jarrod",    "kane",     "lincoln", "mason",       "nathaniel", "oscar",    "reece",
    "sebastian", "toby",     "xavier",  "zane",        "bradley",   "campbell", "darcy",
    "edward",    "finn",     "george",  "henry",       "isaiah",    "jai",      "kieran",
    "lewis",     "marcus",   "owen",    "peter",       "rhys",      "sean",     "travis",
    "wade",      "aaron",    "beau",    "caleb",       "dominic",   "elijah",   "flynn",
    "gabriel",   "hugh",     "jasper",  "keegan",      "logan",
};
static const char *const surnames[] = {
    "smith",     "jones",    "williams", "brown",    "wilson",   "taylor",  "johnson",  "white",
    "martin",    "anderson", "thompson", "nguyen",   "thomas",   "walker",  "harris",   "lee",
    "ryan",      "robinson", "kelly",    "king",     "davis",    "wright",  "evans",    "roberts",
    "green",     "hall",     "wood",     "jackson",  "clarke",   "patel",   "khan",     "lewis",
    "james",     "phillips", "mitchell", "turner",   "cooper",   "hill",    "campbell", "moore",
    "young",     "morris",   "ward",     "murphy",   "edwards",  "stewart", "kennedy",  "baker",
    "neumann",   "painter",  "reid",     "hughes",   "mcdonald", "bell",    "hunt",     "graham",
    "matthews",  "allen",    "scott",    "bennett",  "gray",     "wallace", "carter",   "dixon",
    "mackenzie", "oconnor",  "russell",  "sullivan", "webb",     "fisher",  "palmer",   "lloyd",
    "gibson",    "hayes",    "holmes",   "jenkins",  "marshall", "owen",    "price",    "richards",
    "shaw",      "simpson",  "stevens",  "watson",   "burke",    "byrne",   "chapman",  "dawson",
    "ellis",     "ferguson", "gordon",   "harvey",   "hudson",   "knight",  "lawrence", "mason",
};
/* Stems and endings composed into the long tail of surnames, streets, suburbs and places. */
static const char *const stems[] = {
    "ash",   "bell",  "black", "brad",  "brook", "burn",  "cald", "carr",  "chester", "clay",
    "cole",  "crane", "dal",   "dun",   "elm",   "fair",  "fern", "ford",  "glen",    "gold",
    "green", "hart",  "haw",   "hazel", "holl",  "kings", "lang", "lock",  "marl",    "mill",
    "moor",  "new",   "north", "oak",   "pem",   "penn",  "rad",  "red",   "ridg",    "ross",
    "rush",  "sand",  "shel",  "stan",  "stock", "strat", "sut",  "thorn", "tull",    "wal",
    "war",   "wel",   "west",  "whit",  "wick",  "wil",   "win",  "wood",  "yar",     "bega",
    "cobb",  "dar",   "mur",   "wagg",  "kurr",  "bal",
};
static const char *const name_ends[] = {"ton", "ley", "field", "worth", "wood", "ford",
                                        "er",  "by",  "man",   "son",   "well", "ham",
                                        "den", "ers", "combe", "lock",  "more", "ridge"};
static const char *const place_ends[] = {
    " hills", " park",  " vale",  "dale",   "ton",     " heights", " creek", " beach", " point",
    "ville",  " flats", " downs", " river", " valley", " north",   " south", " west",  "ford",
    "wood",   " bay",   "more",   "field",  " plains", " grove",   " ridge",
};
static const char *const street_types[] = {
    "street", "road",  "avenue", "place", "crescent", "circuit", "drive",
    "close",  "court", "parade", "way",   "lane",     "terrace", "grove",
};
static const char *const states[] = {"nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"};
static const double state_share[] = {0.32, 0.25, 0.2, 0.1, 0.07, 0.025, 0.02, 0.015};
static const int state_postcode[] = {2000, 3000, 4000, 6000, 5000, 7000, 2600, 800};

#define N_OF(a)  (sizeof(a) / sizeof((a)[0]))
#define NSTEMS   N_OF(stems)
#define NSUBURBS (NSTEMS * N_OF(place_ends))

/* An index into a table of n, the first ones common: P(index < k) = (k / n)^(1/skew). */
static size_t skewed(rk_rng *r, size_t n, double skew)
{
    size_t i = (size_t)((double)n * pow(rk_rng_uniform(r), skew));
    return i < n ? i : n - 1;
}

enum {
    F_GIVEN,
    F_SURNAME,
    F_NUMBER,
    F_ADDR1,
    F_ADDR2,
    F_SUBURB,
    F_POSTCODE,
    F_STATE,
    F_DOB,
    F_SSN
};
#define NFIELDS   10
#define FIELD_CAP 64

typedef struct person {
    char v[NFIELDS][FIELD_CAP];
} person;

static void put(person *p, int f, const char *a, const char *b)
{
    snprintf(p->v[f], FIELD_CAP, "%s%s", a, b ? b : "");
}

static uint64_t stream_seed(uint64_t seed, uint64_t pid, uint64_t what)
{
    uint64_t key[3] = {seed, pid, what};
    return rk_hash64(key, sizeof(key), 0x666562726cULL);
}

/* The suburb of index i: its name, and the postcode and state it belongs to. */
static void suburb(person *p, size_t i, uint64_t seed)
{
    put(p, F_SUBURB, stems[i % NSTEMS], place_ends[i / NSTEMS]);
    rk_rng r;
    rk_rng_seed(&r, stream_seed(seed, i, 0x7375627572ULL));
    double u = rk_rng_uniform(&r), c = 0;
    size_t s = 0;
    for (; s + 1 < N_OF(states) && u >= (c += state_share[s]); s++)
        ;
    snprintf(p->v[F_POSTCODE], FIELD_CAP, "%04d", state_postcode[s] + (int)rk_rng_below(&r, 900));
    put(p, F_STATE, states[s], NULL);
}

/* Person pid as first written: a pure function of (seed, pid). */
static void person_make(person *p, uint64_t seed, uint64_t pid)
{
    rk_rng r;
    rk_rng_seed(&r, stream_seed(seed, pid, 0x706572736f6eULL));
    bool male = rk_rng_below(&r, 2);
    if (male)
        put(p, F_GIVEN, given_m[skewed(&r, N_OF(given_m), 1.5)], NULL);
    else
        put(p, F_GIVEN, given_f[skewed(&r, N_OF(given_f), 1.5)], NULL);
    size_t sn = skewed(&r, N_OF(surnames) + NSTEMS * N_OF(name_ends), 1.5);
    if (sn < N_OF(surnames))
        put(p, F_SURNAME, surnames[sn], NULL);
    else {
        sn -= N_OF(surnames);
        put(p, F_SURNAME, stems[sn % NSTEMS], name_ends[sn / NSTEMS]);
    }
    snprintf(p->v[F_NUMBER], FIELD_CAP, "%d", 1 + (int)skewed(&r, 400, 2.0));
    size_t st = rk_rng_below(&r, NSTEMS * N_OF(name_ends));
    snprintf(p->v[F_ADDR1], FIELD_CAP, "%s%s %s", stems[st % NSTEMS], name_ends[st / NSTEMS],
             street_types[skewed(&r, N_OF(street_types), 1.5)]);
    if (rk_rng_uniform(&r) < 0.6) {
        size_t a = rk_rng_below(&r, NSUBURBS);
        put(p, F_ADDR2, stems[a % NSTEMS], place_ends[a / NSTEMS]);
    } else
        p->v[F_ADDR2][0] = 0;
    suburb(p, skewed(&r, NSUBURBS, 1.8), seed);
    int y = 1915 + (int)rk_rng_below(&r, 90), m = 1 + (int)rk_rng_below(&r, 12);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int d = 1 + (int)rk_rng_below(&r, (uint64_t)mdays[m - 1]);
    snprintf(p->v[F_DOB], FIELD_CAP, "%04d%02d%02d", y, m, d);
    snprintf(p->v[F_SSN], FIELD_CAP, "%07d", 1000000 + (int)rk_rng_below(&r, 9000000));
}

/* ---- the modifications ---- */

static const char *const keyboard[26] = {
    "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
    "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
    "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx",
};

/* Replaces n bytes at i of s with rep (the result kept within FIELD_CAP). */
static void splice(char *s, size_t i, size_t n, const char *rep)
{
    char tail[FIELD_CAP];
    snprintf(tail, sizeof(tail), "%s", s + i + n);
    snprintf(s + i, FIELD_CAP - i, "%s%s", rep, tail);
}

static bool typo(char *s, rk_rng *r)
{
    size_t n = strlen(s);
    if (n == 0)
        return false;
    size_t i = rk_rng_below(r, n);
    char c = s[i], rep[2] = {0, 0};
    bool digit = c >= '0' && c <= '9';
    if (digit) { /* numbers get another digit */
        rep[0] = (char)('0' + (c - '0' + 1 + (int)rk_rng_below(r, 9)) % 10);
        splice(s, i, 1, rep);
        return true;
    }
    const char *near = c >= 'a' && c <= 'z' ? keyboard[c - 'a'] : "e";
    switch (rk_rng_below(r, 4)) {
    case 0: /* insert */
        if (n + 1 >= FIELD_CAP)
            return false;
        rep[0] = near[rk_rng_below(r, strlen(near))];
        splice(s, i, 0, rep);
        return true;
    case 1: /* delete */
        if (n < 2)
            return false;
        splice(s, i, 1, "");
        return true;
    case 2: /* substitute a neighbour */
        rep[0] = near[rk_rng_below(r, strlen(near))];
        splice(s, i, 1, rep);
        return true;
    default: /* transpose */
        if (n < 2 || i + 1 >= n || s[i] == s[i + 1])
            return false;
        s[i] = s[i + 1];
        s[i + 1] = c;
        return true;
    }
}

typedef struct rule {
    const char *from, *to;
} rule;

static const rule ocr_rules[] = {
    {"m", "rn"}, {"rn", "m"}, {"o", "0"}, {"0", "o"}, {"l", "1"}, {"1", "l"},  {"i", "l"},
    {"s", "5"},  {"5", "s"},  {"b", "8"}, {"8", "b"}, {"g", "9"}, {"cl", "d"}, {"d", "cl"},
    {"w", "vv"}, {"e", "c"},  {"c", "e"}, {"h", "b"}, {"u", "v"}, {"n", "h"},
};
static const rule phonetic_rules[] = {
    {"ph", "f"},  {"f", "ph"}, {"ck", "k"}, {"c", "k"},     {"k", "c"},    {"ee", "ea"},
    {"ea", "ee"}, {"ie", "y"}, {"y", "ie"}, {"ou", "ow"},   {"mac", "mc"}, {"mc", "mac"},
    {"tt", "t"},  {"ll", "l"}, {"nn", "n"}, {"ss", "s"},    {"z", "s"},    {"s", "z"},
    {"th", "t"},  {"ey", "y"}, {"gh", "g"}, {"wr", "r"},    {"kn", "n"},   {"x", "ks"},
    {"ai", "ay"}, {"er", "a"}, {"i", "y"},  {"son", "sen"},
};

/* Applies one of the rules at one of its places in s, both drawn from r; false if none fits. */
static bool apply_rule(char *s, const rule *rules, size_t nrules, rk_rng *r)
{
    size_t start = rk_rng_below(r, nrules);
    for (size_t k = 0; k < nrules; k++) {
        const rule *ru = &rules[(start + k) % nrules];
        size_t hits = 0, fl = strlen(ru->from);
        for (const char *q = strstr(s, ru->from); q; q = strstr(q + 1, ru->from))
            hits++;
        if (hits == 0 || strlen(s) - fl + strlen(ru->to) >= FIELD_CAP)
            continue;
        size_t which = rk_rng_below(r, hits);
        const char *q = strstr(s, ru->from);
        while (which--)
            q = strstr(q + 1, ru->from);
        splice(s, (size_t)(q - s), fl, ru->to);
        return true;
    }
    return false;
}

/* The fields each kind works on. */
static const int text_fields[] = {F_GIVEN, F_SURNAME, F_ADDR1, F_ADDR2, F_SUBURB, F_NUMBER, F_SSN};
static const int phonetic_fields[] = {F_GIVEN, F_SURNAME, F_ADDR1, F_SUBURB};
static const int missing_fields[] = {F_GIVEN,  F_SURNAME,  F_NUMBER, F_ADDR1, F_ADDR2,
                                     F_SUBURB, F_POSTCODE, F_STATE,  F_DOB,   F_SSN};

/* Tries kind on one of its fields (from a random start); false if none can take it. */
static bool modify(person *p, int kind, rk_rng *r)
{
    const int *fs = text_fields;
    size_t nf = N_OF(text_fields);
    if (kind == RK_FEBRL_PHONETIC)
        fs = phonetic_fields, nf = N_OF(phonetic_fields);
    else if (kind == RK_FEBRL_MISSING)
        fs = missing_fields, nf = N_OF(missing_fields);
    switch (kind) {
    case RK_FEBRL_SWAP: {
        if (strcmp(p->v[F_GIVEN], p->v[F_SURNAME]) == 0)
            return false;
        char t[FIELD_CAP];
        memcpy(t, p->v[F_GIVEN], FIELD_CAP);
        memcpy(p->v[F_GIVEN], p->v[F_SURNAME], FIELD_CAP);
        memcpy(p->v[F_SURNAME], t, FIELD_CAP);
        return true;
    }
    case RK_FEBRL_POSTCODE: {
        char *s = p->v[F_POSTCODE];
        size_t n = strlen(s);
        if (n == 0)
            return false;
        size_t i = rk_rng_below(r, n);
        s[i] = (char)('0' + (s[i] - '0' + 1 + (int)rk_rng_below(r, 9)) % 10);
        return true;
    }
    case RK_FEBRL_DATE: {
        char *s = p->v[F_DOB];
        if (strlen(s) != 8)
            return false;
        if (rk_rng_below(r, 2) == 0 && memcmp(s + 4, s + 6, 2) != 0) { /* YYYYDDMM */
            char mm[2] = {s[4], s[5]};
            memcpy(s + 4, s + 6, 2);
            memcpy(s + 6, mm, 2);
        } else {
            size_t i = 2 + rk_rng_below(r, 6); /* not the century */
            s[i] = (char)('0' + (s[i] - '0' + 1 + (int)rk_rng_below(r, 9)) % 10);
        }
        return true;
    }
    default:
        break;
    }
    size_t start = rk_rng_below(r, nf);
    for (size_t k = 0; k < nf; k++) {
        char *s = p->v[fs[(start + k) % nf]];
        if (!*s)
            continue;
        bool done = kind == RK_FEBRL_TYPO  ? typo(s, r)
                    : kind == RK_FEBRL_OCR ? apply_rule(s, ocr_rules, N_OF(ocr_rules), r)
                    : kind == RK_FEBRL_PHONETIC
                        ? apply_rule(s, phonetic_rules, N_OF(phonetic_rules), r)
                        : (*s = 0, true);
        if (done)
            return true;
    }
    return false;
}

/* Makes 1 to max_errors modifications of p, each of a kind drawn by weight (another draw when
 * the kind cannot apply), counting them by kind. */
static void corrupt(person *p, const rk_synth_febrl_options *o, double total, rk_rng *r,
                    uint64_t *counts)
{
    unsigned n = 1 + (unsigned)rk_rng_below(r, o->max_errors);
    for (unsigned m = 0; m < n; m++)
        for (int tries = 0; tries < 20; tries++) {
            double u = rk_rng_uniform(r) * total, c = 0;
            int k = 0;
            for (; k + 1 < RK_FEBRL_NKINDS && u >= (c += o->weight[k]); k++)
                ;
            while (o->weight[k] <= 0) /* u at the top edge */
                k--;
            if (modify(p, k, r)) {
                counts[k]++;
                break;
            }
        }
}

/* ---- files ---- */

typedef struct out_file {
    FILE *f;
    char path[4096];
    char *buf;
} out_file;

static int out_open(out_file *of, rk_ctx *ctx, synth_made *m, const char *name)
{
    int rc = synth_made_note(m, name, of->path, sizeof(of->path));
    if (rc != RK_OK)
        return rc;
    of->f = fopen(of->path, "wb");
    if (!of->f)
        return rk_error_set(ctx, RK_EIO, "%s: cannot create: %s; check the directory", of->path,
                            strerror(errno));
    of->buf = rk_malloc(1 << 16);
    if (!of->buf)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory opening %s", of->path);
    setvbuf(of->f, of->buf, _IOFBF, 1 << 16);
    return RK_OK;
}

static int out_write(out_file *of, rk_ctx *ctx, const rk_buf *b)
{
    if (rk_fault_hit(RK_FAULT_WRITE) || fwrite(b->data, 1, b->len, of->f) != b->len)
        return rk_error_set(ctx, RK_EIO, "%s: cannot write: %s; check the disk", of->path,
                            strerror(errno ? errno : EIO));
    return RK_OK;
}

static int out_close(out_file *of, rk_ctx *ctx, int rc)
{
    if (of->f && fclose(of->f) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write; check the disk", of->path);
    of->f = NULL;
    rk_free(of->buf);
    of->buf = NULL;
    return rc;
}

/* A permutation of 0..n-1: i -> (a i + b) mod n, a coprime to n. */
typedef struct perm {
    uint64_t n, a, b;
} perm;

static void perm_init(perm *p, uint64_t n, uint64_t seed)
{
    rk_rng r;
    rk_rng_seed(&r, seed);
    p->n = n;
    p->a = n > 2 ? n / 2 + rk_rng_below(&r, n / 2) : 1;
    p->a = synth_coprime(p->a, n);
    p->b = rk_rng_below(&r, n);
}

static uint64_t perm_at(const perm *p, uint64_t i)
{
    uint64_t x = p->a * i % p->n + p->b; /* n <= 1e8: no overflow */
    return x >= p->n ? x - p->n : x;
}

static int write_record(rk_buf *row, const person *p, uint64_t pid, bool dup)
{
    rk_buf_clear(row);
    int rc = rk_buf_printf(row, "rec-%llu-%s", (unsigned long long)pid, dup ? "dup-0" : "org");
    for (int f = 0; f < NFIELDS && rc == RK_OK; f++)
        rc = rk_buf_printf(row, ", %s", p->v[f]);
    return rc == RK_OK ? rk_buf_puts(row, "\n") : rc;
}

static const char header[] = "rec_id, given_name, surname, street_number, address_1, address_2, "
                             "suburb, postcode, state, date_of_birth, soc_sec_id\n";

static int write_mapping(rk_ctx *ctx, synth_made *m)
{
    rk_buf b;
    rk_buf_init(&b);
    int rc = RK_OK;
    for (int l = 0; l < 2 && rc == RK_OK; l++)
        rc = rk_buf_printf(
            &b,
            "%s[list %s]\nfile = %s.csv\ndescription = Febrl-like %s (reckon synth --scenario "
            "febrl)\ndelimiter = ,\ncolumn.id = rec_id\ncolumn.given_name = given_name\n"
            "column.family_name = surname\ncolumn.field:street_number = street_number\n"
            "column.field:address_1 = address_1\ncolumn.field:address_2 = address_2\n"
            "column.field:suburb = suburb\ncolumn.field:postcode = postcode\n"
            "column.field:state = state\ncolumn.field:dob = date_of_birth\n"
            "column.field:soc_sec_id = soc_sec_id\n",
            l ? "\n" : "", l ? "b" : "a", l ? "b" : "a",
            l ? "duplicates and other people" : "originals");
    rc = rc == RK_OK ? synth_write_file(m, "mapping.ini", &b)
                     : rk_error_set(ctx, RK_ENOMEM, "out of memory writing mapping.ini");
    rk_buf_release(&b);
    return rc;
}

static int check_options(rk_ctx *ctx, const rk_synth_febrl_options *o, double *total)
{
    if (o->version != RK_SYNTH_FEBRL_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "febrl options version %u, expected %u", o->version,
                            RK_SYNTH_FEBRL_OPTIONS_VERSION);
    if (o->records < 1 || o->records > 100000000ULL)
        return rk_error_set(ctx, RK_EINPUT, "%llu records asked for; use 1 to 100000000",
                            (unsigned long long)o->records);
    if (o->pairs > o->records)
        return rk_error_set(ctx, RK_EINPUT,
                            "%llu pairs asked for in files of %llu records; use "
                            "at most the number of records",
                            (unsigned long long)o->pairs, (unsigned long long)o->records);
    if (o->max_errors < 1 || o->max_errors > 20)
        return rk_error_set(ctx, RK_EINPUT, "%u errors per duplicate asked for; use 1 to 20",
                            o->max_errors);
    *total = 0;
    for (int k = 0; k < RK_FEBRL_NKINDS; k++) {
        if (!(o->weight[k] >= 0 && o->weight[k] <= 1e6))
            return rk_error_set(ctx, RK_EINPUT, "the weight of '%s' is %g; use a number >= 0",
                                kind_names[k], o->weight[k]);
        *total += o->weight[k];
    }
    if (*total <= 0)
        return rk_error_set(ctx, RK_EINPUT, "every kind of error has weight 0; give one a weight");
    if (!o->out_dir || !*o->out_dir)
        return rk_error_set(ctx, RK_EINPUT, "no output directory given");
    return RK_OK;
}

int rk_synth_febrl(rk_synth_febrl_summary *out, rk_ctx *ctx, const rk_synth_febrl_options *o)
{
    RK_ASSERT_ARG(ctx, out && o);
    memset(out, 0, sizeof(*out));
    double total = 0;
    int rc = check_options(ctx, o, &total);
    if (rc != RK_OK)
        return rc;
    synth_made made;
    if ((rc = synth_made_init(&made, ctx, o->out_dir)) != RK_OK)
        return rc;
    out_file fa = {0}, fb = {0}, ft = {0};
    rk_buf row, trow;
    rk_buf_init(&row);
    rk_buf_init(&trow);
    if ((rc = out_open(&fa, ctx, &made, "a.csv")) != RK_OK ||
        (rc = out_open(&fb, ctx, &made, "b.csv")) != RK_OK ||
        (rc = out_open(&ft, ctx, &made, "truth.csv")) != RK_OK)
        goto cleanup;
    if (rk_buf_puts(&row, header) != RK_OK || rk_buf_puts(&trow, "record_key,person_id\n")) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory writing a header");
        goto cleanup;
    }
    if ((rc = out_write(&fa, ctx, &row)) != RK_OK || (rc = out_write(&fb, ctx, &row)) != RK_OK ||
        (rc = out_write(&ft, ctx, &trow)) != RK_OK)
        goto cleanup;
    /* a.csv holds people 0..N-1; b.csv people 0..M-1 (changed) and N..2N-M-1. */
    uint64_t n = o->records;
    for (int side = 0; side < 2; side++) {
        perm pm;
        perm_init(&pm, n, stream_seed(o->seed, side, 0x7065726dULL));
        out_file *of = side ? &fb : &fa;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t q = perm_at(&pm, i), pid = q;
            bool dup = side == 1 && q < o->pairs;
            if (side == 1 && !dup)
                pid = n + (q - o->pairs);
            person p;
            person_make(&p, o->seed, pid);
            if (dup) {
                rk_rng r;
                rk_rng_seed(&r, stream_seed(o->seed, pid, 0x647570ULL));
                corrupt(&p, o, total, &r, out->errors);
            }
            rk_buf_clear(&trow);
            if (write_record(&row, &p, pid, dup) != RK_OK ||
                rk_buf_printf(&trow, "%s:rec-%llu-%s,%llu\n", side ? "b" : "a",
                              (unsigned long long)pid, dup ? "dup-0" : "org",
                              (unsigned long long)pid) != RK_OK) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory writing a record");
                goto cleanup;
            }
            if ((rc = out_write(of, ctx, &row)) != RK_OK ||
                (rc = out_write(&ft, ctx, &trow)) != RK_OK)
                goto cleanup;
            if ((i & 0xffff) == 0)
                rk_progress(ctx, "making records", side * n + i, 2 * n);
        }
    }
    rk_progress(ctx, "making records", 2 * n, 2 * n);
    out->records_a = out->records_b = n;
    out->pairs = o->pairs;
    rc = write_mapping(ctx, &made);
cleanup:
    rc = out_close(&fa, ctx, rc);
    rc = out_close(&fb, ctx, rc);
    rc = out_close(&ft, ctx, rc);
    if (rc != RK_OK)
        synth_made_discard(&made);
    rk_buf_release(&row);
    rk_buf_release(&trow);
    return rc;
}
