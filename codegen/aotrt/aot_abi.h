/* The tables an AOT model library carries, shared by the generator
 * (codegen/aot.c builds them as LLVM constants) and the library's runtime
 * (aot_rt.c, compiled to bitcode and linked into every library). Every
 * struct is laid out without padding from fixed-width fields and pointers so
 * the LLVM struct types in aot.c match the C layout on every 64-bit target. */
#ifndef OVCC_CODEGEN_AOTRT_AOT_ABI_H
#define OVCC_CODEGEN_AOTRT_AOT_ABI_H

#include <stdint.h>

/* The library ABI's version (PREFIX_abi_version()); bumped on any change to
 * the exported functions or their meaning. */
#define OVCC_AOT_ABI_VERSION 2

/* PREFIX_run's results. */
#define OVCC_AOT_OK 0
#define OVCC_AOT_ERR_INVALID_ARG 1 /* a NULL buffer, or a workspace not 64-byte aligned */
#define OVCC_AOT_ERR_SHAPE 2       /* input shapes no specialization of the library was built for */

typedef void (*ovcc_aot_kernel)(void *const *bufs, int64_t begin, int64_t end);
/* A caller's parallel-for (PREFIX_run_with_pool): calls fn(bufs, begin, end)
 * on disjoint chunks covering [0, work), on any threads, and returns when all
 * are done; cost: estimated cycles per item (0: unknown). As cg_parallel_for. */
typedef void (*ovcc_aot_parallel_for)(void *pool, ovcc_aot_kernel fn, void *const *bufs,
                                      int64_t work, double cost);

enum ovcc_aot_slot_kind {
  OVCC_AOT_SLOT_ARENA,
  OVCC_AOT_SLOT_CONST,
  OVCC_AOT_SLOT_INPUT,
  OVCC_AOT_SLOT_STATE,
};

/* Where one buffer lives: arena + offset, read-only data, input `index` or
 * state variable `index`. */
typedef struct ovcc_aot_slot {
  const void *data; /* CONST */
  uint64_t offset;  /* ARENA */
  uint32_t kind;
  uint32_t index; /* INPUT, STATE */
} ovcc_aot_slot;

enum ovcc_aot_step_kind {
  OVCC_AOT_STEP_KERNEL,     /* fn over [0, work) */
  OVCC_AOT_STEP_COPY,       /* nbytes from the step's buffer 0 to its buffer 1 */
  OVCC_AOT_STEP_STATE_INIT, /* state `state` not set yet: copy buffer 0 into it, mark it set */
  OVCC_AOT_STEP_REGION,     /* TensorIterator / Loop / If: program regions[state] */
};

typedef struct ovcc_aot_step {
  ovcc_aot_kernel fn;
  int64_t work;
  double cost; /* estimated cycles per item (0: unknown) */
  uint64_t nbytes;
  uint32_t first_buf; /* the step's buffers: program bufs[first_buf .. +n_bufs) */
  uint32_t n_bufs;
  uint32_t kind;
  uint32_t state; /* STATE_INIT: the variable; REGION: the region */
} ovcc_aot_step;

/* A state variable (ReadValue/Assign): its buffer at workspace + offset,
 * written back from assign_slot after the steps (UINT32_MAX: no Assign). */
typedef struct ovcc_aot_state {
  uint64_t offset;
  uint64_t nbytes;
  uint32_t assign_slot;
  uint32_t reserved;
} ovcc_aot_state;

/* A model input or output. */
typedef struct ovcc_aot_port {
  const char *name;
  const int64_t *shape; /* rank entries */
  uint64_t nbytes;
  uint32_t etype; /* ovcc_element_type's value (include/ovcc/ovcc.h) */
  uint32_t rank;
  uint32_t slot; /* outputs: the slot holding the result */
  uint32_t reserved;
} ovcc_aot_port;

/* One port-map entry of a region (codegen/program.h cg_region_port). */
typedef struct ovcc_aot_region_port {
  int64_t start, stride, part_size, outer, axis_len, inner_bytes;
  uint64_t nbytes;
  uint32_t outer_slot, body_index, buf_slot, sliced;
} ovcc_aot_region_port;

struct ovcc_aot_program;

enum ovcc_aot_region_kind { OVCC_AOT_REGION_TI, OVCC_AOT_REGION_LOOP, OVCC_AOT_REGION_IF };

/* A TensorIterator / Loop / If (codegen/program.h cg_region). Integer
 * scalars (trip count, conditions, the iteration counter) are described by
 * their byte width (1: u8/boolean, 4: i32, 8: i64). */
typedef struct ovcc_aot_region {
  const struct ovcc_aot_program *body[2];
  const ovcc_aot_region_port *in[2], *out[2];
  const uint32_t *be_from, *be_to;
  int64_t iterations, cur_iter_param, body_cond_result;
  uint32_t kind, body_arena_slot[2], n_in[2], n_out[2], n_be;
  uint32_t trip_slot, cond_slot, trip_bytes, cond_bytes, cur_iter_slot, cur_iter_bytes;
} ovcc_aot_region;

/* The workspace: the state area (n_states "set" flags, then each state's
 * buffer, 64-byte aligned; state_size bytes), the arena (arena_size), then
 * the pointer tables (tables_size): per program (the root and every region
 * body, at its tables_offset from the tables' start) a pointer per slot, per
 * step buffer and, for a body, per body input. The state area persists from
 * run to run; PREFIX_reset zeroes it. A body's arena lies inside its
 * parent's (a slot of the parent), so only the root has arena_size. */
typedef struct ovcc_aot_program {
  const ovcc_aot_step *steps;
  const ovcc_aot_slot *slots;
  const uint32_t *bufs; /* slot of every step buffer, the steps' lists end to end */
  const ovcc_aot_port *inputs;
  const ovcc_aot_port *outputs;
  const ovcc_aot_state *states;
  const ovcc_aot_region *regions;
  uint64_t arena_size; /* a multiple of 64 */
  uint64_t state_size; /* a multiple of 64 */
  uint64_t tables_offset, tables_size;
  uint32_t n_steps, n_slots, n_bufs, n_inputs, n_outputs, n_states, n_regions, reserved;
} ovcc_aot_program;

/* A library: one program per specialization (the input shapes it was
 * compiled for: `ovcc --shape=A;B`), and the signature the ABI reports: a
 * dimension that differs between specializations is -1 there, and a port's
 * nbytes is 0 when its size differs. Every specialization has the same ports
 * (names, types, ranks) and the same state variables (so one workspace
 * serves all; workspace_size is the largest). */
typedef struct ovcc_aot_model {
  const ovcc_aot_program *const *specs;
  const ovcc_aot_port *inputs;
  const ovcc_aot_port *outputs;
  uint32_t n_specs, n_inputs, n_outputs, reserved;
} ovcc_aot_model;

#endif
