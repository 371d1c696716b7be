/* options.c: see options.h. */
#include "options.h"

#include <stdio.h>

int cli_getopt(const struct cli_command *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	int ch;

	opterr = 0;
	ch = getopt_long(argc, argv, shortopts, longopts, NULL); /* shortopts start with ':' */
	if (ch == ':') {
		cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		return '?';
	}
	if (ch == '?') {
		if (optopt > ' ' && optopt < 127)
			cli_usage_error(cmd, "unknown option '-%c'", optopt);
		else
			cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	return ch;
}
