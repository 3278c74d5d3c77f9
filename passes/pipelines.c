/* The named pipelines of -O0 .. -O3, each a plain list read top to bottom.
 * -O0 runs nothing: the model is read, verified and printed. -O3 is -O2 until
 * the layout passes land. */
#include "passes.h"

#include <stddef.h>

static const char PIPELINE_O0[] = "";

static const char PIPELINE_O1[] =
    "infer-shapes,"
    "decompose-einsum,"
    "decompose-sdpa,"
    "canonicalize,"
    "fold-constants,"
    "dce";

static const char PIPELINE_O2[] =
    "infer-shapes,"
    "decompose-einsum,"
    "decompose-sdpa,"
    "canonicalize,"
    "fold-constants,"
    "cse,"
    "canonicalize,"
    "dce,"
    "fuse-elementwise";

static const char *const PIPELINES[] = {PIPELINE_O0, PIPELINE_O1, PIPELINE_O2, PIPELINE_O2};

const char *pass_pipeline_for_level(int level) {
  if (level < 0 || level >= (int)(sizeof PIPELINES / sizeof PIPELINES[0]))
    return NULL;
  return PIPELINES[level];
}
