// A progress bar for long work (import, export, gc, fsck): "exporting [#####.....] 48%
// 12034/25000 memories 3.1k/s 0:04 left" redrawn in place on stderr.
//
// It stays silent unless stderr is a terminal, and appears only once the work has taken
// more than a moment (half a second; GITMEM_PROGRESS_DELAY_MS overrides, for tests), so
// quick commands and pipes never see it. The line is cleared when the work ends, leaving
// the terminal to the command's own output.
//
// Thread safety: one ProgressBar serves one call on one thread (ProgressFn's contract).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "gitmem/options.hpp"

namespace gitmem::cli {

class ProgressBar {
 public:
  /// `label` says what is happening ("exporting"), `unit` what is counted ("objects").
  /// `enabled` false makes every call a no-op; the default asks Wanted().
  ProgressBar(std::string label, std::string unit);
  ProgressBar(std::string label, std::string unit, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// stderr is a terminal and TERM is not "dumb".
  static bool Wanted();

  /// The callback to put into the engine's options (borrows this bar).
  ProgressFn Callback();
  void Update(uint64_t done, uint64_t total);
  /// Clears the bar's line if it was drawn. Called by the destructor too.
  void Finish();
  /// Whether the bar has been drawn at least once.
  bool shown() const { return shown_; }

  /// "[#####.....]  48%": a bar of `bar_width` cells (none when it is 0) and the percent
  /// done; `done` beyond `total` counts as `total`, and `total` 0 as complete.
  static std::string Meter(uint64_t done, uint64_t total, int bar_width);

  /// One frame, at most `width` columns: label, bar, percent, counts, rate, time left.
  /// `total` 0 means unknown (no bar, no time left).
  static std::string Render(std::string_view label, std::string_view unit, uint64_t done, uint64_t total,
                            double elapsed_seconds, int width);

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_, unit_;
  bool enabled_;
  bool shown_ = false;      // drawn at least once
  bool on_screen_ = false;  // drawn and not cleared
  Clock::time_point start_, last_draw_;
  Clock::duration delay_;
};

/// "1.2k", "3.4M": a count in at most five characters.
std::string HumanCount(double n);
/// "512 B", "1.5 KiB", "2.0 MiB".
std::string HumanBytes(uint64_t n);
/// "0:05", "1:02:03".
std::string HumanDuration(double seconds);

}  // namespace gitmem::cli
