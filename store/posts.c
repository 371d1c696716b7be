/*
 * posts.c: storing a post: the upsert with its engagement snapshots, the
 * rule for counts from several sources, refreshed counts, deletions and
 * attribution corrections.
 */
#include "store.h"
#include "internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/jsonw.h"

static int topics_json(struct store *s, const struct post *p, struct kerr *e)
{
	kbuf_reset(&s->scratch);
	if (kbuf_addc(&s->scratch, '[', e) < 0)
		return -1;
	for (size_t i = 0; i < p->ntopics; i++)
		if ((i && kbuf_addc(&s->scratch, ',', e) < 0) ||
		    jsonw_str(&s->scratch, p->topics[i], e) < 0)
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
 * lower; whose they are from src). */
static void bind_post(struct store *s, sqlite3_stmt *st, const struct post *p, const int64_t *c,
		      unsigned known, unsigned lower, int64_t src, int64_t now)
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

/* posts.count_src: per count, 10 bits naming the source that last raised it. */
#define SRC_BITS 10
#define SRC_MAX ((1 << SRC_BITS) - 1)
static int src_of(int64_t packed, int k)
{
	return (int)((uint64_t)packed >> (SRC_BITS * k)) & SRC_MAX;
}
static int64_t src_set(int64_t packed, int k, int id)
{
	uint64_t m = (uint64_t)SRC_MAX << (SRC_BITS * k);
	return (int64_t)(((uint64_t)packed & ~m) | ((uint64_t)id << (SRC_BITS * k)));
}

/* The id in `sources` of p->source (0 for none), added when new. */
static int source_id(struct store *s, const char *name, int *id, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (!name || !*name)
		return 0;
	if (!strcmp(s->source, name)) {
		*id = s->source_id;
		return 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		st = s->st[pass ? ST_SOURCE_ADD : ST_SOURCE_ID];
		store_bind_text(st, 1, name);
		rc = sqlite3_step(st);
		if (!pass && rc == SQLITE_ROW)
			*id = sqlite3_column_int(st, 0);
		else if (pass && rc == SQLITE_DONE)
			*id = (int)sqlite3_last_insert_rowid(s->db);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_error(s, e, "cannot record the source");
		if (*id)
			break;
	}
	if (*id < 1 || *id > SRC_MAX)
		return kerr_set(e, KERR_DB, "%s: source '%s': the store keeps at most %d sources' names",
				s->path, name, SRC_MAX);
	snprintf(s->source, sizeof(s->source), "%s", name);
	s->source_id = *id;
	return 0;
}


static int put_tags(struct store *s, int64_t id, const struct post *p, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_TAG_INSERT];

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

/* A snapshot row: the post's state (refused 0) or the values of source
 * `src` that were not taken (refused = src). */
static int put_snapshot(struct store *s, int64_t id, int64_t at, int refused, int src, const int64_t *c,
			unsigned known, unsigned lower, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_SNAPSHOT];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int(st, 3, refused);
	bind_counts(st, 4, c, known);
	sqlite3_bind_int(st, 4 + PC_N, (int)lower);
	sqlite3_bind_int(st, 5 + PC_N, src);
	return store_step_done(s, st, e, "cannot store engagement snapshot");
}

static int same_text(sqlite3_stmt *st, int col, const char *v)
{
	const unsigned char *old = sqlite3_column_text(st, col);

	if (!old || !v)
		return !old && !v;
	return !strcmp((const char *)old, v);
}

/* Do the stored tags equal the post's? (st: ST_TAG_SELECT, ordered.) */
static int same_tags(struct store *s, int64_t id, const struct post *p, int *same, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_TAG_SELECT];
	size_t nh = 0, nc = 0;
	int rc;

	*same = 1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		const char *tag = (const char *)sqlite3_column_text(st, 1);
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
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read tags");
	if (nh != p->nhashtags || nc != p->ncampaign_tags)
		*same = 0;
	return 0;
}

/* Keep source me's values that were not taken (the counts in `refused`),
 * unless its last such row said the same. */
static int put_refused(struct store *s, int64_t id, int64_t at, int me, const struct post *p, unsigned refused,
		       struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_REFUSED_LAST];
	unsigned lower = p->lower & refused;
	int rc, same = 0;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, me);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		same = ((unsigned)sqlite3_column_int(st, PC_N) & refused) == lower;
		for (int i = 0; i < PC_N && same; i++)
			if (refused & (1u << i))
				same = sqlite3_column_type(st, i) != SQLITE_NULL &&
				       sqlite3_column_int64(st, i) == p->counts[i];
			else
				same = sqlite3_column_type(st, i) == SQLITE_NULL;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read engagement snapshots");
	if (same)
		return 0;
	return put_snapshot(s, id, at, me, me, p->counts, refused, lower, e);
}

/*
 * Merge a post's counts into the stored ones (store.h, store_put_post):
 * c/known/lower/src start as the stored values and end as the values to
 * store.  *changed says whether they changed, *refused which of p's known
 * counts were not taken (another source's lower value).
 */
static void merge_counts(const struct post *p, int me, int64_t *c, unsigned *known, unsigned *lower,
			 int64_t *src, int *changed, unsigned *refused)
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

static int put_post(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		    struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_INSERT], *sel = s->st[ST_SELECT];
	int64_t id, c[PC_N], src = 0, seen = p->last_seen ? p->last_seen : now;
	unsigned known, lower, refused;
	int rc, me, counts_changed = 0, changed = 0, tags_same;

	if (topics_json(s, p, e) < 0)
		return kerr_prefix(e, "topics");
	if (source_id(s, p->source, &me, e) < 0)
		return -1;
	for (int i = 0; i < PC_N; i++)
		if (p->known & (1u << i))
			src = src_set(src, i, me);
	bind_post(s, st, p, p->counts, p->known, p->lower & p->known, src, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot store post");
	if (sqlite3_changes(s->db) == 1) {
		id = sqlite3_last_insert_rowid(s->db);
		if (put_tags(s, id, p, e) < 0)
			return -1;
		if (p->known && put_snapshot(s, id, seen, 0, me, p->counts, p->known, p->lower & p->known, e) < 0)
			return -1;
		if (p->attribution_method && !strcmp(p->attribution_method, "manual") &&
		    store_set_district(s, p, NULL, NULL, seen, e) < 0)
			return -1;
		*result = STORE_NEW;
		return 0;
	}

	/* Seen before: merge and compare. */
	store_bind_text(sel, 1, p->platform);
	store_bind_text(sel, 2, p->post_id);
	rc = sqlite3_step(sel);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return store_db_error(s, e, "cannot read stored post");
	}
	id = sqlite3_column_int64(sel, S_ID);
	known = 0;
	lower = (unsigned)sqlite3_column_int(sel, S_LOWER);
	src = sqlite3_column_int64(sel, S_COUNT_SRC);
	for (int i = 0; i < PC_N; i++) {
		c[i] = sqlite3_column_int64(sel, S_COUNTS + i);
		if (sqlite3_column_type(sel, S_COUNTS + i) != SQLITE_NULL)
			known |= 1u << i;
	}
	lower &= known;
	merge_counts(p, me, c, &known, &lower, &src, &counts_changed, &refused);
	/* A NULL string in the new record keeps the stored one: a page that
	 * omits a field (Weibo drops user.location) must not erase it. */
	struct post m = *p;
	/* A manual district correction outlives every re-collection. */
	if (same_text(sel, S_METHOD, "manual")) {
		m.district = (const char *)sqlite3_column_text(sel, S_DISTRICT);
		m.district_code = (const char *)sqlite3_column_text(sel, S_DISTRICT_CODE);
		m.in_chongqing = 1;
		m.attribution_method = "manual";
		m.attribution_confidence = sqlite3_column_double(sel, S_CONFIDENCE);
		m.attribution_evidence = (const char *)sqlite3_column_text(sel, S_EVIDENCE);
	}
#define KEEP(field, col)                                                                          \
	if (!m.field)                                                                             \
		m.field = (const char *)sqlite3_column_text(sel, col);                            \
	else if (!same_text(sel, col, m.field))                                                   \
		changed = 1;
	KEEP(url, S_URL)
	KEEP(author_id, S_AUTHOR_ID)
	KEEP(author_name, S_AUTHOR_NAME)
	KEEP(author_location, S_AUTHOR_LOCATION)
	KEEP(ip_location, S_IP_LOCATION)
	KEEP(title, S_TITLE)
	KEEP(text, S_TEXT)
	KEEP(cover_url, S_COVER_URL)
	KEEP(media, S_MEDIA)
#undef KEEP
	if (sqlite3_column_int64(sel, S_CREATED_AT) != p->created_at ||
	    !same_text(sel, S_TOPICS, s->scratch.data) || !same_text(sel, S_DISTRICT, m.district) ||
	    !same_text(sel, S_DISTRICT_CODE, m.district_code) ||
	    !same_text(sel, S_METHOD, m.attribution_method ? m.attribution_method : "none") ||
	    !same_text(sel, S_EVIDENCE, m.attribution_evidence) ||
	    (sqlite3_column_type(sel, S_IN_CHONGQING) == SQLITE_NULL ? -1
								     : sqlite3_column_int(sel, S_IN_CHONGQING)) !=
		    m.in_chongqing ||
	    sqlite3_column_double(sel, S_CONFIDENCE) != m.attribution_confidence)
		changed = 1;
	if (same_tags(s, id, p, &tags_same, e) < 0) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return -1;
	}
	if (refused && put_refused(s, id, seen, me, p, refused, e) < 0) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return -1;
	}
	if (!changed && !counts_changed && tags_same) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		*result = STORE_UNCHANGED;
		return 0;
	}
	/* The kept strings point into sel's row: update before resetting it. */
	bind_post(s, s->st[ST_UPDATE], &m, c, known, lower, src, now);
	sqlite3_bind_int64(s->st[ST_UPDATE], P_LAST_SEEN, seen);
	rc = store_step_done(s, s->st[ST_UPDATE], e, "cannot update post");
	sqlite3_reset(sel);
	sqlite3_clear_bindings(sel);
	if (rc < 0)
		return -1;
	if (!tags_same) {
		sqlite3_bind_int64(s->st[ST_TAG_DELETE], 1, id);
		if (store_step_done(s, s->st[ST_TAG_DELETE], e, "cannot replace tags") < 0 ||
		    put_tags(s, id, p, e) < 0)
			return -1;
	}
	if (counts_changed && put_snapshot(s, id, seen, 0, me, c, known, lower, e) < 0)
		return -1;
	*result = STORE_UPDATED;
	return 0;
}

int store_put_post(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		   struct kerr *e)
{
	if (put_post(s, p, now, result, e) < 0)
		return -1;
	/* an export says when a post was gone: an import keeps it */
	return p->deleted_at ? store_mark_deleted(s, p->platform, p->post_id, p->deleted_at, e) : 0;
}

int store_mark_deleted(struct store *s, const char *platform, const char *post_id, int64_t at, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_MARK_DELETED];

	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	sqlite3_bind_int64(st, 3, at);
	return store_step_done(s, st, e, "cannot mark the post deleted");
}

int store_put_counts(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		     struct kerr *e)
{
	sqlite3_stmt *sel = s->st[ST_SELECT], *up = s->st[ST_PUT_COUNTS];
	int64_t id, c[PC_N], src;
	unsigned known = 0, lower, refused;
	int rc, me, changed;

	*result = STORE_UNCHANGED;
	if (source_id(s, p->source, &me, e) < 0)
		return -1;
	store_bind_text(sel, 1, p->platform);
	store_bind_text(sel, 2, p->post_id);
	rc = sqlite3_step(sel);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read stored post");
	}
	id = sqlite3_column_int64(sel, S_ID);
	lower = (unsigned)sqlite3_column_int(sel, S_LOWER);
	src = sqlite3_column_int64(sel, S_COUNT_SRC);
	for (int i = 0; i < PC_N; i++) {
		c[i] = sqlite3_column_int64(sel, S_COUNTS + i);
		if (sqlite3_column_type(sel, S_COUNTS + i) != SQLITE_NULL)
			known |= 1u << i;
	}
	sqlite3_reset(sel);
	sqlite3_clear_bindings(sel);
	lower &= known;
	merge_counts(p, me, c, &known, &lower, &src, &changed, &refused);
	if (refused && put_refused(s, id, now, me, p, refused, e) < 0)
		return -1;
	sqlite3_bind_int64(up, 1, id);
	bind_counts(up, 2, c, known);
	sqlite3_bind_int(up, 2 + PC_N, (int)lower);
	sqlite3_bind_int64(up, 3 + PC_N, src);
	sqlite3_bind_int64(up, 4 + PC_N, now);
	sqlite3_bind_int(up, 5 + PC_N, changed);
	if (store_step_done(s, up, e, "cannot update the counts") < 0)
		return -1;
	if (changed && put_snapshot(s, id, now, 0, me, c, known, lower, e) < 0)
		return -1;
	*result = changed ? STORE_UPDATED : STORE_UNCHANGED;
	return 0;
}

int store_refresh_candidates(struct store *s, const char *platform, const char *source, int64_t since,
			     int64_t until, store_refresh_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, ret = -1, sid = 0;

	if (source) {
		sqlite3_stmt *q = s->st[ST_SOURCE_ID];
		store_bind_text(q, 1, source);
		rc = sqlite3_step(q);
		sid = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_error(s, e, "cannot read the sources");
		if (sid < 0)
			return 0; /* it never raised a count: nothing of its own to refresh */
	}
	if (sqlite3_prepare_v2(s->db,
			       "SELECT platform, post_id, created_at, max(refreshed_at, last_seen), count_src, " COUNT_COLS
			       " FROM posts WHERE created_at >= ?1 AND created_at < ?2 AND deleted_at IS NULL"
			       " AND (?3 IS NULL OR platform = ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read the posts to refresh");
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	store_bind_text(st, 3, platform);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_refresh_row r;
		int64_t packed = sqlite3_column_int64(st, 4);
		int mine = !source;

		for (int k = 0; k < PC_N && !mine; k++)
			mine = src_of(packed, k) == sid;
		if (!mine)
			continue;
		r.platform = (const char *)sqlite3_column_text(st, 0);
		r.post_id = (const char *)sqlite3_column_text(st, 1);
		r.created_at = sqlite3_column_int64(st, 2);
		r.last_read = sqlite3_column_int64(st, 3);
		r.known = 0;
		for (int k = 0; k < PC_N; k++) {
			r.counts[k] = sqlite3_column_int64(st, 5 + k);
			if (sqlite3_column_type(st, 5 + k) != SQLITE_NULL)
				r.known |= 1u << k;
		}
		if (cb(ctx, &r, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the posts to refresh");
out:
	sqlite3_finalize(st);
	return ret;
}

/* A manual correction's row in the corrections log, with the unit the
 * post had before (so it is written before the update). */
static int log_correction(struct store *s, const struct post *p, const char *by, const char *note, int64_t now,
			  struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO corrections (platform, post_id, at, by, from_code, to_code, to_name, note)"
			       " SELECT platform, post_id, ?3, ?4, district_code, ?5, ?6, ?7 FROM posts"
			       " WHERE platform = ?1 AND post_id = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record the correction");
	store_bind_text(st, 1, p->platform);
	store_bind_text(st, 2, p->post_id);
	sqlite3_bind_int64(st, 3, now);
	store_bind_text(st, 4, by);
	store_bind_text(st, 5, p->district_code);
	store_bind_text(st, 6, p->district);
	store_bind_text(st, 7, note);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot record the correction");
}

int store_set_district(struct store *s, const struct post *p, const char *by, const char *note, int64_t now,
		       struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, manual = p->attribution_method && !strcmp(p->attribution_method, "manual");

	if (manual && log_correction(s, p, by, note, now, e) < 0)
		return -1;
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE posts SET district = ?3, district_code = ?4, in_chongqing = ?5,"
			       " attribution_method = ?6, attribution_confidence = ?7,"
			       " attribution_evidence = ?8 WHERE platform = ?1 AND post_id = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot update the district");
	store_bind_text(st, 1, p->platform);
	store_bind_text(st, 2, p->post_id);
	bind_attribution(st, 3, p);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot update the district");
	if (!sqlite3_changes(s->db))
		return kerr_set(e, KERR_USAGE, "no post %s:%s in %s", p->platform, p->post_id, s->path);
	if (!manual)
		return 0;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO district_overrides (platform, post_id, district_code,"
			       " district, note, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record the correction");
	store_bind_text(st, 1, p->platform);
	store_bind_text(st, 2, p->post_id);
	store_bind_text(st, 3, p->district_code);
	store_bind_text(st, 4, p->district);
	store_bind_text(st, 5, note);
	sqlite3_bind_int64(st, 6, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot record the correction");
}

int store_corrections(struct store *s, const char *platform, const char *post_id, store_correction_cb cb,
		      void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	struct store_correction c;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, at, by, from_code, to_code, to_name, note FROM corrections"
			       " WHERE platform = ?1 AND post_id = ?2 ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read the corrections");
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(st, 0);
		c.at = sqlite3_column_int64(st, 1);
		c.by = (const char *)sqlite3_column_text(st, 2);
		c.from_code = (const char *)sqlite3_column_text(st, 3);
		c.to_code = (const char *)sqlite3_column_text(st, 4);
		c.to_name = (const char *)sqlite3_column_text(st, 5);
		c.note = (const char *)sqlite3_column_text(st, 6);
		if (cb(ctx, &c, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the corrections");
}
