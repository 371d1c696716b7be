/*
 * afile.h: writing an output file so that a reader never sees half of it
 * and nobody can redirect it.
 *
 * The data goes to a new file created exclusively (mkstemp: O_CREAT |
 * O_EXCL, an unpredictable name, never through a symlink) in the target's
 * own directory, is flushed to disk, and is renamed over the target.  A
 * symlink planted at the target is replaced, its target untouched; two
 * writers of the same target never share a temporary file, and the last
 * rename wins whole.
 *
 * Not for: standard output (the caller writes there directly).
 */
#ifndef KEPU_UTIL_AFILE_H
#define KEPU_UTIL_AFILE_H

#include <stdio.h>

#include "err.h"

struct afile {
	FILE *f;        /* write here between afile_open() and afile_commit() */
	char *path;     /* the target; owned */
	char *tmp;      /* the temporary file; owned */
};

/* Create the temporary file for path.  On success a->f is open; the caller
 * ends with afile_commit() or afile_abort(). */
int afile_open(struct afile *a, const char *path, struct kerr *e);
/* Flush, close and rename over the target (mode 0644 less the umask).  On
 * failure the temporary file is removed and the target left as it was. */
int afile_commit(struct afile *a, struct kerr *e);
/* Close and remove the temporary file; the target is left as it was. */
void afile_abort(struct afile *a);

/* The whole of data into path, through afile_open/commit. */
int afile_write(const char *path, const void *data, size_t len, struct kerr *e);

#endif
