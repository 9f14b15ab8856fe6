#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "daemon/core/engine.h"
#include "daemon/store/sqlite_store.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::app {

namespace v1 = ::warmth::v1;

// What an authenticated client may do (DESIGN.md, Security). Local ipc://
// clients are admins: the 0700 directory is the access control.
enum class Role { kAdmin, kNotify, kIngest };

// Whether `role` may send a request with this body.
bool Allowed(Role role, v1::Request::BodyCase body);
// True for requests that change nothing (answered even when the store is down).
bool IsReadOnly(v1::Request::BodyCase body);
// True for requests that read the store itself, not only the engine (the
// store is the daemon's loop's only while no commit is in flight).
bool ReadsStore(v1::Request::BodyCase body);
// The one permission check: PERMISSION_DENIED unless `role` may send `body`.
// nullopt is a key no longer authorized: it may send nothing.
core::Status CheckPermission(std::optional<Role> role, v1::Request::BodyCase body);
// The one way to build an Error reply: `status` and `request_id`.
v1::Reply ErrorReply(const core::Status& status, std::string_view request_id = {});

// ListInteractions pages: interactions per page by default and at most,
// and the size a page stops growing at (a reply stays far below the frame
// limit, kHardFrameLimit, that clients may set too).
inline constexpr int kDefaultInteractionsPerPage = 1000;
inline constexpr int kMaxInteractionsPerPage = 10000;
inline constexpr std::size_t kMaxInteractionPageBytes = std::size_t{1} << 20;

// The BackupHeader.format this daemon writes and reads.
inline constexpr int kBackupFormat = 1;

// Facts for the Status reply.
struct ServiceInfo {
  std::string version;
  std::string store_path;
  std::string api_endpoint;
  std::string publish_endpoint;
  std::string timezone;
  core::TimePoint started_at;
};

// Executes requests on the engine. Changes land in the engine's journal; the
// caller commits it before sending the reply. `store` may be null (replay):
// then GetContact lists no recent interactions and ListInteractions none.
// Loop thread only.
class Service {
 public:
  Service(core::Engine* engine, store::SqliteStore* store, ServiceInfo info)
      : engine_(engine), store_(store), info_(std::move(info)) {}

  void set_engine(core::Engine* engine) { engine_ = engine; }
  // Shown in Status while the store is failing; "" when healthy.
  void set_store_error(std::string error) { store_error_ = std::move(error); }
  const std::string& store_error() const { return store_error_; }

  // Never throws for client data: every problem becomes an Error reply.
  // CheckPermission, then Execute.
  v1::Reply Handle(const v1::Request& request, core::TimePoint now, Role role = Role::kAdmin);
  // Executes a request whose sender's role the caller has checked
  // (CheckPermission). Never throws for client data.
  v1::Reply Execute(const v1::Request& request, core::TimePoint now);

 private:
  v1::Reply Dispatch(const v1::Request& request, core::TimePoint now);

  core::Engine* engine_;
  store::SqliteStore* store_;
  ServiceInfo info_;
  std::string store_error_;
};

}  // namespace warmth::app
