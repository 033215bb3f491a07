// Repository::List with ListOptions::filter: the search filter's rules on a plain listing,
// paging over the memories that pass, at revisions and with staged changes, bad filters.
#include <catch2/catch.hpp>

#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustCommit;
using gitmem::testing::NewTestRepo;
using gitmem::testing::TempDir;

namespace {

std::vector<std::string> Ids(const Result<std::vector<Memory>>& r) {
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  std::vector<std::string> ids;
  for (const auto& m : *r) ids.push_back(m.id);
  return ids;
}

using Ids_ = std::vector<std::string>;

/// a, b, c (and d when asked) with distinct types, agents, sessions, tags, scopes,
/// importances, timestamps and metadata.
std::unique_ptr<Repository> ThreeMemories(const TempDir& dir) {
  auto repo = NewTestRepo(dir);
  Memory a = MakeMemory("a", "alpha");
  a.type = MemoryType::kEpisodic;
  a.agent_id = "x";
  a.session_id = "s1";
  a.tags = {"t1", "t2"};
  a.importance = 0.9f;
  a.timestamp_us = 1000;
  a.metadata = R"({"project":"apollo","n":3})";
  Memory b = MakeMemory("b", "beta");
  b.type = MemoryType::kSemantic;
  b.agent_id = "y";
  b.session_id = "s1";
  b.tags = {"t2"};
  b.importance = 0.2f;
  b.scope = Scope::kPrivate;
  b.timestamp_us = 2000;
  Memory c = MakeMemory("c", "gamma");
  c.type = MemoryType::kEpisodic;
  c.agent_id = "x";
  c.session_id = "s2";
  c.importance = 0.5f;
  c.timestamp_us = 3000;
  c.metadata = R"({"project":"gemini"})";
  for (const Memory& m : {a, b, c}) REQUIRE(repo->Put(m).ok());
  MustCommit(*repo, "three");
  return repo;
}

ListOptions With(SearchFilter f) {
  ListOptions o;
  o.filter = std::move(f);
  return o;
}

}  // namespace

TEST_CASE("list: each filter condition", "[repo][list]") {
  TempDir dir;
  auto repo = ThreeMemories(dir);
  SearchFilter f;

  f = {};
  f.types = {MemoryType::kEpisodic};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a", "c"});
  f.types = {MemoryType::kSemantic, MemoryType::kEpisodic};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a", "b", "c"});

  f = {};
  f.tags_any = {"t1", "zzz"};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a"});
  f = {};
  f.tags_all = {"t1", "t2"};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a"});
  f.tags_all = {"t2"};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a", "b"});

  f = {};
  f.agent_id = "x";
  CHECK(Ids(repo->List(With(f))) == Ids_{"a", "c"});
  f = {};
  f.session_id = "s1";
  CHECK(Ids(repo->List(With(f))) == Ids_{"a", "b"});
  f = {};
  f.scopes = {Scope::kPrivate};
  CHECK(Ids(repo->List(With(f))) == Ids_{"b"});

  f = {};
  f.from_us = 2000;
  CHECK(Ids(repo->List(With(f))) == Ids_{"b", "c"});
  f = {};
  f.until_us = 2000;
  CHECK(Ids(repo->List(With(f))) == Ids_{"a"});

  f = {};
  f.min_importance = 0.5f;
  CHECK(Ids(repo->List(With(f))) == Ids_{"a", "c"});

  f = {};
  f.metadata = {{"project", R"("apollo")"}};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a"});
  f.metadata = {{"n", "3"}};
  CHECK(Ids(repo->List(With(f))) == Ids_{"a"});
  f.metadata = {{"project", R"("nowhere")"}};
  CHECK(Ids(repo->List(With(f))).empty());

  f = {};
  f.agent_id = "x";
  f.min_importance = 0.6f;
  CHECK(Ids(repo->List(With(f))) == Ids_{"a"});
}

TEST_CASE("list: offset and limit count the memories the filter admits", "[repo][list]") {
  TempDir dir;
  auto repo = ThreeMemories(dir);
  SearchFilter episodic;
  episodic.types = {MemoryType::kEpisodic};

  ListOptions o = With(episodic);
  o.offset = 1;
  CHECK(Ids(repo->List(o)) == Ids_{"c"});
  o.offset = 2;
  CHECK(Ids(repo->List(o)).empty());
  o.offset = 0;
  o.limit = 1;
  CHECK(Ids(repo->List(o)) == Ids_{"a"});
  o.limit = 0;
  CHECK(Ids(repo->List(o)).empty());

  // Without a filter, offset is a position among all memories.
  ListOptions all;
  all.offset = 1;
  all.limit = 1;
  CHECK(Ids(repo->List(all)) == Ids_{"b"});
}

TEST_CASE("list: the filter applies to the state read (staged changes, revisions)", "[repo][list]") {
  TempDir dir;
  auto repo = ThreeMemories(dir);
  Memory d = MakeMemory("d", "delta");
  d.type = MemoryType::kEpisodic;
  REQUIRE(repo->Put(d).ok());
  REQUIRE(repo->Delete("a").ok());

  SearchFilter episodic;
  episodic.types = {MemoryType::kEpisodic};
  CHECK(Ids(repo->List(With(episodic))) == Ids_{"c", "d"});

  ListOptions at_head = With(episodic);
  at_head.at.rev = "HEAD";
  CHECK(Ids(repo->List(at_head)) == Ids_{"a", "c"});
}

TEST_CASE("list: a bad filter is an error and changes nothing", "[repo][list]") {
  TempDir dir;
  auto repo = ThreeMemories(dir);

  SearchFilter f;
  f.metadata = {{"project", "apollo"}};  // not JSON text: strings are quoted
  auto r = repo->List(With(f));
  CHECK(r.status().IsInvalidArgument());
  CHECK(r.status().message().find("filter.metadata[0]") != std::string::npos);

  f = {};
  f.min_importance = std::numeric_limits<float>::quiet_NaN();
  r = repo->List(With(f));
  CHECK(r.status().IsInvalidArgument());
  CHECK(r.status().message().find("filter.min_importance") != std::string::npos);

  CHECK(Ids(repo->List()) == Ids_{"a", "b", "c"});
}
