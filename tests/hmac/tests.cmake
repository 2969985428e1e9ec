# SPDX-License-Identifier: MIT
# Tests of the generic HMAC module and the providers it serves: a Check
# suite over every providers.d entry of the module and its vector under
# tests/vectors/hmac, the vectors recomputed with OpenSSL's command line,
# the official SDKs as oracles where one exists on npm, the endpoint
# challenges answered and sent by whk listen and whk test, and the
# provider table in docs/providers.md checked against providers.d.

whk_add_check_test(test_hmac)
target_compile_definitions(test_hmac PRIVATE
  WHK_BUILD_PLUGIN_DIR="${WHK_BUILD_PLUGIN_DIR}"
  WHK_BUILD_PROVIDERS_DIR="${WHK_BUILD_PROVIDERS_DIR}")

add_test(NAME cli.hmac_challenges
         COMMAND bash "${WHK_TEST_SOURCE_DIR}/hmac/challenges.sh")
set_tests_properties(cli.hmac_challenges PROPERTIES
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk"
  TIMEOUT 300)

find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(WARNING "node not found: the HMAC vector, oracle and provider "
                  "table tests are not registered; install Node.js 20")
  return()
endif()
add_test(NAME hmac.vectors_openssl
         COMMAND "${WHK_NODE}" "${WHK_TEST_SOURCE_DIR}/hmac/vectors.js" check
                 "${WHK_TEST_SOURCE_DIR}/vectors/hmac")
add_test(NAME hmac.vectors_sdk
         COMMAND "${WHK_NODE}" "${WHK_TEST_SOURCE_DIR}/hmac/oracle.js"
                 "${WHK_TEST_SOURCE_DIR}/vectors/hmac"
         WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/hmac")
add_test(NAME docs.providers_table
         COMMAND "${WHK_NODE}" "${CMAKE_SOURCE_DIR}/scripts/providers-table.js"
                 --check "${CMAKE_SOURCE_DIR}/providers.d"
                 "${CMAKE_SOURCE_DIR}/docs/providers.md")
