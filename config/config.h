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
#include "../matchers/flags.h"
#include "../util/err.h"

#define CONFIG_NCOUNTS 6 /* store.h PC_N; config.c checks */

#define CONFIG_DEFAULT_TAG "千万IP创科普"
#define CONFIG_DEFAULT_DB "kepu.db"

/* A collection source (config `sources`). */
enum source_kind { SOURCE_WEIBO, SOURCE_BILIBILI, SOURCE_DOUYIN, SOURCE_GENERIC };

/* Where a generic feed keeps each normalized field (JSON Pointers). */
enum source_field {
	SF_PLATFORM, SF_POST_ID, SF_URL, SF_AUTHOR_ID, SF_AUTHOR_NAME, SF_AUTHOR_LOCATION,
	SF_IP_LOCATION, SF_CREATED_AT, SF_TITLE, SF_TEXT, SF_TOPICS,
	SF_VIEWS, SF_LIKES, SF_COMMENTS, SF_SHARES, SF_FAVORITES, SF_COINS, /* enum post_count's order */
	SF_COVER_URL, SF_MEDIA, SF_N
};
extern const char *const source_field_names[SF_N];

enum source_time { ST_UNIX, ST_UNIX_MS, ST_RFC2822, ST_ISO8601, ST_LOCAL };
enum source_paging { SP_PAGE, SP_CURSOR, SP_NONE };

struct source_header {
	char *name;
	char *value;  /* a fixed value, or NULL */
	char *env;    /* the environment variable holding the value (a secret) */
	char *prefix; /* put before the env value, e.g. "Bearer " */
};

enum source_order { SOURCE_ORDER_NEWEST, SOURCE_ORDER_RELEVANCE };

/* One piece of a generic feed's url template. */
enum url_part_kind { UP_TEXT, UP_BASE_URL, UP_PAGE, UP_SIZE, UP_CURSOR, UP_QUERY, UP_ENV, UP_ID };
struct url_part {
	enum url_part_kind kind;
	char *text; /* UP_TEXT: the literal; UP_ENV: the variable's name; else NULL */
};
/* A url template as parsed and checked at load, in order; collector/feed.c
 * fills in the placeholders. */
struct url_template {
	struct url_part *v;
	size_t n;
};

struct source {
	char *name;
	enum source_kind kind;
	char *base_url;
	char *query;           /* the search query; default "#<first campaign tag>#" for weibo */
	int enabled;
	int max_pages;         /* default 50 */
	int refresh_budget;    /* detail requests per collect --refresh; default 300 */
	int min_interval_ms;   /* default 1000 */
	int timeout_s;         /* default 20 */
	int connect_timeout_s; /* default 10 */
	int retries;           /* default 3 */
	int retry_backoff_ms;  /* first retry delay, doubled each time; default 1000 */
	int retry_after_max_s; /* the longest Retry-After honoured; default 120 */
	int overlap_hours;     /* default 48 */
	long max_body;         /* default 16 MiB */
	char *cookie_env;      /* the Cookie header comes from this variable */
	char *user_agent;
	struct source_header *headers;
	size_t nheaders;
	/* generic feeds */
	char *url;             /* template: {base_url} {page} {cursor} {size} {query} {env:NAME} */
	struct url_template url_parts;
	/* `detail`: one item's page, for collect --refresh: its url template
	 * ({id} too), the pointer to the item in the answer ("": the answer
	 * is the item), and the pointer to a flag saying the item is gone */
	char *detail_url, *detail_item, *detail_gone;
	struct url_template detail_parts;
	int page_size;         /* {size}; default 20 */
	char *items;           /* pointer to the array of items */
	char *fields[SF_N];    /* pointer per field, NULL when the feed has none */
	char *item_platform;   /* the platform of every item when fields.platform is not set */
	enum source_time time_format;
	enum source_order order; /* douyin: newest (default) or relevance (the platform ignores the sort) */
	enum source_paging paging;
	int page_start;        /* first page number; default 1 */
	char *next_cursor;     /* pointer to the next cursor (cursor paging) */
	char *has_more;        /* pointer to a "more pages" boolean or number */
};

/* Targets (campaign.targets): works, views and 互动量 to reach; 0: none. */
struct config_target {
	int64_t posts, views, interactions;
};
/* One unit's own targets (campaign.targets.units), over the per-unit ones. */
struct config_unit_target {
	char *unit; /* the unit's code */
	struct config_target t;
};

/*
 * The wording of the summaries (`kepu summary`, config/summary.c): the
 * built-in template config/summary.zh.json, with the keys of the file of
 * `summary.template` over it.  Every text key is one row of the registry
 * in summary.c (its name and the {placeholders} it may use), checked when
 * the config is loaded.
 */
enum config_summary_key {
	CS_TITLE, CS_PERIOD, CS_INTRO, CS_H_ACTIVITIES, CS_BLANK_ACTIVITIES, CS_H_RESULTS, CS_H_OVERALL,
	CS_OVERALL, CS_OVERALL_NONE, CS_STANDING, CS_RANK, CS_ABOVE, CS_BELOW, CS_LEVEL, CS_CITY_STANDING,
	CS_PREVIOUS, CS_PREVIOUS_NONE, CS_UP, CS_DOWN, CS_SAME, CS_H_UNITS, CS_UNITS, CS_H_PLATFORMS,
	CS_PLATFORMS, CS_PLATFORM_ITEM, CS_H_TREND, CS_TREND, CS_H_ATTENTION, CS_ATTENTION, CS_ATTENTION_NONE,
	CS_H_WORKS, CS_WORKS, CS_WORKS_NONE, CS_H_PLANS, CS_BLANK_PLANS, CS_TABLE_CAPTION, CS_FIGURE_CAPTION,
	CS_T_OVERALL, CS_T_UNITS, CS_T_PLATFORMS, CS_T_WORKS, CS_F_TREND, CS_ISSUER, CS_TARGETS, CS_TARGET_ITEM,
	CS_TARGETS_UNITS, CS_TARGET_UNITS_ITEM, CS_T_UNIT_TARGETS, CS_HALVES, CS_N
};
#define CONFIG_SUMMARY_MAX_WORKS 20 /* reports' REPORT_TOP_WORKS */

struct config_summary {
	char *text[CS_N];         /* owned; placeholders not filled in */
	char date[11];            /* the date at the end, YYYY-MM-DD; "" for the day it is written */
	int works_unit, works_city; /* top works listed (1..CONFIG_SUMMARY_MAX_WORKS) */
};

/* The built-in template, config/summary.zh.json. */
extern const char config_summary_zh_json[];
extern const unsigned long config_summary_zh_json_len;
/* The placeholders key k may use ("unit year campaign"). */
const char *config_summary_vars(enum config_summary_key k);
/* The key's name in the template ("title"). */
const char *config_summary_key(enum config_summary_key k);
/* Parse template JSON (src names it in messages) over s: the keys it has
 * replace s's.  KERR_USAGE naming the key on a bad one. */
int config_summary_parse(struct config_summary *s, const char *json, size_t len, const char *src,
			 struct kerr *e);
void config_summary_release(struct config_summary *s);

struct config {
	char *path;              /* the file read, NULL for built-in defaults */
	char *database;          /* from the file or the default; --db and KEPU_DB win later */
	char *showcase_dir;      /* showcase.dir: where kepu serve publishes; NULL when not set */
	char *showcase_title;    /* showcase.title, .intro, .organizer (主办单位), .footer: the words */
	char *showcase_intro;    /* around the works; NULL: the built-in ones (reports/showcase.c) */
	char *showcase_organizer;
	char *showcase_footer;
	char *showcase_base_url; /* showcase.base_url: the page's public address, no trailing '/'; NULL */
	char *campaign_name;
	char **tags;             /* campaign tags, canonical names */
	size_t ntags;
	char start_date[11];     /* YYYY-MM-DD, Asia/Shanghai, inclusive */
	char end_date[11];
	char report_until_date[11]; /* campaign.report_until: the final report's date; default the
				     * campaign's end + 31 days (2025-10-31) */
	int64_t report_until;    /* UTC seconds: the end of that day; collection and refresh stop then */
	int64_t window_start;    /* UTC seconds: start of start_date */
	int64_t window_end;      /* UTC seconds: end of end_date (exclusive) */
	char *gazetteer_path;    /* `gazetteer`, NULL for the built-in one */
	char *places_path;       /* `places`, NULL for the built-in list */
	struct district_data districts; /* the gazetteer, built-in or from gazetteer_path */
	struct district_account *accounts; /* `accounts`; strings owned */
	size_t naccounts;
	struct source *sources;  /* `sources` */
	size_t nsources;
	/* `scoring`: per count (views, likes, comments, shares, favorites,
	 * coins: store.h's enum post_count) the weight and the reference of the
	 * engagement index; a bit of *_set says the config gave it (the rest
	 * are the reports' defaults) */
	double scoring_weight[CONFIG_NCOUNTS], scoring_reference[CONFIG_NCOUNTS];
	unsigned scoring_weight_set, scoring_reference_set;
	/* `review`: the configured flag rules of content review (matchers/flags.h) */
	struct flags_pattern *flag_patterns; /* `review.flag_patterns`; strings owned */
	size_t nflag_patterns;
	char *word_list;                     /* `review.word_list`, NULL when none */
	char **flag_words;                   /* its words, read when the config is loaded */
	size_t nflag_words;
	/* `report.attention`: a unit needs attention with fewer works than
	 * min_posts (default 1: none at all) or a share of the city's index
	 * below min_share percent (default 0: never) */
	long attention_min_posts;
	double attention_min_share;
	/* `campaign.targets`: the city's, every unit's (per_unit) and some
	 * units' own (units, by name or code; each key over per_unit's) */
	struct config_target target, target_per_unit;
	struct config_unit_target *unit_targets;
	size_t nunit_targets;
	/* `summary.template`: the summaries' wording (NULL: the built-in one) */
	char *summary_template;
	struct config_summary summary;
};

/* The built-in gazetteer, config/districts.json compiled in by make. */
extern const char config_districts_json[];
extern const unsigned long config_districts_json_len;
/* The built-in place list, config/places.json. */
extern const char config_places_json[];
extern const unsigned long config_places_json_len;

/* Parse gazetteer JSON (src names it in messages) into d. */
int gazetteer_parse(struct district_data *d, const char *json, size_t len, const char *src,
		    struct kerr *e);
/* Parse a place list into d->places (d's units already parsed); not
 * strict: a place of a unit d lacks is left out (the built-in list with a
 * gazetteer of the config's). */
int places_parse(struct district_data *d, const char *json, size_t len, const char *src, int strict,
		 struct kerr *e);

/* Load path, or the defaults when path is NULL.  On failure *c holds
 * nothing that needs freeing and e says which key is wrong (KERR_USAGE). */
int config_load(struct config *c, const char *path, struct kerr *e);
void config_release(struct config *c);

/* The config's flag rules for flags_new(); the strings stay c's. */
void config_flag_rules(const struct config *c, struct flags_rules *r);

#endif
