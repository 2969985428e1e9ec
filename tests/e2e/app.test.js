// SPDX-License-Identifier: MIT
// whk test against the Express app that validates with the official
// twilio package, and against its broken variants: each must fail with
// the diagnosis that points at its fault.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const h = require('./helpers');

const SAMPLES = ['inbound-sms', 'inbound-mms', 'incoming-call', 'message-status'];

async function runTest(app, extra = []) {
  const result = await h.whk(['test', '--provider', 'twilio', '--target',
    `http://127.0.0.1:${app.port}/webhooks/twilio/sms`, '--public-url',
    h.PUBLIC, ...extra], h.tempDir());
  if (extra.includes('--json')) result.report = JSON.parse(result.stdout);
  return result;
}

function stats(app) {
  return new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${app.port}/stats`, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

function check(report, name) {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `no check named ${name}`);
  return found;
}

test('good app passes samples and rejects forgeries', async (t) => {
  const app = await h.startApp('good');
  t.after(() => h.stopServer(app));
  const { status, stderr, report } = await runTest(app, ['--json']);

  assert.equal(status, 0, stderr);
  assert.equal(report.failed, 0);
  for (const name of SAMPLES) {
    const c = check(report, name);
    assert.equal(c.passed, true, `${name}: ${c.problems}`);
    assert.equal(c.status, 200);
    assert.match(c.summary, /text\/xml, well-formed XML <Response>/);
  }
  assert.equal(check(report, 'forged signature').status, 403);
  assert.equal(check(report, 'missing signature').status, 403);
  assert.deepEqual(await stats(app), { accepted: 4, rejected: 2 });
});

test('app without validation accepts a forged request', async (t) => {
  const app = await h.startApp('novalidate');
  t.after(() => h.stopServer(app));
  const { status, report } = await runTest(app, ['--json']);

  assert.equal(status, 1);
  for (const name of ['forged signature', 'missing signature']) {
    const c = check(report, name);
    assert.equal(c.passed, false);
    assert.equal(c.status, 200);
    assert.match(c.problems[0], /the endpoint accepted a forged request/);
    assert.match(c.fix, /validateRequest/);
  }
  for (const name of SAMPLES) assert.equal(check(report, name).passed, true);
});

test('app parsing JSON misses the form fields', async (t) => {
  const app = await h.startApp('json');
  t.after(() => h.stopServer(app));
  const { status, report } = await runTest(app, ['--json']);

  assert.equal(status, 1);
  for (const name of SAMPLES) {
    const c = check(report, name);
    assert.equal(c.passed, false);
    assert.equal(c.status, 403);
    assert.match(c.cause, /signed without its form fields/);
    assert.match(c.fix, /express\.urlencoded/);
    assert.match(c.body, /invalid Twilio signature/);
  }
  const text = await runTest(app, ['--sample', 'inbound-sms']);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /fix: add a form parser, e\.g\. express\.urlencoded/);
  assert.match(text.stdout, /result: 1 of 3 checks failed/);
});

test('app slower than --timeout-ms is reported with the timeout fix', async (t) => {
  const app = await h.startApp('slow', { DELAY_MS: '1000' });
  t.after(() => h.stopServer(app));
  const { status, report } = await runTest(app,
    ['--json', '--sample', 'inbound-sms', '--timeout-ms', '300']);

  assert.equal(status, 1);
  const c = check(report, 'inbound-sms');
  assert.equal(c.passed, false);
  assert.equal(c.status, 200);
  assert.ok(c.latency_ms >= 1000, `latency ${c.latency_ms} ms`);
  assert.match(c.problems[0], /^the answer took \d+\.\d\d s, longer than the --timeout-ms limit of 0\.3 s$/);
  assert.match(c.fix, /answer within 15 s/);
});

test('unreachable app exits 3 naming the URL', async () => {
  const app = await h.startApp('good');
  const { port } = app;
  await h.stopServer(app);
  const { status, stderr } = await runTest({ port });

  assert.equal(status, 3);
  assert.match(stderr, new RegExp(`cannot connect to http://127\\.0\\.0\\.1:${port}/`));
});
