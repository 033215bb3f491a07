// gitmem quickstart: an agent's memory across two sessions, a branch that tries another
// idea, the diff between the branches, the log, and a read of an earlier state.
//
//   quickstart [STORE_DIR]     (default: ./quickstart-store, recreated on each run)
#include <cstdio>
#include <filesystem>
#include <string>

#include "gitmem/gitmem.hpp"

namespace {

// Examples stop at the first error and say why.
template <typename T>
T Must(gitmem::Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "quickstart: %s: %s\n", what, r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}
void Must(const gitmem::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "quickstart: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

gitmem::Memory Note(std::string id, std::string session, gitmem::MemoryType type, std::string content,
                    std::vector<std::string> tags, float importance) {
  gitmem::Memory m;
  m.id = std::move(id);
  m.session_id = std::move(session);
  m.agent_id = "travel-agent";
  m.type = type;
  m.content = std::move(content);
  m.tags = std::move(tags);
  m.importance = importance;
  return m;
}

void Heading(const char* title) { std::printf("\n== %s ==\n", title); }

}  // namespace

int main(int argc, char** argv) {
  using gitmem::MemoryType;
  const std::string path = argc > 1 ? argv[1] : "quickstart-store";
  std::filesystem::remove_all(path);

  gitmem::RepositoryOptions options;
  options.name = "acme/travel-agent";
  options.default_author = "travel-agent";
  auto repo = Must(gitmem::Repository::Init(options, path), "init");
  std::printf("gitmem %s — repository %s in %s\n", gitmem::Version(), repo->name().c_str(), path.c_str());

  Heading("Session 1: the user plans a trip");
  for (const auto& m : {
           Note("pref-seat", "s1", MemoryType::kSemantic, "User prefers window seats on long flights", {"PREFERENCE"},
                0.7f),
           Note("pref-diet", "s1", MemoryType::kSemantic, "User is vegetarian", {"PREFERENCE", "food"}, 0.9f),
           Note("trip-lisbon", "s1", MemoryType::kEpisodic, "Booked a flight to Lisbon for 12 March", {"booking"},
                0.8f),
       }) {
    Must(repo->Put(m), "put");
    std::printf("  staged %-12s %s\n", m.id.c_str(), m.content.c_str());
  }
  gitmem::CommitOptions commit;
  commit.message = "Session 1: preferences and the Lisbon booking";
  const auto c1 = Must(repo->Commit(commit), "commit");
  std::printf("  committed %s\n", c1.short_hex().c_str());

  Heading("Session 2: plans change");
  gitmem::MemoryPatch patch;
  patch.content = "Booked a flight to Lisbon for 19 March (moved from 12 March)";
  Must(repo->Update("trip-lisbon", patch), "update");
  Must(repo->Put(Note("hotel-lisbon", "s2", MemoryType::kEpisodic, "Hotel in Alfama, 3 nights", {"booking"}, 0.6f)),
       "put");
  commit.message = "Session 2: trip moved a week, hotel booked";
  const auto c2 = Must(repo->Commit(commit), "commit");
  std::printf("  committed %s — %llu memories on main\n", c2.short_hex().c_str(),
              static_cast<unsigned long long>(Must(repo->Count(), "count")));

  Heading("Branch 'experiment': try a different plan without touching main");
  Must(repo->CreateBranch("experiment"), "branch");
  gitmem::WriteOptions on_experiment;
  on_experiment.branch = "experiment";
  patch.content = "Considering the train to Porto instead of flying";
  Must(repo->Update("trip-lisbon", patch, on_experiment), "update");
  Must(repo->Delete("hotel-lisbon", on_experiment), "delete");
  Must(repo->Put(
           Note("idea-porto", "s3", MemoryType::kProcedural, "Check rail passes before booking trains", {"idea"}, 0.4f),
           on_experiment),
       "put");
  commit.branch = "experiment";
  commit.message = "Experiment: go by train, drop the hotel";
  Must(repo->Commit(commit), "commit");
  for (const auto& b : Must(repo->ListBranches(), "branches"))
    std::printf("  %c %-11s %s\n", b.is_current ? '*' : ' ', b.name.c_str(), b.head.short_hex().c_str());

  Heading("Diff main..experiment");
  const auto diff = Must(repo->DiffRevs({"main"}, {"experiment"}), "diff");
  for (const auto& e : diff.entries) {
    switch (e.kind) {
      case gitmem::DiffEntry::Kind::kAdded:
        std::printf("  + %-12s %s\n", e.id.c_str(), e.new_memory->content.c_str());
        break;
      case gitmem::DiffEntry::Kind::kRemoved:
        std::printf("  - %-12s %s\n", e.id.c_str(), e.old_memory->content.c_str());
        break;
      case gitmem::DiffEntry::Kind::kModified:
        std::printf("  ~ %-12s %s\n  %14s -> %s\n", e.id.c_str(), e.old_memory->content.c_str(), "",
                    e.new_memory->content.c_str());
        break;
    }
  }
  std::printf("  %zu added, %zu modified, %zu removed\n", diff.added(), diff.modified(), diff.removed());

  Heading("Log of experiment");
  gitmem::LogOptions log;
  log.rev = "experiment";
  for (const auto& c : Must(repo->Log(log), "log"))
    std::printf("  %s  %s  (+%llu ~%llu -%llu)\n", c.id.short_hex().c_str(), c.message.c_str(),
                static_cast<unsigned long long>(c.added), static_cast<unsigned long long>(c.modified),
                static_cast<unsigned long long>(c.removed));

  Heading("History of trip-lisbon on experiment");
  for (const auto& v : Must(repo->History("trip-lisbon", "experiment"), "history"))
    std::printf("  %s  %s\n", v.commit.id.short_hex().c_str(), v.memory ? v.memory->content.c_str() : "(deleted)");

  Heading("Time travel: main as it was after session 1");
  gitmem::ReadOptions then;
  then.rev = c1.hex();
  std::printf("  trip-lisbon then: %s\n", Must(repo->Get("trip-lisbon", then), "get").content.c_str());
  std::printf("  trip-lisbon now:  %s\n", Must(repo->Get("trip-lisbon"), "get").content.c_str());
  std::printf("  memories then: %llu, now: %llu\n", static_cast<unsigned long long>(Must(repo->Count(then), "count")),
              static_cast<unsigned long long>(Must(repo->Count(), "count")));

  Heading("Session s1, in time order");
  for (const auto& m : Must(repo->Session("s1"), "session")) std::printf("  %s  %s\n", m.id.c_str(), m.content.c_str());

  const auto fsck = Must(repo->Fsck(), "fsck");
  std::printf("\nfsck: %llu objects checked, %s\n", static_cast<unsigned long long>(fsck.objects_checked),
              fsck.ok() ? "store is consistent" : "PROBLEMS FOUND");
  return fsck.ok() ? 0 : 1;
}
