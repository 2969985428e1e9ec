// SPDX-License-Identifier: MIT
// A Plivo callback receiver written with the official plivo package, as
// Plivo's documentation shows: express.urlencoded for the form, the public
// URL with the request's path and query, validateV3Signature with the
// nonce header and PLIVO_AUTH_TOKEN, 403 on a bad signature, Plivo XML in
// answer. Broken variants sit beside it for the tests:
// /webhooks/plivo-unchecked validates nothing, and /webhooks/plivo-local
// validates against the local URL instead of the public one.
// Run alone: PLIVO_AUTH_TOKEN=... PUBLIC_URL=https://... node app.mjs [PORT]
import express from 'express';
import plivo from 'plivo';

const counts = {};
function count(route, accepted) {
  counts[route] ??= { accepted: 0, rejected: 0 };
  counts[route][accepted ? 'accepted' : 'rejected']++;
}

function answer(res) {
  const response = new plivo.Response();
  res.type('application/xml').send(response.toXML());
}

// Validates against the URL that urlOf(req) returns.
function receiver(env, route, urlOf) {
  return (req, res) => {
    const signature = req.get('X-Plivo-Signature-V3');
    const nonce = req.get('X-Plivo-Signature-V3-Nonce');
    const params = req.method === 'POST' ? (req.body ?? {}) : {};
    const valid = Boolean(signature && nonce) &&
      plivo.validateV3Signature(req.method, urlOf(req), nonce, env.PLIVO_AUTH_TOKEN, signature, params);
    count(route, valid);
    if (!valid) {
      res.status(403).send('invalid signature');
      return;
    }
    answer(res);
  };
}

export function createApp(env) {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const publicUrl = (req) => env.PUBLIC_URL + req.originalUrl;
  for (const path of ['/webhooks/plivo', '/webhooks/plivo/status']) {
    app.all(path, receiver(env, 'plivo', publicUrl));
  }
  app.all(['/webhooks/plivo-local', '/webhooks/plivo-local/status'],
    receiver(env, 'plivo-local', (req) => `${req.protocol}://${req.get('host')}${req.originalUrl}`));
  app.all(['/webhooks/plivo-unchecked', '/webhooks/plivo-unchecked/status'], (req, res) => {
    count('plivo-unchecked', true);
    answer(res);
  });
  app.get('/stats', (req, res) => res.json(counts));
  return app;
}

// Listens on 127.0.0.1:port (0 picks a free one) and resolves with the server.
export function listen(env, port = 0) {
  return new Promise((resolve, reject) => {
    const server = createApp(env).listen(port, '127.0.0.1', () => resolve(server));
    server.on('error', reject);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await listen(process.env, Number(process.argv[2] || 3000));
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
}
