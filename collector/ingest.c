/*
 * ingest.c: the one path every post takes into the store: match campaign
 * tags and hashtags, attribute a district, store.
 */
#include "collector.h"

#include <string.h>

int ingest_scratch_init(struct ingest_scratch *s, const struct ingest *ing, struct kerr *e)
{
	s->tags = tags_scratch_new(ing->tags);
	s->district = district_scratch_new(ing->gazetteer);
	if (!s->tags || !s->district) {
		ingest_scratch_release(s);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

void ingest_scratch_release(struct ingest_scratch *s)
{
	tags_scratch_free(s->tags);
	district_scratch_free(s->district);
	s->tags = NULL;
	s->district = NULL;
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
	return store_put_post(st, p, now, result, e);
}
