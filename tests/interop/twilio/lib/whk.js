// SPDX-License-Identifier: MIT
// Runs the whk binary: verify on request files, sign to headers or curl.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

const SECRET_VARIABLE = 'WHK_INTEROP_SECRET';
const SANITIZER_REPORT =
  /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;

class Whk {
  constructor(binary, workDir) {
    this.binary = binary;
    this.workDir = workDir;
    this.fileCount = 0;
    this.baseEnv = { ...process.env };
    delete this.baseEnv.TWILIO_AUTH_TOKEN;
    delete this.baseEnv[SECRET_VARIABLE];
  }

  /** Writes data to a new file in the work folder and returns its path. */
  writeFile(name, data) {
    const file = path.join(this.workDir, `${this.fileCount++}-${name}`);
    fs.writeFileSync(file, data, { mode: 0o600 });
    return file;
  }

  /*
   * Returns the options and environment that hand whk the case's secret:
   * TWILIO_AUTH_TOKEN, another variable, or a file. The secret is never
   * an argument.
   */
  secretOptions(c) {
    const env = { ...this.baseEnv };
    if (c.secretVia === 'defaultEnv') {
      env.TWILIO_AUTH_TOKEN = c.secret;
      return { args: [], env };
    }
    if (c.secretVia === 'env') {
      env[SECRET_VARIABLE] = c.secret;
      return { args: ['--secret-env', SECRET_VARIABLE], env };
    }
    const file = this.writeFile('secret', c.secret);
    return { args: ['--secret-file', file], env };
  }

  run(args, env, input) {
    const result = childProcess.spawnSync(this.binary, args, {
      env, encoding: 'utf8', timeout: 30000, maxBuffer: 16 << 20, input,
    });
    // A sanitizer report exits 1 by default, the status whk verify uses
    // for "invalid", so the report's text marks the run instead.
    const sanitizer = SANITIZER_REPORT.test(result.stderr || '');
    return {
      args,
      status: sanitizer ? 'sanitizer report' : result.status,
      signal: result.signal,
      error: result.error ? String(result.error) : null,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  }

  /** Runs whk verify on a raw HTTP request with the public URL. */
  verify(c, request) {
    const file = this.writeFile('request.http', request);
    const secret = this.secretOptions(c);
    return this.run(['verify', '--provider', 'twilio', ...secret.args,
                     '--url', c.url, file], secret.env);
  }

  /*
   * Returns the arguments that give whk sign the case's request: headers,
   * then the body as --data TEXT, --data @FILE, or --data @- for a body
   * larger than one argument may be (128 KiB), which then goes to stdin.
   */
  requestArgs(c, useFile) {
    const args = ['--url', c.url, '-H', `Content-Type: ${c.contentType}`];
    if (c.settings !== null)
      args.push('-H', `X-Twilio-Webhooks-Signature-Settings: ${c.settings}`);
    // A body that starts with '@' would name a file: send it as one.
    if (useFile || c.bodyText.startsWith('@'))
      args.push('--data', '@' + this.writeFile('body', c.body));
    else if (c.body.length > 100 * 1024)
      args.push('--data', '@-');
    else
      args.push('--data', c.bodyText);
    return args;
  }

  /*
   * Signs the case with whk sign. Returns the run, plus signature and url
   * (the URL whk signed: with bodySHA256 for JSON) when it succeeded.
   */
  sign(c, { json, useFile }) {
    const secret = this.secretOptions(c);
    const args = ['sign', '--provider', 'twilio', ...secret.args,
                  ...this.requestArgs(c, useFile)];
    if (json) args.push('--json');
    const result = this.run(args, secret.env);
    if (result.status !== 0) return result;

    if (json) {
      const output = JSON.parse(result.stdout);
      const header = output.headers.find((h) => h.name ===
                                         'X-Twilio-Signature');
      result.signature = header ? header.value : null;
      result.url = output.url;
    } else {
      const match = /^X-Twilio-Signature: (.*)$/m.exec(result.stdout);
      result.signature = match ? match[1] : null;
      result.url = c.url;
    }
    return result;
  }

  /** Returns whk sign --curl TARGET's output: a command for bash. */
  signCurl(c, target, useFile) {
    const secret = this.secretOptions(c);
    return this.run(['sign', '--provider', 'twilio', ...secret.args,
                     ...this.requestArgs(c, useFile), '--curl', target],
                    secret.env, c.body);
  }
}

/** Describes a finished whk run for a failure message. */
function describeRun(result) {
  const outcome = result.signal ? `killed by ${result.signal}`
            : result.error ? result.error
            : typeof result.status === 'number' ? `exit ${result.status}`
            : result.status;
  return `whk ${result.args.map((a) => JSON.stringify(a)).join(' ')}: ` +
         `${outcome}\n  stdout: ${result.stdout.trim()}\n` +
         `  stderr: ${result.stderr.trim()}`;
}

module.exports = { Whk, describeRun };
