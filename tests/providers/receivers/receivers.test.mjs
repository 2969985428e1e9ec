// SPDX-License-Identifier: MIT
// whk test, listen and replay against receivers that validate with each
// provider's official npm package (app.mjs), hosted by this process on a
// free loopback port. Secrets and key pairs are generated per run. The
// receivers of Discord and SendGrid get the public half of a key pair, and
// whk signs with the private key in a PEM file. What each provider sends,
// expects and tolerates comes from 'whk show PROVIDER --json'.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';

if (!fs.existsSync(new URL('../node_modules/express', import.meta.url))) {
  throw new Error('tests/providers has no node_modules: run scripts/install-deps '
    + '(or npm ci in tests/providers)');
}
const { listen } = await import('./app.mjs');

const WHK = process.env.WHK;
const PUBLIC = 'https://hooks.example.com';
const SANITIZER = /Sanitizer|runtime error:/;
const PROVIDERS = ['stripe', 'github', 'slack', 'shopify', 'standardwebhooks', 'svix',
  'sendgrid', 'discord', 'paddle'];

assert.ok(WHK, 'WHK must name the built whk executable');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-receivers-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const hex = (n) => crypto.randomBytes(n).toString('hex');
const base64 = (n) => crypto.randomBytes(n).toString('base64');

// A key pair: the public key in the dashboard's form, the private key in PEM.
function keyPair(type) {
  const { privateKey, publicKey } = type === 'ec'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyFile = path.join(tmp, `${type}.pem`);
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { keyFile, dashboard: type === 'ec' ? der.toString('base64') : der.subarray(-32).toString('hex') };
}

const discordKey = keyPair('ed25519');
const sendgridKey = keyPair('ec');
// Each provider's usual variable, read by the receivers and by whk.
const secrets = {
  STRIPE_WEBHOOK_SECRET: `whsec_${base64(24).replace(/[+/=]/g, 'x')}`,
  GITHUB_WEBHOOK_SECRET: hex(20),
  SLACK_SIGNING_SECRET: hex(16),
  SHOPIFY_API_SECRET: `shpss_${hex(16)}`,
  // 32 bytes end in "=" padding, so the forged secret cannot simply change
  // the last character.
  WEBHOOK_SECRET: `whsec_${base64(32)}`,
  SVIX_WEBHOOK_SECRET: `whsec_${base64(24)}`,
  PADDLE_WEBHOOK_SECRET: `pdl_ntfset_01${hex(13)}_${base64(24).replace(/[+/=]/g, 'y')}`,
  DISCORD_PUBLIC_KEY: discordKey.dashboard,
  SENDGRID_WEBHOOK_VERIFICATION_KEY: sendgridKey.dashboard,
};
const keyFiles = { discord: discordKey.keyFile, sendgrid: sendgridKey.keyFile };
const env = {
  ...process.env,
  ...secrets,
  // Under -DWHK_SANITIZE=ON a sanitizer report must not pass as exit 1 or 2.
  ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'exitcode=86',
  LSAN_OPTIONS: process.env.LSAN_OPTIONS || 'exitcode=86',
  UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'exitcode=86:print_stacktrace=1',
};

// Runs whk and resolves with status, stdout, stderr and, for --json, report.
function whk(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    execFile(WHK, args, { env: { ...env, ...extraEnv }, cwd: tmp, timeout: 60000 },
      (error, stdout, stderr) => {
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

const declarations = {};
for (const provider of PROVIDERS) {
  const show = await whk(['show', provider, '--json']);
  assert.equal(show.status, 0, show.stderr);
  declarations[provider] = show.report;
}
const receivers = await listen(env);
const RECEIVERS = `http://127.0.0.1:${receivers.address().port}`;
test.after(() => receivers.close());

// The options that give whk the signing secret or key.
const signingArgs = (provider) => (keyFiles[provider] ? ['--key-file', keyFiles[provider]] : []);

function check(report, name) {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `no check named '${name}' in ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

// The probes whk test must send: a stale timestamp only with a tolerance.
function probeNames(provider, tolerance) {
  const names = ['forged signature', 'missing signature'];
  if ((tolerance ?? declarations[provider].tolerance_seconds) > 0) names.push('stale timestamp');
  return names;
}

// The checks of the endpoint challenges the provider declares: the
// challenge itself, and a forged copy where a status is due for it.
function challengeNames(provider) {
  return (declarations[provider].challenges ?? []).flatMap((c) =>
    (c.invalid_status ? [`challenge ${c.name}`, `challenge ${c.name}, forged`] : [`challenge ${c.name}`]));
}

function assertAllPassed(provider, report) {
  const samples = declarations[provider].samples.map((s) => s.name);
  for (const name of samples) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${provider} ${name}: ${c.problems.join('; ')} ${c.cause || ''}`);
    assert.ok(c.status >= 200, `${provider} ${name}: status ${c.status}`);
    assert.ok(c.status <= 299, `${provider} ${name}: status ${c.status}`);
  }
  for (const name of probeNames(provider)) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${provider} ${name}: ${c.problems.join('; ')}`);
    assert.equal(c.summary, 'rejected', `${provider} ${name} was not sent: ${c.summary}`);
    assert.ok(c.status >= 400, `${provider} ${name}: status ${c.status}`);
    assert.ok(c.status <= 499, `${provider} ${name}: status ${c.status}`);
  }
  for (const name of challengeNames(provider)) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${provider} ${name}: ${c.problems.join('; ')}`);
  }
  assert.equal(report.checks.length,
    samples.length + probeNames(provider).length + challengeNames(provider).length);
  assert.equal(report.failed, 0);
}

for (const provider of PROVIDERS) {
  test(`${provider} receiver passes whk test`, async () => {
    const { status, stderr, report } = await whk(['test', '-p', provider, '--target',
      `${RECEIVERS}/webhooks/${provider}`, '--public-url', PUBLIC, '--json', ...signingArgs(provider)]);

    assert.equal(status, 0, `${stderr}\n${JSON.stringify(report, null, 2)}`);
    assertAllPassed(provider, report);
  });
}

// Which idempotency keys each sample's capture record must carry.
function expectedKey(provider, sample) {
  const { body, headers = [] } = sample;
  const header = (name) => headers.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1).trim()])
    .find(([n]) => n.toLowerCase() === name)?.[1];
  switch (provider) {
    case 'github': return header('x-github-delivery');
    case 'shopify': return header('x-shopify-webhook-id');
    case 'sendgrid': return JSON.parse(body)[0].sg_event_id;
    case 'slack': return body.startsWith('{') ? JSON.parse(body).event_id : new URLSearchParams(body).get('trigger_id');
    case 'paddle': return JSON.parse(body).event_id;
    case 'standardwebhooks': case 'svix': return undefined; // a new webhook-id per signature
    default: return JSON.parse(body).id;
  }
}

for (const provider of PROVIDERS) {
  test(`${provider} through whk listen, then replayed`, async () => {
    const capture = path.join(tmp, `${provider}.jsonl`);
    const listener = await startListen(['-p', provider, '--forward', RECEIVERS, '--public-url', PUBLIC,
      '--capture', capture, '--no-sync', '--quiet']);
    let result;
    try {
      result = await whk(['test', '-p', provider, '--target', `http://127.0.0.1:${listener.port}/webhooks/${provider}`,
        '--public-url', PUBLIC, '--json', ...signingArgs(provider)]);
    } finally {
      const stopped = await stopListen(listener);
      assert.equal(stopped.code, 0, stopped.stderr);
    }
    assert.equal(result.status, 0, `${result.stderr}\n${result.stdout}`);
    assertAllPassed(provider, result.report);

    // Probes are sent first and rejected by whk listen, each for its
    // reason, and the challenges come last.
    const records = fs.readFileSync(capture, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const reasons = ['mismatch', 'missing_header'];
    if (declarations[provider].tolerance_seconds > 0) reasons.push('timestamp_too_old');
    const samples = declarations[provider].samples;
    assert.equal(records.length, reasons.length + samples.length + challengeNames(provider).length);
    reasons.forEach((reason, i) => {
      assert.equal(records[i].verdict, 'invalid', `probe ${i}`);
      assert.equal(records[i].reason, reason, `probe ${i}`);
    });
    samples.forEach((sample, i) => {
      const record = records[reasons.length + i];
      assert.equal(record.verdict, 'valid', `${sample.name}: ${record.reason}`);
      const key = expectedKey(provider, sample);
      if (key !== undefined) assert.equal(record.key, key, `${sample.name} key`);
      else assert.match(record.key, /^msg_[0-9a-f]{32}$/, `${sample.name} key`);
    });

    // Re-signed now with the same secret or private key, the receiver accepts it.
    const replay = await whk(['replay', '--capture', capture, '--target', RECEIVERS, '--resign',
      '--json', ...signingArgs(provider)]);
    assert.equal(replay.status, 0, `${replay.stderr}\n${replay.stdout}`);
    assert.equal(replay.report.resigned, true);
    assert.ok(replay.report.status >= 200, replay.stdout);
    assert.ok(replay.report.status <= 299, replay.stdout);
  });
}

test('receiver that skips the timestamp check fails the stale probe', async () => {
  const { status, report } = await whk(['test', '-p', 'stripe', '--target',
    `${RECEIVERS}/webhooks/stripe-no-tolerance`, '--public-url', PUBLIC, '--json']);

  assert.equal(status, 1);
  assert.equal(report.failed, 1);
  const stale = check(report, 'stale timestamp');
  assert.equal(stale.passed, false);
  assert.equal(stale.status, 200);
  assert.match(stale.problems[0],
    /^the endpoint accepts replayed requests: it answered 200 to a request signed 3900 s ago, 3600 s beyond the tolerance of 300 s$/);
  assert.match(stale.fix, /signed timestamp/);
  assert.equal(check(report, 'forged signature').passed, true);
});

test('receiver verifying re-serialized JSON is diagnosed', async () => {
  const { status, report } = await whk(['test', '-p', 'stripe', '--target',
    `${RECEIVERS}/webhooks/stripe-parsed`, '--public-url', PUBLIC, '--json']);

  assert.equal(status, 1);
  for (const { name } of declarations.stripe.samples) {
    const c = check(report, name);
    assert.equal(c.passed, false);
    assert.equal(c.status, 400);
    assert.match(c.cause, /re-serialized as JSON\.stringify\(\) writes it/);
    assert.match(c.fix, /express\.raw/);
    assert.match(c.body, /No signatures found matching the expected signature/);
  }
});

test('a missing route is named, and its probes are inconclusive', async () => {
  // One letter off: /webhook/github where the app serves /webhooks/github.
  const { status, report } = await whk(['test', '-p', 'github', '--target',
    `${RECEIVERS}/webhook/github`, '--public-url', PUBLIC, '--json']);

  assert.equal(status, 1);
  assert.equal(report.failed, report.checks.length);
  for (const c of report.checks) {
    assert.equal(c.passed, false, c.name);
    assert.equal(c.status, 404, c.name);
    assert.equal(c.cause, "nothing answers POST at this path (404 Not Found); check the app's "
      + "route, --target or whk.json's path", c.name);
    assert.match(c.body, /Cannot POST \/webhook\/github/, c.name);
  }
  for (const name of probeNames('github')) {
    assert.match(check(report, name).problems[0], /^inconclusive: it answered 404 to a request /);
    assert.notEqual(check(report, name).summary, 'rejected');
  }
});

test('a redirecting route is named with its Location', async () => {
  const { status, report } = await whk(['test', '-p', 'github', '--target',
    `${RECEIVERS}/webhooks/github-moved`, '--public-url', PUBLIC, '--json']);

  assert.equal(status, 1);
  for (const c of report.checks) {
    assert.equal(c.passed, false, c.name);
    assert.equal(c.status, 308, c.name);
    assert.match(c.cause, /^the endpoint redirects \(308\) to \/webhooks\/github; most providers do not follow redirects/);
  }
});

test('discord-interactions checks no timestamp age', async () => {
  const { status, report } = await whk(['test', '-p', 'discord', '--target',
    `${RECEIVERS}/webhooks/discord`, '--json', '--tolerance', '300', '--sample', 'ping',
    ...signingArgs('discord')]);

  assert.equal(status, 1);
  const stale = check(report, 'stale timestamp');
  assert.equal(stale.passed, false);
  assert.match(stale.problems[0], /signed 3900 s ago, 3600 s beyond the tolerance of 300 s/);
  assert.equal(check(report, 'forged signature').status, 401);
});

test('no stale probe for a scheme without a timestamp', async () => {
  const { status, report } = await whk(['test', '-p', 'github', '--target',
    `${RECEIVERS}/webhooks/github`, '--public-url', PUBLIC, '--json', '--tolerance', '300']);

  assert.equal(status, 0, JSON.stringify(report, null, 2));
  const stale = check(report, 'stale timestamp');
  assert.equal(stale.passed, true);
  assert.match(stale.summary, /^skipped: GitHub signs no timestamp/);
});

test('key-pair providers need a private key of their type', async () => {
  const target = ['--target', `${RECEIVERS}/webhooks/discord`];
  const none = await whk(['test', '-p', 'discord', ...target]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /sign test requests with an Ed25519 key pair of your own/);
  assert.match(none.stderr, /configure the app under test with its public half/);
  assert.doesNotMatch(none.stderr, /P-256/);

  const wrongType = await whk(['test', '-p', 'discord', ...target, '--key-file', keyFiles.sendgrid]);
  assert.equal(wrongType.status, 3);
  assert.match(wrongType.stderr, new RegExp(`the key from key file ${keyFiles.sendgrid}: .*Ed25519`));

  const shared = await whk(['test', '-p', 'stripe', '--target', `${RECEIVERS}/webhooks/stripe`,
    '--key-file', keyFiles.discord]);
  assert.equal(shared.status, 2);
  assert.match(shared.stderr, /signs with a shared secret, not a key pair/);

  const badPublic = await whk(['listen', '-p', 'sendgrid', '--port', '0'],
    { SENDGRID_WEBHOOK_VERIFICATION_KEY: secrets.DISCORD_PUBLIC_KEY });
  assert.equal(badPublic.status, 3);
  assert.match(badPublic.stderr, /the key from environment variable SENDGRID_WEBHOOK_VERIFICATION_KEY: /);
  assert.doesNotMatch(badPublic.stderr, new RegExp(secrets.DISCORD_PUBLIC_KEY));
});

test('a malformed shared secret is rejected before use', async () => {
  const { status, stderr } = await whk(['test', '-p', 'svix', '--target', `${RECEIVERS}/webhooks/svix`],
    { SVIX_WEBHOOK_SECRET: 'whsec_not*base64' });

  assert.equal(status, 3);
  assert.match(stderr, /the secret from environment variable SVIX_WEBHOOK_SECRET: /);
  assert.doesNotMatch(stderr, /not\*base64/);
});

test('tolerance options are range checked', async () => {
  const target = ['--target', `${RECEIVERS}/webhooks/stripe`];
  const tooLarge = await whk(['test', '-p', 'stripe', ...target, '--tolerance', '31622401']);
  assert.equal(tooLarge.status, 2);
  assert.match(tooLarge.stderr, /--tolerance '31622401' must be at most 31622400 seconds/);

  const negative = await whk(['listen', '-p', 'stripe', '--tolerance', '-1']);
  assert.equal(negative.status, 2);
  assert.match(negative.stderr, /--tolerance '-1' is not a whole, non-negative number of seconds/);

  const off = await whk(['test', '-p', 'stripe', ...target, '--tolerance', '0', '--json']);
  assert.equal(off.status, 0, off.stderr);
  assert.equal(off.report.checks.some((c) => c.name === 'stale timestamp'), false);
});
