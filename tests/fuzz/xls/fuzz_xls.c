/* Fuzz harness for the .xls reader alone (src/ingest/sheet_xls.c): every input is a whole
 * workbook. It is the sheets harness built to read .xls only (tests/fuzz/sheets/fuzz_sheets.c
 * says why the two are apart), so that both read cells by one definition. libFuzzer's build
 * reads each input with both halves of the reader in its own process (RK_FUZZ_XLS_INLINE), in
 * its fork mode (libfuzzer.options here): a workbook that crashes libfreexl ends one job, not
 * the run, and scripts/fuzz.sh reads it again through the importer's reader, which must refuse
 * it with a sentence. libfreexl's own overread and leaks are suppressed for libfreexl alone
 * (asan.supp, lsan.supp here, read by scripts/fuzz.sh). libFuzzer's check for leaks after each
 * input is off (-detect_leaks=0 in libfuzzer.options): libfreexl leaks on many damaged
 * workbooks, and each check then scanned the whole heap, libfreexl's cells (up to 268 MB a
 * sheet) too, a third of the time an input took; a job that ends without a crash is still
 * checked for leaks as it exits, and `make check SANITIZE=1` replays the corpus under
 * LeakSanitizer. libfreexl's allocations are capped at 64 MB (asan.options: max_allocation_size_mb,
 * allocator_may_return_null): a few bytes may claim a sheet of 65,536 x 256 cells, 268 MB that
 * libfreexl zeroes and the harness walks cell by cell, and `perf` put page faults, zeroing and
 * that walk at over half the fuzzer's time. Past the cap libfreexl is refused memory, as it is
 * past the child's cap in the importer (sheet_xls.c); sheets up to 4 million cells are still
 * read whole, by the same code as larger ones. The rate went from about 1,000 to 2,500 inputs a
 * second on one job. */
#define RK_FUZZ_ONLY_XLS
#include "../sheets/fuzz_sheets.c"
