/*
 * json_fields.h (private to reports/): the JSON values the report and the
 * shortlist both write: times in +08:00, strings that may be absent, and
 * indexes rounded to two decimals.
 */
#ifndef KEPU_REPORTS_JSON_FIELDS_H
#define KEPU_REPORTS_JSON_FIELDS_H

#include <jansson.h>
#include <stdint.h>

/* null when s is NULL (new references) */
json_t *jf_str(const char *s);
/* `2025-09-02T10:15:00+08:00`, null for 0 */
json_t *jf_time(int64_t t);
/* x rounded to two decimals */
json_t *jf_num2(double x);

#endif
