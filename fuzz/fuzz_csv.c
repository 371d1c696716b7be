/*
 * fuzz_csv.c: libFuzzer target for the CSV import path as staff files
 * reach it: the bytes are a whole file (header, quoted cells across
 * lines, CR LF, BOM, formula guards), read by import_files() into an
 * in-memory database.  Whatever the bytes: no crash, the import itself
 * never fails (only the database could make it), and every diagnostic is
 * one line of valid UTF-8 that names where it was (`FILE:LINE:` or
 * `FILE:`), so hostile cells cannot forge or break the report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../collector/collector.h"
#include "../util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char file_name[64];

static void on_diag(void *ctx, const char *msg)
{
	size_t n = strlen(msg), fl = strlen(file_name);

	(void)ctx;
	if (strchr(msg, '\n') || strchr(msg, '\r') || utf8_invalid_at(msg, n) >= 0)
		abort();
	if (strncmp(msg, file_name, fl) || msg[fl] != ':')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static struct tags *tags;
	static struct gazetteer *gaz;
	static struct store *st;
	static int fd = -1;
	struct ingest ing;
	struct import_stats stats;
	const char *files[1] = {file_name};
	struct kerr e;

	kerr_clear(&e);
	if (!st) {
		if (config_load(&cfg, NULL, &e) < 0 ||
		    tags_new(&tags, (const char *const *)cfg.tags, cfg.ntags, &e) < 0 ||
		    district_new(&gaz, &cfg.districts, cfg.accounts, cfg.naccounts, &e) < 0 ||
		    store_open(&st, ":memory:", &e) < 0 || (fd = memfd_create("fuzz-csv", 0)) < 0)
			abort();
		snprintf(file_name, sizeof(file_name), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&ing, 0, sizeof(ing));
	ing.tags = tags;
	ing.gazetteer = gaz;
	ing.keep_all = 1;
	if (import_files(st, &ing, files, 1, IMPORT_CSV, 0, on_diag, NULL, &stats, &e) < 0)
		abort();
	if (stats.kept > stats.lines || stats.errors > stats.lines + 1)
		abort();
	return 0;
}
