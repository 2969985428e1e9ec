// SPDX-License-Identifier: MIT
// whk test, listen, replay and sign --curl against the Plivo receiver of
// app.mjs, which validates with the official plivo package, hosted by this
// process on a free loopback port with an Auth Token generated per run.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SANITIZER, processes, testEnv } from '../lib/whk-process.mjs';

if (!fs.existsSync(new URL('./node_modules/plivo', import.meta.url))) {
  throw new Error('tests/providers-plivo has no node_modules: run scripts/install-deps '
    + '(or npm ci in tests/providers-plivo)');
}
const { listen } = await import('./app.mjs');

const WHK = process.env.WHK;
const PUBLIC = 'https://hooks.example.com';
assert.ok(WHK, 'WHK must name the built whk executable');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-plivo-receiver-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const token = crypto.randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
const env = testEnv({
  ...process.env,
  PLIVO_AUTH_TOKEN: token,
  PUBLIC_URL: PUBLIC,
});
const { run, whk, startListen, stopListen } = processes(WHK, env, tmp);

const show = await whk(['show', 'plivo', '--json']);
assert.equal(show.status, 0, show.stderr);
const samples = show.report.samples.map((s) => s.name);
const receivers = await listen(env);
const RECEIVERS = `http://127.0.0.1:${receivers.address().port}`;
test.after(() => receivers.close());

function check(report, name) {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `no check named '${name}' in ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

function assertAllPassed(report) {
  for (const name of samples) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${name}: ${c.problems.join('; ')} ${c.cause || ''}`);
    assert.equal(c.status, 200, name);
  }
  for (const name of ['forged signature', 'missing signature']) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${name}: ${c.problems.join('; ')}`);
    assert.equal(c.status, 403, name);
  }
  assert.equal(report.checks.length, samples.length + 2);
  assert.equal(report.failed, 0);
}

test('plivo receiver passes whk test', async () => {
  const { status, stderr, report } = await whk(['test', '-p', 'plivo', '--target',
    `${RECEIVERS}/webhooks/plivo`, '--public-url', PUBLIC, '--json']);
  assert.equal(status, 0, `${stderr}\n${JSON.stringify(report, null, 2)}`);
  assertAllPassed(report);
});

test('receiver that validates nothing fails the forgery probes', async () => {
  const { status, report } = await whk(['test', '-p', 'plivo', '--target',
    `${RECEIVERS}/webhooks/plivo-unchecked`, '--public-url', PUBLIC, '--json']);
  assert.equal(status, 1);
  for (const name of ['forged signature', 'missing signature']) {
    const c = check(report, name);
    assert.equal(c.passed, false, name);
    assert.equal(c.status, 200, name);
  }
  for (const name of samples) assert.equal(check(report, name).passed, true, name);
});

test('receiver that validates the local URL rejects every sample', async () => {
  const { status, report } = await whk(['test', '-p', 'plivo', '--target',
    `${RECEIVERS}/webhooks/plivo-local`, '--public-url', PUBLIC, '--json']);
  assert.equal(status, 1);
  for (const name of samples) {
    const c = check(report, name);
    assert.equal(c.passed, false, name);
    assert.equal(c.status, 403, name);
  }
});

test('plivo through whk listen, then replayed', async () => {
  const capture = path.join(tmp, 'plivo.jsonl');
  const listener = await startListen(['-p', 'plivo', '--forward', RECEIVERS, '--public-url', PUBLIC,
    '--capture', capture, '--no-sync', '--quiet']);
  let result;
  try {
    result = await whk(['test', '-p', 'plivo', '--target',
      `http://127.0.0.1:${listener.port}/webhooks/plivo`, '--public-url', PUBLIC, '--json']);
  } finally {
    const stopped = await stopListen(listener);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.doesNotMatch(stopped.stderr, SANITIZER);
  }
  assert.equal(result.status, 0, `${result.stderr}\n${result.stdout}`);
  assertAllPassed(result.report);

  const records = fs.readFileSync(capture, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(records.length, 2 + samples.length);
  assert.equal(records[0].reason, 'mismatch');
  assert.equal(records[1].reason, 'missing_header');
  samples.forEach((name, i) => {
    const record = records[2 + i];
    assert.equal(record.verdict, 'valid', `${name}: ${record.reason}`);
    assert.match(record.key, /^[0-9a-f-]{36}$/, `${name} key`);
  });

  const replay = await whk(['replay', '--capture', capture, '--target', RECEIVERS, '--resign', '--json']);
  assert.equal(replay.status, 0, `${replay.stderr}\n${replay.stdout}`);
  assert.equal(replay.report.status, 200, replay.stdout);
});

test('whk listen stands in for the app', async () => {
  const listener = await startListen(['-p', 'plivo', '--public-url', PUBLIC, '--no-sync', '--quiet',
    '--capture', path.join(tmp, 'standin.jsonl')]);
  let result;
  try {
    result = await whk(['test', '-p', 'plivo', '--target',
      `http://127.0.0.1:${listener.port}/webhooks/plivo`, '--public-url', PUBLIC, '--json']);
  } finally {
    const stopped = await stopListen(listener);
    assert.equal(stopped.code, 0, stopped.stderr);
  }
  assert.equal(result.status, 0, `${result.stderr}\n${result.stdout}`);
  assert.equal(result.report.failed, 0);
});

// whk sign --curl prints a command; bash runs it against the receiver.
for (const [method, query, data] of [['POST', '?campaign=spring+sale&b=2', 'From=14155550123&To=14155550100&Text=Hi+%F0%9F%91%8B'],
  ['GET', '?CallUUID=4f1d7b2c&Event=Hangup&From=14155550123', '']]) {
  test(`whk sign --curl sends a ${method} callback the receiver accepts`, async () => {
    const args = ['sign', '-p', 'plivo', '-X', method, '--url', `${PUBLIC}/webhooks/plivo${query}`,
      '--data', data, '--curl', RECEIVERS];
    const signed = await whk(args);
    assert.equal(signed.status, 0, signed.stderr);
    const before = (await (await fetch(`${RECEIVERS}/stats`)).json()).plivo?.accepted ?? 0;
    const sent = await run('bash', ['-s'], {}, signed.stdout);
    assert.equal(sent.status, 0, sent.stderr);
    const after = (await (await fetch(`${RECEIVERS}/stats`)).json()).plivo.accepted;
    assert.equal(after, before + 1, signed.stdout);

    const forged = await whk(args, { PLIVO_AUTH_TOKEN: token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')) });
    const rejected = await run('bash', ['-s'], {}, forged.stdout.replace(/^curl /, 'curl -sS -o /dev/null -w "%{http_code}" '));
    assert.equal(rejected.stdout.trim(), '403', forged.stdout);
  });
}
