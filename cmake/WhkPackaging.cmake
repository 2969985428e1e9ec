# SPDX-License-Identifier: MIT
# CPack: one Debian package per install component. Package whk holds the
# host (whk, libwhk, man pages), whk-dev the SDK (headers, the libwhk.so
# link, whk-plugin.pc, the example and guide), and whk-provider-NAME each
# provider built as a plugin file (the plugin and its providers.d entry).
# Providers linked into whk (WHK_STATIC_PROVIDERS) get no package; whk
# provides their names instead. Packages for Debian install under /usr:
#   cmake -S . -B build-deb -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-deb && cpack -G DEB --config build-deb/CPackConfig.cmake

set(WHK_PACKAGE_CONTACT "whk maintainers <whk-maintainers@example.org>"
    CACHE STRING "Maintainer field of the Debian packages")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME whk)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${WHK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# Compiled-in fallback paths and RUNPATHs follow CMAKE_INSTALL_PREFIX, so
# the packages install there too.
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/packages")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps looks up libwhk.so.0, which the plugins need, here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    "${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_LIBDIR}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# A shlibs file for libwhk.so.0, and the ldconfig trigger with it.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
# Plugins built against this libwhk.so.0 work with any later one.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(CPACK_DEBIAN_WHK_PACKAGE_NAME whk)
set(CPACK_DEBIAN_WHK_DESCRIPTION
    "verify, sign and test the webhooks SaaS providers send
whk checks webhook signatures and explains failures, signs requests for
tests, and loads one plugin per provider. Install the whk-provider-NAME
packages for the providers you use.")
set(CPACK_DEBIAN_WHK-DEV_PACKAGE_NAME whk-dev)
set(CPACK_DEBIAN_WHK-DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_WHK-DEV_DEPENDS whk)
set(CPACK_DEBIAN_WHK-DEV_DESCRIPTION
    "SDK for whk provider plugins
Headers, the libwhk.so development link and the whk-plugin pkg-config
file for building provider plugins outside the whk source tree, with an
example plugin and the guide to writing one.")

set(WHK_PACKAGE_COMPONENTS whk whk-dev)
get_property(plugin_providers GLOBAL PROPERTY WHK_PLUGIN_PROVIDERS)
foreach(name IN LISTS plugin_providers)
  string(TOUPPER "provider-${name}" component)
  file(READ "${CMAKE_SOURCE_DIR}/providers.d/${name}.json" entry)
  string(JSON title ERROR_VARIABLE missing GET "${entry}" title)
  if(missing)
    set(title "${name}")
  endif()
  string(JSON summary ERROR_VARIABLE missing GET "${entry}" summary)
  if(missing)
    set(summary "Signs and verifies ${title} webhooks.")
  endif()
  list(APPEND WHK_PACKAGE_COMPONENTS provider-${name})
  set(CPACK_DEBIAN_${component}_PACKAGE_NAME whk-provider-${name})
  set(CPACK_COMPONENT_${component}_DEPENDS whk)
  string(CONCAT CPACK_DEBIAN_${component}_DESCRIPTION
         "${title} provider plugin for whk\n${summary}.\nThe plugin and "
         "its providers.d entry; remove the entry to disable the provider.")
endforeach()

get_property(preloaded GLOBAL PROPERTY WHK_PRELOADED_PROVIDERS)
list(TRANSFORM preloaded PREPEND "whk-provider-")
string(REPLACE ";" ", " CPACK_DEBIAN_WHK_PACKAGE_PROVIDES "${preloaded}")

set(CPACK_COMPONENTS_ALL ${WHK_PACKAGE_COMPONENTS})
include(CPack)
