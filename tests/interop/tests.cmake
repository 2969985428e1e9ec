# SPDX-License-Identifier: MIT
# Interoperability tests: each folder interop/PROVIDER with a run.js checks
# that provider's plugin against the provider's official SDK, installed
# from npm into the folder's node_modules by scripts/install-deps (npm ci
# on its package-lock.json). A folder whose provider is not built is
# skipped.

# whk_add_interop_test(PROVIDER): interop/PROVIDER/run.js under CTest as
# interop.PROVIDER, with the built whk in WHK.
function(whk_add_interop_test provider)
  add_test(NAME interop.${provider}
           COMMAND bash "${WHK_TEST_SOURCE_DIR}/interop/run-node.sh"
                   "${WHK_TEST_SOURCE_DIR}/interop/${provider}")
  set_tests_properties(interop.${provider} PROPERTIES
    ENVIRONMENT "WHK=${WHK_EXE}"
    LABELS interop
    TIMEOUT 300)
endfunction()

file(GLOB interop_scripts RELATIVE "${WHK_TEST_SOURCE_DIR}/interop"
     "${WHK_TEST_SOURCE_DIR}/interop/*/run.js")
foreach(script IN LISTS interop_scripts)
  get_filename_component(provider "${script}" DIRECTORY)
  if(provider IN_LIST WHK_SELECTED_PROVIDERS)
    whk_add_interop_test(${provider})
  else()
    message(STATUS "interop.${provider} skipped: provider not built")
  endif()
endforeach()
