// The memories the crash writer's "index" mode imports, for the test that kills it while
// their index is being built and checks every one is found afterwards.
#pragma once

#include <cstddef>
#include <string>

namespace gitmem::testing {

inline constexpr size_t kIndexed = 8000;
inline constexpr size_t kIndexedWords = 50;

/// Memory i holds the word "word<i % kIndexedWords>" once.
inline std::string IndexedText(size_t i) {
  return "indexed memory number " + std::to_string(i) + " about word" + std::to_string(i % kIndexedWords);
}

}  // namespace gitmem::testing
