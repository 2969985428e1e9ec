# SPDX-License-Identifier: MIT
# End-to-end tests of the whk command: one bash script per area under
# tests/cli, each sourcing tests/cli/lib.sh. They need bash, coreutils
# and node (to read JSON).
foreach(script IN ITEMS usage vectors diagnose input plugins)
  whk_add_cli_test(${script})
endforeach()
