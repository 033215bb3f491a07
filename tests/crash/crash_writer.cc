// The crash test's child: writes to a store forever, printing each acknowledgement
// ("staged <id>" after a Put returns, "commit <hex>" after a Commit returns) until the
// parent kills it with SIGKILL. With a third argument "bulk" it writes 70,000 records per
// PutMany (a bulk write, ingested as table files) and acknowledges each round with
// "bulk <first id> <last id>".
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gitmem/gitmem.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s STORE SEED [bulk]\n", argv[0]);
    return 2;
  }
  const bool bulk = argc == 4 && std::string(argv[3]) == "bulk";
  gitmem::RepositoryOptions options;
  auto repo = gitmem::Repository::Open(options, argv[1]);
  if (!repo.ok()) repo = gitmem::Repository::Init(options, argv[1]);
  if (!repo.ok()) {
    std::fprintf(stderr, "%s\n", repo.status().ToString().c_str());
    return 1;
  }
  std::mt19937 rng(static_cast<unsigned>(std::stoul(argv[2])));
  for (uint64_t n = 0; bulk; ++n) {
    std::vector<gitmem::Memory> batch(70000);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].id = "b-" + std::string(argv[2]) + "-" + std::to_string(n) + "-" + std::to_string(i);
      batch[i].content = "bulk memory " + batch[i].id + " " + std::string(260, 'x');
      batch[i].session_id = "bulk-" + std::to_string(n);
    }
    auto r = (*repo)->PutMany(batch);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    std::printf("bulk %s %s\n", batch.front().id.c_str(), batch.back().id.c_str());
    std::fflush(stdout);
    gitmem::CommitOptions co;
    co.message = "bulk round " + std::to_string(n);
    auto c = (*repo)->Commit(co);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      return 1;
    }
    std::printf("commit %s\n", c->hex().c_str());
    std::fflush(stdout);
  }
  for (uint64_t n = 0;; ++n) {
    const int puts = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < puts; ++i) {
      gitmem::Memory m;
      m.id = "m-" + std::string(argv[2]) + "-" + std::to_string(n) + "-" + std::to_string(i);
      m.content = "memory written before a crash, round " + std::to_string(n) + " item " + std::to_string(i);
      m.session_id = "crash";
      auto r = (*repo)->Put(m);
      if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
        return 1;
      }
      std::printf("staged %s\n", m.id.c_str());
      std::fflush(stdout);
    }
    gitmem::CommitOptions co;
    co.message = "round " + std::to_string(n);
    auto c = (*repo)->Commit(co);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      return 1;
    }
    std::printf("commit %s\n", c->hex().c_str());
    std::fflush(stdout);
  }
}
