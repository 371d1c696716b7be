/*
 * fuzz_district.c: libFuzzer target for district attribution.  The input
 * is split on NUL bytes into text, author name, profile location and IP
 * location; any bytes (invalid UTF-8 included) must neither crash nor
 * give a result that breaks the invariants.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../config/config.h"
#include "../matchers/district.h"
#include "../util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static struct gazetteer *g;
	static struct district_scratch *ds;
	const char *field[4] = {NULL, NULL, NULL, NULL};
	struct district_input in = {0};
	struct district_result r;
	struct arena a;
	struct kerr e;
	char *buf;
	size_t k = 0, start = 0;

	if (!g) {
		if (config_load(&cfg, NULL, &e) < 0 || district_new(&g, &cfg.districts, NULL, 0, &e) < 0 ||
		    !(ds = district_scratch_new(g)))
			abort();
	}
	if (!(buf = malloc(size + 1)))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i <= size && k < 4; i++)
		if (i == size || buf[i] == '\0') {
			field[k++] = buf + start;
			start = i + 1;
		}
	in.text = field[0];
	in.author_name = field[1];
	in.author_location = field[2];
	in.ip_location = field[3];
	in.province_code = size ? data[0] % 60 : 0;
	in.city_code = size > 1 ? data[1] % 90 : 0;
	arena_init(&a);
	if (district_attribute(g, ds, &in, &a, &r, NULL, &e) < 0)
		abort();
	if (r.unit && r.in_chongqing != 1)
		abort(); /* a unit is always in Chongqing */
	if (r.confidence < 0 || r.confidence > 1 || !r.method)
		abort();
	if (!strcmp(r.method, "none") && (r.unit || r.in_chongqing != -1))
		abort();
	if (r.evidence && utf8_invalid_at(r.evidence, strlen(r.evidence)) >= 0 && in.ip_location &&
	    strcmp(r.evidence, in.ip_location))
		abort(); /* evidence comes from normalized text, except the raw IP label */
	arena_release(&a);
	free(buf);
	return 0;
}
