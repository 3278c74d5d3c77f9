/* libFuzzer target: the IR XML reader (fe_read_xml_memory) on arbitrary
 * bytes, with an empty .bin. A model that reads is printed, round-tripped
 * through the text parser and run through -O2 (fuzz_common.h). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t empty_bin[1];
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *m = NULL;
  ovcc_status st = fe_read_xml_memory((const char *)data, size, empty_bin, 0, "fuzz.xml", &m, &d);
  fuzz_check_status(st, "fe_read_xml_memory", &d);
  if (st == OVCC_OK) {
    fuzz_check_model(m);
    ir_model_free(m);
  }
  return 0;
}
