// SPDX-License-Identifier: MIT
// whk test, listen and replay against the HubSpot and Mailgun receivers of
// app.mjs, hosted by this process on a free loopback port: the correct
// receivers pass whk test, and each broken one fails it with the cause
// named. Secrets are generated per run.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';

if (!fs.existsSync(new URL('./node_modules/@hubspot/api-client', import.meta.url))) {
  throw new Error('tests/providers-hubspot has no node_modules: run scripts/install-deps '
    + '(or npm ci in tests/providers-hubspot)');
}
const { listen } = await import('./app.mjs');

const WHK = process.env.WHK;
const PUBLIC = 'https://hooks.example.com';
const SANITIZER = /Sanitizer|runtime error:/;
assert.ok(WHK, 'WHK must name the built whk executable');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-receivers-hubspot-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const env = {
  ...process.env,
  HUBSPOT_CLIENT_SECRET: crypto.randomUUID(),
  MAILGUN_WEBHOOK_SIGNING_KEY: `${crypto.randomBytes(16).toString('hex')}-${crypto.randomBytes(4).toString('hex')}`,
  // Under -DWHK_SANITIZE=ON a sanitizer report must not pass as exit 1 or 2.
  ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'exitcode=86',
  LSAN_OPTIONS: process.env.LSAN_OPTIONS || 'exitcode=86',
  UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'exitcode=86:print_stacktrace=1',
};

// Runs whk and resolves with status, stdout, stderr and, for --json, report.
function whk(args) {
  return new Promise((resolve, reject) => {
    execFile(WHK, args, { env, cwd: tmp, timeout: 60000 }, (error, stdout, stderr) => {
      if (SANITIZER.test(stderr)) {
        reject(new Error(`sanitizer report from whk ${args.join(' ')}:\n${stderr}`));
        return;
      }
      const result = { status: error ? error.code : 0, stdout, stderr };
      if (args.includes('--json') && stdout.trim().startsWith('{')) result.report = JSON.parse(stdout);
      resolve(result);
    });
  });
}

// Starts whk listen on a free port and resolves once its banner names it.
function startListen(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(WHK, ['listen', '--port', '0', ...args], { env, cwd: tmp });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`whk listen did not start: ${stderr}`)); }, 10000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match && !child.port) {
        child.port = Number(match[1]);
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.output = () => ({ stdout, stderr });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!child.port) reject(new Error(`whk listen exited ${code}: ${stderr}`));
    });
  });
}

function stopListen(child) {
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const { stdout, stderr } = child.output();
      if (SANITIZER.test(stderr)) reject(new Error(`sanitizer report from whk listen:\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
    child.kill('SIGTERM');
  });
}

const receivers = await listen(env);
const RECEIVERS = `http://127.0.0.1:${receivers.address().port}`;
test.after(() => receivers.close());

const declarations = {};
for (const provider of ['hubspot', 'mailgun']) {
  const show = await whk(['show', provider, '--json']);
  assert.equal(show.status, 0, show.stderr);
  declarations[provider] = show.report;
}

function check(report, name) {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `no check named '${name}' in ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

function assertAllPassed(provider, report, probes) {
  const samples = declarations[provider].samples.map((s) => s.name);
  for (const name of samples) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${provider} ${name}: ${c.problems.join('; ')} ${c.cause || ''}`);
    assert.equal(c.status, 200, `${provider} ${name}`);
  }
  for (const name of probes) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${provider} ${name}: ${c.problems.join('; ')}`);
    assert.equal(c.summary, 'rejected', `${provider} ${name} was not sent: ${c.summary}`);
    assert.ok(c.status >= 400, `${provider} ${name}: status ${c.status}`);
    assert.ok(c.status <= 499, `${provider} ${name}: status ${c.status}`);
  }
  assert.equal(report.checks.length, samples.length + probes.length);
  assert.equal(report.failed, 0);
}

const HUBSPOT_PROBES = ['forged signature', 'missing signature', 'stale timestamp'];
const MAILGUN_PROBES = ['forged signature', 'missing signature'];

test('hubspot receiver passes whk test', async () => {
  const { status, stderr, report } = await whk(['test', '-p', 'hubspot', '--target',
    `${RECEIVERS}/webhooks/hubspot`, '--public-url', PUBLIC, '--json']);
  assert.equal(status, 0, `${stderr}\n${JSON.stringify(report, null, 2)}`);
  assertAllPassed('hubspot', report, HUBSPOT_PROBES);
});

test('hubspot receiver passes with escapes in the URL', async () => {
  const { status, stderr, report } = await whk(['test', '-p', 'hubspot', '--target',
    `${RECEIVERS}/webhooks/hubspot?app=crm%3Async&at=ops%40example.com`, '--public-url', PUBLIC,
    '--json']);
  assert.equal(status, 0, `${stderr}\n${JSON.stringify(report, null, 2)}`);
  assertAllPassed('hubspot', report, HUBSPOT_PROBES);
});

test('hubspot receiver hashing the undecoded URL fails', async () => {
  const { status, report } = await whk(['test', '-p', 'hubspot', '--target',
    `${RECEIVERS}/webhooks/hubspot-undecoded?app=crm%3Async`, '--public-url', PUBLIC, '--json']);
  assert.equal(status, 1);
  for (const { name } of declarations.hubspot.samples) {
    const c = check(report, name);
    assert.equal(c.passed, false, name);
    assert.equal(c.status, 401, name);
  }
  // Without an escape in the URL, the same receiver passes.
  const plain = await whk(['test', '-p', 'hubspot', '--target',
    `${RECEIVERS}/webhooks/hubspot-undecoded?app=crm`, '--public-url', PUBLIC, '--json']);
  assert.equal(plain.status, 0, plain.stdout);
});

test('hubspot receiver verifying re-serialized JSON is diagnosed', async () => {
  const { status, report } = await whk(['test', '-p', 'hubspot', '--target',
    `${RECEIVERS}/webhooks/hubspot-parsed`, '--public-url', PUBLIC, '--json']);
  assert.equal(status, 1);
  // The second sample has a \u00eb escape that JSON.stringify() writes as the character.
  const c = check(report, 'contact-property-change');
  assert.equal(c.passed, false);
  assert.equal(c.status, 401);
  assert.match(c.cause, /re-serialized as JSON\.stringify\(\) writes it/);
});

test('mailgun receiver passes whk test', async () => {
  const { status, stderr, report } = await whk(['test', '-p', 'mailgun', '--target',
    `${RECEIVERS}/webhooks/mailgun`, '--json']);
  assert.equal(status, 0, `${stderr}\n${JSON.stringify(report, null, 2)}`);
  assertAllPassed('mailgun', report, MAILGUN_PROBES);
});

test('mailgun receiver passes the stale probe with --tolerance', async () => {
  const { status, stderr, report } = await whk(['test', '-p', 'mailgun', '--target',
    `${RECEIVERS}/webhooks/mailgun`, '--tolerance', '300', '--json']);
  assert.equal(status, 0, `${stderr}\n${JSON.stringify(report, null, 2)}`);
  assertAllPassed('mailgun', report, [...MAILGUN_PROBES, 'stale timestamp']);
});

test('mailgun receiver without a timestamp check fails the stale probe', async () => {
  const { status, report } = await whk(['test', '-p', 'mailgun', '--target',
    `${RECEIVERS}/webhooks/mailgun-any-age`, '--tolerance', '300', '--json']);
  assert.equal(status, 1);
  assert.equal(report.failed, 1);
  const stale = check(report, 'stale timestamp');
  assert.equal(stale.status, 200);
  assert.match(stale.problems[0], /^the endpoint accepts replayed requests: it answered 200 to a request signed 3900 s ago/);
});

test('mailgun receiver reading a header fails every sample', async () => {
  const { status, report } = await whk(['test', '-p', 'mailgun', '--target',
    `${RECEIVERS}/webhooks/mailgun-header`, '--json']);
  assert.equal(status, 1);
  for (const { name } of declarations.mailgun.samples) {
    const c = check(report, name);
    assert.equal(c.passed, false, name);
    assert.equal(c.status, 406, name);
  }
});

test('mailgun receiver without a check accepts the probes', async () => {
  const { status, report } = await whk(['test', '-p', 'mailgun', '--target',
    `${RECEIVERS}/webhooks/mailgun-no-check`, '--json']);
  assert.equal(status, 1);
  const forged = check(report, 'forged signature');
  assert.equal(forged.passed, false);
  assert.match(forged.problems[0], /^the endpoint accepted a forged request: it answered 200 to a request with a signature made with another secret/);
  const missing = check(report, 'missing signature');
  assert.equal(missing.passed, false);
  assert.match(missing.problems[0], /with no signature in its body$/);
});

// The idempotency key each sample's capture record carries.
function expectedKey(provider, record) {
  if (provider === 'hubspot') return String(JSON.parse(record.body)[0].eventId);
  if (record.body.startsWith('{')) return JSON.parse(record.body).signature.token;
  return new URLSearchParams(record.body).get('token');
}

for (const [provider, reasons] of [['hubspot', ['mismatch', 'missing_header', 'timestamp_too_old']],
  ['mailgun', ['mismatch', 'missing_header']]]) {
  test(`${provider} through whk listen, then replayed`, async () => {
    const capture = path.join(tmp, `${provider}.jsonl`);
    const listener = await startListen(['-p', provider, '--forward', RECEIVERS, '--public-url', PUBLIC,
      '--capture', capture, '--no-sync', '--quiet']);
    let result;
    try {
      result = await whk(['test', '-p', provider, '--target',
        `http://127.0.0.1:${listener.port}/webhooks/${provider}`, '--public-url', PUBLIC, '--json']);
    } finally {
      const stopped = await stopListen(listener);
      assert.equal(stopped.code, 0, stopped.stderr);
    }
    assert.equal(result.status, 0, `${result.stderr}\n${result.stdout}`);

    // Probes come first, each rejected by whk listen for its reason.
    const records = fs.readFileSync(capture, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const samples = declarations[provider].samples;
    assert.equal(records.length, reasons.length + samples.length);
    reasons.forEach((reason, i) => {
      assert.equal(records[i].verdict, 'invalid', `probe ${i}`);
      assert.equal(records[i].reason, reason, `probe ${i}`);
    });
    samples.forEach((sample, i) => {
      const record = records[reasons.length + i];
      assert.equal(record.verdict, 'valid', `${sample.name}: ${record.reason}`);
      assert.equal(record.key, expectedKey(provider, record), `${sample.name} key`);
    });

    // Re-signed now, with a new Mailgun token, the receiver accepts it again.
    const replay = await whk(['replay', '--capture', capture, '--target', RECEIVERS, '--resign', '--json']);
    assert.equal(replay.status, 0, `${replay.stderr}\n${replay.stdout}`);
    assert.equal(replay.report.resigned, true);
    assert.equal(replay.report.status, 200, replay.stdout);
  });
}
