#include "search/embed/hash_embedder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "search/text/analyzer.h"
#include "util/hash.h"

namespace gitmem {

Embedder::~Embedder() = default;

Result<std::unique_ptr<Embedder>> NewDefaultEmbedder(const DefaultEmbedderOptions& options) {
  auto r = embed::HashEmbedder::Create(options);
  if (!r.ok()) return std::move(r).status();
  return std::unique_ptr<Embedder>(std::move(r).value());
}

namespace embed {

namespace {

// Hash seeds of the feature families (format constants: never change).
constexpr uint64_t kSeedWord = 0x6769746d656d5731ull;  // "gitmemW1"
constexpr uint64_t kSeedChar = 0x6769746d656d4331ull;  // "gitmemC1"
constexpr uint64_t kSeedRaw = 0x6769746d656d5231ull;   // "gitmemR1"

enum Family : uint64_t { kWord = 0, kBigram = 1, kChar = 2, kRaw = 3 };

// splitmix64's finaliser.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

// Hash of one character n-gram at p[0, len): grams of up to 8 bytes (every ASCII gram of
// length <= 8) are read as one little-endian word (the buffer is padded, so reading 8
// bytes is safe), masked and mixed; longer ones go through StableHash64.
inline uint64_t HashGram(const char* p, size_t len) {
  if (len > 8) return StableHash64(std::string_view(p, len), kSeedChar);
  uint64_t w;
  std::memcpy(&w, p, 8);
  if (len < 8) w &= (uint64_t{1} << (8 * len)) - 1;
  return Mix64(w ^ kSeedChar ^ (static_cast<uint64_t>(len) << 59));
}

// A feature: 62 bits of hash with the family in the low two bits.
inline uint64_t Tag(uint64_t h, Family f) { return (h & ~uint64_t{3}) | f; }

struct Slot {
  uint64_t feature;
  uint32_t count;
};

struct Scratch {
  search::TokenList tokens;
  std::vector<uint64_t> features;
  std::string marked;              // "<word>"
  std::vector<uint32_t> cp_start;  // code point start offsets in `marked`, plus its end
  std::vector<char> stop;          // stop-word flag per token
  std::vector<Slot> slots;         // feature -> count table (all counts 0 between calls)
  std::vector<uint32_t> used;      // occupied slots, in first-seen order
};

std::string FormatFloat(float f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(f));
  return buf;
}

}  // namespace

HashEmbedder::HashEmbedder(const DefaultEmbedderOptions& options) : options_(options) {
  id_ = "gitmem-hash-v1;d=" + std::to_string(options.dimension) + ";w=" + FormatFloat(options.word_weight) +
        ";b=" + FormatFloat(options.bigram_weight) + ";c=" + FormatFloat(options.char_weight) +
        ";n=" + std::to_string(options.char_ngram_min) + "-" + std::to_string(options.char_ngram_max);
}

Result<std::unique_ptr<HashEmbedder>> HashEmbedder::Create(const DefaultEmbedderOptions& o) {
  if (o.dimension < 1 || o.dimension > 65536) {
    return Status::InvalidArgument("dimension: " + std::to_string(o.dimension) + " is outside 1 .. 65536");
  }
  auto check_weight = [](float w, const char* name) -> Status {
    if (!std::isfinite(w) || w < 0.0f) {
      return Status::InvalidArgument(std::string(name) + ": must be a finite number >= 0");
    }
    return Status::Ok();
  };
  GITMEM_RETURN_IF_ERROR(check_weight(o.word_weight, "word_weight"));
  GITMEM_RETURN_IF_ERROR(check_weight(o.bigram_weight, "bigram_weight"));
  GITMEM_RETURN_IF_ERROR(check_weight(o.char_weight, "char_weight"));
  if (o.char_ngram_min < 0 || o.char_ngram_max < o.char_ngram_min || o.char_ngram_max > 16 ||
      (o.char_ngram_min == 0 && o.char_ngram_max != 0)) {
    return Status::InvalidArgument("char_ngram_min, char_ngram_max: need 1 <= min <= max <= 16, or both 0 to disable");
  }
  return std::unique_ptr<HashEmbedder>(new HashEmbedder(o));
}

Status HashEmbedder::Embed(std::span<const std::string_view> texts, std::span<float> out) const {
  const size_t d = options_.dimension;
  if (out.size() != texts.size() * d) {
    return Status::InvalidArgument("out: has " + std::to_string(out.size()) +
                                   " floats, expected texts.size() * dimension = " + std::to_string(texts.size() * d));
  }
  for (size_t i = 0; i < texts.size(); ++i) EmbedOne(texts[i], out.data() + i * d);
  return Status::Ok();
}

void HashEmbedder::EmbedOne(std::string_view text, float* out) const {
  thread_local Scratch s;
  const size_t d = options_.dimension;
  std::fill(out, out + d, 0.0f);

  s.tokens.clear();
  s.features.clear();
  search::Tokenize(text, &s.tokens);

  // Content words: stop words are dropped unless the text has nothing else.
  s.stop.resize(s.tokens.size());
  bool has_content = false;
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    s.stop[i] = search::IsStopWord(s.tokens[i]);
    has_content = has_content || !s.stop[i];
  }

  const bool use_chars = options_.char_ngram_max > 0 && options_.char_weight > 0.0f;
  const bool use_bigrams = options_.bigram_weight > 0.0f;
  uint64_t prev = 0;
  bool have_prev = false;
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    const std::string_view tok = s.tokens[i];
    if (has_content && s.stop[i]) continue;
    const uint64_t hw = StableHash64(search::Stem(tok), kSeedWord);
    s.features.push_back(Tag(hw, kWord));
    if (use_bigrams && have_prev) {
      s.features.push_back(Tag(Mix64(prev * 0x9e3779b97f4a7c15ull ^ hw), kBigram));
    }
    prev = hw;
    have_prev = true;

    if (!use_chars) continue;
    s.marked.clear();
    s.marked.push_back('<');
    s.marked.append(tok);
    s.marked.push_back('>');
    s.cp_start.clear();
    for (size_t p = 0; p < s.marked.size(); ++p) {
      if ((static_cast<unsigned char>(s.marked[p]) & 0xC0) != 0x80) {
        s.cp_start.push_back(static_cast<uint32_t>(p));
      }
    }
    const size_t ncp = s.cp_start.size();
    s.cp_start.push_back(static_cast<uint32_t>(s.marked.size()));
    s.marked.append(8, '\0');  // padding for HashGram's 8-byte loads
    const std::string_view m = s.marked;
    for (int n = options_.char_ngram_min; n <= options_.char_ngram_max; ++n) {
      const size_t un = static_cast<size_t>(n);
      if (un > ncp) break;
      for (size_t b = 0; b + un <= ncp; ++b) {
        const uint32_t from = s.cp_start[b], to = s.cp_start[b + un];
        s.features.push_back(Tag(HashGram(m.data() + from, to - from), kChar));
      }
    }
  }
  if (s.features.empty()) {
    // No token at all (empty or punctuation-only text): one feature for the raw bytes, so
    // the vector is still a deterministic unit vector.
    s.features.push_back(Tag(StableHash64(text, kSeedRaw), kRaw));
  }

  const float family_weight[4] = {options_.word_weight, options_.bigram_weight, options_.char_weight, 1.0f};
  // Count each feature (term frequency) in an open-addressing table, in first-seen order.
  const size_t nf = s.features.size();
  size_t cap = 64;
  while (cap < 2 * nf) cap <<= 1;
  if (s.slots.size() < cap) s.slots.assign(cap, Slot{0, 0});
  const size_t mask = cap - 1;
  s.used.clear();
  for (uint64_t f : s.features) {
    size_t i = static_cast<size_t>(Mix64(f)) & mask;
    for (;;) {
      Slot& slot = s.slots[i];
      if (slot.count == 0) {
        slot = {f, 1};
        s.used.push_back(static_cast<uint32_t>(i));
        break;
      }
      if (slot.feature == f) {
        ++slot.count;
        break;
      }
      i = (i + 1) & mask;
    }
  }
  for (uint32_t i : s.used) {
    Slot& slot = s.slots[i];
    const uint64_t f = slot.feature;
    const float w = family_weight[f & 3] * (slot.count == 1 ? 1.0f : 1.0f + std::log(static_cast<float>(slot.count)));
    const size_t bucket = static_cast<size_t>(((f >> 32) * static_cast<uint64_t>(d)) >> 32);
    out[bucket] += (f & 4) ? -w : w;
    slot.count = 0;
  }

  double norm2 = 0.0;
  for (size_t i = 0; i < d; ++i) norm2 += static_cast<double>(out[i]) * out[i];
  if (norm2 > 0.0) {
    const float inv = static_cast<float>(1.0 / std::sqrt(norm2));
    for (size_t i = 0; i < d; ++i) out[i] *= inv;
  } else {
    // Every feature cancelled out (or all weights are zero): fall back to the raw feature.
    const uint64_t f = Tag(StableHash64(text, kSeedRaw), kRaw);
    out[static_cast<size_t>(((f >> 32) * static_cast<uint64_t>(d)) >> 32)] = (f & 4) ? -1.0f : 1.0f;
  }
}

}  // namespace embed
}  // namespace gitmem
