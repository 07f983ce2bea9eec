/* reckon: link lists of victims of mass violence and estimate how many victims there were.
 * This header includes every public header of libreckon. */
#ifndef RECKON_H
#define RECKON_H

#include "reckon/core.h"
#include "reckon/crypt.h"
#include "reckon/store.h"
#include "reckon/ingest.h"
#include "reckon/export.h"
#include "reckon/text.h"
#include "reckon/link.h"
#include "reckon/estimate.h"
#include "reckon/synth.h"
#include "reckon/report.h"
#include "reckon/release.h"
#include "reckon/serve.h"

#endif
