// Reciprocal rank fusion.
#include <catch2/catch.hpp>

#include <vector>

#include "search/fusion.h"

using namespace gitmem::search;

TEST_CASE("RRF sums 1/(k+rank) with weights", "[search][fusion]") {
  std::vector<std::vector<uint64_t>> lists = {{1, 2, 3}, {3, 1, 4}};
  auto r = FuseRrf(lists);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].doc == 1);  // 1/61 + 1/62
  CHECK((*r)[0].score == Approx(1.0 / 61 + 1.0 / 62));
  CHECK((*r)[1].doc == 3);  // 1/63 + 1/61
  CHECK((*r)[2].doc == 2);  // 1/62
  CHECK((*r)[3].doc == 4);  // 1/63

  RrfOptions o;
  o.weights = {0.0, 1.0};
  o.limit = 2;
  auto w = FuseRrf(lists, o);
  REQUIRE(w.ok());
  REQUIRE(w->size() == 2);
  CHECK((*w)[0].doc == 3);
  CHECK((*w)[1].doc == 1);
}

TEST_CASE("RRF breaks ties by best rank, then doc number", "[search][fusion]") {
  // 7 and 5 both score 1/61 + 1/62; 9 and 2 both 1/63.
  std::vector<std::vector<uint64_t>> lists = {{7, 5, 9}, {5, 7, 2}};
  auto r = FuseRrf(lists);
  REQUIRE(r.ok());
  std::vector<uint64_t> order;
  for (const auto& h : *r) order.push_back(h.doc);
  CHECK(order == std::vector<uint64_t>{5, 7, 2, 9});
  // Repeats within a list count once, at the first rank.
  std::vector<std::vector<uint64_t>> rep = {{1, 1, 2}};
  auto rr = FuseRrf(rep);
  REQUIRE(rr.ok());
  CHECK((*rr)[0].score == Approx(1.0 / 61));
  CHECK((*rr)[1].score == Approx(1.0 / 63));
}

TEST_CASE("RRF rejects bad options", "[search][fusion]") {
  std::vector<std::vector<uint64_t>> lists = {{1}, {2}};
  RrfOptions o;
  o.k = 0;
  CHECK(FuseRrf(lists, o).status().IsInvalidArgument());
  o = {};
  o.weights = {1.0};
  CHECK(FuseRrf(lists, o).status().IsInvalidArgument());
  o.weights = {1.0, -1.0};
  CHECK(FuseRrf(lists, o).status().IsInvalidArgument());
  CHECK(FuseRrf({}).ok());
}
