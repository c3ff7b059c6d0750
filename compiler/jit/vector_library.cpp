// SLEEF's vector variants as LLVM vector-library mappings; see vector_library.h.
#include "compiler/jit/vector_library.h"

#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/Target/TargetMachine.h>

namespace snn::jit {
namespace {

struct Function {
  const char* base;
  unsigned arity;
};

constexpr Function kFunctions[] = {
#define SNN_ELEMENTARY(Opcode, base, arity) {#base, arity},
#include "vm/math/elementary.def"
#undef SNN_ELEMENTARY
};

const char* isaOf(unsigned width) {
  switch (width) {
    case 1:
      return "purec";
    case 2:
      return "sse2";
    case 4:
      return "avx";
    default:
      return "avx512fnofma";
  }
}

// The names live as long as the process: VecDesc holds StringRefs.
struct Names {
  std::deque<std::string> strings;
  llvm::StringRef keep(std::string s) { return strings.emplace_back(std::move(s)); }
};

}  // namespace

std::string sleefName(const std::string& base, unsigned width) {
  return fmt::format("Sleef_cinz_{}d{}_u10{}", base, width, isaOf(width));
}

llvm::TargetLibraryInfoImpl vectorLibrary(const llvm::TargetMachine& machine) {
  static Names names;
  static std::mutex mutex;
  std::lock_guard lock(mutex);

  std::vector<unsigned> widths{2};  // SSE2 is part of x86-64
  const llvm::MCSubtargetInfo* cpu = machine.getMCSubtargetInfo();
  if (cpu->checkFeatures("+avx")) widths.push_back(4);
  if (cpu->checkFeatures("+avx512f")) widths.push_back(8);
  llvm::TargetLibraryInfoImpl library(machine.getTargetTriple());
  if (!machine.getTargetTriple().isX86()) return library;  // the scalar calls stay

  std::vector<llvm::VecDesc> mappings;
  for (const Function& f : kFunctions) {
    llvm::StringRef scalar = names.keep(sleefName(f.base, 1));
    for (unsigned width : widths) {
      // The vector ABI prefix: LLVM's internal mangling, one `v` per vector argument.
      std::string prefix = fmt::format("_ZGV_LLVM_N{}{}", width, std::string(f.arity, 'v'));
      mappings.emplace_back(scalar, names.keep(sleefName(f.base, width)),
                            llvm::ElementCount::getFixed(width), false, names.keep(prefix));
    }
  }
  library.addVectorizableFunctions(mappings);
  return library;
}

}  // namespace snn::jit
