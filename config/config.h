/*
 * config.h: kepu.json, validated strictly, and the built-in defaults.
 *
 * With no file kepu runs on defaults: the campaign tag 千万IP创科普, the
 * window 2025-09-01..2025-09-30 (Asia/Shanghai) and the database kepu.db.
 * Every unknown key, wrong type or bad value is an error that names the
 * key path (`kepu.json: campaign.tags[1]: expected a non-empty string`):
 * a typo must never be silently ignored.
 *
 * Not for: any I/O beyond reading the config file.
 */
#ifndef KEPU_CONFIG_CONFIG_H
#define KEPU_CONFIG_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "../matchers/district.h"
#include "../util/err.h"

#define CONFIG_DEFAULT_TAG "千万IP创科普"
#define CONFIG_DEFAULT_DB "kepu.db"

struct config {
	char *path;              /* the file read, NULL for built-in defaults */
	char *database;          /* from the file or the default; --db and KEPU_DB win later */
	char *campaign_name;
	char **tags;             /* campaign tags, canonical names */
	size_t ntags;
	char start_date[11];     /* YYYY-MM-DD, Asia/Shanghai, inclusive */
	char end_date[11];
	int64_t window_start;    /* UTC seconds: start of start_date */
	int64_t window_end;      /* UTC seconds: end of end_date (exclusive) */
	char *gazetteer_path;    /* `gazetteer`, NULL for the built-in one */
	struct district_data districts; /* the gazetteer, built-in or from gazetteer_path */
	struct district_account *accounts; /* `accounts`; strings owned */
	size_t naccounts;
};

/* The built-in gazetteer, config/districts.json compiled in by make. */
extern const char config_districts_json[];
extern const unsigned long config_districts_json_len;

/* Parse gazetteer JSON (src names it in messages) into d. */
int gazetteer_parse(struct district_data *d, const char *json, size_t len, const char *src,
		    struct kerr *e);

/* Load path, or the defaults when path is NULL.  On failure *c holds
 * nothing that needs freeing and e says which key is wrong (KERR_USAGE). */
int config_load(struct config *c, const char *path, struct kerr *e);
void config_release(struct config *c);

#endif
