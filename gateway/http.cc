#include "gateway/http.h"

#include <atomic>

#include "gateway/problem.h"

namespace pathbridge::gateway {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool Principal::HasScope(std::string_view scope) const {
  for (const auto& s : scopes)
    if (s == scope) return true;
  return false;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  return std::nullopt;
}

size_t Request::HeaderCount(std::string_view name) const {
  size_t n = 0;
  for (const auto& h : headers) n += EqualsIgnoreCase(h.first, name) ? 1 : 0;
  return n;
}

Response TextResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

struct Reply::State {
  std::string request_id;
  Sink sink;
  std::atomic<bool> called{false};

  bool Claim() { return !called.exchange(true); }

  // The safety net: a handler that dropped its reply still answers.
  ~State() {
    if (!Claim()) return;
    try {
      sink(Problem(500, "the request was not answered; quote the request id", request_id));
    } catch (...) {
      // A destructor must not throw; the connection then times out.
    }
  }
};

Reply::Reply(std::string request_id, Sink sink)
    : state_(std::make_shared<State>()) {
  state_->request_id = std::move(request_id);
  state_->sink = std::move(sink);
}

void Reply::operator()(Response response) const {
  if (state_->Claim()) state_->sink(std::move(response));
}

bool Reply::called() const { return state_->called.load(); }

}  // namespace pathbridge::gateway
