#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Writes the table of providers in docs/providers.md from the providers.d
// entries, or checks that the table matches them. An entry of the generic
// HMAC module is described from its scheme; any other entry carries its
// row in a "table" member.
// Usage: node providers-table.js --write|--check PROVIDERS_DIR MARKDOWN
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const BEGIN = '<!-- BEGIN GENERATED: scripts/providers-table.js writes this part from providers.d -->';
const END = '<!-- END GENERATED -->';

const code = (s) => '`' + s + '`';
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

// The signed bytes written with the placeholders in capitals.
function signedBytes(template) {
  return template.replace(/\{header:([^}]*)\}/g, '$1').replace(/\{(\w+)\}/g, (m, name) =>
    ({ body: 'BODY', timestamp: 'TS', id: 'ID', url: 'URL', path: 'PATH', method: 'METHOD' })[name] || m);
}

function signatureForm(s) {
  const value = s.encoding === 'hex' ? 'HEX' : 'B64';
  if (s.fields) {
    return s.fields.format.replace('{signature}', value).replace('{timestamp}', 'TS');
  }
  return (s.prefix || '') + value;
}

function headers(s) {
  const out = [code(s.headers[0] + ': ' + signatureForm(s))];
  for (const other of s.headers.slice(1)) out.push(code(other) + ' (alternative)');
  if (s.timestamp && s.timestamp.header) out.push(code(s.timestamp.header));
  if (s.id) out.push(code(s.id.header));
  return out.join(', ');
}

function algorithm(s) {
  const hash = 'HMAC-' + s.hash.toUpperCase();
  const key = s.secret && s.secret.encoding === 'base64'
    ? `; key: base64 after ${s.secret.prefix || 'the secret'}`
    : s.secret && s.secret.encoding === 'hex' ? '; key: hex-decoded secret' : '';
  const many = s.fields ? `; any ${s.fields.signature} may match` : '';
  return `${hash}, ${s.encoding}${many}${key}`;
}

function tolerance(s) {
  const t = s.timestamp;
  if (!t) return 'none';
  let unit = '';
  if (t.unit === 'milliseconds') unit = ' (TS in ms)';
  if (t.unit === 'iso8601') unit = ' (TS in ISO 8601)';
  const where = t.json ? ` (TS at ${t.json} in the body)` : '';
  return (t.tolerance ? `${t.tolerance} s` : 'none unless `--tolerance`') + (where || unit);
}

function row(e) {
  const challenges = (e.challenges || []).map((c) => c.name).join(', ') || '';
  if (e.module === 'hmac') {
    const s = e.scheme;
    return [code(e.name), cell(e.title), headers(s), algorithm(s), code(signedBytes(s.signed)),
      tolerance(s), `${e.secret.form} (${code(e.secret.env)})`, challenges, e.source];
  }
  const t = e.table || {};
  return [code(e.name), cell(e.title), t.headers || '', t.algorithm || '', t.signed || '',
    t.tolerance || '', t.secret || '', t.challenge || '', t.source || ''];
}

function generate(dir) {
  const entries = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  const lines = [BEGIN, '',
    `${entries.length} providers, ${entries.filter((e) => e.module === 'hmac').length} of them served by the generic HMAC module.`,
    '',
    '| provider | title | headers | algorithm | signed bytes | timestamp tolerance | secret (`--secret-env` default) | challenge | source |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const e of entries) lines.push('| ' + row(e).map(cell).join(' | ') + ' |');
  const notes = entries.filter((e) => e.notes);
  if (notes.length) {
    lines.push('', '### Notes on the sources', '');
    for (const e of notes) lines.push(`- ${code(e.name)}: ${e.notes}`);
  }
  lines.push('', END);
  return lines.join('\n');
}

function main() {
  const [mode, dir, markdown] = process.argv.slice(2);
  if (!['--write', '--check'].includes(mode) || !dir || !markdown) {
    console.error('usage: node providers-table.js --write|--check PROVIDERS_DIR MARKDOWN');
    process.exit(2);
  }
  const text = fs.readFileSync(markdown, 'utf8');
  const begin = text.indexOf(BEGIN), end = text.indexOf(END);
  if (begin < 0 || end < begin) {
    console.error(`${markdown} has no generated part between '${BEGIN}' and '${END}'`);
    process.exit(2);
  }
  const updated = text.slice(0, begin) + generate(dir) + text.slice(end + END.length);
  if (mode === '--write') {
    fs.writeFileSync(markdown, updated);
    console.log(`wrote the provider table of ${markdown}`);
  } else if (updated === text) {
    console.log('1 passed, 0 failed');
  } else {
    console.log(`FAIL: the provider table of ${markdown} differs from ${dir}; ` +
                'run: node scripts/providers-table.js --write providers.d docs/providers.md');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

main();
