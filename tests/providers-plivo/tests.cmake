# SPDX-License-Identifier: MIT
# Tests of the Plivo plugin: bad input on the command line, randomized
# interop with the official plivo package both ways, and whk test, listen,
# replay and sign --curl against a receiver written with that package.
# The npm packages come from this folder's package-lock.json
# (scripts/install-deps).
if(NOT "plivo" IN_LIST WHK_SELECTED_PROVIDERS)
  message(STATUS "tests of plivo skipped: provider not built")
  return()
endif()

set(plivo_dir "${WHK_TEST_SOURCE_DIR}/providers-plivo")
set(plivo_whk "${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")
add_test(NAME cli.plivo COMMAND bash "${plivo_dir}/cli.sh")
set_tests_properties(cli.plivo PROPERTIES ENVIRONMENT "WHK=${plivo_whk}")

find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the plivo interop and receiver tests are "
                 "not registered")
  return()
endif()
# WHK_INTEROP_CASES randomized cases with a fixed seed, so a failure repeats;
# WHK_INTEROP_SEED overrides it.
add_test(NAME interop.plivo
         COMMAND "${WHK_NODE}" "${plivo_dir}/interop.js" ${WHK_INTEROP_CASES}
         WORKING_DIRECTORY "${plivo_dir}")
add_test(NAME e2e.plivo
         COMMAND "${WHK_NODE}" --test "${plivo_dir}/receiver.test.mjs"
         WORKING_DIRECTORY "${plivo_dir}")
set_tests_properties(interop.plivo e2e.plivo PROPERTIES
  ENVIRONMENT "WHK=${plivo_whk}"
  TIMEOUT 300)
