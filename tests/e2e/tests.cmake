# SPDX-License-Identifier: MIT
# End-to-end tests against an Express app that validates with the official
# twilio package, run with Node's test runner. scripts/install-deps runs
# npm ci here; without node the tests are not registered.
find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the e2e tests are not registered")
  return()
endif()

foreach(suite IN ITEMS app forward load)
  add_test(NAME e2e.${suite}
           COMMAND "${WHK_NODE}" --test "${WHK_TEST_SOURCE_DIR}/e2e/${suite}.test.js"
           WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/e2e")
  set_tests_properties(e2e.${suite} PROPERTIES
    TIMEOUT 300
    ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")
endforeach()
# The load test's figures depend on the other tests sharing the cores.
set_tests_properties(e2e.load PROPERTIES RUN_SERIAL TRUE)
