# SPDX-License-Identifier: MIT
# Amazon SNS: command-line checks with sns-validator's receiver
# (cli.sh) and randomized interop against AWS's documented construction
# and sns-validator (interop.mjs). Needs node, openssl and npm ci here.
# A build that leaves the provider out (WHK_PROVIDERS) has nothing to test.
get_property(plugin_providers GLOBAL PROPERTY WHK_PLUGIN_PROVIDERS)
if(NOT "sns" IN_LIST plugin_providers)
  return()
endif()
find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the Amazon SNS tests are not registered")
  return()
endif()
add_test(NAME cli.providers.sns
         COMMAND bash "${WHK_TEST_SOURCE_DIR}/providers-sns/cli.sh")
set_tests_properties(cli.providers.sns PROPERTIES
  TIMEOUT 600
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk;WHK_TEST_SOURCE_DIR=${WHK_TEST_SOURCE_DIR};WHK_TEST_BINARY_DIR=${WHK_TEST_BINARY_DIR}")
# 80 random cases each way, with a fixed seed; WHK_INTEROP_SEED changes it.
add_test(NAME interop.providers.sns
         COMMAND "${WHK_NODE}" "${WHK_TEST_SOURCE_DIR}/providers-sns/interop.mjs" 80
         WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/providers-sns")
set_tests_properties(interop.providers.sns PROPERTIES
  TIMEOUT 900
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")
