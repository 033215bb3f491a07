# The shared library users link: libgitmem.so, the C ABI (capi/) over gitmem_core.
file(GLOB GITMEM_CAPI_SOURCES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/capi/*.cc")
add_library(gitmem SHARED ${GITMEM_CAPI_SOURCES})
add_library(gitmem::gitmem ALIAS gitmem)
set_target_properties(gitmem PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
target_include_directories(gitmem PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_definitions(gitmem PRIVATE GITMEM_BUILDING)
target_compile_options(gitmem PRIVATE -Wall -Wextra)
target_link_libraries(gitmem PRIVATE $<LINK_LIBRARY:WHOLE_ARCHIVE,gitmem_core>)
target_compile_features(gitmem PUBLIC cxx_std_20)

# Two components: the runtime (libgitmem.so.N) and the development files (headers, the
# libgitmem.so link, CMake package, pkg-config file). `cmake --install` installs both.
install(TARGETS gitmem EXPORT gitmemTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT gitmem_Runtime NAMELINK_COMPONENT gitmem_Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT gitmem_Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT gitmem_Runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/gitmem DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT gitmem_Development)
install(EXPORT gitmemTargets NAMESPACE gitmem:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gitmem
  COMPONENT gitmem_Development)

include(CMakePackageConfigHelpers)
configure_package_config_file(cmake/gitmemConfig.cmake.in
  "${PROJECT_BINARY_DIR}/gitmemConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gitmem)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/gitmemConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/gitmemConfig.cmake" "${PROJECT_BINARY_DIR}/gitmemConfigVersion.cmake"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gitmem COMPONENT gitmem_Development)

# gitmem.pc names the prefix actually installed to (`cmake --install --prefix P` included),
# so it is written at install time rather than configure time.
configure_file(cmake/gitmem.pc.in "${PROJECT_BINARY_DIR}/gitmem.pc" @ONLY)  # for the build tree
install(CODE "
  set(CMAKE_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(CMAKE_INSTALL_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PROJECT_DESCRIPTION \"${PROJECT_DESCRIPTION}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(gitmem_pc \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/gitmem.pc\")
  message(STATUS \"Installing: \${gitmem_pc}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/gitmem.pc.in\" \"\${gitmem_pc}\" @ONLY)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${gitmem_pc}\")
" COMPONENT gitmem_Development)
