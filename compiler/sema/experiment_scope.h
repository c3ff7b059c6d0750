// Internal to the experiment checker (experiment_checker.cpp, connect_checker.cpp,
// output_checker.cpp, experiment_scope.cpp): the protocol walker and the resolver that gives
// the names of each place in an experiment. Not for use outside compiler/sema/.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "compiler/sema/checked_program.h"
#include "compiler/sema/const_eval.h"
#include "compiler/sema/expr_checker.h"
#include "compiler/sema/scope.h"

namespace snn::sema::detail {

units::Dimension timeDim();
units::Dimension frequencyDim();
std::string formatNumber(double v);
// "E", "spikes(E)", "E.V" for messages about expressions we have no source text for.
std::string describeExpr(const ast::Expr& e);

// A variable of a population or a named connect, as `P.X` or `S.w` name it.
struct GroupVariable {
  bool of_connect = false;
  std::size_t owner = 0;
  std::string owner_name;
  std::string name;
  SymbolKind kind = SymbolKind::State;  // Parameter, State, SubExpression, Builtin, SynapseVariable
  std::size_t index = 0;
  Type type;
  SourceRange declared_at;
  const CheckedModel* model = nullptr;
  std::optional<std::int64_t> size;  // elements: neurons, or synapses when known
};

struct IndexRange {
  std::int64_t lo = 0;
  std::int64_t hi = -1;  // -1: to the end
};

class ExperimentChecker;

// ------------------------------------------------------------------ the resolver

class ExperimentResolver final : public NameResolver {
 public:
  explicit ExperimentResolver(ExperimentChecker& exp) : exp_(exp) {}

  // Bare names, searched in this order (see experiment_checker.h).
  const std::vector<InlineVariable>* inline_vars = nullptr;
  const CheckedModel* synapse = nullptr;
  const std::vector<double>* synapse_values = nullptr;
  const CheckedPopulation* population = nullptr;
  // `pre.X` / `post.X`.
  const CheckedPopulation* pre = nullptr;
  const CheckedPopulation* post = nullptr;
  // Inline `on pre`/`on post`: bare names fall through to the target population.
  bool target_fallback = false;
  // print: `P.param`, `E.V[k]`, analysis functions.
  bool print = false;
  // Protocol assignments: the target, already resolved.
  std::optional<NameBinding> preset_target;

  std::optional<NameBinding> resolveName(std::string_view name, SourceRange use) override;
  bool hasName(std::string_view name) const override;
  std::optional<NameBinding> resolveMember(const ast::MemberExpr& e, ExprChecker& checker) override;
  std::optional<Type> checkIndex(const ast::IndexExpr& e, ExprChecker& checker) override;
  std::optional<Type> checkCall(const ast::CallExpr& e, ExprChecker& checker) override;
  std::optional<NameBinding> resolveTarget(const ast::LValue& target,
                                           ExprChecker& checker) override;
  void addCandidates(std::vector<std::string>& out) const override;

  // Values of the parameters this scope's names can refer to.
  ParameterValues parameterValues() const {
    return [this](const Resolution& r) -> std::optional<double> {
      if (population && r.model == population->model &&
          r.index < population->parameter_values.size()) {
        return population->parameter_values[r.index];
      }
      if (synapse && synapse_values && r.model == synapse && r.index < synapse_values->size()) {
        return (*synapse_values)[r.index];
      }
      return std::nullopt;
    };
  }

 private:
  std::optional<NameBinding> bindVariable(const CheckedModel* model,
                                          const CheckedModel::VariableRef& v,
                                          std::string_view name) const {
    NameBinding b;
    b.resolution.kind = v.kind;
    b.resolution.name = std::string(name);
    b.resolution.index = v.index;
    b.resolution.model = model;
    b.type = v.type;
    b.declared_at = v.declared_at;
    b.is_constant = v.kind == SymbolKind::Parameter;
    return b;
  }
  std::optional<NameBinding> bindPrePost(bool is_post, const CheckedPopulation& pop,
                                         const ast::MemberExpr* e, const std::string& member,
                                         SourceRange range, bool assigned);

  std::optional<Type> checkAnalysis(const ast::CallExpr& c, const BuiltinFunctionInfo& f,
                                    ExprChecker& checker);

  ExperimentChecker& exp_;
};

// ------------------------------------------------------------------ the checker

class ExperimentChecker {
 public:
  ExperimentChecker(SemaState& state, const ast::ExperimentDecl& decl, CheckedExperiment& out)
      : state_(state), decl_(decl), out_(out) {}

  void run();

  // Used by the resolver.
  SemaState& state() { return state_; }
  Reporter& diags() { return state_.diags; }
  CheckedExperiment& out() { return out_; }
  std::optional<NameBinding> lookupLet(std::string_view name) const {
    auto it = lets_.find(std::string(name));
    if (it != lets_.end()) return bindLet(out_.lets[it->second], it->second, let_ok_[it->second]);
    return state_.lookupFileLet(name);
  }
  void addLetCandidates(std::vector<std::string>& out) const {
    for (const auto& [name, index] : lets_) out.push_back(name);
    state_.addFileLetCandidates(out);
  }
  std::optional<std::size_t> findPopulation(const std::string& name, SourceRange range,
                                            bool report = true);
  std::optional<std::size_t> findConnect(const std::string& name) const {
    auto it = connects_.find(name);
    if (it == connects_.end()) return std::nullopt;
    return it->second;
  }
  // `P.X` or `S.w`; reports unknown groups and variables.
  std::optional<GroupVariable> findGroupVariable(const std::string& object,
                                                 SourceRange object_range, const std::string& name,
                                                 SourceRange name_range);
  std::optional<IndexRange> checkSubscript(bool is_slice, const ast::Expr* index,
                                           const ast::Expr* lo, const ast::Expr* hi,
                                           const GroupVariable& var, SourceRange range);
  bool spikesRecorded(std::size_t p) const { return spikes_recorded_.count(p) > 0; }
  bool rateRecorded(std::size_t p) const { return rate_recorded_.count(p) > 0; }
  bool variableRecorded(const GroupVariable& v) const {
    return vars_recorded_.count(std::make_tuple(v.of_connect, v.owner, v.name)) > 0;
  }
  void reportNotRecorded(SourceRange range, const std::string& what) {
    diags()
        .report(DiagnosticKind::NotRecorded, range, what)
        .note(fmt::format("add `record {}` before the `run`", what));
  }
  // `rate(P)` or `rate(P, smooth = gaussian(T))`: the population, after checking it.
  std::optional<std::size_t> checkRateOf(const ast::Expr& e, ExprChecker& checker,
                                         double* smooth_width, bool require_recorded);

 private:
  // A constant of the experiment: numbers, units, lets.
  std::optional<double> constant(const ast::Expr& e, const units::Dimension& dim,
                                 const std::string& what, bool* is_list = nullptr);
  std::optional<std::int64_t> integerConstant(const ast::Expr& e, const std::string& what);

  void declareGroup(const std::string& name, SourceRange range);
  void checkPopulation(const ast::PopulationStmt& s, SourceRange stmt_range);
  void checkOverrides(const CheckedModel& model, const std::vector<ast::Argument>& args,
                      const std::string& owner, std::vector<double>& values,
                      std::vector<CheckedPopulation::Override>* overrides);
  void checkPoisson(const ast::PopulationStmt& s, CheckedPopulation& p);
  void checkSpikeGenerator(const ast::PopulationStmt& s, CheckedPopulation& p);
  void checkInitialisers(const ast::PopulationStmt& s, CheckedPopulation& p);
  void checkConnect(const ast::ConnectStmt& s, SourceRange stmt_range);
  void checkRecord(const ast::RecordStmt& s);
  void checkRecordItem(const ast::RecordItem& item);
  void checkRun(const ast::RunStmt& s, SourceRange range);
  void checkAt(const ast::AtStmt& s, SourceRange range);
  void checkPrint(const ast::PrintStmt& s);
  void checkPlot(const ast::PlotStmt& s, SourceRange range);
  void checkLetStmt(const ast::LetDecl& s);
  void checkCallStmt(const ast::CallStmt& s);
  void checkPoissonInput(const ast::CallStmt& s);
  void checkAssign(const ast::AssignStmt& s, std::vector<CheckedAssign>* at_block);
  void checkSetting(const ast::AssignStmt& s);

  SemaState& state_;
  const ast::ExperimentDecl& decl_;
  CheckedExperiment& out_;
  std::unordered_map<std::string, std::size_t> lets_;
  std::vector<bool> let_ok_;
  std::unordered_map<std::string, SourceRange> group_names_;
  std::unordered_map<std::string, std::size_t> populations_;
  std::unordered_map<std::string, std::size_t> connects_;
  std::set<std::size_t> spikes_recorded_, rate_recorded_;
  std::set<std::tuple<bool, std::size_t, std::string>> vars_recorded_;
  bool run_seen_ = false;
  double simulated_ = 0;  // seconds of `run`s so far
  SourceRange dt_range_, seed_range_;
};

}  // namespace snn::sema::detail
