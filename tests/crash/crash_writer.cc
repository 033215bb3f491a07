// The crash test's child: writes to a store forever, printing each acknowledgement
// ("staged <id>" after a Put returns, "commit <hex>" after a Commit returns) until the
// parent kills it with SIGKILL. With a third argument "bulk" it writes 70,000 records per
// PutMany (a bulk write, ingested as table files) and acknowledges each round with
// "bulk <first id> <last id>".
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gitmem/gitmem.hpp"

namespace {

// Exits on failure: the parent only ever sees acknowledgements of what succeeded.
template <typename T>
T MustOk(gitmem::Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void Acknowledge(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

void CommitRound(gitmem::Repository& repo, const std::string& message) {
  gitmem::CommitOptions co;
  co.message = message;
  Acknowledge("commit " + MustOk(repo.Commit(co)).hex());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s STORE SEED [bulk]\n", argv[0]);
    return 2;
  }
  const std::string seed = argv[2];
  const bool bulk = argc == 4 && std::string(argv[3]) == "bulk";
  gitmem::RepositoryOptions options;
  auto opened = gitmem::Repository::Open(options, argv[1]);
  if (!opened.ok()) opened = gitmem::Repository::Init(options, argv[1]);
  auto repo = MustOk(std::move(opened));
  std::mt19937 rng(static_cast<unsigned>(std::stoul(seed)));
  for (uint64_t n = 0; bulk; ++n) {
    std::vector<gitmem::Memory> batch(70000);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].id = "b-" + seed + "-" + std::to_string(n) + "-" + std::to_string(i);
      batch[i].content = "bulk memory " + batch[i].id + " " + std::string(260, 'x');
      batch[i].session_id = "bulk-" + std::to_string(n);
    }
    MustOk(repo->PutMany(batch));
    Acknowledge("bulk " + batch.front().id + " " + batch.back().id);
    CommitRound(*repo, "bulk round " + std::to_string(n));
  }
  for (uint64_t n = 0;; ++n) {
    const int puts = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < puts; ++i) {
      gitmem::Memory m;
      m.id = "m-" + seed + "-" + std::to_string(n) + "-" + std::to_string(i);
      m.content = "memory written before a crash, round " + std::to_string(n) + " item " + std::to_string(i);
      m.session_id = "crash";
      MustOk(repo->Put(m));
      Acknowledge("staged " + m.id);
    }
    CommitRound(*repo, "round " + std::to_string(n));
  }
}
