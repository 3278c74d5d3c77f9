/* A tool's output file written atomically: a temporary file beside it,
 * fsynced and renamed over it only when everything succeeded, so a failure
 * leaves what was there untouched. An existing file's mode is kept (else
 * 0666 & ~umask). A NULL path writes to stdout instead. */
#ifndef OVCC_TOOLS_OUT_FILE_H
#define OVCC_TOOLS_OUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct out_file {
  FILE *f;        /* write here */
  char *tmp_path; /* NULL when writing to stdout */
} out_file;

/* False (errno set) if the temporary file cannot be created. */
bool out_file_open(out_file *o, const char *path);
/* Renames into place when `success` (returns false if that fails), else
 * discards the temporary file (returns true). */
bool out_file_close(out_file *o, const char *path, bool success);
/* The whole of data[0..n) as path ("-": stdout); false on any error. */
bool out_file_write(const char *path, const void *data, size_t n);

#endif
