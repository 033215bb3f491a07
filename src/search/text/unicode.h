// Minimal Unicode support for text analysis: a forgiving UTF-8 decoder, simple case
// folding for Latin, Greek, Cyrillic and Armenian, and a coarse character classification
// (word character / separator / ideograph) used by the tokenizer.
//
// The tables here are part of the index and embedder formats (a change alters tokens, and
// therefore BM25 postings and default-embedder vectors): extend them only together with a
// new embedder id / index format version.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gitmem::search {

/// Decodes one code point at `s[*pos]` and advances `*pos`. Malformed or truncated input
/// yields U+FFFD and advances by one byte, so decoding always makes progress.
uint32_t DecodeUtf8(std::string_view s, size_t* pos);

/// Appends the UTF-8 encoding of `cp` (which must be a valid scalar value).
void AppendUtf8(uint32_t cp, std::string* out);

/// Simple (one-to-one) case folding: upper- and title-case letters of the Latin, Greek,
/// Cyrillic and Armenian scripts map to lower case, final sigma to sigma, long s to s,
/// fullwidth ASCII letters and digits to ASCII. Other code points map to themselves.
uint32_t FoldCase(uint32_t cp);

enum class CharClass : uint8_t {
  kSeparator = 0,  ///< splits tokens (spaces, punctuation, symbols, emoji, controls)
  kWord = 1,       ///< letters, digits and combining marks: part of a token
  kIdeograph = 2,  ///< CJK ideographs and kana: each one is a token of its own
};

CharClass Classify(uint32_t cp);

}  // namespace gitmem::search
