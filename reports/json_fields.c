/* json_fields.c: see json_fields.h. */
#include "json_fields.h"

#include <math.h>
#include <stdlib.h>

#include "../util/err.h"
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

void jf_work(json_t *o, size_t rank, const char *platform, const char *post_id, const char *url, const char *title,
	     const char *author_name, const char *district, const char *district_code, int64_t created_at,
	     const int64_t *counts, unsigned known, unsigned lower, double index)
{
	json_t *lb = json_array();

	json_object_set_new(o, "rank", json_integer((json_int_t)rank));
	json_object_set_new(o, "platform", json_string(platform));
	json_object_set_new(o, "post_id", json_string(post_id));
	json_object_set_new(o, "url", jf_str(url));
	json_object_set_new(o, "title", jf_str(title));
	json_object_set_new(o, "author_name", jf_str(author_name));
	json_object_set_new(o, "district", jf_str(district));
	json_object_set_new(o, "district_code", jf_str(district_code));
	json_object_set_new(o, "created_at", jf_time(created_at));
	for (int k = 0; k < PC_N; k++) {
		json_object_set_new(o, post_count_names[k], known & (1u << k) ? json_integer(counts[k]) : json_null());
		if (known & lower & (1u << k))
			json_array_append_new(lb, json_string(post_count_names[k]));
	}
	json_object_set_new(o, "index", jf_num2(index));
	json_object_set_new(o, "lower_bounds", lb);
}

int jf_write(json_t *root, FILE *out, const char *what, struct kerr *e)
{
	char *s = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(12));
	int rc;

	json_decref(root);
	if (!s)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	rc = fputs(s, out) < 0 || fputc('\n', out) < 0 || fflush(out) != 0;
	free(s);
	return rc ? kerr_set(e, KERR_IO, "cannot write %s", what) : 0;
}
