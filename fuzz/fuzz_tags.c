/*
 * fuzz_tags.c: libFuzzer target for the campaign-tag matcher and hashtag
 * extractor.  The first byte picks the platform convention, the rest is
 * the text (any bytes: invalid UTF-8 must neither crash nor match).
 * Checks the result's invariants, not just the absence of crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../matchers/tags.h"
#include "../util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const deftags[] = {"千万IP创科普", "C++科普"};
	static const char *const platforms[] = {NULL, "weibo", "douyin", "xiaohongshu", "other"};
	static struct tags *t;
	static struct tags_scratch *s;
	struct tags_input in = {0};
	struct tags_result r;
	struct arena a;
	struct kerr e;
	char *text;

	if (!t) {
		if (tags_new(&t, deftags, 2, &e) < 0 || !(s = tags_scratch_new(t)))
			abort();
	}
	if (size < 1)
		return 0;
	in.platform = platforms[data[0] % 5];
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	in.text = text;
	in.title = text;
	in.topics = (const char *const *)&in.text;
	in.ntopics = 1;
	arena_init(&a);
	if (tags_scan(t, s, &in, &a, &r, &e) < 0)
		abort();
	if (r.nhashtags > TAGS_MAX_HASHTAGS || r.ncampaign > 2)
		abort();
	for (size_t i = 0; i < r.nhashtags; i++) {
		size_t n = strlen(r.hashtags[i]);
		/* every hashtag is non-empty valid UTF-8 without a hash or line break */
		if (!n || utf8_invalid_at(r.hashtags[i], n) >= 0 || strchr(r.hashtags[i], '\n'))
			abort();
	}
	arena_release(&a);
	free(text);
	return 0;
}
