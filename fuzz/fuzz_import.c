/*
 * fuzz_import.c: libFuzzer target for the NDJSON record parser that every
 * imported line goes through.  A record it accepts must have the required
 * fields and valid UTF-8 strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../collector/collector.h"
#include "../util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s)
{
	if (s && utf8_invalid_at(s, strlen(s)) >= 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct post p;
	struct arena a;
	struct kerr e;

	arena_init(&a);
	if (import_parse_json((const char *)data, size, &p, &a, &e) == 0) {
		if (!p.platform || !p.post_id || !*p.post_id || !p.created_at)
			abort();
		check_str(p.post_id);
		check_str(p.text);
		check_str(p.title);
		check_str(p.author_name);
		for (size_t i = 0; i < p.ntopics; i++)
			check_str(p.topics[i]);
		for (int k = 0; k < PC_N; k++)
			if ((p.known & (1u << k)) && p.counts[k] < 0)
				abort();
	} else if (!e.msg[0])
		abort(); /* every refusal says why */
	arena_release(&a);
	return 0;
}
