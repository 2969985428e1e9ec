// SPDX-License-Identifier: MIT
// A GitLab webhook receiver written from GitLab's documentation with
// Node's crypto only (GitLab publishes no verification library): it
// compares X-Gitlab-Token with GITLAB_WEBHOOK_SECRET in constant time and
// responds 401 when they differ. /webhooks/gitlab-lenient is the common
// mistake of checking the token only when the header is present.
// Prints the loopback port it listens on, then serves until killed. With
// TOKEN_LOG set, it appends each token it receives to that file, as an
// app that logs rejected requests would.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

const secret = process.env.GITLAB_WEBHOOK_SECRET;
if (!secret) {
  console.error('receiver: set GITLAB_WEBHOOK_SECRET');
  process.exit(2);
}

// Hashing both sides first gives timingSafeEqual inputs of one length.
function tokenMatches(token) {
  const digest = (text) => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(token), digest(secret));
}

function accepts(route, token) {
  if (route === '/webhooks/gitlab')
    return token !== undefined && tokenMatches(token);
  if (route === '/webhooks/gitlab-lenient')
    return token === undefined || tokenMatches(token);
  return null;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const token = req.headers['x-gitlab-token'];
    if (process.env.TOKEN_LOG && token !== undefined) fs.appendFileSync(process.env.TOKEN_LOG, `${token}\n`);
    const verdict = req.method === 'POST' ? accepts(req.url, token) : null;
    if (verdict === null) {
      res.writeHead(404).end();
    } else if (!verdict) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Unauthorized');
    } else {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}');
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
