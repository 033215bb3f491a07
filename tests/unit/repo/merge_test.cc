// Merge: fast-forward, clean three-way, every conflict kind under every strategy,
// criss-cross merges, cherry-pick, revert, bad input.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustSearch;
using gitmem::testing::TempDir;

namespace {

struct Change {
  std::string id;
  std::optional<std::string> content;  // nullopt = delete
  float importance = 0.5f;
  int64_t timestamp_us = 0;
};

// Stages the changes on `branch` and commits them.
ObjectId Write(Repository& repo, const std::string& branch, std::vector<Change> changes,
               std::string message = "change") {
  WriteOptions wo;
  wo.branch = branch;
  for (auto& c : changes) {
    if (c.content) {
      Memory m = MakeMemory(c.id, *c.content);
      m.importance = c.importance;
      m.timestamp_us = c.timestamp_us;
      auto r = repo.Put(m, wo);
      INFO(r.status().ToString());
      REQUIRE(r.ok());
    } else {
      auto s = repo.Delete(c.id, wo);
      INFO(s.ToString());
      REQUIRE(s.ok());
    }
  }
  CommitOptions co;
  co.branch = branch;
  co.message = std::move(message);
  auto r = repo.Commit(co);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

std::map<std::string, std::string> Contents(Repository& repo, const std::string& rev) {
  std::map<std::string, std::string> out;
  ListOptions lo;
  lo.at.rev = rev;
  auto all = repo.List(lo);
  REQUIRE(all.ok());
  for (auto& m : *all) out[m.id] = m.content;
  return out;
}

MergeOptions Into(std::string branch, MergeStrategy s = MergeStrategy::kFail) {
  MergeOptions o;
  o.into = std::move(branch);
  o.strategy = s;
  return o;
}

std::unique_ptr<Repository> NewRepo(const TempDir& dir) {
  auto r = Repository::Init({}, dir.path());
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("merge fast-forwards, reports up to date, or writes a merge commit on request", "[merge]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  const ObjectId c1 = Write(*repo, "main", {{"a", "one"}});
  REQUIRE(repo->CreateBranch("feature").ok());
  const ObjectId c2 = Write(*repo, "feature", {{"b", "two"}});

  auto ff = repo->Merge("feature", Into("main"));
  REQUIRE(ff.ok());
  CHECK(ff->fast_forward);
  CHECK(ff->commit == c2);
  CHECK(repo->Resolve("main").value() == c2);

  auto again = repo->Merge("feature", Into("main"));
  REQUIRE(again.ok());
  CHECK(again->up_to_date);
  CHECK(again->commit.is_zero());

  // Merging an ancestor is up to date too.
  auto old = repo->Merge(c1.hex(), Into("main"));
  REQUIRE(old.ok());
  CHECK(old->up_to_date);

  // --no-ff: a merge commit with two parents even though a fast-forward was possible.
  REQUIRE(repo->CreateBranch("f2").ok());
  const ObjectId c3 = Write(*repo, "f2", {{"c", "three"}});
  MergeOptions no_ff = Into("main");
  no_ff.allow_fast_forward = false;
  auto m = repo->Merge("f2", no_ff);
  REQUIRE(m.ok());
  CHECK_FALSE(m->fast_forward);
  auto head = repo->Show("main");
  REQUIRE(head->parents.size() == 2);
  CHECK(head->parents[0] == c2);
  CHECK(head->parents[1] == c3);
  CHECK(Contents(*repo, "main").size() == 3);
}

TEST_CASE("clean three-way merge takes both sides' changes; log and diff handle it", "[merge]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  const ObjectId base = Write(*repo, "main", {{"a", "a0"}, {"b", "b0"}, {"c", "c0"}, {"d", "d0"}});
  REQUIRE(repo->CreateBranch("feature").ok());
  const ObjectId ours = Write(*repo, "main", {{"a", "a-main"}, {"d", std::nullopt}, {"m", "new on main"}});
  const ObjectId theirs = Write(*repo, "feature", {{"b", "b-feature"}, {"c", std::nullopt}, {"f", "new on feature"}});
  // The same change on both sides is not a conflict.
  const ObjectId ours2 = Write(*repo, "main", {{"same", "identical", 0.5f, 7000}});
  const ObjectId theirs2 = Write(*repo, "feature", {{"same", "identical", 0.5f, 7000}});

  auto bases = repo->MergeBases("main", "feature");
  REQUIRE(bases.ok());
  REQUIRE(bases->size() == 1);
  CHECK((*bases)[0] == base);

  auto r = repo->Merge("feature", Into("main"));
  REQUIRE(r.ok());
  CHECK_FALSE(r->fast_forward);
  CHECK(r->conflicts.empty());
  REQUIRE_FALSE(r->commit.is_zero());
  auto want = std::map<std::string, std::string>{
      {"a", "a-main"}, {"b", "b-feature"}, {"f", "new on feature"}, {"m", "new on main"}, {"same", "identical"}};
  CHECK(Contents(*repo, "main") == want);
  CHECK(repo->Count({"main"}).value() == want.size());

  auto c = repo->Show("main");
  REQUIRE(c->parents.size() == 2);
  CHECK(c->parents[0] == ours2);
  CHECK(c->parents[1] == theirs2);
  CHECK(c->generation == 4);  // base 1, main 2-3, feature 2-3, merge 4

  // First-parent log: merge, ours2, ours, base. Full DAG: all six.
  LogOptions lo;
  lo.rev = "main";
  CHECK(repo->Log(lo)->size() == 4);
  lo.first_parent = false;
  auto dag = repo->Log(lo);
  REQUIRE(dag->size() == 6);
  std::set<ObjectId> ids;
  for (auto& ci : *dag) ids.insert(ci.id);
  CHECK(ids.count(theirs));
  CHECK(ids.count(ours));

  // The merge's diff against its first parent is feature's side of the change.
  auto d = repo->DiffRevs({"main~1"}, {"main"});
  REQUIRE(d.ok());
  CHECK(d->added() == 1);
  CHECK(d->modified() == 1);
  CHECK(d->removed() == 1);
  CHECK(c->added == 1);
  CHECK(c->modified == 1);
  CHECK(c->removed == 1);

  auto fsck = repo->FsckAll();
  REQUIRE(fsck.ok());
  CHECK(fsck->ok());
}

namespace {

// main and feature change the same memories in every conflicting way:
//   both: modified differently on both sides          (kBothModified)
//   added: added with different content on both sides (kBothModified, no base)
//   md: modified on main, deleted on feature          (kModifiedDeleted)
//   dm: deleted on main, modified on feature          (kDeletedModified)
//   clean: only feature changed it
struct ConflictFixture {
  TempDir dir;
  std::unique_ptr<Repository> repo;
  ObjectId main_head, feature_head;
  ConflictFixture() {
    repo = NewRepo(dir);
    Write(*repo, "main",
          {{"both", "base", 0.5f, 1000},
           {"md", "base", 0.5f, 1000},
           {"dm", "base", 0.5f, 1000},
           {"clean", "base", 0.5f, 1000}});
    REQUIRE(repo->CreateBranch("feature").ok());
    main_head = Write(*repo, "main",
                      {{"both", "main", 0.9f, 3000},
                       {"added", "main", 0.1f, 1000},
                       {"md", "main", 0.2f, 2000},
                       {"dm", std::nullopt}});
    feature_head = Write(*repo, "feature",
                         {{"both", "feature", 0.3f, 2000},
                          {"added", "feature", 0.8f, 5000},
                          {"md", std::nullopt},
                          {"dm", "feature", 0.1f, 2000},
                          {"clean", "feature"}});
  }
};

}  // namespace

TEST_CASE("fail reports every conflict kind with base, ours and theirs, and changes nothing", "[merge]") {
  ConflictFixture f;
  auto before = Contents(*f.repo, "main");
  auto r = f.repo->Merge("feature", Into("main"));
  REQUIRE(r.ok());
  CHECK(r->has_conflicts());
  CHECK(r->commit.is_zero());
  REQUIRE(r->conflicts.size() == 4);
  std::map<std::string, const MergeConflict*> by_id;
  for (auto& c : r->conflicts) by_id[c.id] = &c;
  REQUIRE(by_id.count("both"));
  CHECK(by_id["both"]->kind == MergeConflict::Kind::kBothModified);
  CHECK(by_id["both"]->base->content == "base");
  CHECK(by_id["both"]->ours->content == "main");
  CHECK(by_id["both"]->theirs->content == "feature");
  CHECK(by_id["added"]->kind == MergeConflict::Kind::kBothModified);
  CHECK_FALSE(by_id["added"]->base);
  CHECK(by_id["md"]->kind == MergeConflict::Kind::kModifiedDeleted);
  CHECK_FALSE(by_id["md"]->theirs);
  CHECK(by_id["md"]->ours->content == "main");
  CHECK(by_id["dm"]->kind == MergeConflict::Kind::kDeletedModified);
  CHECK_FALSE(by_id["dm"]->ours);
  CHECK(ToString(by_id["dm"]->kind) == "deleted_modified");
  CHECK(f.repo->Resolve("main").value() == f.main_head);
  CHECK(Contents(*f.repo, "main") == before);

  // Resolve, then commit: the same merge with explicit resolutions.
  MergeOptions o = Into("main");
  o.resolutions["both"] = MakeMemory("both", "resolved by hand");
  o.resolutions["added"] = *by_id["added"]->theirs;
  o.resolutions["md"] = std::nullopt;  // accept the deletion
  o.resolutions["dm"] = *by_id["dm"]->theirs;
  auto done = f.repo->Merge("feature", o);
  REQUIRE(done.ok());
  CHECK_FALSE(done->has_conflicts());
  REQUIRE_FALSE(done->commit.is_zero());
  auto want = std::map<std::string, std::string>{
      {"both", "resolved by hand"}, {"added", "feature"}, {"dm", "feature"}, {"clean", "feature"}};
  CHECK(Contents(*f.repo, "main") == want);
  CHECK(f.repo->Show("main")->parents.size() == 2);
}

TEST_CASE("strategies settle every conflict kind", "[merge]") {
  struct Case {
    MergeStrategy strategy;
    std::map<std::string, std::string> want;
  };
  // clean is always "feature". See ConflictFixture for the values.
  const std::vector<Case> cases = {
      {MergeStrategy::kOurs, {{"both", "main"}, {"added", "main"}, {"md", "main"}, {"clean", "feature"}}},
      {MergeStrategy::kTheirs, {{"both", "feature"}, {"added", "feature"}, {"dm", "feature"}, {"clean", "feature"}}},
      // newest: both main@3000 > feature@2000; added feature@5000; md main@2000 vs the
      // deleting side's head commit time (now) -> deleted; dm feature@2000 vs main's head
      // commit time (now) -> stays deleted.
      {MergeStrategy::kNewest, {{"both", "main"}, {"added", "feature"}, {"clean", "feature"}}},
      // most_important: both 0.9 main; added 0.8 feature; a deletion never beats a memory.
      {MergeStrategy::kMostImportant,
       {{"both", "main"}, {"added", "feature"}, {"md", "main"}, {"dm", "feature"}, {"clean", "feature"}}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION("strategy " << ToString(c.strategy)) {
      ConflictFixture f;
      auto r = f.repo->Merge("feature", Into("main", c.strategy));
      REQUIRE(r.ok());
      CHECK_FALSE(r->has_conflicts());
      CHECK(r->conflicts.size() == 4);  // reported as settled
      REQUIRE_FALSE(r->commit.is_zero());
      CHECK(Contents(*f.repo, "main") == c.want);
      auto head = f.repo->Show("main");
      CHECK(head->parents == std::vector<ObjectId>{f.main_head, f.feature_head});
    }
  }
}

TEST_CASE("a caller's callback settles conflicts; its errors abort the merge", "[merge]") {
  ConflictFixture f;
  MergeOptions o = Into("main", MergeStrategy::kCallback);
  int calls = 0;
  o.resolver = [&](const MergeConflict& c) -> Result<std::optional<Memory>> {
    ++calls;
    if (c.kind == MergeConflict::Kind::kBothModified) {
      Memory m = *c.ours;
      m.content = c.ours->content + "+" + c.theirs->content;
      return std::optional<Memory>(m);
    }
    return std::optional<Memory>();  // delete the rest
  };
  auto r = f.repo->Merge("feature", o);
  REQUIRE(r.ok());
  CHECK(calls == 4);
  CHECK(Contents(*f.repo, "main") ==
        std::map<std::string, std::string>{{"both", "main+feature"}, {"added", "main+feature"}, {"clean", "feature"}});

  ConflictFixture g;
  MergeOptions bad = Into("main", MergeStrategy::kCallback);
  bad.resolver = [](const MergeConflict&) -> Result<std::optional<Memory>> {
    return Status::InvalidArgument("no idea");
  };
  auto e = g.repo->Merge("feature", bad);
  CHECK(e.status().IsInvalidArgument());
  CHECK(e.status().message().find("no idea") != std::string::npos);
  CHECK(g.repo->Resolve("main").value() == g.main_head);

  MergeOptions wrong_id = Into("main", MergeStrategy::kCallback);
  wrong_id.resolver = [](const MergeConflict&) -> Result<std::optional<Memory>> {
    return std::optional<Memory>(MakeMemory("other", "x"));
  };
  auto w = g.repo->Merge("feature", wrong_id);
  CHECK(w.status().IsInvalidArgument());
  CHECK(g.repo->Resolve("main").value() == g.main_head);
}

TEST_CASE("criss-cross merges have two merge bases and merge against a virtual base", "[merge]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  Write(*repo, "main", {{"x", "x0"}, {"y", "y0"}, {"k", "k0"}, {"z", "z0"}, {"w", "w0"}});
  REQUIRE(repo->CreateBranch("other").ok());
  const ObjectId a1 = Write(*repo, "main", {{"x", "x-main"}, {"k", "k-main"}});
  const ObjectId b1 = Write(*repo, "other", {{"y", "y-other"}, {"k", "k-other"}});
  // Cross the merges: main takes b1 (keeping its k), other takes a1 (keeping its k).
  auto m1 = repo->Merge(b1.hex(), Into("main", MergeStrategy::kOurs));
  REQUIRE(m1.ok());
  auto m2 = repo->Merge(a1.hex(), Into("other", MergeStrategy::kOurs));
  REQUIRE(m2.ok());
  REQUIRE_FALSE(m1->commit.is_zero());
  REQUIRE_FALSE(m2->commit.is_zero());

  auto bases = repo->MergeBases("main", "other");
  REQUIRE(bases.ok());
  REQUIRE(bases->size() == 2);
  CHECK(std::set<ObjectId>(bases->begin(), bases->end()) == std::set<ObjectId>{a1, b1});

  Write(*repo, "main", {{"z", "z-main"}});
  Write(*repo, "other", {{"w", "w-other"}});
  // The bases disagree about k; the sides still hold their own k: a conflict, with the
  // base marked ambiguous. Everything else merges cleanly.
  auto r = repo->Merge("other", Into("main"));
  REQUIRE(r.ok());
  CHECK(r->merge_bases.size() == 2);
  REQUIRE(r->conflicts.size() == 1);
  CHECK(r->conflicts[0].id == "k");
  CHECK(r->conflicts[0].base_ambiguous);
  CHECK_FALSE(r->conflicts[0].base);
  CHECK(r->conflicts[0].ours->content == "k-main");
  CHECK(r->conflicts[0].theirs->content == "k-other");

  auto done = repo->Merge("other", Into("main", MergeStrategy::kTheirs));
  REQUIRE(done.ok());
  REQUIRE_FALSE(done->commit.is_zero());
  auto want = std::map<std::string, std::string>{
      {"x", "x-main"}, {"y", "y-other"}, {"k", "k-other"}, {"z", "z-main"}, {"w", "w-other"}};
  CHECK(Contents(*repo, "main") == want);
  CHECK(repo->FsckAll()->ok());
}

TEST_CASE("cherry-pick applies one commit's change; revert undoes it", "[merge]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  Write(*repo, "main", {{"a", "a0"}, {"b", "b0"}, {"c", "c0"}});
  REQUIRE(repo->CreateBranch("feature").ok());
  Write(*repo, "feature", {{"unrelated", "not picked"}});
  const ObjectId pick = Write(*repo, "feature", {{"a", "a-picked"}, {"new", "n"}, {"c", std::nullopt}}, "the fix");
  const ObjectId main_before = Write(*repo, "main", {{"b", "b-main"}});

  auto r = repo->CherryPick(pick.hex(), Into("main"));
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->commit.is_zero());
  CHECK(Contents(*repo, "main") ==
        std::map<std::string, std::string>{{"a", "a-picked"}, {"b", "b-main"}, {"new", "n"}});
  auto c = repo->Show("main");
  CHECK(c->parents == std::vector<ObjectId>{main_before});
  CHECK(c->message.find("the fix") != std::string::npos);

  // Picking it again changes nothing.
  auto again = repo->CherryPick(pick.hex(), Into("main"));
  REQUIRE(again.ok());
  CHECK(again->up_to_date);

  // Revert on main: back to the state before the pick.
  auto rv = repo->Revert("main", Into("main"));
  REQUIRE(rv.ok());
  REQUIRE_FALSE(rv->commit.is_zero());
  CHECK(Contents(*repo, "main") == std::map<std::string, std::string>{{"a", "a0"}, {"b", "b-main"}, {"c", "c0"}});
  CHECK(repo->Show("main")->message.starts_with("Revert"));

  // A conflicting pick: main changed "a" differently since.
  Write(*repo, "main", {{"a", "a-main"}});
  const ObjectId head = repo->Resolve("main").value();
  auto conflict = repo->CherryPick(pick.hex(), Into("main"));
  REQUIRE(conflict.ok());
  REQUIRE(conflict->has_conflicts());
  CHECK(conflict->conflicts[0].id == "a");
  CHECK(conflict->conflicts[0].base->content == "a0");
  CHECK(repo->Resolve("main").value() == head);
  auto theirs = repo->CherryPick(pick.hex(), Into("main", MergeStrategy::kTheirs));
  REQUIRE(theirs.ok());
  CHECK(repo->Get("a")->content == "a-picked");

  // Reverting with a conflict: revert the pick while main changed "new" since.
  Write(*repo, "main", {{"new", "n-changed"}});
  auto rc = repo->Revert(pick.hex(), Into("main"));
  REQUIRE(rc.ok());
  REQUIRE(rc->has_conflicts());
  CHECK(rc->conflicts[0].id == "new");
  CHECK(rc->conflicts[0].kind == MergeConflict::Kind::kModifiedDeleted);
}

TEST_CASE("merge bad input: clear errors, nothing changed", "[merge]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  Write(*repo, "main", {{"a", "a0"}});
  REQUIRE(repo->CreateBranch("feature").ok());
  Write(*repo, "feature", {{"b", "b0"}});
  Write(*repo, "main", {{"c", "c0"}});
  const ObjectId head = repo->Resolve("main").value();

  auto unknown = repo->Merge("no-such-branch", Into("main"));
  CHECK(unknown.status().IsNotFound());
  CHECK(unknown.status().message().find("no-such-branch") != std::string::npos);
  CHECK(repo->Merge("feature", Into("no-such-target")).status().IsNotFound());
  CHECK(repo->Merge("", Into("main")).status().IsInvalidArgument());

  auto bad = repo->Merge("feature", Into("main", static_cast<MergeStrategy>(42)));
  CHECK(bad.status().IsInvalidArgument());
  CHECK(bad.status().message().find("strategy") != std::string::npos);
  auto no_cb = repo->Merge("feature", Into("main", MergeStrategy::kCallback));
  CHECK(no_cb.status().IsInvalidArgument());
  CHECK(no_cb.status().message().find("resolver") != std::string::npos);
  auto parsed = ParseMergeStrategy("sometimes");
  CHECK(parsed.status().IsInvalidArgument());
  CHECK(parsed.status().message().find("strategy") != std::string::npos);
  CHECK(ParseMergeStrategy("most_important").value() == MergeStrategy::kMostImportant);

  MergeOptions stray = Into("main");
  stray.resolutions["a"] = std::nullopt;  // not a conflict
  auto s = repo->Merge("feature", stray);
  CHECK(s.status().IsInvalidArgument());
  CHECK(s.status().message().find("'a'") != std::string::npos);
  CHECK(repo->CherryPick("deadbeef", Into("main")).status().IsNotFound());
  CHECK(repo->Revert("nope~3", Into("main")).status().IsNotFound());

  CHECK(repo->Resolve("main").value() == head);
  CHECK(repo->Resolve("feature").value() != head);
}

TEST_CASE("a merge keeps the target's staged changes staged", "[merge]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  Write(*repo, "main", {{"a", "a0"}});
  REQUIRE(repo->CreateBranch("feature").ok());
  Write(*repo, "feature", {{"b", "b0"}});
  Write(*repo, "main", {{"c", "c0"}});
  WriteOptions wo;
  wo.branch = "main";
  REQUIRE(repo->Put(MakeMemory("staged", "waiting"), wo).ok());
  auto r = repo->Merge("feature", Into("main"));
  REQUIRE(r.ok());
  CHECK(repo->Staged("main")->size() == 1);
  CHECK(repo->Get("staged", {"main"})->content == "waiting");
  CHECK(repo->Get("b", {"main"})->content == "b0");
}

namespace {

// The ids a search of `rev` returns (k = 50: more than the repository holds).
std::set<std::string> Found(Repository& repo, const std::string& rev, const std::string& query,
                            SearchMode mode = SearchMode::kKeyword) {
  SearchOptions o;
  o.query = query;
  o.mode = mode;
  o.k = 50;
  o.at.rev = rev;
  std::set<std::string> ids;
  for (const auto& h : MustSearch(repo, o)) ids.insert(h.id);
  return ids;
}

// Every hit of every mode is a memory of `rev`'s state, and each word's keyword hits are
// exactly the memories of that state whose content holds it.
void CheckSearchMatchesState(Repository& repo, const std::string& rev, const std::vector<std::string>& words) {
  const auto contents = Contents(repo, rev);
  for (const std::string& w : words) {
    INFO(rev << ": '" << w << "'");
    std::set<std::string> expected;
    for (const auto& [id, text] : contents)
      if (text.find(w) != std::string::npos) expected.insert(id);
    CHECK(Found(repo, rev, w) == expected);
    for (SearchMode mode : {SearchMode::kVector, SearchMode::kHybrid})
      for (const std::string& id : Found(repo, rev, w, mode)) CHECK(contents.count(id) == 1);
  }
}

}  // namespace

TEST_CASE("search is right on the target branch after merge, cherry-pick and revert", "[merge][search]") {
  TempDir dir;
  auto repo = NewRepo(dir);
  const std::vector<std::string> words = {"apple",       "bread",      "mango", "cherry",
                                          "dragonfruit", "elderberry", "fig",   "grape"};
  Write(*repo, "main",
        {{"a", "apple orchard harvest"}, {"b", "banana bread recipe"}, {"c", "cherry blossom festival"}});
  REQUIRE(repo->CreateBranch("feature").ok());
  CheckSearchMatchesState(*repo, "main", words);  // main's index exists before the merge
  Write(*repo, "feature", {{"b", "banana smoothie with mango"}, {"d", "dragonfruit salad"}, {"c", std::nullopt}});
  Write(*repo, "main", {{"e", "elderberry syrup"}});
  CheckSearchMatchesState(*repo, "main", words);

  SECTION("three-way merge") {
    auto r = repo->Merge("feature", Into("main"));
    REQUIRE(r.ok());
    REQUIRE_FALSE(r->commit.is_zero());
    CHECK(Found(*repo, "main", "mango") == std::set<std::string>{"b"});
    CHECK(Found(*repo, "main", "cherry").empty());
    SearchOptions nearest;
    nearest.query = "dragonfruit salad";
    nearest.mode = SearchMode::kVector;
    nearest.k = 1;
    nearest.at.rev = "main";
    auto top = repo->Search(nearest);
    REQUIRE(top.ok());
    REQUIRE(top->size() == 1);
    CHECK(top->front().id == "d");
    CheckSearchMatchesState(*repo, "main", words);
    CheckSearchMatchesState(*repo, "feature", words);
  }
  SECTION("fast-forward") {
    REQUIRE(repo->CreateBranch("ff", "main").ok());
    Write(*repo, "ff", {{"g", "grape juice"}, {"a", std::nullopt}});
    auto r = repo->Merge("ff", Into("main"));
    REQUIRE(r.ok());
    CHECK(Found(*repo, "main", "grape") == std::set<std::string>{"g"});
    CHECK(Found(*repo, "main", "apple").empty());
    CheckSearchMatchesState(*repo, "main", words);
  }
  SECTION("cherry-pick, then revert") {
    const ObjectId fig = Write(*repo, "feature", {{"f", "fig jam"}, {"a", "apple pie with fig"}});
    auto picked = repo->CherryPick(fig.hex(), Into("main"));
    REQUIRE(picked.ok());
    CHECK(Found(*repo, "main", "fig") == (std::set<std::string>{"a", "f"}));
    CheckSearchMatchesState(*repo, "main", words);
    REQUIRE_FALSE(picked->commit.is_zero());
    auto reverted = repo->Revert(picked->commit.hex(), Into("main"));
    REQUIRE(reverted.ok());
    CHECK(Found(*repo, "main", "fig").empty());
    CHECK(Found(*repo, "main", "apple") == std::set<std::string>{"a"});
    CheckSearchMatchesState(*repo, "main", words);
  }
}
