// HttpRequest and HttpResponse: the plain values a handler sees and returns. No Beast type leaks
// out of the server module, so that handlers (the node) and their tests need no Boost header.
//
// Header names are stored lower-case (HTTP field names are case-insensitive). A response body is
// either owned (`body`) or shared with a cache (`shared_body`, immutable content such as a full
// tile, sent without a copy).
// Thread safety: plain values.
#ifndef TALLY_SERVER_HTTP_MESSAGE_H_
#define TALLY_SERVER_HTTP_MESSAGE_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tally::server {

struct HttpHeader {
  std::string name;  // lower-case
  std::string value;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/tile/0/000?x=1"
  std::string path;    // the target up to '?', not percent-decoded
  std::string query;   // after '?', without it
  std::vector<HttpHeader> headers;
  std::string body;
  std::string remote;  // "127.0.0.1:54321"

  // The first header with this (lower-case) name, or nullptr.
  const std::string* Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<HttpHeader> headers;
  std::string body;
  std::shared_ptr<const std::string> shared_body;  // used instead of `body` when set
  bool close = false;                              // close the connection after this response

  HttpResponse& Set(std::string name, std::string value);
  const std::string* Header(std::string_view name) const;
  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }

  static HttpResponse Text(int status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
  static HttpResponse Json(int status, std::string body);
};

// "OK", "Not Found", ... for the statuses tally uses; "Unknown" otherwise.
std::string_view ReasonPhrase(int status);

}  // namespace tally::server

#endif  // TALLY_SERVER_HTTP_MESSAGE_H_
