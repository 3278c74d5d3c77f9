/* The cache management commands, shared by `ovcc cache ...` and ovcc-cache. */
#ifndef OVCC_TOOLS_CACHE_CLI_H
#define OVCC_TOOLS_CACHE_CLI_H

/* argv[1] is the command (list, verify, prune, clear), argv[2] the directory.
 * Returns the exit status: 0 done, 1 an error, 2 bad usage. */
int cache_cli(int argc, char **argv);

#endif
