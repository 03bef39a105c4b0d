/**
 * cli — the `berth` command: dispatch, help, and exit codes.
 *
 * Owns: the command table below, `--help` for every command, turning
 * errors into one message on stderr and an exit code (cli-errors.ts):
 *   0    success (for play: every pod reached its outcome)
 *   1    failure: berth could not do it, or a pod failed; the message says why
 *   2    usage error: unknown command or flag, bad or missing argument
 *   130  interrupted by Ctrl-C
 * Each command lives in its own file (serve.ts, play/, kubeconfig-command.ts,
 * doctor.ts with doctor-checks.ts, images.ts, down.ts), loaded on use; flags.ts
 * parses flags for all of them. Commands reach a node from outside through
 * local-node.ts (its data directory and processes), kube/ (its API, as
 * kubectl would), node-runtime.ts (its containerd), detached-serve.ts
 * (starting one in the background) and node-teardown.ts (stopping and
 * removing one).
 *
 * Does not own: the node itself (main.ts wires it; `serve` runs it).
 * State: none. Timers: none (commands own theirs).
 */
import { ExitCode, UsageError } from './cli-errors.ts';
import { wantsHelp } from './flags.ts';

interface Command {
  summary: string;
  /** Loaded on use: most commands pull in much of berth, `berth --help` needs none of it. */
  load: () => Promise<{ help: string; run: (argv: string[]) => Promise<number> }>;
}

const commands: Record<string, Command> = {
  play: {
    summary: 'apply manifests to a node, show them run, exit with their outcome',
    load: async () => import('./play/play.ts').then((m) => ({ help: m.playHelp, run: m.play })),
  },
  serve: {
    summary: 'run the node (API server, node agent, containerd); -d in the background',
    load: async () => import('./serve.ts').then((m) => ({ help: m.serveHelp, run: m.serve })),
  },
  kubeconfig: {
    summary: "print the node's kubeconfig, or merge it into ~/.kube/config",
    load: async () => import('./kubeconfig-command.ts').then((m) => ({ help: m.kubeconfigHelp, run: m.kubeconfigCommand })),
  },
  images: {
    summary: "list, load, pull and remove the node's images",
    load: async () => import('./images.ts').then((m) => ({ help: m.imagesHelp, run: m.images })),
  },
  doctor: {
    summary: 'check this machine for what berth needs, and say how to fix what is missing',
    load: async () => import('./doctor.ts').then((m) => ({ help: m.doctorHelp, run: m.doctor })),
  },
  down: {
    summary: 'stop every pod, berth and containerd; --purge also removes all state',
    load: async () => import('./down.ts').then((m) => ({ help: m.downHelp, run: m.down })),
  },
};

const help = `berth — run Kubernetes pods on this machine, driven by the real kubectl.

Usage: berth <command> [flags]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(11)}${c.summary}`)
  .join('\n')}

Exit codes: 0 success; 1 failure (the message says why; for play, a pod
failed or timed out); 2 usage error; 130 interrupted.

Run "berth <command> --help" for a command's flags.
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      if (cmd === 'help' && rest[0]) {
        const c = Object.hasOwn(commands, rest[0]) ? commands[rest[0]] : undefined;
        if (!c) throw new UsageError(`unknown command "${rest[0]}"`);
        process.stdout.write((await c.load()).help);
        return ExitCode.Ok;
      }
      process.stdout.write(help);
      return ExitCode.Ok;
    }
    const c = Object.hasOwn(commands, cmd) ? commands[cmd] : undefined;
    if (!c) throw new UsageError(`unknown command "${cmd}"${cmd.startsWith('-') ? '' : ` (commands: ${Object.keys(commands).join(', ')})`}`);
    const loaded = await c.load();
    if (wantsHelp(rest)) {
      process.stdout.write(loaded.help);
      return ExitCode.Ok;
    }
    return await loaded.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      const where = err.command ? `berth ${err.command} --help` : 'berth --help';
      process.stderr.write(`berth: ${err.message}\nRun "${where}" for usage.\n`);
      return ExitCode.Usage;
    }
    process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.Failure;
  }
}
