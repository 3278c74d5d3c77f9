/* Writing JSON from the tools (outputs.json of ovcc-run, for .xml and .so). */
#ifndef OVCC_TOOLS_JSON_OUT_H
#define OVCC_TOOLS_JSON_OUT_H

#include <stdio.h>

/* s as a JSON string literal: quotes, backslashes and control bytes escaped. */
void json_string(FILE *f, const char *s);

#endif
