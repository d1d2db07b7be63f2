#include "gateway/verify_page.h"

#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "gateway/html.h"
#include "gateway/multipart.h"
#include "gateway/qr_svg.h"
#include "gateway/url_encoded.h"
#include "ledger/credentials/vc.h"
#include "ledger/credentials/verifier.h"
#include "standards/digest.h"
#include "standards/encoding.h"

namespace pathbridge::gateway {
namespace {

namespace bj = boost::json;
using credentials::Outcome;
using credentials::VerificationReport;

constexpr std::string_view kCss = R"css(
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#f5f6f8}
main{max-width:54rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1.05rem;margin:.25rem 0}
section{background:#fff;border:1px solid #d6d9de;border-radius:6px;padding:1rem 1.25rem;margin:1rem 0}
.verdict h2{font-size:1.5rem}
.verified{border-left:10px solid #1a7f37}
.not-valid,.error{border-left:10px solid #c62828}
.unchecked{border-left:10px solid #a86b00}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.5rem;border-top:1px solid #e3e5e9}
.mark{white-space:nowrap;font-weight:700}
.valid{color:#1a7f37}.invalid{color:#c62828}.indeterminate{color:#8a5700}.na{color:#555}
.detail{color:#555;font-size:.9rem;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.25rem 0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
article{border-top:1px solid #e3e5e9;padding:.5rem 0}
textarea{width:100%;box-sizing:border-box;font:14px/1.4 ui-monospace,monospace}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
button{font-size:1rem;padding:.5rem 1.5rem;margin-top:1rem}
code{overflow-wrap:anywhere}
svg.qr{display:block;width:20rem;max-width:100%;height:auto;margin-top:.5rem}
)css";

// Text for people, from the credential or about it: always escaped.
std::string H(std::string_view text) { return HtmlEscape(text); }

std::string StyleSource() {
  DigestValue d = ThreadDigester(HashAlgorithm::kSha256).Hash(kCss);
  return "'sha256-" + Base64Encode(ByteSpan(d.bytes.data(), d.size)) + "'";
}

Response Page(int status, const std::string& title, const std::string& content) {
  static const std::string policy = "default-src 'none'; style-src " + StyleSource() +
                                    "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.headers = {{"Content-Security-Policy", policy},
               {"Referrer-Policy", "no-referrer"},
               {"X-Frame-Options", "DENY"},
               {"Cache-Control", "no-store"}};
  r.body = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + H(title) + " - pathbridge</title><style>" + std::string(kCss) +
           "</style></head>\n<body><main>\n<h1>Verify a credential</h1>\n" + content + "</main></body></html>\n";
  return r;
}

constexpr std::string_view kForm = R"html(<section id="form">
<h2>Check a credential</h2>
<form method="post" action="/verify" enctype="multipart/form-data">
<label for="credential">Paste the credential (its JSON, or a compact JWS)</label>
<textarea id="credential" name="credential" rows="10" spellcheck="false" autocomplete="off"></textarea>
<label for="file">or choose the credential's file</label>
<input type="file" id="file" name="file" accept=".json,.jsonld,.jwt,.jws,.txt,application/json">
<div><button type="submit">Verify</button></div>
</form>
<p class="detail">The credential is checked on this server and is not stored. Its signature,
its issuer, its dates, whether it was revoked and whether this hub's ledger recorded it are
checked; nothing is fetched from elsewhere.</p>
</section>
)html";

Response ErrorPage(int status, std::string_view message) {
  return Page(status, "Cannot verify",
              "<section class=\"error\" id=\"error\"><h2>The credential could not be checked</h2><p>" +
                  H(message) + "</p></section>\n" + std::string(kForm));
}

// ---- What the credential says ---------------------------------------------

std::string Text(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A number as people write it (42, 3.5), or a string member as is.
std::string Amount(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (!v->is_number()) return "";
  std::ostringstream out;
  out << v->to_number<double>();
  return out.str();
}

const bj::object* Member(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

std::vector<const bj::object*> Objects(const bj::value* member) {
  std::vector<const bj::object*> out;
  for (const bj::value* v : credentials::Items(member))
    if (v->is_object()) out.push_back(&v->as_object());
  return out;
}

// The holder's name, only as the credential itself shows it: the subject's
// name, or an unhashed "name" identifier.
std::string HolderName(const bj::object& claims) {
  for (const bj::object* subject : Objects(claims.if_contains("credentialSubject"))) {
    if (std::string name = Text(*subject, "name"); !name.empty()) return name;
    for (const bj::object* id : Objects(subject->if_contains("identifier"))) {
      const bj::value* hashed = id->if_contains("hashed");
      if (Text(*id, "identityType") == "name" && hashed && hashed->is_bool() && !hashed->as_bool())
        return Text(*id, "identityHash");
    }
  }
  return "";
}

std::string Kind(const bj::object& claims) {
  if (credentials::HasType(claims, "ClrCredential")) return "Comprehensive Learner Record (CLR 2.0)";
  if (credentials::HasType(claims, "OpenBadgeCredential") ||
      credentials::HasType(claims, "AchievementCredential"))
    return "Open Badge 3.0";
  return "Verifiable Credential";
}

// One <dt>/<dd> pair; nothing for an empty value.
void Fact(std::string& out, std::string_view label, const std::string& value,
          std::string_view id = {}) {
  if (value.empty()) return;
  out += "<dt>" + H(label) + "</dt><dd";
  if (!id.empty()) out += " id=\"" + std::string(id) + "\"";
  out += ">" + H(value) + "</dd>";
}

std::string AchievementHtml(const bj::object& achievement, const bj::object& subject,
                            const std::string& from) {
  std::string name = Text(achievement, "name");
  std::string out = "<article class=\"achievement\"><h3>" + H(name.empty() ? "(no name)" : name) + "</h3>";
  if (std::string d = Text(achievement, "description"); !d.empty() && d != name)
    out += "<p>" + H(d) + "</p>";
  out += "<dl>";
  Fact(out, "Type", Text(achievement, "achievementType"));
  Fact(out, "Code", Text(achievement, "humanCode"));
  Fact(out, "Credits earned", Amount(subject, "creditsEarned"));
  Fact(out, "Credits available", Amount(achievement, "creditsAvailable"));
  if (const bj::object* criteria = Member(achievement, "criteria"))
    Fact(out, "Criteria", Text(*criteria, "narrative"));
  Fact(out, "Term", Text(subject, "term"));
  Fact(out, "In the credential", from);
  return out + "</dl></article>\n";
}

// The achievements a credential awards: an Open Badge's, and for a CLR
// those of each credential it holds and those it lists itself.
void AddAchievements(const bj::object& credential, const std::string& from, int depth,
                     std::string& out, size_t& count) {
  for (const bj::object* subject : Objects(credential.if_contains("credentialSubject"))) {
    for (const bj::object* a : Objects(subject->if_contains("achievement"))) {
      out += AchievementHtml(*a, *subject, from);
      ++count;
    }
    if (depth > 0) continue;
    for (const bj::value* vc : credentials::Items(subject->if_contains("verifiableCredential"))) {
      Result<bj::object> inner =
          vc->is_object() ? Result<bj::object>(vc->as_object())
          : vc->is_string()
              ? credentials::CredentialClaims(credentials::CompactJws{std::string(vc->as_string())})
              : Result<bj::object>(InvalidArgument("not a credential"));
      if (inner.ok()) AddAchievements(*inner, credentials::CredentialLabel(*inner), depth + 1, out, count);
    }
  }
}

// ---- The checks, in plain words ------------------------------------------

struct CheckRow {
  std::string key;    // data-check, for tests and styling
  std::string label;
  std::optional<Outcome> outcome;  // nullopt: does not apply
  std::string plain;               // what it means
  std::string detail;              // what the verifier found
};

struct Wording {
  std::string_view key, label, valid, invalid, unchecked;
};

constexpr Wording kWordings[] = {
    {"format", "Readable credential", "It is a well-formed credential.",
     "It is not a well-formed credential.", "Its form could not be checked."},
    {"signature", "Signature", "The credential has not been changed since it was signed.",
     "The credential was changed after it was signed, or its signature is damaged.",
     "The signing key could not be found, so the signature could not be checked."},
    {"issuer", "Signed by the issuer", "The key that signed it belongs to the issuer it names.",
     "It was not signed by the issuer it names.", "Who signed it could not be told."},
    {"dates", "Dates", "It is within its dates of validity.", "It is expired, or not valid yet.",
     "Its dates could not be checked."},
    {"revocation", "Not revoked", "The issuer has not revoked it.", "The issuer has revoked it.",
     "The issuer's revocation list could not be read."},
    {"suspension", "Not suspended", "The issuer has not suspended it.", "The issuer has suspended it.",
     "The issuer's suspension list could not be read."},
    {"ledger", "Recorded in the ledger",
     "This hub's ledger recorded its issuance, and this is the very credential recorded.",
     "This is not the credential this hub's ledger recorded.", "The ledger could not be checked."},
    {"trust", "Issuer trusted", "The issuer is on the trust list.", "The issuer is not on the trust list.",
     "Whether to trust the issuer could not be checked."},
    {"nested", "Credential inside", "A credential inside this one verifies.",
     "A credential inside this one does not verify.", "A credential inside this one could not be fully checked."},
    {"status", "Status", "Its status is good.", "Its status is not good.", "Its status could not be checked."},
};

const Wording& WordingFor(std::string_view key) {
  for (const Wording& w : kWordings)
    if (w.key == key) return w;
  return kWordings[std::size(kWordings) - 1];
}

std::string_view KeyFor(std::string_view check_id) {
  if (check_id == "schema") return "format";
  if (check_id == "proof") return "signature";
  if (check_id == "issuer") return "issuer";
  if (check_id == "trust") return "trust";
  if (check_id == "dates") return "dates";
  if (check_id == "status.revocation") return "revocation";
  if (check_id == "status.suspension") return "suspension";
  if (check_id == "receipt") return "ledger";
  if (check_id.starts_with("nested[")) return "nested";
  return "status";
}

CheckRow FromCheck(const credentials::Check& c) {
  std::string_view key = KeyFor(c.id);
  const Wording& w = WordingFor(key);
  std::string_view plain = c.outcome == Outcome::kValid     ? w.valid
                           : c.outcome == Outcome::kInvalid ? w.invalid
                                                            : w.unchecked;
  return {std::string(key), std::string(w.label), c.outcome, std::string(plain), c.message};
}

// A row of the page's own making (no check of the verifier's says it).
CheckRow MakeRow(std::string_view key, std::optional<Outcome> outcome, std::string plain,
                 std::string detail = {}) {
  return {std::string(key), std::string(WordingFor(key).label), outcome, std::move(plain), std::move(detail)};
}

// A status's message, and where it points, for an error page.
std::string Plain(const Status& s) {
  return s.message() + (s.where().empty() ? "" : " (at " + s.where() + ")");
}

class VerifyPage {
 public:
  explicit VerifyPage(VerifyPageSources sources) : sources_(std::move(sources)) {
    for (const certs::Organization& org : sources_.orgs) {
      hub_issuers_[org.Did()] = org.name;
      for (const certs::OrgKey& key : org.keys) hub_issuers_[org.DidOf(key)] = org.name;
    }
  }

  Response Get(const Request& request) const {
    auto vc = request.query.find("vc");
    if (vc == request.query.end()) return Page(200, "Verify a credential", std::string(kForm));
    auto bytes = Base64UrlDecode(vc->second);
    if (!bytes.ok())
      return ErrorPage(400, "The link does not carry a readable credential (its vc value is not base64url).");
    return VerifyText(std::string(AsChars(*bytes)));
  }

  Response Post(const Request& request) const {
    std::string_view type = request.Header("Content-Type").value_or("");
    std::string_view media = type.substr(0, type.find(';'));
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    Result<std::string> text = std::string();
    if (EqualsIgnoreCase(media, "multipart/form-data"))
      text = FromMultipart(request.body, type);
    else if (EqualsIgnoreCase(media, "application/x-www-form-urlencoded"))
      text = FromUrlEncoded(request.body);
    else
      return ErrorPage(415, "Send the form on this page (multipart/form-data or "
                            "application/x-www-form-urlencoded).");
    if (!text.ok()) return ErrorPage(400, "The form could not be read: " + Plain(text.status()));
    return VerifyText(*text);
  }

 private:
  static Result<std::string> FromMultipart(std::string_view body, std::string_view type) {
    PB_ASSIGN_OR_RETURN(std::string boundary, FormDataBoundary(type));
    PB_ASSIGN_OR_RETURN(std::vector<FormPart> parts, ParseFormData(body, boundary));
    std::optional<std::string> pasted, file;
    for (FormPart& p : parts) {
      std::optional<std::string>* slot = nullptr;
      if (p.name == "credential")
        slot = &pasted;
      else if (p.name == "file")
        slot = &file;
      else
        return InvalidArgument("unexpected form field", "field " + p.name);
      if (*slot) return InvalidArgument("repeated form field", "field " + p.name);
      *slot = std::move(p.body);
    }
    return OneOf(pasted, file);
  }

  static Result<std::string> FromUrlEncoded(std::string_view body) {
    PB_ASSIGN_OR_RETURN(auto form, ParseUrlEncoded(body, {.plus_is_space = true, .line_breaks = true}));
    std::optional<std::string> pasted;
    for (auto& [name, value] : form) {
      if (name != "credential") return InvalidArgument("unexpected form field", "field " + name);
      pasted = std::move(value);
    }
    return OneOf(pasted, std::nullopt);
  }

  static bool Blank(const std::optional<std::string>& s) {
    return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
  }

  static Result<std::string> OneOf(const std::optional<std::string>& pasted,
                                   const std::optional<std::string>& file) {
    if (!Blank(pasted) && !Blank(file))
      return InvalidArgument("paste a credential or choose a file, not both");
    return Blank(file) ? pasted.value_or("") : *file;
  }

  Response VerifyText(std::string_view text) const {
    if (text.size() > kMaxPageCredential)
      return ErrorPage(413, "The credential is larger than " + std::to_string(kMaxPageCredential / 1024) +
                                " KiB, the most this page takes.");
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark from an editor
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
      return ErrorPage(400, "Paste a credential or choose its file first.");
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    auto credential = credentials::ParseSignedCredential(text);
    if (!credential.ok())
      return ErrorPage(400, "This is not a credential this page can read (the JSON of a credential, or a "
                            "compact JWS): " + Plain(credential.status()));
    auto claims = credentials::CredentialClaims(*credential);
    auto offline = sources_.offline();
    if (!offline.ok())
      return ErrorPage(503, "The hub's keys and status lists could not be read just now; try again later.");
    credentials::VerifyContext context = (*offline)->Context(Now());
    Ledger ledger = LookUpLedger(**offline, claims.ok() ? &*claims : nullptr);
    if (ledger.trust) context.ledger = &*ledger.trust;
    VerificationReport report =
        credentials::Verify(*credential, context, ledger.receipt ? &*ledger.receipt : nullptr);
    if (sources_.on_verified) sources_.on_verified(report);
    std::vector<CheckRow> rows = Rows(report, claims.ok() ? &*claims : nullptr, ledger.unchecked);
    return Page(200, "Verification result", ResultHtml(rows, claims.ok() ? &*claims : nullptr, text));
  }

  // The receipt of a credential this hub issued, and what to check it
  // against; or why the ledger could not be checked.
  struct Ledger {
    std::optional<credentials::Receipt> receipt;
    std::optional<credentials::ReceiptTrust> trust;
    std::string unchecked;
  };

  Ledger LookUpLedger(const credentials::OfflineSources& offline, const bj::object* claims) const {
    Ledger out;
    std::string id = claims ? Text(*claims, "id") : "";
    if (!sources_.receipt_for) {
      out.unchecked = "This server does not look credentials up in the ledger.";
    } else if (id.empty()) {
      out.unchecked = "The credential has no id to look up in the ledger.";
    } else if (auto receipt = sources_.receipt_for(id); !receipt.ok()) {
      out.unchecked = receipt.status().code() == Code::kNotFound
                          ? "This hub did not issue this credential, so its ledger holds no record to check."
                          : "The ledger could not be read just now; try again later.";
    } else if (auto trust = offline.ReceiptTrustFor(*receipt); !trust.ok()) {
      out.unchecked = "The ledger's key could not be read, so its record could not be checked.";
    } else {
      out.receipt = std::move(*receipt);
      out.trust = std::move(*trust);
    }
    return out;
  }

  CheckRow TrustRow(const VerificationReport& report, const bj::object& claims) const {
    const credentials::Check* issuer = report.Find("issuer");
    std::string name = credentials::IssuerName(claims), did = credentials::IssuerId(claims);
    if (!issuer || issuer->outcome != Outcome::kValid)
      return MakeRow("trust", Outcome::kIndeterminate,
                 "Not checked: it is not shown that the issuer named signed this credential.");
    auto hub = hub_issuers_.find(did);
    if (hub != hub_issuers_.end())
      return MakeRow("trust", Outcome::kValid,
                 "Yes: " + hub->second + " is an organization registered with this hub.", did);
    return MakeRow("trust", Outcome::kIndeterminate,
               "Unknown to this hub: " + name + " is not one of its registered organizations. "
               "Decide for yourself whether to trust this issuer.", did);
  }

  std::vector<CheckRow> Rows(const VerificationReport& report, const bj::object* claims,
                             const std::string& ledger_unchecked) const {
    std::vector<CheckRow> rows;
    auto take = [&](std::string_view id) {
      if (const credentials::Check* c = report.Find(id)) rows.push_back(FromCheck(*c));
      return report.Find(id) != nullptr;
    };
    take("schema");
    if (!claims) return rows;
    take("proof");
    take("issuer");
    if (!take("trust")) rows.push_back(TrustRow(report, *claims));
    take("dates");
    if (!take("status.revocation"))
      rows.push_back(MakeRow("revocation", std::nullopt, "The credential names no revocation list."));
    if (!take("status.suspension"))
      rows.push_back(MakeRow("suspension", std::nullopt, "The credential names no suspension list."));
    for (const credentials::Check& c : report.checks())
      if (c.id.starts_with("status") && c.id != "status.revocation" && c.id != "status.suspension")
        rows.push_back(FromCheck(c));
    if (!take("receipt")) rows.push_back(MakeRow("ledger", Outcome::kIndeterminate, ledger_unchecked));
    for (const credentials::Check& c : report.checks())
      if (c.id.starts_with("nested[") && c.id.find('.') == std::string::npos) rows.push_back(FromCheck(c));
    return rows;
  }

  static std::string MarkHtml(std::optional<Outcome> o) {
    if (!o) return "<td class=\"mark na\">&ndash; Does not apply</td>";
    switch (*o) {
      case Outcome::kValid: return "<td class=\"mark valid\">&#10004; Valid</td>";
      case Outcome::kInvalid: return "<td class=\"mark invalid\">&#10008; NOT valid</td>";
      case Outcome::kIndeterminate: break;
    }
    return "<td class=\"mark indeterminate\">? Could not check</td>";
  }

  static std::string VerdictHtml(const std::vector<CheckRow>& rows) {
    bool invalid = false, unchecked = false;
    for (const CheckRow& r : rows) {
      invalid |= r.outcome == Outcome::kInvalid;
      unchecked |= r.outcome == Outcome::kIndeterminate;
    }
    auto section = [](std::string_view cls, std::string_view heading, std::string_view text) {
      return "<section class=\"verdict " + std::string(cls) + "\" id=\"verdict\" data-verdict=\"" +
             std::string(cls) + "\"><h2>" + std::string(heading) + "</h2><p>" + std::string(text) +
             "</p></section>\n";
    };
    if (invalid)
      return section("not-valid", "NOT valid",
                     "At least one check failed (marked NOT valid below). Do not accept this credential.");
    if (unchecked)
      return section("unchecked", "Not fully verified",
                     "Nothing failed, but some checks could not be made (marked below). Decide with care.");
    return section("verified", "Verified",
                   "Every check passed: the credential is genuine, unchanged, current and not revoked.");
  }

  static std::string ChecksHtml(const std::vector<CheckRow>& rows) {
    std::string out = "<section id=\"checks\"><h2>Checks</h2><table>\n";
    for (const CheckRow& r : rows) {
      out += "<tr data-check=\"" + r.key + "\"><th scope=\"row\">" + H(r.label) + "</th>" +
             MarkHtml(r.outcome) + "<td>" + H(r.plain);
      if (!r.detail.empty()) out += "<div class=\"detail\">" + H(r.detail) + "</div>";
      out += "</td></tr>\n";
    }
    return out + "</table></section>\n";
  }

  std::string ResultHtml(const std::vector<CheckRow>& rows, const bj::object* claims,
                         std::string_view text) const {
    std::string out = VerdictHtml(rows);
    if (claims) {
      std::string trusted;
      for (const CheckRow& r : rows)
        if (r.key == "trust") trusted = r.plain;
      out += "<section id=\"issuer\"><h2>Issuer</h2><dl>";
      Fact(out, "Name", credentials::IssuerName(*claims), "issuer-name");
      Fact(out, "Identifier (DID)", credentials::IssuerId(*claims), "issuer-id");
      Fact(out, "Trusted", trusted, "issuer-trusted");
      out += "</dl></section>\n<section id=\"credential-facts\"><h2>Credential</h2><dl>";
      Fact(out, "Name", credentials::CredentialLabel(*claims), "credential-name");
      Fact(out, "Kind", Kind(*claims));
      Fact(out, "Awarded to", HolderName(*claims), "holder");
      Fact(out, "Awarded on", Text(*claims, "awardedDate"));
      Fact(out, "Valid from", Text(*claims, credentials::IsVc11(*claims) ? "issuanceDate" : "validFrom"));
      Fact(out, "Valid until", Text(*claims, credentials::IsVc11(*claims) ? "expirationDate" : "validUntil"));
      Fact(out, "Description", Text(*claims, "description"));
      out += "</dl></section>\n";
      std::string achievements;
      size_t count = 0;
      AddAchievements(*claims, "", 0, achievements, count);
      if (count > 0)
        out += "<section id=\"achievements\"><h2>" + std::string(count == 1 ? "Achievement" : "Achievements") +
               " (" + std::to_string(count) + ")</h2>\n" + achievements + "</section>\n";
    }
    out += ChecksHtml(rows);
    std::string link = "/verify?vc=" + Base64UrlEncode(AsBytes(text));
    if (link.size() <= kMaxTargetLength) {
      out += "<section id=\"share\"><p class=\"detail\"><a id=\"result-link\" href=\"" + H(link) +
             "\">A link to this check</a> carries the whole credential; share it only as you would "
             "the credential.</p>";
      if (!sources_.base_url.empty())
        if (auto qr = QrSvg(sources_.base_url + link, "QR code of the link to this check")) out += *qr;
      out += "</section>\n";
    }
    return out + std::string(kForm);
  }

  VerifyPageSources sources_;
  std::map<std::string, std::string, std::less<>> hub_issuers_;  // DID -> organization name
};

}  // namespace

void AddVerifyPageRoutes(Router& router, VerifyPageSources sources) {
  auto run = std::move(sources.run);
  auto page = std::make_shared<const VerifyPage>(std::move(sources));
  // The page's answer, made on `run`'s thread when there is one.
  auto on_worker = [page, run](Response (VerifyPage::*answer)(const Request&) const) -> Handler {
    return [page, run, answer](const Request& request, Reply reply) {
      if (!run) return reply(((*page).*answer)(request));
      auto copy = std::make_shared<const Request>(request);
      bool queued = run([page, answer, copy, reply] {
        try {
          reply(((*page).*answer)(*copy));
        } catch (const std::exception&) {  // a bug; no io thread's catch-all out here
          reply(ErrorPage(500, "Something went wrong on the server; the check was not made."));
        }
      });
      if (!queued) reply(ErrorPage(503, "The server is busy; try again in a moment."));
    };
  };
  router.Add("GET", "/verify", on_worker(&VerifyPage::Get), {.query = {"vc"}, .rate_limited = true});
  router.Add("POST", "/verify", on_worker(&VerifyPage::Post), {.rate_limited = true});
}

}  // namespace pathbridge::gateway
