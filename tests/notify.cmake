# warmth-notify's tests, included from tests/CMakeLists.txt.

# unit: what a nudge looks like as a notification; the shown-ids file.
warmth_test(notify_tests LABELS unit SOURCES
  unit/notify/notification_test.cc unit/notify/shown_test.cc
  LIBS warmth_notify)

# integration: the real binary in --json/--stdout mode against a real warmthd.
warmth_test(notify_integration_tests LABELS integration SOURCES integration/notify_test.cc
  LIBS warmth_client)
target_compile_definitions(notify_integration_tests PRIVATE
  WARMTH_NOTIFY_PATH="$<TARGET_FILE:warmth-notify>")
add_dependencies(notify_integration_tests warmthd warmth-notify)

# e2e: private session bus, Xvfb, dunst (notification-daemon for "buttons"), warmthd and
# warmth-notify; exit 77 (skipped) when a tool is missing.
foreach(scenario called missed restarts buttons closed)
  add_test(NAME notify_e2e_${scenario}
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/e2e/notify/notify_e2e.sh ${scenario}
      $<TARGET_FILE:warmthd> $<TARGET_FILE:warmctl> $<TARGET_FILE:warmth-notify>
      ${CMAKE_CURRENT_BINARY_DIR}/e2e-notify)
  set_tests_properties(notify_e2e_${scenario} PROPERTIES
    LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 180)
endforeach()

# The user units, verified offline as installed but naming the built binaries.
foreach(unit warmthd.service warmth-notify.service warmth-push.service
    warmth-import-phone.service warmth-import-phone.path)
  file(READ ${PROJECT_SOURCE_DIR}/systemd/user/${unit} warmth_unit_text)
  string(REPLACE "ExecStart=/usr/bin/warmthd" "ExecStart=$<TARGET_FILE:warmthd>"
    warmth_unit_text "${warmth_unit_text}")
  string(REPLACE "ExecStart=/usr/bin/warmth-notify" "ExecStart=$<TARGET_FILE:warmth-notify>"
    warmth_unit_text "${warmth_unit_text}")
  string(REPLACE "ExecStart=/usr/bin/warmctl" "ExecStart=$<TARGET_FILE:warmctl>"
    warmth_unit_text "${warmth_unit_text}")
  string(REPLACE "ExecStart=/usr/bin/warmth-push" "ExecStart=$<TARGET_FILE:warmth-push>"
    warmth_unit_text "${warmth_unit_text}")
  file(GENERATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/user-units/${unit}
    CONTENT "${warmth_unit_text}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/systemd/user/${unit})
endforeach()
add_test(NAME systemd_user_units_verify
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/e2e/notify/verify_user_units.sh
    ${CMAKE_CURRENT_BINARY_DIR}/user-units/warmthd.service
    ${CMAKE_CURRENT_BINARY_DIR}/user-units/warmth-notify.service
    ${CMAKE_CURRENT_BINARY_DIR}/user-units/warmth-push.service
    ${CMAKE_CURRENT_BINARY_DIR}/user-units/warmth-import-phone.service
    ${CMAKE_CURRENT_BINARY_DIR}/user-units/warmth-import-phone.path)
set_tests_properties(systemd_user_units_verify PROPERTIES LABELS unit SKIP_RETURN_CODE 77)
add_test(NAME systemd_user_units_install
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/e2e/notify/install_user_units.sh ${CMAKE_COMMAND}
    ${PROJECT_BINARY_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/notify/verify_user_units.sh)
set_tests_properties(systemd_user_units_install PROPERTIES LABELS e2e SKIP_RETURN_CODE 77)
