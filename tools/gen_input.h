/* Generated inputs for ovcc-run and ovcc-bench: seeded, reproducible values
 * (floats uniform in [-1, 1), integers uniform in [0, 10) (4-bit: [0, 8)),
 * booleans 0/1, strings: slices of a fixed ASCII text) and
 * a concrete shape for a partial one (a dynamic dim takes its lower bound,
 * or 1 when that is 0). */
#ifndef OVCC_TOOLS_GEN_INPUT_H
#define OVCC_TOOLS_GEN_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "ovcc/ovcc.h"

/* Concrete dims for s; false for a dynamic rank. */
bool gen_input_dims(const ovcc_partial_shape *s, int64_t *dims, int32_t *rank);
/* Fills `count` elements of type t; false if t has no generator (f8, nf4, ...).
 * OVCC_STRING elements point into static storage. */
bool gen_input_fill(ovcc_element_type t, void *data, uint64_t count, uint64_t seed);
/* "uniform in [-1, 1)" etc. */
const char *gen_input_distribution(ovcc_element_type t);

#endif
