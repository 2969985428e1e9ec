#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compares the symbols libwhk exports with sdk/libwhk.symbols, checks that
# every listed symbol is declared in a public header, and that each plugin
# exports its descriptor and nothing else.
# Usage: exported_symbols.sh LIBWHK SYMBOL_LIST INCLUDE_DIR PLUGIN_DIR
set -euo pipefail
lib=$1 list=$2 include_dir=$3 plugin_dir=$4
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | LC_ALL=C sort)
listed=$(grep -v -e '^#' -e '^$' "$list")
if [ "$listed" != "$(LC_ALL=C sort <<<"$listed")" ]; then
  fail "$list is not sorted (LC_ALL=C sort)"
fi
listed=$(LC_ALL=C sort <<<"$listed")

extra=$(LC_ALL=C comm -23 <(echo "$exported") <(echo "$listed"))
if [ -n "$extra" ]; then
  fail "libwhk exports symbols missing from $list; declare each with" \
       "WHK_API in a header and list it, or make it static or whkp_:" $extra
fi
gone=$(LC_ALL=C comm -13 <(echo "$exported") <(echo "$listed"))
if [ -n "$gone" ]; then
  fail "symbols in $list that libwhk no longer exports; plugins built" \
       "against libwhk.so.0 need them:" $gone
fi

for symbol in $listed; do
  if ! grep -Eq "\\b${symbol}\\(" "$include_dir"/*.h; then
    fail "$symbol is listed but declared in no header under $include_dir"
  fi
done

plugins=0
for plugin in "$plugin_dir"/*.so; do
  [ -e "$plugin" ] || continue
  plugins=$((plugins + 1))
  # AddressSanitizer adds an __odr_asan indicator beside the descriptor.
  others=$(nm -D --defined-only "$plugin" | awk '{print $3}' |
           grep -v -e '^[A-Za-z0-9_]*_LTX_whk_descriptor$' -e '^__odr_asan' ||
           true)
  if [ -n "$others" ]; then
    fail "$(basename "$plugin") exports more than its descriptor:" $others
  fi
done

count=$(wc -l <<<"$exported")
echo "libwhk exports $count symbols; $plugins plugins checked"
if [ "$failures" -gt 0 ]; then
  echo "$failures problems"
  exit 1
fi
