/*
 * posts.c: storing a post: the upsert with its engagement snapshots, the
 * rule for counts from several sources, refreshed counts, deletions and
 * attribution corrections.
 *
 * The upsert is the import's and the collection's inner loop: a new post
 * is one INSERT (its tags and a snapshot after it); only a post seen
 * before reads its stored state, which is copied out of the row before
 * anything else runs (struct stored_post).
 */
#include "store.h"
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/jsonw.h"

/* ---- statements ---- */

/* The parameters of ST_INSERT and ST_UPDATE, by number (the SQL spells
 * the same numbers). */
enum {
	P_PLATFORM = 1,
	P_POST_ID,
	P_URL,
	P_AUTHOR_ID,
	P_AUTHOR_NAME,
	P_AUTHOR_LOCATION,
	P_IP_LOCATION,
	P_CREATED_AT,
	P_TITLE,
	P_TEXT,
	P_TOPICS,
	P_COUNTS, /* PC_N of them */
	P_LOWER = P_COUNTS + PC_N,
	P_ATTRIBUTION /* 6: bind_attribution() */,
	P_FIRST_SEEN = P_ATTRIBUTION + 6,
	P_LAST_SEEN,
	P_COVER_URL,
	P_MEDIA,
	P_COUNT_SRC
};
_Static_assert(P_COUNT_SRC == 29, "the SQL of ST_INSERT and ST_UPDATE numbers its parameters so");

static const struct store_sql q_insert = {
	ST_INSERT, "INSERT INTO posts (platform, post_id, url, author_id, author_name,"
		   " author_location, ip_location, created_at, title, text, topics, " COUNT_COLS ","
		   " lower_bounds, district, district_code, in_chongqing, attribution_method,"
		   " attribution_confidence, attribution_evidence, first_seen, last_seen, cover_url, media,"
		   " count_src)"
		   " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
		   "?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29)"
		   " ON CONFLICT (platform, post_id) DO NOTHING"};

static const struct store_sql q_update = {
	ST_UPDATE, "UPDATE posts SET url = ?3, author_id = ?4, author_name = ?5,"
		   " author_location = ?6, ip_location = ?7, created_at = ?8, title = ?9,"
		   " text = ?10, topics = ?11, views = ?12, likes = ?13, comments = ?14,"
		   " shares = ?15, favorites = ?16, coins = ?17, lower_bounds = ?18, district = ?19,"
		   " district_code = ?20, in_chongqing = ?21, attribution_method = ?22,"
		   " attribution_confidence = ?23, attribution_evidence = ?24, last_seen = ?26,"
		   " cover_url = ?27, media = ?28, count_src = ?29"
		   " WHERE platform = ?1 AND post_id = ?2"};

/* A stored post's state, for the upsert's merge and for refreshed counts. */
enum {
	PS_ID,
	PS_URL,
	PS_AUTHOR_ID,
	PS_AUTHOR_NAME,
	PS_AUTHOR_LOCATION,
	PS_IP_LOCATION,
	PS_CREATED_AT,
	PS_TITLE,
	PS_TEXT,
	PS_TOPICS,
	PS_COUNTS,
	PS_LOWER = PS_COUNTS + PC_N,
	PS_DISTRICT,
	PS_DISTRICT_CODE,
	PS_IN_CHONGQING,
	PS_METHOD,
	PS_CONFIDENCE,
	PS_EVIDENCE,
	PS_COVER_URL,
	PS_MEDIA,
	PS_COUNT_SRC
};
static const struct store_sql q_post_state = {
	ST_POST_STATE, "SELECT id, url, author_id, author_name, author_location, ip_location,"
		       " created_at, title, text, topics, " COUNT_COLS ","
		       " lower_bounds, district, district_code, in_chongqing, attribution_method,"
		       " attribution_confidence, attribution_evidence, cover_url, media, count_src"
		       " FROM posts WHERE platform = ?1 AND post_id = ?2"};

static const struct store_sql q_tag_select = {ST_TAG_SELECT, SQL_TAG_SELECT};
static const struct store_sql q_tag_delete = {ST_TAG_DELETE, "DELETE FROM post_tags WHERE post = ?1"};

static const struct store_sql q_snapshot = {
	ST_SNAPSHOT, "INSERT OR REPLACE INTO snapshots (post, observed_at, refused, " COUNT_COLS ","
		     " lower_bounds, source) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"};

/* Source me's last values that were not taken. */
enum { RL_COUNTS, RL_LOWER = RL_COUNTS + PC_N };
static const struct store_sql q_refused_last = {
	ST_REFUSED_LAST, "SELECT " COUNT_COLS ", lower_bounds FROM snapshots WHERE post = ?1 AND refused = ?2"
			 " ORDER BY observed_at DESC LIMIT 1"};

enum { SRC_ID };
static const struct store_sql q_source_id = {ST_SOURCE_ID, "SELECT id FROM sources WHERE name = ?1"};
static const struct store_sql q_source_add = {ST_SOURCE_ADD, "INSERT INTO sources (name) VALUES (?1)"};

static const struct store_sql q_mark_deleted = {
	ST_MARK_DELETED,
	"UPDATE posts SET deleted_at = ?3 WHERE platform = ?1 AND post_id = ?2 AND deleted_at IS NULL"};

static const struct store_sql q_put_counts = {
	ST_PUT_COUNTS, "UPDATE posts SET views = ?2, likes = ?3, comments = ?4, shares = ?5, favorites = ?6,"
		       " coins = ?7, lower_bounds = ?8, count_src = ?9, refreshed_at = ?10,"
		       " last_seen = CASE WHEN ?11 THEN ?10 ELSE last_seen END WHERE id = ?1"};

enum { RC_PLATFORM, RC_POST_ID, RC_CREATED_AT, RC_LAST_READ, RC_COUNT_SRC, RC_COUNTS };
static const struct store_sql q_refresh_candidates = {
	ST_REFRESH_CANDIDATES,
	"SELECT platform, post_id, created_at, max(refreshed_at, last_seen), count_src, " COUNT_COLS
	" FROM posts WHERE created_at >= ?1 AND created_at < ?2 AND deleted_at IS NULL"
	" AND (?3 IS NULL OR platform = ?3)"};

static const struct store_sql q_set_district = {ST_SET_DISTRICT,
						"UPDATE posts SET district = ?3, district_code = ?4, in_chongqing = ?5,"
						" attribution_method = ?6, attribution_confidence = ?7,"
						" attribution_evidence = ?8 WHERE platform = ?1 AND post_id = ?2"};
/* the corrections log (schema 13): written before the update, so that
 * from_code is the unit the post had */
static const struct store_sql q_correction_log = {
	ST_CORRECTION_LOG, "INSERT INTO corrections (platform, post_id, at, by, from_code, to_code, to_name, note)"
			   " SELECT platform, post_id, ?3, ?4, district_code, ?5, ?6, ?7 FROM posts"
			   " WHERE platform = ?1 AND post_id = ?2"};
enum { CR_ID, CR_AT, CR_BY, CR_FROM, CR_TO, CR_TO_NAME, CR_NOTE };
static const struct store_sql q_corrections = {
	ST_CORRECTIONS, "SELECT id, at, by, from_code, to_code, to_name, note FROM corrections"
			" WHERE platform = ?1 AND post_id = ?2 ORDER BY id"};
static const struct store_sql q_override_put = {
	ST_OVERRIDE_PUT, "INSERT OR REPLACE INTO district_overrides (platform, post_id, district_code,"
			 " district, note, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};

/* ---- binding ---- */

static int topics_json(struct store *s, const struct post *p, struct kerr *e)
{
	kbuf_reset(&s->scratch);
	if (kbuf_addc(&s->scratch, '[', e) < 0)
		return -1;
	for (size_t i = 0; i < p->ntopics; i++)
		if ((i && kbuf_addc(&s->scratch, ',', e) < 0) || jsonw_str(&s->scratch, p->topics[i], e) < 0)
			return -1;
	return kbuf_addc(&s->scratch, ']', e);
}

/* Bind a post's attribution to ?first .. ?first+5: district, district_code,
 * in_chongqing, attribution_method, _confidence, _evidence. */
static void bind_attribution(sqlite3_stmt *st, int first, const struct post *p)
{
	store_bind_text(st, first, p->district);
	store_bind_text(st, first + 1, p->district_code);
	if (p->in_chongqing < 0)
		sqlite3_bind_null(st, first + 2);
	else
		sqlite3_bind_int(st, first + 2, p->in_chongqing);
	store_bind_text(st, first + 3, p->attribution_method ? p->attribution_method : "none");
	sqlite3_bind_double(st, first + 4, p->attribution_confidence);
	store_bind_text(st, first + 5, p->attribution_evidence);
}

/* Bind counts c (known ones; NULL for the rest) to ?first .. ?first+PC_N-1. */
static void bind_counts(sqlite3_stmt *st, int first, const int64_t *c, unsigned known)
{
	for (int i = 0; i < PC_N; i++) {
		if (known & (1u << i))
			sqlite3_bind_int64(st, first + i, c[i]);
		else
			sqlite3_bind_null(st, first + i);
	}
}

/* Bind ST_INSERT's / ST_UPDATE's parameters from p (counts from c, known,
 * lower; whose they are from src; the topics from s->scratch). */
static void bind_post(struct store *s, sqlite3_stmt *st, const struct post *p, const int64_t *c, unsigned known,
		      unsigned lower, int64_t src, int64_t now)
{
	store_bind_text(st, P_PLATFORM, p->platform);
	store_bind_text(st, P_POST_ID, p->post_id);
	store_bind_text(st, P_URL, p->url);
	store_bind_text(st, P_AUTHOR_ID, p->author_id);
	store_bind_text(st, P_AUTHOR_NAME, p->author_name);
	store_bind_text(st, P_AUTHOR_LOCATION, p->author_location);
	store_bind_text(st, P_IP_LOCATION, p->ip_location);
	sqlite3_bind_int64(st, P_CREATED_AT, p->created_at);
	store_bind_text(st, P_TITLE, p->title);
	store_bind_text(st, P_TEXT, p->text);
	sqlite3_bind_text(st, P_TOPICS, s->scratch.data, (int)s->scratch.len, SQLITE_STATIC);
	bind_counts(st, P_COUNTS, c, known);
	sqlite3_bind_int(st, P_LOWER, (int)lower);
	bind_attribution(st, P_ATTRIBUTION, p);
	sqlite3_bind_int64(st, P_FIRST_SEEN, p->first_seen ? p->first_seen : now);
	sqlite3_bind_int64(st, P_LAST_SEEN, p->last_seen ? p->last_seen : now);
	store_bind_text(st, P_COVER_URL, p->cover_url);
	store_bind_text(st, P_MEDIA, p->media);
	sqlite3_bind_int64(st, P_COUNT_SRC, src);
}

/* ---- sources ---- */

/* posts.count_src: per count, 10 bits naming the source that last raised it. */
#define SRC_BITS 10
#define SRC_MAX  ((1 << SRC_BITS) - 1)
static int src_of(int64_t packed, int k)
{
	return (int)((uint64_t)packed >> (SRC_BITS * k)) & SRC_MAX;
}
static int64_t src_set(int64_t packed, int k, int id)
{
	uint64_t m = (uint64_t)SRC_MAX << (SRC_BITS * k);
	return (int64_t)(((uint64_t)packed & ~m) | ((uint64_t)id << (SRC_BITS * k)));
}

/* The id in `sources` of name; 0 when it has none. */
static int lookup_source(struct store *s, const char *name, int *id, const char *what, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_source_id, what, e);
	int rc;

	*id = 0;
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	if ((rc = store_step_row(s, st, e, what)) <= 0)
		return rc;
	*id = sqlite3_column_int(st, SRC_ID);
	store_stmt_done(st);
	return 0;
}

/* The id in `sources` of p->source (0 for none), added when new. */
static int source_id(struct store *s, const char *name, int *id, struct kerr *e)
{
	sqlite3_stmt *add;

	*id = 0;
	if (!name || !*name)
		return 0;
	if (!strcmp(s->source, name)) {
		*id = s->source_id;
		return 0;
	}
	if (lookup_source(s, name, id, "cannot record the source", e) < 0)
		return -1;
	if (!*id) {
		if (!(add = store_stmt(s, &q_source_add, "cannot record the source", e)))
			return -1;
		store_bind_text(add, 1, name);
		if (store_step_done(s, add, e, "cannot record the source") < 0)
			return -1;
		*id = (int)sqlite3_last_insert_rowid(s->db);
	}
	if (*id < 1 || *id > SRC_MAX)
		return kerr_set(e, KERR_DB, "%s: source '%s': the store keeps at most %d sources' names", s->path, name,
				SRC_MAX);
	snprintf(s->source, sizeof(s->source), "%s", name);
	s->source_id = *id;
	return 0;
}

/* ---- tags and snapshots ---- */

static const struct store_sql q_tag_insert = {ST_TAG_INSERT,
					      "INSERT INTO post_tags (post, kind, pos, tag) VALUES (?1, ?2, ?3, ?4)"};

static int put_tags(struct store *s, int64_t id, const struct post *p, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_tag_insert, "cannot store tag", e);

	if (!st)
		return -1;
	for (int kind = 0; kind < 2; kind++) {
		const char **v = kind == TAG_HASHTAG ? p->hashtags : p->campaign_tags;
		size_t n = kind == TAG_HASHTAG ? p->nhashtags : p->ncampaign_tags;

		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int(st, 2, kind);
			sqlite3_bind_int64(st, 3, (int64_t)i);
			sqlite3_bind_text(st, 4, v[i], -1, SQLITE_STATIC);
			if (store_step_done(s, st, e, "cannot store tag") < 0)
				return -1;
		}
	}
	return 0;
}

static int replace_tags(struct store *s, int64_t id, const struct post *p, struct kerr *e)
{
	sqlite3_stmt *del = store_stmt(s, &q_tag_delete, "cannot replace tags", e);

	if (!del)
		return -1;
	sqlite3_bind_int64(del, 1, id);
	if (store_step_done(s, del, e, "cannot replace tags") < 0)
		return -1;
	return put_tags(s, id, p, e);
}

/* Do the stored tags equal the post's? */
static int same_tags(struct store *s, int64_t id, const struct post *p, int *same, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_tag_select, "cannot read tags", e);
	size_t nh = 0, nc = 0;
	int rc;

	*same = 1;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, TAG_COL_KIND);
		const char *tag = store_col_text(st, TAG_COL_TAG);
		const char *want = NULL;

		if (kind == TAG_HASHTAG && nh < p->nhashtags)
			want = p->hashtags[nh++];
		else if (kind == TAG_CAMPAIGN && nc < p->ncampaign_tags)
			want = p->campaign_tags[nc++];
		else
			nh = (size_t)-1;
		if (!want || !tag || strcmp(want, tag)) {
			*same = 0;
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_db_error(s, e, "cannot read tags");
	store_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (nh != p->nhashtags || nc != p->ncampaign_tags)
		*same = 0;
	return 0;
}

/* A snapshot row: the post's state (refused 0) or the values of source
 * `src` that were not taken (refused = src). */
static int put_snapshot(struct store *s, int64_t id, int64_t at, int refused, int src, const int64_t *c, unsigned known,
			unsigned lower, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_snapshot, "cannot store engagement snapshot", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int(st, 3, refused);
	bind_counts(st, 4, c, known);
	sqlite3_bind_int(st, 4 + PC_N, (int)lower);
	sqlite3_bind_int(st, 5 + PC_N, src);
	return store_step_done(s, st, e, "cannot store engagement snapshot");
}

/* Keep source me's values that were not taken (the counts in `refused`),
 * unless its last such row said the same. */
static int put_refused(struct store *s, int64_t id, int64_t at, int me, const struct post *p, unsigned refused,
		       struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_refused_last, "cannot read engagement snapshots", e);
	unsigned lower = p->lower & refused;
	int rc, same = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, me);
	if ((rc = store_step_row(s, st, e, "cannot read engagement snapshots")) < 0)
		return -1;
	if (rc) {
		same = ((unsigned)sqlite3_column_int(st, RL_LOWER) & refused) == lower;
		for (int i = 0; i < PC_N && same; i++)
			if (refused & (1u << i))
				same = sqlite3_column_type(st, RL_COUNTS + i) != SQLITE_NULL &&
				       sqlite3_column_int64(st, RL_COUNTS + i) == p->counts[i];
			else
				same = sqlite3_column_type(st, RL_COUNTS + i) == SQLITE_NULL;
		store_stmt_done(st);
	}
	if (same)
		return 0;
	return put_snapshot(s, id, at, me, me, p->counts, refused, lower, e);
}

/* ---- merging a post seen before ---- */

/*
 * Merge a post's counts into the stored ones (store.h, store_put_post):
 * c/known/lower/src start as the stored values and end as the values to
 * store.  *changed says whether they changed, *refused which of p's known
 * counts were not taken (another source's lower value).
 */
static void merge_counts(const struct post *p, int me, int64_t *c, unsigned *known, unsigned *lower, int64_t *src,
			 int *changed, unsigned *refused)
{
	*changed = 0;
	*refused = 0;
	for (int i = 0; i < PC_N; i++) {
		unsigned bit = 1u << i, lb = p->lower & bit;
		int owner = src_of(*src, i);

		if (!(p->known & bit))
			continue;
		if (*known & bit) {
			int64_t old = c[i];
			int take;

			if (p->counts[i] > old)
				take = 1;
			else if (p->counts[i] == old)
				take = !lb && (*lower & bit); /* an exact count beats a bound */
			else
				/* lower: a bound says nothing new; only the count's own
				 * source (or an unknown one) may correct it */
				take = !lb && (owner == 0 || me == 0 || owner == me);
			if (!take) {
				if (p->counts[i] < old && !lb)
					*refused |= bit;
				continue;
			}
		}
		*changed = 1;
		c[i] = p->counts[i];
		*known |= bit;
		*lower = (*lower & ~bit) | lb;
		*src = src_set(*src, i, me);
	}
}

/* The strings of a stored post the merge reads, and their columns. */
enum stored_str {
	SS_URL,
	SS_AUTHOR_ID,
	SS_AUTHOR_NAME,
	SS_AUTHOR_LOCATION,
	SS_IP_LOCATION,
	SS_TITLE,
	SS_TEXT,
	SS_TOPICS,
	SS_DISTRICT,
	SS_DISTRICT_CODE,
	SS_METHOD,
	SS_EVIDENCE,
	SS_COVER_URL,
	SS_MEDIA,
	SS_N
};
static const int stored_col[SS_N] = {
	[SS_URL] = PS_URL,
	[SS_AUTHOR_ID] = PS_AUTHOR_ID,
	[SS_AUTHOR_NAME] = PS_AUTHOR_NAME,
	[SS_AUTHOR_LOCATION] = PS_AUTHOR_LOCATION,
	[SS_IP_LOCATION] = PS_IP_LOCATION,
	[SS_TITLE] = PS_TITLE,
	[SS_TEXT] = PS_TEXT,
	[SS_TOPICS] = PS_TOPICS,
	[SS_DISTRICT] = PS_DISTRICT,
	[SS_DISTRICT_CODE] = PS_DISTRICT_CODE,
	[SS_METHOD] = PS_METHOD,
	[SS_EVIDENCE] = PS_EVIDENCE,
	[SS_COVER_URL] = PS_COVER_URL,
	[SS_MEDIA] = PS_MEDIA,
};

/* A post as stored, its strings copied into s->row (valid until the next
 * read_stored()). */
struct stored_post {
	int64_t id, created_at;
	int64_t c[PC_N];
	unsigned known, lower;
	int64_t src;
	int in_chongqing; /* -1 unknown */
	double confidence;
	const char *str[SS_N];
};

/* Copy the strings of ST_POST_STATE's row into s->row. */
static int copy_strings(struct store *s, sqlite3_stmt *st, struct stored_post *o, struct kerr *e)
{
	size_t off[SS_N];

	kbuf_reset(&s->row);
	for (int i = 0; i < SS_N; i++) {
		const char *v = store_col_text(st, stored_col[i]);

		off[i] = SIZE_MAX;
		if (!v)
			continue;
		off[i] = s->row.len;
		if (kbuf_add(&s->row, v, (size_t)sqlite3_column_bytes(st, stored_col[i]) + 1, e) < 0)
			return -1;
	}
	/* pointers only now: adding may have moved the buffer */
	for (int i = 0; i < SS_N; i++)
		o->str[i] = off[i] == SIZE_MAX ? NULL : s->row.data + off[i];
	return 0;
}

/* Read the stored state of (platform, post_id); *found 0 when not stored. */
static int read_stored(struct store *s, const char *platform, const char *post_id, struct stored_post *o, int *found,
		       struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_post_state, "cannot read stored post", e);
	int rc;

	if (!st)
		return -1;
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	if ((*found = rc = store_step_row(s, st, e, "cannot read stored post")) <= 0)
		return rc;
	o->id = sqlite3_column_int64(st, PS_ID);
	o->created_at = sqlite3_column_int64(st, PS_CREATED_AT);
	o->known = store_col_counts(st, PS_COUNTS, o->c);
	o->lower = (unsigned)sqlite3_column_int(st, PS_LOWER) & o->known;
	o->src = sqlite3_column_int64(st, PS_COUNT_SRC);
	o->in_chongqing =
		sqlite3_column_type(st, PS_IN_CHONGQING) == SQLITE_NULL ? -1 : sqlite3_column_int(st, PS_IN_CHONGQING);
	o->confidence = sqlite3_column_double(st, PS_CONFIDENCE);
	rc = copy_strings(s, st, o, e);
	store_stmt_done(st);
	return rc;
}

static int same_str(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b;
	return !strcmp(a, b);
}

/*
 * The post to store, m, from the new record p and the stored o: a NULL
 * string in p keeps the stored one (a page that omits a field, as Weibo
 * drops user.location, must not erase it), and a manual district
 * correction outlives every re-collection.  Returns whether anything but
 * the counts and tags differs from what is stored.  m's strings are p's
 * and o's.
 */
static int merge_fields(const struct post *p, const struct stored_post *o, const char *topics, struct post *m)
{
	struct {
		const char **field;
		enum stored_str col;
	} kept[] = {
		{&m->url, SS_URL},
		{&m->author_id, SS_AUTHOR_ID},
		{&m->author_name, SS_AUTHOR_NAME},
		{&m->author_location, SS_AUTHOR_LOCATION},
		{&m->ip_location, SS_IP_LOCATION},
		{&m->title, SS_TITLE},
		{&m->text, SS_TEXT},
		{&m->cover_url, SS_COVER_URL},
		{&m->media, SS_MEDIA},
	};
	int changed = 0;

	*m = *p;
	if (same_str(o->str[SS_METHOD], "manual")) {
		m->district = o->str[SS_DISTRICT];
		m->district_code = o->str[SS_DISTRICT_CODE];
		m->in_chongqing = 1;
		m->attribution_method = "manual";
		m->attribution_confidence = o->confidence;
		m->attribution_evidence = o->str[SS_EVIDENCE];
	}
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		const char **f = kept[i].field;

		if (!*f)
			*f = o->str[kept[i].col];
		else if (!same_str(o->str[kept[i].col], *f))
			changed = 1;
	}
	if (o->created_at != p->created_at || !same_str(o->str[SS_TOPICS], topics) ||
	    !same_str(o->str[SS_DISTRICT], m->district) || !same_str(o->str[SS_DISTRICT_CODE], m->district_code) ||
	    !same_str(o->str[SS_METHOD], m->attribution_method ? m->attribution_method : "none") ||
	    !same_str(o->str[SS_EVIDENCE], m->attribution_evidence) || o->in_chongqing != m->in_chongqing ||
	    o->confidence != m->attribution_confidence)
		changed = 1;
	return changed;
}

/* Write the merged post m over the stored o (its merged counts in o). */
static int update_post(struct store *s, const struct post *m, const struct stored_post *o, int64_t now, int64_t seen,
		       struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_update, "cannot update post", e);

	if (!st)
		return -1;
	bind_post(s, st, m, o->c, o->known, o->lower, o->src, now);
	sqlite3_bind_int64(st, P_LAST_SEEN, seen);
	return store_step_done(s, st, e, "cannot update post");
}

/* p was stored before (by source me): merge, compare, update. */
static int merge_post(struct store *s, const struct post *p, int me, int64_t now, int64_t seen,
		      enum store_put_result *result, struct kerr *e)
{
	struct stored_post o;
	struct post m;
	unsigned refused;
	int found, counts_changed, changed, tags_same;

	if (read_stored(s, p->platform, p->post_id, &o, &found, e) < 0)
		return -1;
	if (!found)
		return store_db_error(s, e, "cannot read stored post");
	merge_counts(p, me, o.c, &o.known, &o.lower, &o.src, &counts_changed, &refused);
	changed = merge_fields(p, &o, s->scratch.data, &m);
	if (same_tags(s, o.id, p, &tags_same, e) < 0)
		return -1;
	if (refused && put_refused(s, o.id, seen, me, p, refused, e) < 0)
		return -1;
	if (!changed && !counts_changed && tags_same) {
		*result = STORE_UNCHANGED;
		return 0;
	}
	if (update_post(s, &m, &o, now, seen, e) < 0 || (!tags_same && replace_tags(s, o.id, p, e) < 0))
		return -1;
	if (counts_changed && put_snapshot(s, o.id, seen, 0, me, o.c, o.known, o.lower, e) < 0)
		return -1;
	*result = STORE_UPDATED;
	return 0;
}

/* Insert p unless (platform, post_id) is stored; *inserted says which.  A
 * new post's tags, first snapshot and manual district go with it. */
static int insert_post(struct store *s, const struct post *p, int me, int64_t now, int64_t seen, int *inserted,
		       struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_insert, "cannot store post", e);
	int64_t id, src = 0;

	*inserted = 0;
	if (!st)
		return -1;
	for (int i = 0; i < PC_N; i++)
		if (p->known & (1u << i))
			src = src_set(src, i, me);
	bind_post(s, st, p, p->counts, p->known, p->lower & p->known, src, now);
	if (store_step_done(s, st, e, "cannot store post") < 0)
		return -1;
	if (sqlite3_changes(s->db) != 1)
		return 0; /* ON CONFLICT DO NOTHING: stored before */
	*inserted = 1;
	id = sqlite3_last_insert_rowid(s->db);
	if (put_tags(s, id, p, e) < 0)
		return -1;
	if (p->known && put_snapshot(s, id, seen, 0, me, p->counts, p->known, p->lower & p->known, e) < 0)
		return -1;
	if (p->attribution_method && !strcmp(p->attribution_method, "manual") &&
	    store_set_district(s, p, NULL, NULL, seen, e) < 0)
		return -1;
	return 0;
}

static int put_post(struct store *s, const struct post *p, int64_t now, enum store_put_result *result, struct kerr *e)
{
	int64_t seen = p->last_seen ? p->last_seen : now;
	int me, inserted;

	if (topics_json(s, p, e) < 0)
		return kerr_prefix(e, "topics");
	if (source_id(s, p->source, &me, e) < 0 || insert_post(s, p, me, now, seen, &inserted, e) < 0)
		return -1;
	if (inserted) {
		*result = STORE_NEW;
		return 0;
	}
	return merge_post(s, p, me, now, seen, result, e);
}

int store_put_post(struct store *s, const struct post *p, int64_t now, enum store_put_result *result, struct kerr *e)
{
	if (put_post(s, p, now, result, e) < 0)
		return -1;
	/* an export says when a post was gone: an import keeps it */
	return p->deleted_at ? store_mark_deleted(s, p->platform, p->post_id, p->deleted_at, e) : 0;
}

int store_mark_deleted(struct store *s, const char *platform, const char *post_id, int64_t at, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_mark_deleted, "cannot mark the post deleted", e);

	if (!st)
		return -1;
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	sqlite3_bind_int64(st, 3, at);
	return store_step_done(s, st, e, "cannot mark the post deleted");
}

int store_put_counts(struct store *s, const struct post *p, int64_t now, enum store_put_result *result, struct kerr *e)
{
	sqlite3_stmt *up;
	struct stored_post o;
	unsigned refused;
	int me, found, changed;

	*result = STORE_UNCHANGED;
	if (source_id(s, p->source, &me, e) < 0 || read_stored(s, p->platform, p->post_id, &o, &found, e) < 0)
		return -1;
	if (!found)
		return 0;
	merge_counts(p, me, o.c, &o.known, &o.lower, &o.src, &changed, &refused);
	if (refused && put_refused(s, o.id, now, me, p, refused, e) < 0)
		return -1;
	if (!(up = store_stmt(s, &q_put_counts, "cannot update the counts", e)))
		return -1;
	sqlite3_bind_int64(up, 1, o.id);
	bind_counts(up, 2, o.c, o.known);
	sqlite3_bind_int(up, 2 + PC_N, (int)o.lower);
	sqlite3_bind_int64(up, 3 + PC_N, o.src);
	sqlite3_bind_int64(up, 4 + PC_N, now);
	sqlite3_bind_int(up, 5 + PC_N, changed);
	if (store_step_done(s, up, e, "cannot update the counts") < 0)
		return -1;
	if (changed && put_snapshot(s, o.id, now, 0, me, o.c, o.known, o.lower, e) < 0)
		return -1;
	*result = changed ? STORE_UPDATED : STORE_UNCHANGED;
	return 0;
}

int store_refresh_candidates(struct store *s, const char *platform, const char *source, int64_t since, int64_t until,
			     store_refresh_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, ret = -1, sid = 0;

	if (source) {
		if (lookup_source(s, source, &sid, "cannot read the sources", e) < 0)
			return -1;
		if (!sid)
			return 0; /* it never raised a count: nothing of its own to refresh */
	}
	if (!(st = store_stmt(s, &q_refresh_candidates, "cannot read the posts to refresh", e)))
		return -1;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	store_bind_text(st, 3, platform);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_refresh_row r;
		int64_t packed = sqlite3_column_int64(st, RC_COUNT_SRC);
		int mine = !source;

		for (int k = 0; k < PC_N && !mine; k++)
			mine = src_of(packed, k) == sid;
		if (!mine)
			continue;
		r.platform = store_col_text(st, RC_PLATFORM);
		r.post_id = store_col_text(st, RC_POST_ID);
		r.created_at = sqlite3_column_int64(st, RC_CREATED_AT);
		r.last_read = sqlite3_column_int64(st, RC_LAST_READ);
		r.known = store_col_counts(st, RC_COUNTS, r.counts);
		if (cb(ctx, &r, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the posts to refresh");
out:
	store_stmt_done(st);
	return ret;
}

/* A manual correction's row in the corrections log, with the unit the
 * post had before (so it is written before the update). */
static int log_correction(struct store *s, const struct post *p, const char *by, const char *note, int64_t now,
			  struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_correction_log, "cannot record the correction", e);

	if (!st)
		return -1;
	store_bind_text(st, 1, p->platform);
	store_bind_text(st, 2, p->post_id);
	sqlite3_bind_int64(st, 3, now);
	store_bind_text(st, 4, by);
	store_bind_text(st, 5, p->district_code);
	store_bind_text(st, 6, p->district);
	store_bind_text(st, 7, note);
	return store_step_done(s, st, e, "cannot record the correction");
}

int store_set_district(struct store *s, const struct post *p, const char *by, const char *note, int64_t now,
		       struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_set_district, "cannot update the district", e);
	int manual = p->attribution_method && !strcmp(p->attribution_method, "manual");

	if (!st)
		return -1;
	if (manual && log_correction(s, p, by, note, now, e) < 0) {
		store_stmt_done(st);
		return -1;
	}
	store_bind_text(st, 1, p->platform);
	store_bind_text(st, 2, p->post_id);
	bind_attribution(st, 3, p);
	if (store_step_done(s, st, e, "cannot update the district") < 0)
		return -1;
	if (!sqlite3_changes(s->db))
		return kerr_set(e, KERR_USAGE, "no post %s:%s in %s", p->platform, p->post_id, s->path);
	if (!manual)
		return 0;
	if (!(st = store_stmt(s, &q_override_put, "cannot record the correction", e)))
		return -1;
	store_bind_text(st, 1, p->platform);
	store_bind_text(st, 2, p->post_id);
	store_bind_text(st, 3, p->district_code);
	store_bind_text(st, 4, p->district);
	store_bind_text(st, 5, note);
	sqlite3_bind_int64(st, 6, now);
	return store_step_done(s, st, e, "cannot record the correction");
}

int store_corrections(struct store *s, const char *platform, const char *post_id, store_correction_cb cb,
		      void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_corrections, "cannot read the corrections", e);
	struct store_correction c;
	int rc, ret = -1;

	if (!st)
		return -1;
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(st, CR_ID);
		c.at = sqlite3_column_int64(st, CR_AT);
		c.by = store_col_text(st, CR_BY);
		c.from_code = store_col_text(st, CR_FROM);
		c.to_code = store_col_text(st, CR_TO);
		c.to_name = store_col_text(st, CR_TO_NAME);
		c.note = store_col_text(st, CR_NOTE);
		if (cb(ctx, &c, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the corrections");
out:
	store_stmt_done(st);
	return ret;
}
