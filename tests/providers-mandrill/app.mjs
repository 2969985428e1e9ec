// SPDX-License-Identifier: MIT
// A Mandrill webhook receiver as Mailchimp Transactional's documentation
// describes one: express.urlencoded for the form, the signature computed
// over the webhook URL as entered (PUBLIC_URL and the request's path and
// query) with MANDRILL_WEBHOOK_KEY, 403 on a mismatch, 200 on HEAD for
// Mandrill's URL check. Broken variants sit beside it for the tests:
// /webhooks/mandrill-unchecked checks nothing, and /webhooks/mandrill-local
// signs the local URL instead of the public one.
// Run alone: MANDRILL_WEBHOOK_KEY=... PUBLIC_URL=https://... node app.mjs [PORT]
import express from 'express';
import mandrill from './mandrill.js';

const counts = {};
function count(route, accepted) {
  counts[route] ??= { accepted: 0, rejected: 0 };
  counts[route][accepted ? 'accepted' : 'rejected']++;
}

function receiver(env, route, urlOf) {
  return (req, res) => {
    const valid = mandrill.valid(env.MANDRILL_WEBHOOK_KEY, urlOf(req), req.body ?? {},
      req.get('X-Mandrill-Signature'));
    count(route, valid);
    if (!valid) {
      res.status(403).send('invalid signature');
      return;
    }
    const events = JSON.parse(req.body.mandrill_events);
    res.status(200).send(`${events.length} event(s)`);
  };
}

export function createApp(env) {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.head(/^\/webhooks\//, (req, res) => res.status(200).end());
  app.post('/webhooks/mandrill', receiver(env, 'mandrill', (req) => env.PUBLIC_URL + req.originalUrl));
  app.post('/webhooks/mandrill-local',
    receiver(env, 'mandrill-local', (req) => `${req.protocol}://${req.get('host')}${req.originalUrl}`));
  app.post('/webhooks/mandrill-unchecked', (req, res) => {
    count('mandrill-unchecked', true);
    res.status(200).send('ok');
  });
  app.get('/stats', (req, res) => res.json(counts));
  return app;
}

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
