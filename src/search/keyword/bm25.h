// BM25 keyword index (k1 = 1.2, b = 0.75 by default) over analysed content and tags, with
// the same branching design as the vector index (docs/search.md, "Keyword index"):
//
//   Bm25Segment  immutable inverted index (term -> postings of (position, tf)), doc
//                lengths and the position -> doc map. Shared between branches/commits.
//   Bm25Index    one branch's view: shared segments + copy-on-write tombstones per
//                segment + a small copy-on-write delta (its own little inverted index).
//
// Statistics (N, average length, document frequencies) are computed over live documents
// only, at query time, so a document's score does not depend on how the index is split
// into segments, tombstones and delta: after any sequence of Add/Remove the scores are
// bit-identical to those of a fresh index over the same documents.
//
// idf = ln(1 + (N - df + 0.5) / (df + 0.5)) (Lucene's, never negative). A query term that
// appears twice counts twice. Ties are broken by doc number, ascending.
//
// Thread safety: a const Bm25Index may be searched from many threads; mutation needs
// external synchronisation (copy, mutate the copy, publish). Segments are immutable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gitmem/status.hpp"
#include "search/segmented/compaction.h"
#include "search/segmented/tombstones.h"
#include "search/text/analyzer.h"

namespace gitmem::search {

/// BM25's parameters and the analyzer, with the compaction policy (counted in documents).
struct Bm25Options : segmented::CompactionPolicy {
  float k1 = 1.2f;
  float b = 0.75f;
  AnalyzerOptions analyzer;
  bool auto_compact = true;
};

struct Bm25Hit {
  uint64_t doc;
  float score;
  friend bool operator==(const Bm25Hit&, const Bm25Hit&) = default;
};

/// A document reduced to its terms: (term, tf) sorted by term, and its length in terms.
struct AnalyzedDoc {
  uint64_t doc = 0;
  uint32_t length = 0;
  std::vector<std::pair<std::string, uint32_t>> terms;
};

/// Analyses content and tags into an AnalyzedDoc.
AnalyzedDoc AnalyzeDoc(uint64_t doc, std::string_view content, std::span<const std::string> tags,
                       const AnalyzerOptions& options);

struct Bm25Tombstones : segmented::Tombstones {
  uint64_t dead_length = 0;  // summed lengths of the dead documents
};

class Bm25Segment {
 public:
  /// kInvalidArgument when a doc number repeats.
  static Result<std::shared_ptr<const Bm25Segment>> Build(std::vector<AnalyzedDoc> docs);
  static Result<std::shared_ptr<const Bm25Segment>> Deserialize(std::string_view bytes);

  size_t size() const { return docs_.size(); }
  uint64_t doc(size_t pos) const { return docs_[pos]; }
  uint32_t length(size_t pos) const { return lengths_[pos]; }
  uint64_t total_length() const { return total_length_; }
  int64_t Find(uint64_t doc) const;

  struct Postings {
    const uint32_t* pos = nullptr;
    const uint32_t* tf = nullptr;
    size_t size = 0;
  };
  /// Postings of `term` (empty when absent), positions ascending.
  Postings Lookup(std::string_view term) const;
  size_t term_count() const { return terms_.size(); }
  std::string_view term(size_t i) const { return terms_[i]; }
  Postings postings(size_t i) const;

  std::string Serialize() const;
  /// SHA-256 (hex) of Serialize(). Computed once.
  const std::string& Key() const;

 private:
  Bm25Segment() = default;
  void BuildLookups();

  std::vector<uint64_t> docs_;
  std::vector<uint32_t> lengths_;
  uint64_t total_length_ = 0;
  std::vector<std::pair<uint64_t, uint32_t>> by_doc_;
  std::vector<std::string> terms_;  // sorted
  std::unordered_map<std::string_view, uint32_t> term_ids_;
  std::vector<uint64_t> offsets_;  // terms_.size() + 1
  std::vector<uint32_t> pos_, tf_;
  mutable std::once_flag key_once_;
  mutable std::string key_;
};

class Bm25Index {
 public:
  static Result<Bm25Index> Create(const Bm25Options& options);

  const Bm25Options& options() const { return options_; }
  size_t size() const { return live_docs_; }
  bool Contains(uint64_t doc) const;

  /// Inserts or replaces `doc`.
  Status Add(uint64_t doc, std::string_view content, std::span<const std::string> tags = {});
  Status AddAnalyzed(AnalyzedDoc doc);
  /// kNotFound when `doc` is not in the index.
  Status Remove(uint64_t doc);

  /// The k best documents for `query`; kInvalidArgument when k <= 0. A query with no
  /// indexable term returns no hits.
  Result<std::vector<Bm25Hit>> Search(std::string_view query, int k) const;

  bool NeedsCompaction() const;
  Status Compact(bool full = false);

  std::string Serialize() const;
  static Result<Bm25Index> Deserialize(std::string_view bytes);
  /// Segments by Key() instead of inline (see VectorIndex::SerializeManifest).
  std::string SerializeManifest() const;
  using SegmentLoader = std::function<Result<std::shared_ptr<const Bm25Segment>>(std::string_view key)>;
  static Result<Bm25Index> DeserializeManifest(std::string_view bytes, const SegmentLoader& load);

  std::vector<std::shared_ptr<const Bm25Segment>> segments() const;
  size_t delta_size() const;

 private:
  struct Delta {
    std::unordered_map<uint64_t, AnalyzedDoc> docs;
    std::unordered_map<std::string, std::vector<uint64_t>> postings;  // term -> docs
  };
  struct Part {
    std::shared_ptr<const Bm25Segment> segment;
    std::shared_ptr<const Bm25Tombstones> dead;
    size_t live() const { return segment->size() - (dead ? dead->count : 0); }
  };

  explicit Bm25Index(const Bm25Options& options);
  Delta& MutableDelta();
  Status RemoveInternal(uint64_t doc);
  Status MaybeCompact();
  std::shared_ptr<const Bm25Segment> MergeParts(const std::vector<size_t>& which, bool with_delta,
                                                Status* status) const;
  std::string SerializeBody(bool inline_segments) const;
  static Result<Bm25Index> DeserializeBody(std::string_view bytes, bool inline_segments, const SegmentLoader* load);

  Bm25Options options_;
  std::vector<Part> parts_;
  std::shared_ptr<const Delta> delta_;  // never null
  size_t live_docs_ = 0;
  uint64_t live_length_ = 0;
};

}  // namespace gitmem::search
