// SPDX-License-Identifier: MIT
// An Amazon SNS endpoint validating with AWS's sns-validator, as its
// README shows, with the certificate download served from the test
// certificate (oracle.mjs). It confirms no subscription: it records the
// SubscribeURL of a valid SubscriptionConfirmation instead of visiting
// it, because the tests run offline. /webhooks/sns-unchecked is the
// mistake of trusting any JSON with a Type.
// Usage: SNS_TEST_CERTIFICATE=cert.pem node receiver.mjs; prints its port.
import fs from 'node:fs';
import http from 'node:http';
import { serveCertificate, snsValidator } from './oracle.mjs';

const pem = fs.readFileSync(process.env.SNS_TEST_CERTIFICATE, 'utf8');
const confirmations = [];

async function handle(route, body) {
  let message;
  try {
    message = JSON.parse(body);
  } catch {
    return [400, 'not JSON'];
  }
  if (route === '/webhooks/sns-unchecked')
    return message.Type ? [200, 'OK'] : [400, 'no Type'];
  if (route !== '/webhooks/sns')
    return [404, ''];
  // Every SNS host serves this test's certificate here.
  if (typeof message.SigningCertURL === 'string')
    serveCertificate(message.SigningCertURL, pem);
  const error = await snsValidator(message);
  if (error !== null)
    return [403, error];
  if (message.Type === 'SubscriptionConfirmation')
    confirmations.push(message.SubscribeURL);
  return [200, 'OK'];
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    if (req.method === 'GET' && req.url === '/confirmations') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(confirmations));
      return;
    }
    const [status, text] = req.method === 'POST'
      ? await handle(req.url, Buffer.concat(chunks).toString('utf8')) : [405, ''];
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
