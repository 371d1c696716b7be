/*
 * fuzz_import.c: libFuzzer target for the NDJSON record parser that every
 * imported line goes through.  A record it accepts must have the required
 * fields and valid UTF-8 strings; and its own scanner and jansson must
 * read every input alike (the same post, or the same message).
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

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The two readers' posts are the same. */
static void check_same(const struct post *p, const struct post *q)
{
	if (!same(p->platform, q->platform) || !same(p->post_id, q->post_id) || !same(p->url, q->url) ||
	    !same(p->author_id, q->author_id) || !same(p->author_name, q->author_name) ||
	    !same(p->author_location, q->author_location) || !same(p->ip_location, q->ip_location) ||
	    !same(p->title, q->title) || !same(p->text, q->text) || !same(p->cover_url, q->cover_url) ||
	    !same(p->media, q->media) || !same(p->district_code, q->district_code) ||
	    !same(p->attribution_method, q->attribution_method) || p->created_at != q->created_at ||
	    p->first_seen != q->first_seen || p->last_seen != q->last_seen || p->deleted_at != q->deleted_at ||
	    p->known != q->known || p->lower != q->lower || memcmp(p->counts, q->counts, sizeof(p->counts)) ||
	    p->ntopics != q->ntopics || !p->topics != !q->topics)
		abort();
	for (size_t i = 0; i < p->ntopics; i++)
		if (strcmp(p->topics[i], q->topics[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct post p, q;
	struct arena a;
	struct kerr e, e2;
	int rc, rc2;

	arena_init(&a);
	rc = import_parse_json((const char *)data, size, &p, &a, &e);
	rc2 = import_parse_json_jansson((const char *)data, size, &q, &a, &e2);
	if (rc != rc2 || (rc < 0 && strcmp(e.msg, e2.msg)))
		abort();
	if (rc == 0)
		check_same(&p, &q);
	if (rc == 0) {
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
