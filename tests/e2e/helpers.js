// SPDX-License-Identifier: MIT
// Starting and stopping the Express app and whk listen on free loopback
// ports, and running whk, for the end-to-end tests.
'use strict';

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const WHK = process.env.WHK;
const TOKEN = '0123456789abcdef0123456789abcdef';
const PUBLIC = 'https://twilio-dev.example.com';
const WEBHOOK_URL = `${PUBLIC}/webhooks/twilio/sms`;
const STARTUP_MS = 10000;
const SANITIZER = /Sanitizer|runtime error:/;

// Under -DWHK_SANITIZE=ON a sanitizer report must not pass as exit 1 or 2.
const sanitizerEnv = {
  ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'exitcode=86',
  LSAN_OPTIONS: process.env.LSAN_OPTIONS || 'exitcode=86',
  UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'exitcode=86:print_stacktrace=1',
};

if (!WHK) {
  throw new Error('WHK must name the built whk executable');
}
try {
  require.resolve('twilio');
  require.resolve('express');
} catch (error) {
  throw new Error('tests/e2e has no node_modules: run scripts/install-deps '
    + '(or npm ci in tests/e2e)');
}

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'whk-e2e-'));
}

// Spawns a server and resolves once it prints "listening on ...:PORT".
function startServer(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start: ${stderr}`));
    }, STARTUP_MS);

    children.add(child);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match && !child.port) {
        child.port = Number(match[1]);
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.output = () => ({ stdout, stderr });
    child.on('exit', (code) => {
      children.delete(child);
      clearTimeout(timer);
      if (!child.port) reject(new Error(`${command} exited ${code}: ${stderr}`));
    });
  });
}

// Sends SIGTERM and resolves with the exit code and output.
function stopServer(child) {
  return new Promise((resolve, reject) => {
    const done = (code) => {
      const output = child.output();
      if (SANITIZER.test(output.stderr)) {
        reject(new Error(`sanitizer report from ${child.spawnfile}:\n${output.stderr}`));
      } else {
        resolve({ code, ...output });
      }
    };
    if (child.exitCode !== null) {
      done(child.exitCode);
      return;
    }
    child.on('exit', done);
    child.kill('SIGTERM');
  });
}

function startApp(variant, extraEnv = {}) {
  return startServer(process.execPath, [path.join(__dirname, 'app.js')], {
    env: {
      ...process.env,
      VARIANT: variant,
      TWILIO_AUTH_TOKEN: TOKEN,
      PUBLIC_WEBHOOK_URL: WEBHOOK_URL,
      ...extraEnv,
    },
  });
}

function startListen(cwd, args) {
  return startServer(WHK, ['listen', '--provider', 'twilio', '--port', '0',
    '--public-url', PUBLIC, ...args], {
    cwd,
    env: { ...process.env, ...sanitizerEnv, TWILIO_AUTH_TOKEN: TOKEN },
  });
}

// Runs whk and resolves with status, stdout and stderr.
function whk(args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(WHK, args, {
      cwd,
      env: { ...process.env, ...sanitizerEnv, TWILIO_AUTH_TOKEN: TOKEN },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120000,
    }, (error, stdout, stderr) => {
      if (SANITIZER.test(stderr)) {
        reject(new Error(`sanitizer report from whk ${args.join(' ')}:\n${stderr}`));
      } else {
        resolve({ status: error ? error.code : 0, stdout, stderr });
      }
    });
  });
}

module.exports = {
  PUBLIC, TOKEN, WEBHOOK_URL, startApp, startListen, stopServer, tempDir, whk,
};
