/* The standardization step run on every imported record. Until the text module is wired in,
 * imports store the mapped fields only. */
#include "cli.h"

void cli_standardize_hook(rk_import_options *opts)
{
    opts->standardize = NULL;
    opts->standardize_user = NULL;
}
