# SPDX-License-Identifier: MIT
# whk_add_plugin(NAME SOURCES...): builds provider plugin NAME as a module
# under <libdir>/whk/plugins and installs it with providers.d/NAME.json in
# the install component provider-NAME, which becomes the Debian package
# whk-provider-NAME. A provider named in WHK_STATIC_PROVIDERS is linked
# into the whk executable instead, as a libltdl preloaded module.
function(whk_add_plugin name)
  set(entry "${CMAKE_SOURCE_DIR}/providers.d/${name}.json")
  if(NOT EXISTS "${entry}")
    message(FATAL_ERROR "provider ${name} has no providers.d/${name}.json")
  endif()
  if(name IN_LIST WHK_STATIC_PROVIDER_NAMES)
    whk_add_preloaded_plugin(${name} ${ARGN})
    return()
  endif()

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

  whk_module_entries(${name} entries)
  foreach(file IN LISTS entries)
    get_filename_component(file_name "${file}" NAME)
    configure_file("${file}" "${WHK_BUILD_PROVIDERS_DIR}/${file_name}"
                   COPYONLY)
    install(FILES "${file}" DESTINATION "${WHK_PROVIDERS_SUBDIR}"
            COMPONENT provider-${name})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY WHK_PLUGIN_PROVIDERS ${name})
endfunction()

# whk_module_entries(MODULE OUTPUT_VARIABLE): the providers.d files whose
# "module" is MODULE, such as svix.json for standardwebhooks, so that a
# module serving several providers installs or embeds all their entries.
function(whk_module_entries module output_variable)
  file(GLOB files "${CMAKE_SOURCE_DIR}/providers.d/*.json")
  set(found "")
  foreach(file IN LISTS files)
    file(READ "${file}" json)
    string(JSON entry_module ERROR_VARIABLE invalid GET "${json}" module)
    if(NOT invalid AND entry_module STREQUAL module)
      list(APPEND found "${file}")
    endif()
  endforeach()
  set(${output_variable} ${found} PARENT_SCOPE)
endfunction()

# whk_resolve_static_providers(): sets WHK_STATIC_PROVIDER_NAMES from
# WHK_STATIC_PROVIDERS ("all" or a list), checked against
# WHK_SELECTED_PROVIDERS.
macro(whk_resolve_static_providers)
  if(WHK_STATIC_PROVIDERS STREQUAL "all")
    set(WHK_STATIC_PROVIDER_NAMES ${WHK_SELECTED_PROVIDERS})
  else()
    set(WHK_STATIC_PROVIDER_NAMES ${WHK_STATIC_PROVIDERS})
  endif()
  if(WHK_STATIC_PROVIDER_NAMES AND WHK_BUILD_TESTS)
    # NOTE: see docs/KNOWN_ISSUES.md, "Building".
    message(WARNING "WHK_STATIC_PROVIDERS with WHK_BUILD_TESTS: tests "
                    "that load plugin files fail in this build; build "
                    "packages with -DWHK_BUILD_TESTS=OFF")
  endif()
  foreach(static_name IN LISTS WHK_STATIC_PROVIDER_NAMES)
    if(NOT static_name IN_LIST WHK_SELECTED_PROVIDERS)
      string(REPLACE ";" ", " selected "${WHK_SELECTED_PROVIDERS}")
      message(FATAL_ERROR "WHK_STATIC_PROVIDERS names '${static_name}', "
                          "which WHK_PROVIDERS does not build; built "
                          "providers: ${selected}")
    endif()
  endforeach()
endmacro()

# whk_add_preloaded_plugin(NAME SOURCES...): compiles the plugin's sources
# and merges them into one relocatable object in which every symbol but
# the descriptor is local (the sources are compiled with hidden
# visibility), so internal names of two providers cannot clash in whk.
function(whk_add_preloaded_plugin name)
  add_library(${name}-objects OBJECT ${ARGN})
  set_target_properties(${name}-objects PROPERTIES C_VISIBILITY_PRESET hidden)
  target_link_libraries(${name}-objects PRIVATE whk)

  set(merged "${CMAKE_CURRENT_BINARY_DIR}/${name}-preloaded.o")
  add_custom_command(OUTPUT "${merged}"
    COMMAND "${CMAKE_LINKER}" -r -o "${merged}"
            "$<TARGET_OBJECTS:${name}-objects>"
    COMMAND "${CMAKE_OBJCOPY}" --localize-hidden "${merged}"
    DEPENDS ${name}-objects "$<TARGET_OBJECTS:${name}-objects>"
    COMMAND_EXPAND_LISTS VERBATIM
    COMMENT "Merging provider ${name} into ${name}-preloaded.o")
  add_custom_target(${name}-preloaded DEPENDS "${merged}")
  set_property(GLOBAL APPEND PROPERTY WHK_PRELOADED_PROVIDERS ${name})
  set_property(GLOBAL APPEND PROPERTY WHK_PRELOADED_OBJECTS "${merged}")
endfunction()

# Escapes text for a C string literal in OUTPUT_VARIABLE.
function(whk_c_string text output_variable)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "?" "\\?" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
  set(${output_variable} "\"${text}\"" PARENT_SCOPE)
endfunction()

# whk_link_preloaded_providers(TARGET): generates libltdl's
# lt_preloaded_symbols table for the preloaded providers (empty when there
# are none) with whkp_preload_providers(), which registers it, and links
# the table and the providers' objects into TARGET. Each module lists
# MODULE_LTX_whk_descriptor and MODULE_LTX_whk_entries, its providers.d
# entries as JSON texts, so whk needs no file to list or load it.
function(whk_link_preloaded_providers target)
  get_property(names GLOBAL PROPERTY WHK_PRELOADED_PROVIDERS)
  get_property(objects GLOBAL PROPERTY WHK_PRELOADED_OBJECTS)
  set(declarations "")
  set(rows "")
  foreach(name IN LISTS names)
    string(MAKE_C_IDENTIFIER "${name}" module)
    whk_module_entries(${name} entries)
    set(literals "")
    foreach(file IN LISTS entries)
      file(READ "${file}" json)
      whk_c_string("${json}" literal)
      string(APPEND literals "    ${literal},\n")
    endforeach()
    string(APPEND declarations
      "extern const struct whk_descriptor ${module}_LTX_whk_descriptor;\n"
      "static const char *const ${module}_entries[] = {\n"
      "${literals}    NULL};\n\n")
    string(APPEND rows
      "    {\"${module}.a\", NULL},\n"
      "    {\"${module}_LTX_whk_descriptor\",\n"
      "     (void *)&${module}_LTX_whk_descriptor},\n"
      "    {\"${module}_LTX_whk_entries\", (void *)${module}_entries},\n")
    add_dependencies(${target} ${name}-preloaded)
  endforeach()

  set(source "${CMAKE_BINARY_DIR}/generated/preloaded.c")
  file(WRITE "${source}.new"
    "/* SPDX-License-Identifier: MIT */\n"
    "/* Generated by CMake (WHK_STATIC_PROVIDERS): preloaded providers. */\n"
    "#include <stddef.h>\n\n#include <ltdl.h>\n#include <whk/plugin.h>\n\n"
    "#include \"cli.h\"\n\n${declarations}"
    "/* libtool's layout: the program, then each module's \"NAME.a\" row\n"
    "   followed by its symbols under their MODULE_LTX_ names. */\n"
    "LT_DLSYM_CONST lt_dlsymlist lt_preloaded_symbols[] = {\n"
    "    {\"@PROGRAM@\", NULL},\n${rows}    {NULL, NULL},\n};\n\n"
    "void whkp_preload_providers(void)\n{\n"
    "    LTDL_SET_PRELOADED_SYMBOLS();\n}\n")
  # Rewriting only on change keeps whk from relinking on every configure.
  configure_file("${source}.new" "${source}" COPYONLY)
  target_sources(${target} PRIVATE "${source}")
  target_link_libraries(${target} PRIVATE whk_ltdl ${objects})
endfunction()
