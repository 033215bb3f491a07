// Vector index: equality with brute force, tombstones, delta + segments, HNSW segments,
// branching by copy, serialisation, bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <vector>

#include <faiss/IndexHNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include "search/vector/vector_index.h"
#include "test_util.h"

using namespace gitmem::index;
using gitmem::testing::TempDir;

namespace {

constexpr size_t kDim = 24;

std::vector<float> RandomVec(std::mt19937_64& rng, size_t d = kDim) {
  std::normal_distribution<float> n(0.0f, 1.0f);
  std::vector<float> v(d);
  for (auto& x : v) x = n(rng);
  return v;
}

std::vector<float> Normalised(std::vector<float> v) {
  double n2 = 0;
  for (float x : v) n2 += double(x) * x;
  for (auto& x : v) x = static_cast<float>(x / std::sqrt(n2));
  return v;
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

VectorIndex NewIndex(VectorIndexOptions o) {
  auto r = VectorIndex::Create(o);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// Exact reference: every live doc scored in double precision.
std::vector<std::pair<uint64_t, double>> BruteForce(const std::map<uint64_t, std::vector<float>>& live,
                                                    const std::vector<float>& q) {
  const auto nq = Normalised(q);
  std::vector<std::pair<uint64_t, double>> all;
  for (const auto& [doc, v] : live) all.push_back({doc, Dot(Normalised(v), nq)});
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return all;
}

// Checks `hits` is an exact top-k of `live` for `q`: same scores rank by rank, and every
// returned score is the doc's true score.
void CheckExact(const std::vector<VectorHit>& hits, const std::map<uint64_t, std::vector<float>>& live,
                const std::vector<float>& q, size_t k) {
  const auto ref = BruteForce(live, q);
  REQUIRE(hits.size() == std::min(k, ref.size()));
  std::map<uint64_t, double> truth(ref.begin(), ref.end());
  std::set<uint64_t> seen;
  for (size_t i = 0; i < hits.size(); ++i) {
    CHECK(hits[i].score == Approx(ref[i].second).margin(1e-5));
    REQUIRE(truth.count(hits[i].doc) == 1);
    CHECK(hits[i].score == Approx(truth[hits[i].doc]).margin(1e-5));
    CHECK(seen.insert(hits[i].doc).second);
    if (i > 0) CHECK(hits[i - 1].score >= hits[i].score);
  }
}

}  // namespace

TEST_CASE("exact vector index equals brute force through adds, removes and compactions", "[search][vector]") {
  std::mt19937_64 rng(7);
  VectorIndexOptions o;
  o.dimension = kDim;
  o.delta_max = 50;
  o.merge_factor = 3;
  o.flat_max = 1u << 30;  // exact segments only
  VectorIndex idx = NewIndex(o);
  std::map<uint64_t, std::vector<float>> live;
  for (int step = 0; step < 2500; ++step) {
    const uint64_t doc = rng() % 800;
    if (rng() % 5 == 0) {
      const auto s = idx.Remove(doc);
      CHECK(s.ok() == (live.count(doc) == 1));
      if (!s.ok()) CHECK(s.IsNotFound());
      live.erase(doc);
    } else {
      auto v = RandomVec(rng);
      REQUIRE(idx.Add(doc, v).ok());
      live[doc] = v;
    }
    if (step % 500 == 499) {
      for (int qi = 0; qi < 5; ++qi) {
        const auto q = RandomVec(rng);
        for (int k : {1, 10, 37}) {
          auto r = idx.Search(q, k);
          REQUIRE(r.ok());
          CheckExact(*r, live, q, static_cast<size_t>(k));
        }
      }
    }
  }
  CHECK(idx.size() == live.size());
  CHECK(idx.segments().size() > 1);
  CHECK(idx.delta_size() > 0);
  for (const auto& [doc, v] : live) CHECK(idx.Contains(doc));
  // Asking for more than exists returns everything.
  auto all = idx.Search(RandomVec(rng), static_cast<int>(live.size() + 10));
  REQUIRE(all.ok());
  CHECK(all->size() == live.size());
  // Full compaction: one segment, no delta, same answers.
  const auto q = RandomVec(rng);
  auto before = idx.Search(q, 20);
  REQUIRE(idx.Compact(true).ok());
  CHECK(idx.segments().size() == 1);
  CHECK(idx.delta_size() == 0);
  auto after = idx.Search(q, 20);
  REQUIRE(after.ok());
  CHECK(Approx((*before)[19].score).margin(1e-6) == (*after)[19].score);
  CheckExact(*after, live, q, 20);
}

TEST_CASE("tombstones hide removed docs in flat and HNSW segments", "[search][vector]") {
  std::mt19937_64 rng(11);
  for (size_t flat_max : {size_t{1} << 30, size_t{100}}) {
    VectorIndexOptions o;
    o.dimension = kDim;
    o.flat_max = flat_max;
    o.auto_compact = false;
    o.hnsw_ef_search = 128;
    VectorIndex idx = NewIndex(o);
    std::vector<uint64_t> docs;
    std::vector<float> data;
    std::map<uint64_t, std::vector<float>> live;
    for (uint64_t d = 0; d < 1000; ++d) {
      auto v = RandomVec(rng);
      docs.push_back(d * 10);
      data.insert(data.end(), v.begin(), v.end());
      live[d * 10] = v;
    }
    REQUIRE(idx.AddBatch(docs, data).ok());
    REQUIRE(idx.segments().size() == 1);
    CHECK(idx.segments()[0]->is_hnsw() == (flat_max == 100));
    // Remove the exact nearest neighbours of a query, and most of the rest.
    const auto q = RandomVec(rng);
    const auto ref = BruteForce(live, q);
    for (size_t i = 0; i < 900; ++i) {
      REQUIRE(idx.Remove(ref[i].first).ok());
      live.erase(ref[i].first);
    }
    CHECK(idx.size() == 100);
    auto r = idx.Search(q, 10);
    REQUIRE(r.ok());
    REQUIRE(r->size() == 10);
    for (const auto& h : *r) CHECK(live.count(h.doc) == 1);
    if (flat_max != 100) CheckExact(*r, live, q, 10);
    auto everything = idx.Search(q, 1000);
    REQUIRE(everything.ok());
    CHECK(everything->size() == 100);  // all live docs are still reachable
  }
}

TEST_CASE("HNSW segments have high recall against brute force", "[search][vector]") {
  std::mt19937_64 rng(3);
  VectorIndexOptions o;
  o.dimension = kDim;
  o.flat_max = 500;
  o.hnsw_ef_search = 64;
  VectorIndex idx = NewIndex(o);
  std::vector<uint64_t> docs;
  std::vector<float> data;
  std::map<uint64_t, std::vector<float>> live;
  for (uint64_t d = 0; d < 3000; ++d) {
    auto v = RandomVec(rng);
    docs.push_back(d);
    data.insert(data.end(), v.begin(), v.end());
    live[d] = v;
  }
  REQUIRE(idx.AddBatch(docs, data).ok());
  REQUIRE(idx.segments()[0]->is_hnsw());
  size_t found = 0, total = 0;
  for (int qi = 0; qi < 50; ++qi) {
    const auto q = RandomVec(rng);
    auto r = idx.Search(q, 10);
    REQUIRE(r.ok());
    const auto ref = BruteForce(live, q);
    std::set<uint64_t> truth;
    for (size_t i = 0; i < 10; ++i) truth.insert(ref[i].first);
    for (const auto& h : *r) found += truth.count(h.doc);
    total += 10;
  }
  CHECK(double(found) / double(total) >= 0.9);
}

// FAISS 1.7.3 sizes its HNSW candidate queue with the index's own hnsw.efSearch and
// ignores SearchParametersHNSW::efSearch there, so a segment walks the graph itself. Its
// answers must be FAISS's, bit for bit, when FAISS's index is set to the same efSearch:
// same graph, same walk, same stop rule, tombstones or not.
TEST_CASE("HNSW segment search is FAISS's walk at the requested efSearch", "[search][vector]") {
  std::mt19937_64 rng(29);
  VectorIndexOptions o;
  o.dimension = kDim;
  o.flat_max = 100;
  o.hnsw_ef_search = 16;  // the value recorded in the FAISS index; queries ask for others
  std::vector<uint64_t> docs;
  std::vector<float> data;
  for (uint64_t i = 0; i < 2000; ++i) {
    const auto v = Normalised(RandomVec(rng));
    docs.push_back(i * 3 + 1);
    data.insert(data.end(), v.begin(), v.end());
  }
  auto built = VectorSegment::Build(o, docs, data);
  REQUIRE(built.ok());
  const auto seg = std::move(built).value();
  REQUIRE(seg->is_hnsw());
  // A copy of the segment's FAISS index, so its hnsw.efSearch can be set.
  auto clone = seg->Materialize();
  REQUIRE(clone.ok());
  auto* raw = dynamic_cast<faiss::IndexHNSWFlat*>(clone->get());
  REQUIRE(raw != nullptr);

  Tombstones dead;
  dead.bits.assign((docs.size() + 63) / 64, 0);
  std::vector<faiss::Index::idx_t> dead_ids;
  for (size_t pos = 0; pos < docs.size(); pos += 3) {
    dead.bits[pos >> 6] |= uint64_t{1} << (pos & 63);
    dead_ids.push_back(static_cast<faiss::Index::idx_t>(pos));
  }
  dead.count = dead_ids.size();
  faiss::IDSelectorBatch dead_sel(dead_ids.size(), dead_ids.data());
  faiss::IDSelectorNot live_sel(&dead_sel);

  const size_t k = 10;
  std::map<int, size_t> exact_hits;  // efSearch -> hits shared with the exact top k
  for (int ef : {1, 10, 16, 40, 200}) {
    raw->hnsw.efSearch = std::max<int>(ef, k);
    faiss::SearchParametersHNSW p;
    p.efSearch = raw->hnsw.efSearch;
    for (const Tombstones* t : std::vector<const Tombstones*>{nullptr, &dead}) {
      p.sel = t ? &live_sel : nullptr;
      for (int qi = 0; qi < 30; ++qi) {
        const auto q = Normalised(RandomVec(rng));
        std::vector<float> D(k);
        std::vector<faiss::Index::idx_t> I(k);
        raw->search(1, q.data(), k, D.data(), I.data(), &p);
        std::vector<VectorHit> got;
        REQUIRE(seg->Search(q.data(), k, t, ef, &got).ok());
        std::sort(got.begin(), got.end(), [](const VectorHit& a, const VectorHit& b) {
          return a.score != b.score ? a.score > b.score : a.doc < b.doc;
        });
        REQUIRE(got.size() == k);
        for (size_t i = 0; i < k; ++i) {
          REQUIRE(I[i] >= 0);
          CHECK(got[i].doc == docs[static_cast<size_t>(I[i])]);
          CHECK(got[i].score == D[i]);
        }
        if (t == nullptr) {
          std::vector<std::pair<float, uint64_t>> all;
          for (size_t pos = 0; pos < docs.size(); ++pos) {
            float s = 0;
            for (size_t j = 0; j < kDim; ++j) s += q[j] * data[pos * kDim + j];
            all.push_back({s, docs[pos]});
          }
          std::partial_sort(all.begin(), all.begin() + k, all.end(), std::greater<>());
          std::set<uint64_t> truth;
          for (size_t i = 0; i < k; ++i) truth.insert(all[i].second);
          for (const auto& h : got) exact_hits[ef] += truth.count(h.doc);
        }
      }
    }
  }
  // The requested efSearch is honoured: a wider walk finds more of the exact top k.
  CHECK(exact_hits[200] > exact_hits[10]);
}

TEST_CASE("segment files map back to the same segment; damaged files are refused", "[search][vector]") {
  TempDir dir;
  std::mt19937_64 rng(31);
  for (size_t flat_max : {size_t{1} << 30, size_t{100}}) {
    VectorIndexOptions o;
    o.dimension = kDim;
    o.flat_max = flat_max;
    std::vector<uint64_t> docs;
    std::vector<float> data;
    for (uint64_t i = 0; i < 700; ++i) {
      const auto v = Normalised(RandomVec(rng));
      docs.push_back((i * 7919) % 1000 + 5);  // not in ascending order
      data.insert(data.end(), v.begin(), v.end());
    }
    auto built = VectorSegment::Build(o, docs, data, "origin-label");
    REQUIRE(built.ok());
    const auto seg = std::move(built).value();
    const auto key = seg->Key();
    REQUIRE(key.ok());
    const std::string path = dir.path() + "/" + *key + ".gmvs";
    REQUIRE(seg->WriteFile(path).ok());
    auto mapped = VectorSegment::Map(path, *key);
    INFO(mapped.status().ToString());
    REQUIRE(mapped.ok());
    const auto& m = *mapped;
    CHECK(m->mapped());
    CHECK_FALSE(seg->mapped());
    CHECK(m->is_hnsw() == seg->is_hnsw());
    CHECK(m->size() == seg->size());
    CHECK(m->origin() == "origin-label");
    // The canonical bytes (and so the content address) do not depend on the backing.
    CHECK(*m->Serialize() == *seg->Serialize());
    CHECK(*m->Key() == *key);
    for (size_t pos = 0; pos < docs.size(); ++pos) {
      CHECK(m->Find(docs[pos]) == static_cast<int64_t>(pos));
      CHECK(std::equal(m->vector(pos), m->vector(pos) + kDim, seg->vector(pos)));
    }
    CHECK(m->Find(1) == -1);
    Tombstones dead;
    dead.bits.assign((docs.size() + 63) / 64, 0);
    for (size_t pos = 0; pos < docs.size(); pos += 2) dead.bits[pos >> 6] |= uint64_t{1} << (pos & 63);
    dead.count = (docs.size() + 1) / 2;
    for (int qi = 0; qi < 20; ++qi) {
      const auto q = Normalised(RandomVec(rng));
      for (const Tombstones* t : std::vector<const Tombstones*>{nullptr, &dead}) {
        std::vector<VectorHit> a, b;
        REQUIRE(seg->Search(q.data(), 10, t, 40, &a).ok());
        REQUIRE(m->Search(q.data(), 10, t, 40, &b).ok());
        CHECK(a == b);
      }
    }

    // Missing, for another key, truncated, or with a bad header: never a segment.
    CHECK(VectorSegment::Map(dir.path() + "/absent.gmvs", *key).status().IsNotFound());
    std::string other_key = *key;
    other_key[0] = other_key[0] == 'a' ? 'b' : 'a';
    CHECK(VectorSegment::Map(path, other_key).status().code() == gitmem::Status::Code::kCorruption);
    std::string bytes;
    {
      std::ifstream in(path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto write = [&](const std::string& b) {
      std::ofstream out(path + ".bad", std::ios::binary | std::ios::trunc);
      out.write(b.data(), static_cast<std::streamsize>(b.size()));
    };
    write(bytes.substr(0, bytes.size() - 1));
    CHECK(VectorSegment::Map(path + ".bad", *key).status().code() == gitmem::Status::Code::kCorruption);
    write(bytes.substr(0, 100));
    CHECK(VectorSegment::Map(path + ".bad", *key).status().code() == gitmem::Status::Code::kCorruption);
    std::string bad_magic = bytes;
    bad_magic[0] = 'X';
    write(bad_magic);
    CHECK(VectorSegment::Map(path + ".bad", *key).status().code() == gitmem::Status::Code::kCorruption);
    std::string bad_n = bytes;
    bad_n[16] ^= 1;  // the vector count: the sizes no longer match the file
    write(bad_n);
    CHECK(VectorSegment::Map(path + ".bad", *key).status().code() == gitmem::Status::Code::kCorruption);
  }
}

TEST_CASE("ties at the k-th place resolve to the smallest doc numbers", "[search][vector]") {
  VectorIndexOptions o;
  o.dimension = 4;
  o.delta_max = 3;
  o.merge_factor = 100;
  VectorIndex idx = NewIndex(o);
  const std::vector<float> same = {1, 0, 0, 0};
  // Same vector under docs spread over several segments and the delta.
  for (uint64_t d : {50, 40, 30, 20, 10, 60, 5}) REQUIRE(idx.Add(d, same).ok());
  REQUIRE(idx.Add(1, std::vector<float>{0, 1, 0, 0}).ok());
  CHECK(idx.segments().size() >= 2);
  auto r = idx.Search(same, 3);
  REQUIRE(r.ok());
  std::vector<uint64_t> got;
  for (const auto& h : *r) got.push_back(h.doc);
  CHECK(got == std::vector<uint64_t>{5, 10, 20});
  REQUIRE(idx.Compact(true).ok());
  auto r2 = idx.Search(same, 3);
  REQUIRE(r2.ok());
  CHECK(*r2 == *r);
}

TEST_CASE("a copied index is a branch: shared segments, separate changes", "[search][vector]") {
  std::mt19937_64 rng(5);
  VectorIndexOptions o;
  o.dimension = kDim;
  o.delta_max = 64;
  VectorIndex main_idx = NewIndex(o);
  for (uint64_t d = 0; d < 300; ++d) REQUIRE(main_idx.Add(d, RandomVec(rng)).ok());
  VectorIndex branch = main_idx;
  CHECK(branch.segments() == main_idx.segments());
  REQUIRE(branch.Remove(0).ok());
  REQUIRE(branch.Remove(299).ok());  // in the delta
  REQUIRE(branch.Add(1000, RandomVec(rng)).ok());
  CHECK(main_idx.Contains(0));
  CHECK(main_idx.Contains(299));
  CHECK_FALSE(main_idx.Contains(1000));
  CHECK_FALSE(branch.Contains(0));
  CHECK(branch.Contains(1000));
  CHECK(main_idx.size() == 300);
  CHECK(branch.size() == 299);
  CHECK(branch.segments() == main_idx.segments());  // still shared
}

TEST_CASE("vector index serialisation round trip", "[search][vector]") {
  std::mt19937_64 rng(9);
  for (size_t flat_max : {size_t{1} << 30, size_t{50}}) {
    VectorIndexOptions o;
    o.dimension = kDim;
    o.delta_max = 40;
    o.flat_max = flat_max;
    VectorIndex idx = NewIndex(o);
    for (uint64_t d = 0; d < 200; ++d) REQUIRE(idx.Add(d, RandomVec(rng)).ok());
    REQUIRE(idx.Remove(3).ok());
    REQUIRE(idx.Remove(199).ok());
    auto bytes = idx.Serialize();
    REQUIRE(bytes.ok());
    auto back = VectorIndex::Deserialize(*bytes);
    REQUIRE(back.ok());
    CHECK(back->size() == idx.size());
    CHECK_FALSE(back->Contains(3));
    const auto q = RandomVec(rng);
    CHECK(*back->Search(q, 15) == *idx.Search(q, 15));
    auto again = back->Serialize();
    REQUIRE(again.ok());
    CHECK(*again == *bytes);

    std::map<std::string, std::string> store;
    for (const auto& s : idx.segments()) store[*s->Key()] = *s->Serialize();
    auto manifest = idx.SerializeManifest();
    REQUIRE(manifest.ok());
    CHECK(manifest->size() < bytes->size());
    auto m = VectorIndex::DeserializeManifest(
        *manifest, [&](std::string_view key) -> gitmem::Result<std::shared_ptr<const VectorSegment>> {
          auto it = store.find(std::string(key));
          if (it == store.end()) return gitmem::Status::NotFound("segment");
          return VectorSegment::Deserialize(it->second);
        });
    REQUIRE(m.ok());
    CHECK(*m->Search(q, 15) == *idx.Search(q, 15));

    CHECK(VectorIndex::Deserialize("").status().IsCorruption());
    CHECK(VectorIndex::Deserialize(bytes->substr(0, bytes->size() - 7)).status().IsCorruption());
    CHECK(VectorIndex::Deserialize(*manifest).status().IsCorruption());
    // A damaged FAISS payload inside a segment is a Corruption, not a crash.
    auto seg_bytes = *idx.segments()[0]->Serialize();
    std::string broken = seg_bytes.substr(0, seg_bytes.size() - 100);
    CHECK_FALSE(VectorSegment::Deserialize(broken).ok());
  }
}

TEST_CASE("vector index rejects bad vectors, bad k and bad options without change", "[search][vector]") {
  VectorIndexOptions o;
  o.dimension = 4;
  VectorIndex idx = NewIndex(o);
  REQUIRE(idx.Add(1, std::vector<float>{1, 2, 3, 4}).ok());

  auto s = idx.Add(2, std::vector<float>{1, 2, 3});
  CHECK(s.IsInvalidArgument());
  CHECK(s.message().find("embedding") != std::string::npos);
  CHECK(s.message().find("expected 4") != std::string::npos);
  s = idx.Add(2, std::vector<float>{1, NAN, 3, 4});
  CHECK(s.IsInvalidArgument());
  CHECK(s.message().find("embedding[1]") != std::string::npos);
  CHECK(s.message().find("NaN") != std::string::npos);
  s = idx.Add(2, std::vector<float>{1, 2, std::numeric_limits<float>::infinity(), 4});
  CHECK(s.IsInvalidArgument());
  CHECK(s.message().find("infinity") != std::string::npos);
  CHECK(idx.Add(2, std::vector<float>{0, 0, 0, 0}).IsInvalidArgument());
  // A rejected replacement leaves the old vector in place.
  CHECK(idx.Add(1, std::vector<float>{0, 0, 0, NAN}).IsInvalidArgument());
  CHECK(idx.Contains(1));
  CHECK(idx.size() == 1);
  CHECK_FALSE(idx.Contains(2));
  // A batch with one bad vector adds nothing.
  std::vector<uint64_t> docs = {5, 6};
  std::vector<float> data = {1, 1, 1, 1, 1, 1, NAN, 1};
  CHECK(idx.AddBatch(docs, data).IsInvalidArgument());
  std::vector<uint64_t> dup = {5, 5};
  std::vector<float> ok_data = {1, 1, 1, 1, 1, 1, 1, 1};
  CHECK(idx.AddBatch(dup, ok_data).IsInvalidArgument());
  CHECK(idx.size() == 1);

  const std::vector<float> q = {1, 0, 0, 0};
  CHECK(idx.Search(q, 0).status().IsInvalidArgument());
  CHECK(idx.Search(q, -1).status().IsInvalidArgument());
  auto bad_q = idx.Search(std::vector<float>{1, 0}, 3);
  CHECK(bad_q.status().IsInvalidArgument());
  CHECK(bad_q.status().message().find("query") != std::string::npos);
  CHECK(idx.Search(std::vector<float>{NAN, 0, 0, 0}, 3).status().IsInvalidArgument());
  CHECK(idx.Remove(77).IsNotFound());

  VectorIndexOptions bad;
  bad.dimension = 0;
  CHECK(VectorIndex::Create(bad).status().IsInvalidArgument());
  bad = {};
  bad.tombstone_max_fraction = 0;
  CHECK(VectorIndex::Create(bad).status().IsInvalidArgument());
}
