// The import loader: a depth-first walk over imports. Files are identified by the
// SourceManager's FileId, which is the same for every path that names the same file, so a
// diamond (a imports b and c, both import d) loads d once, and a file found again while it is
// still being loaded is a cycle.
#include "compiler/parse/module_loader.h"

#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>

#include "compiler/parse/parser.h"

namespace snn::parse {
namespace {

namespace fs = std::filesystem;

class Loader {
 public:
  Loader(SourceManager& sources, fs::path stdlib_dir, fs::path root_dir, Diagnostics& diags)
      : sources_(sources),
        stdlib_dir_(std::move(stdlib_dir)),
        root_dir_(std::move(root_dir)),
        diags_(diags) {}

  void load(FileId id) {
    state_[id] = State::Loading;
    chain_.push_back(id);
    ast::Module module = parseFile(sources_, id, diags_);
    fs::path dir = fs::path(sources_.file(id).path()).parent_path();
    for (const ast::Import& import : module.imports) {
      auto path = resolve(dir, import.path);
      if (!path) {
        diags_.report(DiagnosticKind::ImportNotFound, import.range, import.path);
        continue;
      }
      std::string error;
      auto child = sources_.load(*path, error);
      if (!child) {
        diags_.report(DiagnosticKind::FileNotReadable, import.range, import.path, error);
        continue;
      }
      auto it = state_.find(*child);
      if (it == state_.end()) {
        load(*child);
      } else if (it->second == State::Loading) {
        diags_.report(DiagnosticKind::ImportCycle, import.range, cycle(*child));
      }
    }
    chain_.pop_back();
    state_[id] = State::Done;
    program_.modules.push_back(std::move(module));
  }

  Program take() { return std::move(program_); }

 private:
  enum class State { Loading, Done };

  std::optional<fs::path> resolve(const fs::path& dir, const std::string& written) const {
    fs::path path(written);
    std::vector<fs::path> candidates;
    if (path.is_absolute()) {
      candidates.push_back(path);
    } else {
      candidates.push_back(dir / path);
      candidates.push_back(stdlib_dir_ / path);
      auto first = path.begin();
      if (first != path.end() && *first == "stdlib") {
        fs::path rest;
        for (auto part = std::next(first); part != path.end(); ++part) rest /= *part;
        if (!rest.empty()) candidates.push_back(stdlib_dir_ / rest);
      }
    }
    for (const auto& candidate : candidates) {
      std::error_code ec;
      // Anything that exists is taken: a directory is then reported as not readable, which
      // says more than "not found".
      if (fs::exists(candidate, ec)) return candidate.lexically_normal();
    }
    return std::nullopt;
  }

  // `a.snn -> b.snn -> a.snn`: the files from `again` to the end of the chain, then `again`.
  std::string cycle(FileId again) const {
    std::string text;
    bool inside = false;
    for (FileId id : chain_) {
      inside = inside || id == again;
      if (!inside) continue;
      text += displayName(id) + " -> ";
    }
    return text + displayName(again);
  }

  // The path relative to the root file's directory when the file is below it, else the file
  // name alone: never an absolute path, so that messages do not depend on the machine.
  std::string displayName(FileId id) const {
    fs::path path = fs::path(sources_.file(id).path()).lexically_normal();
    fs::path relative = path.lexically_relative(root_dir_);
    if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
    return path.filename().generic_string();
  }

  SourceManager& sources_;
  fs::path stdlib_dir_;
  fs::path root_dir_;
  Diagnostics& diags_;
  Program program_;
  std::unordered_map<FileId, State> state_;
  std::vector<FileId> chain_;
};

}  // namespace

Program loadProgram(SourceManager& sources, const fs::path& root_file, const fs::path& stdlib_dir,
                    Diagnostics& diags) {
  std::string error;
  auto root = sources.load(root_file, error);
  if (!root) {
    diags.report(DiagnosticKind::FileNotReadable, SourceRange{}, root_file.string(), error);
    return {};
  }
  fs::path root_dir = root_file.lexically_normal().parent_path();
  if (root_dir.empty()) root_dir = ".";
  Loader loader(sources, stdlib_dir, root_dir, diags);
  loader.load(*root);
  return loader.take();
}

}  // namespace snn::parse
