#include "search/text/analyzer.h"

#include <libstemmer.h>

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "search/text/unicode.h"

namespace gitmem::search {

namespace {

// ASCII byte -> lower-case byte for letters and digits, 0 for separators.
constexpr std::array<char, 128> MakeAsciiTable() {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c + 32);
  return t;
}
constexpr std::array<char, 128> kAscii = MakeAsciiTable();

// NLTK's English stop list (BSD licence), minus the forms with apostrophes, which the
// tokenizer splits ("don't" -> "don", "t").
constexpr const char* kStopWords[] = {
    "i",       "me",       "my",         "myself",  "we",     "our",    "ours",    "ourselves", "you",        "your",
    "yours",   "yourself", "yourselves", "he",      "him",    "his",    "himself", "she",       "her",        "hers",
    "herself", "it",       "its",        "itself",  "they",   "them",   "their",   "theirs",    "themselves", "what",
    "which",   "who",      "whom",       "this",    "that",   "these",  "those",   "am",        "is",         "are",
    "was",     "were",     "be",         "been",    "being",  "have",   "has",     "had",       "having",     "do",
    "does",    "did",      "doing",      "a",       "an",     "the",    "and",     "but",       "if",         "or",
    "because", "as",       "until",      "while",   "of",     "at",     "by",      "for",       "with",       "about",
    "against", "between",  "into",       "through", "during", "before", "after",   "above",     "below",      "to",
    "from",    "up",       "down",       "in",      "out",    "on",     "off",     "over",      "under",      "again",
    "further", "then",     "once",       "here",    "there",  "when",   "where",   "why",       "how",        "all",
    "any",     "both",     "each",       "few",     "more",   "most",   "other",   "some",      "such",       "no",
    "nor",     "not",      "only",       "own",     "same",   "so",     "than",    "too",       "very",       "s",
    "t",       "can",      "will",       "just",    "don",    "should", "now",     "d",         "ll",         "m",
    "o",       "re",       "ve",         "y",       "ain",    "aren",   "couldn",  "didn",      "doesn",      "hadn",
    "hasn",    "haven",    "isn",        "ma",      "mightn", "mustn",  "needn",   "shan",      "shouldn",    "wasn",
    "weren",   "won",      "wouldn",
};

const std::unordered_set<std::string_view>& StopSet() {
  static const auto* set = new std::unordered_set<std::string_view>(std::begin(kStopWords), std::end(kStopWords));
  return *set;
}

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One libstemmer instance per thread, with a bounded cache of stems (word frequencies are
// Zipfian, so most lookups hit).
class ThreadStemmer {
 public:
  ThreadStemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}
  ~ThreadStemmer() { sb_stemmer_delete(stemmer_); }
  ThreadStemmer(const ThreadStemmer&) = delete;
  ThreadStemmer& operator=(const ThreadStemmer&) = delete;

  std::string_view Stem(std::string_view word) {
    if (stemmer_ == nullptr) return word;
    if (auto it = cache_.find(word); it != cache_.end()) return it->second;
    const sb_symbol* s =
        sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (s == nullptr) return word;
    std::string stem(reinterpret_cast<const char*>(s), static_cast<size_t>(sb_stemmer_length(stemmer_)));
    if (cache_.size() >= kMaxCache) cache_.clear();
    auto [it, inserted] = cache_.emplace(std::string(word), std::move(stem));
    return it->second;
  }

 private:
  static constexpr size_t kMaxCache = 1 << 16;
  sb_stemmer* stemmer_;
  std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> cache_;
};

}  // namespace

void Tokenize(std::string_view text, TokenList* out) {
  std::string* buf = out->buffer();
  bool open = false;
  size_t open_at = 0;
  auto close = [&] {
    if (open) {
      out->end_token();
      open = false;
    }
  };
  auto open_token = [&] {
    if (!open) {
      out->begin_token();
      open_at = buf->size();
      open = true;
    }
  };
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      const char c = kAscii[b];
      ++i;
      if (c == 0) {
        close();
        continue;
      }
      open_token();
      buf->push_back(c);
    } else {
      const uint32_t cp = DecodeUtf8(text, &i);
      switch (Classify(cp)) {
        case CharClass::kSeparator: close(); continue;
        case CharClass::kIdeograph:
          close();
          out->begin_token();
          AppendUtf8(cp, buf);
          out->end_token();
          continue;
        case CharClass::kWord:
          open_token();
          AppendUtf8(FoldCase(cp), buf);
          break;
      }
    }
    if (buf->size() - open_at >= kMaxTokenBytes) close();
  }
  close();
}

bool IsStopWord(std::string_view token) {
  if (token.size() > 10) return false;  // the longest stop word is "yourselves"
  return StopSet().count(token) != 0;
}

std::string_view Stem(std::string_view token) {
  // Snowball English only rewrites suffixes made of ASCII letters, and leaves words of
  // one or two letters alone.
  if (token.size() < 3) return token;
  const char last = token.back();
  if (last < 'a' || last > 'z') return token;
  thread_local ThreadStemmer stemmer;
  return stemmer.Stem(token);
}

void Analyze(std::string_view text, const AnalyzerOptions& options, TokenList* out) {
  thread_local TokenList raw;
  raw.clear();
  Tokenize(text, &raw);
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string_view t = raw[i];
    if (options.remove_stop_words && IsStopWord(t)) continue;
    out->push_back(options.stem ? Stem(t) : t);
  }
}

}  // namespace gitmem::search
