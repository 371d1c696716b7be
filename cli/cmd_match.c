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
#include "options.h"

struct match_ctx {
	struct tags *tags;
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

int cmd_match(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("match");
	struct match_ctx m;
	struct kerr e;
	int ch, status;

	while ((ch = cli_getopt(cmd, argc, argv, ":h", opts)) != -1) {
		if (ch == 'h') {
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		}
		return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s' (posts come on standard input)",
				       argv[optind]);
	kerr_clear(&e);
	memset(&m, 0, sizeof(m));
	if (cli_load(c, &e) < 0 ||
	    tags_new(&m.tags, (const char *const *)c->cfg.tags, c->cfg.ntags, &e) < 0)
		return cli_fail(&e);
	if (!(m.scratch = tags_scratch_new(m.tags))) {
		tags_free(m.tags);
		kerr_set(&e, KERR_NOMEM, "out of memory");
		return cli_fail(&e);
	}
	arena_init(&m.arena);
	status = jsonl_filter("match", match_one, &m);
	arena_release(&m.arena);
	tags_scratch_free(m.scratch);
	tags_free(m.tags);
	return status;
}
