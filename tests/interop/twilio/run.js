#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Checks whk's Twilio plugin against the official twilio SDK: requests that
// one side signs must verify on the other, and tampered copies on neither.
//
// Environment: WHK (the whk binary, required), WHK_INTEROP_SEED (default
// 20240611), WHK_INTEROP_CASES (randomized cases per direction, default
// 200), WHK_INTEROP_CURL_CASES (whk sign --curl runs, default 24).
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const querystring = require('querystring');

const { Random, caseSeed } = require('./lib/random');
const cases = require('./lib/cases');
const { Whk, describeRun } = require('./lib/whk');
const { startServer } = require('./lib/server');

const DEFAULT_SEED = 20240611;
// Auth token for the fixed cases: 32 hexadecimal digits, like a real one.
const FIXED_TOKEN = '0123456789abcdef0123456789abcdef';

function exitWithError(message) {
  console.error(`interop.twilio: ${message}`);
  process.exit(1);
}

/** Loads the SDK from this folder's node_modules, at the pinned version. */
function loadTwilio() {
  const pinned = require('./package.json').dependencies.twilio;
  const manifest = path.join(__dirname, 'node_modules', 'twilio',
                             'package.json');
  if (!fs.existsSync(manifest))
    exitWithError(`the twilio SDK is missing from ${__dirname}/node_modules:` +
                  ' run scripts/install-deps');
  const installed = JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
  if (installed !== pinned)
    exitWithError(`${__dirname}/node_modules has twilio ${installed}, but ` +
                  `package.json pins ${pinned}: run scripts/install-deps`);
  return require(path.join(__dirname, 'node_modules', 'twilio'));
}

function integerSetting(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text))
    exitWithError(`${name}='${text}' is not a non-negative integer`);
  return Number(text);
}

class Tally {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.sortOrderFailures = 0;
  }

  /*
   * Counts one check. On failure prints describe()'s text and the note
   * from orderNote() (sortOrderNote's, or '' when sort order cannot be
   * the cause), and counts the failures that such a note explains.
   */
  check(ok, describe, orderNote = () => '') {
    if (ok) {
      this.passed++;
      return true;
    }
    const note = orderNote();
    this.failed++;
    if (note !== '') this.sortOrderFailures++;
    console.log(`FAIL ${describe()}${note}\n`);
    return false;
  }
}

function describeCase(c) {
  const fields = {
    id: c.id, url: c.url, contentType: c.contentType, settings: c.settings,
    secretVia: c.secretVia, body: c.bodyText,
  };
  if (c.change) fields.tampered = c.change;
  return JSON.stringify(fields, null, 2).replace(/\n/g, '\n  ');
}

/** Compares like Array.prototype.sort's default: by UTF-16 code units. */
function compareUtf16(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareUtf8(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sameOrder(items) {
  const utf16 = [...items].sort(compareUtf16);
  const utf8 = [...items].sort(compareUtf8);
  return { same: utf16.every((item, i) => item === utf8[i]), utf16, utf8 };
}

/*
 * Explains a mismatch caused by sorting: the SDK sorts keys (and the
 * values of a repeated key) by UTF-16 code units, whk by UTF-8 bytes.
 * Returns '' when both orders agree for this form.
 */
function sortOrderNote(c) {
  if (c.kind !== 'form') return '';
  const object = querystring.parse(c.bodyText);
  const lists = [['keys', Object.keys(object)]];
  for (const key of Object.keys(object)) {
    if (Array.isArray(object[key]))
      lists.push([`values of ${JSON.stringify(key)}`,
                  [...new Set(object[key])]]);
  }

  const notes = [];
  for (const [label, items] of lists) {
    const order = sameOrder(items);
    if (!order.same)
      notes.push(`${label}: SDK (UTF-16) order ${JSON.stringify(order.utf16)}` +
                 `, whk (UTF-8) order ${JSON.stringify(order.utf8)}`);
  }
  return notes.length ? `\n  sort orders differ: ${notes.join('; ')}` : '';
}

/** Lists the features of a case that the coverage summary counts. */
function features(c, algorithm) {
  const list = [c.kind, c.urlParts.scheme];
  const port = /:(\d+)$/.exec(c.urlParts.authority);
  list.push(port ? `port ${port[1]}` : 'no port');
  if (c.urlParts.query !== '') list.push('query string');
  if (c.settings === null) list.push('auth token');
  else list.push(`SharedKey ${algorithm}`);

  let text;
  if (c.kind === 'form') {
    const pairs = c.params.map(([key, value]) => `${key}\0${value}`);
    const keys = c.params.map(([key]) => key);
    if (new Set(keys).size < keys.length) list.push('repeated keys');
    if (new Set(pairs).size < pairs.length) list.push('duplicate pairs');
    if (c.params.some(([, value]) => value === '')) list.push('empty values');
    if (c.params.some(([, value]) => /[+%&=]/.test(value)))
      list.push('+ % & = in values');
    text = c.params.flat().join('');
  } else {
    text = JSON.stringify(JSON.parse(c.bodyText));
  }
  if (/[\u{10000}-\u{10FFFF}]/u.test(text)) list.push('above U+FFFF');
  if (/[\u0400-\u04FF]/.test(text)) list.push('Cyrillic');
  if (/[\uE000-\uFFFF]/.test(text)) list.push('U+E000..U+FFFF');
  return list;
}

function countFeatures(context, c, algorithm, tampered) {
  const names = features(c, algorithm);
  if (tampered) names.push(`tampered ${tampered}`);
  for (const name of names)
    context.coverage.set(name, (context.coverage.get(name) || 0) + 1);
}

/** Validates c with the SDK as an app would: form params or JSON body. */
function sdkValidates(twilio, c, signature, algorithm) {
  if (c.kind === 'json')
    return twilio.validateRequestWithBody(c.secret, signature, c.url,
                                          c.bodyText, algorithm);
  return twilio.validateRequest(c.secret, signature, c.url,
                                querystring.parse(c.bodyText), algorithm);
}

function sdkSignature(twilio, c, algorithm) {
  const params = c.kind === 'json' ? {} : querystring.parse(c.bodyText);
  return twilio.getExpectedTwilioSignature(c.secret, c.url, params,
                                           algorithm);
}

/** Checks the tampered copy t of a signed case: both sides reject it. */
function checkTampered(context, rng, t, signature, algorithm) {
  const { twilio, whk, tally } = context;

  tally.check(!sdkValidates(twilio, t, signature, algorithm),
              () => `${t.id} tampered: the SDK accepts it\n  ` +
                    describeCase(t));
  const result = whk.verify(t, cases.httpRequest(rng, t, signature));
  tally.check(result.status === 1,
              () => `${t.id} tampered: whk verify should exit 1\n  ` +
                    `${describeCase(t)}\n  ${describeRun(result)}`);
}

/*
 * The SDK signs (getExpectedTwilioSignature, with bodySHA256 in the URL for
 * a JSON body) and whk verify must accept the raw HTTP request.
 */
function runSdkSigned(context, count) {
  const { twilio, whk, tally, seed } = context;

  for (let i = 0; i < count; i++) {
    const rng = new Random(caseSeed(seed, 1, i));
    const c = cases.randomCase(rng, `sdk-${i}`);
    const algorithm = twilio.getSignatureAlgorithm(c.settings ?? undefined);
    if (c.kind === 'json') {
      c.url = cases.addQueryParam(c.url, 'bodySHA256',
                                  twilio.getExpectedBodyHash(c.bodyText),
                                  rng.chance(0.3));
    }
    const signature = sdkSignature(twilio, c, algorithm);

    tally.check(sdkValidates(twilio, c, signature, algorithm),
                () => `${c.id}: the SDK rejects its own signature\n  ` +
                      describeCase(c));
    const result = whk.verify(c, cases.httpRequest(rng, c, signature));
    tally.check(result.status === 0,
                () => `${c.id}: whk verify rejects the SDK's signature ` +
                      `${signature}\n  ${describeCase(c)}\n  ` +
                      describeRun(result),
                () => sortOrderNote(c));
    const t = cases.tamper(rng, c);
    checkTampered(context, rng, t, signature, algorithm);
    countFeatures(context, c, algorithm, t.tamper);
  }
}

/*
 * whk sign signs (printing a header line or --json) and the SDK's
 * validateRequest / validateRequestWithBody must accept the signature,
 * which must equal getExpectedTwilioSignature's for the URL whk signed.
 */
function runWhkSigned(context, count) {
  const { twilio, whk, tally, seed } = context;

  for (let i = 0; i < count; i++) {
    const rng = new Random(caseSeed(seed, 2, i));
    const c = cases.randomCase(rng, `whk-${i}`);
    const algorithm = twilio.getSignatureAlgorithm(c.settings ?? undefined);
    let hashInUrl = false;
    if (c.kind === 'json' && rng.chance(0.3)) {
      c.url = cases.addQueryParam(c.url, 'bodySHA256',
                                  twilio.getExpectedBodyHash(c.bodyText),
                                  rng.chance(0.3));
      hashInUrl = true;
    }
    const json = c.kind === 'json' && !hashInUrl ? true : rng.chance(0.5);
    const signed = whk.sign(c, { json, useFile: rng.chance(0.3) });
    if (!tally.check(signed.status === 0 && signed.signature,
                     () => `${c.id}: whk sign failed\n  ${describeCase(c)}` +
                           `\n  ${describeRun(signed)}`))
      continue;

    const s = { ...c, url: signed.url };
    tally.check(sdkValidates(twilio, s, signed.signature, algorithm),
                () => `${c.id}: the SDK rejects whk's signature ` +
                      `${signed.signature} for ${s.url}\n  ` +
                      describeCase(s),
                () => sortOrderNote(s));
    const expected = sdkSignature(twilio, s, algorithm);
    tally.check(signed.signature === expected,
                () => `${c.id}: whk signs ${signed.signature}, the SDK ` +
                      `computes ${expected} for ${s.url}\n  ` +
                      describeCase(s),
                () => sortOrderNote(s));
    const t = cases.tamper(rng, s);
    checkTampered(context, rng, t, signed.signature, algorithm);
    countFeatures(context, s, algorithm, t.tamper);
  }
}

/** Builds a case from an entry of fixed-cases.json (form requests). */
function fixedCase(entry) {
  const { authority, target } = cases.splitTarget(entry.url);
  return {
    id: `fixed "${entry.name}"`, url: entry.url, kind: 'form',
    urlParts: { scheme: entry.url.split(':')[0], authority, target },
    contentType: entry.contentType, settings: entry.settings,
    secret: entry.secret || FIXED_TOKEN, secretVia: 'defaultEnv',
    bodyText: entry.body, body: Buffer.from(entry.body, 'utf8'),
  };
}

/*
 * Runs fixed-cases.json. The SDK signs over signedUrl (default: url), and
 * whk verify's verdict on url must equal validateRequest's, except for an
 * entry with whkRejects, a documented difference where whk must reject
 * what the SDK accepts. Without a signedUrl, validateRequest must also
 * accept whk sign's signature.
 */
function runFixed(context) {
  const { twilio, whk, tally } = context;
  const entries = JSON.parse(fs.readFileSync(
    path.join(__dirname, 'fixed-cases.json'), 'utf8'));
  const rng = new Random(0);

  for (const entry of entries) {
    const c = fixedCase(entry);
    const explanation = `\n  ${entry.note}\n  ${describeCase(c)}`;
    const algorithm = twilio.getSignatureAlgorithm(c.settings ?? undefined);
    const signer = { ...c, url: entry.signedUrl || c.url };
    const signature = sdkSignature(twilio, signer, algorithm);
    const sdkVerdict = sdkValidates(twilio, c, signature, algorithm);
    const result = whk.verify(c, cases.httpRequest(rng, c, signature));
    if (entry.whkRejects) {
      // A documented difference: the SDK accepts, whk must reject.
      tally.check(sdkVerdict && result.status === 1,
                  () => `${c.id}: expected validateRequest to accept and ` +
                        `whk verify to exit 1 (${entry.whkRejects}); got ` +
                        `${sdkVerdict} and ${result.status}${explanation}` +
                        `\n  ${describeRun(result)}`);
      continue;
    }
    tally.check(result.status === (sdkVerdict ? 0 : 1),
                () => `${c.id}: validateRequest returns ${sdkVerdict} for ` +
                      `the SDK's signature, whk verify exits ` +
                      `${result.status}${explanation}\n  ${describeRun(result)}`,
                () => sortOrderNote(c));
    if (entry.signedUrl) continue;

    const signed = whk.sign(c, { json: true, useFile: false });
    tally.check(signed.status === 0 &&
                sdkValidates(twilio, c, signed.signature, algorithm),
                () => `${c.id}: validateRequest rejects whk's signature ` +
                      `${signed.signature}, the SDK computes ` +
                      `${signature}${explanation}\n  ${describeRun(signed)}`,
                () => sortOrderNote(c));
  }
  return entries.length;
}

/*
 * Runs a command as a user who pipes it into a shell does, so a command
 * longer than one argument may be still runs.
 */
function runBash(command, env) {
  return new Promise((resolve) => {
    const child = childProcess.execFile('bash', ['-s'],
                                        { env, timeout: 15000,
                                          encoding: 'utf8' },
                                        (error, stdout, stderr) => resolve({
                                          status: error
                                            ? error.code ?? error.signal : 0,
                                          stdout, stderr,
                                        }));
    child.stdin.end(command);
  });
}

/** Environment for curl: no secrets, and no proxy that leaves loopback. */
function curlEnvironment() {
  const env = { ...process.env };
  for (const name of ['TWILIO_AUTH_TOKEN', 'WHK_INTEROP_SECRET', 'http_proxy',
                      'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy',
                      'ALL_PROXY'])
    delete env[name];
  env.no_proxy = env.NO_PROXY = '127.0.0.1,localhost';
  return env;
}

/* Checks what the server recorded for one whk sign --curl case. */
function checkDelivery(tally, c, record, control) {
  const where = `${c.id}${control ? ' (wrong secret)' : ''}`;
  if (!tally.check(record !== null,
                   () => `${where}: no request reached the server`))
    return;
  if (control) {
    tally.check(record.middleware === 403 && record.direct === false,
                () => `${where}: the SDK accepts a request signed with ` +
                      `another secret (middleware ${record.middleware}, ` +
                      `validateRequest ${record.direct})`);
    return;
  }

  const publicTarget = cases.splitTarget(c.url).target;
  tally.check(record.error === undefined && record.middleware === 'accepted',
              () => `${where}: twilio.webhook() rejects the request with ` +
                    `${record.middleware} ${record.error || ''}\n  ` +
                    describeCase(c),
              () => sortOrderNote(c));
  tally.check(record.direct === true,
              () => `${where}: validateRequest rejects the request\n  ` +
                    describeCase(c),
              () => sortOrderNote(c));
  tally.check(record.body.equals(c.body),
              () => `${where}: the body arrived changed: sent ` +
                    `${JSON.stringify(c.bodyText)}, received ` +
                    JSON.stringify(record.body.toString('utf8')));
  tally.check(record.method === 'POST' &&
              record.host === c.urlParts.authority &&
              record.proto === c.urlParts.scheme &&
              record.target.startsWith(publicTarget),
              () => `${where}: expected POST ${publicTarget} for ` +
                    `${c.urlParts.scheme}://${c.urlParts.authority}, got ` +
                    `${record.method} ${record.target} with Host ` +
                    `${record.host} and X-Forwarded-Proto ${record.proto}`);
}

/*
 * Returns a form case whose body exceeds the 128 KiB that one command-line
 * argument may hold, so whk sign --curl must pipe it in.
 */
function largeFormCase(rng, c) {
  while (c.kind !== 'form')
    c = cases.randomCase(rng, c.id);
  c.params.push(['Body', 'Привет 👋 '.repeat(12000)]);
  c.bodyText = new URLSearchParams(c.params).toString();
  c.body = Buffer.from(c.bodyText, 'utf8');
  c.id += ' (large body)';
  return c;
}

/*
 * whk sign --curl http://127.0.0.1:PORT prints a command; bash runs it and
 * a loopback server checks the request with twilio.webhook() and with
 * validateRequest*(). The last two cases sign with a secret the server
 * does not trust and must be rejected.
 */
async function runCurl(context, count) {
  const { whk, tally, seed, twilio } = context;
  const state = { expected: null, record: null };
  const env = curlEnvironment();
  const server = await startServer(twilio, state);
  const target = `http://127.0.0.1:${server.address().port}`;

  try {
    for (let i = 0; i < count + 2; i++) {
      const rng = new Random(caseSeed(seed, 4, i));
      let c = cases.randomCase(rng, `curl-${i}`);
      const control = i >= count;
      if (i === 1)
        c = largeFormCase(rng, c);
      state.expected = {
        scheme: c.urlParts.scheme, authority: c.urlParts.authority,
        settings: c.settings, decoy: rng.hex(32),
        secret: control ? c.secret + 'x' : c.secret,
      };
      state.record = null;

      const signed = whk.signCurl(c, target, rng.chance(0.3));
      // A body over one argument's limit is piped in through printf.
      if (!tally.check(signed.status === 0 &&
                       /^(curl|printf '%s' ')/.test(signed.stdout),
                       () => `${c.id}: whk sign --curl failed\n  ` +
                             `${describeCase(c)}\n  ${describeRun(signed)}`))
        continue;
      const run = await runBash(signed.stdout, env);
      if (!tally.check(run.status === 0,
                       () => `${c.id}: the curl command failed (${run.status})` +
                             `: ${run.stderr}\n  command: ${signed.stdout}`))
        continue;
      checkDelivery(tally, c, state.record, control);
      if (!control)
        countFeatures(context, c,
                      twilio.getSignatureAlgorithm(c.settings ?? undefined));
    }
  } finally {
    server.close();
  }
}

function checkCurlInstalled() {
  const found = childProcess.spawnSync('bash', ['-c', 'command -v curl']);
  if (found.status !== 0)
    exitWithError('curl is not installed: run scripts/install-deps');
}

async function runPart(context, title, count, body) {
  const before = context.tally.passed + context.tally.failed;
  const failedBefore = context.tally.failed;
  const start = process.hrtime.bigint();
  context.coverage = new Map();
  count = (await body(context, count)) ?? count;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const checks = context.tally.passed + context.tally.failed - before;
  console.log(`${title}: ${count} cases, ${checks} checks, ` +
              `${context.tally.failed - failedBefore} failed, ` +
              `${seconds.toFixed(1)} s`);
  if (context.coverage.size > 0) {
    const counts = [...context.coverage].sort()
      .map(([name, n]) => `${name} ${n}`);
    console.log(`  cases with: ${counts.join(', ')}`);
  }
}

async function main() {
  const binary = process.env.WHK;
  if (!binary)
    exitWithError('WHK is not set: run through ctest, or set WHK to the ' +
                  'whk binary (such as build/bin/whk)');
  if (!fs.existsSync(binary))
    exitWithError(`WHK='${binary}' does not exist: build whk first`);
  const twilio = loadTwilio();
  checkCurlInstalled();

  const seed = integerSetting('WHK_INTEROP_SEED', DEFAULT_SEED);
  const count = integerSetting('WHK_INTEROP_CASES', 200);
  const curlCount = integerSetting('WHK_INTEROP_CURL_CASES', 24);
  const twilioVersion = require('./node_modules/twilio/package.json').version;
  console.log(`seed ${seed} (replay with WHK_INTEROP_SEED=${seed}); ` +
              `twilio ${twilioVersion}; whk ${binary}`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whk-interop-'));
  const context = { twilio, seed, tally: new Tally(),
                    whk: new Whk(binary, workDir) };
  try {
    await runPart(context, 'fixed cases', 0, runFixed);
    await runPart(context, 'SDK signs, whk verify checks', count,
                  runSdkSigned);
    await runPart(context, 'whk sign signs, SDK checks', count,
                  runWhkSigned);
    await runPart(context, 'whk sign --curl to a server using the SDK',
                  curlCount, runCurl);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const { passed, failed, sortOrderFailures } = context.tally;
  if (sortOrderFailures > 0)
    console.log(`${sortOrderFailures} of the failed checks are on forms ` +
                'whose keys or repeated values sort differently by UTF-16 ' +
                'code units (the SDK) and by UTF-8 bytes (whk)');
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
