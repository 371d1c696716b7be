/* fuzz_page_generic.c: libFuzzer target for the generic JSON feed parser
 * (page.h), with every field mapped as in the README's feed example. */
#include "page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct source s;

	if (!s.name) {
		static const char *const ptr[SF_N] = {
			[SF_PLATFORM] = "/platform", [SF_POST_ID] = "/item_id", [SF_URL] = "/link",
			[SF_AUTHOR_ID] = "/user/id", [SF_AUTHOR_NAME] = "/user/name",
			[SF_AUTHOR_LOCATION] = "/user/location", [SF_IP_LOCATION] = "/ip_label",
			[SF_CREATED_AT] = "/publish_time", [SF_TITLE] = "/title", [SF_TEXT] = "/content",
			[SF_TOPICS] = "/tags", [SF_VIEWS] = "/metrics/view", [SF_LIKES] = "/metrics/like",
			[SF_COMMENTS] = "/metrics/comment", [SF_SHARES] = "/metrics/share",
			[SF_FAVORITES] = "/metrics/collect"};
		s.name = (char *)"feed";
		s.kind = SOURCE_GENERIC;
		s.base_url = (char *)"http://127.0.0.1:1";
		s.items = (char *)"/data/list";
		for (int f = 0; f < SF_N; f++)
			s.fields[f] = (char *)ptr[f];
		s.time_format = ST_LOCAL;
		s.paging = SP_CURSOR;
		s.next_cursor = (char *)"/data/cursor";
		s.has_more = (char *)"/data/has_more";
	}
	page_fuzz(&s, data, size);
	return 0;
}
