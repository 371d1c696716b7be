/* fuzz_page_douyin.c: libFuzzer target for the douyin page parser (page.h). */
#include "page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct source s;

	s.name = (char *)"douyin";
	s.kind = SOURCE_DOUYIN;
	s.base_url = (char *)"http://127.0.0.1:1";
	page_fuzz(&s, data, size);
	return 0;
}
