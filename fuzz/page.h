/*
 * page.h: the body of the libFuzzer targets for the platform adapters'
 * page parsers (fuzz_page_*.c): a page body in, posts and bad items out.
 * Whatever the bytes, the parser must not crash, and what it returns must
 * hold: a refused page says why; every post has an id and valid UTF-8
 * texts and no negative count; every bad item has a position and a reason.
 */
#ifndef KEPU_FUZZ_PAGE_H
#define KEPU_FUZZ_PAGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collector/adapter.h"
#include "../util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Say which promise broke, then crash for libFuzzer. */
#define PAGE_FAIL(what)                                                                   \
	do {                                                                              \
		fprintf(stderr, "page.h: %s\n", what);                                  \
		abort();                                                                  \
	} while (0)

static void page_check_str(const char *s)
{
	if (s && utf8_invalid_at(s, strlen(s)) >= 0)
		PAGE_FAIL("a string that is not UTF-8");
}

static void page_fuzz(const struct source *s, const uint8_t *data, size_t size)
{
	struct adapter_run r;
	struct arena a;
	struct page pg;
	struct kerr e;

	/* a fixed clock, so Weibo's relative times read the same every run */
	adapter_run_init(&r, s, 1756656000, 1759248000, 1757476800);
	arena_init(&a);
	kerr_clear(&e);
	if (adapter_parse(&r, (const char *)data, size, "application/json", &a, &pg, &e) < 0) {
		if (!e.msg[0])
			PAGE_FAIL("a refusal that does not say why");
	} else {
		for (size_t i = 0; i < pg.nposts; i++) {
			const struct post *p = &pg.posts[i];
			if (!p->platform || !p->post_id || !*p->post_id)
				PAGE_FAIL("a post without platform or id");
			page_check_str(p->post_id);
			page_check_str(p->text);
			page_check_str(p->title);
			page_check_str(p->author_name);
			page_check_str(p->author_id);
			page_check_str(p->url);
			for (size_t k = 0; k < p->ntopics; k++)
				page_check_str(p->topics[k]);
			for (int k = 0; k < PC_N; k++)
				if ((p->known & (1u << k)) && p->counts[k] < 0)
					PAGE_FAIL("a negative count");
			page_check_str(p->cover_url);
			if (p->media && strcmp(p->media, "video") && strcmp(p->media, "image") && strcmp(p->media, "text"))
				PAGE_FAIL("a media kind that is not video, image or text");
		}
		for (size_t i = 0; i < pg.nbad; i++)
			if (pg.bad[i].index < 1 || !pg.bad[i].msg || !*pg.bad[i].msg)
				PAGE_FAIL("a bad item without position or reason");
		if (memchr(pg.next_cursor, '\0', sizeof(pg.next_cursor)) == NULL ||
		    memchr(pg.search_id, '\0', sizeof(pg.search_id)) == NULL)
			PAGE_FAIL("an unterminated cursor");
		if ((size_t)pg.items < pg.nposts + pg.nbad)
			PAGE_FAIL("more posts and bad items than items on the page");
		{
			/* where the pass goes next must be storable and read back the same */
			struct page_pos first, next, back;
			char text[PAGE_POS_TEXT];
			r.ad->first(&r, &first);
			if (r.ad != &adapter_bilibili && r.ad->next(&r, &first, &pg, 0, &next) == PASS_MORE) {
				page_pos_format(&next, text, sizeof(text));
				page_pos_parse(&r, text, &back);
				if (memcmp(&next, &back, sizeof(next)))
					PAGE_FAIL("a next position that does not survive the store");
			}
		}
	}
	arena_release(&a);
}

#endif
