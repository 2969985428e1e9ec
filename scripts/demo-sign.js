// SPDX-License-Identifier: MIT
// Prints an inbound-SMS request signed by the official twilio npm package
// for the public URL given as the first argument, as raw HTTP/1.1. The
// auth token comes from TWILIO_AUTH_TOKEN.
'use strict';
const path = require('path');
const { createRequire } = require('module');

const folder = path.join(__dirname, '..', 'tests', 'interop', 'twilio');
const oracle = createRequire(path.join(folder, 'package.json'));
let twilio;
try {
  twilio = oracle('twilio');
} catch (error) {
  console.error(`demo-sign.js: the twilio package is not installed in ` +
                `${folder}; run scripts/install-deps (or npm ci there)`);
  process.exit(3);
}

const url = process.argv[2];
const token = process.env.TWILIO_AUTH_TOKEN;
const params = {
  MessageSid: 'SM' + '0123456789abcdef'.repeat(2),
  AccountSid: 'AC' + 'fedcba9876543210'.repeat(2),
  From: '+14155550123',
  To: '+14155550100',
  Body: 'Привет from the twilio SDK 👋',
  NumMedia: '0',
};
const signature = twilio.getExpectedTwilioSignature(token, url, params);
const body = new URLSearchParams(params).toString();
const target = new URL(url);

process.stdout.write(
  `POST ${target.pathname}${target.search} HTTP/1.1\r\n` +
  `Host: ${target.host}\r\n` +
  'Content-Type: application/x-www-form-urlencoded\r\n' +
  `X-Twilio-Signature: ${signature}\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
