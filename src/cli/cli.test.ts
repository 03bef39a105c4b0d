import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from './cli.ts';

/** Runs `berth …` in this process, capturing what it writes. */
async function berth(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const COMMANDS = ['play', 'serve', 'kubeconfig', 'images', 'doctor', 'down'];

describe('berth help', () => {
  it('berth --help lists every command and the exit codes', async () => {
    const r = await berth('--help');
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} +\\S`, 'm'));
    assert.match(r.stdout, /Exit codes: 0 success; 1 failure .*; 2 usage error; 130 interrupted\./s);
    assert.equal((await berth()).stdout, r.stdout);
  });

  it('berth <command> --help and berth help <command> print the command\'s usage', async () => {
    for (const c of COMMANDS) {
      const h = await berth(c, '--help');
      assert.equal(h.code, 0, c);
      assert.match(h.stdout, new RegExp(`^Usage: berth ${c}`), c);
      assert.equal((await berth('help', c)).stdout, h.stdout, c);
      assert.equal((await berth(c, '-f', 'x', '-h')).stdout, h.stdout, `${c}: -h anywhere`);
    }
  });
});

describe('berth misuse', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /^berth: unknown command "frobnicate" \(commands: play, serve, kubeconfig, images, doctor, down\)\nRun "berth --help" for usage\.\n$/],
    [['help', 'frobnicate'], /unknown command "frobnicate"/],
    [['serve', '--port', '70000'], /--port must be a number from 0 to 65535, not "70000"\nRun "berth serve --help" for usage\./],
    [['serve', '--detach', '--verbose'], /--verbose goes with the foreground mode/],
    [['serve', '--data-dir='], /--data-dir must not be empty/],
    [['kubeconfig', '--use'], /--use goes with --merge/],
    [['kubeconfig', '--path', '--merge'], /--path and --merge exclude each other/],
    [['kubeconfig', '--merge', '--context', 'no spaces'], /--context "no spaces" is not a usable name/],
    [['images', 'load'], /"berth images load" needs at least one image archive/],
    [['images', 'load', '/nonexistent.tar'], /image archive "\/nonexistent\.tar" does not exist or is not a file/],
    [['images', 'pull'], /"berth images pull" needs exactly one image reference/],
    [['images', 'pull', 'x', '--creds', 'nocolon'], /--creds must be USER:PASSWORD/],
    [['images', 'push', 'x'], /unknown subcommand "push" for "berth images" \(list, load, pull, rm\)/],
    [['images', 'list', '--creds', 'a:b'], /--creds goes with "berth images pull"/],
    [['down', '--grace-period', 'soon'], /--grace-period must be a whole number of seconds, not "soon"/],
    [['down', '--timeout', '1 minute'], /invalid value "1 minute" for --timeout/],
    [['doctor', 'now'], /"berth doctor" takes no arguments, got "now"/],
    [['doctor', '--port'], /flag "--port" needs a value/],
    [['play'], /no manifests: pass at least one with -f FILE\nRun "berth play --help" for usage\./],
    [['play', 'pod.yaml'], /unexpected argument "pod\.yaml": manifests are passed with -f FILE/],
    [['play', '-f', 'x.yaml', '--timeout', '0s'], /--timeout must be longer than 0s/],
    [['play', '-f', 'x.yaml', '--context', 'c', '--ephemeral'], /--context goes with a kubeconfig, not --ephemeral/],
  ];
  for (const [argv, re] of cases) {
    it(`berth ${argv.join(' ')} exits 2 and says why`, async () => {
      const r = await berth(...argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    });
  }
});
