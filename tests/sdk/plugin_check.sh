#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# whk plugin check: the deliberately broken plugins under tests/plugins
# fail it check by check, and usage errors exit 2.
set -uo pipefail
plugins="$WHK_TEST_BINARY_DIR/plugins"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run EXPECTED_EXIT ARGS...: runs whk plugin check, keeping its output.
run() {
  local expected=$1 status
  shift
  "$WHK" plugin check "$@" >"$out" 2>&1
  status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "whk plugin check $* exited $status, expected $expected:"
    cat "$out"
  fi
}

# expect STATUS CHECK [TEXT]: the report has that line, containing TEXT.
expect() {
  local line
  line=$(grep -E "^$1 +$2 " "$out")
  if [ -z "$line" ]; then
    fail "no '$1 $2' line in the report of $current:"
    cat "$out"
  elif [ -n "${3:-}" ] && ! grep -qF -- "$3" <<<"$line"; then
    fail "'$1 $2' of $current does not mention '$3': $line"
  fi
}

current=nonconforming.so
run 1 "$plugins/nonconforming.so"
for check in load descriptor abi-version descriptor-size init callbacks \
             round-trip; do
  expect PASS "$check"
done
expect FAIL exports nonconforming_debug_level
expect FAIL identity "'Non Conforming' is not a provider name"
expect FAIL signature-headers "'X Signature' is not a valid HTTP header"
expect FAIL secret "'nonconforming-secret' is not an environment variable"
expect FAIL fields "unknown placeholder '{{ENDPOINT}}'"
expect FAIL samples "its body is not JSON"
expect FAIL idempotency-keys "write it as '/id'"
expect FAIL response "response.status is 42"
expect FAIL timeout "timeout_ms is 0"
expect FAIL failures "has no fix"
expect FAIL tampered-body "still verifies as valid"
expect FAIL tampered-signature "still verifies as valid"
expect FAIL wrong-secret "still verifies as valid"
grep -q "13 of 23 checks fail" "$out" || fail "nonconforming: wrong summary"

current=minimal.so
run 1 "$plugins/minimal.so"
expect FAIL samples "there are no samples"
expect FAIL fields "the field table is empty"
expect PASS round-trip "1 sample signs"
expect FAIL tampered-body "still verifies as valid"
expect FAIL tampered-signature "verify has no opinion"
expect FAIL wrong-secret "still verifies as valid"

current=ed25519_keys.so
run 0 "$plugins/ed25519_keys.so"
expect PASS round-trip "Ed25519 key, public key as hex"
expect PASS wrong-secret "another secret is rejected"

# A shared secret given on the command line replaces the generated ones.
current="minimal --secret-env"
export WHK_CHECK_SECRET=0123456789abcdef0123456789abcdef
run 1 --secret-env WHK_CHECK_SECRET "$plugins/minimal.so"
expect PASS round-trip "test secret: the secret given"
current="minimal --secret-env, unset"
run 3 --secret-env WHK_CHECK_SECRET_UNSET "$plugins/minimal.so"
current="ed25519_keys.so --secret-env"
run 1 --secret-env WHK_CHECK_SECRET "$plugins/ed25519_keys.so"
expect FAIL round-trip "check_secret rejected the secret given"
unset WHK_CHECK_SECRET

# The timestamped plugin conforms; each of its defective builds fails
# exactly the check for its defect.
current=timestamped.so
run 0 "$plugins/timestamped.so"
expect PASS secret-exposure "none of the"
expect PASS tolerance "before and after now are rejected"
expect PASS fini "fini releases what init allocated"

# A crash in a call into the plugin fails the check it was in, and the
# checks that do not depend on it still run.
current=crashing_sign.so
run 1 "$plugins/crashing_sign.so"
expect FAIL round-trip "sign (sample 'ping') crashed with SIGSEGV"
expect SKIP tampered-body "the round-trip check did not finish"
expect SKIP tolerance "the round-trip check did not finish"
expect PASS fini
grep -q "1 of 23 checks fail, 5 skipped" "$out" ||
  fail "crashing_sign: wrong summary: $(tail -1 "$out")"

# A verify that crashes on every rejection: a new child process carries
# on after each crash, so each check that rejects fails on its own.
current=crashing_rejection.so
run 1 "$plugins/crashing_rejection.so"
expect PASS round-trip
for check in tampered-body tampered-signature wrong-secret secret-exposure \
             tolerance; do
  expect FAIL "$check" "verify (sample 'ping') crashed with SIGSEGV"
done
expect PASS fini

# A verify that never returns is stopped after the time limit.
current=looping_verify.so
run 1 "$plugins/looping_verify.so"
expect FAIL round-trip "verify (sample 'ping') did not return within 5 s"
expect PASS fini

# Each row is flushed as it is printed: killing whk while verify hangs
# keeps the rows before it, even with stdout a file.
current="looping_verify.so, killed"
(timeout -s KILL 2 "$WHK" plugin check "$plugins/looping_verify.so" \
  >"$out" 2>&1; exit 0) 2>/dev/null
expect PASS init
expect PASS failures

current=leaking_verdict.so
run 1 "$plugins/leaking_verdict.so"
expect FAIL secret-exposure \
  "verify's verdict for sample 'ping' contains the test secret;"
expect PASS tolerance
grep -q "1 of 23 checks fail" "$out" || fail "leaking_verdict: wrong summary"
# The secret given is withheld from the report, as is every form of it.
current="leaking_verdict.so --secret-env"
export WHK_CHECK_SECRET=0123456789abcdef0123456789abcdef
run 1 --secret-env WHK_CHECK_SECRET "$plugins/leaking_verdict.so"
expect FAIL secret-exposure "contains the test secret"
if grep -qi -e "$WHK_CHECK_SECRET" -e 0123456789abcdef0123456789abcdeg "$out"
then
  fail "the report of leaking_verdict.so shows the secret given"
fi
unset WHK_CHECK_SECRET

current=ignored_tolerance.so
run 1 "$plugins/ignored_tolerance.so"
expect FAIL tolerance \
  "a request signed 86700 s before now, outside the declared tolerance_seconds of 300, still verifies as valid"
expect PASS secret-exposure
grep -q "1 of 23 checks fail" "$out" || fail "ignored_tolerance: wrong summary"

# A scheme that signs no timestamp has no tolerance to check.
current=minimal.so
run 1 "$plugins/minimal.so"
expect SKIP tolerance "the descriptor declares no tolerance_seconds"

# A file named for another module than its WHK_DESCRIPTOR() argument.
current=misnamed.so
run 1 "$plugins/misnamed.so"
expect FAIL descriptor \
  "rename the file to renamed_module.so or write WHK_DESCRIPTOR(misnamed)"
expect FAIL exports \
  "exports renamed_module_LTX_whk_descriptor, the descriptor of module 'renamed_module'"
if grep -E "^FAIL +exports" "$out" | grep -q visibility; then
  fail "misnamed.so: the exports check blames visibility"
fi

current=abi_mismatch.so
run 1 "$plugins/abi_mismatch.so"
expect FAIL abi-version "built for plugin ABI 99"
expect SKIP descriptor-size
expect PASS exports
expect SKIP init

current=short_descriptor.so
run 1 "$plugins/short_descriptor.so"
expect FAIL descriptor-size "16 bytes, smaller than"

current=no_descriptor.so
run 1 "$plugins/no_descriptor.so"
expect FAIL descriptor "WHK_DESCRIPTOR(no_descriptor)"
expect FAIL exports no_descriptor_value

current=undefined_symbol.so
run 1 "$plugins/undefined_symbol.so"
expect FAIL load "undefined symbol: whk_function_that_does_not_exist"
expect SKIP round-trip "the plugin does not load"

current=not_elf.so
run 1 "$plugins/not_elf.so"
expect FAIL load

current=init_fails.so
run 1 "$plugins/init_fails.so"
expect FAIL init "key 'scheme' is missing"

# By provider name, through a providers.d folder.
export WHK_PROVIDERS_PATH="$plugins/providers.d" WHK_PLUGIN_PATH="$plugins"
current="provider minimal"
run 1 minimal
expect PASS init "provider 'minimal'"
current="provider missing-module"
run 1 missing-module
expect FAIL load "plugin 'missing_module.so' of provider 'missing-module'"
unset WHK_PROVIDERS_PATH WHK_PLUGIN_PATH

# --json: the same checks as data.
current="minimal --json"
run 1 --json "$plugins/minimal.so"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const byId = Object.fromEntries(r.checks.map((c) => [c.check, c]));
  const problems = [];
  if (r.checks.length !== 23) problems.push(`${r.checks.length} checks`);
  if (r.failed !== 8) problems.push(`failed is ${r.failed}`);
  if (byId.samples.status !== "fail") problems.push("samples not failed");
  if (byId["round-trip"].status !== "pass") problems.push("round-trip");
  if (r.provider !== "minimal") problems.push(`provider ${r.provider}`);
  if (problems.length) { console.log(problems.join("; ")); process.exit(1); }
' "$out" || fail "minimal --json report is wrong"

# Usage and input errors.
current="usage errors"
run 2
run 2 "$plugins/does-not-exist.so"
grep -q "does not exist" "$out" || fail "missing file: $(cat "$out")"
run 2 no-such-provider
grep -q "unknown provider 'no-such-provider'" "$out" ||
  fail "unknown provider: $(cat "$out")"
printf '{\n  "name": \n' >"$out.entry"
run 2 --entry "$out.entry" "$plugins/minimal.so"
grep -qF -- "--entry $out.entry, line 3, column 0: " "$out" ||
  fail "malformed --entry: $(cat "$out")"
rm -f "$out.entry"
run 2 --entry "$out.entry" "$plugins/minimal.so"
grep -qF -- "--entry $out.entry: unable to open" "$out" ||
  fail "missing --entry: $(cat "$out")"
"$WHK" plugin verify "$plugins/minimal.so" >"$out" 2>&1
[ $? -eq 2 ] || fail "'whk plugin verify' did not exit 2"
run 0 --help

# A plugin file named without a folder is the one in the current folder,
# not a library that dlopen() would look for on the library path.
current="bare file name"
(cd "$plugins" && "$WHK" plugin check minimal.so >"$out" 2>&1)
expect PASS load
(cd "$plugins" && "$WHK" plugin check not_elf.so >"$out" 2>&1)
expect FAIL load "./not_elf.so: file too short"

if [ "$failures" -gt 0 ]; then
  echo "$failures failures"
  exit 1
fi
echo "plugin check: every broken plugin failed as expected"
