# The shared library users link: libgitmem.so, with the C ABI when capi/ is present.
file(GLOB GITMEM_CAPI_SOURCES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/capi/*.cc")
add_library(gitmem SHARED ${GITMEM_CAPI_SOURCES})
add_library(gitmem::gitmem ALIAS gitmem)
set_target_properties(gitmem PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
target_include_directories(gitmem PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_definitions(gitmem PRIVATE GITMEM_BUILDING)
target_link_libraries(gitmem PRIVATE $<LINK_LIBRARY:WHOLE_ARCHIVE,gitmem_core>)
target_compile_features(gitmem PUBLIC cxx_std_20)

install(TARGETS gitmem EXPORT gitmemTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/gitmem DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT gitmemTargets NAMESPACE gitmem:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gitmem)

include(CMakePackageConfigHelpers)
configure_package_config_file(cmake/gitmemConfig.cmake.in
  "${PROJECT_BINARY_DIR}/gitmemConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gitmem)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/gitmemConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/gitmemConfig.cmake" "${PROJECT_BINARY_DIR}/gitmemConfigVersion.cmake"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gitmem)
configure_file(cmake/gitmem.pc.in "${PROJECT_BINARY_DIR}/gitmem.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/gitmem.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
