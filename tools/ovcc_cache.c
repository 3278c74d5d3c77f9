/* ovcc-cache: the cache management commands of `ovcc cache` as a tool of
 * their own (docs/cache.md). */
#include "tools/cache_cli.h"

int main(int argc, char **argv) { return cache_cli(argc, argv); }
