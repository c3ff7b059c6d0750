// JitKernel and the process's one LLJIT; see jit_kernel.h. LLVM reports failures as
// llvm::Error values, which never leave this file: each becomes a JitCompileError naming the
// kernel, since a kernel LLVM cannot compile is our bug, not the user's.
#include "compiler/jit/jit_kernel.h"

#include <chrono>
#include <mutex>
#include <utility>

#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

#include "compiler/jit/llvm_lowering.h"

namespace snn::jit {
namespace {

static_assert(std::is_same_v<engine::Index, std::int64_t>,
              "engine indices are handed to the generated code as i64 in place");

[[noreturn]] void compileFailure(const std::string& kernel, const std::string& what) {
  throw JitCompileError(fmt::format(
      "the LLVM back end could not compile kernel `{}`: {} (run with "
      "`--backend vm` to use the interpreter instead)",
      kernel, what));
}

std::string message(llvm::Error error) { return llvm::toString(std::move(error)); }

// The process's JIT. Created on first use and never destroyed, so kernels destroyed during
// static destruction can still release their code.
class JitEngine {
 public:
  static JitEngine& instance(const std::string& kernel) {
    static JitEngine* engine = nullptr;
    static std::string failure;
    static std::once_flag once;
    std::call_once(once, [] {
      try {
        engine = new JitEngine();
      } catch (const std::exception& e) {
        failure = e.what();
      }
    });
    if (engine == nullptr) compileFailure(kernel, failure);
    return *engine;
  }

  std::mutex& mutex() { return mutex_; }
  llvm::orc::LLJIT& jit() { return *jit_; }
  std::string nextName() { return fmt::format("snn_kernel_{}", next_id_++); }

  // The module's LLVM IR through the O3 pipeline, for this host.
  void optimize(llvm::Module& module) {
    module.setDataLayout(target_->createDataLayout());
    module.setTargetTriple(target_->getTargetTriple().str());
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder builder(target_.get());
    builder.registerModuleAnalyses(mam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerFunctionAnalyses(fam);
    builder.registerLoopAnalyses(lam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(module, mam);
  }

 private:
  JitEngine() {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto host = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!host) throw std::runtime_error(message(host.takeError()));
    // No FMA contraction: results must equal the VM's, which rounds every operation.
    host->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;
    host->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
    auto target = host->createTargetMachine();
    if (!target) throw std::runtime_error(message(target.takeError()));
    target_ = std::move(*target);
    auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*host).create();
    if (!jit) throw std::runtime_error(message(jit.takeError()));
    jit_ = std::move(*jit);

    llvm::orc::JITDylib& main = jit_->getMainJITDylib();
    llvm::orc::SymbolMap helpers;
    for (std::size_t k = 0; k < jitHelperCount(); ++k) {
      const JitHelper& h = jitHelpers()[k];
      helpers[jit_->mangleAndIntern(h.name)] = llvm::orc::ExecutorSymbolDef(
          llvm::orc::ExecutorAddr::fromPtr(h.address),
          llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
    }
    if (auto error = main.define(llvm::orc::absoluteSymbols(std::move(helpers)))) {
      throw std::runtime_error(message(std::move(error)));
    }
    // What code generation may call on its own (memset, libm for intrinsics it expands).
    auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
        jit_->getDataLayout().getGlobalPrefix());
    if (!process) throw std::runtime_error(message(process.takeError()));
    main.addGenerator(std::move(*process));
  }

  std::mutex mutex_;
  std::unique_ptr<llvm::TargetMachine> target_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::uint64_t next_id_ = 0;
};

engine::KernelSignature signatureOf(const ir::Kernel& kernel) {
  engine::KernelSignature s;
  s.name = kernel.name;
  for (const ir::BufferSlot& b : kernel.buffers)
    s.buffers.push_back({b.name, b.type == ir::Type::I64, b.written});
  for (const ir::TableSlot& t : kernel.tables) s.tables.push_back(t.name);
  for (const ir::Instruction& inst : kernel.body) s.emits_spikes |= inst.op == ir::Opcode::EmitSpike;
  return s;
}

}  // namespace

struct JitKernel::Compiled {
  llvm::orc::ResourceTrackerSP tracker;
};

JitKernel::JitKernel(const ir::Kernel& kernel, std::vector<double> params)
    : signature_(signatureOf(kernel)),
      slots_(kernel.buffers),
      params_(std::move(params)),
      buffers_(kernel.buffers.size(), nullptr),
      sizes_(kernel.buffers.size(), 0),
      tables_(kernel.tables.size()) {
  if (params_.size() != kernel.params.size()) {
    throw std::invalid_argument(fmt::format("kernel `{}` has {} parameters, {} values given",
                                            kernel.name, kernel.params.size(), params_.size()));
  }
  const auto start = std::chrono::steady_clock::now();
  JitEngine& engine = JitEngine::instance(kernel.name);
  std::lock_guard lock(engine.mutex());
  const std::string name = engine.nextName();
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  try {
    module = lowerKernel(kernel, *context, name);
  } catch (const std::logic_error& e) {
    compileFailure(kernel.name, e.what());
  }
  engine.optimize(*module);
  compiled_ = std::make_unique<Compiled>();
  compiled_->tracker = engine.jit().getMainJITDylib().createResourceTracker();
  if (auto error = engine.jit().addIRModule(
          compiled_->tracker, llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    compileFailure(kernel.name, message(std::move(error)));
  }
  auto address = engine.jit().lookup(name);
  if (!address) compileFailure(kernel.name, message(address.takeError()));
  function_ = address->toPtr<JitKernelFunction>();
  compile_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

JitKernel::~JitKernel() {
  if (compiled_ && compiled_->tracker) {
    // Failing to free code is not worth a crash in a destructor.
    llvm::consumeError(compiled_->tracker->remove());
  }
}

void JitKernel::bindBuffer(std::size_t slot, std::span<double> data) {
  if (slot >= slots_.size() || slots_[slot].type != ir::Type::F64) {
    throw std::invalid_argument(
        fmt::format("kernel `{}`: slot {} is not a value buffer", signature_.name, slot));
  }
  buffers_[slot] = data.data();
  sizes_[slot] = data.size();
}

void JitKernel::bindIndexBuffer(std::size_t slot, std::span<const engine::Index> data) {
  if (slot >= slots_.size() || slots_[slot].type != ir::Type::I64) {
    throw std::invalid_argument(
        fmt::format("kernel `{}`: slot {} is not an index buffer", signature_.name, slot));
  }
  // The generated code never writes an index buffer (the IR has no store.i).
  buffers_[slot] = const_cast<engine::Index*>(data.data());
  sizes_[slot] = data.size();
}

void JitKernel::bindTable(std::size_t slot, std::span<const double> values, double table_dt) {
  if (slot >= tables_.size()) {
    throw std::invalid_argument(fmt::format("kernel `{}`: no table slot {}", signature_.name, slot));
  }
  if (values.empty()) {
    throw std::invalid_argument(fmt::format("kernel `{}`: table `{}` is empty", signature_.name,
                                            signature_.tables[slot]));
  }
  tables_[slot] = JitTable{values.data(), values.size(), table_dt};
}

void JitKernel::bindSpikes(engine::SpikeOutput* output) { output_ = output; }

void JitKernel::run(const engine::KernelClock& clock, const engine::KernelDomain& domain) {
  JitArgs args;
  args.buffers = buffers_.data();
  args.buffer_sizes = sizes_.data();
  args.tables = tables_.data();
  args.params = params_.data();
  args.count = static_cast<std::int64_t>(domain.count);
  args.elements = domain.explicit_elements ? domain.elements.data() : nullptr;
  args.step = static_cast<std::uint64_t>(clock.step);
  args.t = clock.t;
  args.dt = clock.dt;
  args.seed = clock.seed;
  std::uint64_t spike_size = 0;
  if (output_ != nullptr) {
    args.spikes = output_->storage.data();
    args.spike_capacity = output_->storage.size();
    spike_size = output_->size;
  }
  args.spike_size = &spike_size;
  function_(&args);
  if (output_ != nullptr) output_->size = spike_size;
  switch (args.status) {
    case kJitOk: return;
    case kJitIndexOutOfRange: {
      const auto slot = static_cast<std::size_t>(args.error_slot);
      throw JitError(fmt::format("kernel `{}`: `{}`: index {} out of range for buffer `{}` of {} elements",
                                 signature_.name,
                                 ir::info(static_cast<ir::Opcode>(args.error_op)).spelling,
                                 args.error_value, signature_.buffers.at(slot).name, sizes_.at(slot)));
    }
    case kJitSpikeListFull:
      throw JitError(fmt::format("kernel `{}`: the spike list is full ({} spikes)", signature_.name,
                                 args.spike_capacity));
    case kJitRandomElementOutOfRange:
      throw JitError(fmt::format("kernel `{}`: random number for element {}, outside 0..2^40",
                                 signature_.name, args.error_value));
    default:
      throw JitError(fmt::format("kernel `{}`: unknown failure {}", signature_.name, args.status));
  }
}

std::unique_ptr<engine::Kernel> makeJitKernel(const ir::Kernel& kernel, std::vector<double> params) {
  return std::make_unique<JitKernel>(kernel, std::move(params));
}

std::string optimizedLlvmIr(const ir::Kernel& kernel) {
  JitEngine& engine = JitEngine::instance(kernel.name);
  std::lock_guard lock(engine.mutex());
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  try {
    module = lowerKernel(kernel, context, kernel.name);
  } catch (const std::logic_error& e) {
    compileFailure(kernel.name, e.what());
  }
  engine.optimize(*module);
  std::string text;
  llvm::raw_string_ostream out(text);
  module->print(out, nullptr);
  return out.str();
}

}  // namespace snn::jit
