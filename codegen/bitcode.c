/* Which embedded bitcode array serves a target (see bitcode.h). */
#include "bitcode.h"

extern const unsigned char ovcc_ukernels_bc_x86_64[], ovcc_ukernels_bc_aarch64[];
extern const size_t ovcc_ukernels_bc_x86_64_size, ovcc_ukernels_bc_aarch64_size;
extern const unsigned char ovcc_aot_rt_bc_x86_64[], ovcc_aot_rt_bc_aarch64[];
extern const size_t ovcc_aot_rt_bc_x86_64_size, ovcc_aot_rt_bc_aarch64_size;

const unsigned char *cg_bitcode(cg_bitcode_kind kind, const cg_target *t, size_t *size) {
  const unsigned char *bc;
  if (kind == CG_BITCODE_UKERNELS) {
    bc = t->aarch64 ? ovcc_ukernels_bc_aarch64 : ovcc_ukernels_bc_x86_64;
    *size = t->aarch64 ? ovcc_ukernels_bc_aarch64_size : ovcc_ukernels_bc_x86_64_size;
  } else {
    bc = t->aarch64 ? ovcc_aot_rt_bc_aarch64 : ovcc_aot_rt_bc_x86_64;
    *size = t->aarch64 ? ovcc_aot_rt_bc_aarch64_size : ovcc_aot_rt_bc_x86_64_size;
  }
  return *size ? bc : NULL;
}
