# SPDX-License-Identifier: MIT
# Tests of the provider plugins beyond Twilio and the SDK modules they use:
# Check suites, command-line checks of bad input, and interop against each
# provider's official npm package (tests/providers/package.json).

foreach(suite IN ITEMS test_signature test_pkey test_jsonform test_providers)
  whk_add_check_test(${suite})
  target_compile_definitions(${suite} PRIVATE
    WHK_BUILD_PLUGIN_DIR="${WHK_BUILD_PLUGIN_DIR}"
    WHK_BUILD_PROVIDERS_DIR="${WHK_BUILD_PROVIDERS_DIR}")
endforeach()

add_test(NAME cli.providers
         COMMAND bash "${WHK_TEST_SOURCE_DIR}/providers/cli.sh")
set_tests_properties(cli.providers PROPERTIES
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")

# Each provider runs WHK_INTEROP_CASES randomized cases both ways. The
# seed is fixed so a failure repeats; WHK_INTEROP_SEED overrides it.
find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(WARNING "node not found: the provider interop tests are not "
                  "registered; install Node.js 20 and run scripts/install-deps")
  return()
endif()
foreach(provider IN ITEMS stripe github slack shopify standardwebhooks svix
        sendgrid discord paddle)
  add_test(NAME interop.providers.${provider}
           COMMAND "${WHK_NODE}" "${WHK_TEST_SOURCE_DIR}/providers/interop.js"
                   ${provider} ${WHK_INTEROP_CASES}
           WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/providers")
  set_tests_properties(interop.providers.${provider} PROPERTIES
    ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk"
    TIMEOUT 900)
endforeach()
