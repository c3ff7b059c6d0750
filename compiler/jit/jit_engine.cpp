// The process's LLJIT, the per-thread target machines and the compile threads; see
// jit_engine.h.
#include "compiler/jit/jit_engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

#include "compiler/jit/llvm_lowering.h"
#include "compiler/jit/vector_library.h"

namespace snn::jit {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void compileFailure(const std::string& kernel, const std::string& what) {
  throw JitCompileError(
      fmt::format("the LLVM back end could not compile kernel `{}`: {} (run with "
                  "`--backend vm` to use the interpreter instead)",
                  kernel, what));
}

std::string message(llvm::Error error) {
  return llvm::toString(std::move(error));
}

// A few threads that compile kernels in the order they were queued.
class CompileThreads {
 public:
  explicit CompileThreads(unsigned count) {
    for (unsigned k = 0; k < count; ++k) std::thread([this] { work(); }).detach();
  }

  void push(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
      ++unfinished_;
    }
    wake_.notify_one();
  }

  void waitUntilIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return unfinished_ == 0; });
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();  // never throws: failures go into the task's promise
      std::lock_guard lock(mutex_);
      if (--unfinished_ == 0) idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;
  std::size_t unfinished_ = 0;
};

// The process's JIT. Created on first use and never destroyed (nor are its threads), so kernels
// destroyed during static destruction can still release their code.
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

  llvm::orc::LLJIT& jit() { return *jit_; }
  std::string nextName() { return fmt::format("snn_kernel_{}", next_id_++); }
  CompileThreads& threads() { return threads_; }

  // This thread's target machine: LLVM's are not safe to share between threads.
  llvm::TargetMachine& targetMachine() {
    thread_local std::unique_ptr<llvm::TargetMachine> machine;
    if (!machine) {
      auto made = host_.createTargetMachine();
      if (!made) throw std::runtime_error(message(made.takeError()));
      machine = std::move(*made);
    }
    return *machine;
  }

  // The module's LLVM IR through the O3 pipeline, for this host, with the vector library.
  void optimize(llvm::Module& module) {
    llvm::TargetMachine& machine = targetMachine();
    module.setDataLayout(machine.createDataLayout());
    module.setTargetTriple(machine.getTargetTriple().str());
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::TargetLibraryInfoImpl library = vectorLibrary(machine);
    fam.registerPass([&] { return llvm::TargetLibraryAnalysis(library); });
    llvm::PassBuilder builder(&machine);
    builder.registerModuleAnalyses(mam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerFunctionAnalyses(fam);
    builder.registerLoopAnalyses(lam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(module, mam);
  }

  std::atomic<int> kernels{0};
  std::atomic<double> lower_seconds{0};
  std::atomic<double> optimize_seconds{0};
  std::atomic<double> codegen_seconds{0};

 private:
  JitEngine() : threads_(std::clamp(std::thread::hardware_concurrency(), 1u, 8u)) {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto host = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!host) throw std::runtime_error(message(host.takeError()));
    // No FMA contraction: results must equal the VM's, which rounds every operation.
    host->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;
    host->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
    host_ = *host;
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
    // What code generation may call on its own (memset, libm for intrinsics it expands) and
    // the vector library's functions, all loaded with the process.
    auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
        jit_->getDataLayout().getGlobalPrefix());
    if (!process) throw std::runtime_error(message(process.takeError()));
    main.addGenerator(std::move(*process));
  }

  CompileThreads threads_;
  llvm::orc::JITTargetMachineBuilder host_{llvm::Triple()};
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::atomic<std::uint64_t> next_id_{0};
};

void add(std::atomic<double>& total, double seconds) {
  double old = total.load();
  while (!total.compare_exchange_weak(old, old + seconds)) {
  }
}

LoweredKernel lowerOrFail(const ir::Kernel& kernel, llvm::LLVMContext& context,
                          const std::string& name) {
  try {
    return lowerKernel(kernel, context, name);
  } catch (const std::logic_error& e) {
    compileFailure(kernel.name, e.what());
  }
}

}  // namespace

class CompiledKernel::Code {
 public:
  explicit Code(llvm::orc::ResourceTrackerSP tracker) : tracker_(std::move(tracker)) {}
  ~Code() {
    // Failing to free code is not worth a crash in a destructor.
    llvm::consumeError(tracker_->remove());
  }
  Code(const Code&) = delete;
  Code& operator=(const Code&) = delete;

 private:
  llvm::orc::ResourceTrackerSP tracker_;
};

CompiledKernel compileKernel(const ir::Kernel& kernel) {
  JitEngine& engine = JitEngine::instance(kernel.name);
  CompiledKernel compiled;
  auto start = Clock::now();
  llvm::LLVMContext context;
  LoweredKernel lowered = lowerOrFail(kernel, context, engine.nextName());
  const double lower_seconds = secondsSince(start);

  start = Clock::now();
  engine.optimize(*lowered.module);
  compiled.optimize_seconds = secondsSince(start);

  start = Clock::now();
  llvm::orc::SimpleCompiler to_object(engine.targetMachine());
  auto object = to_object(*lowered.module);
  if (!object) compileFailure(kernel.name, message(object.takeError()));
  auto tracker = engine.jit().getMainJITDylib().createResourceTracker();
  compiled.code = std::make_shared<CompiledKernel::Code>(tracker);
  if (auto error = engine.jit().addObjectFile(tracker, std::move(*object)))
    compileFailure(kernel.name, message(std::move(error)));
  auto lookup = [&](const std::string& symbol) {
    auto address = engine.jit().lookup(symbol);
    if (!address) compileFailure(kernel.name, message(address.takeError()));
    return address->toPtr<JitKernelFunction>();
  };
  compiled.checked = lookup(lowered.checked_name);
  if (!lowered.fast_name.empty()) compiled.fast = lookup(lowered.fast_name);
  compiled.codegen_seconds = secondsSince(start);

  ++engine.kernels;
  add(engine.lower_seconds, lower_seconds);
  add(engine.optimize_seconds, compiled.optimize_seconds);
  add(engine.codegen_seconds, compiled.codegen_seconds);
  return compiled;
}

std::shared_future<CompiledKernel> compileInBackground(ir::Kernel kernel) {
  JitEngine& engine = JitEngine::instance(kernel.name);
  auto promise = std::make_shared<std::promise<CompiledKernel>>();
  std::shared_future<CompiledKernel> future = promise->get_future().share();
  engine.threads().push([promise, kernel = std::move(kernel)] {
    try {
      promise->set_value(compileKernel(kernel));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  });
  return future;
}

void waitForBackgroundCompiles() {
  JitEngine::instance("").threads().waitUntilIdle();
}

CompileTotals compileTotals() {
  JitEngine& engine = JitEngine::instance("");
  return {engine.kernels.load(), engine.lower_seconds.load(), engine.optimize_seconds.load(),
          engine.codegen_seconds.load()};
}

std::string optimizedLlvmIr(const ir::Kernel& kernel) {
  JitEngine& engine = JitEngine::instance(kernel.name);
  llvm::LLVMContext context;
  LoweredKernel lowered = lowerOrFail(kernel, context, kernel.name);
  engine.optimize(*lowered.module);
  std::string text;
  llvm::raw_string_ostream out(text);
  lowered.module->print(out, nullptr);
  return out.str();
}

}  // namespace snn::jit
