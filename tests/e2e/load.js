// SPDX-License-Identifier: MIT
// Sends Twilio deliveries, signed by the official twilio package, over a
// fixed number of keep-alive connections on loopback, and measures them.
// Bounded: it stops after the given count or when the deadline passes.
'use strict';

const http = require('node:http');
const twilio = require('twilio');
const h = require('./helpers');

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

// Sends total deliveries over connections sockets to port, until the
// deadline; resolves with the statuses seen and the latency figures.
async function run(port, total, connections, deadlineMs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const deliveries = Array.from({ length: total }, (_, i) => delivery(i));
  const latencies = [];
  const statuses = new Map();
  const deadline = Date.now() + deadlineMs;
  let next = 0;

  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      const item = deliveries[next++];
      const begin = process.hrtime.bigint();
      const status = await send(agent, port, item);
      latencies.push(Number(process.hrtime.bigint() - begin) / 1e6);
      statuses.set(status, (statuses.get(status) || 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, seconds, statuses, latencies };
}

function describe({ count, seconds, latencies }, connections) {
  return `${count} deliveries over ${connections} connections `
    + `in ${seconds.toFixed(2)} s, ${(count / seconds).toFixed(0)} deliveries/s; `
    + `latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, `
    + `p95 ${percentile(latencies, 0.95).toFixed(2)} ms, `
    + `p99 ${percentile(latencies, 0.99).toFixed(2)} ms, `
    + `max ${latencies[latencies.length - 1].toFixed(2)} ms`;
}

module.exports = { run, describe };
