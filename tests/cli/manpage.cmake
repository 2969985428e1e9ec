# SPDX-License-Identifier: MIT
# docs/whk.1 against the commands' --help, and its rendering with groff.
whk_add_cli_test(manpage)
