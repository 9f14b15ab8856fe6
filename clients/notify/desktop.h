#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <systemd/sd-bus.h>
#include <zmq.hpp>

#include "clients/notify/notification.h"

namespace warmth::notify {

// Shows nudges as freedesktop notifications (org.freedesktop.Notifications
// on the session bus) through sd-bus. It owns no thread and never blocks: the
// caller's loop polls PollItem() together with its ZeroMQ sockets, wakes by
// Deadline(), and calls Process() after every poll. Every D-Bus call is
// asynchronous.
//
// A missing session bus or notification server is never fatal: nudges wait
// in a queue, one log line says why, and they are shown once a server owns
// the name (NameOwnerChanged) or the bus can start one (D-Bus activation).
// When the server goes away, the notifications it had on screen are queued
// again and shown by the next server.
//
// Loop thread only.
class DesktopNotifications {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Callbacks {
    std::function<void(const v1::Nudge&)> shown;  // the server accepted it
    // The user chose an action on the notification for this nudge.
    std::function<void(const v1::Nudge&, Action)> action;
    // A server is there (at start, or again after it was missing).
    std::function<void()> server_ready;
  };

  DesktopNotifications(core::Duration snooze, Callbacks callbacks);
  ~DesktopNotifications();
  DesktopNotifications(const DesktopNotifications&) = delete;
  DesktopNotifications& operator=(const DesktopNotifications&) = delete;

  // Connects to the session bus (or schedules a retry, with one log line).
  void Start();

  // Queues `nudge` and sends it when a server is there. No-op when that
  // nudge is already queued, being sent or on screen.
  void Show(const v1::Nudge& nudge);
  // Queued, being sent, or on screen.
  bool Has(const std::string& nudge_id) const;
  // Drops a queued nudge and closes its notification, for nudges no longer
  // pending (acted on elsewhere). Only notifications shown before `before`
  // are closed: later ones may be newer than the caller's list.
  void Withdraw(const std::set<std::string>& pending, SteadyTime before);
  // Drops the queued nudge `nudge_id` and closes its notification on the
  // server (CloseNotification): it was acted on elsewhere. One whose Notify
  // call is in flight is closed as soon as the server answers.
  void Close(const std::string& nudge_id);

  // The bus socket and the events sd-bus waits for; nullopt without a bus.
  std::optional<zmq::pollitem_t> PollItem() const;
  // When Process() must run even if the socket stays quiet (a D-Bus timeout,
  // or the next attempt to reach the bus); nullopt: no need.
  std::optional<SteadyTime> Deadline() const;
  // Runs everything sd-bus has ready (replies, signals), and reconnects when
  // it is time. Call after every poll.
  void Process();

  bool server_ready() const { return server_ == Server::kReady; }
  std::size_t on_screen() const { return on_screen_.size(); }
  std::size_t queued() const { return queue_.size(); }

 private:
  enum class Server : std::uint8_t { kUnknown, kProbing, kReady, kAbsent };
  struct OnScreen {
    v1::Nudge nudge;
    SteadyTime shown_at;
  };
  using ReplyHandler = std::function<void(sd_bus_message* reply, const sd_bus_error* error)>;
  struct PendingCall;

  void Open();
  void Drop(const std::string& why);
  bool Call(sd_bus_message* message, ReplyHandler handler);
  void Probe();
  void ServerMissing(const std::string& why);
  void Flush();
  void Send(const v1::Nudge& nudge);
  void Requeue(const v1::Nudge& nudge);
  void CloseNotification(std::uint32_t id);

  static int OnPendingReply(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static void OnPendingDestroy(void* userdata);
  static int OnActionInvoked(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int OnNotificationClosed(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int OnNameOwnerChanged(sd_bus_message* m, void* userdata, sd_bus_error* error);

  core::Duration snooze_;
  Callbacks callbacks_;
  sd_bus* bus_ = nullptr;
  SteadyTime reopen_at_{};
  bool bus_missing_logged_ = false;
  Server server_ = Server::kUnknown;
  bool server_missing_logged_ = false;
  bool was_ready_ = false;
  bool reprobe_ = false;  // the server changed while a probe was in flight
  std::string owner_;     // the server's unique bus name, when known
  bool markup_ = false;
  std::deque<v1::Nudge> queue_;
  std::map<std::string, v1::Nudge> sending_;  // by id: a Notify call is in flight
  std::set<std::string> closing_;             // of sending_: close once shown
  std::map<std::uint32_t, OnScreen> on_screen_;
};

}  // namespace warmth::notify
