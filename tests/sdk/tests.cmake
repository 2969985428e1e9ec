# SPDX-License-Identifier: MIT
# Tests of the plugin SDK: libwhk's exported symbols, whk plugin check on
# every provider built and on the broken plugins, and the example plugin
# built out of tree against an installed whk.
set(sdk_dir "${WHK_TEST_SOURCE_DIR}/sdk")
set(sdk_env
  "WHK=$<TARGET_FILE:whk-cli>"
  "WHK_TEST_SOURCE_DIR=${WHK_TEST_SOURCE_DIR}"
  "WHK_TEST_BINARY_DIR=${WHK_TEST_BINARY_DIR}")

whk_add_check_test(test_elf_exports)
target_include_directories(test_elf_exports PRIVATE
                           "${CMAKE_SOURCE_DIR}/core/cli")

add_test(NAME sdk.exported-symbols
         COMMAND bash "${sdk_dir}/exported_symbols.sh" $<TARGET_FILE:whk>
                 "${CMAKE_SOURCE_DIR}/sdk/libwhk.symbols"
                 "${CMAKE_SOURCE_DIR}/sdk/include/whk"
                 "${WHK_BUILD_PLUGIN_DIR}")

# Every provider passes the conformance check, preloaded ones included,
# with each entry of a module that serves several providers.
foreach(module IN LISTS WHK_SELECTED_PROVIDERS)
  whk_module_entries(${module} entries)
  foreach(file IN LISTS entries)
    file(READ "${file}" json)
    string(JSON provider GET "${json}" name)
    add_test(NAME sdk.plugin-check.${provider}
             COMMAND whk-cli plugin check ${provider})
  endforeach()
endforeach()

add_test(NAME sdk.plugin-check-broken
         COMMAND bash "${sdk_dir}/plugin_check.sh")
set_tests_properties(sdk.plugin-check-broken PROPERTIES
                     ENVIRONMENT "${sdk_env}")

add_test(NAME sdk.example
         COMMAND bash "${sdk_dir}/example.sh" "${CMAKE_BINARY_DIR}"
                 "${CMAKE_SOURCE_DIR}" "${CMAKE_CURRENT_BINARY_DIR}/example")
