/*
 * lock.c: the collection lock: an flock() on the database file itself,
 * and a note of who holds it (store.h).
 */
#include "store.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "../util/timefmt.h"

/* The database's path with every symlink and ./ resolved; for a file not
 * there yet, its directory's resolved path and its name. */
static int resolve_db(const char *db_path, char *out, size_t cap, struct kerr *e)
{
	char dir[PATH_MAX], *r;
	const char *slash, *name;

	if ((r = realpath(db_path, NULL))) {
		int n = snprintf(out, cap, "%s", r);
		free(r);
		return n < (int)cap ? 0 : kerr_set(e, KERR_USAGE, "database path too long");
	}
	if (errno != ENOENT)
		return kerr_set(e, KERR_IO, "cannot open the database %s: %s", db_path, strerror(errno));
	slash = strrchr(db_path, '/');
	name = slash ? slash + 1 : db_path;
	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - db_path) + (slash == db_path) : 1,
		     slash ? db_path : ".") >= (int)sizeof(dir))
		return kerr_set(e, KERR_USAGE, "database path too long");
	if (!*name || !(r = realpath(dir, NULL)))
		return kerr_set(e, KERR_IO, "cannot create the database %s: %s", db_path,
				*name ? strerror(errno) : "a directory, not a file");
	if (snprintf(out, cap, "%s/%s", strcmp(r, "/") ? r : "", name) >= (int)cap) {
		free(r);
		return kerr_set(e, KERR_USAGE, "database path too long");
	}
	free(r);
	return 0;
}

/* The pid holding an flock() on the file (dev, ino), from /proc/locks;
 * 0 when it cannot be told. */
static long flock_holder(dev_t dev, ino_t ino)
{
	FILE *f = fopen("/proc/locks", "r");
	char line[256], want[96];
	long pid = 0;

	if (!f)
		return 0;
	/* "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" */
	snprintf(want, sizeof(want), " %02x:%02x:%lu ", major(dev), minor(dev), (unsigned long)ino);
	while (!pid && fgets(line, sizeof(line), f)) {
		char *p;
		if (!strstr(line, "FLOCK") || strstr(line, "->") || !(p = strstr(line, want)))
			continue;
		while (p > line && p[-1] == ' ')
			p--;
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		pid = strtol(p, NULL, 10);
	}
	fclose(f);
	return pid;
}

/* Who holds the lock, for the message: the note the holder left when it
 * is that process's, else what /proc says of the pid. */
static void lock_holder(int fd, const char *note_path, char *out, size_t cap)
{
	char info[256] = "", comm[64] = "", path[64];
	struct stat sb;
	long pid = 0, note_pid = -1;
	int nf;
	ssize_t n;
	FILE *f;

	if (fstat(fd, &sb) == 0)
		pid = flock_holder(sb.st_dev, sb.st_ino);
	if ((nf = open(note_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		n = read(nf, info, sizeof(info) - 1);
		info[n > 0 ? n : 0] = '\0';
		info[strcspn(info, "\n")] = '\0';
		close(nf);
		if (!strncmp(info, "pid ", 4))
			note_pid = strtol(info + 4, NULL, 10);
	}
	if (info[0] && (!pid || note_pid == pid)) {
		snprintf(out, cap, "%s", info);
		return;
	}
	if (!pid) {
		snprintf(out, cap, "holder unknown");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if ((f = fopen(path, "r"))) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(out, cap, "pid %ld%s%s%s", pid, comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
}

int store_lock(const char *db_path, const char *what, int *fd_out, struct kerr *e)
{
	char real[PATH_MAX], note[PATH_MAX + 8], info[300], when[32];
	int fd, nf;
	ssize_t n;

	*fd_out = -1;
	if (resolve_db(db_path, real, sizeof(real), e) < 0)
		return -1;
	if (snprintf(note, sizeof(note), "%s.lock", real) >= (int)sizeof(note))
		return kerr_set(e, KERR_USAGE, "database path too long");
	/* the database itself: an empty new file is a new database to SQLite */
	fd = open(real, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return kerr_set(e, KERR_IO, "cannot open the database %s: %s", db_path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;

		if (err == EWOULDBLOCK) {
			lock_holder(fd, note, info, sizeof(info));
			close(fd);
			return kerr_set(e, KERR_LOCKED, "another kepu job holds the database %s (%s)", real, info);
		}
		close(fd);
		return kerr_set(e, KERR_IO, "cannot lock %s: %s", real, strerror(err));
	}
	ktime_format_cst((int64_t)time(NULL), when);
	n = snprintf(info, sizeof(info), "pid %ld, %s, started %s\n", (long)getpid(), what, when);
	/* the note is for people only: the lock holds without it */
	if ((nf = open(note, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) >= 0) {
		if (ftruncate(nf, 0) < 0 || write(nf, info, (size_t)n) != n) {
			/* nothing to do: see above */
		}
		close(nf);
	}
	*fd_out = fd;
	return 0;
}

void store_unlock(int fd)
{
	/* the note stays: the next holder overwrites it, and lock_holder()
	 * trusts it only when its pid is the holder's */
	if (fd >= 0)
		close(fd);
}
