// Fuzzes the N-Quads parser and RDFC-1.0. Beyond "never crash or hang"
// (small work limits bound symmetric inputs), it checks:
//   - whatever parses serializes to N-Quads that parse to the same dataset;
//   - canonicalization is idempotent: the canonical document parses and
//     canonicalizes to itself;
//   - the result does not depend on blank node labels.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "standards/nquads.h"
#include "standards/rdfc.h"

namespace pathbridge::rdfc {
namespace {

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "rdfc_fuzz invariant broken: %s\n", what);
  std::abort();
}

Options SmallLimits() {
  Options o;
  o.max_ndegree_calls = 256;
  o.max_permutations = 2048;
  o.max_ndegree_depth = 32;
  return o;
}

void CheckCanonical(const rdf::Dataset& ds) {
  auto r = Canonicalize(ds, SmallLimits());
  if (!r.ok()) {
    Require(r.status().code() == Code::kResourceExhausted, "only the work limit may fail");
    return;
  }
  auto again = CanonicalizeNQuads(r->nquads, SmallLimits());
  Require(again.ok(), "canonical output parses and canonicalizes");
  Require(again->nquads == r->nquads, "canonicalization is idempotent");

  rdf::Dataset renamed = ds;
  for (rdf::Quad& q : renamed)
    for (rdf::Term* t : {&q.subject, &q.object, &q.graph})
      if (t->kind == rdf::TermKind::kBlank) t->value = "q" + t->value;
  auto other = Canonicalize(renamed, SmallLimits());
  Require(other.ok() && other->nquads == r->nquads, "labels do not change the result");
}

}  // namespace
}  // namespace pathbridge::rdfc

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pathbridge;
  if (size > 16 * 1024) return 0;  // larger inputs add time, not coverage
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ds = rdf::ParseNQuads(text);
  if (!ds.ok()) {
    rdfc::Require(!ds.status().where().empty(), "errors say where");
    return 0;
  }
  std::string serialized = rdf::SerializeNQuads(*ds);
  auto reparsed = rdf::ParseNQuads(serialized);
  rdfc::Require(reparsed.ok() && *reparsed == *ds, "serialized N-Quads parse to the same dataset");
  rdfc::CheckCanonical(*ds);
  return 0;
}
