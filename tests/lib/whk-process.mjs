// SPDX-License-Identifier: MIT
// Runs the built whk from Node.js tests: one command at a time, or
// whk listen in the background. Each run fails on a sanitizer report, and
// a --json run also parses its output into `report`.
import { execFile, spawn } from 'node:child_process';

export const SANITIZER = /Sanitizer|runtime error:/;

// Returns env without proxy variables, so that loopback requests go direct,
// and with sanitizer exit codes that make a report fail the run.
export function testEnv(env) {
  const clean = {
    ...env,
    ASAN_OPTIONS: env.ASAN_OPTIONS || 'exitcode=86',
    LSAN_OPTIONS: env.LSAN_OPTIONS || 'exitcode=86',
    UBSAN_OPTIONS: env.UBSAN_OPTIONS || 'exitcode=86:print_stacktrace=1',
  };
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) {
    delete clean[name];
  }
  clean.no_proxy = clean.NO_PROXY = '127.0.0.1,localhost';
  return clean;
}

// Returns run, whk, startListen and stopListen bound to the whk executable,
// the environment and the working folder.
export function processes(whkPath, env, cwd) {
  function run(file, args, extraEnv = {}, input = undefined) {
    return new Promise((resolve, reject) => {
      const child = execFile(file, args, { env: { ...env, ...extraEnv }, cwd, timeout: 60000 },
        (error, stdout, stderr) => {
          if (SANITIZER.test(stderr)) {
            reject(new Error(`sanitizer report from ${file} ${args.join(' ')}:\n${stderr}`));
            return;
          }
          const result = { status: error ? error.code : 0, stdout, stderr };
          if (args.includes('--json') && stdout.trim().startsWith('{')) result.report = JSON.parse(stdout);
          resolve(result);
        });
      if (input !== undefined) child.stdin.end(input);
    });
  }

  function startListen(args) {
    return new Promise((resolve, reject) => {
      const child = spawn(whkPath, ['listen', '--port', '0', ...args], { env, cwd });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`whk listen did not start: ${stderr}`));
      }, 10000);
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
    });
  }

  function stopListen(child) {
    return new Promise((resolve) => {
      child.on('exit', (code) => resolve({ code, ...child.output() }));
      child.kill('SIGTERM');
    });
  }

  return { run, whk: (args, extraEnv) => run(whkPath, args, extraEnv), startListen, stopListen };
}
