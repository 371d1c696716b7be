/*
 * work.c: what every list of works shares (the report's top works, the
 * shortlist, the review queue, the showcase): one order, one title, one
 * masking of private data.  See report.h.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "../matchers/flags.h"
#include "../util/buf.h"
#include "../util/html.h"
#include "../util/utf8.h"

int work_before(const struct work_key *a, const struct work_key *b)
{
	int c;

	if (a->index != b->index)
		return a->index > b->index;
	if (a->likes != b->likes)
		return a->likes > b->likes;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at;
	c = strcmp(a->platform, b->platform);
	return c ? c < 0 : strcmp(a->post_id, b->post_id) < 0;
}

int work_mask(char **text, const struct flags *mask, struct flags_scratch *fs, struct kerr *e)
{
	struct kbuf b;
	int rc;

	if (!*text || !mask || !fs)
		return 0;
	kbuf_init(&b, 1024 * 1024);
	rc = flags_mask_privacy(mask, fs, *text, &b, e);
	if (rc > 0) {
		free(*text);
		*text = kbuf_detach(&b);
		if (!*text)
			rc = kerr_set(e, KERR_NOMEM, "out of memory");
	}
	kbuf_release(&b);
	return rc < 0 ? -1 : 0;
}

/* The first line of s, NULL when it has none. */
static char *first_line(const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	while (*s == '\n' || *s == '\r' || *s == ' ')
		s++;
	n = strcspn(s, "\r\n");
	return n ? strndup(s, n) : NULL;
}

/*
 * The character entities platforms leave in titles (`&lt;科普小课堂&gt;`),
 * decoded once in place, so that a page escapes the title once and people
 * read `<科普小课堂>`; `&amp;lt;` becomes `&lt;`, text as the author wrote it.
 * A decoded character is never longer than its entity.  Controls stay
 * written as entities.
 */
void work_decode_entities(char *s)
{
	char *out = s;

	if (!s || !strchr(s, '&'))
		return;
	while (*s) {
		uint32_t cp;
		size_t n = *s == '&' ? html_entity_at(s, strlen(s), &cp) : 0;
		if (n && cp >= 0x20 && cp != 0x7F) {
			out += utf8_encode(cp, out);
			s += n;
		} else
			*out++ = *s++;
	}
	*out = '\0';
}

int work_texts(struct store *st, int64_t id, const struct flags *mask, struct flags_scratch *fs, char **title,
	       char **url, struct kerr *e)
{
	char *t = NULL, *head = NULL;

	*title = NULL;
	if (store_report_texts(st, id, &t, &head, url, e) < 0)
		return -1;
	if (t && *t) {
		*title = t;
		t = NULL;
	} else if (head && !(*title = first_line(head)) && strspn(head, "\r\n ") != strlen(head)) {
		free(t);
		free(head);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	free(t);
	free(head);
	work_decode_entities(*title);
	return work_mask(title, mask, fs, e);
}
