#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "clients/push/targets.h"

namespace warmth::push {

// What came back from one HTTP request.
struct HttpResponse {
  long status = 0;    // the HTTP status; 0 when no answer came (error says why)
  std::string error;  // libcurl's reason when status is 0
  std::string body;   // the first 512 bytes of the answer, for the log
  // Retry-After of a 429 or 503, when the server sent one.
  std::optional<std::chrono::seconds> retry_after;
};

// Sends HttpRequests with libcurl: http:// and https:// only, no redirects,
// the system's CA certificates. Keeps connections for reuse between
// requests. Blocks for at most `timeout` per request. One thread.
class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse Send(const HttpRequest& request);

 private:
  void* curl_;  // CURL*, kept out of this header
  std::chrono::milliseconds timeout_;
};

}  // namespace warmth::push
