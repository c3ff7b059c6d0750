// Philox itself and the batched fills. Random123 is included here only, so its configuration
// macros stay out of every other translation unit; the fills live in this file too so that the
// Philox rounds inline into their loops.
#include "vm/random/counter_rng.h"

#include <Random123/philox.h>

namespace snn::random {

PhiloxBlock philox4x32_10(const PhiloxCounter& counter, const PhiloxKey& key) {
  r123::Philox4x32_R<10> philox;
  r123::Philox4x32_R<10>::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  r123::Philox4x32_R<10>::key_type k = {{key[0], key[1]}};
  r123::Philox4x32_R<10>::ctr_type r = philox(c, k);
  return {r[0], r[1], r[2], r[3]};
}

void uniformFill(std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                 std::uint64_t draw_index, std::uint64_t first_element, std::span<double> out) {
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = uniform(seed, stream, first_element + i, step, draw_index);
}

void normalFill(std::uint64_t seed, std::uint32_t stream, std::uint64_t step,
                std::uint64_t draw_index, std::uint64_t first_element, std::span<double> out) {
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = normal(seed, stream, first_element + i, step, draw_index);
}

}  // namespace snn::random
