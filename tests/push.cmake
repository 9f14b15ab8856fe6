# warmth-push's tests, included from tests/CMakeLists.txt (its user unit is
# verified with the others in notify.cmake).

# warmth-push: [push], the requests each target gets, token files.
warmth_test(push_tests LABELS unit SOURCES
  unit/push/push_config_test.cc unit/push/targets_test.cc unit/push/secret_test.cc
  LIBS warmth_push)

# warmth-push: the real binary against a real warmthd and the test's own HTTP server.
warmth_test(push_integration_tests LABELS integration SOURCES integration/push_test.cc
  LIBS warmth_client)
target_compile_definitions(push_integration_tests PRIVATE
  WARMTH_PUSH_PATH="$<TARGET_FILE:warmth-push>")
add_dependencies(push_integration_tests warmthd warmth-push)
