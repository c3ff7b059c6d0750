// Diagnostics: every error or warning a user sees is a Diagnostic, collected here and printed
// in the clang form by the renderer. Stages never throw on user error: they report and go on,
// so that one run shows every error in a file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/source/source_manager.h"

namespace snn {

enum class Severity : std::uint8_t { Note, Warning, Error, Fatal };

enum class DiagnosticKind : std::uint16_t {
#define DIAGNOSTIC(Kind, Severity, Format) Kind,
#include "compiler/diagnostics/diagnostic_kinds.def"
#undef DIAGNOSTIC
  Count_
};

std::string_view diagnosticKindName(DiagnosticKind kind);
Severity diagnosticSeverity(DiagnosticKind kind);
std::string_view diagnosticFormat(DiagnosticKind kind);
constexpr std::size_t kDiagnosticKindCount = static_cast<std::size_t>(DiagnosticKind::Count_);

struct DiagnosticNote {
  SourceRange range;  // may be invalid: a note without a place ("write `1 * tau`")
  std::string message;
};

struct Diagnostic {
  DiagnosticKind kind;
  Severity severity;
  SourceRange range;  // the caret goes at its start, tildes under the rest
  std::string message;
  std::vector<DiagnosticNote> notes;
  // More ranges underlined with tildes on the caret's line, as clang marks both operands of
  // a mismatched `+`: `E_L + I_0` becomes `~~~ ^ ~~~`.
  std::vector<SourceRange> highlights = {};
};

class Diagnostics;

// Attaches notes to the diagnostic just reported (or does nothing if it was dropped).
class Builder {
 public:
  Builder(Diagnostics* owner, std::size_t index) : owner_(owner), index_(index) {}
  Builder& note(SourceRange range, std::string message);
  Builder& note(std::string message) { return note(SourceRange{}, std::move(message)); }
  Builder& highlight(SourceRange range);

 private:
  Diagnostics* owner_;
  std::size_t index_;  // an index, not a pointer: later reports may grow the vector
};

class Diagnostics {
 public:
  // Stops collecting errors after this many (then one TooManyErrors).
  static constexpr std::size_t kMaxErrors = 100;

  // Reports a diagnostic; the arguments fill the kind's format string from the .def table.
  // Returns the diagnostic so that notes can be attached:
  //   diags.report(DiagnosticKind::UndefinedName, range, name).note(decl, "declared here");
  template <typename... Args>
  Builder report(DiagnosticKind kind, SourceRange range, Args&&... args);

  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  std::size_t errorCount() const { return error_count_; }
  bool hasErrors() const { return error_count_ > 0; }
  void clear();

 private:
  friend class Builder;
  static constexpr std::size_t kDropped = ~std::size_t{0};
  std::size_t add(DiagnosticKind kind, SourceRange range, std::string message);

  std::vector<Diagnostic> diagnostics_;
  std::size_t error_count_ = 0;
  bool stopped_ = false;
};

template <typename... Args>
Builder Diagnostics::report(DiagnosticKind kind, SourceRange range, Args&&... args) {
  std::string message = fmt::vformat(diagnosticFormat(kind), fmt::make_format_args(args...));
  return Builder(this, add(kind, range, std::move(message)));
}

}  // namespace snn
