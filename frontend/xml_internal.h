/* Private to the IR XML reader (xml_reader.c, xml_bodies.c, xml_meta.c):
 * the reader state, one parsed layer, helpers over the libxml2 DOM. */
#ifndef OVCC_FRONTEND_XML_INTERNAL_H
#define OVCC_FRONTEND_XML_INTERNAL_H

#include <libxml/tree.h>

#include "frontend.h"

/* Nesting limit of model-level rt_info / meta_data trees. */
enum { XR_MAX_META_DEPTH = 64 };

typedef struct xr_port {
  int64_t id;
  xmlNode *node;
} xr_port;

typedef struct xr_layer {
  xmlNode *node;
  int64_t id;
  long line;
  const char *type, *version, *name; /* scratch copies; version/name may be NULL */
  xr_port *in, *out;
  uint32_t n_in, n_out;
  uint32_t *src, *src_port; /* per input: producer layer index / output index */
  long *src_line;           /* per input: line of the edge (0: none yet) */
  ir_op *op;
  uint32_t next; /* DFS cursor */
  uint8_t state; /* DFS: 0 new, 1 on stack, 2 done */
} xr_layer;

typedef struct xr_idx {
  int64_t id;
  uint32_t index;
} xr_idx;

/* One graph's layers and a sorted id index. */
typedef struct xr_graph {
  xr_layer *layers;
  uint32_t n;
  xr_idx *by_id; /* (id, layer index) sorted by id */
} xr_graph;

typedef struct xr {
  ir_model *m;
  ir_arena scratch; /* freed when reading ends */
  xmlDoc *doc;
  const char *file; /* name used in messages (model arena) */
  int version;      /* 10 or 11 */
  ir_diag *d;
} xr;

/* ---- xml_reader.c ---- */
/* First element child of n named `name`, or NULL. */
xmlNode *xr_child(xmlNode *n, const char *name);
/* Next element sibling after c named `name` (c itself excluded), or NULL. */
xmlNode *xr_next(xmlNode *c, const char *name);
bool xr_is(const xmlNode *n, const char *name);
/* Attribute text (scratch or document owned) or NULL if absent. */
const char *xr_attr(xr *r, xmlNode *n, const char *name);
/* Strict int64 parse of a whole string (surrounding spaces allowed). */
bool xr_parse_i64(const char *s, int64_t *out);
/* Concatenated direct text children (no entity expansion), scratch owned. */
const char *xr_text(xr *r, xmlNode *n);
long xr_line(const xmlNode *n);
/* Records "file:line: msg" (d->line = line). */
ovcc_status xr_err_at(xr *r, long line, ovcc_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records "<op description>: msg" (d->line = op line). */
ovcc_status xr_op_err(xr *r, const ir_op *op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the current message with the op description. */
ovcc_status xr_op_fail(xr *r, const ir_op *op, ovcc_status st);
/* Layer index of id in g, or -1. */
int64_t xr_find_layer(const xr_graph *g, int64_t id);
/* Reads <layers>/<edges> under `root` into graph g (depth: body nesting). */
ovcc_status xr_read_graph(xr *r, xmlNode *root, ir_graph *g, int depth, xr_graph *out);

/* ---- xml_bodies.c ---- */
/* Reads the bodies and port maps of a TensorIterator/Loop/If layer into op. */
ovcc_status xr_read_bodies(xr *r, xr_layer *L, ir_op *op, int depth);

/* ---- xml_meta.c ---- */
/* Node/port <rt_info> (<attribute name=.. version=.. .../>) as a dict, NULL if empty. */
ovcc_status xr_node_rt_info(xr *r, xmlNode *rt, ir_attr_value **out);
/* Model-level <rt_info> and legacy <meta_data>/<quantization_parameters>. */
ovcc_status xr_model_meta(xr *r, xmlNode *net);

#endif
