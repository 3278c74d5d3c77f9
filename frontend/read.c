#include "frontend.h"

#include <string.h>

ovcc_status fe_read_model_file(const char *path, ir_model **out, ir_diag *d) {
  size_t n = strlen(path);
  if (n >= 4 && strcmp(path + n - 4, ".xml") == 0)
    return fe_read_xml_file(path, NULL, out, d);
  return fe_read_text_file(path, out, d);
}
