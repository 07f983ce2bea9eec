/* Fuzz harness for the .xls reader alone (src/ingest/sheet_xls.c): every input is a whole
 * workbook. It is the sheets harness built to read .xls only (tests/fuzz/sheets/fuzz_sheets.c
 * says why the two are apart), so that both read cells by one definition. libFuzzer's build
 * reads each input with both halves of the reader in its own process (RK_FUZZ_XLS_INLINE), in
 * its fork mode (libfuzzer.options here): a workbook that crashes libfreexl ends one job, not
 * the run, and scripts/fuzz.sh reads it again through the importer's reader, which must refuse
 * it with a sentence. libfreexl's own overread and leaks are suppressed for libfreexl alone
 * (asan.supp, lsan.supp here, read by scripts/fuzz.sh). */
#define RK_FUZZ_ONLY_XLS
#include "../sheets/fuzz_sheets.c"
