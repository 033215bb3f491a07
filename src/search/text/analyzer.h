// Text analysis shared by the BM25 index and the default embedder:
//
//   UTF-8 text -> tokens (runs of letters/digits, case-folded; each CJK ideograph or kana
//   is a token of its own) -> stop words dropped -> Snowball English stems (libstemmer).
//
// Tokens are written into a TokenList (one string buffer + spans), so analysing a text
// allocates nothing once the list has grown to size.
//
// Thread safety: all functions are safe to call concurrently. Stemming uses one
// libstemmer instance per thread (libstemmer instances are not thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gitmem::search {

/// Tokens stored back to back in one buffer.
class TokenList {
 public:
  void clear() {
    buf_.clear();
    spans_.clear();
  }
  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::string_view operator[](size_t i) const {
    return std::string_view(buf_).substr(spans_[i].first, spans_[i].second);
  }
  void push_back(std::string_view token) {
    spans_.emplace_back(static_cast<uint32_t>(buf_.size()), static_cast<uint32_t>(token.size()));
    buf_.append(token);
  }

  // For the tokenizer: build a token in place.
  void begin_token() { open_ = buf_.size(); }
  std::string* buffer() { return &buf_; }
  void end_token() { spans_.emplace_back(static_cast<uint32_t>(open_), static_cast<uint32_t>(buf_.size() - open_)); }
  void drop_open_token() { buf_.resize(open_); }

 private:
  std::string buf_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_;
  size_t open_ = 0;
};

/// Longest token kept, in bytes; longer runs are cut (the rest starts a new token).
inline constexpr size_t kMaxTokenBytes = 64;

/// Splits `text` into case-folded tokens, appending them to `out`. Invalid UTF-8 bytes act
/// as separators.
void Tokenize(std::string_view text, TokenList* out);

/// True for the words of the English stop list (lower case, as Tokenize produces them).
bool IsStopWord(std::string_view token);

/// The Snowball English stem of a lower-case token. The view stays valid until the next
/// call on the same thread.
std::string_view Stem(std::string_view token);

struct AnalyzerOptions {
  bool remove_stop_words = true;
  bool stem = true;
};

/// Tokenize + stop words + stemming: the terms BM25 indexes and queries with. Appends to
/// `out`, in text order.
void Analyze(std::string_view text, const AnalyzerOptions& options, TokenList* out);

}  // namespace gitmem::search
