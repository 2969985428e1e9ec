// SPDX-License-Identifier: MIT
// Randomized Amazon SNS interop, both ways. whk signs random messages, and
// each signature must equal, byte for byte, the one oracle.mjs computes
// from AWS's documentation; sns-validator must accept the message. Then
// messages that oracle.mjs signs must verify with whk, and a copy with
// one character of Message changed must not.
// Usage: WHK=build/bin/whk node interop.mjs [CASES] (default 100 each way)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeKeyPair, serveCertificate, sign, snsValidator, verify } from './oracle.mjs';

const WHK = process.env.WHK;
const CASES = Number(process.argv[2] || 100);
const URL = 'https://hooks.example.com/webhooks/sns';
assert.ok(WHK, 'WHK must name the built whk executable');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-sns-interop-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const keys = makeKeyPair(tmp);

// A fixed seed makes a failure repeat; WHK_INTEROP_SEED overrides it.
let seed = Number(process.env.WHK_INTEROP_SEED || 20261204) >>> 0;
function random(n) {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed % n;
}
const pick = (items) => items[random(items.length)];
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[random(16)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

// Characters that test escaping: quotes, backslashes, controls, non-ASCII.
const PIECES = ['a', 'Z', '7', ' ', '"', '\\', '/', '\n', '\t', '\r', '{', '}', ':', ',',
  '\u00e9', '\u65e5\u672c', '\u{1F600}', '\u2028', '&', '<', '%41'];
const text = (max) => Array.from({ length: 1 + random(max) }, () => pick(PIECES)).join('');

function randomMessage() {
  const type = pick(['Notification', 'Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);
  const region = pick(['us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1']);
  const topic = `arn:aws:sns:${region}:${hex(12).replace(/[a-f]/g, '1')}:topic-${hex(6)}`;
  const certificateUrl = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${hex(32)}.pem`;
  const message = { Type: type, MessageId: uuid() };
  if (type === 'Notification') {
    message.TopicArn = topic;
    if (random(2)) message.Subject = text(20).replace(/[\n\r]/g, ' ');
    message.Message = text(120);
  } else {
    const token = hex(64 + random(200));
    message.Token = token;
    message.TopicArn = topic;
    message.Message = `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
    message.SubscribeURL = `https://sns.${region}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`;
  }
  message.Timestamp = new Date(1.6e12 + random(1e9) * 100).toISOString();
  message.SignatureVersion = pick(['1', '2']);
  message.Signature = '';
  message.SigningCertURL = certificateUrl;
  if (type === 'Notification')
    message.UnsubscribeURL = `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topic}:${uuid()}`;
  serveCertificate(certificateUrl, keys.certPem);
  return message;
}

// SNS's own layout ("Name" : value, two spaces), or compact JSON.
function layout(message) {
  if (random(2)) return JSON.stringify(message);
  const members = Object.entries(message).map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`);
  return `{\n${members.join(',\n')}\n}`;
}

function whk(args, input) {
  const run = spawnSync(WHK, args, { input, encoding: 'utf8' });
  assert.doesNotMatch(run.stderr, /Sanitizer|runtime error:/, run.stderr);
  return run;
}

function headerArgs(message) {
  return ['-H', 'Content-Type: text/plain; charset=UTF-8',
    '-H', `x-amz-sns-message-type: ${message.Type}`,
    '-H', `x-amz-sns-message-id: ${message.MessageId}`,
    '-H', `x-amz-sns-topic-arn: ${message.TopicArn}`];
}

// whk signs; AWS's documented construction and sns-validator check it.
async function whkSigns(n) {
  const message = randomMessage();
  const file = path.join(tmp, `sign-${n}.json`);
  const seconds = 1700000000 + random(1e8);
  fs.writeFileSync(file, layout(message));
  const run = whk(['sign', '-p', 'sns', '--key-file', keys.key, '--url', URL,
    '--timestamp', String(seconds), '--json', ...headerArgs(message), '--data', `@${file}`]);
  assert.equal(run.status, 0, `case ${n}: whk sign failed: ${run.stderr}`);
  const body = JSON.parse(run.stdout).body;
  const signed = JSON.parse(body);
  assert.equal(signed.Timestamp, new Date(seconds * 1000).toISOString(), `case ${n}: Timestamp`);
  for (const name of ['Type', 'MessageId', 'Message', 'Subject', 'Token', 'TopicArn', 'SubscribeURL'])
    assert.equal(signed[name], message[name], `case ${n}: ${name} changed`);
  assert.equal(signed.Signature, sign(signed, keys.keyPem), `case ${n}: signature differs from AWS's construction`);
  const verdict = await snsValidator(body);
  if (signed.Type === 'UnsubscribeConfirmation')
    // sns-validator 0.3.5 leaves Token out of this Type's string to sign,
    // unlike AWS's documentation, so it rejects what SNS signs.
    assert.equal(verdict, 'The message signature is invalid.', `case ${n}: sns-validator`);
  else
    assert.equal(verdict, null, `case ${n}: sns-validator rejects whk's signature: ${verdict}`);
}

// AWS's documented construction signs; sns-validator and whk verify it.
async function whkVerifies(n) {
  const message = randomMessage();
  message.Signature = sign(message, keys.keyPem);
  assert.ok(verify(message, keys.certPem));
  const verdict = await snsValidator(JSON.stringify(message));
  if (message.Type !== 'UnsubscribeConfirmation')
    assert.equal(verdict, null, `case ${n}: sns-validator rejects the oracle's signature: ${verdict}`);

  const file = path.join(tmp, `verify-${n}.json`);
  fs.writeFileSync(file, layout(message));
  const args = ['verify', '-p', 'sns', '--secret-file', keys.cert, '--url', URL, ...headerArgs(message)];
  const good = whk([...args, '--data', `@${file}`]);
  assert.equal(good.status, 0, `case ${n}: whk rejects a valid message: ${good.stdout}${good.stderr}`);

  message.Message = message.Message.replace(/^./su, (c) => (c === 'x' ? 'y' : 'x'));
  fs.writeFileSync(file, layout(message));
  const bad = whk([...args, '--data', `@${file}`]);
  assert.equal(bad.status, 1, `case ${n}: whk accepts a changed Message: ${bad.stdout}`);
}

const started = Date.now();
for (let n = 0; n < CASES; n++) {
  await whkSigns(n);
  await whkVerifies(n);
}
console.log(`sns: ${CASES} cases each way passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
