// SPDX-License-Identifier: MIT
// A misbehaving application on a free loopback port, for whk listen's
// forwarding tests. The request path picks the behaviour:
//   /close    closes the connection without a response
//   /reset    resets the connection (TCP RST) without a response
//   /partial  announces 100 bytes of body, sends 3 and closes
//   /garbage  answers a line that is not HTTP and closes
//   /slow     answers 200 after SLOW_MS milliseconds (default 3200)
//   /hang     never answers
//   /endless  responds 200 with a body that never ends, 64 KiB at a time
//   /redirect answers 308 with Location /moved
//   /missing  answers 404, as a framework does for a path without a route
//   /get-only answers 405 with Allow: GET
//   /error    responds 500, as an app that fails on every request
//   other     answers 200 with a short text body
// It prints its port on the first line of standard output, appends the
// path of each request to requests.log in the current folder once the
// request has fully arrived, and stops by itself after LIFETIME_MS
// (default 60000) so that no test leaves it running.
'use strict';
const fs = require('node:fs');
const net = require('node:net');

const slowMs = Number(process.env.SLOW_MS || 3200);
const lifetimeMs = Number(process.env.LIFETIME_MS || 60000);

// Returns the request's path once its head and Content-Length body are in.
function complete(buffer) {
  const text = buffer.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
  if (buffer.length < end + 4 + (length ? Number(length[1]) : 0)) return null;
  return text.split(' ')[1] || '/';
}

// Sends a whole response with a text body and closes the connection.
function respond(socket, status, headers, body) {
  socket.end(`HTTP/1.1 ${status}\r\n${headers}Content-Type: text/plain\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function answer(socket, path) {
  const name = path.split('?')[0];
  fs.appendFileSync('requests.log', `${path}\n`);
  if (name === '/close') {
    socket.end();
  } else if (name === '/reset') {
    socket.resetAndDestroy();
  } else if (name === '/partial') {
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc');
  } else if (name === '/garbage') {
    socket.end('this is not HTTP\r\n\r\n');
  } else if (name === '/endless') {
    const chunk = Buffer.alloc(65536, 'a');
    const more = () => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once('drain', more);
    };
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n');
    more();
  } else if (name === '/hang') {
    // Keeps the connection open without a word.
  } else if (name === '/redirect') {
    socket.end('HTTP/1.1 308 Permanent Redirect\r\nLocation: /moved\r\n'
      + 'Content-Length: 0\r\nConnection: close\r\n\r\n');
  } else if (name.startsWith('/missing')) {
    respond(socket, '404 Not Found', '', `Cannot POST ${name}\n`);
  } else if (name.startsWith('/error')) {
    respond(socket, '500 Internal Server Error', '', 'TypeError: undefined\n');
  } else if (name.startsWith('/get-only')) {
    respond(socket, '405 Method Not Allowed', 'Allow: GET\r\n', '');
  } else {
    const reply = () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n'
      + 'Content-Length: 3\r\nConnection: close\r\n\r\nok\n');
    if (name === '/slow') setTimeout(reply, slowMs);
    else reply();
  }
}

const server = net.createServer((socket) => {
  let buffer = Buffer.alloc(0);
  let answered = false;
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const path = answered ? null : complete(buffer);
    if (path !== null) {
      answered = true;
      answer(socket, path);
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
setTimeout(() => process.exit(0), lifetimeMs);
