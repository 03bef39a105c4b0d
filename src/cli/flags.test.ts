import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from './cli-errors.ts';
import { apiPort, parseDuration, parseFlags, parsePort, wantsHelp } from './flags.ts';

describe('parseFlags', () => {
  it('parseFlags names an unknown flag and the command', () => {
    assert.throws(() => parseFlags('down', ['--purgee'], { purge: { type: 'boolean' } }), new UsageError('unknown flag "--purgee" for "berth down"', 'down'));
  });

  it('parseFlags says which flag lacks its value', () => {
    assert.throws(() => parseFlags('play', ['-f'], { filename: { type: 'string', short: 'f' } }), /flag "--filename" needs a value/);
  });

  it('parseFlags rejects arguments a command does not take', () => {
    assert.throws(() => parseFlags('doctor', ['extra'], {}), /"berth doctor" takes no arguments, got "extra"/);
  });

  it('parseFlags rejects a value for a boolean flag', () => {
    assert.throws(() => parseFlags('play', ['--keep=yes'], { keep: { type: 'boolean' } }), /flag "--keep" takes no value/);
  });
});

describe('flag values', () => {
  it('parseDuration reads Go durations and bare seconds', () => {
    assert.equal(parseDuration('90s', '--timeout', 'play'), 90_000);
    assert.equal(parseDuration('1m30s', '--timeout', 'play'), 90_000);
    assert.equal(parseDuration('500ms', '--timeout', 'play'), 500);
    assert.equal(parseDuration('2', '--timeout', 'play'), 2000);
    assert.throws(() => parseDuration('5 minutes', '--timeout', 'play'), /invalid value "5 minutes" for --timeout: use a duration such as 90s/);
  });

  it('parsePort accepts 0 to 65535 only', () => {
    assert.equal(parsePort('0', '--port', 'serve'), 0);
    assert.throws(() => parsePort('65536', '--port', 'serve'), /--port must be a number from 0 to 65535, not "65536"/);
    assert.throws(() => parsePort('http', '--port', 'serve'), UsageError);
  });

  it('apiPort takes --port, else $BERTH_PORT, else 6443, and names the source of a bad value', (t) => {
    const saved = process.env.BERTH_PORT;
    t.after(() => (saved === undefined ? delete process.env.BERTH_PORT : (process.env.BERTH_PORT = saved)));
    delete process.env.BERTH_PORT;
    assert.equal(apiPort(undefined, 'serve'), 6443);
    process.env.BERTH_PORT = '7443';
    assert.equal(apiPort(undefined, 'serve'), 7443);
    assert.equal(apiPort('0', 'serve'), 0);
    process.env.BERTH_PORT = 'x';
    assert.throws(() => apiPort(undefined, 'doctor'), new UsageError('BERTH_PORT must be a number from 0 to 65535, not "x"', 'doctor'));
    assert.throws(() => apiPort('70000', 'serve'), new UsageError('--port must be a number from 0 to 65535, not "70000"', 'serve'));
  });

  it('wantsHelp finds --help before a double dash only', () => {
    assert.equal(wantsHelp(['-f', 'x', '--help']), true);
    assert.equal(wantsHelp(['--', '--help']), false);
  });
});
