/* json_fields.c: see json_fields.h. */
#include "json_fields.h"

#include <math.h>

#include "../util/timefmt.h"

json_t *jf_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *jf_time(int64_t t)
{
	char s[32];

	if (!t)
		return json_null();
	ktime_format_cst(t, s);
	return json_string(s);
}

json_t *jf_num2(double x)
{
	return json_real(round(x * 100) / 100);
}
