// The diagnostics sink of sema: Diagnostics plus an optional context note added to every error.
//
// A synapse model is checked once on its own, and then again for each `connect ... using` it,
// with its `pre.`/`post.` names bound to the two populations' models. Errors found only in
// the second pass need to say which connect they come from; errors found in both are the same
// diagnostic (same kind, place and message) and Diagnostics drops the repeat, so each problem
// is reported once however many connects use the synapse.
#pragma once

#include <string>
#include <utility>

#include "compiler/diagnostics/diagnostics.h"

namespace snn::sema {

class Reporter {
 public:
  explicit Reporter(Diagnostics& diags) : diags_(diags) {}

  template <typename... Args>
  Builder report(DiagnosticKind kind, SourceRange range, Args&&... args) {
    Builder b = diags_.report(kind, range, std::forward<Args>(args)...);
    if (has_context_) b.note(context_range_, context_message_);
    return b;
  }

  Diagnostics& diagnostics() { return diags_; }
  std::size_t errorCount() const { return diags_.errorCount(); }

  // While alive, every report gets the note (range, message).
  class ContextScope {
   public:
    ContextScope(Reporter& r, SourceRange range, std::string message)
        : r_(r),
          saved_has_(r.has_context_),
          saved_range_(r.context_range_),
          saved_message_(std::move(r.context_message_)) {
      r.has_context_ = true;
      r.context_range_ = range;
      r.context_message_ = std::move(message);
    }
    ~ContextScope() {
      r_.has_context_ = saved_has_;
      r_.context_range_ = saved_range_;
      r_.context_message_ = std::move(saved_message_);
    }
    ContextScope(const ContextScope&) = delete;
    ContextScope& operator=(const ContextScope&) = delete;

   private:
    Reporter& r_;
    bool saved_has_;
    SourceRange saved_range_;
    std::string saved_message_;
  };

 private:
  Diagnostics& diags_;
  bool has_context_ = false;
  SourceRange context_range_;
  std::string context_message_;
};

}  // namespace snn::sema
