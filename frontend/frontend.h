/* The frontend room: readers that turn model files into the graph IR.
 *  - xml_reader.c: OpenVINO IR v10/v11 (.xml + .bin) on libxml2
 *  - weights.c:    the .bin, mapped read-only, every range checked
 *  - text_parser.c: the textual IR (.ovir) printed by ir/print.c
 * Every reader returns a status and leaves a located message in *d; on
 * failure *out is untouched and nothing leaks. */
#ifndef OVCC_FRONTEND_H
#define OVCC_FRONTEND_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

/* Hard limits on input (named, checked overflow-safe). */
enum {
  FE_MAX_LAYERS = 1 << 22,     /* layers per graph */
  FE_MAX_PORTS = 1 << 12,      /* ports per layer */
  FE_MAX_BODY_DEPTH = 64,      /* nesting of TensorIterator/Loop/If bodies */
};

/* ---- weights.c ---- */
/* Maps `path` read-only into m->weights. A missing file is not an error when
 * `optional` (the model then has no weights). */
ovcc_status fe_weights_map_file(ir_model *m, const char *path, bool optional, ir_diag *d);
/* Copies `n` bytes into the model's arena as its weights. */
ovcc_status fe_weights_from_memory(ir_model *m, const uint8_t *data, size_t n, ir_diag *d);
/* Checks that [offset, offset+size) lies inside the weights (overflow safe)
 * and returns a pointer to it; the message names offset, size and file size. */
ovcc_status fe_weights_range(const ir_model *m, int64_t offset, int64_t size, const uint8_t **out,
                             ir_diag *d);

/* ---- xml_reader.c ---- */
/* Reads model.xml; weights from bin_path, or (NULL) from the .bin beside it.
 * A missing .bin means no weights (any Constant that needs bytes then fails). */
ovcc_status fe_read_xml_file(const char *xml_path, const char *bin_path, ir_model **out,
                             ir_diag *d);
/* Same from memory; `name` is used in messages (e.g. "model.xml"). */
ovcc_status fe_read_xml_memory(const char *xml, size_t xml_len, const uint8_t *bin, size_t bin_len,
                               const char *name, ir_model **out, ir_diag *d);

/* ---- text_parser.c ---- */
/* Parses textual IR. `name` is used in messages as name:line:col. Weights a
 * Constant references by offset come from the graph's `weights` attribute
 * path (relative paths are taken relative to base_dir, may be NULL). */
ovcc_status fe_read_text(const char *text, size_t len, const char *name, const char *base_dir,
                         ir_model **out, ir_diag *d);
ovcc_status fe_read_text_file(const char *path, ir_model **out, ir_diag *d);

/* ---- read.c ---- */
/* Reads by extension: .xml (IR) or anything else as textual IR. */
ovcc_status fe_read_model_file(const char *path, ir_model **out, ir_diag *d);

#endif
