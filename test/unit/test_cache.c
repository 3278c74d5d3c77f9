/* cache/: the compiled-code cache. Key stability and sensitivity, byte-
 * identical recompilation, cold vs warm outputs through the C API, and every
 * failure mode: truncated, bit-flipped, foreign-version and foreign-key
 * blobs, an unwritable directory, a full disk (RLIMIT_FSIZE), and eight
 * processes writing one key at once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache/blob.h"
#include "cache/cache.h"
#include "frontend/frontend.h"
#include "ovcc/ovcc.h"

#define MODEL OVCC_CORPUS_DIR "/open-closed-eye-0001_fp16/open-closed-eye-0001.xml"
/* A model with a TensorIterator: its program has a region step. */
#define REGION_MODEL OVCC_CORPUS_DIR "/ov_irfe_ti_sliced/ti_sliced.xml"

/* ---- helpers ---- */

static char *make_tmpdir(void) {
  char *dir = strdup("/tmp/ovcc-cache-test-XXXXXX");
  assert_non_null(dir);
  assert_non_null(mkdtemp(dir));
  return dir;
}

static void remove_tree(char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
  assert_int_equal(system(cmd), 0);
  free(dir);
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *s = malloc(n);
  assert_non_null(s);
  snprintf(s, n, "%s/%s", a, b);
  return s;
}

static uint8_t *read_all(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *buf = NULL;
  assert_int_equal(posix_memalign(&buf, 64, len > 0 ? (size_t)len : 1), 0);
  assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
  fclose(f);
  *n = (size_t)len;
  return buf;
}

static void write_all(const char *path, const uint8_t *p, size_t n) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(p, 1, n, f), n);
  fclose(f);
}

/* Entries of dir: blobs (*.ovccblob) and anything else (temporaries). */
static void count_entries(const char *dir, int *blobs, int *others) {
  *blobs = *others = 0;
  DIR *d = opendir(dir);
  if (!d)
    return;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
      continue;
    size_t n = strlen(e->d_name);
    if (n > 9 && strcmp(e->d_name + n - 9, ".ovccblob") == 0)
      (*blobs)++;
    else
      (*others)++;
  }
  closedir(d);
}

/* The key the runtime computes for MODEL with default options. */
static cache_key model_key(const cg_options *o) {
  size_t xml_n;
  uint8_t *xml = read_all(MODEL, &xml_n);
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(fe_read_xml_file(MODEL, NULL, &m, &d), OVCC_OK);
  cache_key_input in = {.xml = xml,
                        .xml_size = xml_n,
                        .weights = m->weights.data,
                        .weights_size = m->weights.size,
                        .options = o};
  cache_key k;
  assert_int_equal(cache_key_compute(&in, &k, &d), OVCC_OK);
  ir_model_free(m);
  free(xml);
  return k;
}

static char *blob_path_in(const char *dir) {
  cg_options o;
  cg_options_init(&o);
  cache_key k = model_key(&o);
  cache_dir c = {.path = dir};
  char *p = cache_blob_path(&c, &k);
  assert_non_null(p);
  return p;
}

static ino_t inode_of(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return st.st_ino;
}

/* Compiles MODEL (cache_dir may be NULL), runs it on a fixed input and
 * returns all outputs' bytes concatenated. */
static uint8_t *run_model(const char *cache_dir, size_t *n_out) {
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compile_options o;
  ovcc_compile_options_init(&o);
  o.cache_dir = cache_dir;
  o.threads = 1;
  ovcc_compiled_model *cm = NULL;
  ovcc_status st = ovcc_compile_file(ctx, MODEL, &o, &cm);
  if (st != OVCC_OK)
    fail_msg("compile: %s", ovcc_context_last_error(ctx));
  ovcc_infer_request *r;
  assert_int_equal(ovcc_infer_request_create(cm, &r), OVCC_OK);
  for (size_t i = 0; i < ovcc_compiled_model_num_inputs(cm); i++) {
    ovcc_tensor t;
    assert_int_equal(ovcc_infer_request_input_tensor(r, i, NULL, 0, &t), OVCC_OK);
    assert_int_equal(t.type, OVCC_F32);
    float *x = t.data;
    for (size_t k = 0; k < t.nbytes / sizeof *x; k++)
      x[k] = (float)((k * 37 + i * 11) % 101) / 50.0f - 1.0f;
  }
  assert_int_equal(ovcc_infer_request_infer(r), OVCC_OK);
  uint8_t *out = NULL;
  size_t n = 0;
  for (size_t i = 0; i < ovcc_compiled_model_num_outputs(cm); i++) {
    ovcc_tensor t;
    assert_int_equal(ovcc_infer_request_get_output(r, i, &t), OVCC_OK);
    out = realloc(out, n + t.nbytes);
    assert_non_null(out);
    memcpy(out + n, t.data, t.nbytes);
    n += t.nbytes;
  }
  ovcc_infer_request_free(r);
  ovcc_compiled_model_free(cm);
  ovcc_context_free(ctx);
  *n_out = n;
  return out;
}

static void assert_same_outputs(const char *cache_dir, const uint8_t *ref, size_t ref_n) {
  size_t n;
  uint8_t *got = run_model(cache_dir, &n);
  assert_int_equal(n, ref_n);
  assert_memory_equal(got, ref, n);
  free(got);
}

static void count_warning(void *user, const char *msg) {
  (void)msg;
  (*(int *)user)++;
}

/* ---- key ---- */

static cache_key key_of(const char *xml, const char *weights, const cg_options *o) {
  cache_key_input in = {.xml = xml,
                        .xml_size = strlen(xml),
                        .weights = weights,
                        .weights_size = weights ? strlen(weights) : 0,
                        .options = o};
  cache_key k;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(cache_key_compute(&in, &k, &d), OVCC_OK);
  return k;
}

static void assert_keys_differ(cache_key a, cache_key b) {
  assert_memory_not_equal(a.b, b.b, CACHE_KEY_BYTES);
}

static void test_key(void **state) {
  (void)state;
  cg_options o;
  cg_options_init(&o);
  cache_key base = key_of("<net/>", "wts", &o);
  cache_key again = key_of("<net/>", "wts", &o);
  assert_memory_equal(base.b, again.b, CACHE_KEY_BYTES);
  assert_keys_differ(base, key_of("<net />", "wts", &o));
  assert_keys_differ(base, key_of("<net/>", "wtS", &o));
  assert_keys_differ(base, key_of("<net/>", NULL, &o));
  /* Field framing: moving bytes between xml and weights changes the key. */
  assert_keys_differ(key_of("ab", "c", &o), key_of("a", "bc", &o));
  cg_options v = o;
  v.opt_level = 3;
  assert_keys_differ(base, key_of("<net/>", "wts", &v));
  v = o;
  v.precision = IR_ET_DYNAMIC;
  assert_keys_differ(base, key_of("<net/>", "wts", &v));
  v = o;
  v.cpu = "haswell";
  cache_key haswell = key_of("<net/>", "wts", &v);
  assert_keys_differ(base, haswell);
  v.cpu = "skylake-avx512";
  assert_keys_differ(haswell, key_of("<net/>", "wts", &v));
  v = o;
  v.cpu_features = "-avx2";
  assert_keys_differ(base, key_of("<net/>", "wts", &v));
  ir_shape s1 = {.rank = 2, .d = {ir_dim_static(1), ir_dim_static(8)}};
  ir_shape s2 = {.rank = 2, .d = {ir_dim_static(2), ir_dim_static(8)}};
  v = o;
  v.input_shapes = &s1;
  v.n_input_shapes = 1;
  cache_key k1 = key_of("<net/>", "wts", &v);
  assert_keys_differ(base, k1);
  v.input_shapes = &s2;
  assert_keys_differ(k1, key_of("<net/>", "wts", &v));
  char hex[2 * CACHE_KEY_BYTES + 1];
  cache_key_hex(&base, hex);
  assert_int_equal(strlen(hex), 64);
}

/* ---- determinism ---- */

static void compile_artifact(cg_program **p, cg_artifact *art, ir_model **m) {
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(fe_read_xml_file(MODEL, NULL, m, &d), OVCC_OK);
  if (cg_compile_artifact(*m, NULL, p, art, &d) != OVCC_OK)
    fail_msg("compile: %s", d.msg);
}

static void test_deterministic(void **state) {
  (void)state;
  cg_program *p1, *p2;
  cg_artifact a1, a2;
  ir_model *m1, *m2;
  compile_artifact(&p1, &a1, &m1);
  compile_artifact(&p2, &a2, &m2);
  assert_int_equal(a1.obj_size, a2.obj_size);
  assert_memory_equal(a1.obj, a2.obj, a1.obj_size);
  cache_key k = {{1}};
  uint8_t *b1, *b2;
  size_t n1, n2;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(cache_encode(&k, p1, &a1, &m1->weights, &b1, &n1, &d), OVCC_OK);
  assert_int_equal(cache_encode(&k, p2, &a2, &m2->weights, &b2, &n2, &d), OVCC_OK);
  assert_int_equal(n1, n2);
  assert_memory_equal(b1, b2, n1);
  assert_int_equal(cache_check(&k, b1, n1, &d), OVCC_OK);
  free(b1);
  free(b2);
  cg_artifact_free(&a1);
  cg_artifact_free(&a2);
  cg_program_free(p1);
  cg_program_free(p2);
}

/* ---- round trip ---- */

static void test_round_trip(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  assert_same_outputs(dir, ref, ref_n); /* cold: compiles and stores */
  char *blob = blob_path_in(dir);
  ino_t ino = inode_of(blob);
  assert_same_outputs(dir, ref, ref_n); /* warm: loads, does not rewrite */
  assert_int_equal(inode_of(blob), ino);
  int blobs, others;
  count_entries(dir, &blobs, &others);
  assert_int_equal(blobs, 1);
  assert_int_equal(others, 0);
  /* The cache API loads it too, silently. */
  int warnings = 0;
  cache_dir c = {.path = dir, .warn = count_warning, .user = &warnings};
  cg_options o;
  cg_options_init(&o);
  cache_key k = model_key(&o);
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(fe_read_xml_file(MODEL, NULL, &m, &d), OVCC_OK);
  cg_program *p = NULL;
  assert_true(cache_load(&c, &k, m, &p));
  assert_non_null(p);
  assert_int_equal(warnings, 0);
  cg_program_free(p); /* frees m */
  free(blob);
  free(ref);
  remove_tree(dir);
}

/* ---- regions: body programs round trip ---- */

static void assert_same_program(const cg_program *a, const cg_program *b);

static void assert_same_region_ports(const cg_region_port *a, const cg_region_port *b,
                                     uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    assert_int_equal(a[i].outer_slot, b[i].outer_slot);
    assert_int_equal(a[i].body_index, b[i].body_index);
    assert_int_equal(a[i].sliced, b[i].sliced);
    assert_int_equal(a[i].start, b[i].start);
    assert_int_equal(a[i].stride, b[i].stride);
    assert_int_equal(a[i].part_size, b[i].part_size);
    assert_int_equal(a[i].outer, b[i].outer);
    assert_int_equal(a[i].axis_len, b[i].axis_len);
    assert_int_equal(a[i].inner_bytes, b[i].inner_bytes);
    assert_int_equal(a[i].buf_slot, b[i].buf_slot);
    assert_int_equal(a[i].nbytes, b[i].nbytes);
  }
}

static void assert_same_region(const cg_region *a, const cg_region *b) {
  assert_int_equal(a->kind, b->kind);
  assert_int_equal(a->iterations, b->iterations);
  assert_int_equal(a->trip_slot, b->trip_slot);
  assert_int_equal(a->cond_slot, b->cond_slot);
  assert_int_equal(a->cur_iter_param, b->cur_iter_param);
  assert_int_equal(a->body_cond_result, b->body_cond_result);
  for (int k = 0; k < 2; k++) {
    assert_int_equal(a->body[k] != NULL, b->body[k] != NULL);
    if (!a->body[k])
      continue;
    assert_int_equal(a->body_arena_slot[k], b->body_arena_slot[k]);
    assert_same_program(a->body[k], b->body[k]);
    assert_int_equal(a->n_in[k], b->n_in[k]);
    assert_int_equal(a->n_out[k], b->n_out[k]);
    assert_same_region_ports(a->in[k], b->in[k], a->n_in[k]);
    assert_same_region_ports(a->out[k], b->out[k], a->n_out[k]);
  }
  assert_int_equal(a->n_be, b->n_be);
  for (uint32_t i = 0; i < a->n_be; i++) {
    assert_int_equal(a->be_from[i], b->be_from[i]);
    assert_int_equal(a->be_to[i], b->be_to[i]);
  }
}

/* Steps, slots (constants by content), outputs and regions, recursively. */
static void assert_same_program(const cg_program *a, const cg_program *b) {
  assert_int_equal(a->arena_size, b->arena_size);
  assert_int_equal(a->n_inputs, b->n_inputs);
  assert_int_equal(a->n_slots, b->n_slots);
  for (uint32_t i = 0; i < a->n_slots; i++) {
    assert_int_equal(a->slots[i].kind, b->slots[i].kind);
    assert_int_equal(a->slots[i].nbytes, b->slots[i].nbytes);
    if (a->slots[i].kind == CG_SLOT_CONST)
      assert_memory_equal(a->slots[i].data, b->slots[i].data, a->slots[i].nbytes);
    else if (a->slots[i].kind == CG_SLOT_ARENA)
      assert_int_equal(a->slots[i].offset, b->slots[i].offset);
    else
      assert_int_equal(a->slots[i].index, b->slots[i].index);
  }
  assert_int_equal(a->n_steps, b->n_steps);
  for (uint32_t i = 0; i < a->n_steps; i++) {
    const cg_step *x = &a->steps[i], *y = &b->steps[i];
    assert_int_equal(x->kind, y->kind);
    assert_int_equal(x->kernel, y->kernel);
    assert_int_equal(x->n_bufs, y->n_bufs);
    if (x->n_bufs)
      assert_memory_equal(x->bufs, y->bufs, x->n_bufs * sizeof *x->bufs);
    assert_int_equal(x->work, y->work);
    assert_string_equal(x->op_type, y->op_type);
    if (x->kind == CG_STEP_REGION)
      assert_same_region(x->region, y->region);
  }
  assert_int_equal(a->n_outputs, b->n_outputs);
  for (uint32_t i = 0; i < a->n_outputs; i++)
    assert_int_equal(a->outputs[i].slot, b->outputs[i].slot);
}

static bool has_region(const cg_program *p) {
  for (uint32_t i = 0; i < p->n_steps; i++)
    if (p->steps[i].kind == CG_STEP_REGION)
      return true;
  return false;
}

/* A 64-byte aligned copy, as the store reads blobs (decode keeps it). */
static uint8_t *aligned_copy(const uint8_t *p, size_t n) {
  void *q = NULL;
  assert_int_equal(posix_memalign(&q, 64, n ? n : 1), 0);
  memcpy(q, p, n);
  return q;
}

static ovcc_status decode_region_model(const cache_key *k, const uint8_t *blob, size_t n,
                                       cg_program **out, ir_diag *d) {
  ir_model *m = NULL;
  assert_int_equal(fe_read_xml_file(REGION_MODEL, NULL, &m, d), OVCC_OK);
  uint8_t *copy = aligned_copy(blob, n);
  ovcc_status st = cache_decode(k, copy, n, m, out, d);
  if (st != OVCC_OK) { /* on success the program owns both */
    free(copy);
    ir_model_free(m);
  }
  return st;
}

/* The metadata cut short by `cut` bytes, sizes and checksum fixed up: only
 * the decoder's own checks can catch it. */
static size_t cut_metadata(uint8_t *blob, size_t n, size_t cut) {
  cache_header h;
  memcpy(&h, blob, sizeof h);
  h.meta_size -= cut;
  h.payload_size -= cut;
  cache_checksum(blob + CACHE_HEADER_BYTES, h.payload_size, h.checksum);
  memcpy(blob, &h, sizeof h);
  return n - cut;
}

static void test_region_round_trip(void **state) {
  (void)state;
  ir_model *m = NULL;
  cg_program *p = NULL;
  cg_artifact art;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(fe_read_xml_file(REGION_MODEL, NULL, &m, &d), OVCC_OK);
  if (cg_compile_artifact(m, NULL, &p, &art, &d) != OVCC_OK)
    fail_msg("compile: %s", d.msg);
  assert_true(has_region(p));
  cache_key k = {{7}};
  uint8_t *blob;
  size_t n;
  assert_int_equal(cache_encode(&k, p, &art, &m->weights, &blob, &n, &d), OVCC_OK);
  cg_program *q = NULL;
  if (decode_region_model(&k, blob, n, &q, &d) != OVCC_OK)
    fail_msg("decode: %s", d.msg);
  assert_same_program(p, q);
  cg_program_free(q);
  /* Every truncation of the metadata fails cleanly, mid-region included. */
  cache_header h;
  memcpy(&h, blob, sizeof h);
  for (size_t cut = 1; cut <= h.meta_size; cut++) {
    uint8_t *short_blob = aligned_copy(blob, n);
    size_t short_n = cut_metadata(short_blob, n, cut);
    q = NULL;
    assert_int_equal(decode_region_model(&k, short_blob, short_n, &q, &d), OVCC_ERR_IO);
    assert_null(q);
    free(short_blob);
  }
  /* A flipped bit in the region metadata fails the checksum. */
  blob[n - 16] ^= 0x04;
  q = NULL;
  assert_int_equal(decode_region_model(&k, blob, n, &q, &d), OVCC_ERR_IO);
  assert_null(q);
  free(blob);
  cg_artifact_free(&art);
  cg_program_free(p); /* frees m */
}

/* ---- broken blobs: detected, warned once, replaced ---- */

typedef void (*corrupt_fn)(uint8_t *blob, size_t *n);

static void truncate_blob(uint8_t *blob, size_t *n) {
  (void)blob;
  *n = *n * 2 / 3;
}

static void truncate_header(uint8_t *blob, size_t *n) {
  (void)blob;
  *n = CACHE_HEADER_BYTES / 2;
}

static void flip_bit(uint8_t *blob, size_t *n) {
  blob[CACHE_HEADER_BYTES + (*n - CACHE_HEADER_BYTES) / 2] ^= 0x10;
}

static void flip_last_bit(uint8_t *blob, size_t *n) { blob[*n - 1] ^= 0x01; }

static void wrong_version(uint8_t *blob, size_t *n) {
  (void)n;
  cache_header h;
  memcpy(&h, blob, sizeof h);
  h.format_version = CACHE_FORMAT_VERSION + 1;
  memcpy(blob, &h, sizeof h);
}

static void wrong_key(uint8_t *blob, size_t *n) {
  (void)n;
  blob[offsetof(cache_header, key)] ^= 0xff;
}

static void garbage(uint8_t *blob, size_t *n) {
  for (size_t i = 0; i < *n; i++)
    blob[i] = (uint8_t)(i * 131 + 7);
}

static void check_corruption(corrupt_fn corrupt) {
  char *dir = make_tmpdir();
  size_t ref_n;
  uint8_t *ref = run_model(dir, &ref_n);
  char *path = blob_path_in(dir);
  size_t n;
  uint8_t *blob = read_all(path, &n);
  corrupt(blob, &n);
  write_all(path, blob, n);
  free(blob);
  /* Detected and reported once, never used. */
  int warnings = 0;
  cache_dir c = {.path = dir, .warn = count_warning, .user = &warnings};
  cg_options o;
  cg_options_init(&o);
  cache_key k = model_key(&o);
  ir_model *m = NULL;
  ir_diag d;
  ir_diag_clear(&d);
  assert_int_equal(fe_read_xml_file(MODEL, NULL, &m, &d), OVCC_OK);
  cg_program *p = NULL;
  assert_false(cache_load(&c, &k, m, &p));
  assert_null(p);
  assert_int_equal(warnings, 1);
  ir_model_free(m);
  /* The runtime recompiles (same outputs) and replaces the blob. */
  assert_same_outputs(dir, ref, ref_n);
  blob = read_all(path, &n);
  assert_int_equal(cache_check(&k, blob, n, &d), OVCC_OK);
  free(blob);
  free(path);
  free(ref);
  remove_tree(dir);
}

static void test_truncated(void **state) {
  (void)state;
  check_corruption(truncate_blob);
  check_corruption(truncate_header);
}

static void test_bit_flip(void **state) {
  (void)state;
  check_corruption(flip_bit);
  check_corruption(flip_last_bit);
  check_corruption(garbage);
}

static void test_wrong_version(void **state) {
  (void)state;
  check_corruption(wrong_version);
  check_corruption(wrong_key);
}

static void test_empty_file(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char *path = blob_path_in(dir);
  write_all(path, (const uint8_t *)"", 0);
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  assert_same_outputs(dir, ref, ref_n);
  size_t n;
  uint8_t *blob = read_all(path, &n);
  assert_true(n > CACHE_HEADER_BYTES);
  free(blob);
  free(path);
  free(ref);
  remove_tree(dir);
}

/* ---- soft failures of the directory ---- */

static void test_unwritable_dir(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  /* A path below a regular file can never be created or written, even by root. */
  char *file = join(dir, "file");
  write_all(file, (const uint8_t *)"x", 1);
  char *below = join(file, "cache");
  assert_same_outputs(below, ref, ref_n);
  assert_same_outputs(below, ref, ref_n);
  /* A read-only directory (only meaningful when not root). */
  char *ro = join(dir, "ro");
  assert_int_equal(mkdir(ro, 0555), 0);
  assert_same_outputs(ro, ref, ref_n);
  int blobs, others;
  count_entries(ro, &blobs, &others);
  if (geteuid() != 0) {
    assert_int_equal(blobs, 0);
    assert_int_equal(others, 0);
  }
  free(ro);
  free(below);
  free(file);
  free(ref);
  remove_tree(dir);
}

/* A full disk: writes beyond RLIMIT_FSIZE fail with EFBIG, as with ENOSPC. */
static void test_disk_full(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {.rlim_cur = 4096, .rlim_max = 4096};
    setrlimit(RLIMIT_FSIZE, &rl);
    size_t n;
    uint8_t *got = run_model(dir, &n);
    _exit(n == ref_n && memcmp(got, ref, n) == 0 ? 0 : 3);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  int blobs, others;
  count_entries(dir, &blobs, &others);
  assert_int_equal(blobs, 0);
  assert_int_equal(others, 0); /* the partial temporary file was removed */
  free(ref);
  remove_tree(dir);
}

/* ---- concurrent writers ---- */

static void test_concurrent_writers(void **state) {
  (void)state;
  enum { N = 8 };
  char *dir = make_tmpdir();
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  fflush(NULL);
  pid_t pids[N];
  for (int i = 0; i < N; i++) {
    pids[i] = fork();
    assert_true(pids[i] >= 0);
    if (pids[i] == 0) {
      size_t n;
      uint8_t *got = run_model(dir, &n);
      _exit(n == ref_n && memcmp(got, ref, n) == 0 ? 0 : 3);
    }
  }
  for (int i = 0; i < N; i++) {
    int status;
    assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }
  int blobs, others;
  count_entries(dir, &blobs, &others);
  assert_int_equal(blobs, 1);
  assert_int_equal(others, 0);
  char *path = blob_path_in(dir);
  size_t n;
  uint8_t *blob = read_all(path, &n);
  ir_diag d;
  ir_diag_clear(&d);
  cg_options o;
  cg_options_init(&o);
  cache_key k = model_key(&o);
  assert_int_equal(cache_check(&k, blob, n, &d), OVCC_OK);
  ino_t ino = inode_of(path);
  assert_same_outputs(dir, ref, ref_n); /* warm */
  assert_int_equal(inode_of(path), ino);
  free(blob);
  free(path);
  free(ref);
  remove_tree(dir);
}

/* ---- OVCC_CACHE_DIR ---- */

static void test_env_var(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  setenv("OVCC_CACHE_DIR", dir, 1);
  assert_same_outputs(NULL, ref, ref_n);
  unsetenv("OVCC_CACHE_DIR");
  int blobs, others;
  count_entries(dir, &blobs, &others);
  assert_int_equal(blobs, 1);
  free(ref);
  remove_tree(dir);
}

/* OVCC_CACHE_MAX_SIZE: every store prunes least recently used blobs. */
static void test_max_size(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char name[128];
  snprintf(name, sizeof name, "%064d.ovccblob", 0);
  char *old = join(dir, name);
  uint8_t *big = calloc(1, 1 << 20);
  assert_non_null(big);
  write_all(old, big, 1 << 20); /* alone it fits the limit, with the new one not */
  free(big);
  struct timespec t[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};
  assert_int_equal(utimensat(AT_FDCWD, old, t, 0), 0);
  size_t ref_n;
  uint8_t *ref = run_model(NULL, &ref_n);
  setenv("OVCC_CACHE_MAX_SIZE", "1M", 1); /* the new blob fits alone */
  assert_same_outputs(dir, ref, ref_n);
  int blobs, others;
  count_entries(dir, &blobs, &others);
  assert_int_equal(blobs, 1);
  assert_int_equal(access(old, F_OK), -1);
  setenv("OVCC_CACHE_MAX_SIZE", "1", 1); /* nothing fits: compiled, not kept */
  char *fresh = make_tmpdir();
  assert_same_outputs(fresh, ref, ref_n);
  count_entries(fresh, &blobs, &others);
  assert_int_equal(blobs + others, 0);
  setenv("OVCC_CACHE_MAX_SIZE", "lots", 1);
  ovcc_context *ctx;
  assert_int_equal(ovcc_context_create(&ctx), OVCC_OK);
  ovcc_compile_options o;
  ovcc_compile_options_init(&o);
  o.cache_dir = fresh;
  ovcc_compiled_model *cm = NULL;
  assert_int_equal(ovcc_compile_file(ctx, MODEL, &o, &cm), OVCC_ERR_INVALID_ARG);
  ovcc_context_free(ctx);
  unsetenv("OVCC_CACHE_MAX_SIZE");
  free(old);
  free(ref);
  remove_tree(fresh);
  remove_tree(dir);
}

/* ---- management ---- */

static void write_aged(const char *dir, const char *name, size_t size, time_t age) {
  char *path = join(dir, name);
  uint8_t *bytes = calloc(1, size);
  assert_non_null(bytes);
  write_all(path, bytes, size);
  struct timespec t[2] = {{.tv_sec = time(NULL) - age}, {.tv_sec = time(NULL) - age}};
  assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
  free(bytes);
  free(path);
}

static void test_manage(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  size_t ref_n;
  free(run_model(dir, &ref_n)); /* one real blob, just used */
  char hex[2 * CACHE_KEY_BYTES + 1];
  memset(hex, 'a', sizeof hex - 1);
  hex[sizeof hex - 1] = 0;
  char name[128];
  snprintf(name, sizeof name, "%s.ovccblob", hex);
  write_aged(dir, name, 1000, 100); /* older: evicted first */
  hex[0] = 'b';
  snprintf(name, sizeof name, "%s.ovccblob", hex);
  write_aged(dir, name, 1000, 50);
  snprintf(name, sizeof name, "%s.ovccblob.tmp.abc123", hex);
  write_aged(dir, name, 10, 7200); /* a crashed writer's */
  snprintf(name, sizeof name, "%s.ovccblob.tmp.def456", hex);
  write_aged(dir, name, 10, 0);               /* a writer at work */
  write_aged(dir, "unrelated.txt", 10, 9999); /* never touched */

  ir_diag d;
  ir_diag_clear(&d);
  cache_entry *es;
  size_t n;
  assert_int_equal(cache_list(dir, &es, &n, &d), OVCC_OK);
  assert_int_equal(n, 5);
  char *real = blob_path_in(dir);
  uint64_t real_size = 0;
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (es[i].temporary)
      continue;
    ir_diag_clear(&d);
    bool ok = cache_verify_file(es[i].path, &d) == OVCC_OK;
    assert_int_equal(ok, strcmp(es[i].path, real) == 0);
    bad += !ok;
    if (ok)
      real_size = es[i].size;
  }
  assert_int_equal(bad, 2);
  cache_entries_free(es, n);

  /* Room for the real blob and one fake: the older fake and the stale
   * temporary go. */
  uint64_t removed;
  assert_int_equal(cache_prune(dir, real_size + 1000, &removed, &d), OVCC_OK);
  assert_int_equal(removed, 1000 + 10);
  assert_int_equal(cache_list(dir, &es, &n, &d), OVCC_OK);
  assert_int_equal(n, 3);
  assert_string_equal(es[0].path, real); /* most recently used first */
  cache_entries_free(es, n);

  assert_int_equal(cache_clear(dir, &removed, &d), OVCC_OK);
  assert_int_equal(cache_list(dir, &es, &n, &d), OVCC_OK);
  assert_int_equal(n, 0);
  cache_entries_free(es, n);
  int blobs, others;
  count_entries(dir, &blobs, &others);
  assert_int_equal(others, 1); /* unrelated.txt */
  free(real);
  remove_tree(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_key),        cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_round_trip), cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_bit_flip),   cmocka_unit_test(test_wrong_version),
      cmocka_unit_test(test_empty_file), cmocka_unit_test(test_unwritable_dir),
      cmocka_unit_test(test_disk_full),  cmocka_unit_test(test_concurrent_writers),
      cmocka_unit_test(test_env_var),    cmocka_unit_test(test_manage),
      cmocka_unit_test(test_max_size),   cmocka_unit_test(test_region_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
