// The output of semantic analysis: every model and experiment with names resolved, dimensions
// known, constants evaluated to SI values, and side tables that give each expression node its
// type and each name what it refers to. Lowering (to the IR and the VM) reads this and never
// resolves a name again.
//
// The structure points into the AST (`const ast::Expr*`, `const ast::Block*`): the modules
// given to check() must outlive the CheckedProgram. Models are held by unique_ptr so that
// `const CheckedModel*` stays valid when the program is moved.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/type.h"
#include "compiler/units/dimension.h"

namespace snn::sema {

// ------------------------------------------------------------------ side tables

struct ExprTables {
  std::unordered_map<const ast::Expr*, Type> types;
  std::unordered_map<const ast::Expr*, Resolution> resolutions;  // names, members, callees
  std::unordered_map<const ast::LValue*, Resolution> targets;    // assignment targets

  const Type* typeOf(const ast::Expr* e) const;
  const Resolution* resolutionOf(const ast::Expr* e) const;
  const Resolution* targetOf(const ast::LValue* lv) const;
};

// ------------------------------------------------------------------ models

struct CheckedParameter {
  std::string name;
  const ast::ParameterDecl* decl = nullptr;
  units::Dimension dim;
  double value = 0;  // the default, in SI; NaN when it could not be evaluated (error reported)
};

struct CheckedState {
  std::string name;
  const ast::StateDecl* decl = nullptr;
  units::Dimension dim;
  const ast::Expr* init = nullptr;  // null: starts at 0
  bool has_ode = false;
  std::size_t ode = 0;  // index into odes when has_ode
};

struct CheckedSubExpression {
  std::string name;
  const ast::Equation* decl = nullptr;
  Type type;  // a quantity, or a condition
  const ast::Expr* expr = nullptr;
};

struct CheckedOde {
  std::size_t state = 0;  // index into states
  const ast::Equation* decl = nullptr;
  const ast::Expr* rhs = nullptr;
  bool unless_refractory = false;
  bool event_driven = false;  // synapses; otherwise clock-driven
  bool has_noise = false;
  std::vector<std::string> noise_sources;  // "xi", "xi_1", ... in order of first use
};

// `post.I_syn = g * (E - post.V) (summed)` in a synapse.
struct CheckedSummed {
  bool is_post = true;  // false: `pre.X`
  std::string variable;
  const ast::Equation* decl = nullptr;
  const ast::Expr* expr = nullptr;
  // The dimension of expr is that of the target variable in each connect: expr usually reads
  // `pre.`/`post.` variables, so it is only known per connect (checked there).
};

struct CheckedHandler {
  std::string event;  // "pre" or "post"
  const ast::Block* body = nullptr;
  const ast::EventHandler* decl = nullptr;
};

enum class RefractoryKind : std::uint8_t { None, Time, Condition };

struct CheckedModel {
  ast::ModelKind kind = ast::ModelKind::Neuron;
  std::string name;
  const ast::ModelDecl* decl = nullptr;
  std::vector<CheckedParameter> parameters;
  std::vector<CheckedState> states;
  std::vector<CheckedSubExpression> subexpressions;  // dependency order: uses after definitions
  std::vector<CheckedOde> odes;                      // source order
  std::vector<CheckedSummed> summed;                 // synapses
  // The order in which states take their initial values (dependencies first).
  std::vector<std::size_t> state_init_order;
  const ast::Expr* threshold = nullptr;
  const ast::Block* reset = nullptr;  // null: no reset
  RefractoryKind refractory_kind = RefractoryKind::None;
  const ast::Expr* refractory = nullptr;
  std::optional<double> refractory_time;  // SI seconds, when a constant time
  std::string method;                     // empty: chosen by the equations stage
  std::vector<CheckedHandler> handlers;   // synapses
  const ast::Expr* delay = nullptr;       // synapses
  std::optional<double> delay_time;       // SI seconds, when constant
  // Synapses: `pre.X` / `post.X` names used anywhere in the model, each with its first use.
  struct PrePostUse {
    bool is_post = false;
    std::string name;
    SourceRange first_use;
    bool assigned = false;  // written by a statement (must be a state of the neuron)
  };
  std::vector<PrePostUse> pre_post_uses;

  bool isNeuron() const { return kind == ast::ModelKind::Neuron; }
  bool isSynapse() const { return kind == ast::ModelKind::Synapse; }

  // A variable of the model by name: Parameter, State or SubExpression, and for neurons the
  // Builtin `lastspike` (index unused). std::nullopt if there is none.
  struct VariableRef {
    SymbolKind kind = SymbolKind::State;
    std::size_t index = 0;
    Type type;
    SourceRange declared_at;
  };
  std::optional<VariableRef> findVariable(std::string_view name) const;
  const CheckedParameter* findParameter(std::string_view name) const;
};

// ------------------------------------------------------------------ lets

struct CheckedLet {
  std::string name;
  const ast::LetDecl* decl = nullptr;
  bool is_timed = false;
  Type type;                   // constant: its type; timed: the element type
  double value = 0;            // constant, SI
  std::vector<double> values;  // timed: the samples, SI
  double dt = 0;               // timed: the sample interval, SI seconds
};

// ------------------------------------------------------------------ experiments

enum class PopulationKind : std::uint8_t { Neuron, Poisson, SpikeGenerator };

struct CheckedPopulation {
  std::string name;
  const ast::PopulationStmt* decl = nullptr;
  PopulationKind kind = PopulationKind::Neuron;
  const CheckedModel* model = nullptr;  // Neuron only
  std::int64_t size = 0;
  // Every parameter of the model, in model order, with the overrides applied (and parameters
  // that depend on overridden ones recomputed).
  std::vector<double> parameter_values;
  struct Override {
    std::size_t parameter = 0;
    const ast::Argument* decl = nullptr;
    double value = 0;
  };
  std::vector<Override> overrides;
  struct Initialiser {
    std::size_t state = 0;
    const ast::Initialiser* decl = nullptr;
    const ast::Expr* value = nullptr;
  };
  std::vector<Initialiser> initialisers;    // in written order, after the model's own inits
  const ast::Expr* rate = nullptr;          // Poisson: in Hz, may use t and i
  std::vector<std::int64_t> spike_indices;  // SpikeGenerator, sorted as written
  std::vector<double> spike_times;          // SpikeGenerator, SI
  std::string spike_file;                   // SpikeGenerator: CSV path as written, or empty

  // "LIF", "poisson", "spikes".
  std::string modelName() const;
  // A variable of the population's neurons: the model's, or `lastspike` for generators.
  std::optional<CheckedModel::VariableRef> findVariable(std::string_view name) const;
};

enum class ConnectRule : std::uint8_t {
  All,             // every pair (also the default when no rule is written)
  OneToOne,        // i == j
  Probability,     // `p = expr`: rule_value, dimensionless, may use i, j, pre./post.
  Explicit,        // `j = expr`: rule_value
  FixedIndegree,   // fixed_count
  FixedOutdegree,  // fixed_count
};

// A variable of a neuron that a synapse model reads or writes, bound for one connect.
struct PrePostBinding {
  bool is_post = false;
  std::string name;
  SymbolKind kind = SymbolKind::State;  // in the population's model; Builtin: lastspike
  std::size_t index = 0;
  Type type;
};

struct InlineVariable {
  std::string name;
  const ast::ConnectItem* decl = nullptr;
  Type type;
  const ast::Expr* init = nullptr;
};

struct CheckedConnect {
  std::string name;  // empty: unnamed
  const ast::ConnectStmt* decl = nullptr;
  std::size_t source = 0, target = 0;            // population indices
  const CheckedModel* synapse = nullptr;         // null: inline synapse
  std::vector<double> synapse_parameter_values;  // synapse model: overrides applied
  ConnectRule rule = ConnectRule::All;
  const ast::Expr* rule_value = nullptr;
  std::int64_t fixed_count = 0;
  const ast::Expr* condition = nullptr;  // `condition = ...` or `p = ... if ...`
  const ast::Expr* delay = nullptr;      // the connect's `delay`, else the synapse model's
  std::optional<double> delay_time;      // SI, when constant
  std::vector<InlineVariable> inline_variables;
  struct StateInit {
    std::size_t state = 0;  // index into synapse->states
    const ast::ConnectItem* decl = nullptr;
    const ast::Expr* value = nullptr;
  };
  std::vector<StateInit> state_inits;         // synapse model: `w = rand() * wmax`
  std::vector<CheckedHandler> handlers;       // inline synapses
  std::vector<PrePostBinding> pre_post;       // synapse model: its pre./post. names, bound here
  std::optional<std::int64_t> synapse_count;  // when known at compile time
};

struct CheckedRecording {
  enum class Kind : std::uint8_t { Spikes, Rate, Variable } kind = Kind::Spikes;
  const ast::RecordItem* decl = nullptr;
  bool of_connect = false;      // Variable: a connect's synapse variable (`S.w`)
  std::size_t owner = 0;        // population index, or connect index when of_connect
  std::string variable;         // Variable
  std::int64_t lo = 0, hi = 0;  // Variable: recorded indices [lo, hi); hi = -1: to the end
  double every = 0;             // SI seconds; 0: every step
};

struct CheckedRun {
  const ast::RunStmt* decl = nullptr;
  double duration = 0;  // SI seconds
};

// An assignment `P.X = v`, `P.X[a:b] += v`, `S.w = v`, in the protocol or in an `at` block.
struct CheckedAssign {
  const ast::AssignStmt* stmt = nullptr;
  bool of_connect = false;
  std::size_t owner = 0;  // population or connect index
  std::string variable;
  std::int64_t lo = 0, hi = -1;  // [lo, hi); hi = -1: to the end
};

struct CheckedAt {
  const ast::AtStmt* decl = nullptr;
  double time = 0;                         // SI seconds
  std::vector<CheckedAssign> assignments;  // the block's assignments, in order
};

struct CheckedPrint {
  const ast::PrintStmt* decl = nullptr;
};

struct CheckedPlot {
  enum class Kind : std::uint8_t { Raster, Trace, Rate, Histogram, Psd } kind = Kind::Raster;
  const ast::PlotStmt* decl = nullptr;
  std::vector<std::size_t> populations;  // Raster, Rate, Psd
  struct VariableRef {
    bool of_connect = false;
    std::size_t owner = 0;
    std::string variable;
    std::int64_t lo = 0, hi = -1;
  };
  std::vector<VariableRef> variables;  // Trace, Histogram
  double smooth_width = 0;             // Rate: gaussian width in SI seconds, 0: none
  std::int64_t bins = 0;               // Histogram: 0 = automatic
  std::string path;                    // as written; empty: derived by the driver
};

struct CheckedPoissonInput {
  const ast::CallStmt* decl = nullptr;
  std::size_t population = 0;
  std::string variable;
  std::int64_t n = 0;
  double rate = 0;    // SI Hz
  double weight = 0;  // SI, dimension of the variable
};

struct CheckedExperiment {
  std::string name;
  const ast::ExperimentDecl* decl = nullptr;
  double dt = 1e-4;  // SI seconds: `dt = ...`, default 0.1 ms as in Brian2
  bool dt_set = false;
  std::optional<std::uint64_t> seed;
  std::vector<CheckedLet> lets;  // experiment-level lets
  std::vector<CheckedPopulation> populations;
  std::vector<CheckedConnect> connects;
  std::vector<CheckedRecording> recordings;

  // The protocol, in order. Populations, connects and recordings are set up before the first
  // run in the order written; the indices point into the vectors above.
  struct PopulationStep {
    std::size_t index;
  };
  struct ConnectStep {
    std::size_t index;
  };
  struct RecordStep {
    std::size_t index;
  };  // into recordings
  using Step = std::variant<PopulationStep, ConnectStep, RecordStep, CheckedRun, CheckedAssign,
                            CheckedAt, CheckedPrint, CheckedPlot, CheckedPoissonInput>;
  std::vector<Step> steps;

  const CheckedPopulation* findPopulation(std::string_view name) const;
  const CheckedConnect* findConnect(std::string_view name) const;
};

// ------------------------------------------------------------------ the program

struct CheckedProgram {
  std::vector<std::unique_ptr<CheckedModel>> models;  // imports first, as the modules
  std::vector<CheckedLet> lets;                       // file-level lets, all modules
  std::vector<CheckedExperiment> experiments;
  ExprTables tables;

  const CheckedModel* findModel(std::string_view name) const;
  const CheckedLet* findLet(std::string_view name) const;
  const Type* typeOf(const ast::Expr* e) const { return tables.typeOf(e); }
  const Resolution* resolutionOf(const ast::Expr* e) const { return tables.resolutionOf(e); }
};

}  // namespace snn::sema
