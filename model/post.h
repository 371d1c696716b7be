/*
 * post.h: what a post is, for every part of kepu: its fields and counts,
 * the flags content review puts on it, and its review states.  The store
 * keeps posts, the collector and import produce them, the matchers
 * annotate them, the reports read them; none of them needs another's
 * header to know what a post is.
 *
 * Not for: storage, parsing, rendering.
 */
#ifndef KEPU_MODEL_POST_H
#define KEPU_MODEL_POST_H

#include <stddef.h>
#include <stdint.h>

/* The counts every post may have, in this order everywhere (columns,
 * bit masks, export fields). */
enum post_count {
	PC_VIEWS,
	PC_LIKES,
	PC_COMMENTS,
	PC_SHARES,
	PC_FAVORITES,
	PC_COINS,     /* Bilibili's 投币; weighed 0 by default */
	PC_N
};
extern const char *const post_count_names[PC_N];

/*
 * The normalized post.  Every string is borrowed (the producer owns it)
 * and NULL when unknown.  Producers (import, collect) fill the first
 * block; ingest fills the second with what the matchers found.
 */
struct post_flags;

struct post {
	const char *source;      /* who observed it: a config source's name, "(import)"; NULL unknown */
	const char *platform;
	const char *post_id;
	const char *url;
	const char *author_id;
	const char *author_name;
	const char *author_location;
	const char *ip_location;
	int64_t created_at;      /* UTC seconds */
	const char *title;
	const char *text;
	const char *cover_url;   /* the work's picture (a video's cover, a post's first image) */
	const char *media;       /* "video", "image" or "text"; NULL unknown */
	const char **topics;
	size_t ntopics;
	int64_t counts[PC_N];
	unsigned known;          /* bit i: counts[i] is known */
	unsigned lower;          /* bit i: counts[i] is a lower bound ("10万+") */
	int64_t first_seen;      /* 0: the time of this ingest */
	int64_t last_seen;       /* 0: the time of this ingest */
	int64_t deleted_at;      /* when a platform said the post is gone; 0: it was not */
	int province_code;       /* Weibo profile codes for attribution; 0 unknown; not stored */
	int city_code;

	const char **hashtags;   /* in order of appearance, each once */
	size_t nhashtags;
	const char **campaign_tags;
	size_t ncampaign_tags;
	const char *district;        /* unit name, NULL when unattributed */
	const char *district_code;
	int in_chongqing;            /* -1 unknown, 0 no, 1 yes */
	const char *attribution_method; /* "account" ... "none"; never NULL when stored */
	double attribution_confidence;
	const char *attribution_evidence;
	const struct post_flags *flags; /* what the flag rules found; NULL: not checked (review section below) */
};

/* ---- content review ---- */

enum review_state { REVIEW_PENDING, REVIEW_APPROVED, REVIEW_REJECTED, REVIEW_FEATURED, REVIEW_NSTATES };
/* "pending", "approved", "rejected", "featured" */
extern const char *const review_state_names[REVIEW_NSTATES];
/* For people: "待审核", "已通过", "未通过", "已入选" (the ids stay in JSON) */
extern const char *const review_state_labels[REVIEW_NSTATES];
/* The state named s, or -1. */
int review_state_parse(const char *s);

struct post_flag {
	const char *rule;   /* "mobile", "resident_id", "pattern:<the pattern>", "word" */
	const char *reason; /* for people: why the rule exists */
	const char *match;  /* the text that fired it (masked for the privacy rules) */
	int64_t set_at;     /* when it was first stored; store_set_flags() ignores it */
};
#define POST_FLAGS_NO_TITLE 1u /* the rules ran without a title (the record had none) */
#define POST_FLAGS_NO_TEXT 2u
struct post_flags {
	const struct post_flag *v; /* borrowed */
	size_t n;
	unsigned without;          /* POST_FLAGS_NO_*: what the rules did not see */
};

#endif
