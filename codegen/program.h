/* A compiled program: what the code generator hands the runtime. An ordered
 * list of steps, each one kernel call over a set of buffers, plus the memory
 * plan that says where every buffer lives. Immutable once built; many infer
 * requests run it at once, each with its own arena and state. */
#ifndef OVCC_CODEGEN_PROGRAM_H
#define OVCC_CODEGEN_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

typedef void (*cg_kernel_fn)(void *const *bufs, int64_t begin, int64_t end);

typedef enum cg_slot_kind {
  CG_SLOT_ARENA,  /* request arena + offset */
  CG_SLOT_CONST,  /* data (weights in the mapped .bin, or program-owned bytes) */
  CG_SLOT_INPUT,  /* the request's input `index` */
  CG_SLOT_STATE,  /* the request's variable `index` (ReadValue/Assign) */
} cg_slot_kind;

typedef struct cg_slot {
  cg_slot_kind kind;
  uint32_t index;   /* INPUT/STATE */
  uint64_t offset;  /* ARENA: byte offset (64-byte aligned) */
  const void *data; /* CONST */
  uint64_t nbytes;
} cg_slot;

typedef enum cg_step_kind {
  CG_STEP_KERNEL, /* fns[kernel](bufs, begin, end) over [0, work) */
  CG_STEP_COPY,   /* memcpy(slot bufs[1] <- slot bufs[0], nbytes) */
  /* ReadValue's initializer: if state `kernel` is not set yet (new request or
   * after reset), copy slot bufs[0] into it (nbytes) and mark it set. */
  CG_STEP_STATE_INIT,
  CG_STEP_REGION, /* TensorIterator / Loop / If: runs nested programs (region) */
} cg_step_kind;

typedef struct cg_region cg_region;

/* Most tensors one kernel takes (a Concat of more inputs is refused). */
enum { CG_MAX_STEP_BUFS = 1024 };

typedef struct cg_step {
  cg_step_kind kind;
  uint32_t kernel;      /* index into fns */
  const uint32_t *bufs; /* slot per kernel buffer */
  uint32_t n_bufs;
  int64_t work;  /* parallel items */
  double cost;   /* estimated cycles per item (0: unknown) */
  uint64_t nbytes; /* COPY */
  const char *name; /* layer name, for profiling and errors */
  const char *op_type; /* "Convolution-1" */
  const cg_region *region; /* REGION */
} cg_step;

/* One model input or output, or a state variable. */
/* ---- element storage ---- */

/* A string element in compiled code is a descriptor of its bytes, laid out
 * as the C API's ovcc_string {const char *data; size_t size;} (16 bytes on
 * the 64-bit targets ovcc emits for): kernels move descriptors, the bytes
 * stay where the caller (or the model) keeps them. */
enum { CG_STRING_BYTES = 16 };

/* Bytes of n elements of et as compiled code stores them: the IR's sizes,
 * and CG_STRING_BYTES per string. False for dynamic or overflowing sizes. */
bool cg_etype_nbytes(ir_etype et, uint64_t n, uint64_t *out);

typedef struct cg_port {
  const char *name;         /* first tensor name, or friendly name */
  const char *const *names; /* all tensor names */
  uint32_t n_names;
  ir_etype et;
  ir_shape shape;  /* as compiled (static) */
  ir_shape declared; /* the model's partial shape */
  uint64_t nbytes;
  uint32_t slot;   /* outputs: slot holding the result */
} cg_port;

typedef struct cg_program {
  cg_step *steps;
  uint32_t n_steps;
  cg_slot *slots;
  uint32_t n_slots;
  cg_port *inputs, *outputs, *states;
  uint32_t n_inputs, n_outputs, n_states;
  /* State write-back after the steps: state[i] <- slot assign_slot[i]
   * (UINT32_MAX: the variable has no Assign). */
  uint32_t *assign_slots;
  uint64_t arena_size;
  cg_kernel_fn *fns; /* NULL in a body program: bodies use their root's */
  uint32_t n_fns;
  void *owner; /* codegen-private: JIT, owned constant bytes, arena of names */
} cg_program;

/* ---- regions: the port maps of TensorIterator / Loop / If, resolved ---- */

/* One port-map entry. Inputs: outer slot -> body Parameter `body_index`;
 * outputs: body Result `body_index` -> outer slot. A sliced port moves
 * part_size elements along `axis` per iteration; the outer tensor is viewed as
 * [outer][axis_len][inner_bytes]. */
typedef struct cg_region_port {
  uint32_t outer_slot;
  uint32_t body_index;
  bool sliced;
  int64_t start, stride, part_size; /* start normalized, first position */
  int64_t outer, axis_len, inner_bytes;
  uint32_t buf_slot; /* inputs: parent arena buffer holding the body input
                      * (sliced or merged); UINT32_MAX: the outer buffer is used */
  uint64_t nbytes;   /* body-side tensor size */
} cg_region_port;

typedef enum cg_region_kind { CG_REGION_TI, CG_REGION_LOOP, CG_REGION_IF } cg_region_kind;

struct cg_region {
  cg_region_kind kind;
  cg_program *body[2];           /* If: then, else; else body[0] */
  uint32_t body_arena_slot[2];   /* parent arena slot holding each body's arena */
  cg_region_port *in[2], *out[2];
  uint32_t n_in[2], n_out[2];
  uint32_t *be_from, *be_to; /* back edges: body Result -> body Parameter */
  uint32_t n_be;
  int64_t iterations;        /* TI / Loop with known count; -1: from trip_slot */
  uint32_t trip_slot, cond_slot; /* Loop inputs 0 and 1, If condition (UINT32_MAX: none) */
  ir_etype trip_et, cond_et;
  int64_t cur_iter_param;   /* Loop: body Parameter receiving the iteration, -1 none */
  uint32_t cur_iter_slot;   /* its buffer */
  ir_etype cur_iter_et;
  int64_t body_cond_result; /* Loop: body Result with the continue condition, -1 none */
};

#endif
