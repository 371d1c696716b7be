/*
 * fuzz_flags.c: libFuzzer target for the content flag rules (mobile
 * numbers, resident IDs, a configured pattern, a word list).  Any bytes
 * must neither crash nor produce a hit that breaks the invariants: every
 * match is non-empty valid UTF-8, and a privacy rule's match is masked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../matchers/flags.h"
#include "../util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct flags_pattern pats[] = {{"广告|代购", "commercial"}, {"(?i)vx\\s*\\d{5,}", "contact"}};
	static const char *const words[] = {"违禁词", "赌博"};
	static const struct flags_rules rules = {pats, 2, words, 2};
	static struct flags *f;
	static struct flags_scratch *s;
	struct flags_result r;
	struct arena a;
	struct kerr e;
	char *text;

	if (!f && (flags_new(&f, &rules, &e) < 0 || !(s = flags_scratch_new(f))))
		abort();
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	arena_init(&a);
	if (flags_scan(f, s, size > 8 ? text + 8 : NULL, text, &a, &r, &e) < 0)
		abort();
	if (r.n > FLAGS_MAX_HITS)
		abort();
	for (size_t i = 0; i < r.n; i++) {
		const char *m = r.hit[i].match;
		if (!m || !*m || utf8_invalid_at(m, strlen(m)) >= 0 || !r.hit[i].rule)
			abort();
	}
	arena_release(&a);
	free(text);
	return 0;
}
