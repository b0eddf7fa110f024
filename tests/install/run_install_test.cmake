# Installs herd into a temporary prefix, then configures, builds and runs a separate project that
# uses find_package(herd) and herd::herd (tests/install/consumer), built with herd's compiler (a
# sanitized herd links the sanitizer runtime of the compiler that built it).
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGN}\n${out}")
  endif()
endfunction()

run_step(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
run_step(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/install/consumer" -B "${WORK_DIR}/build"
         -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release
         -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run_step(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
# A consumer whose runtime does not end (a service that never answers) fails on the timeout.
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                TIMEOUT 60)
message("${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer: 3 tasks completed")
  message(FATAL_ERROR "the consumer did not run its tasks (${rc})")
endif()
if(NOT out MATCHES "hung service shut down \\(1 task handed back\\) and ended")
  message(FATAL_ERROR "the consumer's runtime with a hung service did not end (${rc})")
endif()
