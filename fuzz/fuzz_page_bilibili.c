/* fuzz_page_bilibili.c: libFuzzer target for the bilibili page parser (page.h). */
#include "page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct source s;

	s.name = (char *)"bilibili";
	s.kind = SOURCE_BILIBILI;
	s.base_url = (char *)"http://127.0.0.1:1";
	page_fuzz(&s, data, size);
	return 0;
}
