#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Loading plugins that are broken in each way the loader detects, from
# the folder tests/plugins builds, and providers.d files that are
# malformed.
source "${WHK_TEST_SOURCE_DIR:?run through ctest}/cli/lib.sh" || exit 1
cli_begin

plugins="$WHK_TEST_BINARY_DIR/plugins"
entries="$plugins/providers.d"
export PLUGIN_SECRET=3e9a7c1f5d2b8e0a4c6f1d9b3a7e5c2d
url=https://hooks.example.com/hook

if [ ! -f "$plugins/minimal.so" ] || [ ! -d "$entries" ]; then
    echo "FAIL: $plugins lacks the test plugins; build the whole project first"
    exit 1
fi

run "$WHK" --version
abi=$(sed -n 's/.*(plugin ABI \([0-9]*\)).*/\1/p' "$OUT")
check
[ -n "$abi" ] || fail "whk --version printed no plugin ABI number"

with_plugins() {
    run env "WHK_PROVIDERS_PATH=$entries" "WHK_PLUGIN_PATH=$plugins" "$@"
}

cli_case "providers lists every entry without loading the plugins"
with_plugins "$WHK" providers
expect_status 0
for name in abi-mismatch short-descriptor no-descriptor init-fails \
    undefined-symbol not-elf minimal; do
    expect_out "$name "
done
expect_out "missing-module    missing-module     (plugin missing)"
expect_out_lacks "twilio"
expect_err_empty

# expect_refused PROVIDER MESSAGE...: show, verify and sign exit 3 with an
# error naming the provider's plugin file and containing each MESSAGE.
expect_refused() {
    local provider=$1 module=${1//-/_} message
    shift

    for command in show verify sign; do
        cli_case "$provider: $command is refused"
        case "$command" in
        show) with_plugins "$WHK" show "$provider" ;;
        *) with_plugins "$WHK" "$command" -p "$provider" \
               --secret-env PLUGIN_SECRET --url "$url" --data a=b ;;
        esac
        expect_status 3
        if [ "$provider" != missing-module ]; then
            expect_err "whk: error: plugin $plugins/$module.so "
        fi
        for message in "$@"; do
            expect_err "$message"
        done
        expect_out_empty
    done
}

expect_refused abi-mismatch \
    "was built for whk plugin ABI $((abi + 98)), but this whk supports ABI $abi" \
    "rebuild the plugin with this whk's SDK"
expect_refused short-descriptor \
    "has a descriptor of 16 bytes, smaller than the" \
    "bytes of ABI $abi"
expect_refused no-descriptor "exports no whk_descriptor symbol"
expect_refused init-fails \
    "failed to initialize: key 'scheme' is missing from the entry"
expect_refused undefined-symbol \
    "has an unresolved symbol" \
    "undefined symbol: whk_function_that_does_not_exist" \
    "-Wl,-z,now -Wl,--no-undefined"
expect_refused not-elf "is not a shared object"
expect_refused missing-module \
    "plugin 'missing_module.so' for provider 'missing-module' (named by $entries/missing-module.json) was not found in $plugins"

cli_case "minimal: show"
with_plugins "$WHK" show minimal
expect_status 0
expect_out "minimal (minimal)"
expect_out "  plugin:        $plugins/minimal.so"
expect_out "  header:    X-Minimal"
expect_err_empty

cli_case "minimal: show --json"
with_plugins "$WHK" show minimal --json
expect_status 0
expect_json name minimal
expect_json plugin "$plugins/minimal.so"

cli_case "minimal: sign"
with_plugins "$WHK" sign -p minimal --secret-env PLUGIN_SECRET \
    --url "$url" --data a=b
expect_status 0
expect_out "X-Minimal: ok"

cli_case "minimal: verify a signed request"
with_plugins "$WHK" verify -p minimal --secret-env PLUGIN_SECRET \
    --url "$url" -H "X-Minimal: ok" --data a=b
expect_status 0
expect_out "valid: ok"

cli_case "minimal: verify an unsigned request"
with_plugins "$WHK" verify -p minimal --secret-env PLUGIN_SECRET \
    --url "$url" --data a=b --json
expect_status 1
expect_json status "not applicable"
expect_json_contains message "plugin $plugins/minimal.so returned without a verdict for this request"

cli_case "minimal: no default secret variable"
with_plugins "$WHK" verify -p minimal --url "$url" --data a=b
expect_status 2
expect_err "this provider declares no secret variable; pass --secret-env VAR or --secret-file FILE"

# A providers.d folder with one good entry and each kind of bad one.
bad="$WORK/providers.d"
mkdir "$bad"
printf '{"name": "minimal", "module": "minimal"}\n' >"$bad/a-good.json"
printf '{\n  "name": "bad-json",\n  "module": "minimal",\n}\n' \
    >"$bad/b-bad-json.json"
printf '{\n  "name": "no-module",\n  "title": "No module"\n}\n' \
    >"$bad/c-no-module.json"
printf '{\n  "module": "minimal",\n  "name": "Bad Name"\n}\n' \
    >"$bad/d-bad-name.json"
printf '\n{"title": "Again",\n "name": "minimal", "module": "minimal"}\n' \
    >"$bad/e-duplicate.json"
printf '["minimal"]\n' >"$bad/f-array.json"
printf '{"name": "slash", "module": "lib/minimal"}\n' >"$bad/g-slash.json"
# Columns count characters, so the two-byte 'é' counts once.
printf '{"title": "Caf\xc3\xa9", "name": "\xc3\x89t\xc3\xa9", "module": "minimal"}\n' \
    >"$bad/h-utf8.json"
printf 'not an entry\n' >"$bad/README"

with_bad() {
    run env "WHK_PROVIDERS_PATH=$bad" "WHK_PLUGIN_PATH=$plugins" "$@"
}

cli_case "providers.d: malformed files are skipped with a warning"
with_bad "$WHK" providers
expect_status 0
expect_out "minimal"
expect_out_lacks "bad-json"
expect_out_lacks "no-module"
expect_out_lacks "Bad Name"
expect_out_lacks "slash"
expect_err "whk: warning: skipped $bad/b-bad-json.json:4:1: invalid JSON"
expect_err "whk: warning: skipped $bad/c-no-module.json:1:1: key 'module' is missing"
expect_err "whk: warning: skipped $bad/d-bad-name.json:3:3: key 'name' is 'Bad Name'; use lowercase letters, digits, '-' and '_'"
expect_err "whk: warning: skipped $bad/e-duplicate.json:3:2: provider 'minimal' is already defined by $bad/a-good.json"
expect_err "whk: warning: skipped $bad/f-array.json:1:1: the entry must be a JSON object"
expect_err "whk: warning: skipped $bad/g-slash.json:1:19: key 'module' is 'lib/minimal'; give a bare module name or an absolute path"
expect_err "whk: warning: skipped $bad/h-utf8.json:1:19: key 'name' is 'Été'"
expect_err_lacks "README"

cli_case "providers.d: providers --json with malformed files"
with_bad "$WHK" providers --json
expect_status 0
expect_out '"name": "minimal"'
expect_err "whk: warning: skipped $bad/b-bad-json.json"

cli_case "providers.d: the good entry still loads"
with_bad "$WHK" show minimal
expect_status 0
expect_out "minimal (minimal)"

cli_case "providers.d: a skipped entry is an unknown provider"
with_bad "$WHK" show bad-json
expect_status 2
expect_err "whk: error: unknown provider 'bad-json'"
expect_err "whk: note: skipped $bad/b-bad-json.json:4:1: invalid JSON"

cli_case "providers.d: empty folder"
mkdir "$WORK/empty.d"
run env "WHK_PROVIDERS_PATH=$WORK/empty.d" "WHK_PLUGIN_PATH=$plugins" \
    "$WHK" providers
expect_status 0
expect_err "whk: warning: no providers are installed (searched $WORK/empty.d)"

cli_case "no output contains a secret"
expect_no_leak "$PLUGIN_SECRET"

cli_end
