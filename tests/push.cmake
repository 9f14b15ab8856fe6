# warmth-push's tests, included from tests/CMakeLists.txt (its user unit is
# verified with the others in notify.cmake).

# warmth-push: [push], the requests each target gets, token files.
warmth_test(push_tests LABELS unit SOURCES
  unit/push/push_config_test.cc unit/push/targets_test.cc unit/push/secret_test.cc
  LIBS warmth_push)
