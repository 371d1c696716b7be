/*
 * report.c: building the report model: one pass over the window's posts
 * (aggregates per unit, platform and day, distinct authors, the top works)
 * plus one over the previous period for the comparison, and two small
 * queries (hashtags, the sources' status).
 */
#include "report.h"

#include "../matchers/flags.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/arena.h"
#include "../util/hash.h"
#include "../util/timefmt.h"

const char *const report_methods[REPORT_METHODS] = {"account", "author", "text", "place", "profile",
						    "manual",  "ip",     "none"};
const char *const report_method_labels[REPORT_METHODS] = {
	"官方账号登记", "作者名称（机构）", "标题、正文与话题中的区县名", "地名（乡镇街道、地标）",
	"个人资料所在地", "人工校正", "仅 IP 属地", "无地点信息"};
const char *const report_count_labels[PC_N] = {"播放", "点赞", "评论", "转发", "收藏", "投币"};

void report_scoring_default(struct report_scoring *s)
{
	/* weights: interactions count more than views; references: a post
	 * with these counts scores 100 */
	/* coins (Bilibili's alone) weigh nothing unless the config says so:
	 * an index must compare platforms on what they all report */
	static const double w[PC_N] = {0.10, 0.30, 0.25, 0.20, 0.15, 0};
	static const double ref[PC_N] = {100000, 10000, 1000, 1000, 1000, 1000};

	memcpy(s->weight, w, sizeof(w));
	memcpy(s->reference, ref, sizeof(ref));
}

double report_index(const struct report_scoring *s, const int64_t counts[PC_N], unsigned known)
{
	double sum = 0, wsum = 0;

	for (int k = 0; k < PC_N; k++) {
		if (!(known & (1u << k)) || s->weight[k] <= 0 || s->reference[k] <= 0)
			continue;
		sum += s->weight[k] * log1p((double)counts[k]) / log1p(s->reference[k]);
		wsum += s->weight[k];
	}
	return wsum > 0 ? 100.0 * sum / wsum : 0.0;
}

/* Hashtag counts, keyed by the tag with ASCII letters lowered. */
struct tag_slot {
	char *key;   /* owned; NULL = empty */
	char *first; /* owned: the first spelling seen */
	long posts;
};

struct tag_map {
	struct tag_slot *slot;
	size_t cap, n;
};

/*
 * A list of works of any length, best first once finished: works are
 * appended, and when cap is set the list is sorted and cut to cap each
 * time it doubles, so memory stays bounded over a million rows.
 */
struct worklist {
	struct report_work *v;
	size_t n, alloc, cap; /* cap 0: no limit */
};

struct build {
	struct report *r;
	const struct gazetteer *g;
	/*
	 * Distinct authors per scope (the city, each platform, each unit, the
	 * previous period): every (scope, author) pair is appended as one
	 * 64-bit key, the scope in the top byte and 56 bits of a hash of the
	 * author below; one radix sort at the end and a pass counting the
	 * distinct keys.  Appending is sequential, where a hash set would miss
	 * the cache on every post of a million.
	 */
	uint64_t *keys;
	size_t nkeys, akeys;
	uint64_t author_hash; /* of the current row's author, 0 until computed */
	size_t *atable;       /* a unit's page: index of each author in r->authors */
	size_t acap;
	struct tag_map tags;
	struct report_totals *target; /* the previous period's pass fills this alone */
	struct worklist works;        /* a unit's page: all its works */
	struct worklist unplaced;     /* the city's: the works in Chongqing without a unit */
	int lists;                    /* keep the two lists above and a unit's authors (not top_only) */
	struct kerr *e;
};

static void add_counts(struct report_totals *t, const struct store_report_row *p, double idx)
{
	t->posts++;
	t->index_sum += idx;
	for (int k = 0; k < PC_N; k++)
		if (p->known & (1u << k)) {
			t->counts[k] += p->counts[k];
			t->known |= 1u << k;
		}
}

/* Scopes of the author count: the city, the previous period, the unit
 * unknown, the window's halves, each platform, each unit (in that order;
 * one byte in all). */
enum { SCOPE_TOTAL, SCOPE_PREVIOUS, SCOPE_UNKNOWN, SCOPE_FIRST, SCOPE_SECOND, SCOPE_PLATFORM };
#define SCOPE_UNIT ((unsigned)(SCOPE_PLATFORM + nplatforms))

static int add_author(struct build *b, unsigned scope, const struct store_report_row *p)
{
	const char *who = p->author_id ? p->author_id : p->author_name;

	if (!who)
		return 0;
	if (!b->author_hash) { /* once per row, whatever the number of scopes */
		b->author_hash = khash(KHASH_SEED, p->platform, strlen(p->platform) + 1);
		b->author_hash = khash(b->author_hash, p->author_id ? "i" : "n", 1);
		b->author_hash = khash(b->author_hash, who, strlen(who));
	}
	if (b->nkeys == b->akeys) {
		size_t na = b->akeys ? b->akeys * 2 : 4096;
		uint64_t *nk = realloc(b->keys, na * sizeof(*nk));
		if (!nk)
			return kerr_set(b->e, KERR_NOMEM, "out of memory");
		b->keys = nk;
		b->akeys = na;
	}
	b->keys[b->nkeys++] = (uint64_t)scope << 56 | (b->author_hash & 0x00FFFFFFFFFFFFFFULL);
	return 0;
}

/* LSD radix sort, a byte at a time. */
static int radix_sort(uint64_t *v, size_t n)
{
	uint64_t *tmp = malloc((n ? n : 1) * sizeof(*tmp)), *src = v, *dst = tmp;

	if (!tmp)
		return -1;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((src[i] >> shift) & 0xFF) + 1]++;
		if (count[((src[0] >> shift) & 0xFF) + 1] == n)
			continue; /* every key has the same byte here */
		for (int k = 0; k < 256; k++)
			count[k + 1] += count[k];
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	return 0;
}

/* Count the distinct authors of every scope into the report. */
static int count_authors(struct build *b)
{
	struct report *r = b->r;

	if (!b->nkeys)
		return 0;
	if (radix_sort(b->keys, b->nkeys) < 0)
		return kerr_set(b->e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < b->nkeys; i++) {
		unsigned scope = (unsigned)(b->keys[i] >> 56);
		struct report_totals *t = NULL;
		if (i && b->keys[i] == b->keys[i - 1])
			continue;
		if (scope == SCOPE_TOTAL)
			t = &r->total;
		else if (scope == SCOPE_PREVIOUS)
			t = &r->previous;
		else if (scope == SCOPE_UNKNOWN)
			t = &r->unknown_unit;
		else if (scope == SCOPE_FIRST)
			t = &r->first_half;
		else if (scope == SCOPE_SECOND)
			t = &r->second_half;
		else if (scope < SCOPE_UNIT)
			t = &r->platforms[scope - SCOPE_PLATFORM];
		else if (scope < SCOPE_UNIT + r->nunits)
			t = &r->units[scope - SCOPE_UNIT].t;
		else
			t = &r->groups[scope - SCOPE_UNIT - r->nunits].t;
		t->authors++;
	}
	return 0;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static int tag_count(struct tag_map *m, const char *tag, struct kerr *e)
{
	char key[256];
	uint64_t h;
	size_t j, n = strlen(tag);

	if (n >= sizeof(key))
		n = sizeof(key) - 1; /* tags are at most 64 characters: never cut */
	memcpy(key, tag, n);
	key[n] = '\0';
	lower_ascii(key);
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 256;
		struct tag_slot *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slot[i].key)
				continue;
			h = khash(KHASH_SEED, m->slot[i].key, strlen(m->slot[i].key));
			for (j = h & (ncap - 1); ns[j].key; j = (j + 1) & (ncap - 1))
				;
			ns[j] = m->slot[i];
		}
		free(m->slot);
		m->slot = ns;
		m->cap = ncap;
	}
	h = khash(KHASH_SEED, key, strlen(key));
	for (j = h & (m->cap - 1); m->slot[j].key; j = (j + 1) & (m->cap - 1))
		if (!strcmp(m->slot[j].key, key)) {
			m->slot[j].posts++;
			return 0;
		}
	if (!(m->slot[j].key = strdup(key)) || !(m->slot[j].first = strdup(tag)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	m->slot[j].posts = 1;
	m->n++;
	return 0;
}

static void tag_map_release(struct tag_map *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slot[i].key);
		free(m->slot[i].first);
	}
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

/* The hashtags used with a campaign tag (not the campaign tags). */
static int count_tags(struct build *b, const struct store_report_row *p)
{
	if (!p->ncampaign_tags)
		return 0;
	for (size_t i = 0; i < p->nhashtags; i++) {
		int campaign = 0;
		for (size_t k = 0; k < p->ncampaign_tags; k++) {
			const char *x = p->hashtags[i], *y = p->campaign_tags[k];
			while (*x && *y && (*x >= 'A' && *x <= 'Z' ? *x + 32 : *x) == (*y >= 'A' && *y <= 'Z' ? *y + 32 : *y)) {
				x++;
				y++;
			}
			campaign |= !*x && !*y;
		}
		if (!campaign && tag_count(&b->tags, p->hashtags[i], b->e) < 0)
			return -1;
	}
	return 0;
}

static int by_tag_posts(const void *a, const void *b)
{
	const struct tag_slot *x = a, *y = b;
	if (!x->key || !y->key)
		return !x->key - !y->key;
	if (x->posts != y->posts)
		return x->posts < y->posts ? 1 : -1;
	return strcmp(x->key, y->key);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void work_release(struct report_work *w)
{
	free(w->platform);
	free(w->post_id);
	free(w->url);
	free(w->title);
	free(w->author_name);
	free(w->district);
	free(w->district_code);
	memset(w, 0, sizeof(*w));
}

/* Is a row with index idx better than the work w?  Index, then likes, then
 * the earlier post, then the id: a total order, so reports reproduce. */
static int better(double idx, const struct store_report_row *p, const struct report_work *w)
{
	struct work_key a = {idx, p->counts[PC_LIKES], p->created_at, p->platform, p->post_id};
	struct work_key b = {w->index, w->counts[PC_LIKES], w->created_at, w->platform, w->post_id};
	return work_before(&a, &b);
}

/* The work of a row, its texts not read yet; -1 out of memory. */
static int work_of_row(struct report_work *w, const struct store_report_row *p, double idx)
{
	memset(w, 0, sizeof(*w));
	w->id = p->id; /* the texts are read after the scan, for the works kept */
	w->platform = dup_or_null(p->platform);
	w->post_id = dup_or_null(p->post_id);
	w->author_name = dup_or_null(p->author_name);
	w->district = dup_or_null(p->district);
	w->district_code = dup_or_null(p->district_code);
	w->created_at = p->created_at;
	memcpy(w->counts, p->counts, sizeof(w->counts));
	w->known = p->known;
	w->lower = p->lower;
	w->index = idx;
	if (!w->platform || !w->post_id) {
		work_release(w);
		return -1;
	}
	return 0;
}

static int by_work(const void *x, const void *y)
{
	const struct report_work *a = x, *b = y;
	struct work_key ka = {a->index, a->counts[PC_LIKES], a->created_at, a->platform, a->post_id};
	struct work_key kb = {b->index, b->counts[PC_LIKES], b->created_at, b->platform, b->post_id};

	return work_before(&ka, &kb) ? -1 : work_before(&kb, &ka) ? 1 : 0;
}

static void worklist_cut(struct worklist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_work);
	while (l->cap && l->n > l->cap)
		work_release(&l->v[--l->n]);
}

static int worklist_push(struct worklist *l, const struct store_report_row *p, double idx, struct kerr *e)
{
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 256;
		struct report_work *nv = realloc(l->v, na * sizeof(*nv));
		if (!nv)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		l->v = nv;
		l->alloc = na;
	}
	if (work_of_row(&l->v[l->n], p, idx) < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	l->n++;
	if (l->cap && l->n >= 2 * l->cap)
		worklist_cut(l);
	return 0;
}

static void works_release(struct report_work *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		work_release(&v[i]);
	free(v);
}

/* Insert the row into the sorted list top[0..*n) of at most cap works. */
static int consider(struct report_work *top, size_t *n, size_t cap, const struct store_report_row *p,
		    double idx, struct kerr *e)
{
	size_t pos = *n;
	struct report_work w;

	while (pos > 0 && better(idx, p, &top[pos - 1]))
		pos--;
	if (pos >= cap)
		return 0;
	if (work_of_row(&w, p, idx) < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (*n == cap)
		work_release(&top[--*n]);
	memmove(&top[pos + 1], &top[pos], (*n - pos) * sizeof(top[0]));
	top[pos] = w;
	(*n)++;
	return 0;
}

/* A unit's page lists its authors: found through a small open-addressing
 * table of indexes into r->authors, keyed by a hash of platform and name. */
static int add_to_author_list(struct build *b, const struct store_report_row *p, double idx,
			      struct kerr *e)
{
	struct report *r = b->r;
	const char *name = p->author_name ? p->author_name : p->author_id ? p->author_id : "（未知）";
	uint64_t h = khash(khash(KHASH_SEED, p->platform, strlen(p->platform) + 1), name, strlen(name));
	size_t j, i;

	if ((r->nauthors + 1) * 2 > b->acap) {
		size_t ncap = b->acap ? b->acap * 2 : 1024;
		size_t *nt = malloc(ncap * sizeof(*nt));
		if (!nt)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		for (j = 0; j < ncap; j++)
			nt[j] = (size_t)-1;
		for (i = 0; i < r->nauthors; i++) {
			const struct report_author *a = &r->authors[i];
			uint64_t ah = khash(khash(KHASH_SEED, a->platform, strlen(a->platform) + 1), a->author_name,
					    strlen(a->author_name));
			for (j = ah & (ncap - 1); nt[j] != (size_t)-1; j = (j + 1) & (ncap - 1))
				;
			nt[j] = i;
		}
		free(b->atable);
		b->atable = nt;
		b->acap = ncap;
	}
	for (j = h & (b->acap - 1); (i = b->atable[j]) != (size_t)-1; j = (j + 1) & (b->acap - 1))
		if (!strcmp(r->authors[i].platform, p->platform) && !strcmp(r->authors[i].author_name, name))
			break;
	if (i == (size_t)-1) {
		struct report_author *na = realloc(r->authors, (r->nauthors + 1) * sizeof(*na));
		if (!na)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		r->authors = na;
		i = r->nauthors++;
		memset(&na[i], 0, sizeof(na[i]));
		na[i].platform = strdup(p->platform);
		na[i].author_name = strdup(name);
		if (!na[i].platform || !na[i].author_name)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		b->atable[j] = i;
	}
	r->authors[i].posts++;
	r->authors[i].index_sum += idx;
	for (int k = 0; k < PC_N; k++)
		if (p->known & (1u << k))
			r->authors[i].counts[k] += p->counts[k];
	return 0;
}

/* The unit of the report with this code, NULL for none. */
static struct report_unit *unit_of(struct report *r, const char *code)
{
	if (code)
		for (size_t i = 0; i < r->nunits; i++)
			if (!strcmp(r->units[i].unit->code, code))
				return &r->units[i];
	return NULL;
}

/* Data quality counts every post of the window, whatever the scope: how
 * it was given a unit, and where it is.  The post's unit, NULL for none. */
static struct report_unit *count_quality(struct report *r, const struct store_report_row *p)
{
	struct report_unit *ru = unit_of(r, p->district_code);

	r->all_posts++;
	for (int i = 0; i < REPORT_METHODS; i++)
		if (p->method && !strcmp(p->method, report_methods[i])) {
			r->by_method[i]++;
			break;
		}
	if (!ru && p->in_chongqing == 1)
		r->in_cq_no_unit++;
	else if (p->in_chongqing == 0)
		r->outside++;
	else if (p->in_chongqing < 0)
		r->no_location++;
	return ru;
}

static void add_day(struct report_day *d, const struct store_report_row *p, double idx)
{
	d->posts++;
	d->index_sum += idx;
	for (int k = 0; k < PC_N; k++)
		if (p->known & (1u << k))
			d->counts[k] += p->counts[k];
}

/* A post of unit ru: its totals and authors, its day, its platform and
 * its best works. */
static int add_to_unit(struct build *b, struct report_unit *ru, const struct store_report_row *p, double idx,
		       int64_t day, size_t pi, struct kerr *e)
{
	struct report *r = b->r;

	add_counts(&ru->t, p, idx);
	if (add_author(b, SCOPE_UNIT + (unsigned)(ru - r->units), p) < 0)
		return -1;
	if (ru->group != SIZE_MAX) {
		add_counts(&r->groups[ru->group].t, p, idx);
		if (add_author(b, SCOPE_UNIT + (unsigned)(r->nunits + ru->group), p) < 0)
			return -1;
	}
	if (day >= 0 && (size_t)day < r->ndays)
		ru->daily[day]++;
	ru->platform_posts[pi]++;
	return consider(ru->best, &ru->nbest, REPORT_TOP_PER_UNIT, p, idx, e);
}

/* A post of the window in the scope: every aggregate it is part of. */
static int add_post(struct build *b, struct report_unit *ru, const struct store_report_row *p, double idx,
		    struct kerr *e)
{
	struct report *r = b->r;
	size_t pi = platform_index(p->platform);
	int64_t day = (p->created_at - r->since_t) / 86400;

	add_counts(&r->total, p, idx);
	if (add_author(b, SCOPE_TOTAL, p) < 0 || count_tags(b, p) < 0)
		return -1;
	if (r->compare == REPORT_COMPARE_HALVES && p->created_at < r->first_until) {
		add_counts(&r->first_half, p, idx);
		if (add_author(b, SCOPE_FIRST, p) < 0)
			return -1;
	} else if (r->compare == REPORT_COMPARE_HALVES && p->created_at >= r->second_since) {
		add_counts(&r->second_half, p, idx);
		if (add_author(b, SCOPE_SECOND, p) < 0)
			return -1;
	}
	add_counts(&r->platforms[pi], p, idx);
	if (add_author(b, SCOPE_PLATFORM + (unsigned)pi, p) < 0)
		return -1;
	if (day >= 0 && (size_t)day < r->ndays)
		add_day(&r->days[day], p, idx);
	if (ru) {
		if (add_to_unit(b, ru, p, idx, day, pi, e) < 0)
			return -1;
	} else {
		add_counts(&r->unknown_unit, p, idx);
		if (add_author(b, SCOPE_UNKNOWN, p) < 0)
			return -1;
	}
	if (b->lists && r->district && add_to_author_list(b, p, idx, e) < 0)
		return -1;
	if (b->lists && r->district && ru && worklist_push(&b->works, p, idx, e) < 0)
		return -1;
	if (!r->district && !ru && p->in_chongqing == 1) {
		r->unplaced_total++;
		if (b->lists && worklist_push(&b->unplaced, p, idx, e) < 0)
			return -1;
	}
	return consider(r->top, &r->ntop, REPORT_TOP_WORKS, p, idx, e);
}

static int on_row(void *ctx, const struct store_report_row *p, struct kerr *e)
{
	struct build *b = ctx;
	struct report *r = b->r;
	double idx = report_index(&r->scoring, p->counts, p->known);
	struct report_unit *ru;

	b->author_hash = 0;
	if (p->deleted_at && !r->include_deleted) {
		/* gone from the platform: not counted (data quality says how many) */
		if (!b->target)
			r->deleted++;
		return 0;
	}
	if (b->target) { /* the previous period: totals, and each unit's for its change */
		if (!r->scope_all && p->in_chongqing != 1)
			return 0;
		add_counts(b->target, p, idx);
		if ((ru = unit_of(r, p->district_code)))
			add_counts(&ru->prev, p, idx);
		return add_author(b, SCOPE_PREVIOUS, p);
	}
	ru = count_quality(r, p);
	if (!r->scope_all && p->in_chongqing != 1)
		return 0;
	return add_post(b, ru, p, idx, e);
}

static int on_source(void *ctx, const struct store_source_state *x, struct kerr *e)
{
	struct report *r = ctx;
	struct report_source *ns = realloc(r->sources, (r->nsources + 1) * sizeof(*ns));

	if (!ns)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	r->sources = ns;
	ns += r->nsources;
	memset(ns, 0, sizeof(*ns));
	r->nsources++;
	ns->name = strdup(x->source);
	ns->last_ok = x->last_ok;
	ns->last_error_at = x->last_error_at;
	ns->last_error = dup_or_null(x->last_error);
	ns->gap_lo = x->cursor.gap_lo;
	ns->gap_hi = x->cursor.gap_hi;
	ns->gap_capped = x->cursor.gap_capped;
	ns->backfill_at = x->cursor.backfill_at;
	ns->backfill_since = x->cursor.backfill_since;
	ns->backfill_until = x->cursor.backfill_until;
	return ns->name ? 0 : kerr_set(e, KERR_NOMEM, "out of memory");
}

static int by_authors(const void *a, const void *b)
{
	const struct report_author *x = a, *y = b;
	if (x->index_sum != y->index_sum)
		return x->index_sum < y->index_sum ? 1 : -1;
	if (x->posts != y->posts)
		return x->posts < y->posts ? 1 : -1;
	return strcmp(x->author_name, y->author_name);
}

/*
 * The scan runs on two threads: one steps SQLite and copies each row into
 * a batch (strings in the batch's arena), the other aggregates.  Reading
 * and aggregating cost about the same, so a million posts take half the
 * time.  Batches come from a fixed pool, so memory does not grow.
 */
#define SCAN_ROWS 1024
#define SCAN_POOL 4

struct scan_batch {
	size_t n;
	struct store_report_row rows[SCAN_ROWS];
	struct arena a;
	int last;
};

struct scan {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct scan_batch *free_list[SCAN_POOL], *full[SCAN_POOL];
	size_t nfree, head, nfull;
	int abort;
	struct scan_batch *cur;
	struct store *st;
	const struct store_report_filter *f;
	struct kerr err;
	int failed;
};

static struct scan_batch *scan_take(struct scan *s, int full)
{
	struct scan_batch *b = NULL;

	pthread_mutex_lock(&s->mu);
	if (full) {
		while (!s->nfull)
			pthread_cond_wait(&s->cv, &s->mu);
		b = s->full[s->head];
		s->head = (s->head + 1) % SCAN_POOL;
		s->nfull--;
	} else {
		while (!s->nfree && !s->abort)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->abort)
			b = s->free_list[--s->nfree];
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return b;
}

static void scan_put(struct scan *s, struct scan_batch *b, int full)
{
	pthread_mutex_lock(&s->mu);
	if (full)
		s->full[(s->head + s->nfull++) % SCAN_POOL] = b;
	else
		s->free_list[s->nfree++] = b;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static const char *keep(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

static int copy_row(void *ctx, const struct store_report_row *p, struct kerr *e)
{
	struct scan *s = ctx;
	struct store_report_row *q;
	const char **tags;

	if (s->cur && s->cur->n == SCAN_ROWS) {
		scan_put(s, s->cur, 1);
		s->cur = NULL;
	}
	if (!s->cur) {
		if (!(s->cur = scan_take(s, 0)))
			return kerr_set(e, KERR_NOMEM, "stopped");
		s->cur->n = 0;
		s->cur->last = 0;
		arena_reset(&s->cur->a);
	}
	q = &s->cur->rows[s->cur->n];
	*q = *p;
	q->platform = keep(&s->cur->a, p->platform);
	q->post_id = keep(&s->cur->a, p->post_id);
	q->author_id = keep(&s->cur->a, p->author_id);
	q->author_name = keep(&s->cur->a, p->author_name);
	q->district = keep(&s->cur->a, p->district);
	q->district_code = keep(&s->cur->a, p->district_code);
	q->method = keep(&s->cur->a, p->method);
	tags = arena_alloc(&s->cur->a, (p->nhashtags + p->ncampaign_tags + 1) * sizeof(*tags));
	if (!q->platform || !q->post_id || !tags)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < p->nhashtags; i++)
		tags[i] = keep(&s->cur->a, p->hashtags[i]);
	for (size_t i = 0; i < p->ncampaign_tags; i++)
		tags[p->nhashtags + i] = keep(&s->cur->a, p->campaign_tags[i]);
	q->hashtags = tags;
	q->campaign_tags = tags + p->nhashtags;
	s->cur->n++;
	return 0;
}

static void *scan_main(void *arg)
{
	struct scan *s = arg;

	kerr_clear(&s->err);
	if (store_foreach_report_row(s->st, s->f, copy_row, s, &s->err) < 0)
		s->failed = 1;
	if (!s->cur)
		s->cur = scan_take(s, 0);
	if (s->cur) {
		s->cur->last = 1;
		scan_put(s, s->cur, 1);
		s->cur = NULL;
	}
	return NULL;
}

/* Every row of f through on_row, reading on a second thread. */
static int scan_rows(struct store *st, const struct store_report_filter *f, struct build *b,
		     struct kerr *e)
{
	struct scan s;
	struct scan_batch *pool = calloc(SCAN_POOL, sizeof(*pool));
	pthread_t th;
	int rc = 0;

	if (!pool)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	memset(&s, 0, sizeof(s));
	s.st = st;
	s.f = f;
	for (int i = 0; i < SCAN_POOL; i++) {
		arena_init(&pool[i].a);
		s.free_list[s.nfree++] = &pool[i];
	}
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	if (pthread_create(&th, NULL, scan_main, &s) != 0) {
		/* no thread: scan right here */
		rc = store_foreach_report_row(st, f, on_row, b, e);
		goto out;
	}
	for (;;) {
		struct scan_batch *batch = scan_take(&s, 1);
		int last = batch->last;
		for (size_t i = 0; i < batch->n && rc == 0; i++)
			rc = on_row(b, &batch->rows[i], e);
		if (rc < 0) {
			pthread_mutex_lock(&s.mu);
			s.abort = 1;
			pthread_cond_broadcast(&s.cv);
			pthread_mutex_unlock(&s.mu);
		}
		scan_put(&s, batch, 0);
		if (last || rc < 0)
			break;
	}
	pthread_join(th, NULL);
	if (rc == 0 && s.failed) {
		*e = s.err;
		rc = -1;
	}
out:
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.cv);
	for (int i = 0; i < SCAN_POOL; i++)
		arena_release(&pool[i].a);
	free(pool);
	return rc;
}

/* Read the texts of the works the report lists. */
static int fill_texts(struct store *st, const struct flags *mask, struct report_work *w, size_t n,
		      struct kerr *e)
{
	struct flags_scratch *fs = NULL;
	int rc = 0;

	if (mask && n && !(fs = flags_scratch_new(mask)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = work_texts(st, w[i].id, mask, fs, &w[i].title, &w[i].url, e) < 0 ? -1
		     : work_mask(&w[i].author_name, mask, fs, e);
	flags_scratch_free(fs);
	return rc;
}

/* The previous period, unless it begins before the campaign: then the
 * window's halves, or nothing (report.h). */
static void choose_comparison(struct report *r)
{
	int64_t len = r->until_t - r->since_t, half = len / 86400 / 2 * 86400;

	r->compare = REPORT_COMPARE_PREVIOUS;
	if (!r->campaign_start || r->since_t - len >= r->campaign_start)
		return;
	if (!half) {
		r->compare = REPORT_COMPARE_NONE;
		return;
	}
	r->compare = REPORT_COMPARE_HALVES;
	r->first_until = r->since_t + half;
	r->second_since = r->until_t - half;
}

/* What was asked: the window and the period before it, the scope, the
 * unit.  Nothing allocated yet. */
static int report_start(struct report *r, const struct gazetteer *g, const struct report_opts *o, struct kerr *e)
{
	int64_t len = o->until - o->since;
	char why[512];

	r->include_deleted = o->include_deleted;
	r->generated_at = (int64_t)time(NULL);
	r->since_t = o->since;
	r->until_t = o->until;
	r->as_of = o->as_of ? o->as_of : r->generated_at;
	r->as_of_given = o->as_of != 0;
	r->scope_all = o->scope_all;
	if (o->scoring)
		r->scoring = *o->scoring;
	else
		report_scoring_default(&r->scoring);
	snprintf(r->campaign, sizeof(r->campaign), "%s", o->campaign ? o->campaign : "千万IP创科普");
	ktime_format_date(o->since, r->since);
	ktime_format_date(o->until - 1, r->until);
	ktime_format_date(o->since - len, r->previous_since);
	ktime_format_date(o->since - 1, r->previous_until);
	r->campaign_start = o->campaign_start;
	r->attention_min_posts = o->attention_min_posts > 0 ? o->attention_min_posts : 1;
	r->attention_min_share = o->attention_min_share > 0 ? o->attention_min_share : 0;
	choose_comparison(r);
	if (o->district && district_resolve(g, o->district, &r->district, why, sizeof(why)) < 0)
		return kerr_set(e, KERR_USAGE, "--district: %s", why);
	r->ndays = (size_t)((len + 86399) / 86400);
	if (r->ndays > REPORT_MAX_DAYS)
		return kerr_set(e, KERR_USAGE, "the window is longer than %d days", REPORT_MAX_DAYS);
	return 0;
}

/* The regional groups, and each unit's group. */
static int alloc_groups(struct report *r, const struct gazetteer *g)
{
	const struct district_group *dg = district_groups(g, &r->ngroups);

	for (size_t i = 0; i < r->nunits; i++)
		r->units[i].group = SIZE_MAX;
	if (!r->ngroups)
		return 0;
	if (!(r->groups = calloc(r->ngroups, sizeof(*r->groups))))
		return -1;
	for (size_t k = 0; k < r->ngroups; k++) {
		r->groups[k].group = &dg[k];
		if (!(r->groups[k].order = calloc(dg[k].nunits ? dg[k].nunits : 1, sizeof(size_t))))
			return -1;
		for (size_t j = 0; j < dg[k].nunits; j++)
			if (dg[k].units[j] < r->nunits)
				r->units[dg[k].units[j]].group = k;
	}
	return 0;
}

/* a's figures where b has none */
static void target_over(struct config_target *a, const struct config_target *b)
{
	if (!a->posts)
		a->posts = b->posts;
	if (!a->views)
		a->views = b->views;
	if (!a->interactions)
		a->interactions = b->interactions;
}

static int target_set(const struct config_target *t)
{
	return t->posts || t->views || t->interactions;
}

/* Each unit's targets: its own, over the per-unit ones; the city's (or on
 * a unit's page, the unit's). */
static void set_targets(struct report *r, const struct report_opts *o)
{
	for (size_t i = 0; i < r->nunits; i++) {
		struct report_unit *u = &r->units[i];
		for (size_t k = 0; k < o->nunit_targets; k++)
			if (!strcmp(o->unit_targets[k].unit, u->unit->code))
				u->target = o->unit_targets[k].t;
		if (o->target_per_unit)
			target_over(&u->target, o->target_per_unit);
		r->unit_targets |= target_set(&u->target);
		if (r->district == u->unit)
			r->target = u->target;
	}
	if (!r->district && o->target)
		r->target = *o->target;
}

double report_progress(int64_t done, int64_t target)
{
	return target > 0 ? 100.0 * (double)done / (double)target : 0;
}

void report_opts_config(struct report_opts *o, const struct config *c)
{
	o->campaign = c->campaign_name;
	o->campaign_start = c->window_start;
	o->attention_min_posts = c->attention_min_posts;
	o->attention_min_share = c->attention_min_share;
	o->target = &c->target;
	o->target_per_unit = &c->target_per_unit;
	o->unit_targets = c->unit_targets;
	o->nunit_targets = c->nunit_targets;
}

/* The model's arrays, zeroed, every unit of the gazetteer and every day
 * of the window dated.  -1: out of memory (report_release() frees what
 * was had). */
static int report_alloc(struct report *r, const struct gazetteer *g, int64_t since)
{
	const struct district_unit *list = district_units(g, &r->nunits);
	size_t ndays = r->ndays ? r->ndays : 1;

	r->units = calloc(r->nunits ? r->nunits : 1, sizeof(*r->units));
	r->platforms = calloc(nplatforms, sizeof(*r->platforms));
	r->days = calloc(ndays, sizeof(*r->days));
	r->hashtags = calloc(REPORT_TOP_HASHTAGS, sizeof(*r->hashtags));
	if (!r->units || !r->platforms || !r->days || !r->hashtags)
		return -1;
	if (alloc_groups(r, g) < 0)
		return -1;
	for (size_t i = 0; i < r->nunits; i++) {
		r->units[i].unit = &list[i];
		r->units[i].daily = calloc(ndays, sizeof(long));
		r->units[i].platform_posts = calloc(nplatforms, sizeof(long));
		if (!r->units[i].daily || !r->units[i].platform_posts)
			return -1;
	}
	for (size_t i = 0; i < r->ndays; i++) {
		r->days[i].t = since + (int64_t)i * 86400;
		ktime_format_date(r->days[i].t, r->days[i].date);
	}
	return 0;
}

/* The 30 hashtags used most with the campaign tag, moved out of the map. */
static void take_hashtags(struct report *r, struct tag_map *m)
{
	if (!m->n)
		return;
	qsort(m->slot, m->cap, sizeof(*m->slot), by_tag_posts);
	for (size_t i = 0; i < m->n && i < REPORT_TOP_HASHTAGS; i++) {
		r->hashtags[i].tag = m->slot[i].first;
		r->hashtags[i].posts = m->slot[i].posts;
		m->slot[i].first = NULL;
		r->nhashtags++;
	}
}

/* The window's posts, then the previous period's. */
static int scan_periods(struct build *b, struct store *st, const struct report_opts *o, struct kerr *e)
{
	struct report *r = b->r;
	struct store_report_filter f;

	memset(&f, 0, sizeof(f));
	f.since = o->since;
	f.until = o->until;
	f.as_of = o->as_of;
	f.district_code = r->district ? r->district->code : NULL;
	if (r->nunits + r->ngroups > 255 - SCOPE_UNIT)
		return kerr_set(e, KERR_USAGE, "at most %u units and groups", 255 - SCOPE_UNIT);
	if (scan_rows(st, &f, b, e) < 0)
		return -1;
	take_hashtags(r, &b->tags);
	tag_map_release(&b->tags);
	f.since = o->since - (o->until - o->since);
	f.until = o->since;
	b->target = &r->previous;
	return store_foreach_report_row(st, &f, on_row, b, e);
}

int64_t report_interactions(const struct report_totals *t)
{
	static const int k[] = {PC_LIKES, PC_COMMENTS, PC_SHARES, PC_FAVORITES};
	int64_t sum = 0;
	int known = 0;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (t->known & (1u << k[i])) {
			sum += t->counts[k[i]];
			known = 1;
		}
	return known ? sum : -1;
}

/* Does unit a rank before b?  Index, then works, then gazetteer order. */
static int ranks_before(const struct report_totals *a, size_t ia, const struct report_totals *b, size_t ib)
{
	if (a->index_sum != b->index_sum)
		return a->index_sum > b->index_sum;
	if (a->posts != b->posts)
		return a->posts > b->posts;
	return ia < ib;
}

void report_rank_order(const struct report *r, size_t *order, int prev)
{
	/* insertion sort: 41 rows */
	for (size_t i = 0; i < r->nunits; i++) {
		size_t x = i, j = i;
		const struct report_totals *a = prev ? &r->units[x].prev : &r->units[x].t;
		while (j > 0) {
			size_t y = order[j - 1];
			if (!ranks_before(a, x, prev ? &r->units[y].prev : &r->units[y].t, y))
				break;
			order[j] = y;
			j--;
		}
		order[j] = x;
	}
}

/* The places of one period: in order, and every unit without works on
 * the place after the last unit with works. */
static void place_units(struct report *r, size_t *order, int prev)
{
	size_t with = 0;

	report_rank_order(r, order, prev);
	for (size_t i = 0; i < r->nunits; i++) {
		struct report_unit *u = &r->units[order[i]];
		long posts = prev ? u->prev.posts : u->t.posts;
		with += posts > 0;
		*(prev ? &u->prev_rank : &u->rank) = posts > 0 ? i + 1 : with + 1;
	}
	if (!prev)
		r->units_covered = (long)with;
}

/* Each group's units in the city's order, and their places in it. */
static void place_in_groups(struct report *r, const size_t *order)
{
	for (size_t i = 0; i < r->nunits; i++) {
		struct report_unit *u = &r->units[order[i]];
		struct report_group *g;
		if (u->group == SIZE_MAX)
			continue;
		g = &r->groups[u->group];
		g->order[g->norder++] = order[i];
		g->units_covered += u->t.posts > 0;
	}
	for (size_t k = 0; k < r->ngroups; k++) {
		struct report_group *g = &r->groups[k];
		for (size_t i = 0; i < g->norder; i++) {
			struct report_unit *u = &r->units[g->order[i]];
			u->group_rank = u->t.posts > 0 ? i + 1 : (size_t)g->units_covered + 1;
		}
	}
}

/* Ranks now and before, in the city and in each group, and which units
 * need attention. */
static int rank_units(struct report *r)
{
	size_t *order = malloc((r->nunits ? r->nunits : 1) * sizeof(*order));

	if (!order)
		return -1;
	place_units(r, order, 1);
	place_units(r, order, 0);
	place_in_groups(r, order);
	free(order);
	for (size_t i = 0; i < r->nunits; i++) {
		struct report_unit *u = &r->units[i];
		double share = r->total.index_sum > 0 ? 100.0 * u->t.index_sum / r->total.index_sum : 0;
		if (!u->t.posts)
			u->attention |= REPORT_ATTN_NO_POSTS;
		else if (u->t.posts < r->attention_min_posts)
			u->attention |= REPORT_ATTN_FEW_POSTS;
		if (u->t.posts && share < r->attention_min_share)
			u->attention |= REPORT_ATTN_LOW_SHARE;
	}
	return 0;
}

/* The lists of works into the report, best first, their texts read. */
static int take_works(struct build *b, struct store *st, const struct flags *mask, struct kerr *e)
{
	struct report *r = b->r;

	worklist_cut(&b->works);
	worklist_cut(&b->unplaced);
	r->works = b->works.v;
	r->nworks = b->works.n;
	r->unplaced = b->unplaced.v;
	r->nunplaced = b->unplaced.n;
	memset(&b->works, 0, sizeof(b->works));
	memset(&b->unplaced, 0, sizeof(b->unplaced));
	if (fill_texts(st, mask, r->works, r->nworks, e) < 0 || fill_texts(st, mask, r->unplaced, r->nunplaced, e) < 0)
		return -1;
	return 0;
}

static void build_release(struct build *b)
{
	works_release(b->works.v, b->works.n);
	works_release(b->unplaced.v, b->unplaced.n);
	memset(&b->works, 0, sizeof(b->works));
	memset(&b->unplaced, 0, sizeof(b->unplaced));
	free(b->keys);
	b->keys = NULL;
	free(b->atable);
	b->atable = NULL;
	tag_map_release(&b->tags);
}

int report_build(struct report *r, struct store *st, const struct gazetteer *g,
		 const struct report_opts *o, struct kerr *e)
{
	struct build b;

	memset(r, 0, sizeof(*r));
	memset(&b, 0, sizeof(b));
	if (report_start(r, g, o, e) < 0)
		return -1;
	if (report_alloc(r, g, o->since) < 0) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto fail;
	}
	set_targets(r, o);
	b.r = r;
	b.g = g;
	b.e = e;
	b.lists = !o->top_only;
	b.unplaced.cap = REPORT_MAX_UNPLACED;
	if (scan_periods(&b, st, o, e) < 0 || fill_texts(st, o->mask, r->top, r->ntop, e) < 0)
		goto fail;
	for (size_t i = 0; i < r->nunits; i++)
		if (fill_texts(st, o->mask, r->units[i].best, r->units[i].nbest, e) < 0)
			goto fail;
	if (take_works(&b, st, o->mask, e) < 0)
		goto fail;
	if (count_authors(&b) < 0)
		goto fail;
	build_release(&b);
	if (rank_units(r) < 0) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto fail;
	}
	if (store_source_status(st, on_source, r, e) < 0)
		goto fail;
	if (r->nauthors)
		qsort(r->authors, r->nauthors, sizeof(*r->authors), by_authors);
	return 0;
fail:
	build_release(&b);
	report_release(r);
	return -1;
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->ntop; i++)
		work_release(&r->top[i]);
	works_release(r->works, r->nworks);
	works_release(r->unplaced, r->nunplaced);
	for (size_t i = 0; r->units && i < r->nunits; i++) {
		for (size_t k = 0; k < r->units[i].nbest; k++)
			work_release(&r->units[i].best[k]);
		free(r->units[i].daily);
		free(r->units[i].platform_posts);
	}
	free(r->units);
	for (size_t i = 0; r->groups && i < r->ngroups; i++)
		free(r->groups[i].order);
	free(r->groups);
	free(r->platforms);
	free(r->days);
	for (size_t i = 0; i < r->nhashtags; i++)
		free(r->hashtags[i].tag);
	free(r->hashtags);
	for (size_t i = 0; i < r->nsources; i++) {
		free(r->sources[i].name);
		free(r->sources[i].last_error);
	}
	free(r->sources);
	for (size_t i = 0; i < r->nauthors; i++) {
		free(r->authors[i].platform);
		free(r->authors[i].author_name);
	}
	free(r->authors);
	memset(r, 0, sizeof(*r));
}
