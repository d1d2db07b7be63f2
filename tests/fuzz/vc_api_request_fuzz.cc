// Fuzzes the VC API request body parsers (gateway/vc_api_request.h). The
// first byte picks the parser (issue, verify credential, verify
// presentation, status change), the rest is the body. Invariants: a refusal
// is kInvalidArgument or kResourceExhausted (a client's fault, never a 5xx);
// an accepted request holds what its route relies on.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "gateway/vc_api_request.h"
#include "ledger/credentials/vc.h"

namespace pathbridge::gateway {
namespace {

namespace cr = pathbridge::credentials;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "vc_api_request_fuzz invariant broken: %s\n", what);
  std::abort();
}

void CheckRefusal(const Status& s) {
  Require(s.code() == Code::kInvalidArgument || s.code() == Code::kResourceExhausted,
          "a refusal that is not the client's fault");
  Require(!s.message().empty(), "a refusal without a message");
}

template <class T, class Check>
void Run(const Result<T>& r, Check check) {
  if (!r.ok()) return CheckRefusal(r.status());
  check(*r);
}

}  // namespace
}  // namespace pathbridge::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge::gateway;
  namespace cr = pathbridge::credentials;
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      Run(ParseIssueRequest(body), [](const IssueRequest& r) {
        Require(r.suite != cr::IssueSuite::kVcJose, "an issue suite the route does not offer");
      });
      break;
    case 1:
      Run(ParseVerifyCredentialRequest(body), [](const VerifyCredentialRequest&) {});
      break;
    case 2:
      Run(ParseVerifyPresentationRequest(body), [](const VerifyPresentationRequest& r) {
        Require(cr::HasType(r.presentation, "VerifiablePresentation"), "not a presentation");
      });
      break;
    default:
      Run(ParseStatusRequest(body), [](const StatusRequest& r) {
        Require(!r.credential_id.empty(), "an empty credential id");
        Require(r.purpose == cr::StatusPurpose::kRevocation ||
                    r.purpose == cr::StatusPurpose::kSuspension,
                "a status purpose the route does not change");
      });
  }
  return 0;
}
