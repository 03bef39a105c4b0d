import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISABLED_PLUGINS, renderContainerdConfig, type ContainerdConfigOptions } from './containerd-config.ts';
import { findExecutable } from './find-executable.ts';

const opts: ContainerdConfigOptions = {
  root: '/data/containerd/root',
  state: '/data/containerd/state',
  socketPath: '/data/containerd/containerd.sock',
  sandboxImage: 'berth.local/pause:catatonit',
  cniBinDir: '/usr/lib/cni',
  cniConfDir: '/data/cni/net.d',
  runcPath: '/usr/sbin/runc',
};

test('renderContainerdConfig sets the settings berth depends on', () => {
  const toml = renderContainerdConfig(opts);
  assert.match(toml, /^version = 2$/m);
  assert.match(toml, /^root = "\/data\/containerd\/root"$/m);
  assert.match(toml, /^state = "\/data\/containerd\/state"$/m);
  assert.match(toml, /^\s+address = "\/data\/containerd\/containerd\.sock"$/m);
  assert.match(toml, /^\s+restrict_oom_score_adj = true$/m);
  assert.match(toml, /^\s+sandbox_image = "berth\.local\/pause:catatonit"$/m);
  assert.match(toml, /^\s+stream_server_address = "127\.0\.0\.1"$/m);
  assert.match(toml, /^\s+stream_server_port = "0"$/m);
  assert.match(toml, /^\s+runtime_type = "io\.containerd\.runc\.v2"$/m);
  assert.match(toml, /^\s+BinaryName = "\/usr\/sbin\/runc"$/m);
  assert.match(toml, /^\s+SystemdCgroup = false$/m);
  assert.match(toml, /^\s+Root = "\/data\/containerd\/state\/runc"$/m);
  assert.match(toml, /^\s+snapshotter = "overlayfs"$/m);
  assert.match(toml, /^\s+bin_dir = "\/usr\/lib\/cni"$/m);
  assert.match(toml, /^\s+conf_dir = "\/data\/cni\/net\.d"$/m);
});

test('renderContainerdConfig quotes paths so unusual characters stay valid TOML', () => {
  const toml = renderContainerdConfig({ ...opts, root: '/tmp/with "quote"\\x' });
  assert.match(toml, /^root = "\/tmp\/with \\"quote\\"\\\\x"$/m);
});

test('renderContainerdConfig uses the native snapshotter when asked', () => {
  assert.match(renderContainerdConfig({ ...opts, snapshotter: 'native' }), /^\s+snapshotter = "native"$/m);
});

test('containerd accepts the rendered config and reports our values back', { skip: !findExecutable('containerd', '/usr/bin:/usr/local/bin') }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cdcfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.toml');
  writeFileSync(file, renderContainerdConfig({ ...opts, root: join(dir, 'root'), state: join(dir, 'state') }));
  const dump = execFileSync('containerd', ['--config', file, 'config', 'dump'], { encoding: 'utf8' });
  assert.match(dump, /restrict_oom_score_adj = true/);
  assert.match(dump, /sandbox_image = "berth\.local\/pause:catatonit"/);
  assert.match(dump, /netns_mounts_under_state_dir = true/);
  assert.match(dump, /BinaryName = "\/usr\/sbin\/runc"/);
  assert.match(dump, new RegExp(`root = "${dir}/root"`));
  for (const p of DISABLED_PLUGINS) assert.ok(dump.includes(`"${p}"`), `${p} disabled`);
});
