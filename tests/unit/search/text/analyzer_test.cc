// Tokenizer, case folding, stop words and stemming.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "search/text/analyzer.h"
#include "search/text/unicode.h"

using namespace gitmem::search;

namespace {

std::vector<std::string> Tokens(std::string_view text) {
  TokenList list;
  Tokenize(text, &list);
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) out.emplace_back(list[i]);
  return out;
}

std::vector<std::string> Terms(std::string_view text, AnalyzerOptions o = {}) {
  TokenList list;
  Analyze(text, o, &list);
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) out.emplace_back(list[i]);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("tokenizer splits on non-letters and lowercases ASCII", "[search][analyzer]") {
  CHECK(Tokens("Hello, World! It's 2024-05-01.") == V{"hello", "world", "it", "s", "2024", "05", "01"});
  CHECK(Tokens("") == V{});
  CHECK(Tokens("  ...  ") == V{});
  CHECK(Tokens("snake_case and CamelCase") == V{"snake", "case", "and", "camelcase"});
}

TEST_CASE("tokenizer folds Latin, Greek and Cyrillic case", "[search][analyzer]") {
  CHECK(Tokens("ÉCOLE Über STRAẞE Ŀ ŁÓDŹ") == V{"école", "über", "straße", "ŀ", "łódź"});
  CHECK(Tokens("ΑΘΗΝΑ Ωραία ΟΔΟΣ") == V{"αθηνα", "ωραία", "οδοσ"});  // final sigma folded
  CHECK(Tokens("МОСКВА Ёлка ЇЖАК") == V{"москва", "ёлка", "їжак"});
  CHECK(Tokens("ＡＢＣ１２") == V{"abc12"});
  CHECK(FoldCase(U'İ') == U'i');
  CHECK(FoldCase(U'Σ') == U'σ');
  CHECK(FoldCase(U'ς') == U'σ');
  CHECK(FoldCase(U'Ж') == U'ж');
  CHECK(FoldCase(U'Ā') == U'ā');
  CHECK(FoldCase(U'Ž') == U'ž');
  CHECK(FoldCase(U'ž') == U'ž');
}

TEST_CASE("tokenizer handles CJK, emoji, punctuation and bad UTF-8", "[search][analyzer]") {
  CHECK(Tokens("東京タワー visit") == V{"東", "京", "タ", "ワ", "ー", "visit"});
  CHECK(Tokens("good👍job—done…ok") == V{"good", "job", "done", "ok"});
  CHECK(Tokens(std::string("ab\xff"
                           "cd\xc3")) == V{"ab", "cd"});
  CHECK(Tokens("naïve café") == V{"naïve", "café"});
  // Over-long runs are cut at kMaxTokenBytes.
  const auto t = Tokens(std::string(100, 'a'));
  REQUIRE(t.size() == 2);
  CHECK(t[0].size() == kMaxTokenBytes);
}

TEST_CASE("stop words are dropped and words stemmed", "[search][analyzer]") {
  CHECK(IsStopWord("the"));
  CHECK(IsStopWord("yourselves"));
  CHECK_FALSE(IsStopWord("cat"));
  CHECK(Stem("running") == "run");
  CHECK(Stem("cats") == "cat");
  CHECK(Stem("generously") == "generous");
  CHECK(Stem("is") == "is");
  CHECK(Terms("The cats were running to the parks") == V{"cat", "run", "park"});
  CHECK(Terms("I don't like it") == V{"like"});
  AnalyzerOptions raw;
  raw.remove_stop_words = false;
  raw.stem = false;
  CHECK(Terms("The cats", raw) == V{"the", "cats"});
}
