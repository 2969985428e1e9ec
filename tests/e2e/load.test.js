// SPDX-License-Identifier: MIT
// Bounded load through whk listen --forward: 10,000 deliveries signed by
// the official twilio package, from 8 keep-alive connections on loopback.
// Every one must be answered 200 by the app and be in the capture log.
// Throughput and latency are printed, not asserted.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');
const load = require('./load');

const TOTAL = 10000;
const CONNECTIONS = 8;
const DEADLINE_MS = 180000; // the loop stops here even if deliveries remain

test('10,000 deliveries over 8 connections: none lost', async (t) => {
  const dir = h.tempDir();
  const app = await h.startApp('good');
  t.after(() => h.stopServer(app));
  const listen = await h.startListen(dir, ['--quiet', '--forward', `http://127.0.0.1:${app.port}`]);
  t.after(() => h.stopServer(listen));

  const result = await load.run(listen.port, TOTAL, CONNECTIONS, DEADLINE_MS);
  console.log(`load: ${load.describe(result, CONNECTIONS)}`);

  assert.equal(result.count, TOTAL, 'deadline reached before all were sent');
  assert.deepEqual([...result.statuses], [[200, TOTAL]]);
  const stopped = await h.stopServer(listen);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, new RegExp(`${TOTAL} deliveries \\(${TOTAL} valid`));
  assert.match(stopped.stdout, new RegExp(`forwarded ${TOTAL} to`));
  const lines = fs.readFileSync(path.join(dir, '.whk', 'captures.jsonl'), 'utf8')
    .trim().split('\n');
  assert.equal(lines.length, TOTAL);
  const keys = new Set(lines.map((line) => JSON.parse(line).key));
  assert.equal(keys.size, TOTAL, 'each delivery captured once');
});
