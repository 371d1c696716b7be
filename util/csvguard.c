/* csvguard.c: see csvguard.h. */
#include "csvguard.h"

#include <string.h>

/* Would a spreadsheet read s as a formula? */
static int formula(const char *s)
{
	static const char *const wide[] = {"\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d", "\xef\xbc\xa0"}; /* ＝＋－＠ */

	if (*s == '\t' || *s == '\r')
		return 1;
	while (*s == ' ')
		s++;
	if (*s && strchr("=+-@", *s))
		return 1;
	for (int i = 0; i < 4; i++)
		if (!strncmp(s, wide[i], 3))
			return 1;
	return 0;
}

int csv_guard_needed(const char *s)
{
	while (*s == '\'')
		s++;
	return formula(s);
}

int csv_guard_present(const char *s)
{
	return *s == '\'' && csv_guard_needed(s + 1);
}
