// SPDX-License-Identifier: MIT
// whk listen --forward in front of the Express app: requests signed by the
// official twilio package for the public URL pass through and are
// accepted; the capture log contains each byte-exact; whk verify says valid;
// whk replay --last is accepted again.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const twilio = require('twilio');
const h = require('./helpers');

// Posts a form body the way Twilio does through a tunnel.
function post(port, target, body, signature) {
  const headers = {
    Host: 'twilio-dev.example.com',
    'X-Forwarded-Proto': 'https',
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': Buffer.byteLength(body),
  };
  if (signature) headers['X-Twilio-Signature'] = signature;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: target, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], text }));
      });
    req.on('error', reject);
    req.end(body);
  });
}

function stats(port) {
  return new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/stats`, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

function message(i) {
  return {
    MessageSid: `SM${String(i).padStart(32, '0')}`,
    AccountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    From: '+14155550123',
    To: '+14155550100',
    Body: `Hello ${i} & welcome: 50% off / día 👋`,
    NumMedia: '0',
  };
}

test('SDK-signed deliveries pass through whk listen to the app', async (t) => {
  const dir = h.tempDir();
  const app = await h.startApp('good');
  t.after(() => h.stopServer(app));
  const listen = await h.startListen(dir, ['--forward', `http://127.0.0.1:${app.port}`]);
  t.after(() => h.stopServer(listen));
  const sent = [];

  for (let i = 0; i < 5; i++) {
    const params = message(i);
    const body = new URLSearchParams(params).toString();
    const signature = twilio.getExpectedTwilioSignature(h.TOKEN, h.WEBHOOK_URL, params);
    const res = await post(listen.port, '/webhooks/twilio/sms', body, signature);
    assert.equal(res.status, 200, res.text);
    assert.match(res.type, /^text\/xml/);
    assert.equal(res.text, '<?xml version="1.0" encoding="UTF-8"?><Response/>');
    sent.push({ body, signature });
  }
  const status = { MessageSid: message(0).MessageSid, MessageStatus: 'delivered' };
  const statusBody = new URLSearchParams(status).toString();
  const statusSignature = twilio.getExpectedTwilioSignature(h.TOKEN,
    `${h.WEBHOOK_URL}/status`, status);
  assert.equal((await post(listen.port, '/webhooks/twilio/sms/status', statusBody,
    statusSignature)).status, 200);
  sent.push({ body: statusBody, signature: statusSignature });

  const forged = await post(listen.port, '/webhooks/twilio/sms',
    new URLSearchParams(message(9)).toString(), 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==');
  assert.equal(forged.status, 403);
  assert.deepEqual(await stats(app.port), { accepted: 6, rejected: 0 });

  // The capture log contains every delivery byte-exact, the forged one too.
  const log = path.join(dir, '.whk', 'captures.jsonl');
  const records = fs.readFileSync(log, 'utf8').trim().split('\n').map(JSON.parse);
  assert.equal(records.length, 7);
  for (let i = 0; i < sent.length; i++) {
    assert.equal(records[i].body, sent[i].body);
    const header = records[i].headers.find(([name]) => name === 'X-Twilio-Signature');
    assert.equal(header[1], sent[i].signature);
    assert.equal(records[i].verdict, 'valid');
    const verified = await h.whk(['verify', '--provider', 'twilio', '--record',
      records[i].id, log], dir);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^valid: /);
  }
  assert.equal(records[6].verdict, 'invalid');
  const invalid = await h.whk(['verify', '--provider', 'twilio', '--record', records[6].id, log], dir);
  assert.equal(invalid.status, 1);

  // Replaying the last valid delivery through whk listen reaches the app.
  const replayed = await h.whk(['replay', records[5].id, '--target',
    `http://127.0.0.1:${listen.port}`], dir);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.match(replayed.stdout, / 200 in /);
  const last = await h.whk(['replay', '--last', '--target', `http://127.0.0.1:${app.port}`], dir);
  assert.equal(last.status, 0, last.stderr);
  assert.deepEqual(await stats(app.port), { accepted: 8, rejected: 0 });

  const stopped = await h.stopServer(listen);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /8 deliveries \(7 valid, 1 invalid, 0 not applicable\), 1 duplicate, 1 rejected with 403/);
  assert.match(stopped.stdout, /forwarded 7 to http:\/\/127\.0\.0\.1:\d+, 0 upstream errors/);
});
