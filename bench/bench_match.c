/*
 * bench_match.c: throughput of the matchers on realistic posts (make
 * bench).  Loads an NDJSON file through the importer's record parser
 * (not timed), then times the campaign-tag matcher and hashtag extractor,
 * and district attribution, over every post.  Prints figures only.
 *
 *   bench-match FILE.ndjson [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../collector/collector.h"
#include "../config/config.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const deftag[] = {"千万IP创科普"};
	struct tags *t;
	struct tags_scratch *ts;
	struct gazetteer *g;
	struct district_scratch *ds;
	struct arena keep, a;
	struct kerr e;
	struct config cfg;
	struct post *posts = NULL;
	size_t n = 0, cap = 0, bytes = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
	FILE *f;
	double t0, best_tags = 1e9, best_dist = 1e9;
	long matched = 0, attributed = 0;

	if (argc < 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: bench-match FILE.ndjson [ROUNDS]\n");
		return 2;
	}
	arena_init(&keep);
	arena_init(&a);
	while ((len = getline(&line, &lcap, f)) > 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			posts = realloc(posts, cap * sizeof(*posts));
			if (!posts)
				return 1;
		}
		if (import_parse_json(line, (size_t)len - (line[len - 1] == '\n'), &posts[n], &keep, &e) == 0) {
			bytes += (posts[n].title ? strlen(posts[n].title) : 0) +
				 (posts[n].text ? strlen(posts[n].text) : 0);
			n++;
		}
	}
	free(line);
	fclose(f);
	if (config_load(&cfg, NULL, &e) < 0 || tags_new(&t, deftag, 1, &e) < 0 || !(ts = tags_scratch_new(t)) ||
	    district_new(&g, &cfg.districts, NULL, 0, &e) < 0 ||
	    !(ds = district_scratch_new(g))) {
		fprintf(stderr, "bench-match: %s\n", e.msg);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		struct tags_result tr;
		matched = 0;
		t0 = now();
		for (size_t i = 0; i < n; i++) {
			struct tags_input in = {posts[i].title, posts[i].text, posts[i].topics,
						posts[i].ntopics, posts[i].platform};
			if (tags_scan(t, ts, &in, &a, &tr, &e) < 0)
				return 1;
			matched += tr.ncampaign > 0;
			if ((i & 1023) == 0)
				arena_reset(&a);
		}
		t0 = now() - t0;
		if (t0 < best_tags)
			best_tags = t0;
		arena_reset(&a);

		attributed = 0;
		t0 = now();
		for (size_t i = 0; i < n; i++) {
			struct district_input di = {0};
			struct district_result dr;
			di.platform = posts[i].platform;
			di.author_id = posts[i].author_id;
			di.title = posts[i].title;
			di.text = posts[i].text;
			di.author_name = posts[i].author_name;
			di.author_location = posts[i].author_location;
			di.ip_location = posts[i].ip_location;
			if (district_attribute(g, ds, &di, &a, &dr, NULL, &e) < 0)
				return 1;
			attributed += dr.unit != NULL;
			if ((i & 1023) == 0)
				arena_reset(&a);
		}
		t0 = now() - t0;
		if (t0 < best_dist)
			best_dist = t0;
		arena_reset(&a);
	}
	printf("matcher benchmark: %zu posts, %.1f MB of title and text (best of %d)\n", n, bytes / 1e6,
	       rounds);
	printf("  campaign tags + hashtags  %6.3f s  %9.0f posts/s  %6.1f MB/s  (%ld carry the tag)\n",
	       best_tags, n / best_tags, bytes / 1e6 / best_tags, matched);
	printf("  district attribution      %6.3f s  %9.0f posts/s  %6.1f MB/s  (%ld attributed)\n",
	       best_dist, n / best_dist, bytes / 1e6 / best_dist, attributed);
	district_scratch_free(ds);
	district_free(g);
	tags_scratch_free(ts);
	tags_free(t);
	arena_release(&a);
	arena_release(&keep);
	free(posts);
	config_release(&cfg);
	return 0;
}
