// SPDX-License-Identifier: MIT
// Amazon SNS signatures written again from AWS's "Verifying the signatures
// of Amazon SNS messages", independently of whk, and AWS's own validator
// (sns-validator) with its certificate download served inside this
// process from the test's certificates: nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
if (!fs.existsSync(new URL('./node_modules/sns-validator', import.meta.url))) {
  throw new Error('tests/providers-sns has no node_modules: run scripts/install-deps '
    + '(or npm ci in tests/providers-sns)');
}

// The certificates sns-validator may download, by URL.
const certificates = new Map();

// sns-validator calls https.get(url, callback) for the certificate. This
// serves it from the map and fails every other request, so no test reaches
// the network.
https.get = (url, callback) => {
  const request = new EventEmitter();
  process.nextTick(() => {
    const pem = certificates.get(String(url));
    if (pem === undefined) {
      request.emit('error', new Error(`no test certificate for ${url}`));
      return;
    }
    const response = Readable.from([Buffer.from(pem)]);
    response.statusCode = 200;
    callback(response);
  });
  return request;
};

const MessageValidator = require('sns-validator');

export function serveCertificate(url, pem) {
  certificates.set(url, pem);
}

// Resolves to null when sns-validator accepts message (an object or its
// JSON text), else to its error message.
export function snsValidator(message) {
  const validator = new MessageValidator();
  return new Promise((resolve) => {
    validator.validate(message, (err) => resolve(err ? err.message : null));
  });
}

// A test key pair made with OpenSSL's command line: key.pem and a
// self-signed cert.pem in dir. It belongs to no AWS account.
export function makeKeyPair(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
    '-out', cert, '-days', '2', '-subj', '/CN=sns.us-east-1.amazonaws.com'],
  { stdio: 'ignore' });
  return { key, cert, keyPem: fs.readFileSync(key, 'utf8'), certPem: fs.readFileSync(cert, 'utf8') };
}

// The members AWS signs per Type, in its order; Subject only when present.
const NOTIFICATION = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

export function stringToSign(message) {
  const names = message.Type === 'Notification' ? NOTIFICATION : CONFIRMATION;
  let text = '';
  for (const name of names) {
    if (name === 'Subject' && (message.Subject === undefined || message.Subject === null)) continue;
    text += `${name}\n${message[name]}\n`;
  }
  return text;
}

const algorithm = (version) => (version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');

export function sign(message, keyPem) {
  return crypto.createSign(algorithm(message.SignatureVersion))
    .update(stringToSign(message), 'utf8').sign(keyPem, 'base64');
}

export function verify(message, certPem) {
  return crypto.createVerify(algorithm(message.SignatureVersion))
    .update(stringToSign(message), 'utf8').verify(certPem, message.Signature, 'base64');
}
