#include "certs/controller_document.h"

#include <map>

#include <boost/json.hpp>

#include "certs/multikey.h"
#include "standards/json.h"
#include "standards/json_fields.h"
#include "standards/multibase.h"

namespace pathbridge::certs {
namespace {

namespace bj = boost::json;

// Fields whose presence means a secret was published with the document.
constexpr std::string_view kPrivateKeyFields[] = {"secretKeyMultibase", "privateKeyMultibase",
                                                  "privateKeyBase58", "privateKeyJwk"};

std::string_view Base(std::string_view url) { return url.substr(0, url.find('#')); }

class Parser {
 public:
  Parser(std::string_view where, std::string_view source) : where_(where), source_(source) {}

  Result<ControllerDocument> Run(const bj::value& value) {
    if (!value.is_object()) return InvalidArgument("a controller document is a JSON object", At(""));
    const bj::object& doc = value.get_object();
    PB_ASSIGN_OR_RETURN(std::string_view id, Fields(doc, "").String("id"));
    if (id.find(':') == std::string_view::npos || id.find('#') != std::string_view::npos)
      return InvalidArgument("a document id is an absolute URL without a fragment", At("/id"));
    doc_.id = id;
    PB_RETURN_IF_ERROR(ForEach(doc, "verificationMethod", [&](const bj::value& v, const std::string& p) {
      return Define(v, p, {});
    }));
    for (std::string_view rel : kVerificationRelationships)  // embedded methods first,
      PB_RETURN_IF_ERROR(ForEach(doc, rel, [&](const bj::value& v, const std::string& p) {
        return v.is_string() ? Status::Ok() : Define(v, p, rel);
      }));
    for (std::string_view rel : kVerificationRelationships)  // so references can name them
      PB_RETURN_IF_ERROR(ForEach(doc, rel, [&](const bj::value& v, const std::string& p) {
        return v.is_string() ? Reference(v.get_string(), p, rel) : Status::Ok();
      }));
    return std::move(doc_);
  }

 private:
  struct Entry {
    bool usable;
    std::size_t index;
  };

  std::string At(std::string_view pointer) const { return where_ + std::string(pointer); }

  json::JsonFields Fields(const bj::object& o, const std::string& pointer) const {
    return json::JsonFields(o, At(pointer));
  }

  // Calls f on each element of o[key] (absent: none), which must be an array.
  template <typename F>
  Status ForEach(const bj::object& o, std::string_view key, F f) const {
    const bj::value* v = o.if_contains(key);
    if (!v) return Status::Ok();
    std::string pointer;
    json::AppendPointerToken(pointer, key);
    if (!v->is_array()) return InvalidArgument("want an array", At(pointer));
    const bj::array& a = v->get_array();
    for (std::size_t i = 0; i < a.size(); ++i)
      PB_RETURN_IF_ERROR(f(a[i], pointer + "/" + std::to_string(i)));
    return Status::Ok();
  }

  std::string Absolute(std::string_view ref) const {
    return ref.starts_with('#') ? doc_.id + std::string(ref) : std::string(ref);
  }

  Status Define(const bj::value& v, const std::string& p, std::string_view relationship) {
    if (!v.is_object()) return InvalidArgument("a verification method is an object", At(p));
    const json::JsonFields f = Fields(v.get_object(), p);
    PB_ASSIGN_OR_RETURN(std::string_view ref, f.String("id"));
    std::string id = Absolute(ref);
    if (id.find(':') == std::string::npos)
      return InvalidArgument("a verification method id is an absolute URL or a #fragment",
                             f.Where("id"));
    if (entries_.contains(id))
      return InvalidArgument("verification method " + id + " is defined twice", f.Where("id"));
    PB_RETURN_IF_ERROR(NoPrivateKey(f));
    if (Base(id) != doc_.id) return Status::Ok();  // not this document's to define
    auto method = Method(f, id);
    if (!method.ok()) {
      entries_[id] = {false, doc_.unusable.size()};
      doc_.unusable.emplace_back(id, method.status());
      return Status::Ok();
    }
    if (!relationship.empty()) method->relationships.emplace_back(relationship);
    entries_[id] = {true, doc_.methods.size()};
    doc_.methods.push_back(std::move(*method));
    return Status::Ok();
  }

  Status Reference(std::string_view ref, const std::string& p, std::string_view relationship) {
    const std::string id = Absolute(ref);
    auto it = entries_.find(id);
    if (it == entries_.end()) {
      if (Base(id) == doc_.id)
        return InvalidArgument("names a verification method the document does not define", At(p));
      return Status::Ok();  // a method of another document: not ours to resolve
    }
    if (!it->second.usable) return Status::Ok();
    VerificationMethod& m = doc_.methods[it->second.index];
    if (!m.HasRelationship(relationship)) m.relationships.emplace_back(relationship);
    return Status::Ok();
  }

  static Status NoPrivateKey(const json::JsonFields& f) {
    std::string where;
    for (std::string_view field : kPrivateKeyFields)
      if (f.object().contains(field)) where = f.Where(field);
    if (const bj::value* jwk = f.object().if_contains("publicKeyJwk");
        jwk && jwk->is_object() && jwk->get_object().contains("d"))
      where = f.Where("publicKeyJwk") + "/d";
    if (where.empty()) return Status::Ok();
    return InvalidArgument("the document publishes a private key; remove it and replace the key",
                           where);
  }

  // The usable method, or why it is not.
  Result<VerificationMethod> Method(const json::JsonFields& f, const std::string& id) const {
    VerificationMethod out;
    out.id = id;
    out.source = source_;
    PB_ASSIGN_OR_RETURN(std::string_view controller, f.String("controller"));
    out.controller = controller;
    if (controller != doc_.id)
      return InvalidArgument("the controller is not the document's id, " + doc_.id,
                             f.Where("controller"));
    PB_ASSIGN_OR_RETURN(std::string_view type, f.String("type"));
    PB_ASSIGN_OR_RETURN(out.public_key, Key(f, type));
    PB_ASSIGN_OR_RETURN(out.valid_until, f.OptionalDateTime("expires"));
    PB_ASSIGN_OR_RETURN(out.revoked, f.OptionalDateTime("revoked"));
    return out;
  }

  static Result<Ed25519PublicKey> Key(const json::JsonFields& f, std::string_view type) {
    if (type == "Multikey" || type == "Ed25519VerificationKey2020") {
      PB_ASSIGN_OR_RETURN(std::string_view text, f.String("publicKeyMultibase"));
      return Located(ParseEd25519PublicKeyMultibase(text), f.Where("publicKeyMultibase"));
    }
    if (type == "Ed25519VerificationKey2018") {
      PB_ASSIGN_OR_RETURN(std::string_view text, f.String("publicKeyBase58"));
      auto bytes = Base58BtcDecode(text);
      if (!bytes.ok()) return Located(bytes.status(), f.Where("publicKeyBase58"));
      return Located(Ed25519PublicKeyFromBytes(*bytes), f.Where("publicKeyBase58"));
    }
    if (type == "JsonWebKey" || type == "JsonWebKey2020") return Jwk(f);
    return InvalidArgument("verification method type " + std::string(type) +
                               " is not an Ed25519 key type pathbridge reads (Multikey, "
                               "Ed25519VerificationKey2020, Ed25519VerificationKey2018, "
                               "JsonWebKey)",
                           f.Where("type"));
  }

  // RFC 7517 / RFC 8037: {"kty":"OKP","crv":"Ed25519","x":"<base64url>"}.
  static Result<Ed25519PublicKey> Jwk(const json::JsonFields& m) {
    const bj::value* v = m.object().if_contains("publicKeyJwk");
    if (!v || !v->is_object()) return InvalidArgument("want a JWK object", m.Where("publicKeyJwk"));
    const json::JsonFields jwk(v->get_object(), m.Where("publicKeyJwk"));
    PB_ASSIGN_OR_RETURN(std::string_view kty, jwk.String("kty"));
    PB_ASSIGN_OR_RETURN(std::string_view crv, jwk.String("crv"));
    if (kty != "OKP" || crv != "Ed25519")
      return InvalidArgument("the JWK is " + std::string(kty) + " " + std::string(crv) +
                                 ", not an OKP Ed25519 key",
                             jwk.where());
    PB_ASSIGN_OR_RETURN(std::string_view x, jwk.String("x"));
    auto bytes = Base64UrlDecode(x);
    if (!bytes.ok()) return Located(bytes.status(), jwk.Where("x"));
    return Located(Ed25519PublicKeyFromBytes(*bytes), jwk.Where("x"));
  }

  // The error of a decoder, placed at `where` (its own offset kept in the message).
  static Status Located(const Status& s, const std::string& where) {
    std::string msg = s.message();
    if (!s.where().empty()) msg += " (at " + s.where() + ")";
    return Status(s.code(), msg, where);
  }
  template <typename T>
  static Result<T> Located(Result<T> r, const std::string& where) {
    if (!r.ok()) return Located(r.status(), where);
    return r;
  }

  const std::string where_;
  const std::string source_;
  ControllerDocument doc_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace

Result<ControllerDocument> ParseControllerDocument(const bj::value& doc, std::string_view where,
                                                   std::string_view source) {
  return Parser(where, source).Run(doc);
}

bj::object BuildControllerDocument(std::string_view id,
                                   const std::vector<VerificationMethod>& methods) {
  bj::array listed;
  for (const auto& m : methods) {
    bj::object o{{"id", m.id},
                 {"type", "Multikey"},
                 {"controller", m.controller},
                 {"publicKeyMultibase", Ed25519PublicKeyMultibase(m.public_key)}};
    if (!m.valid_until.empty()) o["expires"] = m.valid_until;
    if (!m.revoked.empty()) o["revoked"] = m.revoked;
    listed.push_back(std::move(o));
  }
  bj::object doc{
      {"@context", {"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"}},
      {"id", id},
      {"verificationMethod", std::move(listed)}};
  for (std::string_view rel : kVerificationRelationships) {
    bj::array refs;
    for (const auto& m : methods)
      if (m.HasRelationship(rel)) refs.emplace_back(m.id);
    if (!refs.empty()) doc[rel] = std::move(refs);
  }
  return doc;
}

}  // namespace pathbridge::certs
