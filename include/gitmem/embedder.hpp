// Embedders: turn memory content (and search queries) into float vectors.
//
// gitmem ships a default embedder that needs no network and no model file (hashed word
// and character n-gram features; see docs/search.md). Applications plug in their own
// model by implementing `Embedder`; the C ABI and Python wrap callbacks in it.
//
// Thread safety: `Embed` is const and must be safe to call from several threads at once;
// the default embedder is. An implementation with internal state synchronises it itself.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "gitmem/export.hpp"
#include "gitmem/status.hpp"

namespace gitmem {

/// A function from texts to fixed-dimension float vectors.
class GITMEM_EXPORT Embedder {
 public:
  virtual ~Embedder();

  /// Stable identifier of the embedding function, model and parameters included. Stored
  /// vectors are keyed by (id, content hash): two embedders that can return different
  /// vectors for the same text must have different ids.
  virtual std::string id() const = 0;

  /// Length of every vector this embedder returns.
  virtual size_t dimension() const = 0;

  /// Embeds `texts[i]` into `out[i * dimension(), (i + 1) * dimension())`.
  /// REQUIRES: out.size() == texts.size() * dimension().
  /// Returns kInvalidArgument when `out` has the wrong size; other failures as the
  /// implementation reports them. On failure the contents of `out` are unspecified.
  [[nodiscard]] virtual Status Embed(std::span<const std::string_view> texts, std::span<float> out) const = 0;
};

/// Parameters of the built-in hashing embedder. Every field is part of its id.
struct DefaultEmbedderOptions {
  /// Vector length; 1 .. 65536.
  size_t dimension = 384;
  /// Weights of the three feature families (each feature also gets 1 + ln(tf)).
  float word_weight = 1.0f;     ///< stemmed word unigrams (stop words removed)
  float bigram_weight = 0.75f;  ///< adjacent stemmed word pairs (after stop-word removal)
  float char_weight = 0.25f;    ///< character n-grams of each word with boundary markers
  /// Character n-gram lengths, in code points (inclusive); 0 disables n-grams.
  int char_ngram_min = 3;
  int char_ngram_max = 5;
};

/// The built-in embedder: signed feature hashing of word unigrams, word bigrams and
/// character n-grams, sublinear term weights, L2-normalised. Deterministic across runs and
/// platforms. kInvalidArgument when an option is out of range (the message names it).
GITMEM_EXPORT Result<std::unique_ptr<Embedder>> NewDefaultEmbedder(const DefaultEmbedderOptions& options = {});

}  // namespace gitmem
