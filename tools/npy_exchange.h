/* The .npy exchange types of the tools: numpy has no bf16 or sub-byte types,
 * so bf16 travels as f32 (exact), u1 and u4 as u8, i4 as i8 (one element per
 * byte). The same rules as ovcc-run's for the JIT (tools/ovcc_run.c), shared
 * here for the AOT path (tools/aot_run.c). */
#ifndef OVCC_TOOLS_NPY_EXCHANGE_H
#define OVCC_TOOLS_NPY_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/npy.h"

ovcc_element_type npy_exchange_type(ovcc_element_type t);
/* count elements of type t as a new malloc'ed buffer of npy_exchange_type(t)
 * (only for types whose exchange type differs); NULL when out of memory. */
void *npy_widen(ovcc_element_type t, const void *data, uint64_t count);
/* a's data (in npy_exchange_type(to)) converted to `to`, in place. */
bool npy_narrow(npy_array *a, ovcc_element_type to);

#endif
