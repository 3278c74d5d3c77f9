/* State variables across runs (ctest aot/cli) on the corpus model
 * ovms_summator (add_sum = read(state) + input; Assign(state, add_sum)),
 * built with --name=model -H model.h: the workspace carries the variable
 * from run to run, model_reset brings back the initializer. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

int main(void) {
  if (model_num_states() != 1) {
    fprintf(stderr, "expected one state variable, got %u\n", model_num_states());
    return 1;
  }
  void *ws = aligned_alloc(64, (model_workspace_size() + 63) / 64 * 64 + 64);
  float in = 0, out = 0;
  const void *ins[] = {&in};
  void *outs[] = {&out};
  if (!ws || model_reset(ws) != OVCC_AOT_OK)
    return 1;
  /* The first run shows the initializer: out = init + in. */
  in = 1.0f;
  model_run(ins, outs, ws, 1);
  float init = out - in, want = out;
  int bad = 0;
  for (int r = 2; r <= 4; r++) {
    in = (float)r;
    model_run(ins, outs, ws, 1);
    want += in;
    bad |= out != want;
  }
  model_reset(ws);
  in = 5.0f;
  model_run(ins, outs, ws, 2);
  bad |= out != init + 5.0f;
  free(ws);
  if (bad) {
    fprintf(stderr, "state_check: wrong accumulation (last out %g)\n", out);
    return 1;
  }
  printf("state_check: ok (init %g)\n", init);
  return 0;
}
