/*
 * cmd_attribute.c: `kepu attribute`: district attribution as a JSON Lines
 * filter, the same code ingest uses (hashtags are extracted first, as at
 * ingest, so `#科普之光·万州#` counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/platform.h"
#include "../matchers/district.h"
#include "../matchers/tags.h"
#include "../store/store.h"
#include "jsonl.h"
#include "cli.h"

struct attr_ctx {
	const struct tags *tags;
	struct tags_scratch *ts;
	const struct gazetteer *g;
	struct district_scratch *ds;
	struct arena arena;
};

/* A Weibo profile code: an integer or a numeric string; 0 when absent. */
static int code_field(json_t *in, const char *key, int *out, struct kerr *e)
{
	json_t *v = json_object_get(in, key);
	char *end;
	long x;

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		x = (long)json_integer_value(v);
	} else if (json_is_string(v)) {
		x = strtol(json_string_value(v), &end, 10);
		if (*end || end == json_string_value(v))
			return kerr_set(e, KERR_DATA, "%s: expected a number", key);
	} else
		return kerr_set(e, KERR_DATA, "%s: expected a number", key);
	if (x < 0 || x > 100000)
		return kerr_set(e, KERR_DATA, "%s: out of range", key);
	*out = (int)x;
	return 0;
}

static json_t *attribute_one(void *vctx, json_t *in, struct kerr *e)
{
	static const char *const known[] = {"id", "platform", "text", "title", "topics", "author_id",
					    "author_name", "author_location", "ip_location",
					    "province_code", "city_code", NULL};
	struct attr_ctx *c = vctx;
	struct tags_input ti = {0};
	struct tags_result tr;
	struct district_input di = {0};
	struct district_result r;
	const char **topics = NULL, *author_id = NULL;
	json_t *out = NULL, *id;
	char num[32];

	arena_reset(&c->arena);
	if (jsonl_known_keys(in, known, e) < 0 || jsonl_string(in, "text", &ti.text, e) < 0 ||
	    jsonl_string(in, "title", &ti.title, e) < 0 ||
	    jsonl_string(in, "platform", &ti.platform, e) < 0 ||
	    jsonl_strings(in, "topics", &topics, &ti.ntopics, e) < 0 ||
	    jsonl_string(in, "author_name", &di.author_name, e) < 0 ||
	    jsonl_string(in, "author_location", &di.author_location, e) < 0 ||
	    jsonl_string(in, "ip_location", &di.ip_location, e) < 0 ||
	    code_field(in, "province_code", &di.province_code, e) < 0 ||
	    code_field(in, "city_code", &di.city_code, e) < 0)
		goto out;
	id = json_object_get(in, "author_id");
	if (json_is_integer(id)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
		author_id = num;
	} else if (jsonl_string(in, "author_id", &author_id, e) < 0)
		goto out;
	if (ti.platform && !platform_find(ti.platform)) {
		kerr_set(e, KERR_DATA, "platform: unknown platform '%.40s'", ti.platform);
		goto out;
	}
	ti.topics = topics;
	if (tags_scan(c->tags, c->ts, &ti, &c->arena, &tr, e) < 0)
		goto out;
	di.platform = ti.platform;
	di.title = ti.title;
	di.text = ti.text;
	di.author_id = author_id;
	di.hashtags = tr.hashtags;
	di.nhashtags = tr.nhashtags;
	if (district_attribute(c->g, c->ds, &di, &c->arena, &r, NULL, e) < 0)
		goto out;
	out = json_object();
	json_object_set(out, "id", json_object_get(in, "id") ? json_object_get(in, "id") : json_null());
	json_object_set_new(out, "district", r.unit ? json_string(r.unit->name) : json_null());
	json_object_set_new(out, "district_code", r.unit ? json_string(r.unit->code) : json_null());
	json_object_set_new(out, "in_chongqing", r.in_chongqing < 0 ? json_null() : json_boolean(r.in_chongqing));
	json_object_set_new(out, "method", json_string(r.method));
	json_object_set_new(out, "confidence", json_real((double)(int)(r.confidence * 100 + 0.5) / 100));
	json_object_set_new(out, "evidence", r.evidence ? json_string(r.evidence) : json_null());
out:
	free(topics);
	return out;
}

static int cmd_attribute(struct cli *c, struct cli_args *args)
{
	struct attr_ctx a;
	struct kerr e;
	int status;

	(void)args;
	memset(&a, 0, sizeof(a));
	arena_init(&a.arena);
	a.tags = c->tags;
	a.g = c->gaz;
	if (!(a.ts = tags_scratch_new(a.tags)) || !(a.ds = district_scratch_new(a.g))) {
		kerr_set(&e, KERR_NOMEM, "out of memory");
		status = cli_fail(&e);
	} else
		status = jsonl_filter("attribute", attribute_one, &a);
	district_scratch_free(a.ds);
	tags_scratch_free(a.ts);
	arena_release(&a.arena);
	return status;
}

const struct cli_command cli_attribute = {
	.name = "attribute",
	.summary = "attribute posts to Chongqing's units (JSON Lines filter)",
	.operands = "< posts.jsonl",
	.about = "Reads one post per line: {\"id\", \"platform\", \"text\", \"title\", \"topics\",\n"
		 "\"author_id\", \"author_name\", \"author_location\", \"ip_location\", \"province_code\",\n"
		 "\"city_code\"} (all optional), and writes one line per input, in order:\n"
		 "{\"id\", \"district\", \"district_code\", \"in_chongqing\", \"method\", \"confidence\",\n"
		 "\"evidence\"}. A bad line gives {\"line\": N, \"error\": \"...\"} and the exit status 1.\n",
	.needs = NEED_TAGS | NEED_GAZETTEER,
	.run = cmd_attribute,
};
