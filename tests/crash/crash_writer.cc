// The crash test's child: writes to a store forever, printing each acknowledgement
// ("staged <id>" after a Put returns, "commit <hex>" after a Commit returns) until the
// parent kills it with SIGKILL. With a third argument "bulk" it writes 70,000 records per
// PutMany (a bulk write, ingested as table files) and acknowledges each round with
// "bulk <first id> <last id>". With "index" it imports kIndexed memories in one commit,
// prints "indexing <vectors awaiting their graph>" while the background worker builds the
// search index's graphs, and waits to be killed.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "../unit/repo/indexed_corpus.h"
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
    std::fprintf(stderr, "usage: %s STORE SEED [bulk|index]\n", argv[0]);
    return 2;
  }
  const std::string seed = argv[2];
  const std::string mode = argc == 4 ? argv[3] : "";
  const bool bulk = mode == "bulk";
  gitmem::RepositoryOptions options;
  if (mode == "index") {
    options.embedding_dimension = 32;
    options.search.flat_max = 500;
    options.search.delta_max = 512;
  }
  auto opened = gitmem::Repository::Open(options, argv[1]);
  if (!opened.ok()) opened = gitmem::Repository::Init(options, argv[1]);
  auto repo = MustOk(std::move(opened));
  std::mt19937 rng(static_cast<unsigned>(std::stoul(seed)));
  if (mode == "index") {
    std::vector<gitmem::Memory> batch(gitmem::testing::kIndexed);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].id = "i-" + std::to_string(i);
      batch[i].content = gitmem::testing::IndexedText(i);
    }
    MustOk(repo->PutMany(batch));
    CommitRound(*repo, "import");
    const auto info = MustOk(repo->IndexInfo());
    Acknowledge("indexing " + std::to_string(info.vectors_awaiting_graph));
    for (;;) pause();
  }
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
