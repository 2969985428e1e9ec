#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Checks whk against each provider's official npm package, both ways, on
// randomized cases. The package verifies what `whk sign` produced. Then the
// package (or Node's crypto, where the package cannot sign) signs a request
// that may be tampered with, and `whk verify` must give the package's verdict.
// Usage: WHK=path/to/whk node interop.js PROVIDER [CASES] [SEED]
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const WHK = process.env.WHK;
const provider = process.argv[2];
const caseCount = Number(process.argv[3] || 250);
// A fixed default seed makes a failure repeat, and another seed explores more cases.
const seed = Number(process.argv[4] || process.env.WHK_INTEROP_SEED || 4242);
const URL = 'https://hooks.example.com/webhooks';

// A small seeded generator, so that a failing run can be repeated.
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
function randomText(n, alphabet) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}
function randomBytes(n) {
  return Buffer.from(Array.from({ length: n }, () => int(0, 255)));
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const UNICODE = ['é', 'ß', 'ø', '中', '文', '日本', 'ñ', '€', '😀', '👋🏽', '🇫🇷',
  'e\u0301', 'ﬁ', 'Ω', 'д', 'ש', 'ع', '\u2028', '\u00a0', '\t', '\n', '"', '\\',
  '/', '<', '&', ' ', 'a', 'Z', '0', '{', '}', '\u0000', '\u007f'];

function jsonValue(depth) {
  const r = random();
  if (depth > 3 || r < 0.3) {
    return pick([int(-1e6, 1e6), random() * 1000, true, false, null,
      randomText(int(0, 12), UNICODE), randomText(int(1, 20), ALNUM)]);
  }
  if (r < 0.6) return Array.from({ length: int(0, 4) }, () => jsonValue(depth + 1));
  const o = {};
  for (let i = int(0, 5); i > 0; i--) o[randomText(int(1, 8), ALNUM)] = jsonValue(depth + 1);
  return o;
}

// Bodies: JSON in the layouts providers send, unicode text, empty, large.
function randomBody(allowEmpty) {
  const kind = pick(['json', 'json-pretty', 'unicode', 'ascii', 'large', 'json',
    allowEmpty ? 'empty' : 'json']);
  const event = { id: 'evt_' + randomText(24, ALNUM), type: 'test.event', data: jsonValue(0) };
  switch (kind) {
    case 'json': return JSON.stringify(event);
    case 'json-pretty': return JSON.stringify(event, null, 2);
    case 'unicode': return randomText(int(1, 200), UNICODE);
    case 'ascii': return randomText(int(1, 300), ALNUM + ' =&%+.,:;-_');
    case 'large': return JSON.stringify({ blob: randomText(int(100000, 400000), ALNUM + 'é😀') });
    default: return '';
  }
}

function tamperText(text) {
  if (text.length === 0) return 'x';
  const i = int(0, text.length - 1);
  const c = text[i] === 'a' ? 'b' : 'a';
  return text.slice(0, i) + c + text.slice(i + 1);
}

// Changes one character of a hex or base64 signature, keeping its form.
function tamperSignature(sig) {
  const i = int(0, sig.length - 3);
  const c = sig[i] === '0' ? '1' : '0';
  return sig.slice(0, i) + c + sig.slice(i + 1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-interop-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// Runs whk with the secret in an environment variable and the body in a file.
function whk(args, secret, body) {
  const bodyFile = path.join(tmp, 'body');
  fs.writeFileSync(bodyFile, body);
  const env = { ...process.env, WHK_INTEROP_SECRET: secret };
  const r = spawnSync(WHK, [...args, '--url', URL, '-H',
    'Content-Type: application/json', '--data', '@' + bodyFile],
  { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  // A sanitizer report exits 1 like an invalid verdict, so look for it.
  if (r.status === null || r.status > 1 || /Sanitizer|runtime error:/.test(r.stderr)) {
    throw new Error(`whk ${args.join(' ')} exited ${r.status} (${r.signal}): ${r.stderr}`);
  }
  return r;
}

function whkSign(p, keyArgs, secret, body, timestamp, id) {
  const args = ['sign', '-p', p.name, ...keyArgs, '--timestamp', String(timestamp), '--json'];
  if (id) args.push('--id', id);
  const r = whk(args, secret, body);
  if (r.status !== 0) throw new Error(`whk sign failed: ${r.stderr}`);
  const headers = {};
  for (const h of JSON.parse(r.stdout).headers) headers[h.name.toLowerCase()] = h.value;
  return headers;
}

function whkVerify(p, secret, body, headers, now) {
  const args = ['verify', '-p', p.name, '--secret-env', 'WHK_INTEROP_SECRET', '--now', String(now)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const r = whk(args, secret, body);
  return { valid: r.status === 0, text: r.stdout.split('\n')[0] };
}

// Runs fn with Date and Date.now fixed at ms, for oracles that read the clock.
async function atTime(ms, fn) {
  const RealDate = global.Date;
  class FixedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(ms); else super(...args); }
    static now() { return ms; }
  }
  global.Date = FixedDate;
  try { return await fn(); } finally { global.Date = RealDate; }
}

const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);

// Per provider: secrets, signing by the package (or Node), and the verdict.
const providers = {
  stripe: {
    name: 'stripe', tolerance: 300, futureAccepted: true, allowEmpty: false, rotation: true,
    secret: () => 'whsec_' + randomText(32, ALNUM),
    sigHeader: 'stripe-signature',
    init() { this.stripe = require('stripe')('sk_test_interop'); },
    sign(c) {
      return { 'stripe-signature': this.stripe.webhooks.generateTestHeaderString({
        payload: c.body, secret: c.secret, timestamp: c.timestamp }) };
    },
    rotate(headers, wrong) {
      const [t, v1] = headers['stripe-signature'].split(',');
      const sigs = [v1, 'v1=' + wrong];
      if (random() < 0.5) sigs.reverse();
      return { 'stripe-signature': [t, ...sigs].join(',') };
    },
    async verify(c, headers) {
      try {
        this.stripe.webhooks.constructEvent(c.body, headers['stripe-signature'] || '', c.secret,
          300, undefined, c.now * 1000);
        return true;
      } catch (e) {
        if (e.type === 'StripeSignatureVerificationError') return false;
        if (e instanceof SyntaxError) return true; // signature accepted, body not JSON
        throw e;
      }
    },
  },
  github: {
    name: 'github', tolerance: 0, allowEmpty: false,
    secret: () => randomText(int(8, 40), ALNUM + '!#$%&()*+,-./:;<=>?@[]^_{|}~é'),
    sigHeader: 'x-hub-signature-256',
    async init() { this.octokit = await import('@octokit/webhooks-methods'); },
    async sign(c) { return { 'x-hub-signature-256': await this.octokit.sign(c.secret, c.body) }; },
    async verify(c, headers) {
      const sig = headers['x-hub-signature-256'];
      if (!sig) return false;
      return this.octokit.verify(c.secret, c.body, sig);
    },
  },
  slack: {
    name: 'slack', tolerance: 300, futureAccepted: true, allowEmpty: true,
    secret: () => randomText(32, HEX),
    sigHeader: 'x-slack-signature',
    init() { this.bolt = require('@slack/bolt'); },
    // @slack/bolt has no signing function: Node's crypto signs as Slack documents.
    sign(c) {
      return { 'x-slack-request-timestamp': String(c.timestamp),
        'x-slack-signature': 'v0=' + hmac('sha256', c.secret, `v0:${c.timestamp}:${c.body}`, 'hex') };
    },
    verify(c, headers) {
      if (!headers['x-slack-signature'] || !headers['x-slack-request-timestamp']) return false;
      try {
        this.bolt.verifySlackRequest({ signingSecret: c.secret, body: c.body,
          headers: { 'x-slack-signature': headers['x-slack-signature'],
            'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
          nowMilliseconds: c.now * 1000 });
        return true;
      } catch (e) { return false; }
    },
  },
  shopify: {
    name: 'shopify', tolerance: 0, allowEmpty: false,
    secret: () => 'shpss_' + randomText(32, HEX),
    sigHeader: 'x-shopify-hmac-sha256',
    init() {
      require('@shopify/shopify-api/adapters/node');
      const { shopifyApi, ApiVersion } = require('@shopify/shopify-api');
      this.make = (secret) => shopifyApi({ apiKey: 'interop', apiSecretKey: secret, scopes: [],
        hostName: 'localhost', apiVersion: ApiVersion.July25, isEmbeddedApp: false,
        logger: { level: 0, log: () => {} } });
    },
    // shopify-api has no signing function: Node's crypto signs as Shopify documents.
    sign(c) { return { 'x-shopify-hmac-sha256': hmac('sha256', c.secret, c.body, 'base64') }; },
    async verify(c, headers) {
      const req = { method: 'POST', url: '/webhooks', headers: { ...headers,
        'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'whk-demo.myshopify.com',
        'x-shopify-api-version': '2025-07', 'x-shopify-webhook-id': 'b54557e4' } };
      const r = await this.make(c.secret).webhooks.validate({ rawBody: c.body, rawRequest: req,
        rawResponse: {} });
      return r.valid === true;
    },
  },
  standardwebhooks: {
    name: 'standardwebhooks', tolerance: 300, allowEmpty: true, rotation: true, id: true,
    secret: () => (random() < 0.8 ? 'whsec_' : '') + randomBytes(int(16, 64)).toString('base64'),
    sigHeader: 'webhook-signature',
    init() { this.Webhook = require('standardwebhooks').Webhook; },
    sign(c) {
      return { 'webhook-id': c.id, 'webhook-timestamp': String(c.timestamp),
        'webhook-signature': new this.Webhook(c.secret).sign(c.id, new Date(c.timestamp * 1000), c.body) };
    },
    rotate(headers, wrong) {
      const sigs = [headers['webhook-signature'], 'v1,' + wrong];
      if (random() < 0.5) sigs.reverse();
      return { ...headers, 'webhook-signature': sigs.join(' ') };
    },
    verify(c, headers) {
      return atTime(c.now * 1000, () => {
        try {
          new this.Webhook(c.secret).verify(c.body, headers, { jsonParse: false });
          return true;
        } catch (e) {
          if (e.name === 'WebhookVerificationError') return false;
          throw e;
        }
      });
    },
  },
  svix: {
    name: 'svix', tolerance: 300, allowEmpty: true, rotation: true, id: true,
    secret: () => 'whsec_' + randomBytes(24).toString('base64'),
    sigHeader: 'svix-signature',
    init() { this.Webhook = require('svix').Webhook; },
    sign(c) {
      return { 'svix-id': c.id, 'svix-timestamp': String(c.timestamp),
        'svix-signature': new this.Webhook(c.secret).sign(c.id, new Date(c.timestamp * 1000), c.body) };
    },
    rotate(headers, wrong) {
      const sigs = [headers['svix-signature'], 'v1,' + wrong];
      if (random() < 0.5) sigs.reverse();
      return { ...headers, 'svix-signature': sigs.join(' ') };
    },
    verify(c, headers) {
      return atTime(c.now * 1000, () => {
        try {
          new this.Webhook(c.secret).verify(c.body, headers);
          return true;
        } catch (e) {
          if (e.name === 'WebhookVerificationError') return false;
          if (e instanceof SyntaxError) return true; // signature accepted, body not JSON
          throw e;
        }
      });
    },
  },
  sendgrid: {
    name: 'sendgrid', tolerance: 0, allowEmpty: true, keyPair: 'ec',
    sigHeader: 'x-twilio-email-event-webhook-signature',
    init() {
      const { EventWebhook } = require('@sendgrid/eventwebhook');
      this.ew = new EventWebhook();
    },
    // @sendgrid/eventwebhook cannot sign: Node's crypto signs as SendGrid documents.
    sign(c) {
      const sig = crypto.sign('sha256', Buffer.from(String(c.timestamp) + c.body), c.privateKey);
      return { 'x-twilio-email-event-webhook-timestamp': String(c.timestamp),
        'x-twilio-email-event-webhook-signature': sig.toString('base64') };
    },
    // Node's crypto (OpenSSL) requires strict DER, but starkbank-ecdsa,
    // under @sendgrid/eventwebhook, also reads some malformed encodings.
    strict(c, headers) {
      const key = crypto.createPublicKey({ key: Buffer.from(c.secret, 'base64'), format: 'der', type: 'spki' });
      const data = Buffer.from(headers['x-twilio-email-event-webhook-timestamp'] + c.body);
      return crypto.verify('sha256', data, key, Buffer.from(headers['x-twilio-email-event-webhook-signature'], 'base64'));
    },
    verify(c, headers) {
      const sig = headers['x-twilio-email-event-webhook-signature'];
      const ts = headers['x-twilio-email-event-webhook-timestamp'];
      if (!sig || !ts) return false;
      try {
        return this.ew.verifySignature(this.ew.convertPublicKeyToECDSA(c.secret), c.body, sig, ts);
      } catch (e) {
        return false; // a signature that is not DER cannot be decoded
      }
    },
  },
  discord: {
    name: 'discord', tolerance: 0, allowEmpty: true, keyPair: 'ed25519',
    sigHeader: 'x-signature-ed25519',
    init() { this.verifyKey = require('discord-interactions').verifyKey; },
    // discord-interactions cannot sign: Node's crypto signs as Discord documents.
    sign(c) {
      const sig = crypto.sign(null, Buffer.from(String(c.timestamp) + c.body), c.privateKey);
      return { 'x-signature-timestamp': String(c.timestamp), 'x-signature-ed25519': sig.toString('hex') };
    },
    verify(c, headers) {
      const sig = headers['x-signature-ed25519'];
      const ts = headers['x-signature-timestamp'];
      if (!sig || !ts) return false;
      return this.verifyKey(c.body, sig, ts, c.secret);
    },
  },
  paddle: {
    name: 'paddle', tolerance: 5, futureAccepted: true, allowEmpty: true,
    secret: () => 'pdl_ntfset_01' + randomText(24, ALNUM.toLowerCase()) + '_' + randomText(32, ALNUM),
    sigHeader: 'paddle-signature',
    init() {
      const { Paddle, LogLevel } = require('@paddle/paddle-node-sdk');
      // The client is built offline; only its webhooks helper is used.
      this.webhooks = new Paddle('pdl_sdbx_apikey_interop', { logLevel: LogLevel.error }).webhooks;
    },
    // The Paddle SDK cannot sign: Node's crypto signs as Paddle documents.
    sign(c) {
      return { 'paddle-signature': `ts=${c.timestamp};h1=` + hmac('sha256', c.secret, `${c.timestamp}:${c.body}`, 'hex') };
    },
    verify(c, headers) {
      const header = headers['paddle-signature'];
      if (!header) return false;
      return atTime(c.now * 1000, async () => {
        try {
          await this.webhooks.unmarshal(c.body, c.secret, header);
          return true;
        } catch (e) {
          if (/^\[Paddle\] (Webhook signature verification failed|Invalid webhook signature)/.test(e.message)) return false;
          return true; // signature accepted, body not a JSON event
        }
      });
    },
  },
};

// Makes a key pair for key-pair schemes. The "secret" is the public key in
// the dashboard's form.
function keyPair(type) {
  const { privateKey, publicKey } = type === 'ec'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const keyFile = path.join(tmp, 'key.pem');
  fs.writeFileSync(keyFile, pem);
  return { privateKey, keyFile,
    secret: type === 'ec' ? der.toString('base64') : der.subarray(der.length - 32).toString('hex') };
}

const MUTATIONS = ['none', 'none', 'body', 'secret', 'signature', 'missing', 'old-edge',
  'old-beyond', 'future-edge', 'future-beyond', 'rotation'];

async function runCase(p, n, counts) {
  const now = 1700000000 + int(0, 100000000);
  const c = { now, timestamp: now - int(0, Math.max(0, p.tolerance - 1)), body: randomBody(p.allowEmpty),
    id: p.id ? 'msg_' + randomText(27, ALNUM) : undefined };
  let keys = [];
  if (p.keyPair) {
    Object.assign(c, keyPair(p.keyPair));
    keys = ['--key-file', c.keyFile];
  } else {
    c.secret = p.secret();
  }

  // 1. whk signs; the package must accept it (and Node's signature must match).
  const signed = whkSign(p, keys.length ? keys : ['--secret-env', 'WHK_INTEROP_SECRET'],
    c.secret, c.body, c.timestamp, c.id);
  if (!(await p.verify(c, signed))) {
    counts.failures.push(`case ${n}: ${p.name} rejected whk's signature ${JSON.stringify(signed)}`);
  } else {
    counts.signedAccepted++;
  }
  const reference = await p.sign(c);
  if (p.keyPair !== 'ec' && signed[p.sigHeader] !== reference[p.sigHeader]) {
    counts.failures.push(`case ${n}: whk signed ${signed[p.sigHeader]}, the reference ${reference[p.sigHeader]}`);
  }

  // 2. A request signed by the package (or Node), maybe tampered with.
  let mutation = pick(MUTATIONS);
  if ((mutation.includes('edge') || mutation.includes('beyond')) && p.tolerance === 0) mutation = 'none';
  if (mutation === 'rotation' && !p.rotate) mutation = 'signature';
  const v = { ...c };
  if (mutation === 'old-edge') v.timestamp = now - p.tolerance;
  if (mutation === 'old-beyond') v.timestamp = now - p.tolerance - int(1, 3);
  if (mutation === 'future-edge') v.timestamp = now + p.tolerance;
  if (mutation === 'future-beyond') v.timestamp = now + p.tolerance + int(1, 3);
  let headers = await p.sign(v);
  const sent = { ...v };
  if (mutation === 'body') sent.body = tamperText(v.body);
  if (mutation === 'signature') headers[p.sigHeader] = tamperSignature(headers[p.sigHeader]);
  if (mutation === 'missing') delete headers[p.sigHeader];
  if (mutation === 'rotation') {
    const other = await p.sign({ ...v, secret: p.secret() });
    const wrong = other[p.sigHeader].replace(/^(t=\d+,v1=|v1,)/, '');
    headers = p.rotate(headers, wrong);
  }
  if (mutation === 'secret') {
    if (p.keyPair) Object.assign(sent, { secret: keyPair(p.keyPair).secret });
    else sent.secret = p.secret();
  }

  const expected = await p.verify(sent, headers);
  const actual = whkVerify(p, sent.secret, sent.body, headers, now);
  counts[expected ? 'valid' : 'invalid']++;
  if (expected === actual.valid) {
    counts.agreed++;
  } else if (expected && !actual.valid && p.futureAccepted && mutation === 'future-beyond') {
    // whk checks both directions; this package ignores future timestamps.
    counts.intended++;
  } else if (expected && !actual.valid && p.strict && mutation === 'signature' &&
             /not a valid encoding/.test(actual.text) && !p.strict(sent, headers)) {
    // A valid signature in a malformed DER encoding: Node rejects it too.
    counts.malformedDer++;
  } else {
    counts.failures.push(`case ${n} (${mutation}): ${p.name} says ${expected ? 'valid' : 'invalid'}, ` +
      `whk says ${actual.text}; headers ${JSON.stringify(headers)}, body ${JSON.stringify(sent.body.slice(0, 80))}`);
  }
}

async function main() {
  const p = providers[provider];
  if (!WHK || !p) {
    console.error(`usage: WHK=path/to/whk node interop.js {${Object.keys(providers).join(',')}} [CASES] [SEED]`);
    process.exit(2);
  }
  await p.init();
  const counts = { signedAccepted: 0, agreed: 0, valid: 0, invalid: 0, intended: 0, malformedDer: 0,
    failures: [] };
  for (let n = 1; n <= caseCount; n++) await runCase(p, n, counts);

  for (const f of counts.failures.slice(0, 20)) console.log('DISAGREEMENT ' + f);
  const failed = counts.failures.length;
  console.log(`${provider} (seed ${seed}): ${caseCount} cases; ${p.name} accepted ` +
    `${counts.signedAccepted}/${caseCount} whk signatures; verdicts agreed on ` +
    `${counts.agreed}/${caseCount} (${counts.valid} valid, ${counts.invalid} invalid per ` +
    `${p.name})` + (p.futureAccepted ? `; ${counts.intended} intended differences ` +
    `(timestamps beyond the tolerance in the future, which whk rejects and ${p.name} ` +
    'accepts)' : '') + (p.strict ? `; ${counts.malformedDer} valid signature(s) in a ` +
    `malformed DER encoding, which ${p.name} accepts and whk and Node's crypto.verify ` +
    'reject' : ''));
  console.log(`${2 * caseCount - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
