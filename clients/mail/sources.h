#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clients/mail/message.h"
#include "daemon/core/status.h"

namespace warmth::mail {

// Every message file under `dir`, sorted by path: files in maildir cur/ and
// new/ folders and files lying directly in folders, at any depth. Skips
// tmp/ (deliveries in progress), .notmuch/, hidden files and the
// bookkeeping files of mail servers (dovecot*, maildirfolder, …).
// kNotFound when `dir` is not a directory; unreadable subfolders are skipped.
core::Result<std::vector<std::string>> ListMaildir(const std::string& dir);

// One message of an mbox file: its facts, or why it could not be read.
struct MboxMessage {
  std::int64_t offset = 0;  // of its From_ line in the file
  int index = 0;            // 1 for the first message
  core::Result<MessageFacts> facts = core::Status::Internal("unset");
};

// Reads the mbox at `path` with GMime's mbox parser, calling `each` per
// message in file order and `progress(bytes_read, total_bytes)` now and then.
// kNotFound / kInvalidArgument when the file cannot be opened or holds no
// mbox message at all; a bad message inside is passed to `each` and the
// reading goes on.
core::Status ReadMbox(const std::string& path, const std::function<void(MboxMessage&)>& each,
                      const std::function<void(std::int64_t, std::int64_t)>& progress = {});

// Reads a whole file (a message) into memory. Fails past `max_bytes`.
core::Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes);

}  // namespace warmth::mail
