// Edit distance and the choice of suggestions; see suggest.h.
#include "compiler/sema/suggest.h"

#include <algorithm>
#include <cctype>

namespace snn::sema {
namespace {

std::size_t substitutionCost(char a, char b) {
  if (a == b) return 0;
  const auto la = std::tolower(static_cast<unsigned char>(a));
  const auto lb = std::tolower(static_cast<unsigned char>(b));
  return la == lb ? 1 : 2;
}

// How far a suggestion may be, doubled: one edit for short names, more for longer ones, so
// that `x` does not suggest every one-letter name but `V_restt` finds `V_rest`.
std::size_t threshold2(std::size_t length) {
  if (length <= 2) return 2;
  if (length <= 5) return 3;
  if (length <= 9) return 4;
  return 6;
}

}  // namespace

std::size_t editDistance2(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = 2 * i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = 2 * j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t best = std::min(d[i - 1][j] + 2, d[i][j - 1] + 2);
      best = std::min(best, d[i - 1][j - 1] + substitutionCost(a[i - 1], b[j - 1]));
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, d[i - 2][j - 2] + 2);
      }
      d[i][j] = best;
    }
  }
  return d[n][m];
}

std::vector<std::string> suggestNames(std::string_view name,
                                      const std::vector<std::string>& candidates, std::size_t limit,
                                      std::size_t max_distance2) {
  struct Scored {
    std::size_t distance;
    std::size_t order;
    const std::string* text;
  };
  std::vector<Scored> scored;
  const std::size_t max_distance = max_distance2 > 0 ? max_distance2 : threshold2(name.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const std::string& c = candidates[k];
    if (c == name || c.empty()) continue;
    // Cheap filter: a length difference alone may already exceed the threshold.
    const std::size_t length_gap =
        c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
    if (2 * length_gap > max_distance) continue;
    const std::size_t distance = editDistance2(name, c);
    if (distance > max_distance) continue;
    // A candidate must keep some of the name: `a` -> `b` is not a plausible typo.
    if (distance >= 2 * std::max(name.size(), c.size())) continue;
    scored.push_back({distance, k, &c});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& x, const Scored& y) {
    return x.distance != y.distance ? x.distance < y.distance : x.order < y.order;
  });
  std::vector<std::string> out;
  for (const Scored& s : scored) {
    if (std::find(out.begin(), out.end(), *s.text) != out.end()) continue;
    out.push_back(*s.text);
    if (out.size() == limit) break;
  }
  return out;
}

std::string didYouMean(const std::vector<std::string>& suggestions) {
  if (suggestions.empty()) return {};
  std::string out = "did you mean ";
  for (std::size_t k = 0; k < suggestions.size(); ++k) {
    if (k > 0) out += (k + 1 == suggestions.size()) ? " or " : ", ";
    out += "`" + suggestions[k] + "`";
  }
  out += "?";
  return out;
}

}  // namespace snn::sema
