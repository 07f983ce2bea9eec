/* The schema of the project file, as a list of migrations: version N's SQL takes a project
 * from version N-1 to N. PRAGMA user_version holds the version; a newer project is refused. */
#include "store_private.h"

const store_migration store_migrations[] = {
    {1, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        /* A source of records. */
        "CREATE TABLE list("
        "  id INTEGER PRIMARY KEY,"
        "  name TEXT NOT NULL UNIQUE,"
        "  description TEXT, keeper TEXT, citation TEXT, language TEXT,"
        "  created TEXT NOT NULL);"
        /* One file imported into a list. */
        "CREATE TABLE import("
        "  id INTEGER PRIMARY KEY,"
        "  list_id INTEGER NOT NULL REFERENCES list(id),"
        "  file_name TEXT NOT NULL,"
        "  file_sha256 TEXT NOT NULL,"
        "  bytes INTEGER NOT NULL,"
        "  rows INTEGER NOT NULL,"
        "  header TEXT NOT NULL,"  /* JSON array of the column names */
        "  mapping TEXT NOT NULL," /* JSON: the mapping used */
        "  reckon_version TEXT NOT NULL,"
        "  time TEXT NOT NULL,"
        "  superseded_by INTEGER REFERENCES import(id),"
        "  problems INTEGER NOT NULL DEFAULT 0,"
        "  UNIQUE(list_id, file_sha256));"
        /* One row of one imported file: raw as read, and the mapped fields. */
        "CREATE TABLE record("
        "  id INTEGER PRIMARY KEY,"
        "  list_id INTEGER NOT NULL REFERENCES list(id),"
        "  import_id INTEGER NOT NULL REFERENCES import(id),"
        "  row_number INTEGER NOT NULL,"  /* 1-based data row */
        "  line INTEGER NOT NULL,"        /* line of the file where the row starts */
        "  byte_offset INTEGER NOT NULL," /* where the row's bytes start in the file */
        "  byte_length INTEGER NOT NULL,"
        "  record_key TEXT NOT NULL,"
        "  raw TEXT NOT NULL," /* JSON object: header -> value, as read */
        "  full_name TEXT, given_name TEXT, family_name TEXT, second_family_name TEXT,"
        "  patronymic TEXT, father_name TEXT, mother_name TEXT, sex TEXT,"
        "  birth_date TEXT, birth_precision TEXT, birth_year INTEGER, age INTEGER,"
        "  death_date TEXT, death_precision TEXT, place TEXT, region TEXT, violation TEXT,"
        "  extra TEXT," /* JSON object of field:NAME extras */
        "  std TEXT,"   /* JSON: standardized fields and keys */
        "  UNIQUE(import_id, record_key));"
        /* Values kept raw under --lenient, with why. */
        "CREATE TABLE problem("
        "  id INTEGER PRIMARY KEY,"
        "  import_id INTEGER NOT NULL REFERENCES import(id),"
        "  record_id INTEGER REFERENCES record(id),"
        "  line INTEGER NOT NULL, col INTEGER NOT NULL,"
        "  role TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL);"
        /* The append-only, hash-chained log of every change. */
        "CREATE TABLE event("
        "  id INTEGER PRIMARY KEY,"
        "  time TEXT NOT NULL,"
        "  kind TEXT NOT NULL,"
        "  payload TEXT NOT NULL,"
        "  prev_hash TEXT NOT NULL,"
        "  hash TEXT NOT NULL);"
        "CREATE TRIGGER event_no_update BEFORE UPDATE ON event"
        "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
        "CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
        "  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
        /* Records of current (not superseded) imports. */
        "CREATE VIEW current_record AS SELECT r.* FROM record r JOIN import i ON"
        "  i.id = r.import_id WHERE i.superseded_by IS NULL;"},
    {2, /* One linkage: its configuration, fitted model, seed and summary. */
     "CREATE TABLE link_run("
     "  id INTEGER PRIMARY KEY,"
     "  time TEXT NOT NULL,"
     "  reckon_version TEXT NOT NULL,"
     "  config TEXT NOT NULL," /* JSON: blocking rules, fields, levels, thresholds */
     "  model TEXT NOT NULL,"  /* JSON: prior, m, u and weight of every level, EM */
     "  seed INTEGER NOT NULL,"
     "  threshold REAL NOT NULL,"  /* match probability at which records join */
     "  review_low REAL NOT NULL," /* the uncertain band sent to review */
     "  review_high REAL NOT NULL,"
     "  stats TEXT NOT NULL);" /* JSON: records, blocks, pairs compared, times */
     /* Scored candidate pairs above the floor (record ids, a < b). */
     "CREATE TABLE pair("
     "  run_id INTEGER NOT NULL REFERENCES link_run(id),"
     "  record_a INTEGER NOT NULL REFERENCES record(id),"
     "  record_b INTEGER NOT NULL REFERENCES record(id),"
     "  weight REAL NOT NULL," /* log2 Bayes factor, with the prior: match weight */
     "  probability REAL NOT NULL,"
     "  levels TEXT NOT NULL," /* JSON array: the comparison level of each field */
     "  status TEXT NOT NULL," /* linked, unlinked, review, split */
     "  PRIMARY KEY(run_id, record_a, record_b)) WITHOUT ROWID;"
     /* record -> person, per run; person_id is the smallest record id of the person. */
     "CREATE TABLE person("
     "  run_id INTEGER NOT NULL REFERENCES link_run(id),"
     "  record_id INTEGER NOT NULL REFERENCES record(id),"
     "  person_id INTEGER NOT NULL,"
     "  PRIMARY KEY(run_id, record_id)) WITHOUT ROWID;"
     "CREATE INDEX person_by_person ON person(run_id, person_id);"
     /* A reviewer's verdict on a pair, by record keys so that it outlives re-imports. */
     "CREATE TABLE decision("
     "  id INTEGER PRIMARY KEY,"
     "  key_a TEXT NOT NULL, key_b TEXT NOT NULL," /* key_a < key_b */
     "  verdict TEXT NOT NULL CHECK (verdict IN ('match', 'non-match', 'unsure')),"
     "  reviewer TEXT NOT NULL,"
     "  time TEXT NOT NULL,"
     "  note TEXT,"
     "  run_id INTEGER REFERENCES link_run(id));" /* the run the reviewer looked at */
     "CREATE INDEX decision_by_pair ON decision(key_a, key_b);"
     /* One estimate: method, stratum, settings, capture table and result. */
     "CREATE TABLE estimate("
     "  id INTEGER PRIMARY KEY,"
     "  time TEXT NOT NULL,"
     "  run_id INTEGER REFERENCES link_run(id)," /* NULL: from a counts file */
     "  method TEXT NOT NULL,"
     "  model TEXT,"
     "  stratum TEXT,"         /* JSON object field -> value, NULL for all */
     "  lists TEXT NOT NULL,"  /* JSON array of list names */
     "  config TEXT NOT NULL," /* JSON: every setting */
     "  seed INTEGER,"
     "  observed INTEGER NOT NULL,"
     "  estimate REAL, lower REAL, upper REAL,"
     "  status TEXT NOT NULL," /* ok, refused, boundary, ... */
     "  reason TEXT,"
     "  capture TEXT NOT NULL," /* JSON: the capture table used */
     "  result TEXT NOT NULL);" /* JSON: the method's full output */
     /* A figure published by someone, to set beside documentation and estimates. */
     "CREATE TABLE claim("
     "  id INTEGER PRIMARY KEY,"
     "  source TEXT NOT NULL, url TEXT, date TEXT,"
     "  category TEXT NOT NULL," /* killed, wounded, detained, disappeared, ... */
     "  grp TEXT,"               /* women, men, children, elderly, or NULL */
     "  stratum TEXT,"           /* JSON object field -> value, or NULL */
     "  value INTEGER NOT NULL,"
     "  note TEXT,"
     "  time TEXT NOT NULL,"
     "  removed_time TEXT);"}, /* set by `claim remove`; never deleted */
    {3, /* Name search (FTS5), one row per record, rowid = record id. `names`: the record's own
         * name fields as imported; `folded`: the same, lowercased and transliterated to Latin
         * ASCII (ICU), so that "Mamedov" finds "Мамедов"; `keys`: the standardization's name
         * keys (spelling-variant folds such as Məmmədov/Mammadov -> one key, see
         * RK_STORE_NAME_KEYS_SQL). Filled for new records by `reckon serve`; `reckon
         * standardize` refreshes the keys of the records it changes. */
     "CREATE VIRTUAL TABLE name_search USING fts5(names, folded, keys,"
     "  tokenize = 'unicode61 remove_diacritics 2');"},
    {4, /* Estimates stored together by one `reckon estimate` share a batch (the id of its first
         * row), which the batch's audit event vouches for. */
     "ALTER TABLE estimate ADD COLUMN batch INTEGER;"
     "CREATE INDEX estimate_by_batch ON estimate(batch);"},
    {5, /* One definition of two things every reader needs. latest_decision: the decision that
         * stands on each pair of record keys, the latest made (an "unsure" one included: it
         * withdraws an earlier verdict). documented_person: every current record with the
         * person it belongs to in the latest link run; a record that run has not seen
         * (imported since, or no run yet) is a person of its own, named by its record id. */
     "CREATE VIEW latest_decision AS SELECT d.* FROM decision d WHERE d.id = (SELECT max(e.id)"
     "  FROM decision e WHERE e.key_a = d.key_a AND e.key_b = d.key_b);"
     "CREATE VIEW documented_person AS SELECT r.id AS record_id, r.list_id AS list_id,"
     "  coalesce(p.person_id, r.id) AS person_id, p.run_id IS NOT NULL AS linked"
     "  FROM current_record r LEFT JOIN person p ON p.record_id = r.id"
     "  AND p.run_id = (SELECT max(id) FROM link_run);"},
    {6, /* A gazetteer (`reckon gazetteer`): one file of regions and places with their names in
         * other scripts and spellings, from which `--by region` takes a record's region. The
         * latest import is the one in force. Its names are stored as written; their folded keys
         * are computed when read, so a better folding needs no migration. */
     "CREATE TABLE gazetteer("
     "  id INTEGER PRIMARY KEY,"
     "  file_name TEXT NOT NULL,"
     "  file_sha256 TEXT NOT NULL,"
     "  bytes INTEGER NOT NULL,"
     "  rows INTEGER NOT NULL,"
     "  header TEXT NOT NULL,"  /* JSON array of the column names */
     "  columns TEXT NOT NULL," /* JSON: the region, place and name columns */
     "  reckon_version TEXT NOT NULL,"
     "  time TEXT NOT NULL);"
     /* One spelling of one row's place or region: every non-empty cell of the row but the
      * region column's of a place's row. */
     "CREATE TABLE gazetteer_name("
     "  gazetteer_id INTEGER NOT NULL REFERENCES gazetteer(id),"
     "  line INTEGER NOT NULL," /* the row's line in the file */
     "  kind TEXT NOT NULL CHECK (kind IN ('region', 'place')),"
     "  region TEXT NOT NULL," /* the row's region column */
     "  name TEXT NOT NULL,"   /* the canonical name of the row's place or region */
     "  variant TEXT NOT NULL,"
     "  PRIMARY KEY(gazetteer_id, line, variant)) WITHOUT ROWID;"},
    {7, /* The sheet of a spreadsheet an import read (NULL for CSV): its records' lines are the
         * sheet's row numbers, their bytes those of the row in the sheet's XML part. */
     "ALTER TABLE import ADD COLUMN sheet TEXT;"},
    {8, /* Why clustering kept apart the records of a pair scored at or above the threshold
         * (NULL when it did not): JSON {"reason", "record_a", "record_b", "value"}, the reason's
         * name (rk_link_review_reason_name) and the pair that blocked the join. */
     "ALTER TABLE pair ADD COLUMN refusal TEXT;"},
    {9, /* The state each event produced (src/store/state.c): "TABLE SUM" lines, the sum of the
         * hashes of the rows of every table but the log and the caches. Part of the event's
         * hash; NULL for the events logged before. */
     "ALTER TABLE event ADD COLUMN state TEXT;"},
    {10, /* A pair's comparison vector stored once per run (issue 16): a million pairs of a run
          * have some tens of thousands of distinct vectors, and each pair held its ~500 bytes
          * of levels JSON. pair_vector: each distinct vector of a run, numbered from 1, as the
          * JSON array of its fields' levels and weights that pair.levels held; pair.vector
          * names the pair's. The pair table is rebuilt rather than altered, so that `vector`
          * is NOT NULL with its foreign key, where `levels` was, and the rows are written anew
          * without their text; each run's vectors are numbered in the order of their text. The
          * digest of a link event's pairs still reads the levels text
          * (RK_STORE_PAIRS_DIGEST_SQL), so the events of before the migration verify. */
     "CREATE TABLE pair_vector("
     "  run_id INTEGER NOT NULL REFERENCES link_run(id),"
     "  id INTEGER NOT NULL,"
     "  levels TEXT NOT NULL," /* JSON array: each field's level and weight, in field order */
     "  PRIMARY KEY(run_id, id)) WITHOUT ROWID;"
     "INSERT INTO pair_vector(run_id, id, levels) SELECT run_id, row_number() OVER (PARTITION BY"
     "  run_id ORDER BY levels), levels FROM (SELECT DISTINCT run_id, levels FROM pair);"
     "CREATE TEMP TABLE vector_of(run_id INTEGER, levels TEXT, id INTEGER,"
     "  PRIMARY KEY(run_id, levels)) WITHOUT ROWID;"
     "INSERT INTO vector_of SELECT run_id, levels, id FROM pair_vector;"
     "CREATE TABLE pair_new("
     "  run_id INTEGER NOT NULL REFERENCES link_run(id),"
     "  record_a INTEGER NOT NULL REFERENCES record(id),"
     "  record_b INTEGER NOT NULL REFERENCES record(id),"
     "  weight REAL NOT NULL,"
     "  probability REAL NOT NULL,"
     "  vector INTEGER NOT NULL," /* pair_vector(run_id, id): the fields' levels */
     "  status TEXT NOT NULL,"
     "  refusal TEXT,"
     "  PRIMARY KEY(run_id, record_a, record_b),"
     "  FOREIGN KEY(run_id, vector) REFERENCES pair_vector(run_id, id)) WITHOUT ROWID;"
     "INSERT INTO pair_new SELECT p.run_id, p.record_a, p.record_b, p.weight, p.probability,"
     "  v.id, p.status, p.refusal FROM pair p JOIN vector_of v ON v.run_id = p.run_id"
     "  AND v.levels = p.levels ORDER BY p.run_id, p.record_a, p.record_b;"
     "DROP TABLE vector_of;"
     "DROP TABLE pair;"
     "ALTER TABLE pair_new RENAME TO pair;"},
};

const int store_migration_count = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));

int rk_store_schema_version(void)
{
    return store_migrations[store_migration_count - 1].version;
}

int store_migrate(rk_store *st, int from_version)
{
    for (int i = 0; i < store_migration_count; i++) {
        const store_migration *m = &store_migrations[i];
        if (m->version <= from_version)
            continue;
        char *err = NULL;
        if (sqlite3_exec(st->db, m->sql, NULL, NULL, &err) != SQLITE_OK) {
            rk_error_set(st->ctx, RK_ESTORE, "%s: migration to schema %d failed: %s", st->path,
                         m->version, err ? err : "unknown error");
            sqlite3_free(err);
            return RK_ESTORE;
        }
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", m->version);
        int rc = rk_store__exec(st, sql);
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}
