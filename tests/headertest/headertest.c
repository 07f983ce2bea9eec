/* The public header must compile alone, with -std=c11 -pedantic -Werror. */
#include "reckon/reckon.h"

int rk_headertest_dummy(void);
int rk_headertest_dummy(void)
{
    return RK_OK;
}
