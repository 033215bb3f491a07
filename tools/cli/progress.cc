#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace gitmem::cli {

namespace {

int TerminalWidth() {
  winsize w{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 80;
}

std::chrono::steady_clock::duration Delay() {
  if (const char* v = std::getenv("GITMEM_PROGRESS_DELAY_MS"); v != nullptr && *v != '\0') {
    char* end = nullptr;
    const long ms = std::strtol(v, &end, 10);
    if (end != v && *end == '\0' && ms >= 0) return std::chrono::milliseconds(ms);
  }
  return std::chrono::milliseconds(500);
}

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

}  // namespace

std::string HumanCount(double n) {
  char buf[32];
  if (n < 1000)
    std::snprintf(buf, sizeof buf, "%.0f", n);
  else if (n < 1e6)
    std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  else if (n < 1e9)
    std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.1fG", n / 1e9);
  return buf;
}

std::string HumanBytes(uint64_t n) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

std::string HumanDuration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string ProgressBar::Meter(uint64_t done, uint64_t total, int bar_width) {
  const uint64_t shown = std::min(done, total);
  const double frac = total > 0 ? static_cast<double>(shown) / static_cast<double>(total) : 1.0;
  char pct[8];
  std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(100.0 * frac));
  if (bar_width <= 0) return pct;
  const int filled = static_cast<int>(frac * bar_width);
  return "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] " + pct;
}

std::string ProgressBar::Render(std::string_view label, std::string_view unit, uint64_t done, uint64_t total,
                                double elapsed_seconds, int width) {
  const double rate = elapsed_seconds > 0 ? static_cast<double>(done) / elapsed_seconds : 0;
  std::string counts = std::to_string(done);
  if (total > 0) counts += "/" + std::to_string(total);
  counts += " " + std::string(unit);
  std::string tail = "  " + counts + "  " + HumanCount(rate) + "/s";
  std::string pct;
  if (total > 0) {
    pct = Meter(done, total, 0);
    if (rate > 0 && done < total) tail += "  " + HumanDuration(static_cast<double>(total - done) / rate) + " left";
  } else {
    tail += "  " + HumanDuration(elapsed_seconds);
  }
  std::string head = std::string(label) + " ";
  std::string line;
  const int fixed = static_cast<int>(head.size() + pct.size() + tail.size()) + 3;  // "[", "] "
  const int bar = std::min(40, width - 1 - fixed);
  if (total > 0 && bar >= 10) {
    line = head + Meter(done, total, bar) + tail;
  } else {
    line = head + pct + tail;
  }
  if (static_cast<int>(line.size()) > width - 1) line.resize(std::max(0, width - 1));
  return line;
}

ProgressBar::ProgressBar(std::string label, std::string unit)
    : ProgressBar(std::move(label), std::move(unit), Wanted()) {}

ProgressBar::ProgressBar(std::string label, std::string unit, bool enabled)
    : label_(std::move(label)), unit_(std::move(unit)), enabled_(enabled), start_(Clock::now()), delay_(Delay()) {}

ProgressBar::~ProgressBar() { Finish(); }

bool ProgressBar::Wanted() {
  if (isatty(STDERR_FILENO) == 0) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

ProgressFn ProgressBar::Callback() {
  if (!enabled_) return nullptr;
  return [this](uint64_t done, uint64_t total) { Update(done, total); };
}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - start_ < delay_) return;  // not more than a moment yet
  if (shown_ && now - last_draw_ < kRedrawEvery && done < total) return;
  last_draw_ = now;
  shown_ = on_screen_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::cerr << "\r\033[K" << Render(label_, unit_, done, total, elapsed, TerminalWidth()) << std::flush;
}

void ProgressBar::Finish() {
  if (!on_screen_) return;
  std::cerr << "\r\033[K" << std::flush;
  on_screen_ = false;
}

}  // namespace gitmem::cli
