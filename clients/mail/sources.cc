#include "clients/mail/sources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <gmime/gmime.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace warmth::mail {
namespace {

namespace fs = std::filesystem;
using core::Status;

// Files a mail server keeps beside the messages.
bool IsBookkeeping(const std::string& name) {
  return name.empty() || name.front() == '.' || name == "maildirfolder" ||
         name == "subscriptions" || name.rfind("dovecot", 0) == 0 ||
         name.rfind("courierimap", 0) == 0;
}

std::string Sha256Hex(const char* data, std::size_t size) {
  gchar* hex =
      g_compute_checksum_for_data(G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(data), size);
  std::string out(hex, 32);
  g_free(hex);
  return out;
}

}  // namespace

core::Result<std::vector<std::string>> ListMaildir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("--maildir: " + dir + " is not a directory");
  }
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    return Status::NotFound("--maildir: cannot read " + dir + ": " + ec.message());
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      break;
    }
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (name == "tmp" || name == ".notmuch") {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file(ec) && !IsBookkeeping(name)) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

core::Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot open " + path);
  }
  std::string bytes;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) {
      return Status::InvalidArgument("larger than " + std::to_string(max_bytes >> 20) + " MiB");
    }
  }
  return bytes;
}

Status ReadMbox(const std::string& path, const std::function<void(MboxMessage&)>& each,
                const std::function<void(std::int64_t, std::int64_t)>& progress) {
  InitGmime();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::NotFound("--mbox: cannot open " + path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("--mbox: " + path + " is not a file");
  }
  if (st.st_size == 0) {
    ::close(fd);
    return Status::InvalidArgument("--mbox: " + path + " is empty");
  }
  // The stream owns fd from here on and maps the whole file, which also
  // gives us the bytes of a message for its content hash.
  GMimeStream* stream = g_mime_stream_mmap_new(fd, PROT_READ, MAP_PRIVATE);
  if (stream == nullptr) {
    ::close(fd);
    return Status::InvalidArgument("--mbox: cannot map " + path);
  }
  const char* map = GMIME_STREAM_MMAP(stream)->map;
  const auto size = static_cast<std::int64_t>(GMIME_STREAM_MMAP(stream)->maplen);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
  g_mime_parser_set_respect_content_length(parser, FALSE);
  int index = 0;
  Status result = Status::Ok();
  while (!g_mime_parser_eos(parser)) {
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    if (message == nullptr) {
      if (index == 0) {
        result = Status::InvalidArgument("--mbox: " + path +
                                         " is not an mbox file (it must begin with a From_ line)");
      }
      break;
    }
    MboxMessage m;
    m.index = ++index;
    m.offset = g_mime_parser_get_mbox_marker_offset(parser);
    const gint64 begin = std::clamp<gint64>(g_mime_parser_get_headers_begin(parser), 0, size);
    const gint64 end = g_mime_parser_get_headers_end(parser);
    if (end - begin > static_cast<gint64>(kMaxHeaderBytes)) {
      m.facts = Status::InvalidArgument("unparseable: header block larger than 1 MiB");
    } else {
      MessageFacts facts = FactsOf(message);
      if (facts.header_fields == 0) {
        m.facts = Status::InvalidArgument("unparseable: no header fields");
      } else {
        const gint64 stop = std::clamp<gint64>(g_mime_parser_tell(parser), begin, size);
        facts.content_hash = Sha256Hex(map + begin, static_cast<std::size_t>(stop - begin));
        m.facts = std::move(facts);
      }
    }
    g_object_unref(message);
    each(m);
    if (progress) {
      progress(g_mime_parser_tell(parser), size);
    }
  }
  g_object_unref(parser);
  g_object_unref(stream);
  return result;
}

}  // namespace warmth::mail
