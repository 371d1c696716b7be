/* post.c: the names the post model gives its counts and review states. */
#include "post.h"

#include <string.h>

const char *const post_count_names[PC_N] = {"views", "likes", "comments", "shares", "favorites", "coins"};

const char *const review_state_names[REVIEW_NSTATES] = {"pending", "approved", "rejected", "featured"};
const char *const review_state_labels[REVIEW_NSTATES] = {"待审核", "已通过", "未通过", "已入选"};

int review_state_parse(const char *s)
{
	for (int i = 0; s && i < REVIEW_NSTATES; i++)
		if (!strcmp(s, review_state_names[i]))
			return i;
	return -1;
}
