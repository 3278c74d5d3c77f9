/* `ovcc cache` (also the ovcc-cache tool): manage a compiled-code cache
 * directory (docs/cache.md).
 *
 *   ovcc cache list DIR                   blobs, most recently used first
 *   ovcc cache verify DIR                 check every blob (exit 1 if one is bad)
 *   ovcc cache prune DIR --max-size SIZE  drop least recently used blobs over SIZE
 *                                         (bytes, or with K, M, G suffix)
 *   ovcc cache clear DIR                  remove every blob */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "tools/cache_cli.h"

static int usage(FILE *f) {
  fputs("usage: ovcc cache list DIR | verify DIR | prune DIR --max-size SIZE[K|M|G] | clear DIR\n",
        f);
  return f == stdout ? 0 : 2;
}

static int fail(const ir_diag *d) {
  fprintf(stderr, "ovcc cache: %s\n", d->msg);
  return 1;
}

static int cmd_list(const char *dir) {
  ir_diag d;
  ir_diag_clear(&d);
  cache_entry *es;
  size_t n;
  if (cache_list(dir, &es, &n, &d) != OVCC_OK)
    return fail(&d);
  uint64_t total = 0;
  time_t now = time(NULL);
  for (size_t i = 0; i < n; i++) {
    long age = (long)(now - es[i].mtime_ns / 1000000000);
    printf("%-80s %10" PRIu64 " KB  used %lds ago%s\n", es[i].name, es[i].size / 1024, age,
           es[i].temporary ? "  (temporary)" : "");
    total += es[i].size;
  }
  printf("%zu files, %" PRIu64 " KB\n", n, total / 1024);
  cache_entries_free(es, n);
  return 0;
}

static int cmd_verify(const char *dir) {
  ir_diag d;
  ir_diag_clear(&d);
  cache_entry *es;
  size_t n;
  if (cache_list(dir, &es, &n, &d) != OVCC_OK)
    return fail(&d);
  size_t bad = 0, blobs = 0;
  for (size_t i = 0; i < n; i++) {
    if (es[i].temporary)
      continue;
    blobs++;
    ir_diag_clear(&d);
    if (cache_verify_file(es[i].path, &d) == OVCC_OK) {
      printf("ok   %s\n", es[i].name);
    } else {
      printf("BAD  %s: %s\n", es[i].name, d.msg);
      bad++;
    }
  }
  printf("%zu blobs, %zu bad\n", blobs, bad);
  cache_entries_free(es, n);
  return bad ? 1 : 0;
}

int cache_cli(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
    return usage(stdout);
  if (argc < 3)
    return usage(stderr);
  const char *cmd = argv[1], *dir = argv[2];
  ir_diag d;
  ir_diag_clear(&d);
  uint64_t removed = 0;
  if (!strcmp(cmd, "list") && argc == 3)
    return cmd_list(dir);
  if (!strcmp(cmd, "verify") && argc == 3)
    return cmd_verify(dir);
  if (!strcmp(cmd, "clear") && argc == 3) {
    if (cache_clear(dir, &removed, &d) != OVCC_OK)
      return fail(&d);
    printf("removed %" PRIu64 " KB\n", removed / 1024);
    return 0;
  }
  if (!strcmp(cmd, "prune") && argc == 5 && !strcmp(argv[3], "--max-size")) {
    uint64_t max;
    if (!cache_parse_size(argv[4], &max)) {
      fprintf(stderr, "ovcc cache: --max-size: expected a size like 500M, got '%s'\n", argv[4]);
      return 2;
    }
    if (cache_prune(dir, max, &removed, &d) != OVCC_OK)
      return fail(&d);
    printf("removed %" PRIu64 " KB\n", removed / 1024);
    return 0;
  }
  return usage(stderr);
}
