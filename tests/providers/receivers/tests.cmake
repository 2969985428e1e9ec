# SPDX-License-Identifier: MIT
# whk test, listen and replay for every provider: the forged secrets and
# keys of whk test's probe as a Check suite, then the commands against one
# receiver per provider, each validating with the provider's official npm
# package (the packages of tests/providers/package.json), run with Node's
# test runner. Without node those are not registered; without
# node_modules they fail with a pointer to scripts/install-deps.
whk_add_check_test(test_forge)
target_compile_definitions(test_forge PRIVATE
  WHK_BUILD_PLUGIN_DIR="${WHK_BUILD_PLUGIN_DIR}"
  WHK_BUILD_PROVIDERS_DIR="${WHK_BUILD_PROVIDERS_DIR}")

find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the provider receiver tests are not registered")
  return()
endif()

add_test(NAME e2e.providers
         COMMAND "${WHK_NODE}" --test
                 "${WHK_TEST_SOURCE_DIR}/providers/receivers/receivers.test.mjs"
         WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/providers/receivers")
set_tests_properties(e2e.providers PROPERTIES
  TIMEOUT 300
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")
