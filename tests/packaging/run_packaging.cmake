# Driven by ctest (see CMakeLists.txt). Every step must succeed.
cmake_minimum_required(VERSION 3.25)

function(run)
  cmake_parse_arguments(R "" "WORKING_DIRECTORY" "COMMAND;ENV" ${ARGN})
  if(NOT R_WORKING_DIRECTORY)
    set(R_WORKING_DIRECTORY "${WORK_DIR}")
  endif()
  list(JOIN R_COMMAND " " printable)
  message(STATUS "$ ${printable}")
  if(R_ENV)
    set(R_COMMAND ${CMAKE_COMMAND} -E env ${R_ENV} ${R_COMMAND})
  endif()
  execute_process(COMMAND ${R_COMMAND} WORKING_DIRECTORY "${R_WORKING_DIRECTORY}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${printable}")
  endif()
  set(RUN_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

# 1. Install the library (runtime + development files) into the scratch prefix.
run(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" --component gitmem_Runtime)
run(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" --component gitmem_Development)
file(GLOB_RECURSE config "${prefix}/*/gitmemConfig.cmake")
file(GLOB_RECURSE pc "${prefix}/*/gitmem.pc")
file(GLOB_RECURSE header "${prefix}/include/gitmem/gitmem.h")
if(NOT config OR NOT pc OR NOT header)
  message(FATAL_ERROR "install is missing gitmemConfig.cmake, gitmem.pc or gitmem.h under ${prefix}")
endif()
get_filename_component(pc_dir "${pc}" DIRECTORY)
get_filename_component(libdir "${pc_dir}" DIRECTORY)

# 2. find_package(gitmem) from a C-only project.
run(COMMAND ${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/cmake-consumer" -G "${GENERATOR}"
            -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}/cmake-consumer")
run(COMMAND "${WORK_DIR}/cmake-consumer/consumer" "${WORK_DIR}/store-cmake")
if(NOT RUN_OUTPUT MATCHES "consumer: ok")
  message(FATAL_ERROR "the find_package consumer did not report ok")
endif()

# 3. pkg-config.
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "pkg-config not found")
endif()
run(COMMAND ${PKG_CONFIG} --cflags --libs gitmem ENV "PKG_CONFIG_PATH=${pc_dir}")
string(STRIP "${RUN_OUTPUT}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
if(NOT flags MATCHES "-I${prefix}/include")
  message(FATAL_ERROR "gitmem.pc does not point at the install prefix: ${flags}")
endif()
run(COMMAND ${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror "${CONSUMER_DIR}/consumer.c" ${flags}
            -o "${WORK_DIR}/pkgconfig-consumer")
run(COMMAND "${WORK_DIR}/pkgconfig-consumer" "${WORK_DIR}/store-pkgconfig" ENV "LD_LIBRARY_PATH=${libdir}")
if(NOT RUN_OUTPUT MATCHES "consumer: ok")
  message(FATAL_ERROR "the pkg-config consumer did not report ok")
endif()
message(STATUS "packaging: find_package and pkg-config consumers both work")
