/* Fuzz harness for the .xls reader alone (libfreexl in a child process, src/ingest/sheet_xls.c):
 * every input is a whole workbook. It is the sheets harness built to read .xls only
 * (tests/fuzz/sheets/fuzz_sheets.c says why the two are apart), so that both read cells by one
 * definition. libfreexl's own overread and leaks are suppressed for libfreexl alone
 * (asan.supp, lsan.supp here, read by scripts/fuzz.sh); a child that libfreexl crashes is
 * counted by scripts/fuzz.sh, and reckon must refuse the input with a sentence. */
#define RK_FUZZ_ONLY_XLS
#include "../sheets/fuzz_sheets.c"
