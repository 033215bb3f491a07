// BM25 keyword index: ranking on a hand-checked corpus, add/remove, segment/delta/tombstone
// layouts giving identical scores, serialisation, bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "search/keyword/bm25.h"

using namespace gitmem::search;

namespace {

Bm25Index NewIndex(Bm25Options o = {}) {
  auto r = Bm25Index::Create(o);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::vector<uint64_t> Docs(const std::vector<Bm25Hit>& hits) {
  std::vector<uint64_t> out;
  for (const auto& h : hits) out.push_back(h.doc);
  return out;
}

using D = std::vector<uint64_t>;

double Bm25(double tf, double len, double avgdl, double n, double df) {
  const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
  return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avgdl));
}

}  // namespace

TEST_CASE("BM25 ranks a hand-checked corpus", "[search][bm25]") {
  Bm25Index idx = NewIndex();
  REQUIRE(idx.Add(1, "The cat sat on the mat").ok());             // cat sat mat
  REQUIRE(idx.Add(2, "Dogs and cats living together").ok());      // dog cat live togeth
  REQUIRE(idx.Add(3, "A dog chased the cat, the cat ran").ok());  // dog chase cat cat ran
  CHECK(idx.size() == 3);

  auto r = idx.Search("cat", 10);
  REQUIRE(r.ok());
  REQUIRE(Docs(*r) == D{3, 1, 2});
  // N = 3, avgdl = 12 / 3 = 4, df(cat) = 3.
  CHECK((*r)[0].score == Approx(Bm25(2, 5, 4, 3, 3)).epsilon(1e-5));
  CHECK((*r)[1].score == Approx(Bm25(1, 3, 4, 3, 3)).epsilon(1e-5));
  CHECK((*r)[2].score == Approx(Bm25(1, 4, 4, 3, 3)).epsilon(1e-5));

  auto q = idx.Search("Who was chasing dogs?", 10);
  REQUIRE(q.ok());
  REQUIRE(Docs(*q) == D{3, 2});
  CHECK((*q)[0].score == Approx(Bm25(1, 5, 4, 3, 2) + Bm25(1, 5, 4, 3, 1)).epsilon(1e-5));

  auto top1 = idx.Search("cat", 1);
  REQUIRE(top1.ok());
  CHECK(Docs(*top1) == D{3});
  auto none = idx.Search("the of and", 5);  // stop words only
  REQUIRE(none.ok());
  CHECK(none->empty());
  auto missing = idx.Search("elephant", 5);
  REQUIRE(missing.ok());
  CHECK(missing->empty());
}

TEST_CASE("BM25 indexes tags and breaks ties by doc number", "[search][bm25]") {
  Bm25Index idx = NewIndex();
  const std::vector<std::string> tags = {"TECHNICAL", "preference"};
  REQUIRE(idx.Add(9, "prefers dark mode", tags).ok());
  REQUIRE(idx.Add(4, "same words here").ok());
  REQUIRE(idx.Add(2, "same words here").ok());
  REQUIRE(idx.Add(7, "same words here").ok());
  auto t = idx.Search("technical", 5);
  REQUIRE(t.ok());
  CHECK(Docs(*t) == D{9});
  auto s = idx.Search("words", 2);
  REQUIRE(s.ok());
  CHECK(Docs(*s) == D{2, 4});
  CHECK((*s)[0].score == (*s)[1].score);
}

TEST_CASE("BM25 add, replace and remove", "[search][bm25]") {
  Bm25Index idx = NewIndex();
  REQUIRE(idx.Add(1, "apples and oranges").ok());
  REQUIRE(idx.Add(2, "bananas").ok());
  REQUIRE(idx.Add(1, "pears").ok());  // replaces
  CHECK(idx.size() == 2);
  CHECK(idx.Search("apples", 5)->empty());
  CHECK(Docs(*idx.Search("pears", 5)) == D{1});
  REQUIRE(idx.Remove(2).ok());
  CHECK(idx.Search("bananas", 5)->empty());
  CHECK(idx.Remove(2).IsNotFound());
  CHECK(idx.size() == 1);
  CHECK(idx.Search("pears", 0).status().IsInvalidArgument());
  CHECK(idx.Search("pears", -3).status().IsInvalidArgument());
}

TEST_CASE("BM25 scores do not depend on the segment layout", "[search][bm25]") {
  const std::vector<std::string> words = {"alpha", "beta",  "gamma", "delta", "epsilon", "zeta",
                                          "eta",   "theta", "iota",  "kappa", "lambda",  "mu"};
  std::mt19937_64 rng(42);
  auto text = [&] {
    std::string t;
    const int n = 3 + static_cast<int>(rng() % 10);
    for (int i = 0; i < n; ++i) t += words[rng() % words.size()] + " ";
    return t;
  };
  Bm25Options small;
  small.delta_max = 16;  // many segments, merges and tombstone rebuilds
  small.merge_factor = 3;
  Bm25Index churned = NewIndex(small);
  std::vector<std::string> final_text(400);
  std::vector<bool> present(400, false);
  size_t max_segments = 0;
  for (int step = 0; step < 3000; ++step) {
    max_segments = std::max(max_segments, churned.segments().size());
    const uint64_t doc = rng() % 400;
    if (rng() % 4 == 0) {
      gitmem::Status s = churned.Remove(doc);
      CHECK((s.ok() || s.IsNotFound()));
      present[doc] = false;
    } else {
      final_text[doc] = text();
      REQUIRE(churned.Add(doc, final_text[doc]).ok());
      present[doc] = true;
    }
  }
  CHECK(max_segments > 1);
  Bm25Options big;
  big.auto_compact = false;
  Bm25Index fresh = NewIndex(big);
  size_t live = 0;
  for (uint64_t d = 0; d < 400; ++d) {
    if (!present[d]) continue;
    ++live;
    REQUIRE(fresh.Add(d, final_text[d]).ok());
  }
  CHECK(churned.size() == live);
  for (const char* q : {"alpha", "beta gamma", "mu mu kappa", "theta iota lambda zeta"}) {
    auto a = churned.Search(q, 25);
    auto b = fresh.Search(q, 25);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(*a == *b);  // bit-identical scores, same order
  }
  // A branch copy shares everything and diverges on write.
  Bm25Index branch = churned;
  REQUIRE(branch.Add(100000, "alpha alpha alpha").ok());
  CHECK(branch.Contains(100000));
  CHECK_FALSE(churned.Contains(100000));
  CHECK(branch.segments() == churned.segments());
}

TEST_CASE("BM25 serialisation round trip", "[search][bm25]") {
  Bm25Options o;
  o.delta_max = 8;
  Bm25Index idx = NewIndex(o);
  for (uint64_t d = 0; d < 30; ++d) {
    REQUIRE(idx.Add(d * 3, "document number " + std::to_string(d) + (d % 2 ? " odd" : " even")).ok());
  }
  REQUIRE(idx.Remove(9).ok());
  REQUIRE(idx.Remove(84).ok());
  CHECK(idx.delta_size() > 0);
  const std::string bytes = idx.Serialize();
  auto back = Bm25Index::Deserialize(bytes);
  REQUIRE(back.ok());
  CHECK(back->size() == idx.size());
  CHECK(back->Serialize() == bytes);
  for (const char* q : {"odd", "even document", "17"}) {
    CHECK(*back->Search(q, 10) == *idx.Search(q, 10));
  }
  // Manifest + segments stored by key.
  std::map<std::string, std::string> store;
  for (const auto& s : idx.segments()) store[s->Key()] = s->Serialize();
  auto m = Bm25Index::DeserializeManifest(
      idx.SerializeManifest(), [&](std::string_view key) -> gitmem::Result<std::shared_ptr<const Bm25Segment>> {
        auto it = store.find(std::string(key));
        if (it == store.end()) return gitmem::Status::NotFound("segment");
        return Bm25Segment::Deserialize(it->second);
      });
  REQUIRE(m.ok());
  CHECK(*m->Search("odd", 10) == *idx.Search("odd", 10));
  // Corrupt input is rejected, never crashes.
  CHECK(Bm25Index::Deserialize("").status().IsCorruption());
  CHECK(Bm25Index::Deserialize(bytes.substr(0, bytes.size() / 2)).status().IsCorruption());
  std::string flipped = bytes;
  flipped[0] = 'X';
  CHECK(Bm25Index::Deserialize(flipped).status().IsCorruption());
  CHECK(Bm25Index::Deserialize(idx.SerializeManifest()).status().IsCorruption());
}

TEST_CASE("BM25 rejects bad options", "[search][bm25]") {
  Bm25Options o;
  o.b = 1.5f;
  CHECK(Bm25Index::Create(o).status().IsInvalidArgument());
  o = {};
  o.k1 = NAN;
  CHECK(Bm25Index::Create(o).status().IsInvalidArgument());
  o = {};
  o.merge_factor = 1;
  CHECK(Bm25Index::Create(o).status().IsInvalidArgument());
}
