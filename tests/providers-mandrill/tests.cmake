# SPDX-License-Identifier: MIT
# Tests of the Mandrill plugin: bad input on the command line,
# randomized interop both ways with mandrill.js (written from Mandrill's
# documentation, as Mandrill publishes no package that verifies webhooks),
# and whk test, listen, replay and sign --curl against a receiver that
# uses mandrill.js. Express comes from this folder's package-lock.json
# (scripts/install-deps).
if(NOT "mandrill" IN_LIST WHK_SELECTED_PROVIDERS)
  message(STATUS "tests of mandrill skipped: provider not built")
  return()
endif()

set(mandrill_dir "${WHK_TEST_SOURCE_DIR}/providers-mandrill")
set(mandrill_whk "${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")
add_test(NAME cli.mandrill COMMAND bash "${mandrill_dir}/cli.sh")
set_tests_properties(cli.mandrill PROPERTIES ENVIRONMENT "WHK=${mandrill_whk}")

find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the mandrill interop and receiver tests are "
                 "not registered")
  return()
endif()
# WHK_INTEROP_CASES randomized cases with a fixed seed, so a failure repeats;
# WHK_INTEROP_SEED overrides it.
add_test(NAME interop.mandrill
         COMMAND "${WHK_NODE}" "${mandrill_dir}/interop.js" ${WHK_INTEROP_CASES}
         WORKING_DIRECTORY "${mandrill_dir}")
add_test(NAME e2e.mandrill
         COMMAND "${WHK_NODE}" --test "${mandrill_dir}/receiver.test.mjs"
         WORKING_DIRECTORY "${mandrill_dir}")
set_tests_properties(interop.mandrill e2e.mandrill PROPERTIES
  ENVIRONMENT "WHK=${mandrill_whk}"
  TIMEOUT 300)
