/**
 * cli — berth's commands: parsing, help, and exit codes.
 *
 * Exit codes: 0 success; 1 a runtime failure (berth could not do what was
 * asked, the message says why); 2 a usage error (unknown command or flag).
 */
import { serve, serveHelp } from './serve.ts';

export const ExitCode = { Ok: 0, Failure: 1, Usage: 2 } as const;

const help = `berth — run Kubernetes pods on this machine, driven by the real kubectl.

Usage: berth <command> [flags]

Commands:
  serve      run the node in the foreground (API server, node agent, containerd)

Run "berth <command> --help" for a command's flags.
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(help);
        return ExitCode.Ok;
      case 'serve':
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(serveHelp);
          return ExitCode.Ok;
        }
        return await serve(rest);
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`berth: ${err.message}\nRun "berth --help" for usage.\n`);
      return ExitCode.Usage;
    }
    process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.Failure;
  }
}
