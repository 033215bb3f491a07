// Unit test of the progress bar's frames (tools/progress.cc): what `import`, `export`, `gc`
// and `fsck --all` draw on a terminal. The terminal behaviour itself (only on a tty, only
// after a moment) is checked end to end by cli_e2e.py.
#include <cstdio>
#include <string>

#include "progress.h"

using gitmem::cli::HumanBytes;
using gitmem::cli::HumanCount;
using gitmem::cli::HumanDuration;
using gitmem::cli::ProgressBar;

namespace {

int failures = 0;

void Expect(const char* what, const std::string& got, const std::string& want) {
  if (got == want) return;
  ++failures;
  std::printf("FAIL %s\n  got:  \"%s\"\n  want: \"%s\"\n", what, got.c_str(), want.c_str());
}

}  // namespace

int main() {
  Expect("half way: bar, percent, counts, rate, time left",
         ProgressBar::Render("exporting", "memories", 500, 1000, 2.0, 80),
         "exporting [############.............]  50%  500/1000 memories  250/s  0:02 left");
  Expect("done: no time left", ProgressBar::Render("gc", "objects", 2000, 2000, 1.0, 80),
         "gc [########################################] 100%  2000/2000 objects  2.0k/s");
  Expect("fills the width less one column (no wrap at the margin)",
         std::to_string(ProgressBar::Render("exporting", "memories", 500, 1000, 2.0, 80).size()), "79");
  Expect("narrow terminal: no bar, cut to the width", ProgressBar::Render("importing", "objects", 1, 4, 1.0, 30),
         "importing  25%  1/4 objects  ");
  Expect("unknown total: elapsed time instead", ProgressBar::Render("fsck", "objects", 10, 0, 65.0, 80),
         "fsck   10 objects  0/s  1:05");
  Expect("more done than the estimate says: capped at 100%",
         ProgressBar::Render("gc", "objects", 30, 20, 1.0, 80).substr(0, 10), "gc [######");
  Expect("meter: a still bar and percent (index status)", ProgressBar::Meter(1, 4, 8), "[##......]  25%");
  Expect("meter: no bar at width 0", ProgressBar::Meter(3, 3, 0), "100%");
  Expect("meter: nothing to do is complete", ProgressBar::Meter(0, 0, 4), "[####] 100%");
  Expect("meter: capped at 100%", ProgressBar::Meter(9, 3, 4), "[####] 100%");
  Expect("count 999", HumanCount(999), "999");
  Expect("count 1.5k", HumanCount(1500), "1.5k");
  Expect("count 2.5M", HumanCount(2.5e6), "2.5M");
  Expect("bytes", HumanBytes(512), "512 B");
  Expect("KiB", HumanBytes(1536), "1.5 KiB");
  Expect("MiB", HumanBytes(3u << 20), "3.0 MiB");
  Expect("seconds", HumanDuration(5.4), "0:05");
  Expect("hours", HumanDuration(3723), "1:02:03");

  // Off: no callback at all (the engine skips the work of reporting).
  ProgressBar off("x", "y", false);
  Expect("disabled gives no callback", off.Callback() ? "callback" : "none", "none");
  off.Update(1, 2);
  Expect("disabled never shows", off.shown() ? "shown" : "hidden", "hidden");

  std::printf(failures == 0 ? "all progress checks passed\n" : "%d progress checks failed\n", failures);
  return failures == 0 ? 0 : 1;
}
