# SPDX-License-Identifier: MIT
# GitLab: verify, the sign refusal, whk test against a Node receiver,
# listen and replay (tests/providers-gitlab/cli.sh). Needs node, curl
# and openssl.
# A build that leaves the provider out (WHK_PROVIDERS) has nothing to test.
get_property(plugin_providers GLOBAL PROPERTY WHK_PLUGIN_PROVIDERS)
if(NOT "gitlab" IN_LIST plugin_providers)
  return()
endif()
find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the GitLab tests are not registered")
  return()
endif()
add_test(NAME cli.providers.gitlab
         COMMAND bash "${WHK_TEST_SOURCE_DIR}/providers-gitlab/cli.sh")
set_tests_properties(cli.providers.gitlab PROPERTIES
  TIMEOUT 300
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk;WHK_TEST_SOURCE_DIR=${WHK_TEST_SOURCE_DIR};WHK_TEST_BINARY_DIR=${WHK_TEST_BINARY_DIR}")
