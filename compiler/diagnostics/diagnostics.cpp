// The diagnostic table and the collector; see diagnostics.h.
#include "compiler/diagnostics/diagnostics.h"

#include <array>

namespace snn {
namespace {

struct KindInfo {
  std::string_view name;
  Severity severity;
  std::string_view format;
};

constexpr std::array<KindInfo, kDiagnosticKindCount> kKinds = {{
#define DIAGNOSTIC(Kind, Sev, Format) {#Kind, Severity::Sev, Format},
#include "compiler/diagnostics/diagnostic_kinds.def"
#undef DIAGNOSTIC
}};

}  // namespace

std::string_view diagnosticKindName(DiagnosticKind kind) {
  return kKinds[static_cast<std::size_t>(kind)].name;
}
Severity diagnosticSeverity(DiagnosticKind kind) {
  return kKinds[static_cast<std::size_t>(kind)].severity;
}
std::string_view diagnosticFormat(DiagnosticKind kind) {
  return kKinds[static_cast<std::size_t>(kind)].format;
}

Builder& Builder::note(SourceRange range, std::string message) {
  if (index_ != Diagnostics::kDropped) {
    owner_->diagnostics_[index_].notes.push_back({range, std::move(message)});
  }
  return *this;
}

Builder& Builder::highlight(SourceRange range) {
  if (index_ != Diagnostics::kDropped && range.valid()) {
    owner_->diagnostics_[index_].highlights.push_back(range);
  }
  return *this;
}

std::size_t Diagnostics::add(DiagnosticKind kind, SourceRange range, std::string message) {
  if (stopped_) return kDropped;
  Severity severity = diagnosticSeverity(kind);
  // The same error at the same place twice (e.g. from error recovery) helps nobody.
  for (const auto& d : diagnostics_) {
    if (d.kind == kind && d.range == range && d.message == message) return kDropped;
  }
  if (severity >= Severity::Error) {
    if (error_count_ == kMaxErrors) {
      stopped_ = true;
      diagnostics_.push_back({DiagnosticKind::TooManyErrors, Severity::Fatal, range,
                              std::string(diagnosticFormat(DiagnosticKind::TooManyErrors)), {}});
      return kDropped;
    }
    ++error_count_;
  }
  diagnostics_.push_back({kind, severity, range, std::move(message), {}});
  return diagnostics_.size() - 1;
}

void Diagnostics::clear() {
  diagnostics_.clear();
  error_count_ = 0;
  stopped_ = false;
}

}  // namespace snn
