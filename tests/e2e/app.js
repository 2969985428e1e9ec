// SPDX-License-Identifier: MIT
// A Twilio receiver written the way the guides write it: Express with
// express.urlencoded, validating X-Twilio-Signature with the official
// twilio package against PUBLIC_WEBHOOK_URL, answering empty TwiML or 403.
// VARIANT selects a broken version for the tests:
//   good        as above
//   novalidate  skips validation and accepts anything
//   json        parses JSON bodies instead of form fields
//   slow        answers after DELAY_MS milliseconds
'use strict';

const express = require('express');
const twilio = require('twilio');

const variant = process.env.VARIANT || 'good';
const authToken = process.env.TWILIO_AUTH_TOKEN;
const webhookUrl = process.env.PUBLIC_WEBHOOK_URL;
const delayMs = Number(process.env.DELAY_MS || 0);
const counts = { accepted: 0, rejected: 0 };

if (!authToken || !webhookUrl) {
  console.error('set TWILIO_AUTH_TOKEN and PUBLIC_WEBHOOK_URL');
  process.exit(2);
}

const app = express();
if (variant === 'json') {
  app.use(express.json());
} else {
  app.use(express.urlencoded({ extended: false }));
}

function receiver(url) {
  return (req, res) => {
    const signature = req.header('X-Twilio-Signature');
    const valid = twilio.validateRequest(authToken, signature, url, req.body);

    if (!valid && variant !== 'novalidate') {
      counts.rejected++;
      res.status(403).type('text/plain').send('invalid Twilio signature\n');
      return;
    }
    counts.accepted++;
    const answer = () => {
      res.type('text/xml').send(new twilio.twiml.MessagingResponse().toString());
    };
    if (variant === 'slow') {
      setTimeout(answer, delayMs);
    } else {
      answer();
    }
  };
}

app.post('/webhooks/twilio/sms', receiver(webhookUrl));
app.post('/webhooks/twilio/sms/status', receiver(`${webhookUrl}/status`));
app.get('/stats', (req, res) => res.json(counts));

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
