/*
 * ingest.c: the one path every post takes into the store: match campaign
 * tags and hashtags, attribute a district, find review flags, store.
 */
#include "collector.h"

#include <string.h>

int ingest_scratch_init(struct ingest_scratch *s, const struct ingest *ing, struct kerr *e)
{
	s->tags = tags_scratch_new(ing->tags);
	s->district = district_scratch_new(ing->gazetteer);
	s->flags = ing->flags ? flags_scratch_new(ing->flags) : NULL;
	if (!s->tags || !s->district || (ing->flags && !s->flags)) {
		ingest_scratch_release(s);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

void ingest_scratch_release(struct ingest_scratch *s)
{
	tags_scratch_free(s->tags);
	district_scratch_free(s->district);
	flags_scratch_free(s->flags);
	s->tags = NULL;
	s->district = NULL;
	s->flags = NULL;
}

/* Run the flag rules; p->flags points into a. */
static int annotate_flags(const struct ingest *ing, struct ingest_scratch *s, struct post *p,
			  struct arena *a, struct kerr *e)
{
	struct flags_result fr;
	struct post_flags *pf;
	struct post_flag *v;

	if (flags_scan(ing->flags, s->flags, p->title, p->text, a, &fr, e) < 0)
		return -1;
	pf = arena_alloc(a, sizeof(*pf));
	v = arena_alloc(a, (fr.n + 1) * sizeof(*v));
	if (!pf || !v)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < fr.n; i++) {
		v[i].rule = fr.hit[i].rule;
		v[i].reason = fr.hit[i].reason;
		v[i].match = fr.hit[i].match;
		v[i].set_at = 0;
	}
	pf->v = v;
	pf->n = fr.n;
	pf->without = (p->title ? 0 : POST_FLAGS_NO_TITLE) | (p->text ? 0 : POST_FLAGS_NO_TEXT);
	p->flags = pf;
	return 0;
}

int ingest_annotate(const struct ingest *ing, struct ingest_scratch *s, struct post *p,
		    struct arena *a, struct kerr *e)
{
	struct tags_result tr;
	struct district_result dr;
	struct tags_input ti = {p->title, p->text, p->topics, p->ntopics, p->platform};
	struct district_input di;
	const char **v;

	if (tags_scan(ing->tags, s->tags, &ti, a, &tr, e) < 0)
		return -1;
	if (!tr.ncampaign && !ing->keep_all)
		return 0;
	v = arena_alloc(a, (tr.nhashtags + tr.ncampaign + 1) * sizeof(*v));
	if (!v)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	memcpy(v, tr.hashtags, tr.nhashtags * sizeof(*v));
	memcpy(v + tr.nhashtags, tr.campaign, tr.ncampaign * sizeof(*v));
	p->hashtags = v;
	p->nhashtags = tr.nhashtags;
	p->campaign_tags = v + tr.nhashtags;
	p->ncampaign_tags = tr.ncampaign;
	p->flags = NULL;
	if (ing->flags && annotate_flags(ing, s, p, a, e) < 0)
		return -1;

	if (p->attribution_method && !strcmp(p->attribution_method, "manual")) {
		/* a correction that came with the record (an export read back) */
		const struct district_unit *u =
			p->district_code ? district_lookup(ing->gazetteer, p->district_code) : NULL;
		if (u) {
			p->district = u->name;
			p->district_code = u->code;
			p->in_chongqing = 1;
			p->attribution_confidence = 1.0;
			p->attribution_evidence = "manual correction";
			return 1;
		}
	}
	p->attribution_method = NULL;
	memset(&di, 0, sizeof(di));
	di.platform = p->platform;
	di.title = p->title;
	di.text = p->text;
	di.author_id = p->author_id;
	di.author_name = p->author_name;
	di.author_location = p->author_location;
	di.ip_location = p->ip_location;
	di.province_code = p->province_code;
	di.city_code = p->city_code;
	di.hashtags = p->hashtags;
	di.nhashtags = p->nhashtags;
	if (district_attribute(ing->gazetteer, s->district, &di, a, &dr, NULL, e) < 0)
		return -1;
	p->district = dr.unit ? dr.unit->name : NULL;
	p->district_code = dr.unit ? dr.unit->code : NULL;
	p->in_chongqing = dr.in_chongqing;
	p->attribution_method = dr.method;
	p->attribution_confidence = dr.confidence;
	p->attribution_evidence = dr.evidence;
	return 1;
}

int ingest_store(struct store *st, const struct post *p, int64_t now,
		 enum store_put_result *result, struct kerr *e)
{
	if (store_put_post(st, p, now, result, e) < 0)
		return -1;
	/* A new post has no stored flags: nothing to do unless it has some.  An
	 * unchanged post has the text its flags were found in (after the rules
	 * change, `kepu review recheck` applies them to every stored post). */
	if (!p->flags || *result == STORE_UNCHANGED || (*result == STORE_NEW && !p->flags->n))
		return 0;
	return store_set_flags(st, p->platform, p->post_id, p->flags, now, NULL, NULL, e);
}
