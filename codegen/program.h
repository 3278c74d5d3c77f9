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
} cg_step_kind;

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
} cg_step;

/* One model input or output, or a state variable. */
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
  cg_kernel_fn *fns;
  uint32_t n_fns;
  void *owner; /* codegen-private: JIT, owned constant bytes, arena of names */
} cg_program;

#endif
