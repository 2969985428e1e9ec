# SPDX-License-Identifier: MIT
# The hubspot and mailgun plugins: bad input and OpenSSL-made signatures on
# the command line, randomized interop both ways (HubSpot against
# @hubspot/api-client, Mailgun against Node's crypto written from its
# documentation), and whk test, listen and replay against receivers. A
# build whose WHK_PROVIDERS leaves either provider out registers only the
# interop test of the other.
set(hubspot_built FALSE)
set(mailgun_built FALSE)
if(hubspot IN_LIST WHK_SELECTED_PROVIDERS)
  set(hubspot_built TRUE)
endif()
if(mailgun IN_LIST WHK_SELECTED_PROVIDERS)
  set(mailgun_built TRUE)
endif()
if(NOT hubspot_built AND NOT mailgun_built)
  return()
endif()

if(hubspot_built AND mailgun_built)
  add_test(NAME cli.providers_hubspot_mailgun
           COMMAND bash "${WHK_TEST_SOURCE_DIR}/providers-hubspot/cli.sh")
  set_tests_properties(cli.providers_hubspot_mailgun PROPERTIES
    ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk;WHK_TEST_SOURCE_DIR=${WHK_TEST_SOURCE_DIR};WHK_TEST_BINARY_DIR=${WHK_TEST_BINARY_DIR}")
endif()

find_program(WHK_NODE node)
if(NOT WHK_NODE)
  message(STATUS "node not found: the hubspot and mailgun interop and "
                 "receiver tests are not registered")
  return()
endif()

# 250 cases each, with a fixed seed so a failure repeats; WHK_INTEROP_SEED
# overrides it.
foreach(provider IN ITEMS hubspot mailgun)
  if(NOT ${provider}_built)
    continue()
  endif()
  add_test(NAME interop.providers.${provider}
           COMMAND "${WHK_NODE}" "${WHK_TEST_SOURCE_DIR}/providers-hubspot/interop.js"
                   ${provider} 250
           WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/providers-hubspot")
  set_tests_properties(interop.providers.${provider} PROPERTIES
    ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk"
    TIMEOUT 900)
endforeach()

if(NOT hubspot_built OR NOT mailgun_built)
  return()
endif()
add_test(NAME e2e.providers_hubspot_mailgun
         COMMAND "${WHK_NODE}" --test
                 "${WHK_TEST_SOURCE_DIR}/providers-hubspot/receivers.test.mjs"
         WORKING_DIRECTORY "${WHK_TEST_SOURCE_DIR}/providers-hubspot")
set_tests_properties(e2e.providers_hubspot_mailgun PROPERTIES
  TIMEOUT 300
  ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk")
