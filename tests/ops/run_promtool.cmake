# Runs the real promtool (Debian package prometheus) with ARGS, e.g. -DARGS=check;rules;FILE, and
# fails with its output when it does. Fails when promtool is absent.
find_program(PROMTOOL promtool)
if(NOT PROMTOOL)
  message(FATAL_ERROR "promtool not found: install the Debian package prometheus (scripts/setup.sh)")
endif()
execute_process(COMMAND ${PROMTOOL} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "promtool ${ARGS} failed (rc ${rc})")
endif()
