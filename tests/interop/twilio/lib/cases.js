// SPDX-License-Identifier: MIT
// Random Twilio webhook requests (URL, form or JSON body, signing key) and
// their tampered copies, as data that both whk and the SDK can consume.
'use strict';

const assert = require('assert');
const querystring = require('querystring');

// Pieces that keys and values are built from. The emoji lie above U+FFFF
// (UTF-16 surrogate pairs) and the "high" pieces in U+E000..U+FFFF: there,
// UTF-16 code unit order and UTF-8 byte order disagree.
const PIECES = {
  ascii: ['a', 'B', 'x1', 'Body', 'z', '_', '-', '.', '~', '0', '42', 'From'],
  special: ['+', '%', '&', '=', ' ', '?', '/', '#', "'", '*', '!', ',', ';',
            ':', '@', '"', '[', ']', '\\', '%41', '+1', 'a=b&c'],
  cyrillic: ['Привет', 'ключ', 'Ё', 'ж', 'мир'],
  emoji: ['😀', '🎉', '👍🏽', '𝄞', '🇺🇦'],
  high: ['ｆ', '\uFFFD', '\uE000', 'ﬁ', '\uFE0F', '\uFFEE'],
  other: ['é', '中文', '€', 'ß', '\u00A0', 'e\u0301'],
  control: ['\n', '\r\n', '\t', '\u0000'],
};
const PIECE_WEIGHTS = {
  ascii: 34, special: 20, cyrillic: 12, emoji: 12, high: 10, other: 8,
  control: 4,
};

const TWILIO_KEYS = ['AccountSid', 'ApiVersion', 'Body', 'From', 'FromCity',
                     'MessageSid', 'MediaUrl0', 'MediaContentType0',
                     'NumMedia', 'SmsStatus', 'To', 'CallSid', 'CallStatus',
                     'Digits'];

const HOSTS = ['example.com', 'hooks.example.org', 'a1b2c3.ngrok-free.app',
               'Example.COM', '127.0.0.1', '[::1]'];
const PORTS = ['', ':443', ':80', ':8443'];
const SEGMENTS = ['sms', 'voice', 'twilio', 'hooks', 'status-callback', 'a.b',
                  '~user', '%D0%BF%D1%83%D1%82%D1%8C', '%F0%9F%98%80',
                  'x%20y', 'caf%C3%A9', "it's", 'v1', 'a+b', '%2F'];
const QUERY_KEYS = ['x', 'id', 'token', 'q', 'rc', 'utm_source'];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8',
                    'application/vnd.example+json'];
const FORM_TYPES = ['application/x-www-form-urlencoded',
                    'application/x-www-form-urlencoded; charset=utf-8'];

function randomText(rng, maxPieces) {
  let text = '';
  for (let n = rng.int(1, maxPieces); n > 0; n--)
    text += rng.pick(PIECES[rng.weighted(PIECE_WEIGHTS)]);
  return text;
}

function realisticValue(rng) {
  return rng.pick([
    () => '+1555' + rng.int(1000000, 9999999),
    () => 'SM' + rng.hex(32),
    () => 'AC' + rng.hex(32),
    () => 'Hello from Twilio',
    () => 'https://api.twilio.com/2010-04-01/Accounts/AC' + rng.hex(32) +
          '/Messages/MM' + rng.hex(32) + '/Media/ME' + rng.hex(32),
    () => '2010-04-01',
    () => 'received',
  ])();
}

function randomKey(rng) {
  if (rng.chance(0.02)) return '';
  if (rng.chance(0.02)) return '__proto__';
  return rng.chance(0.45) ? rng.pick(TWILIO_KEYS) : randomText(rng, 3);
}

function randomValue(rng) {
  if (rng.chance(0.12)) return '';
  return rng.chance(0.25) ? realisticValue(rng) : randomText(rng, 4);
}

/** Returns [key, value] pairs in wire order, some keys repeated. */
function randomParams(rng) {
  const params = [];

  for (let n = rng.int(0, 8); n > 0; n--)
    params.push([randomKey(rng), randomValue(rng)]);
  if (params.length === 0 || !rng.chance(0.4)) return params;

  for (let r = rng.int(1, 2); r > 0; r--) {
    const key = rng.pick(params)[0];
    for (let extra = rng.int(1, 3); extra > 0; extra--) {
      const values = params.filter((p) => p[0] === key).map((p) => p[1]);
      let value;
      if (rng.chance(0.4)) value = rng.pick(values);
      else value = rng.chance(0.2) ? '' : randomValue(rng);
      params.splice(rng.int(0, params.length), 0, [key, value]);
    }
  }
  return params;
}

function percentBytes(rng, ch) {
  const lower = rng.chance(0.15);
  let out = '';
  for (const byte of Buffer.from(ch, 'utf8')) {
    const hex = byte.toString(16).padStart(2, '0');
    out += '%' + (lower ? hex : hex.toUpperCase());
  }
  return out;
}

/*
 * Form-encodes text with random but valid choices: '+' or %20 for a space,
 * upper or lower hex digits, unreserved characters sometimes escaped, and
 * characters that Node's querystring and whk both keep as they are
 * sometimes left literal.
 */
function encodeComponent(rng, text, isValue) {
  let out = '';
  for (const ch of text) {
    if (/^[A-Za-z0-9\-._~]$/.test(ch))
      out += rng.chance(0.05) ? percentBytes(rng, ch) : ch;
    else if (ch === ' ')
      out += rng.chance(0.7) ? '+' : '%20';
    else if (/^[*'()!,;:$/?@]$/.test(ch) && rng.chance(0.4))
      out += ch;
    else if (ch === '=' && isValue && rng.chance(0.4))
      out += ch;
    else
      out += percentBytes(rng, ch);
  }
  return out;
}

/** Encodes params as an application/x-www-form-urlencoded body. */
function encodeForm(rng, params) {
  const pairs = params.map(([key, value]) => {
    const name = encodeComponent(rng, key, false);
    if (value === '' && key !== '' && rng.chance(0.3)) return name;
    return name + '=' + encodeComponent(rng, value, true);
  });
  let body = '';

  pairs.forEach((pair, i) => {
    if (i > 0) body += rng.chance(0.08) ? '&&' : '&';
    body += pair;
  });
  if (rng.chance(0.04)) body = '&' + body;
  if (rng.chance(0.04)) body += '&';
  return body;
}

/**
 * Builds the object that Express 4 hands an app for a form (body-parser
 * 1.x urlencoded({extended: false}) calls Node's querystring.parse): a
 * string for a key seen once, an array of values in wire order for a
 * repeated key.
 */
function formObject(params) {
  const object = Object.create(null);
  for (const [key, value] of params) {
    if (!(key in object)) object[key] = value;
    else if (Array.isArray(object[key])) object[key].push(value);
    else object[key] = [object[key], value];
  }
  return object;
}

/** Throws when querystring decodes body other than as formObject(params). */
function checkFormEncoding(body, params) {
  assert.deepStrictEqual(querystring.parse(body), formObject(params),
                         'the test encoded the form wrongly: ' + body);
}

function randomJsonValue(rng, depth) {
  const kind = rng.weighted({
    text: 40, number: 10, boolean: 5, null: 5,
    array: depth < 2 ? 10 : 0, object: depth < 2 ? 15 : 0,
  });
  switch (kind) {
    case 'text': return rng.chance(0.1) ? '' : randomText(rng, 4);
    case 'number': return rng.chance(0.5) ? rng.int(-1000, 1e6) : rng.next();
    case 'boolean': return rng.chance(0.5);
    case 'null': return null;
    case 'array':
      return Array.from({ length: rng.int(0, 3) },
                        () => randomJsonValue(rng, depth + 1));
    default: {
      const object = {};
      for (let n = rng.int(0, 4); n > 0; n--)
        object[randomText(rng, 2)] = randomJsonValue(rng, depth + 1);
      return object;
    }
  }
}

/** Serializes a random object: compact, indented, or ASCII-only escaped. */
function randomJsonBody(rng) {
  const object = { EventType: 'com.twilio.example', Data: {} };
  for (let n = rng.int(0, 5); n > 0; n--)
    object.Data[randomText(rng, 2)] = randomJsonValue(rng, 0);
  let text = JSON.stringify(object, null, rng.chance(0.3) ? 2 : undefined);
  if (rng.chance(0.3)) {
    text = text.replace(/[\u007f-\uffff]/g, (c) =>
      '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }
  return text;
}

function randomUrl(rng) {
  const scheme = rng.chance(0.3) ? 'http' : 'https';
  const authority = rng.pick(HOSTS) + rng.pick(PORTS);
  let path = '';

  for (let n = rng.int(0, 3); n > 0; n--) path += '/' + rng.pick(SEGMENTS);
  if (path === '' || rng.chance(0.15)) path += '/';

  let query = '';
  if (rng.chance(0.5)) {
    const pairs = [];
    for (let n = rng.int(1, 3); n > 0; n--) {
      const value = rng.chance(0.15) ? '' : randomText(rng, 2);
      pairs.push(rng.pick(QUERY_KEYS) + '=' +
                 encodeComponent(rng, value, true));
    }
    query = '?' + pairs.join('&');
  }
  return { scheme, authority, path, query };
}

function formatUrl(parts) {
  return `${parts.scheme}://${parts.authority}${parts.path}${parts.query}`;
}

/** Adds name=value to the URL's query, first or last. */
function addQueryParam(url, name, value, first) {
  const pair = `${name}=${value}`;
  const mark = url.indexOf('?');
  if (mark === -1) return `${url}?${pair}`;
  if (mark === url.length - 1) return url + pair;
  if (first) return `${url.slice(0, mark + 1)}${pair}&${url.slice(mark + 1)}`;
  return `${url}&${pair}`;
}

/*
 * Picks the secret and the X-Twilio-Webhooks-Signature-Settings header:
 * none (auth token, HMAC-SHA1), or a SharedKey header in several spellings.
 */
function randomSigning(rng) {
  const form = rng.weighted({
    token: 45, sha256: 35, sha256Spaced: 5, sha256Lower: 4, sha256First: 4,
    sha1: 4, keyOnly: 3,
  });
  const key = 'webhooks_sharedkey_' + rng.hex(24);
  const settings = {
    token: null,
    sha256: `key=${key},algorithm=HMAC_SHA256`,
    sha256Spaced: `key=${key}, algorithm = HMAC_SHA256`,
    sha256Lower: `key=${key},algorithm=hmac_sha256`,
    sha256First: `algorithm=HMAC_SHA256,key=${key}`,
    sha1: `key=${key},algorithm=HMAC_SHA1`,
    keyOnly: `key=${key}`,
  }[form];
  let secret = rng.hex(32);

  if (settings !== null) {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' +
                  '0123456789-_+/=.';
    secret = Array.from({ length: rng.int(24, 64) },
                        () => rng.pick(chars)).join('');
    if (rng.chance(0.08)) secret = 'sëcret-ключ-🔑-' + rng.hex(8);
  }
  return { settings, secret,
           secretVia: rng.weighted({ defaultEnv: 40, env: 30, file: 30 }) };
}

/**
 * Returns a random webhook request before signing: url is the public URL,
 * for a JSON body still without bodySHA256.
 */
function randomCase(rng, id) {
  const urlParts = randomUrl(rng);
  const c = {
    id, urlParts, url: formatUrl(urlParts), ...randomSigning(rng),
    kind: rng.chance(0.7) ? 'form' : 'json',
  };

  if (c.kind === 'form') {
    c.params = randomParams(rng);
    c.bodyText = encodeForm(rng, c.params);
    checkFormEncoding(c.bodyText, c.params);
    c.contentType = rng.pick(FORM_TYPES);
  } else {
    c.bodyText = randomJsonBody(rng);
    c.contentType = rng.pick(JSON_TYPES);
  }
  c.body = Buffer.from(c.bodyText, 'utf8');
  return c;
}

/** Returns url with one letter or digit of its path changed. */
function tamperPath(rng, url) {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const end = url.indexOf('?') === -1 ? url.length : url.indexOf('?');
  const path = url.slice(start, end);
  const positions = [];

  for (let i = 0; i < path.length; i++) {
    const inEscape = path[i - 1] === '%' || path[i - 2] === '%';
    if (/[A-Za-z0-9]/.test(path[i]) && !inEscape) positions.push(i);
  }
  if (positions.length === 0)
    return url.slice(0, start) + path + 'z' + url.slice(end);

  const at = rng.pick(positions);
  const choices = 'abcdefghijklmnopqrstuvwxyz0123456789'
    .split('').filter((ch) => ch !== path[at]);
  return url.slice(0, start + at) + rng.pick(choices) +
         url.slice(start + at + 1);
}

/** Returns body with one ASCII byte replaced by another printable one. */
function tamperBody(rng, body) {
  const positions = [];
  for (let i = 0; i < body.length; i++)
    if (body[i] < 0x80) positions.push(i);
  const copy = Buffer.from(body);
  const at = rng.pick(positions);
  let byte;
  do byte = rng.int(0x21, 0x7e); while (byte === copy[at]);
  copy[at] = byte;
  return copy;
}

/*
 * Returns a copy of a signed case with one change the signature covers:
 * a param's value (lengthened, so the signed text always changes, even
 * where repeated values collapse), one byte of a JSON body, or the path.
 */
function tamper(rng, c) {
  const kinds = ['path'];
  if (c.kind === 'form' && c.params.length > 0) kinds.push('param', 'param');
  if (c.kind === 'json') kinds.push('body', 'body');
  const t = { ...c, tamper: rng.pick(kinds) };

  if (t.tamper === 'path') {
    t.url = tamperPath(rng, c.url);
    t.change = `path: ${c.url} -> ${t.url}`;
  } else if (t.tamper === 'param') {
    const at = rng.int(0, c.params.length - 1);
    const [key, value] = c.params[at];
    const changed = value + rng.pick(['Z', '1', 'ж', '😀', ' ']);
    t.params = c.params.map((p, i) => (i === at ? [key, changed] : p));
    t.bodyText = encodeForm(rng, t.params);
    checkFormEncoding(t.bodyText, t.params);
    t.body = Buffer.from(t.bodyText, 'utf8');
    t.change = `param ${JSON.stringify(key)}: ${JSON.stringify(value)} -> ` +
             JSON.stringify(changed);
  } else {
    t.body = tamperBody(rng, c.body);
    t.bodyText = t.body.toString('utf8');
    const at = t.body.findIndex((byte, i) => byte !== c.body[i]);
    t.change = `body byte ${at}: ${JSON.stringify(String.fromCharCode(
      c.body[at]))} -> ${JSON.stringify(String.fromCharCode(t.body[at]))}`;
  }
  return t;
}

/** Splits an absolute URL into authority and request target. */
function splitTarget(url) {
  const rest = url.slice(url.indexOf('://') + 3);
  const slash = rest.search(/[/?]/);
  if (slash === -1) return { authority: rest, target: '/' };
  const target = rest.slice(slash);
  return { authority: rest.slice(0, slash),
           target: target[0] === '/' ? target : '/' + target };
}

/*
 * Writes the request as raw HTTP/1.1, as "nc -l" captures it: CRLF or
 * (rarely) bare LF line ends, Content-Length or a chunked body, header
 * names in varied case.
 */
function httpRequest(rng, c, signature) {
  const { authority, target } = splitTarget(c.url);
  const eol = rng.chance(0.1) ? '\n' : '\r\n';
  const chunked = c.body.length > 0 && rng.chance(0.1);
  const headers = [
    ['Host', authority],
    ['Content-Type', c.contentType],
    chunked ? ['Transfer-Encoding', 'chunked']
            : ['Content-Length', String(c.body.length)],
    [rng.chance(0.3) ? 'x-twilio-signature' : 'X-Twilio-Signature',
     signature],
    ['I-Twilio-Idempotency-Token', rng.hex(8) + '-' + rng.hex(4)],
    ['User-Agent', 'TwilioProxy/1.1'],
  ];
  if (c.settings !== null)
    headers.push(['X-Twilio-Webhooks-Signature-Settings', c.settings]);

  let head = `POST ${target} HTTP/1.1${eol}`;
  for (const [name, value] of headers) head += `${name}: ${value}${eol}`;
  head += eol;
  if (!chunked) return Buffer.concat([Buffer.from(head), c.body]);

  const parts = [Buffer.from(head)];
  let at = 0;
  while (at < c.body.length) {
    const size = Math.min(c.body.length - at, rng.int(1, c.body.length));
    parts.push(Buffer.from(size.toString(16) + '\r\n'),
               c.body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

module.exports = {
  randomCase, tamper, httpRequest, splitTarget, addQueryParam, formObject,
};
