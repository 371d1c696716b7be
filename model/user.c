/* user.c: the roles of an account and the rule for user names. */
#include "user.h"

#include <stdint.h>
#include <string.h>

#include "../util/utf8.h"

const struct role_def role_defs[ROLE_N] = {
	[ROLE_VIEWER] = {"viewer", "浏览"},
	[ROLE_DISTRICT] = {"district", "区县"},
	[ROLE_REVIEWER] = {"reviewer", "审核"},
	[ROLE_ADMIN] = {"admin", "管理员"},
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_N ? role_defs[r].id : "?";
}

const char *role_label(enum role r)
{
	return (unsigned)r < ROLE_N ? role_defs[r].label : "?";
}

int role_parse(const char *s)
{
	for (int i = 0; s && i < ROLE_N; i++)
		if (!strcmp(s, role_defs[i].id))
			return i;
	return -1;
}

int user_name_check(const char *name, struct kerr *e)
{
	size_t n = name ? strlen(name) : 0, chars = 0;

	if (!n)
		return kerr_set(e, KERR_USAGE, "a user name cannot be empty");
	if (n > USER_NAME_MAX_BYTES || utf8_invalid_at(name, n) >= 0)
		return kerr_set(e, KERR_USAGE, "a user name must be valid UTF-8 of at most %d characters",
				USER_NAME_MAX_CHARS);
	for (size_t i = 0; i < n;) {
		uint32_t cp;

		i += (size_t)utf8_decode((const unsigned char *)name + i, &cp);
		chars++;
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return kerr_set(e, KERR_USAGE, "a user name cannot contain control characters");
		if (cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0xFEFF)
			return kerr_set(e, KERR_USAGE, "a user name cannot contain spaces");
		if (cp == ':')
			return kerr_set(e, KERR_USAGE, "a user name cannot contain ':'");
	}
	if (chars > USER_NAME_MAX_CHARS)
		return kerr_set(e, KERR_USAGE, "a user name has at most %d characters", USER_NAME_MAX_CHARS);
	return 0;
}
