/**
 * The two ways a berth command fails, and their exit codes. Every command
 * throws one of these (or lets another error become a Failure); `main` in
 * cli.ts turns them into a message on stderr and the exit code.
 */

export const ExitCode = {
  /** The command did what was asked (for `play`: every pod Running/Ready or Succeeded). */
  Ok: 0,
  /** A runtime failure: berth could not do it, or (`play`) a pod failed or timed out; the message says why. */
  Failure: 1,
  /** A usage error: unknown command or flag, a missing or malformed argument. Nothing was done. */
  Usage: 2,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM, after cleaning up. */
  Interrupted: 130,
} as const;

/** A misuse of the command line. The message names the flag or argument. */
export class UsageError extends Error {
  /** The command whose help to point at (`berth <command> --help`). */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
