// HttpClient: a small synchronous HTTP/1.1 client (plain HTTP) for node-to-node calls: a mirror
// fetching another party's checkpoint and tiles, a log asking a witness to cosign, tests.
//
// One client keeps one keep-alive connection to the last host it talked to and reconnects when
// the peer closed it. Every call has a deadline (`timeout`, connect + send + receive); responses
// over `max_body` bytes are refused. Only "http://host:port/..." URLs: TLS is terminated in front
// of a node in a deployment (docs/node.md), loopback HTTP in tests.
// Errors: InvalidArgument for a malformed URL; Unavailable when the peer cannot be reached, times
// out or answers malformed HTTP. A non-2xx answer is a response, not an error.
// Thread safety: one client per thread.
#ifndef TALLY_SERVER_HTTP_CLIENT_H_
#define TALLY_SERVER_HTTP_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tally/base/result.h"
#include "tally/server/http_message.h"

namespace tally::server {

struct Url {
  std::string host;
  int port = 80;
  std::string path;  // starts with '/', the base path of a URL given as a prefix ends with '/'
  std::string HostPort() const;
};
// "http://127.0.0.1:8401/prefix/" -> {127.0.0.1, 8401, "/prefix/"}.
Result<Url> ParseUrl(std::string_view text);
// `base` (a URL ending in '/' or not) joined with a relative path: ("http://h:1/a", "checkpoint")
// -> "http://h:1/a/checkpoint".
std::string JoinUrl(std::string_view base, std::string_view relative);
bool IsHttpUrl(std::string_view text);

class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      size_t max_body = 64 * 1024 * 1024);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpResponse> Get(const std::string& url, const std::vector<HttpHeader>& headers = {});
  Result<HttpResponse> Post(const std::string& url, std::string body, std::string content_type,
                            const std::vector<HttpHeader>& headers = {});
  Result<HttpResponse> Send(std::string_view method, const std::string& url,
                            const std::vector<HttpHeader>& headers, std::string body);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally::server

#endif  // TALLY_SERVER_HTTP_CLIENT_H_
