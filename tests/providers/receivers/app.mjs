// SPDX-License-Identifier: MIT
// One Express app with a webhook receiver per provider, each validating
// with the provider's official npm package the way its documentation
// shows: the raw body before any JSON parser, the secret or public key
// from the provider's usual environment variable, 4xx on a bad signature.
// Routes are /webhooks/PROVIDER; deliberately broken receivers sit
// beside them for the tests: /webhooks/stripe-no-tolerance turns Stripe's
// timestamp check off, /webhooks/stripe-parsed verifies the body
// re-serialized after express.json(), and /webhooks/github-moved redirects
// to /webhooks/github.
// Run alone: STRIPE_WEBHOOK_SECRET=... node app.mjs [PORT]
import express from 'express';
import Stripe from 'stripe';
import { verify as verifyGitHub } from '@octokit/webhooks-methods';
import bolt from '@slack/bolt';
import '@shopify/shopify-api/adapters/node';
import { shopifyApi, ApiVersion, LogSeverity } from '@shopify/shopify-api';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import eventwebhook from '@sendgrid/eventwebhook';
import { verifyKeyMiddleware, InteractionType, InteractionResponseType } from 'discord-interactions';
import { Paddle, LogLevel } from '@paddle/paddle-node-sdk';

const { App, ExpressReceiver, LogLevel: SlackLogLevel } = bolt;
const { EventWebhook, EventWebhookHeader } = eventwebhook;

// The counts of accepted and rejected requests per route, for the tests.
const counts = {};
function count(route, accepted) {
  counts[route] ??= { accepted: 0, rejected: 0 };
  counts[route][accepted ? 'accepted' : 'rejected']++;
}

function stripe(app, env) {
  const client = new Stripe('sk_test_receiver');
  const receive = (route, tolerance, bodyOf) => (req, res) => {
    let event;
    try {
      event = client.webhooks.constructEvent(bodyOf(req), req.headers['stripe-signature'],
        env.STRIPE_WEBHOOK_SECRET, tolerance);
    } catch (err) {
      count(route, false);
      res.status(400).send(`Webhook Error: ${err.message}`);
      return;
    }
    count(route, true);
    res.json({ received: true, type: event.type });
  };
  app.post('/webhooks/stripe', express.raw({ type: 'application/json' }),
    receive('stripe', undefined, (req) => req.body));
  // Tolerance 0 skips Stripe's timestamp check: replays get through.
  app.post('/webhooks/stripe-no-tolerance', express.raw({ type: 'application/json' }),
    receive('stripe-no-tolerance', 0, (req) => req.body));
  // A common mistake: the body parsed by express.json() and serialized again.
  app.post('/webhooks/stripe-parsed', express.json(),
    receive('stripe-parsed', undefined, (req) => JSON.stringify(req.body)));
}

function github(app, env) {
  app.post('/webhooks/github', express.raw({ type: 'application/json' }), async (req, res) => {
    const signature = req.get('X-Hub-Signature-256') || '';
    const valid = signature !== '' &&
      await verifyGitHub(env.GITHUB_WEBHOOK_SECRET, req.body.toString('utf8'), signature);
    count('github', valid);
    if (!valid) {
      res.status(401).send('Unauthorized');
      return;
    }
    res.status(202).send('Accepted');
  });
}

// A Bolt app on an ExpressReceiver mounted on this Express app. authorize
// replaces an installation store, so that no Slack API is called.
function slack(app, env) {
  const receiver = new ExpressReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET,
    endpoints: '/webhooks/slack',
    processBeforeResponse: true,
    app,
    logLevel: SlackLogLevel.ERROR,
  });
  const bot = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-receiver', botId: 'B0RECEIVER', botUserId: 'U0RECEIVER' }),
    logLevel: SlackLogLevel.ERROR,
  });
  bot.event('app_mention', async () => { count('slack', true); });
  bot.command('/deploy', async ({ ack }) => {
    count('slack', true);
    await ack('Deploying web to production');
  });
}

function shopify(app, env) {
  const api = shopifyApi({
    apiKey: 'receiver',
    apiSecretKey: env.SHOPIFY_API_SECRET,
    scopes: ['read_orders'],
    hostName: 'hooks.example.com',
    apiVersion: ApiVersion.July25,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: () => {} },
  });
  app.post('/webhooks/shopify', express.text({ type: '*/*' }), async (req, res) => {
    const { valid } = await api.webhooks.validate({ rawBody: req.body, rawRequest: req, rawResponse: res });
    count('shopify', valid);
    if (!valid) {
      res.status(401).send('Unauthorized');
      return;
    }
    res.status(200).send();
  });
}

// Standard Webhooks and Svix: Webhook.verify on the raw body and headers.
function standardWebhooks(app, route, webhook) {
  app.post(`/webhooks/${route}`, express.raw({ type: 'application/json' }), (req, res) => {
    try {
      webhook.verify(req.body, req.headers);
    } catch (err) {
      count(route, false);
      res.status(400).send(err.message);
      return;
    }
    count(route, true);
    res.status(204).send();
  });
}

function sendgrid(app, env) {
  const ew = new EventWebhook();
  const key = ew.convertPublicKeyToECDSA(env.SENDGRID_WEBHOOK_VERIFICATION_KEY);
  app.post('/webhooks/sendgrid', express.raw({ type: 'application/json' }), (req, res) => {
    const signature = req.get(EventWebhookHeader.SIGNATURE());
    const timestamp = req.get(EventWebhookHeader.TIMESTAMP());
    let valid = false;
    try {
      valid = Boolean(signature && timestamp) && ew.verifySignature(key, req.body, signature, timestamp);
    } catch (err) {
      valid = false; // a signature that is not DER cannot be decoded
    }
    count('sendgrid', valid);
    res.status(valid ? 200 : 403).send();
  });
}

// verifyKeyMiddleware responds to a PING itself, and with 401 to a bad
// signature.
function discord(app, env) {
  app.post('/webhooks/discord', verifyKeyMiddleware(env.DISCORD_PUBLIC_KEY), (req, res) => {
    count('discord', true);
    if (req.body.type === InteractionType.APPLICATION_COMMAND) {
      res.send({ type: InteractionResponseType.CHANNEL_MESSAGE_WITH_SOURCE, data: { content: 'You rolled 17' } });
      return;
    }
    res.status(400).send({ error: 'unknown interaction type' });
  });
}

function paddle(app, env) {
  // The client is built offline; only its webhooks helper is used.
  const client = new Paddle('pdl_sdbx_apikey_receiver', { logLevel: LogLevel.error });
  app.post('/webhooks/paddle', express.text({ type: 'application/json' }), async (req, res) => {
    const signature = req.get('Paddle-Signature') || '';
    try {
      if (!signature || !req.body) throw new Error('signature or body missing');
      await client.webhooks.unmarshal(req.body, env.PADDLE_WEBHOOK_SECRET, signature);
    } catch (err) {
      count('paddle', false);
      res.status(400).send('Invalid signature');
      return;
    }
    count('paddle', true);
    res.status(200).send('ok');
  });
}

// Builds the app from env, which contains each provider's usual variable.
export function createApp(env) {
  const app = express();
  stripe(app, env);
  github(app, env);
  // A moved route: Express's redirect, which providers do not follow.
  app.post('/webhooks/github-moved', (req, res) => res.redirect(308, '/webhooks/github'));
  slack(app, env);
  shopify(app, env);
  standardWebhooks(app, 'standardwebhooks', new StandardWebhook(env.WEBHOOK_SECRET));
  standardWebhooks(app, 'svix', new SvixWebhook(env.SVIX_WEBHOOK_SECRET));
  sendgrid(app, env);
  discord(app, env);
  paddle(app, env);
  app.get('/stats', (req, res) => res.json(counts));
  return app;
}

// Listens on 127.0.0.1:port (0 picks a free one) and resolves with the server.
export function listen(env, port = 0) {
  const app = createApp(env);
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', (err) => (err ? reject(err) : resolve(server)));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await listen(process.env, Number(process.argv[2] || 0));
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
