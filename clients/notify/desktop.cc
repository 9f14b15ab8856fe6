#include "clients/notify/desktop.h"

#include <cstring>
#include <utility>

#include <poll.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-bus.h>

namespace warmth::notify {
namespace {

constexpr const char* kService = "org.freedesktop.Notifications";
constexpr const char* kPath = "/org/freedesktop/Notifications";
constexpr const char* kInterface = "org.freedesktop.Notifications";
constexpr auto kReopenEvery = std::chrono::seconds(10);

std::string ErrorText(int r) {
  return std::strerror(r < 0 ? -r : r);
}

std::string ErrorText(const sd_bus_error* e) {
  if (e == nullptr || e->name == nullptr) {
    return "unknown error";
  }
  return e->message != nullptr ? std::string(e->name) + ": " + e->message : e->name;
}

}  // namespace

// One asynchronous call: owned by its (floating) sd-bus slot, freed by the
// slot's destroy callback, whether the reply came or the bus went away.
struct DesktopNotifications::PendingCall {
  DesktopNotifications* self;
  ReplyHandler handler;
};

DesktopNotifications::DesktopNotifications(core::Duration snooze, Callbacks callbacks)
    : snooze_(snooze), callbacks_(std::move(callbacks)) {}

DesktopNotifications::~DesktopNotifications() {
  if (bus_ != nullptr) {
    // Frees every slot (and so every PendingCall) without calling handlers.
    sd_bus_flush_close_unref(bus_);
  }
}

void DesktopNotifications::Start() {
  Open();
}

void DesktopNotifications::Open() {
  sd_bus* bus = nullptr;
  const int r = sd_bus_open_user_with_description(&bus, "warmth-notify");
  if (r < 0) {
    if (!bus_missing_logged_) {
      spdlog::warn("no session D-Bus ({}); nudges wait until it is there, retrying every {} s",
                   ErrorText(r), kReopenEvery.count());
      bus_missing_logged_ = true;
    }
    reopen_at_ = std::chrono::steady_clock::now() + kReopenEvery;
    return;
  }
  bus_ = bus;
  // Signals from the server: no sender in the match, since servers send
  // ActionInvoked straight to us and sd-bus cannot match a well-known name
  // locally; OnActionInvoked checks the sender against the owner instead.
  sd_bus_match_signal_async(bus_, nullptr, nullptr, kPath, kInterface, "ActionInvoked",
                            &OnActionInvoked, nullptr, this);
  sd_bus_match_signal_async(bus_, nullptr, nullptr, kPath, kInterface, "NotificationClosed",
                            &OnNotificationClosed, nullptr, this);
  sd_bus_add_match_async(bus_, nullptr,
                         "type='signal',sender='org.freedesktop.DBus',"
                         "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                         "member='NameOwnerChanged',arg0='org.freedesktop.Notifications'",
                         &OnNameOwnerChanged, nullptr, this);
  if (bus_missing_logged_) {
    spdlog::info("connected to the session D-Bus");
  }
  bus_missing_logged_ = false;
  server_ = Server::kUnknown;
  Probe();
}

void DesktopNotifications::Drop(const std::string& why) {
  spdlog::warn("lost the session D-Bus ({}); reconnecting in {} s", why, kReopenEvery.count());
  bus_missing_logged_ = true;
  sd_bus_flush_close_unref(bus_);
  bus_ = nullptr;
  // Their server may still show them, but its replies would go to the old
  // connection: show them again on the new one.
  for (auto& [id, entry] : on_screen_) {
    queue_.push_back(std::move(entry.nudge));
  }
  on_screen_.clear();
  for (auto& [id, nudge] : sending_) {
    if (!closing_.contains(id)) {
      queue_.push_front(std::move(nudge));
    }
  }
  sending_.clear();
  closing_.clear();
  server_ = Server::kUnknown;
  owner_.clear();
  reopen_at_ = std::chrono::steady_clock::now() + kReopenEvery;
}

bool DesktopNotifications::Call(sd_bus_message* message, ReplyHandler handler) {
  auto* pending = new PendingCall{this, std::move(handler)};
  sd_bus_slot* slot = nullptr;
  const int r = sd_bus_call_async(bus_, &slot, message, &OnPendingReply, pending, 0);
  sd_bus_message_unref(message);
  if (r < 0) {
    delete pending;
    spdlog::warn("D-Bus call failed: {}", ErrorText(r));
    return false;
  }
  sd_bus_slot_set_destroy_callback(slot, &OnPendingDestroy);
  sd_bus_slot_set_floating(slot, 1);
  sd_bus_slot_unref(slot);
  return true;
}

int DesktopNotifications::OnPendingReply(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* pending = static_cast<PendingCall*>(userdata);
  const sd_bus_error* error = sd_bus_message_get_error(m);
  // The handler may start other calls; the slot (and `pending`) lives until
  // this returns.
  pending->handler(m, error);
  return 0;
}

void DesktopNotifications::OnPendingDestroy(void* userdata) {
  delete static_cast<PendingCall*>(userdata);
}

void DesktopNotifications::Probe() {
  if (bus_ == nullptr || server_ == Server::kProbing) {
    return;
  }
  server_ = Server::kProbing;
  // GetCapabilities (which the bus may answer by starting an activatable
  // server) tells whether the body may hold markup, so text is escaped
  // right; GetServerInformation names the server in the log.
  sd_bus_message* m = nullptr;
  if (sd_bus_message_new_method_call(bus_, &m, kService, kPath, kInterface, "GetCapabilities") <
      0) {
    ServerMissing("cannot build GetCapabilities");
    return;
  }
  Call(m, [this](sd_bus_message* reply, const sd_bus_error* error) {
    if (error != nullptr) {
      ServerMissing(ErrorText(error));
      if (std::exchange(reprobe_, false)) {
        Probe();
      }
      return;
    }
    reprobe_ = false;
    char** caps = nullptr;
    bool actions = false;
    markup_ = false;
    if (sd_bus_message_read_strv(reply, &caps) >= 0 && caps != nullptr) {
      for (char** c = caps; *c != nullptr; ++c) {
        markup_ = markup_ || std::strcmp(*c, "body-markup") == 0;
        actions = actions || std::strcmp(*c, "actions") == 0;
        std::free(*c);  // sd-bus allocates with malloc
      }
      std::free(caps);
    }
    owner_ = sd_bus_message_get_sender(reply) != nullptr ? sd_bus_message_get_sender(reply) : "";
    server_ = Server::kReady;
    server_missing_logged_ = false;
    const bool again = was_ready_;
    was_ready_ = true;
    sd_bus_message* info = nullptr;
    if (sd_bus_message_new_method_call(bus_, &info, kService, kPath, kInterface,
                                       "GetServerInformation") >= 0) {
      Call(info, [actions, again](sd_bus_message* r, const sd_bus_error* e) {
        const char* name = "?";
        const char* vendor = "?";
        const char* version = "?";
        const char* spec = "?";
        if (e == nullptr) {
          sd_bus_message_read(r, "ssss", &name, &vendor, &version, &spec);
        }
        spdlog::info(
            "{} notifications through {} {}{}", again ? "again showing" : "showing", name, version,
            actions ? "" : " (it shows no action buttons: use warmctl done/snooze/dismiss)");
      });
    }
    if (callbacks_.server_ready) {
      callbacks_.server_ready();
    }
    Flush();
  });
}

void DesktopNotifications::ServerMissing(const std::string& why) {
  server_ = Server::kAbsent;
  if (!server_missing_logged_) {
    spdlog::warn(
        "no notification server on the session bus ({}); {} nudge(s) wait until one "
        "starts",
        why, queue_.size());
    server_missing_logged_ = true;
  }
}

void DesktopNotifications::Show(const v1::Nudge& nudge) {
  if (Has(nudge.id())) {
    return;
  }
  queue_.push_back(nudge);
  if (server_ == Server::kReady) {
    Flush();
  } else if (server_ == Server::kAbsent) {
    Probe();  // a server may be activatable by now
  }
}

bool DesktopNotifications::Has(const std::string& nudge_id) const {
  if (sending_.contains(nudge_id)) {
    return true;
  }
  for (const auto& n : queue_) {
    if (n.id() == nudge_id) {
      return true;
    }
  }
  for (const auto& [id, entry] : on_screen_) {
    if (entry.nudge.id() == nudge_id) {
      return true;
    }
  }
  return false;
}

void DesktopNotifications::Withdraw(const std::set<std::string>& pending, SteadyTime before) {
  std::erase_if(queue_, [&](const v1::Nudge& n) { return !pending.contains(n.id()); });
  for (auto it = on_screen_.begin(); it != on_screen_.end();) {
    if (!pending.contains(it->second.nudge.id()) && it->second.shown_at < before) {
      CloseNotification(it->first);
      it = on_screen_.erase(it);
    } else {
      ++it;
    }
  }
}

void DesktopNotifications::Close(const std::string& nudge_id) {
  std::erase_if(queue_, [&](const v1::Nudge& n) { return n.id() == nudge_id; });
  if (sending_.contains(nudge_id)) {
    closing_.insert(nudge_id);
  }
  for (auto it = on_screen_.begin(); it != on_screen_.end();) {
    if (it->second.nudge.id() == nudge_id) {
      spdlog::info("closing the notification for nudge {}: acted on elsewhere", nudge_id);
      CloseNotification(it->first);
      it = on_screen_.erase(it);
    } else {
      ++it;
    }
  }
}

void DesktopNotifications::CloseNotification(std::uint32_t id) {
  if (bus_ == nullptr || server_ != Server::kReady) {
    return;
  }
  sd_bus_message* m = nullptr;
  if (sd_bus_message_new_method_call(bus_, &m, kService, kPath, kInterface, "CloseNotification") <
          0 ||
      sd_bus_message_append(m, "u", id) < 0) {
    sd_bus_message_unref(m);
    return;
  }
  Call(m, [](sd_bus_message*, const sd_bus_error*) {});
}

void DesktopNotifications::Flush() {
  while (server_ == Server::kReady && bus_ != nullptr && !queue_.empty()) {
    v1::Nudge nudge = std::move(queue_.front());
    queue_.pop_front();
    Send(nudge);
  }
}

void DesktopNotifications::Requeue(const v1::Nudge& nudge) {
  if (!Has(nudge.id())) {
    queue_.push_front(nudge);
  }
}

void DesktopNotifications::Send(const v1::Nudge& nudge) {
  const Notification n = ForNudge(nudge, snooze_);
  sd_bus_message* m = nullptr;
  int r = sd_bus_message_new_method_call(bus_, &m, kService, kPath, kInterface, "Notify");
  if (r >= 0) {
    const std::string body = markup_ ? EscapeMarkup(n.body) : n.body;
    r = sd_bus_message_append(m, "susss", n.app_name.c_str(), 0U, n.icon.c_str(), n.summary.c_str(),
                              body.c_str());
  }
  if (r >= 0) {
    r = sd_bus_message_open_container(m, 'a', "s");
    for (const auto& [key, label] : n.actions) {
      if (r >= 0) {
        r = sd_bus_message_append(m, "ss", key.c_str(), label.c_str());
      }
    }
    if (r >= 0) {
      r = sd_bus_message_close_container(m);
    }
  }
  if (r >= 0) {
    r = sd_bus_message_append(m, "a{sv}i", 1, "urgency", "y", static_cast<std::uint8_t>(n.urgency),
                              -1);
  }
  if (r < 0) {
    sd_bus_message_unref(m);
    spdlog::error("cannot build the notification for nudge {}: {}", nudge.id(), ErrorText(r));
    return;
  }
  sending_[nudge.id()] = nudge;
  const bool sent = Call(m, [this, nudge](sd_bus_message* reply, const sd_bus_error* error) {
    sending_.erase(nudge.id());
    // Acted on elsewhere while the call was in flight (Close).
    const bool closed = closing_.erase(nudge.id()) > 0;
    std::uint32_t id = 0;
    if (error != nullptr || sd_bus_message_read(reply, "u", &id) < 0) {
      if (!closed) {
        Requeue(nudge);
      }
      ServerMissing(error != nullptr ? ErrorText(error) : "bad reply to Notify");
      return;
    }
    if (closed) {
      spdlog::info("closing the notification for nudge {}: acted on elsewhere", nudge.id());
      CloseNotification(id);
    } else {
      on_screen_[id] = OnScreen{nudge, std::chrono::steady_clock::now()};
      spdlog::info("shown nudge {}: {}", nudge.id(), Title(nudge));
    }
    if (callbacks_.shown) {
      callbacks_.shown(nudge);
    }
  });
  if (!sent) {
    sending_.erase(nudge.id());
    Requeue(nudge);
  }
}

int DesktopNotifications::OnActionInvoked(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* self = static_cast<DesktopNotifications*>(userdata);
  std::uint32_t id = 0;
  const char* key = nullptr;
  if (sd_bus_message_read(m, "us", &id, &key) < 0 || key == nullptr) {
    return 0;
  }
  const char* sender = sd_bus_message_get_sender(m);
  if (!self->owner_.empty() && (sender == nullptr || self->owner_ != sender)) {
    spdlog::warn("ignored an ActionInvoked signal from {}, not the notification server",
                 sender != nullptr ? sender : "?");
    return 0;
  }
  const auto it = self->on_screen_.find(id);
  if (it == self->on_screen_.end()) {
    return 0;  // not ours, or already handled
  }
  const auto action = ParseActionKey(key);
  if (!action) {
    // "default" (a click on the body) and unknown keys: the server closes
    // the notification; the nudge stays pending in the daemon.
    spdlog::info("nudge {}: notification clicked, nothing to record", it->second.nudge.id());
    return 0;
  }
  const v1::Nudge nudge = it->second.nudge;
  // One action per notification, even from servers that keep it open.
  self->on_screen_.erase(it);
  self->CloseNotification(id);
  if (self->callbacks_.action) {
    self->callbacks_.action(nudge, *action);
  }
  return 0;
}

int DesktopNotifications::OnNotificationClosed(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* self = static_cast<DesktopNotifications*>(userdata);
  std::uint32_t id = 0;
  std::uint32_t reason = 0;
  if (sd_bus_message_read(m, "uu", &id, &reason) >= 0) {
    self->on_screen_.erase(id);
  }
  return 0;
}

int DesktopNotifications::OnNameOwnerChanged(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* self = static_cast<DesktopNotifications*>(userdata);
  const char* name = nullptr;
  const char* old_owner = nullptr;
  const char* new_owner = nullptr;
  if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 || name == nullptr ||
      std::strcmp(name, kService) != 0) {
    return 0;
  }
  if (old_owner != nullptr && *old_owner != '\0') {
    // The server is gone, and with it what it had on screen (it sent no
    // NotificationClosed): those nudges are still undecided, so the next
    // server shows them again.
    for (auto& [id, entry] : self->on_screen_) {
      self->queue_.push_back(std::move(entry.nudge));
    }
    self->on_screen_.clear();
    self->owner_.clear();
  }
  if (new_owner == nullptr || *new_owner == '\0') {
    if (self->server_ == Server::kReady) {
      spdlog::warn("the notification server went away; {} nudge(s) wait until one starts",
                   self->queue_.size());
      self->server_missing_logged_ = true;
    }
    self->server_ = Server::kAbsent;
    return 0;
  }
  self->owner_ = new_owner;
  if (self->server_ == Server::kProbing) {
    self->reprobe_ = true;  // the probe in flight may have met no server
  } else {
    self->server_ = Server::kUnknown;
    self->Probe();
  }
  return 0;
}

std::optional<zmq::pollitem_t> DesktopNotifications::PollItem() const {
  if (bus_ == nullptr) {
    return std::nullopt;
  }
  const int fd = sd_bus_get_fd(bus_);
  const int events = sd_bus_get_events(bus_);
  if (fd < 0 || events < 0) {
    return std::nullopt;
  }
  short zmq_events = 0;  // zmq_pollitem_t's type
  if ((events & POLLIN) != 0) {
    zmq_events |= ZMQ_POLLIN;
  }
  if ((events & POLLOUT) != 0) {
    zmq_events |= ZMQ_POLLOUT;
  }
  return zmq::pollitem_t{nullptr, fd, zmq_events, 0};
}

std::optional<DesktopNotifications::SteadyTime> DesktopNotifications::Deadline() const {
  if (bus_ == nullptr) {
    return reopen_at_;
  }
  std::uint64_t usec = 0;
  if (sd_bus_get_timeout(bus_, &usec) < 0 || usec == UINT64_MAX) {
    return std::nullopt;
  }
  // sd-bus answers in CLOCK_MONOTONIC, which is steady_clock's on Linux.
  return SteadyTime(std::chrono::microseconds(usec));
}

void DesktopNotifications::Process() {
  if (bus_ == nullptr) {
    if (std::chrono::steady_clock::now() >= reopen_at_) {
      Open();
    }
    return;
  }
  int r = 0;
  while ((r = sd_bus_process(bus_, nullptr)) > 0) {
  }
  if (r < 0) {
    Drop(ErrorText(r));
  } else if (sd_bus_is_open(bus_) <= 0) {
    Drop("connection closed");
  }
}

}  // namespace warmth::notify
