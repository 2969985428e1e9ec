#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The packages of a build with every provider linked into whk: no
# provider packages, and the unpacked whk, with no plugin folder and no
# providers.d folder at all, lists, checks and uses its preloaded
# providers.
# Usage: static_providers.sh OUT_DIR (of build_debs.sh)
set -uo pipefail
out=$1
packages="$out/build/packages"
source "$(dirname "$0")/common.sh"
root="$out/root"

made=$(cd "$packages" && ls -- *.deb | sed 's/_.*//' | sort | tr '\n' ' ')
[ "$made" = "whk whk-dev " ] || fail "the static build made packages: $made"
whk_deb=$(deb whk) || exit 1
dpkg-deb -f "$whk_deb" Provides | grep -q whk-provider-twilio ||
  fail "whk does not provide whk-provider-twilio"

unpack "$root" whk || exit 1
leftovers=$(find "$root" -path '*/whk/plugins*' -o -path '*/providers.d*')
[ -z "$leftovers" ] || fail "the static whk package installs $leftovers"

root_whk "$root" providers --json >"$out/providers.json" ||
  fail "whk providers failed in the scratch root"
names=$(provider_names "$out/providers.json")
# Every providers.d entry of the source whose module the build preloaded.
modules=$(sed -n 's/^ *{"\([a-z0-9_]*\)\.a", NULL},$/\1/p' \
  "$out/build/generated/preloaded.c")
expected=$(node -e '
  const fs = require("fs"), path = require("path");
  const [dir, ...modules] = process.argv.slice(1);
  const names = fs.readdirSync(dir).filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f))))
    .filter((e) => modules.includes(e.module)).map((e) => e.name).sort();
  console.log(names.join(" "));
' "$(dirname "$0")/../../providers.d" $modules)
[ -n "$names" ] && [ "$names" = "$expected" ] ||
  fail "whk lists '$names'; the entries of the preloaded modules are" \
       "'$expected'"
grep -q '"preloaded": false' "$out/providers.json" &&
  fail "an entry is not preloaded: $(cat "$out/providers.json")"

for name in $names; do
  root_whk "$root" plugin check "$name" >"$out/check.out" ||
    fail "whk plugin check $name: $(grep -v '^PASS' "$out/check.out")"
done
twilio_round_trip "$root"

finish "static packages"
