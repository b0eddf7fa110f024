# Runs COMMAND (a ;-list) and passes only if it exits non-zero with output matching EXPECT.
# Usage: cmake -DCOMMAND="herd;demo;--db;X" -DEXPECT="regex" -P expect_error.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(rc EQUAL 0)
  message(FATAL_ERROR "expected a failure, got exit code 0")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "the output does not match \"${EXPECT}\" (exit code ${rc})")
endif()
