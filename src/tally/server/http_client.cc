#include "tally/server/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace tally::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

std::string Url::HostPort() const { return host + ":" + std::to_string(port); }

bool IsHttpUrl(std::string_view text) { return text.starts_with("http://"); }

Result<Url> ParseUrl(std::string_view text) {
  if (!IsHttpUrl(text)) {
    return FieldError("url", "url", "an http://host:port/ URL", text);
  }
  std::string_view rest = text.substr(7);
  const size_t slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  Url u;
  u.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (hostport.empty()) return FieldError("url", "url", "a host", text);
  size_t colon = std::string_view::npos;
  if (hostport.starts_with('[')) {
    const size_t close = hostport.find(']');
    if (close == std::string_view::npos) return FieldError("url", "url", "[IPv6]:port", text);
    u.host = std::string(hostport.substr(1, close - 1));
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') return FieldError("url", "url", "[IPv6]:port", text);
      colon = close + 1;
    }
  } else {
    colon = hostport.find(':');
    u.host = std::string(hostport.substr(0, colon));
  }
  if (colon != std::string_view::npos) {
    const std::string_view port = hostport.substr(colon + 1);
    if (port.empty() || port.size() > 5) return FieldError("url", "port", "1-65535", text);
    int p = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return FieldError("url", "port", "1-65535", text);
      p = p * 10 + (c - '0');
    }
    if (p == 0 || p > 65535) return FieldError("url", "port", "1-65535", text);
    u.port = p;
  }
  if (u.host.empty()) return FieldError("url", "url", "a host", text);
  return u;
}

std::string JoinUrl(std::string_view base, std::string_view relative) {
  std::string out(base);
  if (!out.ends_with('/')) out += '/';
  while (relative.starts_with('/')) relative.remove_prefix(1);
  out += relative;
  return out;
}

class HttpClient::Impl {
 public:
  Impl(std::chrono::milliseconds t, size_t m) : timeout(t), max_body(m) {}

  Result<HttpResponse> Send(std::string_view method, const std::string& url_text,
                            const std::vector<HttpHeader>& headers, std::string body) {
    TALLY_ASSIGN_OR_RETURN(Url url, ParseUrl(url_text));
    http::request<http::string_body> req;
    req.method_string(beast::string_view(method.data(), method.size()));
    req.target(url.path);
    req.version(11);
    req.set(http::field::host, url.HostPort());
    req.set(http::field::user_agent, "tally");
    for (const auto& h : headers) req.set(h.name, h.value);
    req.body() = std::move(body);
    req.prepare_payload();
    // One retry on a fresh connection when a kept-alive one turns out to be closed.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = stream && connected_to == url.HostPort();
      auto r = Exchange(url, req, reused);
      if (r.ok() || !reused) return r;
      stream.reset();
    }
    return Unavailable(url_text + ": no answer");
  }

 private:
  Result<HttpResponse> Exchange(const Url& url, http::request<http::string_body>& req,
                                bool reused) {
    beast::error_code ec;
    ioc.restart();
    if (!reused) {
      stream.reset();
      stream.emplace(ioc);
      tcp::resolver resolver(ioc);
      auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
      if (ec) return Unavailable(url.HostPort() + ": cannot resolve: " + ec.message());
      stream->expires_after(timeout);
      stream->async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
      ioc.run();
      if (ec) {
        stream.reset();
        return Unavailable(url.HostPort() + ": cannot connect: " + ec.message());
      }
      beast::error_code ignored;
      stream->socket().set_option(tcp::no_delay(true), ignored);
      connected_to = url.HostPort();
      ioc.restart();
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_body);
    stream->expires_after(timeout);
    // A server may answer before it has read the whole body (413, 401) and close; its answer
    // is read even when the write failed, and the write's error reported only without one.
    beast::error_code write_ec;
    http::async_write(*stream, req, [&](beast::error_code e, size_t) {
      write_ec = e;
      http::async_read(*stream, buffer, parser, [&](beast::error_code e2, size_t) { ec = e2; });
    });
    ioc.run();
    if (ec && write_ec) ec = write_ec;
    if (ec) {
      stream.reset();
      buffer.clear();
      return Unavailable(url.HostPort() + ": " + std::string(req.method_string()) + " " +
                         std::string(req.target()) + ": " + ec.message());
    }
    auto msg = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      out.headers.push_back({std::move(name), std::string(f.value())});
    }
    out.body = std::move(msg.body());
    if (!msg.keep_alive()) stream.reset();
    return out;
  }

 public:
  std::chrono::milliseconds timeout;
  size_t max_body;
  asio::io_context ioc{1};
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::string connected_to;
};

HttpClient::HttpClient(std::chrono::milliseconds timeout, size_t max_body)
    : impl_(std::make_unique<Impl>(timeout, max_body)) {}
HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::Get(const std::string& url,
                                     const std::vector<HttpHeader>& headers) {
  return impl_->Send("GET", url, headers, "");
}

Result<HttpResponse> HttpClient::Post(const std::string& url, std::string body,
                                      std::string content_type,
                                      const std::vector<HttpHeader>& headers) {
  std::vector<HttpHeader> all = headers;
  all.push_back({"content-type", std::move(content_type)});
  return impl_->Send("POST", url, all, std::move(body));
}

Result<HttpResponse> HttpClient::Send(std::string_view method, const std::string& url,
                                      const std::vector<HttpHeader>& headers, std::string body) {
  return impl_->Send(method, url, headers, std::move(body));
}

}  // namespace tally::server
