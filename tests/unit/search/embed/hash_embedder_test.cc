// The default (hashing) embedder.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/embedder.hpp"

using gitmem::DefaultEmbedderOptions;
using gitmem::Embedder;

namespace {

std::unique_ptr<Embedder> Make(DefaultEmbedderOptions o = {}) {
  auto r = gitmem::NewDefaultEmbedder(o);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::vector<float> Embed(const Embedder& e, std::string_view text) {
  std::vector<float> v(e.dimension());
  std::string_view texts[] = {text};
  REQUIRE(e.Embed(texts, v).ok());
  return v;
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

}  // namespace

TEST_CASE("default embedder: dimension, id, unit norm", "[embed]") {
  auto e = Make();
  CHECK(e->dimension() == 384);
  CHECK(e->id().rfind("gitmem-hash-v1;d=384", 0) == 0);
  for (const char* t : {"Caroline went to the LGBTQ support group yesterday.", "x", "", "!!!", "the of and",
                        "Ωραία μέρα σήμερα", "東京タワー"}) {
    const auto v = Embed(*e, t);
    REQUIRE(v.size() == 384);
    CHECK(Dot(v, v) == Approx(1.0).epsilon(1e-5));
    for (float x : v) CHECK(std::isfinite(x));
  }
  DefaultEmbedderOptions o;
  o.dimension = 64;
  auto small = Make(o);
  CHECK(small->dimension() == 64);
  CHECK(Embed(*small, "hello world").size() == 64);
  CHECK(small->id() != e->id());
}

TEST_CASE("default embedder is deterministic and case-insensitive", "[embed]") {
  auto a = Make();
  auto b = Make();
  CHECK(a->id() == b->id());
  const char* text = "Melanie painted a sunrise over the lake last summer";
  CHECK(Embed(*a, text) == Embed(*b, text));
  CHECK(Embed(*a, "HELLO World") == Embed(*a, "hello world"));
  CHECK(Embed(*a, "ΑΘΗΝΑ Москва") == Embed(*a, "αθηνα москва"));
  // Batch output equals one-at-a-time output.
  std::vector<std::string_view> texts = {"first text", "second one", "first text"};
  std::vector<float> out(3 * a->dimension());
  REQUIRE(a->Embed(texts, out).ok());
  const auto one = Embed(*a, "second one");
  CHECK(std::vector<float>(out.begin() + 384, out.begin() + 768) == one);
  CHECK(std::vector<float>(out.begin(), out.begin() + 384) == std::vector<float>(out.begin() + 768, out.end()));
}

TEST_CASE("default embedder puts related texts closer than unrelated ones", "[embed]") {
  auto e = Make();
  const auto q = Embed(*e, "What instrument does Melanie play?");
  const auto rel = Embed(*e, "Melanie has been playing the violin since she was ten");
  const auto unrel = Embed(*e, "The quarterly tax report is due on Friday");
  CHECK(Dot(q, rel) > Dot(q, unrel) + 0.1);
  // Morphology: stems and character n-grams link inflected forms.
  CHECK(Dot(Embed(*e, "running marathons"), Embed(*e, "she runs a marathon")) >
        Dot(Embed(*e, "running marathons"), Embed(*e, "cooking pasta")));
}

TEST_CASE("default embedder rejects bad options and bad output spans", "[embed]") {
  DefaultEmbedderOptions o;
  o.dimension = 0;
  auto r = gitmem::NewDefaultEmbedder(o);
  CHECK(r.status().IsInvalidArgument());
  CHECK(r.status().message().find("dimension") != std::string::npos);
  o = {};
  o.char_ngram_min = 4;
  o.char_ngram_max = 2;
  CHECK(gitmem::NewDefaultEmbedder(o).status().IsInvalidArgument());
  o = {};
  o.word_weight = -1;
  CHECK(gitmem::NewDefaultEmbedder(o).status().IsInvalidArgument());
  o = {};
  o.char_ngram_min = 0;
  o.char_ngram_max = 0;
  CHECK(gitmem::NewDefaultEmbedder(o).ok());

  auto e = Make();
  std::vector<std::string_view> texts = {"a", "b"};
  std::vector<float> out(383);
  auto s = e->Embed(texts, out);
  CHECK(s.IsInvalidArgument());
  CHECK(s.message().find("out") != std::string::npos);
  std::vector<float> none;
  CHECK(e->Embed({}, none).ok());
}
