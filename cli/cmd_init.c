/* cmd_init.c: `kepu init`: create or upgrade the database. */
#include <stdio.h>

#include "options.h"

int cmd_init(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("init");
	struct store *st;
	struct kerr e;
	int ch;

	while ((ch = cli_getopt(cmd, argc, argv, ":h", opts)) != -1) {
		if (ch == 'h') {
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		}
		return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	kerr_clear(&e);
	if (cli_open_store(c, &st, &e) < 0)
		return cli_fail(&e);
	store_close(st);
	printf("%s: schema version %d\n", c->db_path, store_schema_version());
	return EXIT_OK;
}
