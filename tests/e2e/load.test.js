// SPDX-License-Identifier: MIT
// Bounded load through whk listen --forward: 10,000 deliveries signed by
// the official twilio package, from 8 keep-alive connections on loopback.
// Every one must be answered 200 by the app and be in the capture log.
// Throughput and latency are printed, not asserted.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const twilio = require('twilio');
const h = require('./helpers');

const TOTAL = 10000;
const CONNECTIONS = 8;
const DEADLINE_MS = 180000; // the loop stops here even if deliveries remain

function delivery(i) {
  const params = {
    MessageSid: `SM${String(i).padStart(32, '0')}`,
    AccountSid: 'AC0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    From: '+14155550123',
    To: '+14155550100',
    Body: `load message ${i}`,
    NumMedia: '0',
  };
  return {
    body: new URLSearchParams(params).toString(),
    signature: twilio.getExpectedTwilioSignature(h.TOKEN, h.WEBHOOK_URL, params),
  };
}

function send(agent, port, { body, signature }) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/webhooks/twilio/sms', agent,
      headers: {
        Host: 'twilio-dev.example.com',
        'X-Forwarded-Proto': 'https',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        'X-Twilio-Signature': signature,
      },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

test('10,000 deliveries over 8 connections: none lost', async (t) => {
  const dir = h.tempDir();
  const app = await h.startApp('good');
  t.after(() => h.stopServer(app));
  const listen = await h.startListen(dir, ['--quiet', '--forward', `http://127.0.0.1:${app.port}`]);
  t.after(() => h.stopServer(listen));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const deliveries = Array.from({ length: TOTAL }, (_, i) => delivery(i));
  const latencies = [];
  const statuses = new Map();
  const deadline = Date.now() + DEADLINE_MS;
  let next = 0;

  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < TOTAL && Date.now() < deadline) {
      const item = deliveries[next++];
      const begin = process.hrtime.bigint();
      const status = await send(agent, listen.port, item);
      latencies.push(Number(process.hrtime.bigint() - begin) / 1e6);
      statuses.set(status, (statuses.get(status) || 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  console.log(`load: ${latencies.length} deliveries over ${CONNECTIONS} connections `
    + `in ${seconds.toFixed(2)} s, ${(latencies.length / seconds).toFixed(0)} deliveries/s; `
    + `latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, `
    + `p95 ${percentile(latencies, 0.95).toFixed(2)} ms, `
    + `p99 ${percentile(latencies, 0.99).toFixed(2)} ms, `
    + `max ${latencies[latencies.length - 1].toFixed(2)} ms`);

  assert.equal(latencies.length, TOTAL, 'deadline reached before all were sent');
  assert.deepEqual([...statuses], [[200, TOTAL]]);
  const stopped = await h.stopServer(listen);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, new RegExp(`${TOTAL} deliveries \\(${TOTAL} valid`));
  assert.match(stopped.stdout, new RegExp(`forwarded ${TOTAL} to`));
  const lines = fs.readFileSync(path.join(dir, '.whk', 'captures.jsonl'), 'utf8')
    .trim().split('\n');
  assert.equal(lines.length, TOTAL);
  const ids = new Set(lines.map((line) => JSON.parse(line).key));
  assert.equal(ids.size, TOTAL, 'each delivery captured once');
});
