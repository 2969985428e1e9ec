#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that docs/whk.1 documents exactly the commands and options of
# whk: those each command's --help lists, which its parser must accept,
# and those in the getopt tables of core/cli. Then renders the page with
# every groff warning on (and mandoc's lint when installed).
#
# The page gives each command a subsection '.SS "whk COMMAND"' under
# COMMANDS and each option a .TP paragraph whose tag line starts with the
# option ("-p, --provider NAME" or "--json"). -h/--help, which every
# command has, is documented once under OPTIONS and skipped here.
set -euo pipefail

: "${WHK:?set WHK to the whk executable}"
: "${WHK_TEST_SOURCE_DIR:?set WHK_TEST_SOURCE_DIR to the tests folder}"
page="$WHK_TEST_SOURCE_DIR/../docs/whk.1"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Prints the commands that 'whk --help' lists, one per line, sorted.
help_commands() {
  "$WHK" --help | awk '
    /^Commands:/ { listing = 1; next }
    listing && /^  [a-z]/ { print $1; next }
    listing && /^$/ { listing = 0 }' | sort
}

# Prints the subsection titles under COMMANDS without "whk ", one per line.
page_commands() {
  awk '
    /^\.SH / { in_commands = ($2 == "COMMANDS") }
    in_commands && /^\.SS / {
      title = substr($0, 5)
      gsub(/"/, "", title)
      sub(/^whk /, "", title)
      print title
    }' "$page"
}

# Prints the options of 'whk WORDS --help' as "-p --provider" or "--json".
help_options() {
  # shellcheck disable=SC2086 # WORDS are separate arguments on purpose
  "$WHK" $1 --help |
    sed -n -E 's/^  (-([[:alnum:]]), |    )--([[:alnum:]-]+).*/\2 --\3/p' |
    sed -E 's/^ //; s/^([[:alnum:]]) /-\1 /' |
    grep -v -x -e '-h --help' -e '--help' | sort || true
}

# Prints the options tagged in the page's subsection "whk WORDS", in the
# same form as help_options.
page_options() {
  awk -v title="whk $1" '
    /^\.S[HS] / {
      current = substr($0, 5)
      gsub(/"/, "", current)
      inside = (current == title)
      next
    }
    inside && tag { print; tag = 0; next }
    inside && /^\.TP/ { tag = 1 }' "$page" |
    sed -E 's/^\.[A-Z]+ //; s/\\f[BIRP]//g; s/\\%//g; s/\\-/-/g; s/"//g' |
    sed -E 's/ +/ /g; s/ ,/,/g' |
    sed -n -E 's/^(-([[:alnum:]]), )?--([[:alnum:]-]+).*/\2 --\3/p' |
    sed -E 's/^ //; s/^([[:alnum:]]) /-\1 /' | sort
}

# compare WHAT SOURCE EXPECTED ACTUAL fails once for each line that is in
# only one of EXPECTED (from SOURCE) and ACTUAL (from the page).
compare() {
  local what=$1 source=$2 expected=$3 actual=$4 line

  while IFS= read -r line; do
    [ -n "$line" ] && fail "$what: '$line' is in $source but not in whk.1"
  done < <(comm -23 <(printf '%s\n' "$expected") \
                    <(printf '%s\n' "$actual"))
  while IFS= read -r line; do
    [ -n "$line" ] && fail "$what: '$line' is in whk.1 but not in $source"
  done < <(comm -13 <(printf '%s\n' "$expected") \
                    <(printf '%s\n' "$actual"))
  return 0
}

check_commands() {
  local commands titles first_words title options

  commands=$(help_commands)
  titles=$(page_commands)
  if [ -z "$commands" ]; then
    fail "'whk --help' lists no commands"
    return
  fi
  first_words=$(printf '%s\n' "$titles" | awk '{ print $1 }' | sort -u)
  compare "commands" "whk --help" "$commands" "$first_words"

  while IFS= read -r title; do
    [ -n "$title" ] || continue
    # shellcheck disable=SC2086 # WORDS are separate arguments on purpose
    if ! "$WHK" $title --help >/dev/null 2>&1; then
      fail "whk.1 documents 'whk $title', but 'whk $title --help' fails"
      continue
    fi
    options=$(help_options "$title")
    compare "whk $title" "--help" "$options" "$(page_options "$title")"
    check_accepted "$title" "$options"
    echo "whk $title: $(printf '%s' "$options" | grep -c . || true)" \
         "options documented"
  done <<<"$titles"
}

# Checks that the command's parser accepts each option its --help lists:
# getopt_long reports an unknown one before --help is reached.
check_accepted() {
  local title=$1 options=$2 short long output

  while read -r short long; do
    [ -n "$short" ] || continue
    if [ -z "$long" ]; then
      long=$short
      short=""
    fi
    # A value after each option, so that none consumes --help.
    for option in $short "$long=x"; do
      # shellcheck disable=SC2086 # WORDS are separate arguments on purpose
      output=$("$WHK" $title $option x --help 2>&1 </dev/null || true)
      case $output in
      *"unrecognized option"* | *"invalid option"*)
        fail "whk $title --help lists ${option%=x}, but its parser" \
             "rejects it" ;;
      esac
    done
  done <<<"$options"
}

# Compares the long options of every getopt table in core/cli with the
# options the page documents, for an option that --help omits too.
check_getopt_tables() {
  local sources="$WHK_TEST_SOURCE_DIR/../core/cli" tables documented

  tables=$(grep -h -o -E '^ *\{"[[:alnum:]-]+", *(no|required|optional)_argument' \
             "$sources"/*.c | sed -E 's/^ *\{"([^"]+)".*/--\1/' |
           grep -v -x -e '--help' | sort -u)
  documented=$(page_commands | while IFS= read -r title; do
                 page_options "$title"
               done | awk '{ print $NF }' | sort -u)
  compare "long options" "a getopt table in core/cli" "$tables" \
          "$documented"
}

# Renders the page with every warning on, and fails on any warning.
check_rendering() {
  local warnings

  if ! command -v groff >/dev/null; then
    echo "skipping the rendering check: groff is not installed" \
         "(apt-get install groff-base)"
    return
  fi
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1 || echo "groff failed")
  if [ -n "$warnings" ]; then
    fail "groff warns about whk.1:"
    printf '%s\n' "$warnings" >&2
  fi
  if command -v mandoc >/dev/null; then
    warnings=$(mandoc -T lint -W warning "$page" 2>&1 || true)
    if [ -n "$warnings" ]; then
      fail "mandoc warns about whk.1:"
      printf '%s\n' "$warnings" >&2
    fi
  fi
}

if [ ! -f "$page" ]; then
  fail "manual page $page not found"
  exit 1
fi
check_commands
check_getopt_tables
check_rendering
if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "whk.1 matches --help and renders cleanly"
