/* afile.c: see afile.h. */
#include "afile.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void afile_clear(struct afile *a)
{
	free(a->path);
	free(a->tmp);
	a->f = NULL;
	a->path = a->tmp = NULL;
}

int afile_open(struct afile *a, const char *path, struct kerr *e)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path);
	int fd;

	memset(a, 0, sizeof(*a));
	if (!n || path[n - 1] == '/')
		return kerr_set(e, KERR_USAGE, "%s: expected a file name, not a directory", path);
	if (!(a->path = strdup(path)) || !(a->tmp = malloc(n + 16))) {
		afile_clear(a);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	/* DIR/.NAME.XXXXXX: hidden, beside the target so rename() stays on
	 * one file system */
	memcpy(a->tmp, path, dirlen);
	a->tmp[dirlen] = '.';
	memcpy(a->tmp + dirlen + 1, path + dirlen, n - dirlen);
	memcpy(a->tmp + n + 1, ".XXXXXX", 8);
	if ((fd = mkstemp(a->tmp)) < 0) {
		int err = errno;
		kerr_set(e, KERR_IO, "cannot write %s: %s", path, strerror(err));
		afile_clear(a);
		return -1;
	}
	if (!(a->f = fdopen(fd, "wb"))) {
		close(fd);
		unlink(a->tmp);
		afile_clear(a);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

/* The process's umask, read once: umask() can only be read by setting
 * it, and threads writing files at once (the workspace's workers) would
 * otherwise see each other's momentary 0, and one could leave it 0. */
static mode_t process_umask;
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;

static void read_umask(void)
{
	process_umask = umask(0);
	umask(process_umask);
}

int afile_commit(struct afile *a, struct kerr *e)
{
	mode_t um;
	int err = 0;

	pthread_once(&umask_once, read_umask);
	um = process_umask;
	if (fflush(a->f) != 0 || ferror(a->f))
		err = errno ? errno : EIO;
	else if (fchmod(fileno(a->f), 0666 & ~um) < 0 || fsync(fileno(a->f)) < 0)
		err = errno;
	if (fclose(a->f) != 0 && !err)
		err = errno ? errno : EIO;
	a->f = NULL;
	if (!err && rename(a->tmp, a->path) < 0)
		err = errno;
	if (err) {
		unlink(a->tmp);
		kerr_set(e, KERR_IO, "cannot write %s: %s", a->path, strerror(err));
		afile_clear(a);
		return -1;
	}
	afile_clear(a);
	return 0;
}

void afile_abort(struct afile *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	afile_clear(a);
}

int afile_write(const char *path, const void *data, size_t len, struct kerr *e)
{
	struct afile a;

	if (afile_open(&a, path, e) < 0)
		return -1;
	if (len && fwrite(data, 1, len, a.f) != len) {
		afile_abort(&a);
		return kerr_set(e, KERR_IO, "cannot write %s", path);
	}
	return afile_commit(&a, e);
}
