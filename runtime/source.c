/* Where a model comes from. cg_compile rewrites the graph it compiles, and a
 * dynamic-shape model is compiled again for every new set of input shapes,
 * so the runtime keeps the source rather than a graph: file paths (the .bin
 * is mapped again, not copied, each time; the files must not change while a
 * model or compiled model from them lives) or private copies of the bytes.
 * Shared by reference count between a model and what is compiled from it. */
#include "runtime/runtime.h"

#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void source_free(rt_source *s) {
  free(s->xml_path);
  free(s->bin_path);
  free(s->text);
  free(s->bin);
  free(s);
}

ovcc_status rt_source_from_files(const char *xml_path, const char *bin_path, rt_source **out,
                                 ir_diag *d) {
  rt_source *s = calloc(1, sizeof *s);
  if (!s)
    return IR_NOMEM(d);
  atomic_init(&s->refs, 1);
  s->xml_path = strdup(xml_path);
  s->bin_path = dup_or_null(bin_path);
  if (!s->xml_path || (bin_path && !s->bin_path)) {
    source_free(s);
    return IR_NOMEM(d);
  }
  *out = s;
  return OVCC_OK;
}

ovcc_status rt_source_from_memory(const char *text, size_t len, const void *bin, size_t bin_len,
                                  rt_source **out, ir_diag *d) {
  rt_source *s = calloc(1, sizeof *s);
  if (!s)
    return IR_NOMEM(d);
  atomic_init(&s->refs, 1);
  s->text = malloc(len + 1);
  s->bin = bin_len ? malloc(bin_len) : NULL;
  if (!s->text || (bin_len && !s->bin)) {
    source_free(s);
    return IR_NOMEM(d);
  }
  memcpy(s->text, text, len);
  s->text[len] = 0;
  s->text_len = len;
  if (bin_len)
    memcpy(s->bin, bin, bin_len);
  s->bin_len = bin_len;
  *out = s;
  return OVCC_OK;
}

rt_source *rt_source_ref(rt_source *s) {
  atomic_fetch_add(&s->refs, 1);
  return s;
}

void rt_source_unref(rt_source *s) {
  if (s && atomic_fetch_sub(&s->refs, 1) == 1)
    source_free(s);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* XML starts with '<' after optional whitespace (and a UTF-8 BOM). */
static bool looks_like_xml(const char *text, size_t len) {
  size_t i = 0;
  if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
      (unsigned char)text[2] == 0xBF)
    i = 3;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    i++;
  return i < len && text[i] == '<';
}

ovcc_status rt_source_read(const rt_source *s, ir_model **out, ir_diag *d) {
  if (s->xml_path) {
    if (ends_with(s->xml_path, ".xml") || s->bin_path)
      return fe_read_xml_file(s->xml_path, s->bin_path, out, d);
    return fe_read_text_file(s->xml_path, out, d);
  }
  if (looks_like_xml(s->text, s->text_len))
    return fe_read_xml_memory(s->text, s->text_len, s->bin, s->bin_len, "model.xml", out, d);
  return fe_read_text(s->text, s->text_len, "model.ovir", NULL, out, d);
}
