#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Checks whk's hubspot and mailgun plugins on randomized cases, both ways.
// HubSpot: @hubspot/api-client's Signature (v3) verifies what `whk sign`
// made, and signs requests, some tampered with, that `whk verify` must
// judge as the package does. The package hashes the URL it is given, so
// the URL goes to it with the escapes that HubSpot's "Validating requests"
// page lists decoded, by decodeListed() below. Mailgun has no verifying
// package, so Node's crypto implements its "Securing webhooks" page here.
// Usage: WHK=path/to/whk node interop.js hubspot|mailgun [CASES] [SEED]
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const WHK = process.env.WHK;
const provider = process.argv[2];
const caseCount = Number(process.argv[3] || 250);
// A fixed default seed makes a failure repeat; another explores more cases.
const seed = Number(process.argv[4] || process.env.WHK_INTEROP_SEED || 4242);

if (!WHK) throw new Error('set WHK to the whk executable');
if (!fs.existsSync(path.join(__dirname, 'node_modules', '@hubspot', 'api-client'))) {
  throw new Error('tests/providers-hubspot has no node_modules: run scripts/install-deps '
    + '(or npm ci in tests/providers-hubspot)');
}
const { Signature } = require('@hubspot/api-client');

let state = seed >>> 0 || 1;
function random() {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const text = (n, alphabet) => Array.from({ length: n }, () => pick(alphabet)).join('');
const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const HEX = [...'0123456789abcdef'];
const UNICODE = ['é', 'ß', '中', '😀', '\u2028', '\u00a0', '"', '\\', '/', '<', '&', ' ', 'a', '{', '\t'];

// The escapes HubSpot decodes in the URI before signing, in either case.
const decodeListed = (url) => url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
  (escape) => decodeURIComponent(escape));

function randomBody() {
  switch (pick(['json', 'json', 'pretty', 'unicode', 'empty', 'large'])) {
    case 'json': return JSON.stringify([{ eventId: int(1, 2e9), subscriptionType: 'contact.creation',
      portalId: int(1, 1e6), propertyValue: text(int(0, 12), UNICODE) }]);
    case 'pretty': return JSON.stringify({ id: text(10, ALNUM), note: text(int(0, 20), UNICODE) }, null, 2);
    case 'unicode': return text(int(1, 200), UNICODE);
    case 'large': return JSON.stringify({ blob: text(int(100000, 300000), ALNUM) });
    default: return '';
  }
}

// Query strings with listed escapes, other escapes, raw reserved characters and UTF-8.
function randomUrl() {
  const pieces = ['%3A', '%2F', '%3f', '%40', '%21', '%24', '%27', '%28', '%29', '%2a', '%2C', '%3B',
    '%20', '%3D', '%26', '%2B', '%25', '%C3%A9', 'é', ':', '@', '!', '(', ')', '*', "'", ',', ';', '+',
    ...ALNUM.slice(0, 20)];
  const host = pick(['hooks.example.com', 'hooks.example.com:8443', 'app.example.org']);
  let url = `${pick(['https', 'http'])}://${host}/${pick(['webhooks/hubspot', 'hs', 'a%2Fb/c'])}`;
  if (random() < 0.8) {
    url += '?' + Array.from({ length: int(1, 4) },
      () => `${text(int(1, 6), ALNUM)}=${Array.from({ length: int(0, 6) }, () => pick(pieces)).join('')}`)
      .join('&');
  }
  return url;
}

function tamperText(value) {
  if (value.length === 0) return 'x';
  const i = int(0, value.length - 1);
  return value.slice(0, i) + (value[i] === 'a' ? 'b' : 'a') + value.slice(i + 1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-interop-hubspot-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// Runs whk with the secret in an environment variable and the body in a file.
function whk(args, secret, body, contentType = 'application/json') {
  const bodyFile = path.join(tmp, 'body');
  fs.writeFileSync(bodyFile, body);
  const r = spawnSync(WHK, [...args, '-H', `Content-Type: ${contentType}`, '--data', '@' + bodyFile],
    { env: { ...process.env, WHK_INTEROP_SECRET: secret }, encoding: 'utf8', maxBuffer: 64 << 20 });
  // A sanitizer report exits 1 like an invalid verdict, so look for it.
  if (r.status === null || r.status > 1 || /Sanitizer|runtime error:/.test(r.stderr)) {
    throw new Error(`whk ${args.join(' ')} exited ${r.status} (${r.signal}): ${r.stderr}`);
  }
  return r;
}

function verifyArgs(name, now, headers) {
  const args = ['verify', '-p', name, '--secret-env', 'WHK_INTEROP_SECRET', '--now', String(now)];
  for (const [header, value] of Object.entries(headers)) args.push('-H', `${header}: ${value}`);
  return args;
}

// Runs fn with Date.now fixed at ms, because the package reads the clock.
function atTime(ms, fn) {
  const realNow = Date.now;
  Date.now = () => ms;
  try { return fn(); } finally { Date.now = realNow; }
}

function hubspotValid(c, signature, timestamp, url) {
  return atTime(c.now * 1000, () => {
    try {
      return Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: c.secret,
        requestBody: c.body, url, method: c.method, timestamp });
    } catch (e) {
      if (/Timestamp is invalid/.test(e.message)) return false;
      throw e;
    }
  });
}

// whk signs; the package, given the decoded URL, must accept the request.
function hubspotWhkSigns(c) {
  const r = whk(['sign', '-p', 'hubspot', '--secret-env', 'WHK_INTEROP_SECRET', '--url', c.url,
    '-X', c.method, '--timestamp', String(c.now), '--json'], c.secret, c.body);
  assert.equal(r.status, 0, r.stderr);
  const headers = Object.fromEntries(JSON.parse(r.stdout).headers.map((h) => [h.name, h.value]));
  const timestamp = Number(headers['X-HubSpot-Request-Timestamp']);
  assert.equal(timestamp, c.now * 1000);
  const signature = headers['X-HubSpot-Signature-v3'];
  assert.equal(hubspotValid(c, signature, timestamp, decodeListed(c.url)), true,
    `the package rejects whk's signature for ${c.url}`);
  if (decodeListed(c.url) !== c.url) {
    assert.equal(hubspotValid(c, signature, timestamp, c.url), false,
      `the package accepts whk's signature for the undecoded ${c.url}`);
  }
}

// The package signs, perhaps tampered with; whk must give its verdict.
function hubspotPackageSigns(c) {
  const age = pick([int(0, 299999), int(300001, 900000), -int(0, 299999), -int(300001, 900000), 300000]);
  let timestamp = c.now * 1000 - age;
  const signed = Signature.getSignature(c.method, 'v3', { clientSecret: c.secret,
    url: decodeListed(c.url), requestBody: c.body, timestamp });
  let { body, url } = c;
  let signature = signed;
  const tamper = pick(['none', 'none', 'body', 'signature', 'timestamp', 'url', 'raw-url']);
  if (tamper === 'body') body = tamperText(body);
  if (tamper === 'signature') signature = tamperText(signature.slice(0, -2)) + signature.slice(-2);
  if (tamper === 'timestamp') timestamp += 1;
  if (tamper === 'url') url = url + (url.includes('?') ? '&x=1' : '?x=1');
  let expected = hubspotValid({ ...c, body }, signature, timestamp, decodeListed(url));
  if (tamper === 'raw-url') {
    // Signed over the URL as the app receives it, escapes not decoded.
    signature = Signature.getSignature(c.method, 'v3', { clientSecret: c.secret, url: c.url,
      requestBody: c.body, timestamp });
    expected = decodeListed(c.url) === c.url && hubspotValid(c, signature, timestamp, c.url);
  }
  // The package accepts timestamps of any age ahead of the clock; whk allows 300 s.
  if (-age > 300000) expected = false;
  const r = whk([...verifyArgs('hubspot', c.now, { 'X-HubSpot-Signature-v3': signature,
    'X-HubSpot-Request-Timestamp': String(timestamp) }), '--url', url, '-X', c.method], c.secret, body);
  assert.equal(r.status === 0, expected,
    `tamper ${tamper}, age ${age} ms, ${url}: whk says ${r.stdout.split('\n')[0]}`);
}

function hubspotCase() {
  const method = pick(['POST', 'POST', 'GET']);
  const c = {
    secret: pick([crypto.randomUUID(), text(int(1, 40), [...ALNUM, ...'!#$%&()*+,-./:;<=>?@[]^_{|}~é'])]),
    method, url: randomUrl(), body: method === 'GET' ? '' : randomBody(),
    now: int(1600000000, 1900000000),
  };
  hubspotWhkSigns(c);
  hubspotPackageSigns(c);
}

// Mailgun's check, as its documentation describes it.
const mailgunSignature = (key, timestamp, token) =>
  crypto.createHmac('sha256', key).update(timestamp + token).digest('hex');

function mailgunValid(key, fields) {
  const expected = mailgunSignature(key, fields.timestamp, fields.token);
  return fields.signature === expected || fields['parent-signature'] === expected;
}

function mailgunEvent() {
  return { id: text(22, ALNUM), timestamp: int(1600000000, 1900000000) + random(),
    event: pick(['delivered', 'failed', 'opened']), recipient: `${text(6, ALNUM)}@example.net`,
    'user-variables': { note: text(int(0, 12), UNICODE) } };
}

// Reads the fields back from a JSON or form body as an app does.
function mailgunFields(body, form) {
  if (form) return Object.fromEntries(new URLSearchParams(body));
  return JSON.parse(body).signature;
}

// whk signs; Node's check must accept, and the rest of the body is unchanged.
function mailgunWhkSigns(c) {
  const form = random() < 0.3;
  const event = mailgunEvent();
  const body = form ? new URLSearchParams({ event: event.event, recipient: event.recipient }).toString()
    : JSON.stringify({ 'event-data': event }, null, pick([0, 2]));
  const args = ['sign', '-p', 'mailgun', '--secret-env', 'WHK_INTEROP_SECRET',
    '--timestamp', String(c.now), '--json'];
  // --id rejects control characters, which a header cannot hold.
  const token = random() < 0.5 ? text(int(1, 50), [...HEX, ...UNICODE.filter((c) => c >= ' ')])
    : undefined;
  if (token !== undefined) args.push('--id', token);
  const r = whk(args, c.secret, body, form ? 'application/x-www-form-urlencoded' : 'application/json');
  assert.equal(r.status, 0, r.stderr);
  const signed = JSON.parse(r.stdout).body;
  const fields = mailgunFields(signed, form);
  assert.equal(fields.timestamp, String(c.now));
  if (token !== undefined) assert.equal(fields.token, token);
  else assert.match(fields.token, /^[0-9a-f]{50}$/);
  assert.equal(mailgunValid(c.secret, fields), true, `Node's check rejects ${signed}`);
  if (form) {
    assert.ok(signed.startsWith(body + '&timestamp='), signed);
  } else {
    assert.deepEqual(JSON.parse(signed)['event-data'], event);
    const without = signed.replace(/^\{"signature":\{[^}]*\},?/, '{');
    assert.equal(without, body, 'signing changed the body beyond the signature');
  }
}

// Node signs, perhaps tampered with; whk must agree with Node's check.
function mailgunNodeSigns(c) {
  const form = random() < 0.3;
  const fields = { token: random() < 0.8 ? text(50, HEX) : text(int(1, 60), [...ALNUM, ...UNICODE]),
    timestamp: String(c.now - int(-1000, 1000)) };
  fields.signature = mailgunSignature(c.secret, fields.timestamp, fields.token);
  const tamper = pick(['none', 'none', 'token', 'timestamp', 'signature', 'event', 'key', 'parent']);
  const event = mailgunEvent();
  let key = c.secret;
  if (tamper === 'token') fields.token = tamperText(fields.token);
  if (tamper === 'timestamp') fields.timestamp = String(Number(fields.timestamp) + 1);
  if (tamper === 'signature') fields.signature = tamperText(fields.signature.slice(0, -2)) + fields.signature.slice(-2);
  if (tamper === 'event') event.recipient = 'mallory@example.net';
  if (tamper === 'key') key = c.secret + 'x';
  if (tamper === 'parent') {
    // A subaccount's signature, with the primary account's key as the secret.
    fields['parent-signature'] = fields.signature;
    fields.signature = mailgunSignature('subaccount-key', fields.timestamp, fields.token);
  }
  const members = [['signature', fields], ['event-data', event]];
  if (random() < 0.5) members.reverse();
  const body = form ? new URLSearchParams({ event: event.event, ...fields }).toString()
    : JSON.stringify(Object.fromEntries(members), null, pick([0, 2, '\t']));
  const expected = mailgunValid(key, mailgunFields(body, form));
  const r = whk(verifyArgs('mailgun', c.now, {}), key, body,
    form ? 'application/x-www-form-urlencoded' : 'application/json');
  assert.equal(r.status === 0, expected, `tamper ${tamper}: whk says ${r.stdout.split('\n')[0]}`);
}

function mailgunCase() {
  const c = { secret: pick([text(32, HEX) + '-' + text(8, HEX) + '-' + text(8, HEX), text(int(1, 40), ALNUM)]),
    now: int(1600000000, 1900000000) };
  mailgunWhkSigns(c);
  mailgunNodeSigns(c);
}

const run = { hubspot: hubspotCase, mailgun: mailgunCase }[provider];
if (!run) throw new Error(`unknown provider '${provider}'; use hubspot or mailgun`);
const started = Date.now();
for (let i = 0; i < caseCount; i++) {
  try {
    run();
  } catch (e) {
    console.error(`case ${i} of seed ${seed} failed`);
    throw e;
  }
}
console.log(`${provider}: ${caseCount} cases both ways agree (seed ${seed}, `
  + `${((Date.now() - started) / 1000).toFixed(1)} s)`);
