# SPDX-License-Identifier: MIT
# Tests of the local flow: whk.json and capture units, and the init,
# listen, test and replay commands driven from bash with the built whk.
foreach(suite IN ITEMS test_config test_capture_log test_judge test_records)
  whk_add_check_test(${suite})
endforeach()

foreach(script IN ITEMS init listen test_cmd replay quickstart)
  add_test(NAME flow.${script}
           COMMAND bash "${WHK_TEST_SOURCE_DIR}/flow/${script}.sh")
  set_tests_properties(flow.${script} PROPERTIES
    TIMEOUT 120
    ENVIRONMENT "WHK=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/whk;WHK_TEST_SOURCE_DIR=${WHK_TEST_SOURCE_DIR}")
endforeach()
