#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Checks the generic HMAC module's test vectors with each provider's
// official npm package, where one verifies signatures: the package must
// accept the vector and reject its tampered copy. Vectors of providers
// without such a package are checked by OpenSSL alone (vectors.js).
// Usage: node oracle.js VECTORS_DIR
'use strict';

const fs = require('node:fs');
const path = require('node:path');

// Runs fn with Date.now and new Date() fixed at ms, for packages that
// check the timestamp against the clock.
async function atTime(ms, fn) {
  const RealDate = global.Date;
  class FixedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(ms); else super(...args); }
    static now() { return ms; }
  }
  global.Date = FixedDate;
  try { return await fn(); } finally { global.Date = RealDate; }
}

// Returns true when fn resolves to true without throwing.
async function accepts(fn) {
  try { return (await fn()) === true; } catch (e) { return false; }
}

const lower = (headers) => Object.fromEntries(headers.map(([n, v]) => [n.toLowerCase(), v]));

// Svix's verify throws on a bad signature and returns the payload.
function standardWebhooks(v, body) {
  const { Webhook } = require('svix');
  return () => {
    new Webhook(v.secret).verify(body, lower(v.request.headers));
    return true;
  };
}

// Per provider: a function of (vector, body) that verifies with the package.
const oracles = {
  clerk: standardWebhooks,
  resend: standardWebhooks,
  brex: standardWebhooks,
  openai: (v, body) => async () => {
    const OpenAI = require('openai');
    const client = new OpenAI({ apiKey: 'sk-test', webhookSecret: v.secret });
    await client.webhooks.verifySignature(body, lower(v.request.headers));
    return true;
  },
  replicate: (v, body) => () => require('replicate').validateWebhook(
    { headers: lower(v.request.headers), body }, v.secret),
  orb: (v, body) => async () => {
    const Orb = require('orb-billing');
    new Orb({ apiKey: 'test' }).webhooks.verifySignature(body, lower(v.request.headers), v.secret);
    return true;
  },
  mux: (v, body) => async () => {
    const Mux = require('@mux/mux-node');
    const mux = new Mux({ tokenId: 'test', tokenSecret: 'test', webhookSecret: v.secret });
    await mux.webhooks.verifySignature(body, lower(v.request.headers), v.secret);
    return true;
  },
  workos: (v, body) => async () => {
    const { WorkOS } = require('@workos-inc/node');
    const workos = new WorkOS('sk_test_0000');
    return workos.webhooks.verifyHeader({ payload: body, sigHeader: lower(v.request.headers)['workos-signature'],
      secret: v.secret });
  },
  square: (v, body) => () => require('square').WebhooksHelper.verifySignature({
    requestBody: body, signatureHeader: lower(v.request.headers)['x-square-hmacsha256-signature'],
    signatureKey: v.secret, notificationUrl: v.request.url }),
  razorpay: (v, body) => () => require('razorpay').validateWebhookSignature(
    body, lower(v.request.headers)['x-razorpay-signature'], v.secret),
  gocardless: (v, body) => () => {
    require('gocardless-nodejs/webhooks').parse(body, v.secret, lower(v.request.headers)['webhook-signature']);
    return true;
  },
  'coinbase-commerce': (v, body) => () => {
    require('coinbase-commerce-node').Webhook.verifySigHeader(
      body, lower(v.request.headers)['x-cc-webhook-signature'], v.secret);
    return true;
  },
  pusher: (v, body) => () => {
    const Pusher = require('pusher');
    const key = lower(v.request.headers)['x-pusher-key'] || 'test-key';
    const pusher = new Pusher({ appId: '1', key, secret: v.secret, cluster: 'eu' });
    const headers = Object.assign({ 'x-pusher-key': key }, lower(v.request.headers));
    return pusher.webhook({ headers, rawBody: body }).isValid();
  },
};

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node oracle.js VECTORS_DIR');
    process.exit(2);
  }
  let passed = 0, failed = 0;
  for (const name of Object.keys(oracles).sort()) {
    const v = JSON.parse(fs.readFileSync(path.join(dir, name + '.json'), 'utf8'));
    const ms = v.now * 1000;
    const good = await atTime(ms, () => accepts(oracles[name](v, v.request.body)));
    const bad = await atTime(ms, () => accepts(oracles[name](v, v.tampered.body)));
    if (good && !bad) {
      passed++;
    } else {
      failed++;
      console.log(`FAIL: ${name}: the official package ${good ? 'accepts' : 'rejects'} the vector ` +
                  `and ${bad ? 'accepts' : 'rejects'} its tampered copy`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
