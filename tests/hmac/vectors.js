#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Test vectors for the providers of the generic HMAC module, computed with
// OpenSSL's command line from each provider's documented scheme, written
// here by hand and independently of the module's providers.d data.
// Usage: node vectors.js write DIR   writes DIR/NAME.json for every provider
//        node vectors.js check DIR   recomputes them and compares with DIR
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const URL_BASE = 'https://hooks.example.com/webhooks/';
const TS = 1723630532; // 2024-08-14T10:15:32Z
const TS_ISO = '2024-08-14T10:15:32Z';
const ID_UUID = '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const ID_MSG = 'msg_2kWPBgLlAfxdpx2AI54pPJ85f4W';
const STD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// HMAC of message with key (a Buffer), by OpenSSL's command line.
function opensslHmac(hash, key, message) {
  return execFileSync('openssl', ['dgst', '-' + hash, '-mac', 'HMAC', '-macopt',
    'hexkey:' + key.toString('hex'), '-binary'], { input: Buffer.from(message, 'utf8') });
}

const text = (secret) => Buffer.from(secret, 'utf8');
const whsec = (secret) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
const hex = (b) => b.toString('hex');
const b64 = (b) => b.toString('base64');

// A JSON body with non-ASCII text and an amount to tamper with.
function bodyFor(name, extra) {
  return JSON.stringify(Object.assign({ id: 'evt_' + name + '_01J5A3C9X4', type: 'test.event',
    data: { customer: 'Zoë Martínez', amount: 4900, currency: 'EUR', note: 'café ☕' } }, extra || {}));
}

// Schemes as each provider documents them. sign(c) returns the headers.
const S = {};
const bodyScheme = (header, hash, enc, prefix, secret) => ({
  secret, sign: (c) => [[header, (prefix || '') + enc(opensslHmac(hash, text(c.secret), c.body))]],
});
function stdScheme(prefix) {
  return {
    secret: STD_SECRET, id: ID_MSG,
    sign: (c) => [[prefix + '-id', c.id], [prefix + '-timestamp', String(c.ts)],
      [prefix + '-signature', 'v1,' + b64(opensslHmac('sha256', whsec(c.secret), `${c.id}.${c.ts}.${c.body}`))]],
  };
}

S.hmac = bodyScheme('X-Signature', 'sha256', hex, 'sha256=', 'agreed-secret-9f8e7d');
S.bitbucket = bodyScheme('X-Hub-Signature', 'sha256', hex, 'sha256=', 'bb-webhook-secret-3a1f');
S.intercom = bodyScheme('X-Hub-Signature', 'sha1', hex, 'sha1=', 'dGhpc2lzYWNsaWVudHNlY3JldA');
S.typeform = bodyScheme('Typeform-Signature', 'sha256', b64, 'sha256=', '8f1a9c0b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70');
S.xero = bodyScheme('x-xero-signature', 'sha256', b64, '',
  'OSd0eLlVIY9ZhViEqlDUh4+6n6M+Lo+eDaEJheJ6OCCgWwIz2D3JIAU6jPMipHRbgKTLz2uJ+xiACXGDBLrgdA==');
S.dropbox = bodyScheme('X-Dropbox-Signature', 'sha256', hex, '', 'a1b2c3d4e5f6g7h');
S.sentry = bodyScheme('Sentry-Hook-Signature', 'sha256', hex, '',
  '7c9a8b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b');
S['coinbase-commerce'] = bodyScheme('X-CC-Webhook-Signature', 'sha256', hex, '', 'c0ffee00-1234-4abc-9def-56789abcdef0');
S['modern-treasury'] = bodyScheme('X-Signature', 'sha256', hex, '', 'mt_webhook_key_4f3e2d1c0b9a');
S['mongodb-atlas'] = bodyScheme('X-MMS-Signature', 'sha1', b64, '', 'atlas-alert-secret');
S.alchemy = bodyScheme('X-Alchemy-Signature', 'sha256', hex, '', 'whsec_yj8VsE3R5bDkC2q9L1mN4pT6');
S['sonatype-nexus'] = bodyScheme('X-Nexus-Webhook-Signature', 'sha1', hex, '', 'nexus-secret-key');
S.webex = bodyScheme('X-Spark-Signature', 'sha1', hex, '', 'somesupersecretphrase');
S.whatsapp = bodyScheme('X-Hub-Signature-256', 'sha256', hex, 'sha256=', '0123456789abcdef0123456789abcdef');
S.messenger = S.whatsapp;
S.instagram = S.whatsapp;
S.twitter = bodyScheme('x-twitter-webhooks-signature', 'sha256', b64, 'sha256=',
  'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw');
S.square = {
  secret: 'Pb4lJv9cVs3Jq1yHr8X2wA',
  sign: (c) => [['x-square-hmacsha256-signature', b64(opensslHmac('sha256', text(c.secret), c.url + c.body))]],
};
S.lemonsqueezy = bodyScheme('X-Signature', 'sha256', hex, '', 'ls-signing-secret');
S.notion = bodyScheme('X-Notion-Signature', 'sha256', hex, 'sha256=', 'secret_tKmV3hD8uZ1qLx9R4wE7yB2nC5');
S.vercel = bodyScheme('x-vercel-signature', 'sha1', hex, '', 'vercel-webhook-secret-1f2e3d');
S.razorpay = bodyScheme('X-Razorpay-Signature', 'sha256', hex, '', 'rzp-webhook-secret');
S.gocardless = bodyScheme('Webhook-Signature', 'sha256', hex, '', 'gc-webhook-endpoint-secret');
S.pusher = bodyScheme('X-Pusher-Signature', 'sha256', hex, '', '7ad3773142a6692b25b8');
S.woocommerce = bodyScheme('X-WC-Webhook-Signature', 'sha256', b64, '', 'wc-secret-(kdJ!3)');
S.asana = bodyScheme('X-Hook-Signature', 'sha256', hex, '',
  'b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81');
S.helpscout = bodyScheme('X-HelpScout-Signature', 'sha1', b64, '', 'my-secret-key');
S.heroku = bodyScheme('Heroku-Webhook-Hmac-SHA256', 'sha256', b64, '', 'heroku-webhook-secret');
S.gitea = bodyScheme('X-Gitea-Signature', 'sha256', hex, '', 'gitea-secret');
S.launchdarkly = bodyScheme('X-LD-Signature', 'sha256', hex, '', 'ld-secret-5b4a3c2d1e0f');
S.linear = {
  secret: 'lin_wh_Qm9rZ2VkQnlXaGtUZXN0c0Zvckxpbg', now: TS + 1,
  body: (name) => JSON.stringify({ action: 'create', type: 'Issue',
    data: { id: '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9', title: 'Zoë: VAT rounding', amount: 4900 },
    webhookTimestamp: TS * 1000, webhookId: 'wh_' + name }),
  sign: (c) => [['Linear-Signature', hex(opensslHmac('sha256', text(c.secret), c.body))]],
};
S.trello = {
  secret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
  sign: (c) => [['X-Trello-Webhook', b64(opensslHmac('sha1', text(c.secret), c.body + c.url))]],
};
S.pagerduty = {
  secret: 'pd-signing-secret',
  // One signature with the old secret, then the valid one: any v1 may match.
  sign: (c) => [['X-PagerDuty-Signature', 'v1=' + hex(opensslHmac('sha256', text('pd-old-secret'), c.body)) +
    ',v1=' + hex(opensslHmac('sha256', text(c.secret), c.body))]],
  sign_headers: [],
};
S.zoom = {
  secret: 'zoom-secret-token-R2d2C3po',
  sign: (c) => [['x-zm-request-timestamp', String(c.ts)],
    ['x-zm-signature', 'v0=' + hex(opensslHmac('sha256', text(c.secret), `v0:${c.ts}:${c.body}`))]],
};
S.zendesk = {
  secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==', tsText: TS_ISO,
  sign: (c) => [['X-Zendesk-Webhook-Signature-Timestamp', c.tsText],
    ['X-Zendesk-Webhook-Signature', b64(opensslHmac('sha256', text(c.secret), c.tsText + c.body))]],
};
S.box = {
  secret: 'SamplePrimaryKey', tsText: '2024-08-14T03:15:32-07:00',
  // Both keys sign; the secondary one is the key under test here.
  sign: (c) => [['BOX-DELIVERY-TIMESTAMP', c.tsText],
    ['BOX-SIGNATURE-PRIMARY', b64(opensslHmac('sha256', text('AnotherPrimaryKey'), c.body + c.tsText))],
    ['BOX-SIGNATURE-SECONDARY', b64(opensslHmac('sha256', text(c.secret), c.body + c.tsText))]],
  sign_headers: [],
};
S.orb = {
  secret: 'orb-webhook-secret', tsText: '2024-08-14T10:15:32.000000',
  sign: (c) => [['X-Orb-Timestamp', c.tsText],
    ['X-Orb-Signature', 'v1=' + hex(opensslHmac('sha256', text(c.secret), `v1:${c.tsText}:${c.body}`))]],
  sign_headers: [],
};
S.mux = {
  secret: 'mux-signing-secret-1a2b',
  sign: (c) => [['Mux-Signature', `t=${c.ts},v1=` + hex(opensslHmac('sha256', text(c.secret), `${c.ts}.${c.body}`))]],
};
S.calendly = {
  secret: 'calendly-signing-key',
  sign: (c) => [['Calendly-Webhook-Signature', `t=${c.ts},v1=` + hex(opensslHmac('sha256', text(c.secret), `${c.ts}.${c.body}`))]],
};
S.tiktok = {
  secret: 'tiktok-client-secret-0a1b2c',
  sign: (c) => [['TikTok-Signature', `t=${c.ts},s=` + hex(opensslHmac('sha256', text(c.secret), `${c.ts}.${c.body}`))]],
};
S.workos = {
  secret: 'workos-webhook-secret',
  sign: (c) => [['WorkOS-Signature', `t=${c.ts * 1000},v1=` +
    hex(opensslHmac('sha256', text(c.secret), `${c.ts * 1000}.${c.body}`))]],
};
S.webflow = {
  secret: 'webflow-client-secret',
  sign: (c) => [['x-webflow-timestamp', String(c.ts * 1000)],
    ['x-webflow-signature', hex(opensslHmac('sha256', text(c.secret), `${c.ts * 1000}:${c.body}`))]],
};
S.customerio = {
  secret: 'cio-signing-key',
  sign: (c) => [['X-CIO-Timestamp', String(c.ts)],
    ['X-CIO-Signature', hex(opensslHmac('sha256', text(c.secret), `v0:${c.ts}:${c.body}`))]],
};
S.twitch = {
  secret: 'twitch-eventsub-secret-123', id: ID_UUID, tsText: '2024-08-14T10:15:32.123456789Z',
  sign: (c) => [['Twitch-Eventsub-Message-Id', c.id], ['Twitch-Eventsub-Message-Timestamp', c.tsText],
    ['Twitch-Eventsub-Message-Signature', 'sha256=' + hex(opensslHmac('sha256', text(c.secret), c.id + c.tsText + c.body))]],
  sign_headers: [],
};
S.persona = {
  secret: 'wbhsec_2a7c1f0e9d8b7a6c5d4e3f2a',
  sign: (c) => [['Persona-Signature', `t=${c.ts},v1=` + hex(opensslHmac('sha256', text(c.secret), `${c.ts}.${c.body}`))]],
};
S.airtable = {
  secret: 'vG9uW2Fpd3RhYmxlTWFjU2VjcmV0Rm9yVGVzdHM=',
  sign: (c) => [['X-Airtable-Content-MAC', 'hmac-sha256=' + hex(opensslHmac('sha256', Buffer.from(c.secret, 'base64'), c.body))]],
};
S.clerk = stdScheme('svix');
S.resend = stdScheme('svix');
S.brex = stdScheme('webhook');
S.openai = stdScheme('webhook');
S.replicate = stdScheme('webhook');

// The headers that 'whk sign' must reproduce byte for byte, by default.
function defaultSignHeaders(headers) {
  return headers.map(([name]) => name);
}

function vector(name) {
  const s = S[name];
  const c = {
    secret: s.secret, ts: TS, tsText: s.tsText || String(TS), id: s.id || null,
    url: URL_BASE + name, body: s.body ? s.body(name) : bodyFor(name),
  };
  const headers = s.sign(c);
  const tampered = c.body.replace('"amount":4900', '"amount":4901');
  if (tampered === c.body) throw new Error(`${name}: the body has no amount to tamper with`);
  return {
    provider: name,
    computed_by: 'OpenSSL command line (openssl dgst -mac HMAC), from the scheme in tests/hmac/vectors.js',
    secret: s.secret,
    timestamp: c.ts,
    id: c.id,
    now: s.now || TS + 1,
    request: { method: 'POST', url: c.url, headers: [['Content-Type', 'application/json'], ...headers], body: c.body },
    sign_headers: s.sign_headers || defaultSignHeaders(headers),
    tampered: { body: tampered, reason: 'mismatch' },
  };
}

function main() {
  const [mode, dir] = process.argv.slice(2);
  if (!['write', 'check'].includes(mode) || !dir) {
    console.error('usage: node vectors.js write|check DIR');
    process.exit(2);
  }
  let passed = 0, failed = 0;
  for (const name of Object.keys(S).sort()) {
    const file = path.join(dir, name + '.json');
    const textOut = JSON.stringify(vector(name), null, 2) + '\n';
    if (mode === 'write') {
      fs.writeFileSync(file, textOut);
      passed++;
    } else if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === textOut) {
      passed++;
    } else {
      console.log(`FAIL: ${file} differs from what OpenSSL computes now (run: node vectors.js write ${dir})`);
      failed++;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
