// SPDX-License-Identifier: MIT
// Mandrill's webhook signature, written from Mailchimp Transactional's
// "How to Authenticate Webhook Requests": the webhook URL exactly as
// entered, then each POST variable's key and value, sorted by key, with no
// delimiter; HMAC-SHA1 keyed with the webhook's key; base64. Mandrill has
// no official package that verifies webhooks, so this file is the
// independent implementation the tests compare whk with.
'use strict';

const crypto = require('node:crypto');

// params: an object of the POST variables as Express decodes them.
function signature(key, url, params) {
  let signed = url;
  for (const name of Object.keys(params).sort()) signed += name + params[name];
  return crypto.createHmac('sha1', key).update(signed).digest('base64');
}

function valid(key, url, params, header) {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signature(key, url, params));
  const received = Buffer.from(header);
  return expected.length === received.length && crypto.timingSafeEqual(expected, received);
}

module.exports = { signature, valid };
