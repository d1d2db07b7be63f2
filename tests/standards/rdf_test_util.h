// Test-only RDF helpers for the JSON-LD tests: a lenient N-Quads line parser
// (the expected outputs of the generalized-RDF tests have blank-node
// predicates, which the strict standards/nquads.h parser rightly refuses),
// and dataset isomorphism (blank nodes matched by backtracking over refined
// signatures). Serialization is standards/nquads.h's. Small datasets only.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "standards/encoding.h"
#include "standards/nquads.h"
#include "standards/rdf.h"

namespace pathbridge::testing {


// Reads one N-Quads term at `pos`; nullopt on a syntax error.
class NQuadsLineParser {
 public:
  explicit NQuadsLineParser(std::string_view line) : s_(line) {}

  std::optional<rdf::Quad> Parse() {
    rdf::Quad q;
    auto s = Term(), p = Term(), o = Term();
    if (!s || !p || !o) return std::nullopt;
    q.subject = *s;
    q.predicate = *p;
    q.object = *o;
    Skip();
    q.graph = rdf::Term::DefaultGraph();
    if (pos_ < s_.size() && s_[pos_] != '.') {
      auto g = Term();
      if (!g) return std::nullopt;
      q.graph = *g;
      Skip();
    }
    if (pos_ >= s_.size() || s_[pos_] != '.') return std::nullopt;
    return q;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool Escape(std::string& out) {
    char c = s_[pos_++];
    static const std::string_view kFrom = "tbnrf\"'\\", kTo = "\t\b\n\r\f\"'\\";
    if (size_t i = kFrom.find(c); i != std::string_view::npos) {
      out += kTo[i];
      return true;
    }
    size_t n = c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (n == 0 || pos_ + n > s_.size()) return false;
    uint32_t cp = static_cast<uint32_t>(std::stoul(std::string(s_.substr(pos_, n)), nullptr, 16));
    pos_ += n;
    AppendUtf8(cp, out);
    return true;
  }
  std::optional<std::string> Until(char end) {
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != end) {
      if (s_[pos_] == '\\') {
        ++pos_;
        if (pos_ >= s_.size() || !Escape(out)) return std::nullopt;
      } else {
        out += s_[pos_++];
      }
    }
    if (pos_ >= s_.size()) return std::nullopt;
    ++pos_;
    return out;
  }
  std::optional<rdf::Term> Term() {
    Skip();
    if (pos_ >= s_.size()) return std::nullopt;
    if (s_[pos_] == '<') {
      ++pos_;
      auto iri = Until('>');
      if (!iri) return std::nullopt;
      return rdf::Term::Iri(*iri);
    }
    if (s_.substr(pos_, 2) == "_:") {
      size_t end = s_.find_first_of(" \t", pos_);
      if (end == std::string_view::npos) return std::nullopt;
      std::string label(s_.substr(pos_ + 2, end - pos_ - 2));
      pos_ = end;
      return rdf::Term::Blank(label);
    }
    if (s_[pos_] != '"') return std::nullopt;
    ++pos_;
    auto lex = Until('"');
    if (!lex) return std::nullopt;
    if (pos_ < s_.size() && s_[pos_] == '@') {
      size_t end = s_.find_first_of(" \t", pos_);
      std::string lang(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end;
      return rdf::Term::Literal(*lex, std::string(rdf::kRdfLangString), lang);
    }
    if (s_.substr(pos_, 3) == "^^<") {
      pos_ += 3;
      auto dt = Until('>');
      if (!dt) return std::nullopt;
      return rdf::Term::Literal(*lex, *dt);
    }
    return rdf::Term::Literal(*lex, std::string(rdf::kXsdString));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

inline std::optional<rdf::Dataset> ParseNQuads(std::string_view text) {
  rdf::Dataset out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos || line[0] == '#') continue;
    auto q = NQuadsLineParser(line).Parse();
    if (!q) return std::nullopt;
    out.push_back(*q);
  }
  return out;
}

// One line, without its newline.
inline std::string QuadToNQuads(const rdf::Quad& q) {
  std::string line = rdf::ToNQuads(q);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}
inline std::string TermToNQuads(const rdf::Term& t) {
  std::string out;
  rdf::AppendTerm(t, out);
  return out;
}

// Sorted, de-duplicated N-Quads lines.
inline std::vector<std::string> SortedLines(const rdf::Dataset& d) {
  std::set<std::string> lines;
  for (const auto& q : d) lines.insert(QuadToNQuads(q));
  return {lines.begin(), lines.end()};
}

// RDF dataset isomorphism: is there a bijection of blank nodes mapping a
// onto b? Blank nodes are first colored by iterated neighborhood signatures,
// then matched by backtracking within colors.
class Isomorphism {
 public:
  Isomorphism(const rdf::Dataset& a, const rdf::Dataset& b) : a_(Dedup(a)), b_(Dedup(b)) {}

  bool Check() {
    if (a_.size() != b_.size()) return false;
    auto ca = Colors(a_), cb = Colors(b_);
    std::map<std::string, int> ha, hb;
    for (auto& [n, c] : ca) ha[c]++;
    for (auto& [n, c] : cb) hb[c]++;
    if (ha != hb) return false;
    for (const auto& q : b_) bset_.insert(Key(q, nullptr));
    for (auto& [n, c] : ca) order_.push_back(n);
    std::sort(order_.begin(), order_.end(),
              [&](const auto& x, const auto& y) { return ha[ca[x]] < ha[ca[y]]; });
    ca_ = std::move(ca);
    cb_ = std::move(cb);
    return Search(0);
  }

 private:
  static rdf::Dataset Dedup(const rdf::Dataset& d) {
    std::map<std::string, rdf::Quad> m;
    for (const auto& q : d) m.emplace(QuadToNQuads(q), q);
    rdf::Dataset out;
    for (auto& [k, q] : m) out.push_back(q);
    return out;
  }
  static std::string Label(const rdf::Term& t, const std::map<std::string, std::string>* map) {
    if (t.kind != rdf::TermKind::kBlank) return TermToNQuads(t);
    if (!map) return "_:" + t.value;
    auto it = map->find(t.value);
    return it == map->end() ? "?" : "_:" + it->second;
  }
  static std::string Key(const rdf::Quad& q, const std::map<std::string, std::string>* map) {
    return Label(q.subject, map) + " " + Label(q.predicate, map) + " " + Label(q.object, map) +
           " " + Label(q.graph, map);
  }
  static std::map<std::string, std::string> Colors(const rdf::Dataset& d) {
    std::map<std::string, std::string> color;
    for (const auto& q : d)
      for (const rdf::Term* t : {&q.subject, &q.predicate, &q.object, &q.graph})
        if (t->kind == rdf::TermKind::kBlank) color[t->value] = "";
    for (int round = 0; round < 4; ++round) {
      std::map<std::string, std::vector<std::string>> sigs;
      for (const auto& q : d) {
        const rdf::Term* terms[] = {&q.subject, &q.predicate, &q.object, &q.graph};
        for (int i = 0; i < 4; ++i) {
          if (terms[i]->kind != rdf::TermKind::kBlank) continue;
          std::string sig = std::to_string(i);
          for (int j = 0; j < 4; ++j)
            sig += "|" + (terms[j]->kind == rdf::TermKind::kBlank
                              ? (j == i ? std::string("self") : "b" + color[terms[j]->value])
                              : TermToNQuads(*terms[j]));
          sigs[terms[i]->value].push_back(sig);
        }
      }
      for (auto& [n, s] : sigs) {
        std::sort(s.begin(), s.end());
        std::string joined;
        for (auto& x : s) joined += x + "\n";
        color[n] = std::to_string(std::hash<std::string>{}(joined));
      }
    }
    return color;
  }
  bool Consistent() {
    for (const auto& q : a_) {
      bool complete = true;
      for (const rdf::Term* t : {&q.subject, &q.predicate, &q.object, &q.graph})
        if (t->kind == rdf::TermKind::kBlank && !map_.count(t->value)) complete = false;
      if (complete && !bset_.count(Key(q, &map_))) return false;
    }
    return true;
  }
  bool Search(size_t i) {
    if (i == order_.size()) return true;
    const std::string& n = order_[i];
    for (const auto& [m, c] : cb_) {
      if (c != ca_[n] || used_.count(m)) continue;
      map_[n] = m;
      used_.insert(m);
      if (Consistent() && Search(i + 1)) return true;
      map_.erase(n);
      used_.erase(m);
    }
    return false;
  }

  rdf::Dataset a_, b_;
  std::set<std::string> bset_, used_;
  std::map<std::string, std::string> ca_, cb_, map_;
  std::vector<std::string> order_;
};

inline bool Isomorphic(const rdf::Dataset& a, const rdf::Dataset& b) {
  return Isomorphism(a, b).Check();
}

}  // namespace pathbridge::testing
