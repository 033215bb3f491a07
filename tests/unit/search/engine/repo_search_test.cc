// Repository::Search: modes, filters, paging, ties, tombstones, branches, time travel,
// staged changes, catch-up after reopen, bad queries, caller-supplied embeddings, and
// equality with a brute-force reference on random data.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "search/engine/search_engine.h"
#include "search/keyword/bm25.h"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::TempDir;

namespace {

std::unique_ptr<Repository> InitRepo(const TempDir& dir, RepositoryOptions o = {}) {
  auto r = Repository::Init(o, dir.path());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::unique_ptr<Repository> OpenRepo(const TempDir& dir, RepositoryOptions o = {}) {
  auto r = Repository::Open(o, dir.path());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

ObjectId CommitOk(Repository& repo, std::string message = "c", std::string branch = {}, int64_t ts = 0) {
  CommitOptions co;
  co.message = std::move(message);
  co.branch = std::move(branch);
  co.timestamp_us = ts;
  auto r = repo.Commit(co);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

std::vector<SearchHit> SearchOk(const Repository& repo, const SearchOptions& o) {
  auto r = repo.Search(o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::vector<std::string> Ids(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (auto& h : hits) out.push_back(h.id);
  return out;
}

SearchOptions Query(std::string q, SearchMode mode, int k = 10) {
  SearchOptions o;
  o.query = std::move(q);
  o.mode = mode;
  o.k = k;
  return o;
}

// An embedder that counts the texts it embeds (delegating to the default one).
class CountingEmbedder final : public Embedder {
 public:
  explicit CountingEmbedder(size_t dim) {
    DefaultEmbedderOptions o;
    o.dimension = dim;
    inner_ = std::move(NewDefaultEmbedder(o)).value();
  }
  std::string id() const override { return "counting:" + inner_->id(); }
  size_t dimension() const override { return inner_->dimension(); }
  Status Embed(std::span<const std::string_view> texts, std::span<float> out) const override {
    calls += texts.size();
    return inner_->Embed(texts, out);
  }
  mutable std::atomic<size_t> calls{0};

 private:
  std::unique_ptr<Embedder> inner_;
};

const char* kTopics[] = {"coffee espresso beans roast",  "python programming language code",
                         "hiking mountain trail summit", "guitar music chords song",
                         "database index query storage", "garden tomato plants soil"};

}  // namespace

TEST_CASE("search modes find the relevant memory", "[search]") {
  TempDir dir;
  auto repo = InitRepo(dir);
  REQUIRE_OK(repo->Put(MakeMemory("a", "User prefers dark roast coffee in the morning")));
  REQUIRE_OK(repo->Put(MakeMemory("b", "The project uses Python and PostgreSQL")));
  REQUIRE_OK(repo->Put(MakeMemory("c", "Went hiking on a mountain trail last weekend")));
  CommitOk(*repo);
  for (auto mode : {SearchMode::kVector, SearchMode::kKeyword, SearchMode::kHybrid}) {
    auto hits = SearchOk(*repo, Query("what coffee does the user like", mode, 3));
    REQUIRE(!hits.empty());
    CHECK(hits[0].id == "a");
    REQUIRE(hits[0].memory);
    CHECK(hits[0].memory->content == "User prefers dark roast coffee in the morning");
    for (size_t i = 1; i < hits.size(); ++i) CHECK(hits[i - 1].score >= hits[i].score);
  }
  // Keyword search over tags too.
  Memory t = MakeMemory("d", "something unrelated");
  t.tags = {"zebra"};
  REQUIRE_OK(repo->Put(t));
  auto hits = SearchOk(*repo, Query("zebra", SearchMode::kKeyword));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].id == "d");
  // Memories without a commit on an unborn branch: nothing, no error.
  TempDir dir2;
  auto empty = InitRepo(dir2);
  CHECK(SearchOk(*empty, Query("coffee", SearchMode::kHybrid)).empty());
}

TEST_CASE("search filters, and k results when k matching memories exist", "[search]") {
  TempDir dir;
  auto repo = InitRepo(dir);
  // 200 memories about coffee; only every 10th matches the filter, and those rank last
  // by content, so the first fetch cannot satisfy k and the search must fetch more.
  for (int i = 0; i < 200; ++i) {
    Memory m = MakeMemory(fmt::format("m{:03}", i),
                          i % 10 == 0 ? "tea and a little coffee maybe" : "coffee coffee espresso coffee");
    m.type = i % 10 == 0 ? MemoryType::kEpisodic : MemoryType::kSemantic;
    m.agent_id = i % 2 ? "odd" : "even";
    m.session_id = fmt::format("s{}", i % 3);
    m.timestamp_us = 1'000'000 + i;
    m.importance = (i % 10) / 10.0f;
    m.scope = i % 4 == 0 ? Scope::kPrivate : Scope::kShared;
    m.tags = {fmt::format("t{}", i % 5), i % 10 == 0 ? "rare" : "common"};
    m.metadata = fmt::format(R"({{"n":{},"group":"{}"}})", i, i % 10 == 0 ? "x" : "y");
    REQUIRE_OK(repo->Put(m));
  }
  CommitOk(*repo);
  auto check = [&](SearchFilter f, auto pred, SearchMode mode) {
    auto all = repo->List();
    REQUIRE(all.ok());
    size_t expected = 0;
    for (auto& m : *all) expected += pred(m) ? 1 : 0;
    SearchOptions o = Query("coffee", mode, 15);
    o.filter = f;
    auto hits = SearchOk(*repo, o);
    CHECK(hits.size() == std::min<size_t>(15, expected));
    for (auto& h : hits) {
      REQUIRE(h.memory);
      CHECK(pred(*h.memory));
    }
  };
  for (auto mode : {SearchMode::kVector, SearchMode::kKeyword, SearchMode::kHybrid}) {
    SearchFilter f;
    f.types = {MemoryType::kEpisodic};
    check(
        f, [](const Memory& m) { return m.type == MemoryType::kEpisodic; }, mode);
    f = {};
    f.tags_any = {"rare", "t1"};
    check(
        f,
        [](const Memory& m) {
          return std::count(m.tags.begin(), m.tags.end(), "rare") || std::count(m.tags.begin(), m.tags.end(), "t1");
        },
        mode);
    f = {};
    f.tags_all = {"rare", "t0"};
    check(
        f,
        [](const Memory& m) {
          return std::count(m.tags.begin(), m.tags.end(), "rare") && std::count(m.tags.begin(), m.tags.end(), "t0");
        },
        mode);
    f = {};
    f.agent_id = "odd";
    f.session_id = "s1";
    check(
        f, [](const Memory& m) { return m.agent_id == "odd" && m.session_id == "s1"; }, mode);
    f = {};
    f.scopes = {Scope::kPrivate};
    check(
        f, [](const Memory& m) { return m.scope == Scope::kPrivate; }, mode);
    f = {};
    f.from_us = 1'000'050;
    f.until_us = 1'000'060;
    check(
        f, [](const Memory& m) { return m.timestamp_us >= 1'000'050 && m.timestamp_us < 1'000'060; }, mode);
    f = {};
    f.min_importance = 0.85f;
    check(
        f, [](const Memory& m) { return m.importance >= 0.85f; }, mode);
    f = {};
    f.metadata = {{"group", "\"x\""}};
    check(
        f, [](const Memory& m) { return m.metadata.find("\"group\":\"x\"") != std::string::npos; }, mode);
    f = {};
    f.metadata = {{"n", "42"}};
    check(
        f, [](const Memory& m) { return m.id == "m042"; }, mode);
    f = {};
    f.agent_id = "nobody";
    check(
        f, [](const Memory&) { return false; }, mode);
  }
}

TEST_CASE("search paging and deterministic ties", "[search]") {
  TempDir dir;
  auto repo = InitRepo(dir);
  // 30 memories with identical content: every score ties.
  for (int i = 0; i < 30; ++i) REQUIRE_OK(repo->Put(MakeMemory(fmt::format("id{:02}", i), "same words here")));
  CommitOk(*repo);
  for (auto mode : {SearchMode::kVector, SearchMode::kKeyword, SearchMode::kHybrid}) {
    auto all = Ids(SearchOk(*repo, Query("same words", mode, 30)));
    REQUIRE(all.size() == 30);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 30);
    // Same order every time, and pages tile the full ranking.
    CHECK(Ids(SearchOk(*repo, Query("same words", mode, 30))) == all);
    std::vector<std::string> paged;
    for (uint64_t off = 0; off < 30; off += 7) {
      SearchOptions o = Query("same words", mode, 7);
      o.offset = off;
      auto page = Ids(SearchOk(*repo, o));
      paged.insert(paged.end(), page.begin(), page.end());
    }
    CHECK(paged == all);
    SearchOptions past_end = Query("same words", mode, 5);
    past_end.offset = 40;
    CHECK(SearchOk(*repo, past_end).empty());
  }
  // Ties are ordered by the doc number (a stable hash of the id), whatever the layout:
  // the same after reopening and after a reindex.
  auto before = Ids(SearchOk(*repo, Query("same words", SearchMode::kVector, 30)));
  repo.reset();
  repo = OpenRepo(dir);
  CHECK(Ids(SearchOk(*repo, Query("same words", SearchMode::kVector, 30))) == before);
  REQUIRE_OK(repo->Reindex());
  CHECK(Ids(SearchOk(*repo, Query("same words", SearchMode::kVector, 30))) == before);
}

TEST_CASE("deleted memories are never returned (tombstones)", "[search]") {
  TempDir dir;
  RepositoryOptions o;
  o.search.delta_max = 8;  // segments, tombstones and compaction with few memories
  auto repo = InitRepo(dir, o);
  for (int i = 0; i < 60; ++i)
    REQUIRE_OK(repo->Put(MakeMemory(fmt::format("k{:02}", i), fmt::format("apple banana {}", i))));
  CommitOk(*repo);
  CHECK(SearchOk(*repo, Query("apple", SearchMode::kHybrid, 100)).size() == 60);
  for (int i = 0; i < 60; i += 2) REQUIRE_OK(repo->Delete(fmt::format("k{:02}", i)));
  // Staged deletes are already invisible on the branch's working state...
  for (auto mode : {SearchMode::kVector, SearchMode::kKeyword, SearchMode::kHybrid}) {
    auto hits = SearchOk(*repo, Query("apple banana", mode, 100));
    CHECK(hits.size() == 30);
    for (auto& h : hits) CHECK(std::stoi(h.id.substr(1)) % 2 == 1);
  }
  CommitOk(*repo);
  // ...and after the commit.
  for (auto mode : {SearchMode::kVector, SearchMode::kKeyword, SearchMode::kHybrid}) {
    auto hits = SearchOk(*repo, Query("apple banana", mode, 100));
    CHECK(hits.size() == 30);
    for (auto& h : hits) CHECK(std::stoi(h.id.substr(1)) % 2 == 1);
  }
  // An update replaces: the old content is no longer found.
  MemoryPatch p;
  p.content = "zucchini";
  REQUIRE_OK(repo->Update("k01", p));
  CommitOk(*repo);
  for (auto& h : SearchOk(*repo, Query("apple banana", SearchMode::kKeyword, 100))) CHECK(h.id != "k01");
  auto z = SearchOk(*repo, Query("zucchini", SearchMode::kKeyword, 5));
  REQUIRE(z.size() == 1);
  CHECK(z[0].id == "k01");
}

TEST_CASE("branch isolation, staged changes and time travel", "[search]") {
  TempDir dir;
  auto repo = InitRepo(dir);
  REQUIRE_OK(repo->Put(MakeMemory("base", "the shared base memory about rockets")));
  const ObjectId c1 = CommitOk(*repo, "c1", {}, 1'000'000);
  REQUIRE_OK(repo->CreateBranch("exp"));
  WriteOptions on_exp;
  on_exp.branch = "exp";
  REQUIRE_OK(repo->Put(MakeMemory("only-exp", "an experimental memory about rockets"), on_exp));
  CommitOk(*repo, "exp1", "exp", 2'000'000);
  REQUIRE_OK(repo->Put(MakeMemory("only-main", "a later memory on main about rockets")));
  CommitOk(*repo, "c2", {}, 3'000'000);

  auto ids_at = [&](ReadOptions at) {
    std::set<std::string> out;
    for (auto mode : {SearchMode::kVector, SearchMode::kKeyword, SearchMode::kHybrid}) {
      SearchOptions o = Query("rockets", mode, 10);
      o.at = at;
      auto ids = Ids(SearchOk(*repo, o));
      std::set<std::string> s(ids.begin(), ids.end());
      if (mode == SearchMode::kVector)
        out = s;
      else
        CHECK(s == out);
    }
    return out;
  };
  CHECK(ids_at({}) == std::set<std::string>{"base", "only-main"});
  ReadOptions exp;
  exp.rev = "exp";
  CHECK(ids_at(exp) == std::set<std::string>{"base", "only-exp"});
  // Past commit by id and by timestamp.
  ReadOptions past;
  past.rev = c1.hex();
  CHECK(ids_at(past) == std::set<std::string>{"base"});
  ReadOptions when;
  when.as_of_us = 1'500'000;
  CHECK(ids_at(when) == std::set<std::string>{"base"});
  ReadOptions tilde;
  tilde.rev = "main~1";
  CHECK(ids_at(tilde) == std::set<std::string>{"base"});
  // Staged changes are searchable on their branch only.
  REQUIRE_OK(repo->Put(MakeMemory("staged", "a staged memory about rockets"), on_exp));
  REQUIRE_OK(repo->Delete("base", on_exp));
  CHECK(ids_at(exp) == std::set<std::string>{"only-exp", "staged"});
  CHECK(ids_at({}) == std::set<std::string>{"base", "only-main"});
  ReadOptions exp_head;
  exp_head.rev = "exp~0";
  CHECK(ids_at(exp_head) == std::set<std::string>{"base", "only-exp"});
  // Moving a branch (reset) catches up.
  REQUIRE_OK(repo->Reset("main", c1.hex()));
  CHECK(ids_at({}) == std::set<std::string>{"base"});
  // A branch created later from main copies nothing and sees main's memories.
  REQUIRE_OK(repo->CreateBranch("fresh", "exp"));
  ReadOptions fresh;
  fresh.rev = "fresh";
  CHECK(ids_at(fresh) == std::set<std::string>{"base", "only-exp"});
}

TEST_CASE("indexes persist; reopening catches up by diff without a rebuild", "[search]") {
  TempDir dir;
  RepositoryOptions o;
  o.search.persist_every = 1;
  {
    auto repo = InitRepo(dir, o);
    for (int i = 0; i < 100; ++i)
      REQUIRE_OK(
          repo->Put(MakeMemory(fmt::format("p{:03}", i), fmt::format("note number {} about {}", i, kTopics[i % 6]))));
    CommitOk(*repo);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "build");
    CHECK(info->documents == 100);
    CHECK(SearchOk(*repo, Query("espresso", SearchMode::kKeyword, 100)).size() == 17);
  }
  {
    auto repo = OpenRepo(dir, o);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "loaded");
    CHECK(info->documents == 100);
    // Two more commits while closed to search: the next search applies just their diff.
    REQUIRE_OK(repo->Put(MakeMemory("new1", "espresso machine manual")));
    REQUIRE_OK(repo->Delete("p000"));
    CommitOk(*repo);
    REQUIRE_OK(repo->Put(MakeMemory("new2", "another espresso note")));
    CommitOk(*repo);
    info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "catch-up");
    CHECK(info->changes_applied == 3);
    CHECK(info->documents == 101);
    auto ids = Ids(SearchOk(*repo, Query("espresso", SearchMode::kKeyword, 100)));
    CHECK(ids.size() == 18);
    CHECK(std::find(ids.begin(), ids.end(), "p000") == ids.end());
  }
  {
    // Commits made by a process that never searched: reopen catches up from the
    // persisted state by diff.
    auto repo = OpenRepo(dir, o);
    REQUIRE_OK(repo->Put(MakeMemory("new3", "espresso three")));
    CommitOk(*repo);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "catch-up");
    CHECK(info->changes_applied == 1);
    REQUIRE_OK(repo->Reindex());
    info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "reindex");
    CHECK(info->vector_segments == 1);
    CHECK(info->documents == 102);
  }
}

TEST_CASE("HNSW segments persist as files that a reopen maps, also read-only", "[search]") {
  TempDir dir;
  RepositoryOptions o;
  o.search.flat_max = 50;  // 200 memories: one HNSW segment
  o.search.persist_every = 1;
  o.search.background_indexing = false;  // the graph in place: one segment file per build
  std::vector<std::vector<std::string>> before;
  auto queries = [&](const Repository& repo) {
    std::vector<std::vector<std::string>> out;
    for (int q = 0; q < 6; ++q) {
      auto hits = SearchOk(repo, Query(kTopics[q], SearchMode::kVector, 10));
      out.push_back(Ids(hits));
    }
    return out;
  };
  auto segment_files = [&] {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path()))
      n += e.path().extension() == ".gmvs";
    return n;
  };
  {
    auto repo = InitRepo(dir, o);
    for (int i = 0; i < 200; ++i)
      REQUIRE_OK(repo->Put(MakeMemory(fmt::format("h{:03}", i), fmt::format("entry {} on {}", i, kTopics[i % 6]))));
    CommitOk(*repo);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->vector_segments == 1);
    before = queries(*repo);
  }
  CHECK(segment_files() == 1);
  {
    auto repo = OpenRepo(dir, o);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "loaded");
    CHECK(queries(*repo) == before);
    // A change after the reopen: the mapped segment gets a tombstone, the new vector
    // goes to the delta, and a reindex writes a new segment file.
    REQUIRE_OK(repo->Delete("h000"));
    CommitOk(*repo);
    auto ids = Ids(SearchOk(*repo, Query(kTopics[0], SearchMode::kVector, 200)));
    CHECK(ids.size() == 199);
    CHECK(std::find(ids.begin(), ids.end(), "h000") == ids.end());
    REQUIRE_OK(repo->Reindex());
  }
  CHECK(segment_files() == 2);
  {
    RepositoryOptions ro = o;
    ro.read_only = true;
    auto repo = OpenRepo(dir, ro);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    CHECK(info->source == "loaded");
    CHECK(info->documents == 199);
    auto ids = Ids(SearchOk(*repo, Query(kTopics[0], SearchMode::kVector, 200)));
    CHECK(ids.size() == 199);
  }
}

TEST_CASE("bad queries are rejected and change nothing", "[search]") {
  TempDir dir;
  auto repo = InitRepo(dir);
  REQUIRE_OK(repo->Put(MakeMemory("a", "hello world")));
  CommitOk(*repo);
  const auto head = repo->Resolve("HEAD");
  REQUIRE_OK(head);
  auto bad = [&](SearchOptions o, std::string_view field) {
    auto r = repo->Search(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidArgument);
    INFO(r.status().message());
    CHECK(r.status().message().find(field) != std::string::npos);
  };
  SearchOptions o = Query("hello", SearchMode::kHybrid, 0);
  bad(o, "k");
  o.k = -3;
  bad(o, "k");
  o = Query("", SearchMode::kKeyword);
  bad(o, "query");
  o = Query("", SearchMode::kVector);
  bad(o, "query");
  o = Query("hello", SearchMode::kVector);
  o.query_vector = std::vector<float>(17, 0.5f);
  bad(o, "query_vector");
  o.query_vector = std::vector<float>(384, 0.5f);
  o.query_vector[3] = std::nanf("");
  bad(o, "query_vector[3]");
  o.query_vector[3] = INFINITY;
  bad(o, "query_vector[3]");
  o.query_vector = std::vector<float>(384, 0.0f);
  bad(o, "query_vector");
  o = Query("hello", SearchMode::kHybrid);
  o.vector_weight = -1;
  bad(o, "vector_weight");
  o = Query("hello", SearchMode::kHybrid);
  o.rrf_k = 0;
  bad(o, "rrf_k");
  o = Query("hello", SearchMode::kKeyword);
  o.filter.metadata = {{"x", "not json"}};
  bad(o, "filter.metadata[0]");
  o = Query("hello", SearchMode::kKeyword);
  o.at.rev = "no-such-branch";
  CHECK_FALSE(repo->Search(o).ok());
  // Nothing changed.
  CHECK(*repo->Resolve("HEAD") == *head);
  CHECK(repo->Staged()->empty());
  CHECK(SearchOk(*repo, Query("hello", SearchMode::kHybrid)).size() == 1);
}

TEST_CASE("caller-supplied embeddings: validated at put, stored apart, used by search", "[search]") {
  TempDir dir;
  RepositoryOptions o;
  o.embedding_dimension = 4;
  auto repo = InitRepo(dir, o);
  auto bad_put = [&](std::vector<float> v, std::string_view field) {
    Memory m = MakeMemory("x", "vector memory");
    m.embedding = std::move(v);
    auto r = repo->Put(m);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidArgument);
    INFO(r.status().message());
    CHECK(r.status().message().find(field) != std::string::npos);
    CHECK(repo->Staged()->empty());
    CHECK_FALSE(repo->Get("x").ok());
  };
  bad_put({1, 2, 3}, "embedding");
  bad_put({1, 2, 3, std::nanf("")}, "embedding[3]");
  bad_put({1, INFINITY, 3, 4}, "embedding[1]");
  bad_put({0, 0, 0, 0}, "embedding");
  {  // PutMany is all or nothing, naming the element.
    std::vector<Memory> ms = {MakeMemory("ok", "fine"), MakeMemory("bad", "broken")};
    ms[0].embedding = {1, 0, 0, 0};
    ms[1].embedding = {1, 0};
    auto r = repo->PutMany(ms);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("memories[1]") != std::string::npos);
    CHECK(repo->Staged()->empty());
  }
  std::vector<std::pair<std::string, std::vector<float>>> data = {
      {"east", {1, 0, 0, 0}}, {"north", {0, 1, 0, 0}}, {"up", {0, 0, 1, 0}}, {"northeast", {1, 1, 0, 0}}};
  for (auto& [id, v] : data) {
    Memory m = MakeMemory(id, "direction " + id);
    m.embedding = v;
    REQUIRE_OK(repo->Put(m));
  }
  CommitOk(*repo);
  auto got = repo->Get("east");
  REQUIRE_OK(got);
  CHECK(got->embedding.empty());  // write-only
  SearchOptions q;
  q.mode = SearchMode::kVector;
  q.query_vector = {0.9f, 0.1f, 0, 0};
  q.k = 4;
  auto hits = SearchOk(*repo, q);
  REQUIRE(hits.size() == 4);
  CHECK(Ids(hits) == std::vector<std::string>{"east", "northeast", "north", "up"});
  CHECK(hits[0].score == Approx(0.9f / std::sqrt(0.82f)).epsilon(1e-4));
  // The dimension is fixed: reopening with another one fails clearly.
  repo.reset();
  RepositoryOptions o2;
  o2.embedding_dimension = 8;
  auto r2 = Repository::Open(o2, dir.path());
  REQUIRE_OK(r2);
  auto s = (*r2)->Search(q);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message().find("embedding_dimension") != std::string::npos);
  // Recorded dimension is used when the option is left at 0.
  r2->reset();
  auto r3 = Repository::Open(RepositoryOptions{}, dir.path());
  REQUIRE_OK(r3);
  CHECK(SearchOk(**r3, q).size() == 4);
}

TEST_CASE("identical content is embedded once; changing tags does not re-embed", "[search]") {
  TempDir dir;
  auto emb = std::make_shared<CountingEmbedder>(64);
  RepositoryOptions o;
  o.embedder = emb;
  auto repo = InitRepo(dir, o);
  REQUIRE_OK(repo->Put(MakeMemory("a", "the same text")));
  REQUIRE_OK(repo->Put(MakeMemory("b", "the same text")));
  REQUIRE_OK(repo->Put(MakeMemory("c", "other text")));
  CommitOk(*repo);
  SearchOptions q = Query("text", SearchMode::kVector);
  CHECK(SearchOk(*repo, q).size() == 3);
  CHECK(emb->calls == 2 + 1);  // two distinct contents + the query
  MemoryPatch p;
  p.tags = std::vector<std::string>{"new-tag"};
  REQUIRE_OK(repo->Update("a", p));
  CommitOk(*repo);
  q.mode = SearchMode::kHybrid;
  q.query = "new-tag";
  auto hits = SearchOk(*repo, q);
  REQUIRE(!hits.empty());
  CHECK(hits[0].id == "a");    // keyword side sees the new tag
  CHECK(emb->calls == 3 + 1);  // only the new query
  // A new memory with known content reuses the stored vector, also after reopening.
  repo.reset();
  repo = OpenRepo(dir, o);
  REQUIRE_OK(repo->Put(MakeMemory("d", "other text")));
  CommitOk(*repo);
  CHECK(SearchOk(*repo, Query("text", SearchMode::kVector)).size() == 4);
  CHECK(emb->calls == 4 + 1);
}

TEST_CASE("search equals a brute-force reference on random data", "[search]") {
  TempDir dir;
  RepositoryOptions o;
  o.search.delta_max = 16;  // many segments, tombstones and compactions
  o.search.persist_every = 40;
  auto repo = InitRepo(dir, o);
  auto emb = std::move(NewDefaultEmbedder()).value();
  std::mt19937 rng(7);
  const std::vector<std::string> words = {"alpha", "beta",  "gamma", "delta", "omega", "river",
                                          "stone", "cloud", "tiger", "maple", "ocean", "pixel"};
  auto text = [&] {
    std::string s;
    const int n = 2 + rng() % 6;
    for (int i = 0; i < n; ++i) s += words[rng() % words.size()] + " ";
    return s;
  };
  std::set<std::string> live;
  for (int round = 0; round < 12; ++round) {
    for (int j = 0; j < 25; ++j) {
      const std::string id = fmt::format("r{:03}", rng() % 200);
      if (live.count(id) && rng() % 3 == 0) {
        REQUIRE_OK(repo->Delete(id));
        live.erase(id);
      } else {
        Memory m = MakeMemory(id, text());
        m.importance = (rng() % 100) / 100.0f;
        REQUIRE_OK(repo->Put(m));
        live.insert(id);
      }
    }
    if (round % 3 != 2) CommitOk(*repo);  // every third round stays staged for a while
    if (round % 4 == 3) {
      repo.reset();
      repo = OpenRepo(dir, o);
    }
    auto all = repo->List();
    REQUIRE_OK(all);
    REQUIRE(all->size() == live.size());
    const std::string qtext = text();
    std::vector<float> qv(384);
    std::string_view qs = qtext;
    REQUIRE_OK(emb->Embed(std::span<const std::string_view>(&qs, 1), qv));
    // Vector reference: exact cosine, ties by doc number.
    struct Ref {
      double score;
      uint64_t doc;
      std::string id;
      float importance;
    };
    std::vector<Ref> ref;
    for (auto& m : *all) {
      std::vector<float> v(384);
      std::string_view c = m.content;
      REQUIRE_OK(emb->Embed(std::span<const std::string_view>(&c, 1), v));
      double dot = 0;
      for (int i = 0; i < 384; ++i) dot += double(v[i]) * qv[i];
      ref.push_back({dot, search::SearchEngine::DocOf(m.id), m.id, m.importance});
    }
    std::sort(ref.begin(), ref.end(),
              [](auto& a, auto& b) { return a.score != b.score ? a.score > b.score : a.doc < b.doc; });
    SearchOptions q;
    q.mode = SearchMode::kVector;
    q.query = qtext;
    q.k = 20;
    auto hits = SearchOk(*repo, q);
    REQUIRE(hits.size() == std::min<size_t>(20, ref.size()));
    std::map<std::string, double> ref_score;
    for (auto& r : ref) ref_score[r.id] = r.score;
    for (size_t i = 0; i < hits.size(); ++i) {
      CHECK(hits[i].score == Approx(ref[i].score).margin(1e-4));              // same score sequence
      CHECK(hits[i].score == Approx(ref_score.at(hits[i].id)).margin(1e-4));  // true score of the id
    }
    // Filtered vector search against the filtered reference.
    q.filter.min_importance = 0.5f;
    hits = SearchOk(*repo, q);
    std::vector<Ref> fref;
    for (auto& r : ref)
      if (r.importance >= 0.5f) fref.push_back(r);
    REQUIRE(hits.size() == std::min<size_t>(20, fref.size()));
    for (size_t i = 0; i < hits.size(); ++i) CHECK(hits[i].score == Approx(fref[i].score).margin(1e-4));
    // Keyword reference: a fresh BM25 index over the live memories.
    auto kw = std::move(search::Bm25Index::Create({})).value();
    for (auto& m : *all) REQUIRE_OK(kw.Add(search::SearchEngine::DocOf(m.id), m.content, m.tags));
    auto kref = kw.Search(qtext, 20);
    REQUIRE_OK(kref);
    SearchOptions kq = Query(qtext, SearchMode::kKeyword, 20);
    auto khits = SearchOk(*repo, kq);
    REQUIRE(khits.size() == kref->size());
    for (size_t i = 0; i < khits.size(); ++i) {
      CHECK(search::SearchEngine::DocOf(khits[i].id) == (*kref)[i].doc);
      CHECK(khits[i].score == Approx((*kref)[i].score).margin(1e-4));
    }
  }
}

TEST_CASE("searches from many threads while a writer commits", "[search]") {
  TempDir dir;
  RepositoryOptions o;
  o.search.delta_max = 32;
  auto repo = InitRepo(dir, o);
  for (int i = 0; i < 50; ++i) REQUIRE_OK(repo->Put(MakeMemory(fmt::format("w{:03}", i), "steady memory about lakes")));
  CommitOk(*repo);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      while (!stop) {
        SearchOptions q = Query("lakes",
                                t == 0   ? SearchMode::kVector
                                : t == 1 ? SearchMode::kKeyword
                                         : SearchMode::kHybrid,
                                100);
        auto r = repo->Search(q);
        // Every commit below keeps the 50 steady memories and adds others.
        if (!r.ok() || r->size() < 50) ++failures;
        ++searches;
      }
    });
  }
  // The readers must overlap the commits whatever the scheduler does: wait for their
  // first searches before committing, and for more after the last commit.
  while (searches < 3) std::this_thread::yield();
  for (int c = 0; c < 20; ++c) {
    REQUIRE_OK(repo->Put(MakeMemory(fmt::format("x{:03}", c), "a new memory about lakes and rivers")));
    CommitOk(*repo);
  }
  const int before_stop = searches;
  while (searches < before_stop + 3) std::this_thread::yield();
  stop = true;
  for (auto& th : readers) th.join();
  CHECK(failures == 0);
  CHECK(searches > 0);
  CHECK(SearchOk(*repo, Query("lakes", SearchMode::kKeyword, 100)).size() == 70);
}

TEST_CASE("queries use the opened repository's efSearch, also on indexes persisted with another", "[search]") {
  TempDir dir;
  constexpr int kDim = 8, kN = 3000, kQueries = 30;
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  auto random_vector = [&] {
    std::vector<float> v(kDim);
    for (float& x : v) x = normal(rng);
    return v;
  };
  std::vector<std::vector<float>> base(kN), queries(kQueries);
  for (auto& v : base) v = random_vector();
  for (auto& v : queries) v = random_vector();
  // Exact top 10 by cosine (the index normalises vectors).
  auto unit = [](std::vector<float> v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
    return v;
  };
  std::vector<std::set<std::string>> exact(kQueries);
  for (int q = 0; q < kQueries; ++q) {
    const auto qu = unit(queries[q]);
    std::vector<std::pair<double, int>> scored;
    for (int i = 0; i < kN; ++i) {
      const auto bu = unit(base[i]);
      double dot = 0;
      for (int d = 0; d < kDim; ++d) dot += double(bu[d]) * qu[d];
      scored.push_back({-dot, i});
    }
    std::partial_sort(scored.begin(), scored.begin() + 10, scored.end());
    for (int r = 0; r < 10; ++r) exact[q].insert(fmt::format("v{:04}", scored[r].second));
  }
  auto misses = [&](const Repository& repo) {
    int missed = 0;
    for (int q = 0; q < kQueries; ++q) {
      SearchOptions o;
      o.mode = SearchMode::kVector;
      o.k = 10;
      o.query_vector = queries[q];
      o.include_memories = false;
      for (const auto& id : Ids(SearchOk(repo, o))) missed += exact[q].count(id) == 0;
    }
    return missed;
  };
  RepositoryOptions o;
  o.embedding_dimension = kDim;
  o.search.flat_max = 100;   // HNSW segments
  o.search.delta_max = 500;  // nearly everything in segments
  o.search.hnsw_ef_search = 1;
  o.search.background_indexing = false;  // graphs at once (not an exact scan while they build)
  {
    auto repo = InitRepo(dir, o);
    std::vector<Memory> ms;
    for (int i = 0; i < kN; ++i) {
      Memory m = MakeMemory(fmt::format("v{:04}", i), fmt::format("vector {}", i));
      m.embedding = base[i];
      ms.push_back(std::move(m));
    }
    REQUIRE_OK(repo->PutMany(ms));
    CommitOk(*repo);
    auto info = repo->IndexInfo();
    REQUIRE_OK(info);
    REQUIRE(info->vector_segments >= 1);
    CHECK(misses(*repo) > 0);  // a queue of k: approximate
  }                            // persisted: its manifest records efSearch 1
  o.search.hnsw_ef_search = kN;
  auto repo = OpenRepo(dir, o);
  auto info = repo->IndexInfo();
  REQUIRE_OK(info);
  CHECK(info->source == "loaded");
  CHECK(misses(*repo) == 0);  // a queue as large as the data: exact
}
