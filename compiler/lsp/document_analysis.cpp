// Implementation of the per-document analysis; see document_analysis.h.
//
// The indexer walks only the document's own module (occurrences are for hovering in it) and
// keeps track of the model, experiment and connect it is in, since resolutions name their
// symbol by an index into those.
#include "compiler/lsp/document_analysis.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "compiler/driver/frontend.h"
#include "compiler/equations/equations.h"
#include "compiler/lsp/positions.h"
#include "compiler/sema/ast_walk.h"
#include "compiler/sema/builtins.h"
#include "compiler/sema/checked_program.h"
#include "compiler/units/unit_table.h"

namespace snn::lsp {
namespace {

using nlohmann::json;

// Where a range of any loaded file is, for the client.
class Locator {
 public:
  Locator(const SourceManager& sources, FileId document, std::string document_uri)
      : sources_(sources), document_(document), document_uri_(std::move(document_uri)) {}

  std::optional<json> location(SourceRange range) const {
    if (!range.valid() || range.file >= sources_.fileCount()) return std::nullopt;
    const SourceFile& file = sources_.file(range.file);
    std::string uri = range.file == document_ ? document_uri_ : pathToUri(file.path());
    return json{{"uri", uri}, {"range", rangeJson(file.text(), range.begin, range.end)}};
  }

  // `neurons.snn:5:5`, for hover text.
  std::string describe(SourceRange range) const {
    if (!range.valid() || range.file >= sources_.fileCount()) return {};
    const SourceFile& file = sources_.file(range.file);
    LineColumn lc = file.lineColumn(range.begin);
    std::string name = range.file == document_
                           ? "line " + std::to_string(lc.line)
                           : std::filesystem::path(file.path()).filename().string() + ":" +
                                 std::to_string(lc.line);
    return name;
  }

  const SourceManager& sources() const { return sources_; }
  FileId document() const { return document_; }

 private:
  const SourceManager& sources_;
  FileId document_;
  std::string document_uri_;
};

std::string code(std::string_view text) {
  return "`" + std::string(text) + "`";
}

std::string quantity(double value, const units::Dimension& dim) {
  if (std::isnan(value)) return "?";
  return units::formatQuantity(value, dim);
}

const char* modelKindName(ast::ModelKind kind) {
  return kind == ast::ModelKind::Neuron ? "neuron" : "synapse";
}

// What a hover says and where go-to-definition goes.
struct Symbol {
  std::string hover;
  SourceRange defined_at;
};

class Indexer {
 public:
  Indexer(const sema::CheckedProgram& program, const Locator& locator, Analysis& out)
      : program_(program), locator_(locator), out_(out) {}

  void indexModule(const ast::Module& module) {
    for (const auto& let : module.lets) indexLet(let, nullptr);
    for (const auto& model : module.models) indexModel(model);
    for (const auto& experiment : module.experiments) indexExperiment(experiment);
  }

 private:
  // ---------------------------------------------------------------- symbols

  Symbol modelVariable(const sema::CheckedModel& model, sema::SymbolKind kind, std::size_t index,
                       std::string_view prefix = {}) {
    std::string owner = fmt::format("of {} {}", modelKindName(model.kind), code(model.name));
    switch (kind) {
      case sema::SymbolKind::Parameter: {
        if (index >= model.parameters.size()) break;
        const auto& p = model.parameters[index];
        return {fmt::format("**parameter** {} {}\n\n{} = {} (unit: {})",
                            code(std::string(prefix) + p.name), owner, code(p.name),
                            quantity(p.value, p.dim), p.dim.toUnitString()),
                p.decl ? p.decl->name_range : SourceRange{}};
      }
      case sema::SymbolKind::State: {
        if (index >= model.states.size()) break;
        const auto& s = model.states[index];
        return {fmt::format("**state variable** {} {}\n\nunit: {}{}",
                            code(std::string(prefix) + s.name), owner, s.dim.toUnitString(),
                            s.has_ode ? ", integrated by its differential equation" : ""),
                s.decl ? s.decl->name_range : SourceRange{}};
      }
      case sema::SymbolKind::SubExpression: {
        if (index >= model.subexpressions.size()) break;
        const auto& e = model.subexpressions[index];
        return {fmt::format("**sub-expression** {} {}\n\nunit: {}",
                            code(std::string(prefix) + e.name), owner, e.type.describe()),
                e.decl ? e.decl->name_range : SourceRange{}};
      }
      case sema::SymbolKind::Builtin:
        return {fmt::format("**built-in variable** {} {}\n\nunit: second",
                            code(std::string(prefix) + "lastspike"), owner),
                {}};
      default:
        break;
    }
    return {};
  }

  Symbol letSymbol(const sema::CheckedLet& let) {
    std::string text;
    if (let.is_timed) {
      text = fmt::format("**timed array** {}\n\n{} samples of {}, one every {}", code(let.name),
                         let.values.size(), let.type.describe(),
                         quantity(let.dt, units::Dimension::base(units::BaseDimension::Time)));
    } else if (let.type.isQuantity() && !let.type.is_list) {
      text = fmt::format("**constant** {}\n\n{} = {} (unit: {})", code(let.name), code(let.name),
                         quantity(let.value, let.type.dim), let.type.dim.toUnitString());
    } else {
      text = fmt::format("**constant** {}\n\n{}", code(let.name), let.type.describe());
    }
    return {text, let.decl ? let.decl->name_range : SourceRange{}};
  }

  Symbol populationSymbol(const sema::CheckedPopulation& p) {
    return {fmt::format("**population** {} = {}[{}]", code(p.name), p.modelName(), p.size),
            p.decl ? p.decl->name_range : SourceRange{}};
  }

  Symbol modelSymbol(const sema::CheckedModel& m) {
    return {fmt::format("**{}** {}\n\n{} parameters, {} state variables, {} sub-expressions",
                        modelKindName(m.kind), code(m.name), m.parameters.size(), m.states.size(),
                        m.subexpressions.size()),
            m.decl ? m.decl->name_range : SourceRange{}};
  }

  Symbol resolved(const sema::Resolution& r, const ast::Expr* typed) {
    using sema::SymbolKind;
    switch (r.kind) {
      case SymbolKind::Parameter:
      case SymbolKind::State:
      case SymbolKind::SubExpression:
        if (r.model) return modelVariable(*r.model, r.kind, r.index);
        break;
      case SymbolKind::Builtin: {
        const auto& info = sema::info(r.builtin_variable);
        std::string unit;
        if (const sema::Type* type = typed ? program_.typeOf(typed) : nullptr) {
          unit = "\n\nunit: " + type->describe();
        }
        return {fmt::format("**built-in variable** {}: {}{}", code(info.name), info.doc, unit), {}};
      }
      case SymbolKind::Noise:
        return {fmt::format("**white noise** {}: unit second^-1/2, only in differential equations",
                            code(r.name)),
                {}};
      case SymbolKind::Unit: {
        std::string dim = "1";
        if (const sema::Type* type = typed ? program_.typeOf(typed) : nullptr) {
          dim = type->dim.toUnitString();
        }
        return {fmt::format("**unit** {} = {:g} {}", code(r.name), r.value, dim), {}};
      }
      case SymbolKind::PreVariable:
      case SymbolKind::PostVariable: {
        std::string prefix = r.kind == SymbolKind::PreVariable ? "pre." : "post.";
        if (r.model) return modelVariable(*r.model, r.member_kind, r.index, prefix);
        return {fmt::format("**{}** {}: a variable of the {} neuron, bound at each `connect`",
                            sema::spelling(r.kind), code(prefix + r.name),
                            r.kind == SymbolKind::PreVariable ? "presynaptic" : "postsynaptic"),
                {}};
      }
      case SymbolKind::Let:
      case SymbolKind::TimedArray:
        if (r.let) return letSymbol(*r.let);
        break;
      case SymbolKind::Function: {
        const auto& info = sema::info(r.builtin_function);
        return {fmt::format("**built-in function** `{}`: {}", info.signature, info.doc), {}};
      }
      case SymbolKind::Population:
        if (experiment_ && r.index < experiment_->populations.size()) {
          return populationSymbol(experiment_->populations[r.index]);
        }
        break;
      case SymbolKind::Connection:
        if (experiment_ && r.index < experiment_->connects.size()) {
          const auto& c = experiment_->connects[r.index];
          return {fmt::format("**connection** {}", code(c.name)),
                  c.decl ? c.decl->name_range : SourceRange{}};
        }
        break;
      case SymbolKind::SynapseVariable:
        if (connect_ && r.index < connect_->inline_variables.size()) {
          const auto& v = connect_->inline_variables[r.index];
          return {
              fmt::format("**synapse variable** {}\n\nunit: {}", code(v.name), v.type.describe()),
              v.decl ? v.decl->key_range : SourceRange{}};
        }
        break;
    }
    return {fmt::format("**{}** {}", sema::spelling(r.kind), code(r.name)), {}};
  }

  void add(SourceRange range, Symbol symbol) {
    if (!range.valid() || range.file != locator_.document() || symbol.hover.empty()) return;
    if (std::string where = locator_.describe(symbol.defined_at); !where.empty()) {
      symbol.hover += "\n\ndefined at " + where;
    }
    out_.occurrences.push_back(
        {range.begin, range.end, std::move(symbol.hover), locator_.location(symbol.defined_at)});
  }

  // ---------------------------------------------------------------- walking

  void unit(const ast::UnitExpr& u) {
    for (const auto& factor : u.factors) {
      if (factor.name == "1") continue;
      auto found = units::lookupUnit(factor.name);
      if (!found) continue;
      add(factor.range, {fmt::format("**unit** {} = {:g} {}", code(factor.name), found->scale,
                                     found->dim.toUnitString()),
                         {}});
    }
  }

  void expr(const ast::Expr* e) {
    if (!e) return;
    sema::forEachExpr(*e, [&](const ast::Expr& sub) {
      const sema::Resolution* r = program_.resolutionOf(&sub);
      switch (sub.kind) {
        case ast::ExprKind::Name:
          if (r) {
            add(sub.range, resolved(*r, &sub));
          } else if (experiment_) {
            // Arguments of recording and plotting functions (`trace(E.V[0])`) are checked by
            // name, without a resolution.
            const auto& name = static_cast<const ast::NameExpr&>(sub).name;
            if (const auto* p = experiment_->findPopulation(name))
              add(sub.range, populationSymbol(*p));
          }
          break;
        case ast::ExprKind::Member:
          if (r) add(static_cast<const ast::MemberExpr&>(sub).member_range, resolved(*r, &sub));
          break;
        case ast::ExprKind::Call:
          if (r) add(static_cast<const ast::CallExpr&>(sub).callee_range, resolved(*r, &sub));
          break;
        case ast::ExprKind::Number:
          if (const auto& u = static_cast<const ast::NumberExpr&>(sub).unit) unit(*u);
          break;
        default:
          break;
      }
    });
  }

  void target(const ast::LValue& lv) {
    if (const sema::Resolution* r = program_.tables.targetOf(&lv))
      add(lv.name_range, resolved(*r, nullptr));
    if (experiment_ && !lv.object.empty()) {
      if (const auto* p = experiment_->findPopulation(lv.object)) {
        add(lv.object_range, populationSymbol(*p));
      }
    }
    expr(lv.index.get());
    expr(lv.lo.get());
    expr(lv.hi.get());
  }

  void block(const ast::Block& b) {
    for (const auto& stmt : b) {
      if (const auto* assign = std::get_if<ast::AssignStmt>(&stmt->node)) {
        target(assign->target);
        expr(assign->value.get());
      } else if (const auto* branch = std::get_if<ast::IfStmt>(&stmt->node)) {
        expr(branch->condition.get());
        block(branch->then_body);
        block(branch->else_body);
      }
    }
  }

  void indexLet(const ast::LetDecl& let, const sema::CheckedExperiment* experiment) {
    const sema::CheckedLet* checked = nullptr;
    const auto& lets = experiment ? experiment->lets : program_.lets;
    for (const auto& l : lets) {
      if (l.decl == &let) checked = &l;
    }
    if (checked) add(let.name_range, letSymbol(*checked));
    expr(let.value.get());
  }

  void indexModel(const ast::ModelDecl& decl) {
    model_ = nullptr;
    for (const auto& m : program_.models) {
      if (m->decl == &decl) model_ = m.get();
    }
    if (model_) add(decl.name_range, modelSymbol(*model_));
    auto variable = [&](SourceRange range, std::string_view name) {
      if (!model_) return;
      if (auto v = model_->findVariable(name))
        add(range, modelVariable(*model_, v->kind, v->index));
    };
    for (const auto& p : decl.parameters) {
      variable(p.name_range, p.name);
      if (p.unit) unit(*p.unit);
      expr(p.value.get());
    }
    for (const auto& s : decl.states) {
      variable(s.name_range, s.name);
      unit(s.unit);
      expr(s.init.get());
    }
    for (const auto& eq : decl.equations) {
      if (eq.object.empty()) variable(eq.name_range, eq.name);  // `dV/dt` goes to V
      if (eq.unit) unit(*eq.unit);
      expr(eq.rhs.get());
    }
    expr(decl.threshold.get());
    block(decl.reset);
    expr(decl.refractory.get());
    for (const auto& handler : decl.handlers) block(handler.body);
    expr(decl.delay.get());
    model_ = nullptr;
  }

  void modelReference(SourceRange range, std::string_view name) {
    if (const auto* m = program_.findModel(name)) {
      add(range, modelSymbol(*m));
    } else if (name == sema::kPoissonGenerator || name == sema::kSpikeGenerator) {
      add(range, {fmt::format("**built-in generator** {}", code(name)), {}});
    }
  }

  void indexPopulation(const ast::PopulationStmt& stmt) {
    const sema::CheckedPopulation* checked = nullptr;
    for (const auto& p : experiment_->populations) {
      if (p.decl == &stmt) checked = &p;
    }
    if (checked) add(stmt.name_range, populationSymbol(*checked));
    modelReference(stmt.model_range, stmt.model);
    expr(stmt.size.get());
    const sema::CheckedModel* model = checked ? checked->model : nullptr;
    for (const auto& argument : stmt.arguments) {
      if (model) {
        if (auto v = model->findVariable(argument.name)) {
          add(argument.name_range, modelVariable(*model, v->kind, v->index));
        }
      }
      expr(argument.value.get());
    }
    for (const auto& init : stmt.initialisers) {
      if (model) {
        if (auto v = model->findVariable(init.name)) {
          add(init.name_range, modelVariable(*model, v->kind, v->index));
        }
      }
      expr(init.value.get());
    }
  }

  void indexConnect(const ast::ConnectStmt& stmt) {
    connect_ = nullptr;
    for (const auto& c : experiment_->connects) {
      if (c.decl == &stmt) connect_ = &c;
    }
    if (connect_ && !stmt.name.empty()) {
      add(stmt.name_range, {fmt::format("**connection** {}", code(stmt.name)), stmt.name_range});
    }
    if (const auto* p = experiment_->findPopulation(stmt.source))
      add(stmt.source_range, populationSymbol(*p));
    if (const auto* p = experiment_->findPopulation(stmt.target))
      add(stmt.target_range, populationSymbol(*p));
    const sema::CheckedModel* synapse = nullptr;
    if (!stmt.synapse.empty()) {
      modelReference(stmt.synapse_range, stmt.synapse);
      synapse = program_.findModel(stmt.synapse);
    }
    for (const auto& argument : stmt.arguments) {
      if (synapse) {
        if (auto v = synapse->findVariable(argument.name)) {
          add(argument.name_range, modelVariable(*synapse, v->kind, v->index));
        }
      }
      expr(argument.value.get());
    }
    for (const auto& item : stmt.items) {
      if (item.kind == ast::ConnectItem::Kind::Assign && connect_) {
        for (std::size_t k = 0; k < connect_->inline_variables.size(); ++k) {
          if (connect_->inline_variables[k].decl == &item) {
            sema::Resolution r;
            r.kind = sema::SymbolKind::SynapseVariable;
            r.index = k;
            add(item.key_range, resolved(r, nullptr));
          }
        }
        if (synapse) {
          if (auto v = synapse->findVariable(item.key)) {
            add(item.key_range, modelVariable(*synapse, v->kind, v->index));
          }
        }
      }
      expr(item.value.get());
      expr(item.condition.get());
      block(item.body);
    }
    connect_ = nullptr;
  }

  void indexExperiment(const ast::ExperimentDecl& decl) {
    experiment_ = nullptr;
    for (const auto& e : program_.experiments) {
      if (e.decl == &decl) experiment_ = &e;
    }
    if (!experiment_) return;
    add(decl.name_range, {fmt::format("**experiment** {}", code(decl.name)), decl.name_range});
    for (const auto& stmt : decl.body) {
      std::visit(
          [&](const auto& node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, ast::PopulationStmt>) {
              indexPopulation(node);
            } else if constexpr (std::is_same_v<T, ast::ConnectStmt>) {
              indexConnect(node);
            } else if constexpr (std::is_same_v<T, ast::RecordStmt>) {
              for (const auto& item : node.items) {
                expr(item.what.get());
                expr(item.every.get());
              }
            } else if constexpr (std::is_same_v<T, ast::RunStmt>) {
              expr(node.duration.get());
            } else if constexpr (std::is_same_v<T, ast::AtStmt>) {
              expr(node.time.get());
              block(node.body);
            } else if constexpr (std::is_same_v<T, ast::PrintStmt>) {
              for (const auto& piece : node.pieces) expr(piece.expr.get());
            } else if constexpr (std::is_same_v<T, ast::PlotStmt>) {
              expr(node.what.get());
            } else if constexpr (std::is_same_v<T, ast::LetDecl>) {
              indexLet(node, experiment_);
            } else if constexpr (std::is_same_v<T, ast::CallStmt>) {
              expr(node.call.get());
            } else if constexpr (std::is_same_v<T, ast::AssignStmt>) {
              target(node.target);
              expr(node.value.get());
            }
          },
          stmt.node);
    }
    experiment_ = nullptr;
  }

  const sema::CheckedProgram& program_;
  const Locator& locator_;
  Analysis& out_;
  const sema::CheckedModel* model_ = nullptr;
  const sema::CheckedExperiment* experiment_ = nullptr;
  const sema::CheckedConnect* connect_ = nullptr;
};

// Declared names for completion, from the syntax tree alone, so that a file that does not
// check still completes. Models and file-level lets of every module are offered everywhere; a
// model's variables inside that model; an experiment's names inside that experiment.
void collectNames(const parse::Program& program, FileId document, Analysis& out) {
  for (const auto& module : program.modules) {
    bool own = module.file == document;
    for (const auto& model : module.models) {
      out.names.push_back({model.name, 7, modelKindName(model.kind)});
      if (!own) continue;
      auto scoped = [&](const std::string& name, int kind, std::string detail) {
        out.names.push_back({name, kind, std::move(detail), model.range.begin, model.range.end});
      };
      for (const auto& p : model.parameters) scoped(p.name, 21, "parameter of " + model.name);
      for (const auto& s : model.states) scoped(s.name, 6, "state variable of " + model.name);
      for (const auto& eq : model.equations) {
        if (!eq.is_ode && eq.object.empty()) scoped(eq.name, 6, "sub-expression of " + model.name);
      }
    }
    for (const auto& let : module.lets) out.names.push_back({let.name, 21, "constant"});
    if (!own) continue;
    for (const auto& experiment : module.experiments) {
      auto scoped = [&](const std::string& name, int kind, std::string detail) {
        if (name.empty()) return;
        out.names.push_back(
            {name, kind, std::move(detail), experiment.range.begin, experiment.range.end});
      };
      for (const auto& stmt : experiment.body) {
        if (const auto* p = std::get_if<ast::PopulationStmt>(&stmt.node)) {
          scoped(p->name, 9, "population of " + p->model);
        } else if (const auto* c = std::get_if<ast::ConnectStmt>(&stmt.node)) {
          scoped(c->name, 9, "connection " + c->source + " -> " + c->target);
        } else if (const auto* let = std::get_if<ast::LetDecl>(&stmt.node)) {
          scoped(let->name, 21, "constant");
        }
      }
    }
  }
}

int severityOf(Severity severity) {
  switch (severity) {
    case Severity::Note:
      return 3;  // Information
    case Severity::Warning:
      return 2;
    case Severity::Error:
    case Severity::Fatal:
      break;
  }
  return 1;
}

// A diagnostic in another file (an import) is shown at the import that brings that file in,
// when the root imports it directly, else at the first import, else at the top; the message
// says where it really is and relatedInformation links there.
json diagnosticJson(const Diagnostic& d, const Locator& locator, const ast::Module* root,
                    std::string_view text) {
  json range = rangeJson(text, 0, 0);
  std::string message = d.message;
  std::vector<json> related;
  const SourceManager& sources = locator.sources();
  if (d.range.valid() && d.range.file == locator.document()) {
    range = rangeJson(text, d.range.begin, d.range.end);
  } else if (d.range.valid() && d.range.file < sources.fileCount()) {
    const SourceFile& file = sources.file(d.range.file);
    std::string name = std::filesystem::path(file.path()).filename().string();
    LineColumn lc = file.lineColumn(d.range.begin);
    message = fmt::format("in {}:{}:{}: {}", name, lc.line, lc.column, d.message);
    if (root && !root->imports.empty()) {
      const ast::Import* chosen = &root->imports.front();
      for (const auto& import : root->imports) {
        if (std::filesystem::path(import.path).filename() == name) chosen = &import;
      }
      range = rangeJson(text, chosen->range.begin, chosen->range.end);
    }
    if (auto where = locator.location(d.range)) {
      related.push_back({{"location", *where}, {"message", d.message}});
    }
  }
  for (const auto& note : d.notes) {
    if (auto where = locator.location(note.range)) {
      related.push_back({{"location", *where}, {"message", note.message}});
    } else {
      message += "\nnote: " + note.message;
    }
  }
  json out = {{"range", range},
              {"severity", severityOf(d.severity)},
              {"code", std::string(diagnosticKindName(d.kind))},
              {"source", "snnc"},
              {"message", message}};
  if (!related.empty()) out["relatedInformation"] = related;
  return out;
}

}  // namespace

Analysis analyzeDocument(const std::string& uri, const std::filesystem::path& path,
                         const std::string& text) {
  Analysis analysis;
  SourceManager sources;
  FileId document = sources.addFileContents(path, text);
  Locator locator(sources, document, uri);
  Diagnostics diags;
  driver::runWithLargeStack([&] {
    driver::FrontendResult result = driver::runFrontend(sources, path, diags);
    const ast::Module* root = nullptr;
    for (const auto& module : result.program.modules) {
      if (module.file == document) root = &module;
    }
    if (root) {
      analysis.parsed = !root->models.empty() || !root->experiments.empty() ||
                        !root->lets.empty() ||
                        std::none_of(diags.all().begin(), diags.all().end(),
                                     [&](const Diagnostic& d) { return d.range.file == document; });
      collectNames(result.program, document, analysis);
    }
    if (result.checked) {
      // The equations stage reports what sema cannot see (a declared method that does not
      // apply); lowering is left to `snnc check`, since it may read spike files from disk.
      equations::analyzeEquations(*result.checked, diags);
      if (root) Indexer(*result.checked, locator, analysis).indexModule(*root);
    }
    for (const Diagnostic& d : diags.all()) {
      analysis.diagnostics.push_back(diagnosticJson(d, locator, root, text));
    }
  });
  return analysis;
}

const Occurrence* occurrenceAt(const Analysis& analysis, std::uint32_t offset) {
  const Occurrence* best = nullptr;
  auto better = [&](const Occurrence& o) {
    return !best || o.end - o.begin < best->end - best->begin;
  };
  for (const auto& o : analysis.occurrences) {
    if (o.begin <= offset && offset < o.end && better(o)) best = &o;
  }
  if (best || offset == 0) return best;
  // The cursor right after a name (`tau|`) is where editors ask after a double click.
  for (const auto& o : analysis.occurrences) {
    if (o.end == offset && better(o)) best = &o;
  }
  return best;
}

}  // namespace snn::lsp
