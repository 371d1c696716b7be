/*
 * report.h: the analysts' report: one model built from the store, rendered
 * five ways (HTML, Markdown, CSV, JSON, xlsx); and the export of every post.
 *
 * report_build() reads through store/'s query API and computes every
 * figure; the renderers only format the model (no SQL, no arithmetic
 * beyond presentation such as percentages).  Every text that comes from a
 * post is escaped for the format it lands in.
 *
 * Not for: SQL text, collection.
 */
#ifndef KEPU_REPORTS_REPORT_H
#define KEPU_REPORTS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../config/config.h"
#include "../matchers/district.h"
#include "../model/platform.h"
#include "../store/store.h"
#include "../util/err.h"

#define REPORT_TOP_WORKS 20   /* top works overall */
#define REPORT_TOP_PER_UNIT 3 /* top works per unit */
#define REPORT_TOP_HASHTAGS 30
#define REPORT_TOP_AUTHORS 20 /* a unit's page */
#define REPORT_MAX_DAYS 366
#define REPORT_PEOPLE_UNPLACED 50 /* the works without a unit the pages list */
#define REPORT_MAX_UNPLACED 20000 /* and the data files: the best this many */
#define REPORT_PEOPLE_WORKS 20    /* a unit's page: its works shown before the rest fold away */

/* Attribution methods, in the order the report lists them. */
#define REPORT_METHODS 8
extern const char *const report_methods[REPORT_METHODS];

/*
 * The engagement index (README "Engagement index"): for the counts a post
 * has, the weighted mean of ln(1 + count) / ln(1 + reference), times 100.
 * A count the platform does not report is left out of both the sum and the
 * weights, so no platform gains by reporting more counts; the reference
 * puts every kind of count on one scale (a post at the references scores
 * 100).  Weights and references come from the config's `scoring`.
 */
struct report_scoring {
	double weight[PC_N];
	double reference[PC_N];
};
void report_scoring_default(struct report_scoring *s);
double report_index(const struct report_scoring *s, const int64_t counts[PC_N], unsigned known);

struct report_totals {
	long posts;
	long authors;          /* distinct (platform, author) */
	int64_t counts[PC_N];
	unsigned known;        /* bit i: some post reported count i */
	double index_sum;      /* sum of the posts' engagement indexes */
};

/* A work (post) as the report shows it; strings owned by the report. */
/*
 * Works (work.c): every list of works, the report's top works as the
 * shortlist, the review queue and the showcase, is in one order: the
 * engagement index, then likes, then the earlier post, then platform and
 * id.  Each shows the same title (the post's title, or its text's first
 * line) with the character entities platforms leave in it decoded once
 * (`&lt;科普小课堂&gt;` is `<科普小课堂>`), and with phone and ID numbers
 * masked by the privacy rules when the caller gives them
 * (flags_new(&mask, NULL, ...)).
 */
struct flags;
struct flags_scratch;
struct work_key {
	double index;
	int64_t likes, created_at;
	const char *platform, *post_id;
};
/* Does a rank before b? */
int work_before(const struct work_key *a, const struct work_key *b);
/* The title and page of the stored post id; *title masked with mask (and
 * its scratch fs) when given.  The caller frees both. */
int work_texts(struct store *st, int64_t id, const struct flags *mask, struct flags_scratch *fs, char **title,
	       char **url, struct kerr *e);
/* The character entities platforms leave in titles (`&lt;科普&gt;`)
 * decoded once, in place. */
void work_decode_entities(char *s);
/* *text with the privacy rules' matches masked (nothing when mask is NULL). */
int work_mask(char **text, const struct flags *mask, struct flags_scratch *fs, struct kerr *e);

struct report_work {
	int64_t id;            /* the post's row, for reading its texts */
	char *platform, *post_id, *url, *title, *author_name, *district, *district_code;
	int64_t created_at;
	int64_t counts[PC_N];
	unsigned known, lower;
	double index;
};

/* Why a unit needs attention (report_unit.attention), thresholds from the
 * config's report.attention. */
enum {
	REPORT_ATTN_NO_POSTS = 1 << 0,  /* no works in the window */
	REPORT_ATTN_FEW_POSTS = 1 << 1, /* fewer than min_posts */
	REPORT_ATTN_LOW_SHARE = 1 << 2, /* its share of the city's index below min_share percent */
};

struct report_unit {
	const struct district_unit *unit; /* borrowed from the gazetteer */
	struct report_totals t;
	struct report_totals prev;        /* the previous period's (authors not counted) */
	size_t rank;                      /* 1-based; every unit without works shares the last place */
	size_t prev_rank;                 /* the same in the previous period */
	unsigned attention;               /* REPORT_ATTN_* bits; 0: none */
	struct config_target target;      /* its targets (campaign.targets); 0: none */
	size_t group;                     /* its regional group: index into groups, SIZE_MAX for none */
	size_t group_rank;                /* its place in the group (shared last place without works) */
	long *daily;                      /* posts per day, ndays entries */
	long *platform_posts;             /* posts per platform, parallel to store_platforms */
	struct report_work best[REPORT_TOP_PER_UNIT];
	size_t nbest;
};

/* A regional group (the gazetteer's `groups`): its units' totals, and its
 * units in rank order for the group's own ranking. */
struct report_group {
	const struct district_group *group; /* borrowed from the gazetteer */
	struct report_totals t;             /* authors counted once within the group */
	long units_covered;
	size_t *order;                      /* indexes into units, best first; owned */
	size_t norder;
};

struct report_day {
	char date[16];                    /* YYYY-MM-DD, Beijing time */
	int64_t t;                        /* its first second (UTC) */
	long posts;
	int64_t counts[PC_N];
	double index_sum;
};

struct report_hashtag {
	char *tag;
	long posts;
};

struct report_author {
	char *platform, *author_name;
	long posts;
	int64_t counts[PC_N];
	double index_sum;
};

struct report_source {
	char *name;
	int64_t last_ok;       /* finish of the last successful run; 0 never */
	int64_t last_error_at; /* 0 when none */
	char *last_error;      /* NULL when none */
	int64_t gap_lo, gap_hi; /* created_at not read yet (gap_hi 0: none) */
	int gap_capped;        /* the platform will not list it: a backfill must */
	int64_t backfill_at;   /* the last complete backfill (0: none), and its range */
	int64_t backfill_since, backfill_until;
};

/*
 * What the report compares the window with.  The previous period of the
 * same length, unless it begins before the campaign did (a report of the
 * campaign's first weeks would show "上期 0, 新增" on every card): then
 * the window's first half against its second (two halves of whole days,
 * of equal length: the middle day of an odd window is in neither), or
 * nothing for a window of one day.
 */
enum report_compare { REPORT_COMPARE_PREVIOUS, REPORT_COMPARE_HALVES, REPORT_COMPARE_NONE };

struct report {
	/* what was asked */
	char since[16], until[16];         /* the window, Beijing dates, inclusive */
	int64_t since_t, until_t;          /* UTC [since_t, until_t) */
	int64_t as_of;                     /* engagement as of this moment */
	int as_of_given;                   /* --as-of was given (else: the latest counts) */
	int scope_all;                     /* every post, not only those in Chongqing */
	const struct district_unit *district; /* a unit's page, NULL for the whole city */
	int64_t generated_at;
	struct report_scoring scoring;
	char campaign[128];

	/* 1. overview */
	struct report_totals total;
	struct report_totals previous;     /* the period of the same length before */
	char previous_since[16], previous_until[16];
	long units_covered;                /* units with at least one post */
	enum report_compare compare;
	int64_t campaign_start;            /* UTC; 0: not known (then always the previous period) */
	struct report_totals first_half, second_half; /* REPORT_COMPARE_HALVES */
	int64_t first_until, second_since; /* the halves: [since_t, first_until), [second_since, until_t) */
	long attention_min_posts;          /* report.attention (defaults 1 and 0: no works) */
	double attention_min_share;
	struct config_target target;       /* the city's targets, or the unit's on its page; 0: none */
	int unit_targets;                  /* some unit has a target */

	/* 2. leaderboard: every unit, in gazetteer order */
	struct report_unit *units;
	size_t nunits;
	struct report_totals unknown_unit; /* in Chongqing, unit unknown */
	struct report_group *groups;       /* the regional groups, in gazetteer order */
	size_t ngroups;

	/* 3. platforms, parallel to store_platforms */
	struct report_totals *platforms;

	/* 4. trend */
	struct report_day *days;
	size_t ndays;

	/* 5. top works */
	struct report_work top[REPORT_TOP_WORKS];
	size_t ntop;
	/* a unit's page: all its works, best first */
	struct report_work *works;
	size_t nworks;
	/* the city's page: the works in Chongqing without a unit, best first
	 * (at most REPORT_MAX_UNPLACED of unplaced_total), for districts to claim */
	struct report_work *unplaced;
	size_t nunplaced;
	long unplaced_total;

	/* 6. hashtags used with the campaign tag */
	struct report_hashtag *hashtags;
	size_t nhashtags;

	/* 7. data quality (over every post in the window, whatever the scope) */
	long by_method[REPORT_METHODS];
	long all_posts;                    /* posts in the window, any scope */
	long in_cq_no_unit;
	long outside;                      /* in_chongqing false */
	long no_location;                  /* in_chongqing unknown */
	long deleted;                      /* posts of the window a platform says are gone (left out
					    * unless include_deleted) */
	int include_deleted;
	struct report_source *sources;
	size_t nsources;

	/* a unit's page: its authors */
	struct report_author *authors;
	size_t nauthors;
};

struct report_opts {
	int64_t since, until;              /* UTC [since, until) */
	int64_t campaign_start;            /* UTC; 0: not known */
	long attention_min_posts;          /* a unit with fewer works needs attention (0: default 1) */
	double attention_min_share;        /* or with a smaller share of the index, percent (0: none) */
	/* campaign.targets: the city's, every unit's, some units' own (each
	 * figure over per_unit's); NULL and 0: none */
	const struct config_target *target, *target_per_unit;
	const struct config_unit_target *unit_targets;
	size_t nunit_targets;
	int64_t as_of;                     /* 0: the latest counts */
	int scope_all;
	const char *district;              /* code or name, NULL for all */
	const struct report_scoring *scoring; /* NULL: defaults */
	const char *campaign;              /* the campaign's name for titles */
	int include_deleted;               /* keep posts a platform says are gone */
	const struct flags *mask;          /* the privacy rules for the works' titles (NULL: none) */
	int top_only;                      /* the top works only: no unit's list of all its works and
					    * authors, no list of works without a unit (the summaries,
					    * which show neither, build 42 reports) */
};

/* Build; the caller frees with report_release().  An unknown district is
 * KERR_USAGE. */
int report_build(struct report *r, struct store *st, const struct gazetteer *g,
		 const struct report_opts *o, struct kerr *e);
void report_release(struct report *r);

/* A target's progress: done as a percentage of target (0 when none). */
double report_progress(int64_t done, int64_t target);
/* What the config says of every report into o: the campaign's name and
 * start (the comparison's halves), the attention thresholds
 * (report.attention) and campaign.targets (the city's, per_unit, the
 * units' own; pointers into c, borrowed).  Every front that builds a
 * report from the config (the report, the web workspace, the summaries)
 * sets them here, so that none of them is left without. */
void report_opts_config(struct report_opts *o, const struct config *c);

/* 互动量: likes + comments + shares + favorites, of those the posts
 * report; -1 when none of them is known. */
int64_t report_interactions(const struct report_totals *t);
/* The units in leaderboard order into order[nunits]: by index, then
 * works, then gazetteer order; of the previous period when prev. */
void report_rank_order(const struct report *r, size_t *order, int prev);

int report_render_md(const struct report *r, FILE *out, struct kerr *e);
int report_render_html(const struct report *r, FILE *out, struct kerr *e);
int report_render_json(const struct report *r, FILE *out, struct kerr *e);
/* One CSV file per table into the directory dir (created if missing). */
int report_render_csv(const struct report *r, const char *dir, struct kerr *e);
/* An Excel workbook at path, a sheet per table (render_xlsx.c, xlsx.h):
 * written whole or not at all (a temporary file beside it, renamed). */
int report_render_xlsx(const struct report *r, const char *path, struct kerr *e);

/* Labels shared by the renderers. */
extern const char *const report_method_labels[REPORT_METHODS];
extern const char *const report_count_labels[PC_N];      /* 播放, 点赞, ... */

/* Export every post created in [since, until) with its latest counts. */
enum export_format { EXPORT_NDJSON, EXPORT_CSV };
int export_write(struct store *st, const struct store_filter *f, enum export_format fmt,
		 FILE *out, struct kerr *e);
/* The same posts as one sheet of an Excel workbook at path (Chinese
 * headers, counts as numbers, times as Beijing date-times), written whole
 * or not at all. */
int export_write_xlsx(struct store *st, const struct store_filter *f, const char *campaign, const char *path,
		      struct kerr *e);

/* ==================================================================
 * Featured works (reports/featured.c): the publicity staff's ranked
 * shortlist, the review queue and the showcase page, built from the store
 * (posts, review states, flags) and rendered.  README "Featured works and
 * review" and "Showcase".
 * ================================================================== */

struct flags; /* matchers/flags.h */

#define FEATURED_TOP 20      /* --top default */
#define FEATURED_PER_UNIT 2  /* --per-unit default */
#define FEATURED_MAX_TOP 1000

struct featured_flag {
	char *rule, *reason, *match; /* owned; match masked for privacy rules */
};

/* A work as the shortlist, queue and showcase show it; strings owned. */
struct featured_work {
	char *platform, *post_id, *url, *title, *author_name, *district, *district_code;
	int64_t id;                /* the store's row */
	int64_t created_at;
	int64_t counts[PC_N];
	unsigned known, lower;
	double index;
	size_t rank;               /* 1-based place in the list */
	enum review_state state;
	char *reviewer, *note;     /* of the decision that set the state; NULL when none */
	char *editor_title;        /* featured: the title the editor gave (review feature --title); NULL */
	int64_t decided_at;        /* 0 when pending without a decision */
	struct featured_flag *flags;
	size_t nflags;
	int flags_open;            /* flagged, and not approved or featured */
	int over_cap;              /* the shortlist's fill: its unit already had per_unit works */
	int64_t deleted_at;        /* the platform says it is gone (0: it is not) */
	const struct district_unit *unit; /* borrowed from the gazetteer; NULL without a unit */
};

enum featured_kind {
	FEATURED_SHORTLIST, /* the candidates, ranked, N of them, at most K per unit first */
	FEATURED_QUEUE,     /* the review queue: every post of a state, ranked */
	FEATURED_SHOWCASE,  /* every featured work, grouped by unit in gazetteer order */
};

struct featured_opts {
	enum featured_kind kind;
	int64_t since, until;          /* UTC [since, until); INT64_MIN/MAX for no bound */
	const char *district;          /* code or name; NULL for all */
	const char *platform;          /* NULL for all */
	size_t top;                    /* shortlist: N (1..FEATURED_MAX_TOP); queue: the most
					* to list, 0 for all */
	size_t per_unit;               /* shortlist: K, 0 for no limit */
	int status;                    /* queue: a review_state, -1 for any */
	int flagged_only;              /* queue: posts with flags only */
	const struct report_scoring *scoring; /* NULL: defaults */
	const char *campaign;          /* the campaign's name for titles */
	const struct flags *mask;      /* mask the privacy rules' matches in titles (review
					* tools); NULL: titles as posted (the showcase) */
};

struct featured {
	enum featured_kind kind;
	char since[16], until[16];     /* Beijing dates, inclusive; empty without a bound */
	int64_t generated_at;
	struct report_scoring scoring;
	char campaign[128];
	const struct district_unit *district; /* borrowed; NULL for all */
	char platform[32];             /* empty for all */
	size_t top, per_unit;
	struct featured_work *works;   /* in rank order (showcase: by unit, then rank) */
	size_t n;
	long candidates;               /* works that could be listed (the queue: that match) */
	long left_rejected;            /* left out: rejected */
	long left_flagged;             /* left out: an open flag */
	long left_deleted;             /* left out: the platform says it is gone */
};

/* Build; the caller frees with featured_release().  An unknown district
 * or platform is KERR_USAGE. */
int featured_build(struct featured *f, struct store *st, const struct gazetteer *g,
		   const struct featured_opts *o, struct kerr *e);
void featured_release(struct featured *f);

int featured_render_md(const struct featured *f, FILE *out, struct kerr *e);
int featured_render_csv(const struct featured *f, FILE *out, struct kerr *e);
int featured_render_json(const struct featured *f, FILE *out, struct kerr *e);
int featured_render_html(const struct featured *f, FILE *out, struct kerr *e);
/* The shortlist as an Excel workbook at path, written whole or not at all. */
int featured_render_xlsx(const struct featured *f, const char *path, struct kerr *e);
/* The review queue as text for a terminal: one line per work, tab-separated. */
int featured_render_queue(const struct featured *f, FILE *out, struct kerr *e);
/* ==================================================================
 * The showcase (reports/showcase.c): the public page of the featured
 * works.  README "Showcase".
 * ================================================================== */

/* The words around the works (the config's showcase.*); NULL: built-in. */
struct showcase_words {
	const char *title, *intro, *organizer, *footer;
	const char *base_url; /* the page's public address, for og:image; NULL */
};

struct showcase_work {
	const struct featured_work *w; /* borrowed from the showcase's f */
	char *title;                   /* as the page shows it (masked) */
	char *cover_url;               /* the post's picture on its platform; NULL when none */
	char *cover;                   /* the caller's: the file's name in DIR/covers/; NULL: none */
	char *cover_src;               /* the caller's: an img src instead (the workspace's preview) */
};

struct showcase {
	struct featured f;             /* a FEATURED_SHOWCASE list */
	struct showcase_work *works;   /* f.n of them, parallel to f.works */
	struct showcase_words words;   /* borrowed */
};

/* Build from the featured works (o: as for featured_build, kind
 * FEATURED_SHOWCASE); the caller frees with showcase_release(). */
int showcase_build(struct showcase *s, struct store *st, const struct gazetteer *g, const struct featured_opts *o,
		   const struct showcase_words *words, struct kerr *e);
void showcase_release(struct showcase *s);
/* DIR (created if missing): showcase.csv, showcase.json, then index.html,
 * each written whole or not at all. */
int showcase_write(const struct showcase *s, const char *dir, struct kerr *e);
/* The page alone, as showcase_write() writes index.html. */
int showcase_render_html(const struct showcase *s, FILE *out, struct kerr *e);
/* The title a card shows for a post without an editor's: its own title
 * or else its text, without hashtags, mentions, links and emoticon codes,
 * cut at a sentence end; "（无标题）" when nothing is left.  Owned; NULL
 * when out of memory. */
char *showcase_title_of(const char *title, const char *text);

#endif
