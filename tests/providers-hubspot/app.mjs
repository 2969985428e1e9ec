// SPDX-License-Identifier: MIT
// Webhook receivers for HubSpot and Mailgun on node:http, validating the way
// each provider documents it. HubSpot's uses @hubspot/api-client's
// Signature (v3) over the public URL. It decodes the escapes HubSpot lists
// first, because the package hashes the URL it is given. Mailgun publishes
// no verifying package, so its receiver uses Node's crypto, and rejects a
// token seen before and a timestamp more than 5 minutes off. Deliberately
// broken receivers sit beside them for the tests:
//   /webhooks/hubspot-undecoded  hashes the URL with its escapes encoded
//   /webhooks/hubspot-parsed     hashes the body parsed and re-serialized
//   /webhooks/mailgun-header     looks for the signature in a header
//   /webhooks/mailgun-no-check   accepts every request
//   /webhooks/mailgun-any-age    skips the timestamp check
// Run alone: HUBSPOT_CLIENT_SECRET=... MAILGUN_WEBHOOK_SIGNING_KEY=... node app.mjs [PORT]
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Signature } = require('@hubspot/api-client');

// The escapes HubSpot's "Validating requests" page decodes before signing.
export const decodeListed = (url) => url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
  (escape) => decodeURIComponent(escape));

function hubspot(req, body, env, { decode = true, parsed = false } = {}) {
  // The public URL as a tunnel forwards it: its scheme and host.
  const url = `${req.headers['x-forwarded-proto'] || 'http'}://${req.headers.host}${req.url}`;
  const timestamp = req.headers['x-hubspot-request-timestamp'];
  try {
    return Signature.isValid({
      signatureVersion: 'v3',
      signature: req.headers['x-hubspot-signature-v3'] || '',
      clientSecret: env.HUBSPOT_CLIENT_SECRET,
      requestBody: parsed ? JSON.stringify(JSON.parse(body)) : body,
      url: decode ? decodeListed(url) : url,
      method: req.method,
      timestamp: timestamp === undefined ? undefined : Number(timestamp),
    });
  } catch {
    return false; // "Timestamp is invalid, reject request", or a body that is not JSON
  }
}

// The signature fields of a Mailgun body, JSON or form-encoded.
function mailgunFields(req, body) {
  try {
    if ((req.headers['content-type'] || '').startsWith('application/json')) {
      return JSON.parse(body).signature || {};
    }
    return Object.fromEntries(new URLSearchParams(body));
  } catch {
    return {};
  }
}

const seenTokens = new Set();

function mailgun(req, body, env, { checkAge = true } = {}) {
  const { timestamp, token, signature } = mailgunFields(req, body);
  if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof signature !== 'string') {
    return false;
  }
  const expected = crypto.createHmac('sha256', env.MAILGUN_WEBHOOK_SIGNING_KEY)
    .update(timestamp + token).digest('hex');
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, Buffer.from(expected))) {
    return false;
  }
  if (checkAge && Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  if (seenTokens.has(token)) return false;
  seenTokens.add(token);
  return true;
}

const routes = {
  '/webhooks/hubspot': (req, body, env) => hubspot(req, body, env),
  '/webhooks/hubspot-undecoded': (req, body, env) => hubspot(req, body, env, { decode: false }),
  '/webhooks/hubspot-parsed': (req, body, env) => hubspot(req, body, env, { parsed: true }),
  '/webhooks/mailgun': (req, body, env) => mailgun(req, body, env),
  '/webhooks/mailgun-header': (req) => req.headers['x-mailgun-signature'] !== undefined,
  '/webhooks/mailgun-no-check': () => true,
  '/webhooks/mailgun-any-age': (req, body, env) => mailgun(req, body, env, { checkAge: false }),
};

// Starts the receivers on a free loopback port; resolves with the server.
export function listen(env, port = 0) {
  const server = http.createServer((req, res) => {
    const route = routes[req.url.split('?')[0]];
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (!route || req.method !== 'POST') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Cannot ${req.method} ${req.url}`);
        return;
      }
      const valid = route(req, Buffer.concat(chunks).toString('utf8'), env);
      // Neither provider retries these: Mailgun a 406, HubSpot a 401.
      const rejected = req.url.startsWith('/webhooks/mailgun') ? 406 : 401;
      res.writeHead(valid ? 200 : rejected, { 'Content-Type': 'text/plain' })
        .end(valid ? 'ok' : 'invalid signature');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await listen(process.env, Number(process.argv[2] || 0));
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
}
