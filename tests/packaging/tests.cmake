# SPDX-License-Identifier: MIT
# Debian packages, built the way a distribution would: whk is configured
# twice more for /usr under this build folder (providers as plugins, and
# every provider linked into whk), CPack makes the .deb files, and the
# tests unpack them with dpkg-deb -x into scratch roots and run the
# unpacked whk. The two builds are fixtures shared by the tests, so they
# run once per ctest run; everything here is labelled "packaging".
set(packaging_dir "${WHK_TEST_SOURCE_DIR}/packaging")
set(packaging_out "${CMAKE_CURRENT_BINARY_DIR}/packaging")
set(packaging_options
  "-DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}"
  "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}"
  "-DWHK_SANITIZE=${WHK_SANITIZE}"
  "-DWHK_PROVIDERS=${WHK_PROVIDERS}")

add_test(NAME packaging.build-plugin-debs
         COMMAND bash "${packaging_dir}/build_debs.sh" "${CMAKE_SOURCE_DIR}"
                 "${packaging_out}/plugins" ${packaging_options}
                 -DWHK_STATIC_PROVIDERS=)
add_test(NAME packaging.build-static-debs
         COMMAND bash "${packaging_dir}/build_debs.sh" "${CMAKE_SOURCE_DIR}"
                 "${packaging_out}/static" ${packaging_options}
                 -DWHK_STATIC_PROVIDERS=all)
set_tests_properties(packaging.build-plugin-debs PROPERTIES
                     FIXTURES_SETUP plugin-debs)
set_tests_properties(packaging.build-static-debs PROPERTIES
                     FIXTURES_SETUP static-debs)
# Each build uses both cores, so they take turns.
set_tests_properties(packaging.build-plugin-debs packaging.build-static-debs
                     PROPERTIES RESOURCE_LOCK nested-build TIMEOUT 1200)

add_test(NAME packaging.select-providers
         COMMAND bash "${packaging_dir}/select_providers.sh"
                 "${packaging_out}/plugins")
set_tests_properties(packaging.select-providers PROPERTIES
                     FIXTURES_REQUIRED plugin-debs)
add_test(NAME packaging.static-providers
         COMMAND bash "${packaging_dir}/static_providers.sh"
                 "${packaging_out}/static")
set_tests_properties(packaging.static-providers PROPERTIES
                     FIXTURES_REQUIRED static-debs)

set_tests_properties(packaging.build-plugin-debs packaging.build-static-debs
                     packaging.select-providers packaging.static-providers
                     PROPERTIES LABELS packaging)
