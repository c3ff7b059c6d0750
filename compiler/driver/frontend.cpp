// Implementation of the front-end pipeline; see frontend.h.
#include "compiler/driver/frontend.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <stdexcept>

namespace snn::driver {

std::filesystem::path stdlibDirectory() {
  if (const char* env = std::getenv("SNN_STDLIB"); env && *env) return env;
  std::error_code ec;
#ifdef SNN_STDLIB_DIR
  if (std::filesystem::is_directory(SNN_STDLIB_DIR, ec)) return SNN_STDLIB_DIR;
#endif
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "snn" / "stdlib";
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return "stdlib";
}

FrontendResult runFrontend(SourceManager& sources, const std::filesystem::path& file,
                           Diagnostics& diags,
                           const std::function<void(parse::Program&)>& before_check) {
  FrontendResult result;
  result.program = parse::loadProgram(sources, file, stdlibDirectory(), diags);
  if (diags.hasErrors()) return result;
  if (before_check) before_check(result.program);
  if (diags.hasErrors()) return result;
  result.checked = std::make_unique<sema::CheckedProgram>(sema::check(result.program, diags));
  return result;
}

void runWithLargeStack(const std::function<void()>& work) {
  struct Task {
    const std::function<void()>* work;
    std::exception_ptr error;
  } task{&work, nullptr};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  // 512 MiB of address space; only the pages actually touched are ever committed.
  pthread_attr_setstacksize(&attributes, std::size_t{512} << 20);
  pthread_t thread;
  auto entry = [](void* argument) -> void* {
    auto* t = static_cast<Task*>(argument);
    try {
      (*t->work)();
    } catch (...) {
      t->error = std::current_exception();
    }
    return nullptr;
  };
  if (pthread_create(&thread, &attributes, entry, &task) != 0) {
    pthread_attr_destroy(&attributes);
    work();  // no thread: run on this one
    return;
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
  if (task.error) std::rethrow_exception(task.error);
}

}  // namespace snn::driver
