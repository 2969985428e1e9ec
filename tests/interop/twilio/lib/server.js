// SPDX-License-Identifier: MIT
// A loopback HTTP server that checks each request with the twilio SDK, both
// through its Express-style webhook() middleware and validateRequest*().
'use strict';

const http = require('http');
const querystring = require('querystring');

/*
 * Builds the parts of an Express 4 request that twilio.webhook() reads.
 * protocol follows X-Forwarded-Proto, as Express's req.protocol does with
 * "trust proxy" on; body is what express.urlencoded({extended: false})
 * (querystring.parse) yields for a form; rawBody is the body as text.
 */
function expressRequest(req, text) {
  const type = (req.headers['content-type'] || '').split(';')[0].trim();
  const forwarded = req.headers['x-forwarded-proto'];
  return {
    headers: req.headers,
    header: (name) => req.headers[name.toLowerCase()],
    protocol: forwarded ? forwarded.split(',')[0].trim() : 'http',
    originalUrl: req.url,
    body: type === 'application/x-www-form-urlencoded'
      ? querystring.parse(text) : {},
    rawBody: text,
  };
}

/** Builds the chainable Express response methods that webhook() calls. */
function expressResponse(res, record) {
  const response = {
    type(contentType) {
      res.setHeader('Content-Type', contentType);
      return response;
    },
    status(code) {
      res.statusCode = code;
      record.middleware = code;
      return response;
    },
    send(body) {
      res.end(body);
      return response;
    },
  };
  return response;
}

/*
 * Validates with validateRequest / validateRequestWithBody against the
 * public URL: the expected scheme and authority with the path and query
 * that arrived.
 */
function validateDirectly(twilio, expected, req, text) {
  const publicUrl = `${expected.scheme}://${expected.authority}${req.url}`;
  const signature = req.headers['x-twilio-signature'] || '';
  const algorithm = twilio.getSignatureAlgorithm(
    req.headers['x-twilio-webhooks-signature-settings']);

  if (publicUrl.includes('bodySHA256'))
    return twilio.validateRequestWithBody(expected.secret, signature,
                                          publicUrl, text, algorithm);
  return twilio.validateRequest(expected.secret, signature, publicUrl,
                                querystring.parse(text), algorithm);
}

/*
 * Handles one request. state.expected contains the secret the server
 * trusts and the public scheme and authority. state.record receives what
 * arrived and both verdicts. webhook() gets the secret in the role that
 * the case's headers call for (auth token, or SharedKey secret with the
 * settings header) and a decoy in the other role, so a request that names
 * the wrong kind of key is rejected.
 */
function handle(twilio, state, req, res, body) {
  const expected = state.expected;
  const text = body.toString('utf8');
  const record = {
    method: req.method, target: req.url, host: req.headers.host,
    proto: req.headers['x-forwarded-proto'], body, middleware: null,
  };
  state.record = record;

  try {
    record.direct = validateDirectly(twilio, expected, req, text);
    const middleware = expected.settings === null
      ? twilio.webhook(expected.secret, { sharedKeySecret: expected.decoy })
      : twilio.webhook(expected.decoy, { sharedKeySecret: expected.secret });
    middleware(expressRequest(req, text), expressResponse(res, record),
               () => {
                 record.middleware = 'accepted';
                 res.writeHead(200, { 'Content-Type': 'text/xml' });
                 res.end('<?xml version="1.0" encoding="UTF-8"?>' +
                         '<Response></Response>');
               });
  } catch (error) {
    record.error = String(error && error.stack);
    res.writeHead(500);
    res.end('test server error\n');
  }
}

/** Starts the server on 127.0.0.1 on a free port; resolves to it. */
function startServer(twilio, state) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => handle(twilio, state, req, res,
                               Buffer.concat(chunks)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

module.exports = { startServer };
