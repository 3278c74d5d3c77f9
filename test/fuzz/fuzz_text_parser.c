/* libFuzzer target: the textual IR parser (fe_read_text) on arbitrary bytes.
 * A model that parses must print, round-trip and survive -O2
 * (fuzz_common.h). Relative `weights` paths are resolved against a directory
 * that does not exist, so inputs cannot reach files beside the fuzzer. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *m = NULL;
  ovcc_status st = fe_read_text((const char *)data, size, "fuzz.ovir", "/nonexistent-ovcc-fuzz",
                                &m, &d);
  fuzz_check_status(st, "fe_read_text", &d);
  if (st == OVCC_OK) {
    fuzz_check_model(m);
    ir_model_free(m);
  }
  return 0;
}
