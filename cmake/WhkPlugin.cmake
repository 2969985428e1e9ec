# SPDX-License-Identifier: MIT
# whk_add_plugin(NAME SOURCES...): builds provider plugin NAME as a module
# under <libdir>/whk/plugins and installs it with providers.d/NAME.json.
function(whk_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY "${WHK_BUILD_PLUGIN_DIR}"
    C_VISIBILITY_PRESET hidden
    INSTALL_RPATH "${WHK_PLUGIN_RPATH}")
  target_link_libraries(${name} PRIVATE whk)
  # Unresolved symbols fail the link, and all bindings happen at load
  # time, so a broken plugin is rejected by the loader, not at first call.
  target_link_options(${name} PRIVATE -Wl,-z,now -Wl,--no-undefined)
  install(TARGETS ${name}
          LIBRARY DESTINATION "${WHK_PLUGIN_SUBDIR}"
          COMPONENT provider-${name})

  set(entry "${CMAKE_SOURCE_DIR}/providers.d/${name}.json")
  if(NOT EXISTS "${entry}")
    message(FATAL_ERROR "provider ${name} has no providers.d/${name}.json")
  endif()
  configure_file("${entry}" "${WHK_BUILD_PROVIDERS_DIR}/${name}.json" COPYONLY)
  install(FILES "${entry}" DESTINATION "${WHK_PROVIDERS_SUBDIR}"
          COMPONENT provider-${name})
endfunction()
