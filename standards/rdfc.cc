#include "standards/rdfc.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "standards/nquads.h"

namespace pathbridge::rdfc {
namespace {

constexpr int32_t kNone = -1;
// Quad component slots. The predicate is never a blank node.
enum Slot : int { kS = 0, kP = 1, kO = 2, kG = 3 };
constexpr Slot kBlankSlots[] = {kS, kO, kG};
constexpr char kPosition[] = {'s', 'p', 'o', 'g'};
// Work units of one digest of a short input, relative to scanning one issuer
// entry (see Options::max_work).
constexpr uint64_t kDigestCost = 64;

// A slice of a scratch buffer; offsets survive the buffer growing.
struct Span {
  uint32_t off = 0, len = 0;
};

struct QuadInfo {
  int32_t node[4] = {kNone, kNone, kNone, kNone};  // blank node id per slot
  Span text[4];  // canonical serialization of non-blank slots (empty: default graph)
};

struct NodeInfo {
  std::string_view label;
  uint32_t first = 0, count = 0;  // its quads: mentions[first, first + count)
  DigestValue h1;                  // Hash First Degree Quads
  int32_t canon = kNone;           // canonical issuer's number, c14n<canon>
};

// Scratch reused across calls on one thread, so a credential-sized call makes
// almost no allocations.
struct Workspace {
  std::string arena;  // serialized non-blank terms
  std::vector<QuadInfo> quads;
  std::vector<NodeInfo> nodes;
  std::vector<uint32_t> mentions;
  std::unordered_map<std::string_view, int32_t> ids;
  std::string lines;  // lines being sorted before hashing or output
  std::vector<Span> line_spans;
  std::vector<int32_t> canon_order;  // node ids in issuance order

  void Clear() {
    arena.clear();
    quads.clear();
    nodes.clear();
    mentions.clear();
    ids.clear();
    canon_order.clear();
  }
  // Keep one huge input from pinning memory for the thread's lifetime.
  void Trim() {
    constexpr size_t kKeep = 1 << 20;
    if (arena.capacity() > kKeep) std::string().swap(arena);
    if (lines.capacity() > kKeep) std::string().swap(lines);
    if (quads.capacity() > kKeep / sizeof(QuadInfo)) std::vector<QuadInfo>().swap(quads);
    if (mentions.capacity() > kKeep / 4) std::vector<uint32_t>().swap(mentions);
    if (nodes.capacity() > kKeep / sizeof(NodeInfo)) std::vector<NodeInfo>().swap(nodes);
    if (line_spans.capacity() > kKeep / sizeof(Span)) std::vector<Span>().swap(line_spans);
    if (canon_order.capacity() > kKeep / 4) std::vector<int32_t>().swap(canon_order);
    if (ids.size() > kKeep / 64) std::unordered_map<std::string_view, int32_t>().swap(ids);
  }
};

void AppendNumber(uint64_t n, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

// A temporary identifier issuer ("b" prefix): the nodes in issuance order.
// Issuers are small (one connected blank node component) and copied per
// permutation, so a flat vector beats a map.
struct Issuer {
  std::vector<int32_t> order;
  int32_t Find(int32_t node) const {
    for (size_t i = 0; i < order.size(); ++i)
      if (order[i] == node) return static_cast<int32_t>(i);
    return kNone;
  }
  int32_t Issue(int32_t node) {
    int32_t i = Find(node);
    if (i != kNone) return i;
    order.push_back(node);
    return static_cast<int32_t>(order.size() - 1);
  }
};

struct NDegreeResult {
  DigestValue hash;
  Issuer issuer;
};

bool Less(const DigestValue& a, const DigestValue& b) {
  return std::memcmp(a.bytes.data(), b.bytes.data(), a.size) < 0;
}
bool Equal(const DigestValue& a, const DigestValue& b) {
  return std::memcmp(a.bytes.data(), b.bytes.data(), a.size) == 0;
}

class Canonicalizer {
 public:
  Canonicalizer(const Options& options, Workspace& ws)
      : opt_(options), ws_(ws), digest_(ThreadDigester(options.hash)) {}

  // A dataset is a set, but duplicate quads are rare, so rather than look
  // for them up front, a pass that produces two equal output lines (only
  // equal input quads do: canonical labels are distinct) is redone without
  // them. A pass that fails checks for them before giving up.
  Result<CanonicalResult> Run(const rdf::Dataset& dataset) {
    auto first = Pass(dataset, /*dedupe=*/false);
    if (first.ok() && !duplicates_) return first;
    if (!first.ok()) {
      size_t before = ws_.quads.size();
      RemoveDuplicates();
      if (ws_.quads.size() == before) return first;
    }
    return Pass(dataset, /*dedupe=*/true);
  }

 private:
  Result<CanonicalResult> Pass(const rdf::Dataset& dataset, bool dedupe) {
    ws_.Clear();
    calls_ = permutations_ = work_ = 0;
    duplicates_ = false;
    Prepare(dataset);
    if (dedupe) RemoveDuplicates();
    IndexMentions();
    for (size_t n = 0; n < ws_.nodes.size(); ++n) HashFirstDegree(static_cast<int32_t>(n));
    PB_RETURN_IF_ERROR(IssueCanonicalIds());
    CanonicalResult out;
    Serialize(out.nquads);
    out.issued.reserve(ws_.canon_order.size());
    for (size_t i = 0; i < ws_.canon_order.size(); ++i) {
      std::string label = "c14n";
      AppendNumber(i, label);
      out.issued.emplace_back(std::string(ws_.nodes[ws_.canon_order[i]].label), std::move(label));
    }
    out.ndegree_calls = calls_;
    out.permutations = permutations_;
    out.work = work_;
    return out;
  }

  std::string_view Text(Span s) const { return {ws_.arena.data() + s.off, s.len}; }

  int32_t Intern(std::string_view label) {
    auto [it, inserted] = ws_.ids.try_emplace(label, static_cast<int32_t>(ws_.nodes.size()));
    if (inserted) ws_.nodes.push_back(NodeInfo{label, 0, 0, {}, kNone});
    return it->second;
  }

  // Step 2 groundwork: blank node ids in order of first mention, and every
  // other term serialized once.
  void Prepare(const rdf::Dataset& dataset) {
    ws_.quads.resize(dataset.size());
    for (size_t i = 0; i < dataset.size(); ++i) {
      const rdf::Quad& q = dataset[i];
      const rdf::Term* terms[4] = {&q.subject, &q.predicate, &q.object, &q.graph};
      QuadInfo& info = ws_.quads[i];
      info = QuadInfo{};
      for (int s = 0; s < 4; ++s) {
        if (terms[s]->kind == rdf::TermKind::kBlank) {
          info.node[s] = Intern(terms[s]->value);
          continue;
        }
        size_t off = ws_.arena.size();
        rdf::AppendTerm(*terms[s], ws_.arena);
        info.text[s] = {static_cast<uint32_t>(off), static_cast<uint32_t>(ws_.arena.size() - off)};
      }
    }
  }

  bool SameQuad(const QuadInfo& a, const QuadInfo& b) const {
    for (int s = 0; s < 4; ++s) {
      if (a.node[s] != b.node[s]) return false;
      if (a.node[s] == kNone && Text(a.text[s]) != Text(b.text[s])) return false;
    }
    return true;
  }

  size_t QuadHash(const QuadInfo& q) const {
    size_t h = 0;
    for (int s = 0; s < 4; ++s) {
      size_t part = q.node[s] != kNone ? static_cast<size_t>(q.node[s]) * 0x9E3779B97F4A7C15ull
                                       : std::hash<std::string_view>()(Text(q.text[s]));
      h = (h ^ part) * 0x100000001B3ull + static_cast<size_t>(s);
    }
    return h;
  }

  // The first of equal quads stays, in input order.
  void RemoveDuplicates() {
    auto& quads = ws_.quads;
    if (quads.size() < 2) return;
    std::vector<std::pair<size_t, uint32_t>> keys(quads.size());
    for (size_t i = 0; i < quads.size(); ++i) keys[i] = {QuadHash(quads[i]), static_cast<uint32_t>(i)};
    std::sort(keys.begin(), keys.end());
    std::vector<bool> drop;
    for (size_t i = 1; i < keys.size(); ++i) {
      if (keys[i].first != keys[i - 1].first) continue;
      // Equal hashes: compare with every earlier member of the run.
      for (size_t j = i; j-- > 0 && keys[j].first == keys[i].first;) {
        if (SameQuad(quads[keys[i].second], quads[keys[j].second])) {
          if (drop.empty()) drop.resize(quads.size());
          drop[keys[i].second] = true;  // sorted by index within a run: i is the later one
          break;
        }
      }
    }
    if (drop.empty()) return;
    size_t w = 0;
    for (size_t i = 0; i < quads.size(); ++i)
      if (!drop[i]) quads[w++] = quads[i];
    quads.resize(w);
  }

  // The blank node to quads map, as one flat array; a quad that mentions a
  // node twice is listed once for it.
  void IndexMentions() {
    auto& nodes = ws_.nodes;
    for (const QuadInfo& q : ws_.quads)
      for (int i = 0; i < 3; ++i) {
        int32_t n = q.node[kBlankSlots[i]];
        if (n != kNone && !MentionedEarlier(q, i)) ++nodes[n].count;
      }
    uint32_t total = 0;
    for (NodeInfo& n : nodes) { n.first = total; total += n.count; n.count = 0; }
    ws_.mentions.resize(total);
    for (size_t qi = 0; qi < ws_.quads.size(); ++qi) {
      const QuadInfo& q = ws_.quads[qi];
      for (int i = 0; i < 3; ++i) {
        int32_t n = q.node[kBlankSlots[i]];
        if (n == kNone || MentionedEarlier(q, i)) continue;
        NodeInfo& info = nodes[n];
        ws_.mentions[info.first + info.count++] = static_cast<uint32_t>(qi);
      }
    }
  }

  static bool MentionedEarlier(const QuadInfo& q, int i) {
    for (int j = 0; j < i; ++j)
      if (q.node[kBlankSlots[j]] == q.node[kBlankSlots[i]]) return true;
    return false;
  }

  // Appends one quad as an N-Quads line, naming blank nodes with label(node).
  template <typename Label>
  void AppendLine(const QuadInfo& q, std::string& out, Label&& label) const {
    for (int s = 0; s < 4; ++s) {
      if (q.node[s] != kNone) {
        out += "_:";
        label(q.node[s], out);
      } else if (s == kG && q.text[s].len == 0) {
        continue;  // default graph
      } else {
        out.append(Text(q.text[s]));
      }
      out += ' ';
    }
    out += ".\n";
  }

  // Sorts the lines in ws_.lines (spans in ws_.line_spans) in code point
  // order, which for UTF-8 is byte order.
  void SortLines() {
    const char* base = ws_.lines.data();
    std::sort(ws_.line_spans.begin(), ws_.line_spans.end(), [base](Span a, Span b) {
      return std::string_view(base + a.off, a.len) < std::string_view(base + b.off, b.len);
    });
  }

  template <typename Label>
  void AddLine(const QuadInfo& q, Label&& label) {
    size_t off = ws_.lines.size();
    AppendLine(q, ws_.lines, label);
    ws_.line_spans.push_back({static_cast<uint32_t>(off), static_cast<uint32_t>(ws_.lines.size() - off)});
  }

  // §4.6 Hash First Degree Quads: the node's quads with itself as _:a and
  // other blank nodes as _:z, sorted, concatenated, hashed.
  void HashFirstDegree(int32_t n) {
    ws_.lines.clear();
    ws_.line_spans.clear();
    const NodeInfo& info = ws_.nodes[n];
    for (uint32_t k = 0; k < info.count; ++k) {
      AddLine(ws_.quads[ws_.mentions[info.first + k]],
              [n](int32_t m, std::string& out) { out += m == n ? 'a' : 'z'; });
    }
    SortLines();
    digest_.Begin();
    for (Span s : ws_.line_spans) digest_.Update({ws_.lines.data() + s.off, s.len});
    ws_.nodes[n].h1 = digest_.Finish();
  }

  void IssueCanonical(int32_t n) {
    if (ws_.nodes[n].canon != kNone) return;
    ws_.nodes[n].canon = static_cast<int32_t>(ws_.canon_order.size());
    ws_.canon_order.push_back(n);
  }

  // §4.4.3 steps 4 and 5.
  Status IssueCanonicalIds() {
    std::vector<int32_t> by_hash(ws_.nodes.size());
    for (size_t i = 0; i < by_hash.size(); ++i) by_hash[i] = static_cast<int32_t>(i);
    // Ties keep first-mention order, the order the identifier lists have.
    std::stable_sort(by_hash.begin(), by_hash.end(), [this](int32_t a, int32_t b) {
      return Less(ws_.nodes[a].h1, ws_.nodes[b].h1);
    });
    std::vector<std::pair<size_t, size_t>> shared;  // [begin, end) runs in by_hash
    for (size_t i = 0; i < by_hash.size();) {
      size_t j = i + 1;
      while (j < by_hash.size() && Equal(ws_.nodes[by_hash[i]].h1, ws_.nodes[by_hash[j]].h1)) ++j;
      if (j - i == 1) IssueCanonical(by_hash[i]);
      else shared.emplace_back(i, j);
      i = j;
    }
    for (auto [begin, end] : shared) {
      std::vector<NDegreeResult> paths;
      for (size_t i = begin; i < end; ++i) {
        int32_t n = by_hash[i];
        if (ws_.nodes[n].canon != kNone) continue;
        Issuer temp;
        temp.Issue(n);
        PB_ASSIGN_OR_RETURN(NDegreeResult r, HashNDegree(n, std::move(temp), 1));
        paths.push_back(std::move(r));
      }
      std::stable_sort(paths.begin(), paths.end(), [](const NDegreeResult& a, const NDegreeResult& b) {
        return Less(a.hash, b.hash);
      });
      for (const NDegreeResult& r : paths)
        for (int32_t n : r.issuer.order) IssueCanonical(n);
    }
    return Status::Ok();
  }

  void AppendIdentifier(int32_t node, const Issuer& issuer, std::string& out) const {
    if (ws_.nodes[node].canon != kNone) {
      out += "_:c14n";
      AppendNumber(static_cast<uint64_t>(ws_.nodes[node].canon), out);
      return;
    }
    int32_t temp = issuer.Find(node);
    if (temp != kNone) {
      out += "_:b";
      AppendNumber(static_cast<uint64_t>(temp), out);
      return;
    }
    ws_.nodes[node].h1.AppendHex(out);
  }

  // §4.7 Hash Related Blank Node.
  DigestValue HashRelated(int32_t related, const QuadInfo& q, const Issuer& issuer, Slot slot) {
    std::string& input = related_input_;
    input.assign(1, kPosition[slot]);
    if (slot != kG) input.append(Text(q.text[kP]));  // "<predicate>"
    AppendIdentifier(related, issuer, input);
    return digest_.Hash(input);
  }

  Status Exhausted(std::string what, int32_t n) const {
    return Status(Code::kResourceExhausted,
                  "poison graph: " + what +
                      "; the dataset's blank nodes are too symmetric to canonicalize within the "
                      "work limit",
                  "blank node _:" + std::string(ws_.nodes[n].label));
  }

  // Charges work before doing it, so a huge step is refused, not run.
  Status Charge(uint64_t units, int32_t n) {
    work_ += units;
    if (work_ <= opt_.max_work) return Status::Ok();
    return Exhausted("Hash N-Degree Quads needed more than " + std::to_string(opt_.max_work) +
                         " work units (max_work)",
                     n);
  }

  // Hn of §4.8.3 steps 1-3: (related hash, related node), sorted by hash.
  Result<std::vector<std::pair<DigestValue, int32_t>>> RelatedHashes(int32_t n,
                                                                     const Issuer& issuer) {
    const NodeInfo& info = ws_.nodes[n];
    // Each related hash is a digest plus an issuer lookup.
    PB_RETURN_IF_ERROR(Charge(uint64_t{info.count} * 2 * (kDigestCost + issuer.order.size()), n));
    std::vector<std::pair<DigestValue, int32_t>> hn;
    for (uint32_t k = 0; k < info.count; ++k) {
      const QuadInfo& q = ws_.quads[ws_.mentions[info.first + k]];
      for (Slot s : kBlankSlots) {
        int32_t related = q.node[s];
        if (related == kNone || related == n) continue;
        hn.emplace_back(HashRelated(related, q, issuer, s), related);
      }
    }
    std::stable_sort(hn.begin(), hn.end(),
                     [](const auto& a, const auto& b) { return Less(a.first, b.first); });
    return hn;
  }

  // §4.8 Hash N-Degree Quads.
  Result<NDegreeResult> HashNDegree(int32_t n, Issuer issuer, uint32_t depth) {
    if (++calls_ > opt_.max_ndegree_calls)
      return Exhausted("Hash N-Degree Quads needed more than " +
                           std::to_string(opt_.max_ndegree_calls) + " calls (max_ndegree_calls)",
                       n);
    if (depth > opt_.max_ndegree_depth)
      return Exhausted("Hash N-Degree Quads recursed deeper than " +
                           std::to_string(opt_.max_ndegree_depth) + " (max_ndegree_depth)",
                       n);
    PB_ASSIGN_OR_RETURN(auto hn, RelatedHashes(n, issuer));
    PB_RETURN_IF_ERROR(Charge(kDigestCost, n));  // the final digest
    std::string data;
    std::vector<int32_t> list;
    for (size_t i = 0; i < hn.size();) {
      size_t j = i;
      list.clear();
      for (; j < hn.size() && Equal(hn[i].first, hn[j].first); ++j) list.push_back(hn[j].second);
      hn[i].first.AppendHex(data);  // 5.1
      std::string chosen;
      PB_RETURN_IF_ERROR(ChoosePath(n, list, issuer, depth, chosen));
      data += chosen;  // 5.5; issuer became the chosen issuer (5.6)
      i = j;
    }
    return NDegreeResult{digest_.Hash(data), std::move(issuer)};
  }

  // §4.8.3 step 5.4: the smallest path over all orders of `list`; on return
  // `issuer` is the chosen issuer. Paths are compared only by code point
  // order: once a partial path is greater than the chosen one, no extension
  // can become smaller, so the spec's length test only delays the skip.
  Status ChoosePath(int32_t n, std::vector<int32_t>& list, Issuer& issuer, uint32_t depth,
                    std::string& chosen) {
    // Enumerate distinct orders, starting from label order.
    auto by_label = [this](int32_t a, int32_t b) { return ws_.nodes[a].label < ws_.nodes[b].label; };
    std::sort(list.begin(), list.end(), by_label);
    Issuer chosen_issuer;
    std::string path;
    std::vector<int32_t> recursion;
    do {
      if (++permutations_ > opt_.max_permutations)
        return Exhausted("Hash N-Degree Quads examined more than " +
                             std::to_string(opt_.max_permutations) +
                             " permutations (max_permutations)",
                         n);
      // The copy, and each element issued (a scan of the growing copy).
      PB_RETURN_IF_ERROR(Charge((list.size() + 1) * (issuer.order.size() + list.size() + 1), n));
      Issuer copy = issuer;
      path.clear();
      recursion.clear();
      bool skip = false;
      for (int32_t related : list) {
        if (ws_.nodes[related].canon != kNone) {
          path += "_:c14n";
          AppendNumber(static_cast<uint64_t>(ws_.nodes[related].canon), path);
        } else {
          if (copy.Find(related) == kNone) recursion.push_back(related);
          path += "_:b";
          AppendNumber(static_cast<uint64_t>(copy.Issue(related)), path);
        }
        if (!chosen.empty() && path > chosen) { skip = true; break; }
      }
      for (size_t r = 0; !skip && r < recursion.size(); ++r) {
        int32_t related = recursion[r];
        PB_ASSIGN_OR_RETURN(NDegreeResult result, HashNDegree(related, std::move(copy), depth + 1));
        copy = std::move(result.issuer);
        path += "_:b";
        AppendNumber(static_cast<uint64_t>(copy.Issue(related)), path);
        path += '<';
        result.hash.AppendHex(path);
        path += '>';
        if (!chosen.empty() && path > chosen) skip = true;
      }
      if (!skip && (chosen.empty() || path < chosen)) {
        chosen = path;
        chosen_issuer = std::move(copy);
      }
    } while (std::next_permutation(list.begin(), list.end(), by_label));
    issuer = std::move(chosen_issuer);
    return Status::Ok();
  }

  // §4.4.3 step 7 and §5: every quad with canonical labels, sorted.
  void Serialize(std::string& out) {
    ws_.lines.clear();
    ws_.line_spans.clear();
    for (const QuadInfo& q : ws_.quads) {
      AddLine(q, [this](int32_t m, std::string& o) {
        o += "c14n";
        AppendNumber(static_cast<uint64_t>(ws_.nodes[m].canon), o);
      });
    }
    SortLines();
    out.clear();
    out.reserve(ws_.lines.size());
    std::string_view previous;
    for (Span s : ws_.line_spans) {
      std::string_view line(ws_.lines.data() + s.off, s.len);
      if (line == previous) duplicates_ = true;
      out.append(line);
      previous = line;
    }
  }

  const Options& opt_;
  Workspace& ws_;
  Digester& digest_;
  std::string related_input_;
  uint64_t calls_ = 0;
  uint64_t permutations_ = 0;
  uint64_t work_ = 0;
  bool duplicates_ = false;  // the last pass met equal output lines
};

}  // namespace

Result<CanonicalResult> Canonicalize(const rdf::Dataset& dataset, const Options& options) {
  thread_local Workspace ws;
  auto result = Canonicalizer(options, ws).Run(dataset);
  ws.Trim();
  return result;
}

Result<CanonicalResult> CanonicalizeNQuads(std::string_view nquads, const Options& options) {
  PB_ASSIGN_OR_RETURN(rdf::Dataset dataset, rdf::ParseNQuads(nquads));
  return Canonicalize(dataset, options);
}

}  // namespace pathbridge::rdfc
