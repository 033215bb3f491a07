#include "search/keyword/bm25.h"
#include "search/segmented/body.h"
#include "search/segmented/compaction.h"
#include "search/segmented/tombstones.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <queue>

#include "util/coding.h"
#include "util/hash.h"

namespace gitmem::search {

namespace {

constexpr char kSegmentMagic[4] = {'G', 'M', 'B', 'S'};
constexpr char kIndexMagic[4] = {'G', 'M', 'B', 'I'};
constexpr uint32_t kFormatVersion = 1;

inline bool Better(const Bm25Hit& a, const Bm25Hit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.doc < b.doc;
}

Status Corrupt(std::string_view what) { return Status::Corruption("bm25 index: " + std::string(what)); }

const segmented::BodyFormat kBody{std::string_view(kIndexMagic, 4), kFormatVersion, "bm25 index"};

}  // namespace

AnalyzedDoc AnalyzeDoc(uint64_t doc, std::string_view content, std::span<const std::string> tags,
                       const AnalyzerOptions& options) {
  thread_local TokenList terms;
  terms.clear();
  Analyze(content, options, &terms);
  for (const auto& tag : tags) Analyze(tag, options, &terms);
  std::vector<std::string_view> sorted(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) sorted[i] = terms[i];
  std::sort(sorted.begin(), sorted.end());
  AnalyzedDoc out;
  out.doc = doc;
  out.length = static_cast<uint32_t>(sorted.size());
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    out.terms.emplace_back(std::string(sorted[i]), static_cast<uint32_t>(j - i));
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Bm25Segment

void Bm25Segment::BuildLookups() {
  by_doc_.resize(docs_.size());
  total_length_ = 0;
  for (size_t i = 0; i < docs_.size(); ++i) {
    by_doc_[i] = {docs_[i], static_cast<uint32_t>(i)};
    total_length_ += lengths_[i];
  }
  std::sort(by_doc_.begin(), by_doc_.end());
  term_ids_.clear();
  term_ids_.reserve(terms_.size());
  for (size_t i = 0; i < terms_.size(); ++i) term_ids_.emplace(terms_[i], static_cast<uint32_t>(i));
}

Result<std::shared_ptr<const Bm25Segment>> Bm25Segment::Build(std::vector<AnalyzedDoc> docs) {
  std::shared_ptr<Bm25Segment> seg(new Bm25Segment());
  if (docs.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("docs: a segment holds at most 2^32 - 1 documents");
  }
  struct Entry {
    std::string_view term;
    uint32_t pos;
    uint32_t tf;
  };
  std::vector<Entry> entries;
  size_t total = 0;
  for (const auto& d : docs) total += d.terms.size();
  entries.reserve(total);
  seg->docs_.reserve(docs.size());
  seg->lengths_.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    seg->docs_.push_back(docs[i].doc);
    seg->lengths_.push_back(docs[i].length);
    for (const auto& [term, tf] : docs[i].terms) {
      entries.push_back({term, static_cast<uint32_t>(i), tf});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.term != b.term ? a.term < b.term : a.pos < b.pos; });
  seg->offsets_.push_back(0);
  for (size_t i = 0; i < entries.size();) {
    size_t j = i;
    seg->terms_.emplace_back(entries[i].term);
    while (j < entries.size() && entries[j].term == entries[i].term) {
      if (j > i && entries[j].pos == entries[j - 1].pos) {
        return Status::InvalidArgument("terms: term repeated within doc " + std::to_string(docs[entries[j].pos].doc));
      }
      seg->pos_.push_back(entries[j].pos);
      seg->tf_.push_back(entries[j].tf);
      ++j;
    }
    seg->offsets_.push_back(seg->pos_.size());
    i = j;
  }
  seg->BuildLookups();
  for (size_t i = 1; i < seg->by_doc_.size(); ++i) {
    if (seg->by_doc_[i].first == seg->by_doc_[i - 1].first) {
      return Status::InvalidArgument("docs: doc " + std::to_string(seg->by_doc_[i].first) + " appears more than once");
    }
  }
  return std::shared_ptr<const Bm25Segment>(std::move(seg));
}

int64_t Bm25Segment::Find(uint64_t doc) const {
  auto it = std::lower_bound(by_doc_.begin(), by_doc_.end(), std::pair<uint64_t, uint32_t>{doc, 0});
  if (it == by_doc_.end() || it->first != doc) return -1;
  return it->second;
}

Bm25Segment::Postings Bm25Segment::postings(size_t i) const {
  const uint64_t b = offsets_[i], e = offsets_[i + 1];
  return {pos_.data() + b, tf_.data() + b, static_cast<size_t>(e - b)};
}

Bm25Segment::Postings Bm25Segment::Lookup(std::string_view term) const {
  auto it = term_ids_.find(term);
  if (it == term_ids_.end()) return {};
  return postings(it->second);
}

std::string Bm25Segment::Serialize() const {
  std::string out;
  out.append(kSegmentMagic, 4);
  PutFixed32(&out, kFormatVersion);
  PutVarint64(&out, docs_.size());
  for (uint64_t d : docs_) PutFixed64(&out, d);
  for (uint32_t l : lengths_) PutVarint64(&out, l);
  PutVarint64(&out, terms_.size());
  for (size_t t = 0; t < terms_.size(); ++t) {
    PutLengthPrefixed(&out, terms_[t]);
    const Postings p = postings(t);
    PutVarint64(&out, p.size);
    uint32_t prev = 0;
    for (size_t i = 0; i < p.size; ++i) {
      PutVarint64(&out, p.pos[i] - prev);
      PutVarint64(&out, p.tf[i]);
      prev = p.pos[i];
    }
  }
  return out;
}

const std::string& Bm25Segment::Key() const {
  std::call_once(key_once_, [this] { key_ = Sha256(Serialize()).hex(); });
  return key_;
}

Result<std::shared_ptr<const Bm25Segment>> Bm25Segment::Deserialize(std::string_view in) {
  std::string_view magic;
  uint32_t version = 0;
  uint64_t n = 0, nterms = 0;
  if (!GetBytes(&in, 4, &magic) || magic != std::string_view(kSegmentMagic, 4)) {
    return Corrupt("segment: bad magic");
  }
  if (!GetFixed32(&in, &version) || version != kFormatVersion) {
    return Corrupt("segment: unsupported format version");
  }
  if (!GetVarint64(&in, &n) || n > in.size() / 8) return Corrupt("segment: truncated docs");
  std::shared_ptr<Bm25Segment> seg(new Bm25Segment());
  seg->docs_.resize(n);
  seg->lengths_.resize(n);
  for (auto& d : seg->docs_) GetFixed64(&in, &d);
  for (auto& l : seg->lengths_) {
    uint64_t v;
    if (!GetVarint64(&in, &v) || v > UINT32_MAX) return Corrupt("segment: truncated lengths");
    l = static_cast<uint32_t>(v);
  }
  if (!GetVarint64(&in, &nterms) || nterms > in.size()) return Corrupt("segment: truncated terms");
  seg->offsets_.push_back(0);
  for (uint64_t t = 0; t < nterms; ++t) {
    std::string_view term;
    uint64_t count = 0;
    if (!GetLengthPrefixed(&in, &term) || !GetVarint64(&in, &count) || count > n) {
      return Corrupt("segment: truncated term");
    }
    if (!seg->terms_.empty() && !(seg->terms_.back() < term)) return Corrupt("segment: terms out of order");
    seg->terms_.emplace_back(term);
    uint64_t pos = 0;
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t gap, tf;
      if (!GetVarint64(&in, &gap) || !GetVarint64(&in, &tf)) return Corrupt("segment: truncated postings");
      pos += gap;
      if ((i > 0 && gap == 0) || pos >= n || tf == 0 || tf > UINT32_MAX) {
        return Corrupt("segment: bad posting");
      }
      seg->pos_.push_back(static_cast<uint32_t>(pos));
      seg->tf_.push_back(static_cast<uint32_t>(tf));
    }
    seg->offsets_.push_back(seg->pos_.size());
  }
  if (!in.empty()) return Corrupt("segment: trailing bytes");
  seg->BuildLookups();
  for (size_t i = 1; i < seg->by_doc_.size(); ++i) {
    if (seg->by_doc_[i].first == seg->by_doc_[i - 1].first) return Corrupt("segment: duplicate doc");
  }
  return std::shared_ptr<const Bm25Segment>(std::move(seg));
}

// ---------------------------------------------------------------------------------------
// Bm25Index

Bm25Index::Bm25Index(const Bm25Options& options) : options_(options), delta_(std::make_shared<Delta>()) {}

Result<Bm25Index> Bm25Index::Create(const Bm25Options& o) {
  if (!std::isfinite(o.k1) || o.k1 < 0) return Status::InvalidArgument("k1: must be a finite number >= 0");
  if (!std::isfinite(o.b) || o.b < 0 || o.b > 1) return Status::InvalidArgument("b: must be in [0, 1]");
  GITMEM_RETURN_IF_ERROR(o.Validate());
  return Bm25Index(o);
}

size_t Bm25Index::delta_size() const { return delta_->docs.size(); }

std::vector<std::shared_ptr<const Bm25Segment>> Bm25Index::segments() const { return segmented::Segments(parts_); }

bool Bm25Index::Contains(uint64_t doc) const {
  if (delta_->docs.count(doc)) return true;
  for (const auto& p : parts_) {
    const int64_t pos = p.segment->Find(doc);
    if (pos >= 0 && !(p.dead && p.dead->test(static_cast<size_t>(pos)))) return true;
  }
  return false;
}

Bm25Index::Delta& Bm25Index::MutableDelta() {
  if (delta_.use_count() != 1) delta_ = std::make_shared<Delta>(*delta_);
  return *std::const_pointer_cast<Delta>(delta_);
}

Status Bm25Index::RemoveInternal(uint64_t doc) {
  if (delta_->docs.count(doc)) {
    Delta& d = MutableDelta();
    auto it = d.docs.find(doc);
    for (const auto& [term, tf] : it->second.terms) {
      auto pit = d.postings.find(term);
      auto& list = pit->second;
      list.erase(std::find(list.begin(), list.end(), doc));
      if (list.empty()) d.postings.erase(pit);
    }
    live_length_ -= it->second.length;
    d.docs.erase(it);
    --live_docs_;
    return Status::Ok();
  }
  const bool killed =
      segmented::MarkDeadCopyOnWrite(parts_, doc, [this](Bm25Tombstones& t, const Bm25Segment& seg, size_t p) {
        t.dead_length += seg.length(p);
        live_length_ -= seg.length(p);
      });
  if (killed) {
    --live_docs_;
    return Status::Ok();
  }
  return Status::NotFound("doc " + std::to_string(doc) + " is not in the keyword index");
}

Status Bm25Index::Add(uint64_t doc, std::string_view content, std::span<const std::string> tags) {
  return AddAnalyzed(AnalyzeDoc(doc, content, tags, options_.analyzer));
}

Status Bm25Index::AddAnalyzed(AnalyzedDoc doc) {
  for (size_t i = 1; i < doc.terms.size(); ++i) {
    if (!(doc.terms[i - 1].first < doc.terms[i].first)) {
      return Status::InvalidArgument("terms: must be sorted and unique");
    }
  }
  Status s = RemoveInternal(doc.doc);
  if (!s.ok() && !s.IsNotFound()) return s;
  Delta& d = MutableDelta();
  for (const auto& [term, tf] : doc.terms) d.postings[term].push_back(doc.doc);
  live_length_ += doc.length;
  ++live_docs_;
  const uint64_t id = doc.doc;
  d.docs.emplace(id, std::move(doc));
  return MaybeCompact();
}

Status Bm25Index::Remove(uint64_t doc) {
  GITMEM_RETURN_IF_ERROR(RemoveInternal(doc));
  return MaybeCompact();
}

Result<std::vector<Bm25Hit>> Bm25Index::Search(std::string_view query, int k) const {
  if (k <= 0) return Status::InvalidArgument("k: must be > 0, got " + std::to_string(k));
  std::vector<Bm25Hit> result;
  if (live_docs_ == 0) return result;

  TokenList qt;
  Analyze(query, options_.analyzer, &qt);
  std::vector<std::string_view> q(qt.size());
  for (size_t i = 0; i < qt.size(); ++i) q[i] = qt[i];
  std::sort(q.begin(), q.end());
  struct QTerm {
    std::string_view term;
    float qtf;
    float idf = 0;
  };
  std::vector<QTerm> terms;
  for (size_t i = 0; i < q.size();) {
    size_t j = i + 1;
    while (j < q.size() && q[j] == q[i]) ++j;
    terms.push_back({q[i], static_cast<float>(j - i)});
    i = j;
  }
  if (terms.empty()) return result;

  const double n = static_cast<double>(live_docs_);
  const float inv_avgdl = live_length_ > 0 ? static_cast<float>(n / static_cast<double>(live_length_)) : 0.0f;
  const float k1 = options_.k1, b = options_.b;

  // Pass 1: document frequencies over live documents.
  const Delta& delta = *delta_;
  for (auto& t : terms) {
    size_t df = 0;
    for (const auto& part : parts_) {
      const auto p = part.segment->Lookup(t.term);
      if (!part.dead || part.dead->count == 0) {
        df += p.size;
      } else {
        for (size_t i = 0; i < p.size; ++i) df += !part.dead->test(p.pos[i]);
      }
    }
    if (auto it = delta.postings.find(std::string(t.term)); it != delta.postings.end()) {
      df += it->second.size();
    }
    if (df > 0) {
      const double dfd = static_cast<double>(df);
      t.idf = static_cast<float>(std::log(1.0 + (n - dfd + 0.5) / (dfd + 0.5)));
    }
  }

  auto contribution = [&](const QTerm& t, uint32_t tf, uint32_t len) {
    const float ftf = static_cast<float>(tf);
    const float norm = k1 * (1.0f - b + b * static_cast<float>(len) * inv_avgdl);
    return t.qtf * t.idf * (ftf * (k1 + 1.0f)) / (ftf + norm);
  };

  // Keeps the k best: the heap's top is the worst kept hit.
  const auto uk = static_cast<size_t>(k);
  std::priority_queue<Bm25Hit, std::vector<Bm25Hit>, decltype(&Better)> heap(&Better);
  auto offer = [&](Bm25Hit h) {
    if (heap.size() < uk) {
      heap.push(h);
    } else if (Better(h, heap.top())) {
      heap.pop();
      heap.push(h);
    }
  };

  // Pass 2: accumulate per part into a dense array (terms in sorted order, so a document's
  // score is summed in the same order whatever part holds it).
  thread_local std::vector<float> acc;
  thread_local std::vector<uint32_t> touched;
  for (const auto& part : parts_) {
    const Bm25Segment& seg = *part.segment;
    const Bm25Tombstones* dead = part.dead && part.dead->count > 0 ? part.dead.get() : nullptr;
    if (acc.size() < seg.size()) acc.resize(seg.size(), 0.0f);
    touched.clear();
    for (const auto& t : terms) {
      if (t.idf == 0.0f) continue;
      const auto p = seg.Lookup(t.term);
      for (size_t i = 0; i < p.size; ++i) {
        const uint32_t pos = p.pos[i];
        if (dead && dead->test(pos)) continue;
        if (acc[pos] == 0.0f) touched.push_back(pos);
        acc[pos] += contribution(t, p.tf[i], seg.length(pos));
      }
    }
    for (uint32_t pos : touched) {
      offer({seg.doc(pos), acc[pos]});
      acc[pos] = 0.0f;
    }
  }
  if (!delta.docs.empty()) {
    std::unordered_map<uint64_t, float> dacc;
    for (const auto& t : terms) {
      if (t.idf == 0.0f) continue;
      auto it = delta.postings.find(std::string(t.term));
      if (it == delta.postings.end()) continue;
      for (uint64_t doc : it->second) {
        const AnalyzedDoc& ad = delta.docs.at(doc);
        auto tit = std::lower_bound(ad.terms.begin(), ad.terms.end(), t.term,
                                    [](const auto& e, std::string_view v) { return e.first < v; });
        dacc[doc] += contribution(t, tit->second, ad.length);
      }
    }
    for (const auto& [doc, score] : dacc) offer({doc, score});
  }
  result.resize(heap.size());
  for (size_t i = result.size(); i-- > 0;) {
    result[i] = heap.top();
    heap.pop();
  }
  return result;
}

bool Bm25Index::NeedsCompaction() const { return segmented::NeedsCompaction(parts_, delta_->docs.size(), options_); }

Status Bm25Index::MaybeCompact() {
  if (!options_.auto_compact || !NeedsCompaction()) return Status::Ok();
  return Compact(false);
}

std::shared_ptr<const Bm25Segment> Bm25Index::MergeParts(const std::vector<size_t>& which, bool with_delta,
                                                         Status* status) const {
  std::vector<AnalyzedDoc> docs;
  for (size_t w : which) {
    const Part& p = parts_[w];
    const Bm25Segment& seg = *p.segment;
    std::vector<int64_t> remap(seg.size(), -1);
    for (size_t pos = 0; pos < seg.size(); ++pos) {
      if (p.dead && p.dead->test(pos)) continue;
      remap[pos] = static_cast<int64_t>(docs.size());
      docs.push_back({seg.doc(pos), seg.length(pos), {}});
    }
    for (size_t t = 0; t < seg.term_count(); ++t) {
      const auto post = seg.postings(t);
      for (size_t i = 0; i < post.size; ++i) {
        const int64_t r = remap[post.pos[i]];
        if (r >= 0) docs[static_cast<size_t>(r)].terms.emplace_back(std::string(seg.term(t)), post.tf[i]);
      }
    }
  }
  if (with_delta) {
    std::vector<uint64_t> ids;
    for (const auto& [id, d] : delta_->docs) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (uint64_t id : ids) docs.push_back(delta_->docs.at(id));
  }
  if (docs.empty()) return nullptr;
  auto seg = Bm25Segment::Build(std::move(docs));
  if (!seg.ok()) {
    *status = seg.status();
    return nullptr;
  }
  return std::move(seg).value();
}

Status Bm25Index::Compact(bool full) {
  auto merge = [&](const std::vector<size_t>& which, bool with_delta) -> Status {
    Status status;
    auto seg = MergeParts(which, with_delta, &status);
    GITMEM_RETURN_IF_ERROR(status);
    segmented::ReplaceParts(&parts_, which, std::move(seg));
    if (with_delta) delta_ = std::make_shared<Delta>();
    return Status::Ok();
  };
  return segmented::Compact(parts_, delta_->docs.size(), options_, full, merge);
}

// ---------------------------------------------------------------------------------------
// Serialisation

std::string Bm25Index::SerializeBody(bool inline_segments) const {
  std::string out;
  segmented::PutBodyHeader(&out, kBody, inline_segments);
  const auto& o = options_;
  PutFloat(&out, o.k1);
  PutFloat(&out, o.b);
  out.push_back(o.analyzer.remove_stop_words ? 1 : 0);
  out.push_back(o.analyzer.stem ? 1 : 0);
  segmented::PutCompactionOptions(&out, o, o.auto_compact);
  PutVarint64(&out, parts_.size());
  for (const auto& p : parts_)
    segmented::PutPart(&out, inline_segments ? p.segment->Serialize() : p.segment->Key(), p.dead.get());
  std::vector<uint64_t> ids;
  for (const auto& [id, d] : delta_->docs) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  PutVarint64(&out, ids.size());
  for (uint64_t id : ids) {
    const AnalyzedDoc& d = delta_->docs.at(id);
    PutFixed64(&out, id);
    PutVarint64(&out, d.length);
    PutVarint64(&out, d.terms.size());
    for (const auto& [term, tf] : d.terms) {
      PutLengthPrefixed(&out, term);
      PutVarint64(&out, tf);
    }
  }
  return out;
}

std::string Bm25Index::Serialize() const { return SerializeBody(true); }
std::string Bm25Index::SerializeManifest() const { return SerializeBody(false); }

Result<Bm25Index> Bm25Index::Deserialize(std::string_view bytes) { return DeserializeBody(bytes, true, nullptr); }

Result<Bm25Index> Bm25Index::DeserializeManifest(std::string_view bytes, const SegmentLoader& load) {
  return DeserializeBody(bytes, false, &load);
}

Result<Bm25Index> Bm25Index::DeserializeBody(std::string_view in, bool inline_segments,
                                             const SegmentLoader* load_segment) {
  GITMEM_RETURN_IF_ERROR(segmented::GetBodyHeader(&in, kBody, inline_segments));
  std::string_view flags;
  Bm25Options o;
  if (!GetFloat(&in, &o.k1) || !GetFloat(&in, &o.b) || !GetBytes(&in, 2, &flags) ||
      !segmented::GetCompactionOptions(&in, &o, &o.auto_compact)) {
    return Corrupt("truncated options");
  }
  o.analyzer.remove_stop_words = flags[0] != 0;
  o.analyzer.stem = flags[1] != 0;
  auto created = Create(o);
  if (!created.ok()) return Corrupt("options: " + created.status().message());
  Bm25Index index = std::move(created).value();

  auto load = [&](std::string_view bytes) -> Result<std::shared_ptr<const Bm25Segment>> {
    if (inline_segments) return Bm25Segment::Deserialize(bytes);
    return (*load_segment)(bytes);
  };
  auto on_dead = [](Bm25Tombstones& t, const Bm25Segment& seg) {
    for (size_t pos = 0; pos < seg.size(); ++pos)
      if (t.test(pos)) t.dead_length += seg.length(pos);
  };
  GITMEM_RETURN_IF_ERROR(segmented::GetParts(&in, kBody, load, on_dead, &index.parts_));
  for (const Part& part : index.parts_) {
    const Bm25Segment& seg = *part.segment;
    index.live_docs_ += part.live();
    index.live_length_ += seg.total_length() - (part.dead ? part.dead->dead_length : 0);
  }
  uint64_t nd = 0;
  if (!GetVarint64(&in, &nd) || nd > in.size()) return Corrupt("truncated delta");
  auto delta = std::make_shared<Delta>();
  for (uint64_t i = 0; i < nd; ++i) {
    AnalyzedDoc d;
    uint64_t len, nterms;
    if (!GetFixed64(&in, &d.doc) || !GetVarint64(&in, &len) || len > UINT32_MAX || !GetVarint64(&in, &nterms) ||
        nterms > in.size()) {
      return Corrupt("truncated delta doc");
    }
    d.length = static_cast<uint32_t>(len);
    for (uint64_t t = 0; t < nterms; ++t) {
      std::string_view term;
      uint64_t tf;
      if (!GetLengthPrefixed(&in, &term) || !GetVarint64(&in, &tf) || tf == 0 || tf > UINT32_MAX) {
        return Corrupt("truncated delta term");
      }
      if (!d.terms.empty() && !(d.terms.back().first < term)) return Corrupt("delta terms out of order");
      d.terms.emplace_back(std::string(term), static_cast<uint32_t>(tf));
    }
    if (delta->docs.count(d.doc)) return Corrupt("duplicate delta doc");
    for (const auto& [term, tf] : d.terms) delta->postings[term].push_back(d.doc);
    index.live_length_ += d.length;
    ++index.live_docs_;
    delta->docs.emplace(d.doc, std::move(d));
  }
  if (!in.empty()) return Corrupt("trailing bytes");
  index.delta_ = std::move(delta);
  return index;
}

}  // namespace gitmem::search
