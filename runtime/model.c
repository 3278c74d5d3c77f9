/* Reading a model: its source is kept (source.c) and its signature — the
 * inputs' and outputs' names, element types and partial shapes — is taken
 * from the graph once, after type inference. */
#include "runtime/runtime.h"

#include <stdlib.h>
#include <string.h>

static void port_free(rt_port *p) {
  for (size_t i = 0; i < p->n_names; i++)
    free(p->names[i]);
  free(p->names);
  free(p->name);
}

void rt_signature_free(rt_signature *s) {
  for (size_t i = 0; i < s->n_inputs; i++)
    port_free(&s->inputs[i]);
  for (size_t i = 0; i < s->n_outputs; i++)
    port_free(&s->outputs[i]);
  free(s->inputs);
  free(s->outputs);
  memset(s, 0, sizeof *s);
}

/* A port from a value: its tensor names, else `fallback` (a layer name). */
static ovcc_status port_from_value(const ir_value *v, const char *fallback, rt_port *p,
                                   ir_diag *d) {
  p->et = v->type.et;
  p->shape = v->type.shape;
  p->n_names = v->n_names;
  p->names = calloc(v->n_names ? v->n_names : 1, sizeof *p->names);
  if (!p->names)
    return IR_NOMEM(d);
  for (uint32_t i = 0; i < v->n_names; i++)
    if (!(p->names[i] = strdup(v->names[i])))
      return IR_NOMEM(d);
  p->name = strdup(v->n_names ? v->names[0] : fallback ? fallback : "");
  return p->name ? OVCC_OK : IR_NOMEM(d);
}

ovcc_status rt_signature_build(const ir_model *m, rt_signature *out, ir_diag *d) {
  const ir_graph *g = m->main;
  rt_signature s = {0};
  s.inputs = calloc(g->n_params ? g->n_params : 1, sizeof *s.inputs);
  s.outputs = calloc(g->n_results ? g->n_results : 1, sizeof *s.outputs);
  if (!s.inputs || !s.outputs) {
    rt_signature_free(&s);
    return IR_NOMEM(d);
  }
  ovcc_status st = OVCC_OK;
  for (uint32_t i = 0; i < g->n_params && st == OVCC_OK; i++, s.n_inputs++) {
    const ir_op *param = g->params[i];
    st = port_from_value(&param->results[0], param->name, &s.inputs[i], d);
  }
  for (uint32_t i = 0; i < g->n_results && st == OVCC_OK; i++, s.n_outputs++) {
    const ir_value *v = ir_op_operand(g->results[i], 0);
    st = port_from_value(v, v->def ? v->def->name : NULL, &s.outputs[i], d);
  }
  if (st != OVCC_OK) {
    rt_signature_free(&s);
    return st;
  }
  *out = s;
  return OVCC_OK;
}

bool rt_signature_static(const rt_signature *s) {
  for (size_t i = 0; i < s->n_inputs; i++)
    if (s->inputs[i].shape.rank < 0 || !ir_shape_is_static(&s->inputs[i].shape))
      return false;
  return true;
}

/* Reads the source once: checks it, infers types, takes the signature. */
static ovcc_status model_from_source(ovcc_context *ctx, rt_source *src, ovcc_model **out) {
  ir_diag d;
  ir_diag_clear(&d);
  ir_model *g = NULL;
  ovcc_status st = rt_source_read(src, &g, &d);
  if (st == OVCC_OK)
    st = cg_prepare_model(g, &d); /* as OpenVINO's read_model */
  ovcc_model *m = NULL;
  if (st == OVCC_OK && !(m = calloc(1, sizeof *m)))
    st = IR_NOMEM(&d);
  if (st == OVCC_OK)
    st = rt_signature_build(g, &m->sig, &d);
  ir_model_free(g);
  if (st != OVCC_OK) {
    free(m);
    rt_source_unref(src);
    return rt_ctx_diag(ctx, &d);
  }
  m->ctx = ctx;
  m->src = src;
  *out = m;
  return OVCC_OK;
}

ovcc_status ovcc_model_read(ovcc_context *ctx, const char *xml_path, const char *bin_path,
                            ovcc_model **out) {
  if (!ctx)
    return OVCC_ERR_INVALID_ARG;
  if (!xml_path || !out)
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG, "ovcc_model_read: %s is NULL",
                        !xml_path ? "xml_path" : "out");
  ir_diag d;
  ir_diag_clear(&d);
  rt_source *src;
  if (rt_source_from_files(xml_path, bin_path, &src, &d) != OVCC_OK)
    return rt_ctx_diag(ctx, &d);
  return model_from_source(ctx, src, out);
}

ovcc_status ovcc_model_read_memory(ovcc_context *ctx, const char *xml, size_t xml_len,
                                   const void *bin, size_t bin_len, ovcc_model **out) {
  if (!ctx)
    return OVCC_ERR_INVALID_ARG;
  if (!xml || !out || (bin_len && !bin))
    return rt_ctx_error(ctx, OVCC_ERR_INVALID_ARG, "ovcc_model_read_memory: %s is NULL",
                        !xml ? "xml" : !out ? "out" : "bin (with bin_len > 0)");
  ir_diag d;
  ir_diag_clear(&d);
  rt_source *src;
  if (rt_source_from_memory(xml, xml_len, bin, bin_len, &src, &d) != OVCC_OK)
    return rt_ctx_diag(ctx, &d);
  return model_from_source(ctx, src, out);
}

void ovcc_model_free(ovcc_model *m) {
  if (!m)
    return;
  rt_signature_free(&m->sig);
  rt_source_unref(m->src);
  free(m);
}
