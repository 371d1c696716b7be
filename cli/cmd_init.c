/* cmd_init.c: `kepu init`: create or upgrade the database. */
#include <stdio.h>

#include "cli.h"

static int cmd_init(struct cli *c, struct cli_args *a)
{
	(void)a;
	printf("%s: schema version %d\n", c->db_path, store_schema_version());
	return EXIT_OK;
}

const struct cli_command cli_init = {
	.name = "init",
	.summary = "create or upgrade the database",
	.about = "Create the database (or upgrade its schema to this version of kepu).\n",
	.needs = NEED_STORE,
	.run = cmd_init,
};
