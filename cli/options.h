/*
 * options.h: getopt_long with kepu's error messages: an unknown option or
 * a missing value prints the command's usage and makes the exit status 2.
 */
#ifndef KEPU_CLI_OPTIONS_H
#define KEPU_CLI_OPTIONS_H

#include <getopt.h>

#include "cli.h"

/* Like getopt_long; returns 'h' for -h/--help (the caller prints
 * cmd->usage), '?' after printing a usage error. */
int cli_getopt(const struct cli_command *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

#endif
