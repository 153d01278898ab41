/* cli.h - the subcommands of the labyrinth command.  Each takes its own
 * argv (argv[0] is the subcommand's name) and returns the exit status of
 * shared/spec/cli.md: 0 success, 1 a failed check, 2 bad input, 4 deadlock. */
#ifndef LABYRINTH_CLI_H
#define LABYRINTH_CLI_H

enum {
	EXIT_OK = 0,
	EXIT_CHECK_FAILED = 1,
	EXIT_BAD_INPUT = 2,
	EXIT_DEADLOCK = 4,
};

int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif
