/**
 * `berth doctor`: checks every prerequisite on this machine and prints one
 * line per check; exit 1 when any check fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { defaultDataDir, projectRoot } from '../paths.ts';
import { DEFAULT_CNI_BIN_DIR, defaultSearchPath } from '../containerd/prerequisites.ts';
import { ExitCode } from './cli-errors.ts';
import { runChecks, type DoctorEnv, type Finding } from './doctor-checks.ts';
import { apiPort, parseFlags } from './flags.ts';
import { LocalNode } from './local-node.ts';

export const doctorHelp = `Usage: berth doctor [--data-dir DIR] [--port N]

Checks what berth needs on this machine and says exactly what to install or
change: Node.js 24, root and its capabilities, containerd, runc, the CNI
plugins, iptables (for hostPort), cgroups and their controllers, the overlay
file system, the API server port, free disk space for DIR, kubectl and the
seed images. Each line starts with ok, warn (berth runs, something will
not work as expected) or FAIL (berth cannot run pods until it is fixed).

Exit code: 0 when nothing FAILs, 1 otherwise.

Flags:
  --data-dir DIR   the data directory to check space for (default: $BERTH_DATA_DIR, else ${defaultDataDir()})
  --port N         the API server port to check (default: $BERTH_PORT, else 6443)
`;

function portState(port: number, node: LocalNode): Promise<DoctorEnv['portState']> {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.once('error', () => {
      const pid = node.servePid();
      let berthPort: number | undefined;
      try {
        berthPort = Number(/server:\s*https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(node.kubeconfigPath, 'utf8'))?.[1]);
      } catch {
        berthPort = undefined;
      }
      resolvePromise(pid !== undefined && berthPort === port ? { state: 'berth', pid } : { state: 'busy' });
    });
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => srv.close(() => resolvePromise({ state: 'free' })));
  });
}

function freeBytes(path: string): number | undefined {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    const s = statfsSync(p);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

export async function machineEnv(dataDir: string, port: number): Promise<DoctorEnv> {
  const node = new LocalNode(dataDir);
  return {
    uid: process.getuid?.(),
    nodeVersion: process.version,
    searchPath: defaultSearchPath(),
    userPath: process.env.PATH ?? '',
    cniBinDir: DEFAULT_CNI_BIN_DIR,
    readFile: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (p) => {
      try {
        return readdirSync(p).sort();
      } catch {
        return [];
      }
    },
    freeBytes,
    run: (cmd, args) => {
      try {
        return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return undefined;
      }
    },
    dataDir: node.dataDir,
    projectRoot,
    port,
    portState: await portState(port, node),
    servePid: node.servePid(),
  };
}

const LABEL: Record<Finding['level'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

export async function doctor(argv: string[]): Promise<number> {
  const { values } = parseFlags('doctor', argv, { 'data-dir': { type: 'string' }, port: { type: 'string' } });
  const port = apiPort(values.port, 'doctor');
  const findings = runChecks(await machineEnv(values['data-dir'] ?? defaultDataDir(), port));
  for (const f of findings) process.stdout.write(`${LABEL[f.level]}  ${f.text}\n`);
  const fails = findings.filter((f) => f.level === 'fail').length;
  const warns = findings.filter((f) => f.level === 'warn').length;
  if (fails) {
    process.stdout.write(`\n${fails} problem${fails === 1 ? '' : 's'}: berth cannot run pods until ${fails === 1 ? 'it is' : 'they are'} fixed.\n`);
    return ExitCode.Failure;
  }
  process.stdout.write(`\nberth can run pods on this machine${warns ? ` (${warns} warning${warns === 1 ? '' : 's'} above)` : ''}.\n`);
  return ExitCode.Ok;
}
