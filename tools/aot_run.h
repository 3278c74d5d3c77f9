/* ovcc-run on an AOT model library (`ovcc-run libmodel.so ...`): the same
 * inputs/outputs contract as for a .xml (DIR/output<K>.npy, outputs.json,
 * generated inputs saved as DIR/input<K>.npy), so JIT and AOT outputs can be
 * compared byte for byte. The library is dlopen'ed; its prefix is found in
 * its dynamic symbol table (the one PREFIX_abi_version). */
#ifndef OVCC_TOOLS_AOT_RUN_H
#define OVCC_TOOLS_AOT_RUN_H

#include <stdbool.h>
#include <stdint.h>

/* True if path names a shared library (ends in ".so" or has ".so."). */
bool aot_run_is_library(const char *path);

/* Runs the library once. keys[j] ("NAME" or "#K") and files[j] are the
 * --input options; out_dir exists. Returns the exit status (0 or 1); errors
 * go to stderr as "ovcc-run: ...". */
int aot_run(const char *lib_path, const char *out_dir, int threads, uint64_t seed,
            const char *const *keys, const char *const *files, int n_inputs);

#endif
