#include "tally/server/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "tally/server/problem.h"

namespace tally::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// The Date header, formatted once per second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached = buf;
    cached_at = now;
  }
  return cached;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string ListenAddress::ToString() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress a;
  std::string_view port;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return FieldError("--listen", "listen", "HOST:PORT or [IPv6]:PORT", text);
    }
    a.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return FieldError("--listen", "listen", "HOST:PORT, e.g. 127.0.0.1:8401", text);
    }
    a.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5) {
    return FieldError("--listen", "listen", "a port 0-65535", text);
  }
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return FieldError("--listen", "listen", "a port 0-65535", text);
    p = p * 10 + (c - '0');
  }
  if (p > 65535) return FieldError("--listen", "listen", "a port 0-65535", text);
  a.port = p;
  return a;
}

class Connection;

class HttpServer::Impl {
 public:
  Impl(const Router& r, ServerOptions o, Logger& l)
      : router(r), options(o), log(l), workers(static_cast<size_t>(std::max(1, o.worker_threads))) {
    const int n = std::max(1, options.network_threads);
    for (int i = 0; i < n; ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
      guards.emplace_back(asio::make_work_guard(*loops.back()));
    }
    acceptor.emplace(*loops[0]);
  }

  void Accept();
  void Register(const std::shared_ptr<Connection>& c);
  void Unregister(Connection* c);
  void DrainAll();

  const Router& router;
  ServerOptions options;
  Logger& log;
  ListenAddress bound;
  size_t next_loop = 0;

  std::atomic<bool> stopping{false};
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;

  // Declared before the loops: a connection destroyed with its loop unregisters itself here.
  std::mutex conns_mu;
  std::condition_variable conns_cv;
  std::set<Connection*> conns;
  std::vector<std::weak_ptr<Connection>> conn_refs;
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> refused{0};

  asio::thread_pool workers;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::optional<tcp::acceptor> acceptor;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(HttpServer::Impl& server, tcp::socket socket)
      : server_(server), socket_(std::move(socket)), timer_(socket_.get_executor()) {
    beast::error_code ec;
    const auto ep = socket_.remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~Connection() { server_.Unregister(this); }

  void Start() { ReadHeader(); }

  // Called on this connection's loop when the server stops.
  void Drain() {
    draining_ = true;
    if (idle_ || lingering_) Close();
  }

  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  void Arm(std::chrono::milliseconds timeout) {
    timed_out_ = false;
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // cancelled
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  void ReadHeader() {
    if (draining_ || server_.stopping) {
      Close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    // Checked against the route once the headers are in (Beast would check it at header time).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    idle_ = buffer_.size() == 0;
    Arm(server_.options.header_timeout);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    timer_.cancel();
    if (timed_out_) {
      // Nothing at all arrived: an idle keep-alive connection; close it quietly.
      if (buffer_.size() == 0 && !parser_->got_some()) return Close();
      return Fail(408, "request_timeout", "the request headers did not arrive in time");
    }
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return Close();
    }
    if (ec == http::error::header_limit) {
      return Fail(431, "header_too_large",
                  "the request line and headers exceed " +
                      std::to_string(server_.options.max_header_bytes) + " bytes");
    }
    if (ec) return Fail(400, "malformed_request", "malformed HTTP request: " + ec.message());
    auto& msg = parser_->get();
    request_ = HttpRequest{};
    request_.method = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    request_.remote = remote_;
    if (!request_.target.starts_with('/')) {
      return Fail(400, "malformed_request", "the request target must be an absolute path");
    }
    const size_t q = request_.target.find('?');
    request_.path = request_.target.substr(0, q);
    if (q != std::string::npos) request_.query = request_.target.substr(q + 1);
    keep_alive_ = parser_->keep_alive();

    auto match = server_.router.Match(request_.method, request_.path);
    if (!match.route) {
      const bool body_pending = !parser_->is_done();
      linger_ = body_pending;
      return Write(std::move(match.problem), body_pending || !keep_alive_);
    }
    route_ = match.route;
    const size_t limit = route_->options.max_body;
    if (auto cl = parser_->content_length(); cl && *cl > limit) {
      return Fail(413, "body_too_large",
                  "the body of " + std::to_string(*cl) + " bytes exceeds the limit of " +
                      std::to_string(limit) + " bytes for " + request_.path);
    }
    if (parser_->is_done()) return Dispatch();
    if (limit == 0) {
      return Fail(413, "body_too_large", request_.path + " takes no request body");
    }
    parser_->body_limit(limit);
    Arm(server_.options.body_timeout);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, size_t) { self->OnBody(e); });
  }

  void OnBody(beast::error_code ec) {
    timer_.cancel();
    if (timed_out_) return Fail(408, "request_timeout", "the request body did not arrive in time");
    if (ec == http::error::body_limit) {
      return Fail(413, "body_too_large",
                  "the body exceeds the limit of " + std::to_string(route_->options.max_body) +
                      " bytes for " + request_.path);
    }
    if (ec) return Fail(400, "malformed_request", "malformed request body: " + ec.message());
    Dispatch();
  }

  void Dispatch() {
    auto& msg = parser_->get();
    for (const auto& f : msg) {
      const auto name = f.name_string();
      request_.headers.push_back(
          {Lower(std::string_view(name.data(), name.size())), std::string(f.value())});
    }
    request_.body = std::move(msg.body());
    ++server_.requests;
    if (!route_->options.blocking) {
      Write(Call(), !keep_alive_);
      return;
    }
    asio::post(server_.workers, [self = shared_from_this()] {
      HttpResponse response = self->Call();
      asio::post(self->executor(), [self, r = std::move(response)]() mutable {
        self->Write(std::move(r), !self->keep_alive_);
      });
    });
  }

  HttpResponse Call() {
    try {
      return route_->handler(request_);
    } catch (const std::exception& e) {
      server_.log.Error("handler_exception", {{"path", request_.path}, {"what", e.what()}});
    } catch (...) {
      server_.log.Error("handler_exception", {{"path", request_.path}});
    }
    return Problem(500, "internal", "internal error while handling " + request_.path);
  }

  void Fail(int status, std::string_view code, const std::string& detail) {
    server_.log.Warn(
        "request_refused",
        {{"remote", remote_}, {"status", status}, {"problem", code}, {"path", request_.path}});
    linger_ = true;
    Write(Problem(status, code, detail), true);
  }

  void Write(HttpResponse response, bool close) {
    response_ = std::move(response);
    close_after_ = close || response_.close || draining_ || server_.stopping;
    if (server_.options.log_requests || response_.status >= 500) {
      server_.log.Log(response_.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "request",
                      {{"remote", remote_},
                       {"method", request_.method},
                       {"path", request_.path},
                       {"status", response_.status}});
    }
    const std::string_view body = response_.Body();
    head_.clear();
    head_ += "HTTP/1.1 ";
    head_ += std::to_string(response_.status);
    head_ += ' ';
    head_ += ReasonPhrase(response_.status);
    head_ += "\r\ndate: ";
    head_ += HttpDate();
    head_ += "\r\n";
    for (const auto& h : response_.headers) {
      head_ += h.name;
      head_ += ": ";
      head_ += h.value;
      head_ += "\r\n";
    }
    head_ += "content-length: ";
    head_ += std::to_string(body.size());
    head_ += close_after_ ? "\r\nconnection: close\r\n\r\n" : "\r\n\r\n";
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body.data(), 0)};
    if (request_.method != "HEAD") buffers[1] = asio::buffer(body.data(), body.size());
    Arm(server_.options.write_timeout);
    asio::async_write(socket_, buffers, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->timer_.cancel();
      if (ec) return self->Close();
      if (self->close_after_) return self->linger_ ? self->Linger() : self->Close();
      self->ReadHeader();
    });
  }

  // A refused request may still be sending its body. Closing a socket with unread input makes
  // the kernel reset the connection, and the client, still writing, may lose the answer that
  // says why; so the answer's sender stops sending and reads on, discarding, until the client
  // closes, kLingerBytes arrive or kLingerTime passes (nginx's lingering close).
  void Linger() {
    static constexpr size_t kLingerBytes = size_t{64} << 20;
    static constexpr std::chrono::milliseconds kLingerTime{2000};
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (!lingering_) {
      lingering_ = true;
      lingered_ = 0;
      Arm(kLingerTime);
    }
    if (timed_out_ || lingered_ >= kLingerBytes || server_.stopping) return Close();
    discard_.resize(16384);
    socket_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec) return self->Close();
                              self->Linger();
                            });
  }

  void Close() {
    beast::error_code ignored;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
  }

  HttpServer::Impl& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  const Route* route_ = nullptr;
  HttpResponse response_;
  std::string head_;
  std::string remote_;
  bool keep_alive_ = true;
  bool close_after_ = false;
  bool timed_out_ = false;
  bool idle_ = false;
  bool draining_ = false;
  bool linger_ = false;
  bool lingering_ = false;
  size_t lingered_ = 0;
  std::string discard_;
};

void HttpServer::Impl::Register(const std::shared_ptr<Connection>& c) {
  std::lock_guard<std::mutex> lock(conns_mu);
  conns.insert(c.get());
  conn_refs.push_back(c);
  if (conn_refs.size() > 2 * conns.size() + 64) {
    std::erase_if(conn_refs, [](const auto& w) { return w.expired(); });
  }
}

void HttpServer::Impl::Unregister(Connection* c) {
  std::lock_guard<std::mutex> lock(conns_mu);
  conns.erase(c);
  conns_cv.notify_all();
}

void HttpServer::Impl::DrainAll() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(conns_mu);
    for (auto& w : conn_refs) {
      if (auto c = w.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) {
    asio::post(c->executor(), [c] { c->Drain(); });
  }
}

void HttpServer::Impl::Accept() {
  asio::io_context& loop = *loops[next_loop];
  next_loop = (next_loop + 1) % loops.size();
  acceptor->async_accept(loop, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping) return;
    if (!ec) {
      size_t open = 0;
      {
        std::lock_guard<std::mutex> lock(conns_mu);
        open = conns.size();
      }
      if (open >= options.max_connections) {
        ++refused;
        static constexpr char kBusy[] =
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n"
            "content-length: 92\r\nconnection: close\r\n\r\n"
            "{\"type\":\"/problems/unavailable\",\"title\":\"Service Unavailable\",\"status\":503,"
            "\"detail\":\"busy\"}";
        beast::error_code ignored;
        socket.write_some(asio::buffer(kBusy, sizeof kBusy - 1), ignored);
        socket.close(ignored);
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto conn = std::make_shared<Connection>(*this, std::move(socket));
        Register(conn);
        asio::post(conn->executor(), [conn] { conn->Start(); });
      }
    } else {
      log.Warn("accept_failed", {{"error", ec.message()}});
    }
    Accept();
  });
}

HttpServer::HttpServer(const Router& router, ServerOptions options, Logger& logger)
    : impl_(std::make_unique<Impl>(router, options, logger)) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->workers.join();
}

Status HttpServer::Listen(const ListenAddress& address) {
  beast::error_code ec;
  tcp::resolver resolver(*impl_->loops[0]);
  auto results = resolver.resolve(address.host, std::to_string(address.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return InvalidArgument("--listen " + address.ToString() + ": cannot resolve \"" + address.host +
                           "\": " + ec.message());
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  auto& acc = *impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(impl_->options.backlog, ec);
  if (ec) {
    return IoError("--listen " + address.ToString() + ": cannot listen: " + ec.message());
  }
  const auto local = acc.local_endpoint(ec);
  impl_->bound = ListenAddress{local.address().to_string(), local.port()};
  return Status::Ok();
}

ListenAddress HttpServer::BoundAddress() const { return impl_->bound; }

void HttpServer::Run() {
  Impl& s = *impl_;
  asio::post(*s.loops[0], [&s] { s.Accept(); });
  std::vector<std::thread> threads;
  for (auto& loop : s.loops) {
    threads.emplace_back([&loop] { loop->run(); });
  }
  {
    std::unique_lock<std::mutex> lock(s.stop_mu);
    s.stop_cv.wait(lock, [&s] { return s.stop_requested; });
  }
  s.stopping = true;
  asio::post(*s.loops[0], [&s] {
    beast::error_code ignored;
    s.acceptor->close(ignored);
  });
  s.DrainAll();
  {
    std::unique_lock<std::mutex> lock(s.conns_mu);
    const bool drained =
        s.conns_cv.wait_for(lock, s.options.drain_timeout, [&s] { return s.conns.empty(); });
    if (!drained) {
      s.log.Warn("drain_timeout", {{"open_connections", static_cast<uint64_t>(s.conns.size())}});
    }
  }
  for (auto& g : s.guards) g.reset();
  for (auto& loop : s.loops) loop->stop();
  for (auto& t : threads) t.join();
  s.workers.join();
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  impl_->stop_requested = true;
  impl_->stop_cv.notify_all();
}

HttpServer::Stats HttpServer::stats() const {
  Stats st;
  st.requests = impl_->requests;
  st.refused_connections = impl_->refused;
  std::lock_guard<std::mutex> lock(impl_->conns_mu);
  st.open_connections = impl_->conns.size();
  return st;
}

}  // namespace tally::server
