# Fetches /metrics from a running runtime (through the ops_endpoint_suite case, which writes the
# body to OUT) and checks it with the real `promtool check metrics`. Fails when promtool is absent.
find_program(PROMTOOL promtool)
if(NOT PROMTOOL)
  message(FATAL_ERROR "promtool not found: install the Debian package prometheus (scripts/setup.sh)")
endif()
file(REMOVE "${OUT}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env HERD_OPS_METRICS_OUT=${OUT}
                        ${TESTS} --run_test=ops_endpoint_suite/serves_metrics_health_and_state
                RESULT_VARIABLE tests_rc)
if(NOT tests_rc EQUAL 0 OR NOT EXISTS "${OUT}")
  message(FATAL_ERROR "herd_tests did not fetch /metrics (rc ${tests_rc})")
endif()
execute_process(COMMAND ${PROMTOOL} check metrics INPUT_FILE "${OUT}"
                RESULT_VARIABLE promtool_rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT promtool_rc EQUAL 0)
  message(FATAL_ERROR "promtool check metrics failed (rc ${promtool_rc})")
endif()
