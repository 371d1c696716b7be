/*
 * cmd_match.c: `kepu match`: the campaign-tag matcher and hashtag
 * extractor as a JSON Lines filter, the same code ingest uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/platform.h"
#include "../matchers/tags.h"
#include "../store/store.h"
#include "jsonl.h"
#include "cli.h"

struct match_ctx {
	const struct tags *tags;
	struct tags_scratch *scratch;
	struct arena arena;
};

static json_t *match_one(void *vctx, json_t *in, struct kerr *e)
{
	static const char *const known[] = {"id", "text", "title", "topics", "platform", NULL};
	struct match_ctx *m = vctx;
	struct tags_input ti = {0};
	struct tags_result r;
	json_t *out = NULL, *arr;
	const char **topics = NULL;

	arena_reset(&m->arena);
	if (jsonl_known_keys(in, known, e) < 0 || jsonl_string(in, "text", &ti.text, e) < 0 ||
	    jsonl_string(in, "title", &ti.title, e) < 0 ||
	    jsonl_string(in, "platform", &ti.platform, e) < 0 ||
	    jsonl_strings(in, "topics", &topics, &ti.ntopics, e) < 0)
		goto out;
	ti.topics = topics;
	if (!ti.text) {
		kerr_set(e, KERR_DATA, "text: missing (a required field)");
		goto out;
	}
	if (ti.platform && !platform_find(ti.platform)) {
		kerr_set(e, KERR_DATA, "platform: unknown platform '%.40s'", ti.platform);
		goto out;
	}
	if (tags_scan(m->tags, m->scratch, &ti, &m->arena, &r, e) < 0)
		goto out;
	out = json_object();
	json_object_set(out, "id", json_object_get(in, "id") ? json_object_get(in, "id") : json_null());
	arr = json_array();
	for (size_t i = 0; i < r.ncampaign; i++)
		json_array_append_new(arr, json_string(r.campaign[i]));
	json_object_set_new(out, "matched", arr);
	arr = json_array();
	for (size_t i = 0; i < r.nhashtags; i++)
		json_array_append_new(arr, json_string(r.hashtags[i]));
	json_object_set_new(out, "hashtags", arr);
out:
	free(topics);
	return out;
}

static int cmd_match(struct cli *c, struct cli_args *a)
{
	struct match_ctx m;
	struct kerr e;
	int status;

	(void)a;
	memset(&m, 0, sizeof(m));
	m.tags = c->tags;
	if (!(m.scratch = tags_scratch_new(m.tags))) {
		kerr_set(&e, KERR_NOMEM, "out of memory");
		return cli_fail(&e);
	}
	arena_init(&m.arena);
	status = jsonl_filter("match", match_one, &m);
	arena_release(&m.arena);
	tags_scratch_free(m.scratch);
	return status;
}

const struct cli_command cli_match = {
	.name = "match",
	.summary = "find campaign tags and hashtags in posts (JSON Lines filter)",
	.operands = "< posts.jsonl",
	.about = "Reads one post per line: {\"id\": ..., \"text\": \"...\", \"title\": \"...\",\n"
		 "\"topics\": [...], \"platform\": \"weibo\"} (all but text optional), and writes one\n"
		 "line per input, in order: {\"id\": ..., \"matched\": [campaign tags],\n"
		 "\"hashtags\": [every hashtag, in order, once]}. A bad line gives\n"
		 "{\"line\": N, \"error\": \"...\"} and the exit status 1; the other lines go on.\n",
	.needs = NEED_TAGS,
	.run = cmd_match,
};
