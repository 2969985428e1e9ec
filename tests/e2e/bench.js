// SPDX-License-Identifier: MIT
// Benchmark of whk listen on loopback, printed rather than asserted:
// 10,000 signed deliveries over 8 connections to whk listen standing in
// for the app (records flushed to disk, then --no-sync), then through
// whk listen --forward to the Express app, then to the app alone.
// Run: WHK=build/bin/whk node tests/e2e/bench.js
'use strict';

const h = require('./helpers');
const load = require('./load');

const TOTAL = 10000;
const CONNECTIONS = 8;
const DEADLINE_MS = 180000;

async function measure(label, port) {
  const result = await load.run(port, TOTAL, CONNECTIONS, DEADLINE_MS);
  console.log(`${label}: ${load.describe(result, CONNECTIONS)}; statuses ${JSON.stringify([...result.statuses])}`);
}

async function main() {
  for (const args of [[], ['--no-sync']]) {
    const listen = await h.startListen(h.tempDir(), ['--quiet', ...args]);
    await measure(`whk listen, stand-in${args.length ? ', --no-sync' : ''}`, listen.port);
    await h.stopServer(listen);
  }
  const app = await h.startApp('good');
  const listen = await h.startListen(h.tempDir(), ['--quiet', '--forward', `http://127.0.0.1:${app.port}`]);
  await measure('whk listen --forward to the Express app', listen.port);
  await h.stopServer(listen);
  await measure('the Express app alone', app.port);
  await h.stopServer(app);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
