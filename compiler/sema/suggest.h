// "Did you mean ...?" for misspelt names. A typo is the most common error in a model file, and
// the fix is usually one keystroke away from a name already in scope; pointing at it turns a
// puzzling "undefined name" into an obvious correction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace snn::sema {

// Optimal-string-alignment distance (insertions, deletions, substitutions, swaps of two
// neighbours), with a case-only substitution counting half: `v_rest` is closer to `V_rest`
// than to `x_rest`. Returned doubled, so that it stays an integer.
std::size_t editDistance2(std::string_view a, std::string_view b);

// Up to `limit` candidates close enough to `name` to be plausible typos, best first. Earlier
// candidates win ties, so callers list the names in scope before builtins and unit spellings.
// max_distance2 (doubled, as editDistance2) overrides the default, which grows with the length
// of the name.
std::vector<std::string> suggestNames(std::string_view name,
                                      const std::vector<std::string>& candidates,
                                      std::size_t limit = 3, std::size_t max_distance2 = 0);

// "did you mean `a`?", "did you mean `a` or `b`?", "did you mean `a`, `b` or `c`?"; empty when
// there is nothing to suggest.
std::string didYouMean(const std::vector<std::string>& suggestions);

}  // namespace snn::sema
