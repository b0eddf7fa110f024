# FindCAF: the C++ Actor Framework 0.17.x as Debian's libcaf-dev ships it (no package config).
#
# Defines the imported targets CAF::core, CAF::io, CAF::openssl and CAF::test (header-only test DSL), the
# variables CAF_FOUND, CAF_VERSION and CAF_INCLUDE_DIR, and fails unless the version is 0.17.x.
# Hint: CAF_ROOT_DIR.

if(TARGET CAF::core)
  set(CAF_FOUND TRUE)
  return()
endif()

find_package(Threads REQUIRED)

find_path(CAF_INCLUDE_DIR NAMES caf/all.hpp caf/detail/build_config.hpp
          HINTS ${CAF_ROOT_DIR} PATH_SUFFIXES include)
find_library(CAF_CORE_LIBRARY NAMES caf_core HINTS ${CAF_ROOT_DIR} PATH_SUFFIXES lib)
find_library(CAF_IO_LIBRARY NAMES caf_io HINTS ${CAF_ROOT_DIR} PATH_SUFFIXES lib)
find_library(CAF_OPENSSL_LIBRARY NAMES caf_openssl HINTS ${CAF_ROOT_DIR} PATH_SUFFIXES lib)

if(CAF_INCLUDE_DIR AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
  file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_version_line
       REGEX "^#define CAF_VERSION [0-9]+")
  string(REGEX MATCH "[0-9]+" _caf_version_number "${_caf_version_line}")
  math(EXPR _caf_major "${_caf_version_number} / 10000")
  math(EXPR _caf_minor "(${_caf_version_number} / 100) % 100")
  math(EXPR _caf_patch "${_caf_version_number} % 100")
  set(CAF_VERSION "${_caf_major}.${_caf_minor}.${_caf_patch}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF
  REQUIRED_VARS CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY CAF_OPENSSL_LIBRARY
  VERSION_VAR CAF_VERSION)

if(CAF_FOUND AND NOT CAF_VERSION MATCHES "^0\\.17\\.")
  message(FATAL_ERROR "herd needs CAF 0.17.x (Debian's libcaf-dev); found CAF ${CAF_VERSION} "
                      "in ${CAF_INCLUDE_DIR}. CAF 0.18+ changed atoms, inspect and typed actors.")
endif()

if(CAF_FOUND)
  add_library(CAF::core UNKNOWN IMPORTED)
  set_target_properties(CAF::core PROPERTIES
    IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  add_library(CAF::io UNKNOWN IMPORTED)
  set_target_properties(CAF::io PROPERTIES
    IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
    INTERFACE_LINK_LIBRARIES CAF::core)
  add_library(CAF::openssl UNKNOWN IMPORTED)
  set_target_properties(CAF::openssl PROPERTIES
    IMPORTED_LOCATION "${CAF_OPENSSL_LIBRARY}"
    INTERFACE_LINK_LIBRARIES CAF::io)
  add_library(CAF::test INTERFACE IMPORTED)
  set_target_properties(CAF::test PROPERTIES INTERFACE_LINK_LIBRARIES CAF::core)
endif()

mark_as_advanced(CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY CAF_OPENSSL_LIBRARY)
