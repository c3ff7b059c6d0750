// Parse tree -> AST. One function per grammar rule, in the order of grammar/SnnParser.g4.
//
// The tree given here has no syntax errors (parser.cpp builds only such trees), so every
// mandatory child is present; the code still checks pointers, because a null from a grammar
// change must become a missing node, not a crash. Checks that need more than the grammar
// but nothing beyond one file are made here: the `dX/dt` form, which items each model kind
// allows, duplicate items, number ranges, unit expressions, escapes, and print format strings.
//
// Binary chains (`a + b + c ...`) come out of the grammar as flat lists and are folded
// iteratively; every expression node's depth is tracked, and a tree deeper than kMaxExprDepth
// is refused, so that no later recursive pass (printer, sema, destructors) can overflow.
#include "compiler/parse/ast_builder.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/parse/parser.h"
#include "compiler/units/rational.h"

namespace snn::parse {

using grammar::SnnParser;
using units::Rational;

// ------------------------------------------------------------------ token ranges

TokenRanges::TokenRanges(FileId file, std::string_view text, std::uint32_t base)
    : file_(file), base_(base), size_(static_cast<std::uint32_t>(text.size())) {
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return;
  code_to_byte_.reserve(text.size() + 1);
  for (std::uint32_t i = 0; i < text.size(); ++i) {
    // Every byte that is not a continuation byte starts a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) code_to_byte_.push_back(i);
  }
  code_to_byte_.push_back(size_);
}

std::uint32_t TokenRanges::byteOffset(std::size_t code_point) const {
  if (code_to_byte_.empty())
    return base_ + static_cast<std::uint32_t>(std::min<std::size_t>(code_point, size_));
  if (code_point >= code_to_byte_.size()) return base_ + size_;
  return base_ + code_to_byte_[code_point];
}

SourceRange TokenRanges::of(const antlr4::Token* token) const {
  return of(token, token);
}

SourceRange TokenRanges::of(const antlr4::Token* first, const antlr4::Token* last) const {
  if (!first) return {file_, base_ + size_, base_ + size_};
  if (!last) last = first;
  std::uint32_t begin = byteOffset(first->getStartIndex());
  if (first->getType() == antlr4::Token::EOF) return {file_, begin, begin};
  // An EOF token's stop index lies before its start; treat `last` = EOF as "up to the end".
  std::size_t stop =
      last->getType() == antlr4::Token::EOF ? last->getStartIndex() : last->getStopIndex() + 1;
  std::uint32_t end = byteOffset(stop);
  if (end < begin) end = begin;
  return {file_, begin, end};
}

SourceRange TokenRanges::of(antlr4::ParserRuleContext* context) const {
  if (!context) return {};
  const antlr4::Token* start = context->getStart();
  const antlr4::Token* stop = context->getStop();
  // An empty rule match has its stop before its start.
  if (stop && start && stop->getTokenIndex() < start->getTokenIndex()) stop = start;
  return of(start, stop);
}

namespace {

// Thrown when an expression gets deeper than kMaxExprDepth (already reported); caught at the
// entry points, which then return an empty result.
struct TooDeep {};

class Builder {
 public:
  Builder(const SourceFile& file, const TokenRanges& ranges, Diagnostics& diags,
          const EmbeddedExprParser& embedded)
      : file_(file), ranges_(ranges), diags_(diags), embedded_(embedded) {}

  // ---------------------------------------------------------------- files and declarations

  ast::Module file(SnnParser::FileContext* ctx) {
    ast::Module module;
    module.file = ranges_.file();
    bool seen_declaration = false;
    for (auto* child : ctx->children) {
      if (auto* import = dynamic_cast<SnnParser::ImportDeclContext*>(child)) {
        module.imports.push_back(importDecl(import));
        continue;
      }
      auto* top = dynamic_cast<SnnParser::TopLevelContext*>(child);
      if (!top) continue;
      if (auto* import = top->importDecl()) {
        // Still recorded, so that its declarations resolve and no follow-up errors appear.
        if (seen_declaration) diags_.report(DiagnosticKind::ImportNotAtTop, ranges_.of(import));
        module.imports.push_back(importDecl(import));
      } else if (auto* model = top->modelDecl()) {
        seen_declaration = true;
        module.models.push_back(modelDecl(model));
      } else if (auto* experiment = top->experimentDecl()) {
        seen_declaration = true;
        module.experiments.push_back(experimentDecl(experiment));
      } else if (auto* let = top->letStmt()) {
        seen_declaration = true;
        module.lets.push_back(letStmt(let));
      }
    }
    return module;
  }

  ast::Import importDecl(SnnParser::ImportDeclContext* ctx) {
    ast::Import import;
    import.path = decodeString(ctx->path);
    import.range = ranges_.of(ctx->path);
    return import;
  }

  ast::ModelDecl modelDecl(SnnParser::ModelDeclContext* ctx) {
    ast::ModelDecl m;
    m.kind = ctx->kind->getType() == SnnParser::SYNAPSE ? ast::ModelKind::Synapse
                                                        : ast::ModelKind::Neuron;
    m.name = ctx->name->getText();
    m.name_range = ranges_.of(ctx->name);
    m.range = ranges_.of(ctx);
    const char* kind_name = m.kind == ast::ModelKind::Neuron ? "neuron" : "synapse";

    // Items that may appear once: where they were first written, for the duplicate's note.
    std::unordered_map<std::string, SourceRange> first_seen;
    // Reports and returns false when an item is not allowed in this kind, or is a duplicate.
    const auto accept = [&](antlr4::Token* keyword, const std::string& item, bool allowed,
                            SourceRange whole) {
      SourceRange at = ranges_.of(keyword);
      if (!allowed) {
        diags_.report(DiagnosticKind::ItemNotAllowed, at, item, kind_name);
        return false;
      }
      auto [it, inserted] = first_seen.emplace(item, whole);
      if (!inserted) {
        diags_.report(DiagnosticKind::DuplicateDefinition, at, item)
            .note(it->second, "first written here");
        return false;
      }
      return true;
    };
    const bool neuron = m.kind == ast::ModelKind::Neuron;

    for (auto* item : ctx->modelItem()) {
      SourceRange whole = ranges_.of(item);
      if (auto* p = dynamic_cast<SnnParser::ParametersBlockContext*>(item)) {
        // Several `parameters` blocks are merged, in order; so are `state` and `equations`.
        for (auto* decl : p->parameterDecl()) m.parameters.push_back(parameterDecl(decl));
      } else if (auto* s = dynamic_cast<SnnParser::StateBlockContext*>(item)) {
        for (auto* decl : s->stateDecl()) m.states.push_back(stateDecl(decl));
      } else if (auto* e = dynamic_cast<SnnParser::EquationsBlockContext*>(item)) {
        for (auto* eq : e->equation()) {
          if (auto built = equation(eq)) m.equations.push_back(std::move(*built));
        }
      } else if (auto* t = dynamic_cast<SnnParser::ThresholdItemContext*>(item)) {
        if (accept(t->THRESHOLD()->getSymbol(), "threshold", neuron, whole))
          m.threshold = expr(t->expr());
      } else if (auto* r = dynamic_cast<SnnParser::ResetItemContext*>(item)) {
        if (accept(r->RESET()->getSymbol(), "reset", neuron, whole)) {
          m.has_reset = true;
          m.reset = block(r->block());
          m.reset_range = whole;
        }
      } else if (auto* r = dynamic_cast<SnnParser::RefractoryItemContext*>(item)) {
        if (accept(r->REFRACTORY()->getSymbol(), "refractory", neuron, whole))
          m.refractory = expr(r->expr());
      } else if (auto* me = dynamic_cast<SnnParser::MethodItemContext*>(item)) {
        if (accept(me->METHOD()->getSymbol(), "method", true, whole)) {
          m.method = me->name->getText();
          m.method_range = ranges_.of(me->name);
        }
      } else if (auto* on = dynamic_cast<SnnParser::OnEventItemContext*>(item)) {
        std::string event = on->event->getText();
        if (!checkEvent(on->event)) continue;
        if (accept(on->ON()->getSymbol(), "on " + event, !neuron, whole)) {
          ast::EventHandler h;
          h.event = event;
          h.event_range = ranges_.of(on->event);
          h.body = block(on->block());
          h.range = whole;
          m.handlers.push_back(std::move(h));
        }
      } else if (auto* d = dynamic_cast<SnnParser::DelayItemContext*>(item)) {
        if (accept(d->DELAY()->getSymbol(), "delay", !neuron, whole)) m.delay = expr(d->expr());
      }
    }
    return m;
  }

  bool checkEvent(antlr4::Token* event) {
    std::string text = event->getText();
    if (text == "pre" || text == "post") return true;
    diags_.report(DiagnosticKind::BadEvent, ranges_.of(event), text);
    return false;
  }

  ast::ParameterDecl parameterDecl(SnnParser::ParameterDeclContext* ctx) {
    ast::ParameterDecl p;
    p.name = ctx->name->getText();
    p.name_range = ranges_.of(ctx->name);
    if (ctx->unitSpec()) p.unit = unitSpec(ctx->unitSpec());
    p.value = expr(ctx->expr());
    p.range = ranges_.of(ctx);
    return p;
  }

  ast::StateDecl stateDecl(SnnParser::StateDeclContext* ctx) {
    ast::StateDecl s;
    s.name = ctx->name->getText();
    s.name_range = ranges_.of(ctx->name);
    if (ctx->unitSpec()) s.unit = unitSpec(ctx->unitSpec());
    if (ctx->expr()) s.init = expr(ctx->expr());
    s.range = ranges_.of(ctx);
    return s;
  }

  std::optional<ast::Equation> equation(SnnParser::EquationContext* ctx) {
    ast::Equation eq;
    eq.range = ranges_.of(ctx);
    SnnParser::ExprContext* rhs = nullptr;
    SnnParser::UnitSpecContext* unit = nullptr;
    SnnParser::FlagsContext* flags = nullptr;
    if (auto* ode = dynamic_cast<SnnParser::OdeContext*>(ctx)) {
      eq.is_ode = true;
      eq.name_range = ranges_.of(ode->d, ode->dt);
      std::string d = ode->d->getText();
      std::string dt = ode->dt->getText();
      if (d.size() < 2 || d[0] != 'd' || dt != "dt") {
        diags_.report(DiagnosticKind::BadDerivative, eq.name_range, d + "/" + dt);
        return std::nullopt;
      }
      eq.name = d.substr(1);
      rhs = ode->expr();
      unit = ode->unitSpec();
      flags = ode->flags();
    } else if (auto* def = dynamic_cast<SnnParser::DefinitionContext*>(ctx)) {
      auto names = def->qualifiedName()->IDENT();
      if (names.empty()) return std::nullopt;
      if (names.size() == 2) {
        eq.object = names[0]->getText();
        eq.object_range = ranges_.of(names[0]->getSymbol());
      }
      eq.name = names.back()->getText();
      eq.name_range = ranges_.of(names.back()->getSymbol());
      rhs = def->expr();
      unit = def->unitSpec();
      flags = def->flags();
    } else {
      return std::nullopt;
    }
    eq.rhs = expr(rhs);
    if (unit) eq.unit = unitSpec(unit);
    if (flags) {
      for (auto* f : flags->flag()) {
        ast::EquationFlag flag = ast::EquationFlag::Summed;
        if (f->UNLESS()) {
          flag = ast::EquationFlag::UnlessRefractory;
        } else if (f->EVENT_DRIVEN()) {
          flag = ast::EquationFlag::EventDriven;
        } else if (f->CLOCK_DRIVEN()) {
          flag = ast::EquationFlag::ClockDriven;
        }
        eq.flags.push_back({flag, ranges_.of(f)});
      }
    }
    return eq;
  }

  // ---------------------------------------------------------------- statements

  ast::Block block(SnnParser::BlockContext* ctx) {
    ast::Block body;
    if (!ctx) return body;
    for (auto* s : ctx->statement()) {
      if (auto built = statement(s)) body.push_back(std::move(built));
    }
    return body;
  }

  ast::StmtPtr statement(SnnParser::StatementContext* ctx) {
    if (auto* a = dynamic_cast<SnnParser::AssignStatementContext*>(ctx)) {
      auto s = std::make_unique<ast::Stmt>();
      s->node = assign(a->lvalue(), a->op, a->expr());
      s->range = ranges_.of(ctx);
      return s;
    }
    if (auto* i = dynamic_cast<SnnParser::IfStatementContext*>(ctx)) {
      ast::IfStmt node;
      node.condition = expr(i->expr());
      auto blocks = i->block();
      if (!blocks.empty()) node.then_body = block(blocks[0]);
      if (blocks.size() > 1) {
        node.else_body = block(blocks[1]);
      } else if (i->elseIf) {
        // `else if` nesting is bounded by the nesting scan in parser.cpp.
        if (auto nested = statement(i->elseIf)) node.else_body.push_back(std::move(nested));
      }
      auto s = std::make_unique<ast::Stmt>();
      s->node = std::move(node);
      s->range = ranges_.of(ctx);
      return s;
    }
    return nullptr;  // `;`
  }

  ast::AssignStmt assign(SnnParser::LvalueContext* target, antlr4::Token* op,
                         SnnParser::ExprContext* value) {
    ast::AssignStmt a;
    a.target = lvalue(target);
    switch (op ? op->getType() : std::size_t{SnnParser::ASSIGN}) {
      case SnnParser::PLUS_ASSIGN:
        a.op = ast::AssignOp::Add;
        break;
      case SnnParser::MINUS_ASSIGN:
        a.op = ast::AssignOp::Sub;
        break;
      case SnnParser::STAR_ASSIGN:
        a.op = ast::AssignOp::Mul;
        break;
      case SnnParser::SLASH_ASSIGN:
        a.op = ast::AssignOp::Div;
        break;
      default:
        a.op = ast::AssignOp::Set;
        break;
    }
    a.value = expr(value);
    return a;
  }

  ast::LValue lvalue(SnnParser::LvalueContext* ctx) {
    ast::LValue v;
    if (!ctx) return v;
    v.range = ranges_.of(ctx);
    auto names = ctx->IDENT();
    if (names.size() == 2) {
      v.object = names[0]->getText();
      v.object_range = ranges_.of(names[0]->getSymbol());
    }
    if (!names.empty()) {
      v.name = names.back()->getText();
      v.name_range = ranges_.of(names.back()->getSymbol());
    }
    if (auto* sub = ctx->subscript()) {
      v.has_subscript = true;
      subscript(sub, v.is_slice, v.index, v.lo, v.hi);
    }
    return v;
  }

  // ---------------------------------------------------------------- experiments

  ast::ExperimentDecl experimentDecl(SnnParser::ExperimentDeclContext* ctx) {
    ast::ExperimentDecl e;
    e.name = ctx->name->getText();
    e.name_range = ranges_.of(ctx->name);
    e.range = ranges_.of(ctx);
    for (auto* s : ctx->experimentStmt()) {
      if (auto built = experimentStmt(s)) e.body.push_back(std::move(*built));
    }
    return e;
  }

  std::optional<ast::ExperimentStmt> experimentStmt(SnnParser::ExperimentStmtContext* ctx) {
    ast::ExperimentStmt out;
    out.range = ranges_.of(ctx);
    if (auto* p = dynamic_cast<SnnParser::PopulationStmtContext*>(ctx)) {
      ast::PopulationStmt pop;
      pop.name = p->name->getText();
      pop.name_range = ranges_.of(p->name);
      pop.model = p->model->getText();
      pop.model_range = ranges_.of(p->model);
      pop.size = expr(p->expr());
      pop.has_arguments = p->LPAREN() != nullptr;
      if (p->argList()) pop.arguments = argList(p->argList());
      if (auto* inits = p->initialisers()) {
        pop.has_initialisers = true;
        for (auto* init : inits->initialiser()) {
          ast::Initialiser i;
          i.name = init->name->getText();
          i.name_range = ranges_.of(init->name);
          i.value = expr(init->expr());
          pop.initialisers.push_back(std::move(i));
        }
      }
      out.node = std::move(pop);
    } else if (auto* c = dynamic_cast<SnnParser::ConnectStmtContext*>(ctx)) {
      out.node = connectStmt(c);
    } else if (auto* r = dynamic_cast<SnnParser::RecordStmtContext*>(ctx)) {
      ast::RecordStmt rec;
      for (auto* item : r->recordItem()) {
        ast::RecordItem ri;
        auto exprs = item->expr();
        if (!exprs.empty()) ri.what = expr(exprs[0]);
        if (item->interval) ri.every = expr(item->interval);
        rec.items.push_back(std::move(ri));
      }
      out.node = std::move(rec);
    } else if (auto* r = dynamic_cast<SnnParser::RunStmtContext*>(ctx)) {
      out.node = ast::RunStmt{expr(r->expr())};
    } else if (auto* a = dynamic_cast<SnnParser::AtStmtContext*>(ctx)) {
      ast::AtStmt at;
      at.time = expr(a->expr());
      at.body = block(a->block());
      out.node = std::move(at);
    } else if (auto* p = dynamic_cast<SnnParser::PrintStmtContext*>(ctx)) {
      ast::PrintStmt print;
      print.string_range = ranges_.of(p->STRING()->getSymbol());
      print.pieces = formatString(p->STRING()->getSymbol());
      out.node = std::move(print);
    } else if (auto* p = dynamic_cast<SnnParser::PlotStmtContext*>(ctx)) {
      ast::PlotStmt plot;
      plot.what = expr(p->expr());
      if (p->path) {
        plot.path = decodeString(p->path);
        plot.path_range = ranges_.of(p->path);
      }
      out.node = std::move(plot);
    } else if (auto* l = dynamic_cast<SnnParser::LetStatementContext*>(ctx)) {
      out.node = letStmt(l->letStmt());
    } else if (auto* c = dynamic_cast<SnnParser::CallStmtContext*>(ctx)) {
      auto call = std::make_unique<ast::CallExpr>(ranges_.of(ctx));
      call->callee = c->callee->getText();
      call->callee_range = ranges_.of(c->callee);
      if (c->argList()) call->args = argList(c->argList());
      out.node = ast::CallStmt{std::move(call)};
    } else if (auto* a = dynamic_cast<SnnParser::ExperimentAssignContext*>(ctx)) {
      out.node = assign(a->lvalue(), a->op, a->expr());
    } else {
      return std::nullopt;  // `;`
    }
    return out;
  }

  ast::LetDecl letStmt(SnnParser::LetStmtContext* ctx) {
    ast::LetDecl let;
    let.name = ctx->name->getText();
    let.name_range = ranges_.of(ctx->name);
    let.value = expr(ctx->expr());
    let.range = ranges_.of(ctx);
    return let;
  }

  ast::ConnectStmt connectStmt(SnnParser::ConnectStmtContext* ctx) {
    ast::ConnectStmt c;
    if (ctx->name) {
      c.name = ctx->name->getText();
      c.name_range = ranges_.of(ctx->name);
    }
    c.source = ctx->source->getText();
    c.source_range = ranges_.of(ctx->source);
    c.target = ctx->target->getText();
    c.target_range = ranges_.of(ctx->target);
    if (ctx->synapse) {
      c.synapse = ctx->synapse->getText();
      c.synapse_range = ranges_.of(ctx->synapse);
    }
    c.has_arguments = ctx->LPAREN() != nullptr;
    if (ctx->argList()) c.arguments = argList(ctx->argList());
    if (auto* body = ctx->connectBody()) {
      c.has_body = true;
      for (auto* item : body->connectItem()) {
        ast::ConnectItem ci;
        ci.range = ranges_.of(item);
        if (auto* on = dynamic_cast<SnnParser::ConnectOnContext*>(item)) {
          if (!checkEvent(on->event)) continue;
          ci.kind = ast::ConnectItem::Kind::On;
          ci.key = on->event->getText();
          ci.key_range = ranges_.of(on->event);
          ci.body = block(on->block());
        } else if (auto* as = dynamic_cast<SnnParser::ConnectAssignContext*>(item)) {
          ci.kind = ast::ConnectItem::Kind::Assign;
          ci.key = as->key->getText();
          ci.key_range = ranges_.of(as->key);
          auto exprs = as->expr();
          if (!exprs.empty()) ci.value = expr(exprs[0]);
          if (as->condition) ci.condition = expr(as->condition);
        } else if (auto* rule = dynamic_cast<SnnParser::ConnectRuleContext*>(item)) {
          ci.kind = ast::ConnectItem::Kind::Rule;
          ci.key = rule->ruleName->getText();
          ci.key_range = ranges_.of(rule->ruleName);
        } else {
          continue;
        }
        c.items.push_back(std::move(ci));
      }
    }
    return c;
  }

  std::vector<ast::Argument> argList(SnnParser::ArgListContext* ctx) {
    std::vector<ast::Argument> args;
    for (auto* a : ctx->argument()) {
      ast::Argument arg;
      if (a->name) {
        arg.name = a->name->getText();
        arg.name_range = ranges_.of(a->name);
      }
      arg.value = expr(a->expr());
      args.push_back(std::move(arg));
    }
    return args;
  }

  // ---------------------------------------------------------------- units

  // A unit after `:` (unitSpec), flattened into a product of powers.
  ast::UnitExpr unitSpec(SnnParser::UnitSpecContext* ctx) {
    ast::UnitExpr unit;
    unit.range = ranges_.of(ctx);
    unitSpecInto(ctx, Rational(1), unit.factors);
    return unit;
  }

  void unitSpecInto(SnnParser::UnitSpecContext* ctx, Rational scale,
                    std::vector<ast::UnitFactor>& out) {
    bool divide = false;
    for (auto* child : ctx->children) {
      if (auto* term = dynamic_cast<SnnParser::UnitTermContext*>(child)) {
        Rational power = term->unitExponent() ? exponent(term->unitExponent()) : Rational(1);
        if (divide) power = -power;
        power = multiply(power, scale, term);
        if (auto* inner = term->unitSpec()) {
          unitSpecInto(inner, power, out);
        } else if (auto* ident = term->IDENT()) {
          out.push_back(factor(ident->getText(), power, ranges_.of(term)));
        } else if (auto* number = term->NUMBER()) {
          if (parseNumber(number->getSymbol(), /*report=*/false) != 1.0) {
            diags_.report(DiagnosticKind::BadUnitNumber, ranges_.of(number->getSymbol()),
                          number->getText());
          }
          out.push_back(factor("1", power, ranges_.of(term)));
        }
      } else if (auto* op = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        divide = op->getSymbol()->getType() == SnnParser::SLASH;
      }
    }
  }

  // The unit written after a number: `ms`, `uF/cm^2`, `msiemens/cm**2`.
  ast::UnitExpr quantityUnit(SnnParser::QuantityUnitContext* ctx) {
    ast::UnitExpr unit;
    unit.range = ranges_.of(ctx);
    bool divide = false;
    for (auto* child : ctx->children) {
      if (auto* power = dynamic_cast<SnnParser::UnitPowerContext*>(child)) {
        Rational e = power->unitExponent() ? exponent(power->unitExponent()) : Rational(1);
        if (divide) e = -e;
        unit.factors.push_back(factor(power->IDENT()->getText(), e, ranges_.of(power)));
      } else if (auto* op = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        divide = op->getSymbol()->getType() == SnnParser::SLASH;
      }
    }
    return unit;
  }

  static ast::UnitFactor factor(std::string name, Rational e, SourceRange range) {
    return {std::move(name), e.num, e.den, range};
  }

  Rational multiply(Rational a, Rational b, antlr4::ParserRuleContext* at) {
    if (auto r = a * b) return *r;
    diags_.report(DiagnosticKind::BadUnitExponent, ranges_.of(at),
                  "an exponent too large to represent");
    return Rational(1);
  }

  // `^2`, `**-2`, `^(1/2)`, `^(-3/2)`: whole numbers only, a zero denominator refused.
  Rational exponent(SnnParser::UnitExponentContext* ctx) {
    auto numbers = ctx->NUMBER();
    antlr4::Token* num =
        ctx->num ? ctx->num : (numbers.empty() ? nullptr : numbers[0]->getSymbol());
    if (!num) return Rational(1);
    bool negative = ctx->sign && ctx->sign->getType() == SnnParser::MINUS;
    SourceRange range = ranges_.of(ctx);
    std::string written = exponentText(ctx);
    auto whole = [&](antlr4::Token* token) -> std::optional<std::int64_t> {
      std::string text = token->getText();
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return value;
    };
    auto n = whole(num);
    std::optional<std::int64_t> d = std::int64_t{1};
    if (ctx->den) d = whole(ctx->den);
    std::optional<Rational> r;
    if (n && d && *d != 0) r = Rational::make(negative ? -*n : *n, *d);
    if (!r) {
      diags_.report(DiagnosticKind::BadUnitExponent, range, written);
      return Rational(1);
    }
    return *r;
  }

  std::string exponentText(SnnParser::UnitExponentContext* ctx) {
    std::string text;
    for (auto* child : ctx->children) text += child->getText();
    return text;
  }

  // ---------------------------------------------------------------- expressions

  ast::ExprPtr expr(SnnParser::ExprContext* ctx) {
    if (!ctx) return nullptr;
    return node(ctx->orExpr());
  }

  // Dispatches on the rule of a parse-tree node that stands for an expression.
  ast::ExprPtr node(antlr4::tree::ParseTree* tree) {
    if (!tree) return nullptr;
    if (auto* c = dynamic_cast<SnnParser::ExprContext*>(tree)) return expr(c);
    if (auto* c = dynamic_cast<SnnParser::OrExprContext*>(tree)) return chain(c);
    if (auto* c = dynamic_cast<SnnParser::AndExprContext*>(tree)) return chain(c);
    if (auto* c = dynamic_cast<SnnParser::NotExprContext*>(tree)) return notExpr(c);
    if (auto* c = dynamic_cast<SnnParser::ComparisonContext*>(tree)) return chain(c);
    if (auto* c = dynamic_cast<SnnParser::AdditiveContext*>(tree)) return chain(c);
    if (auto* c = dynamic_cast<SnnParser::MultiplicativeContext*>(tree)) return chain(c);
    if (auto* c = dynamic_cast<SnnParser::UnaryContext*>(tree)) return unary(c);
    if (auto* c = dynamic_cast<SnnParser::PowerContext*>(tree)) return power(c);
    if (auto* c = dynamic_cast<SnnParser::PostfixContext*>(tree)) return postfix(c);
    if (auto* c = dynamic_cast<SnnParser::PrimaryContext*>(tree)) return primary(c);
    return nullptr;
  }

  static std::optional<ast::BinaryOp> binaryOp(std::size_t token) {
    switch (token) {
      case SnnParser::PLUS:
        return ast::BinaryOp::Add;
      case SnnParser::MINUS:
        return ast::BinaryOp::Sub;
      case SnnParser::STAR:
        return ast::BinaryOp::Mul;
      case SnnParser::SLASH:
        return ast::BinaryOp::Div;
      case SnnParser::PERCENT:
        return ast::BinaryOp::Mod;
      case SnnParser::POW:
      case SnnParser::CARET:
        return ast::BinaryOp::Pow;
      case SnnParser::EQ:
        return ast::BinaryOp::Eq;
      case SnnParser::NE:
        return ast::BinaryOp::Ne;
      case SnnParser::LT:
        return ast::BinaryOp::Lt;
      case SnnParser::LE:
        return ast::BinaryOp::Le;
      case SnnParser::GT:
        return ast::BinaryOp::Gt;
      case SnnParser::GE:
        return ast::BinaryOp::Ge;
      case SnnParser::AND:
        return ast::BinaryOp::And;
      case SnnParser::OR:
        return ast::BinaryOp::Or;
      default:
        return std::nullopt;
    }
  }

  // `a op b op c ...` (children: operand, operator, operand, ...) folded to the left.
  ast::ExprPtr chain(antlr4::ParserRuleContext* ctx) {
    ast::ExprPtr result;
    antlr4::ParserRuleContext* first = nullptr;
    antlr4::Token* op = nullptr;
    for (auto* child : ctx->children) {
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        op = terminal->getSymbol();
        continue;
      }
      auto* operand_ctx = dynamic_cast<antlr4::ParserRuleContext*>(child);
      ast::ExprPtr operand = node(child);
      if (!result) {
        first = operand_ctx;
        result = std::move(operand);
        continue;
      }
      auto kind = op ? binaryOp(op->getType()) : std::nullopt;
      if (!kind || !operand) continue;
      auto binary =
          std::make_unique<ast::BinaryExpr>(ranges_.of(first->getStart(), operand_ctx->getStop()));
      binary->op = *kind;
      binary->op_range = ranges_.of(op);
      std::uint32_t depth = std::max(depthOf(result.get()), depthOf(operand.get())) + 1;
      binary->lhs = std::move(result);
      binary->rhs = std::move(operand);
      result = track(std::move(binary), depth, ranges_.of(op));
    }
    return result;
  }

  ast::ExprPtr notExpr(SnnParser::NotExprContext* ctx) {
    if (ctx->comparison()) return node(ctx->comparison());
    auto u = std::make_unique<ast::UnaryExpr>(ranges_.of(ctx));
    u->op = ast::UnaryOp::Not;
    u->operand = node(ctx->notExpr());
    return wrapUnary(std::move(u), ctx->NOT()->getSymbol());
  }

  ast::ExprPtr unary(SnnParser::UnaryContext* ctx) {
    if (ctx->power()) return node(ctx->power());
    auto u = std::make_unique<ast::UnaryExpr>(ranges_.of(ctx));
    u->op = ctx->op && ctx->op->getType() == SnnParser::PLUS ? ast::UnaryOp::Plus
                                                             : ast::UnaryOp::Negate;
    u->operand = node(ctx->unary());
    return wrapUnary(std::move(u), ctx->op);
  }

  ast::ExprPtr wrapUnary(std::unique_ptr<ast::UnaryExpr> u, antlr4::Token* op) {
    if (!u->operand) return nullptr;
    std::uint32_t depth = depthOf(u->operand.get()) + 1;
    return track(std::move(u), depth, ranges_.of(op));
  }

  ast::ExprPtr power(SnnParser::PowerContext* ctx) {
    ast::ExprPtr base = node(ctx->postfix());
    if (!ctx->unary() || !base) return base;
    antlr4::Token* op = ctx->POW() ? ctx->POW()->getSymbol() : ctx->CARET()->getSymbol();
    auto binary = std::make_unique<ast::BinaryExpr>(ranges_.of(ctx));
    binary->op = ast::BinaryOp::Pow;
    binary->op_range = ranges_.of(op);
    binary->rhs = node(ctx->unary());
    if (!binary->rhs) return nullptr;
    std::uint32_t depth = std::max(depthOf(base.get()), depthOf(binary->rhs.get())) + 1;
    binary->lhs = std::move(base);
    return track(std::move(binary), depth, ranges_.of(op));
  }

  // `E.V[0:10]`, `pre.w`, `x[3].y`: folded left to right like a binary chain.
  ast::ExprPtr postfix(SnnParser::PostfixContext* ctx) {
    ast::ExprPtr result = node(ctx->primary());
    if (!result) return nullptr;
    antlr4::Token* start = ctx->getStart();
    const auto& children = ctx->children;
    for (std::size_t i = 1; i < children.size(); ++i) {
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(children[i]);
      if (!terminal) continue;
      antlr4::Token* token = terminal->getSymbol();
      std::uint32_t depth = depthOf(result.get()) + 1;
      if (token->getType() == SnnParser::DOT && i + 1 < children.size()) {
        auto* name = dynamic_cast<antlr4::tree::TerminalNode*>(children[i + 1]);
        if (!name) continue;
        auto member = std::make_unique<ast::MemberExpr>(ranges_.of(start, name->getSymbol()));
        member->object = std::move(result);
        member->member = name->getText();
        member->member_range = ranges_.of(name->getSymbol());
        result = track(std::move(member), depth, ranges_.of(token));
        ++i;
      } else if (token->getType() == SnnParser::LBRACK && i + 2 < children.size()) {
        auto* sub = dynamic_cast<SnnParser::SubscriptContext*>(children[i + 1]);
        auto* close = dynamic_cast<antlr4::tree::TerminalNode*>(children[i + 2]);
        if (!sub || !close) continue;
        auto index = std::make_unique<ast::IndexExpr>(ranges_.of(start, close->getSymbol()));
        index->object = std::move(result);
        subscript(sub, index->is_slice, index->index, index->lo, index->hi);
        for (const auto* part : {index->index.get(), index->lo.get(), index->hi.get()}) {
          if (part) depth = std::max(depth, depthOf(part) + 1);
        }
        result = track(std::move(index), depth, ranges_.of(token));
        i += 2;
      }
    }
    return result;
  }

  void subscript(SnnParser::SubscriptContext* ctx, bool& is_slice, ast::ExprPtr& index,
                 ast::ExprPtr& lo, ast::ExprPtr& hi) {
    if (!ctx->COLON()) {
      is_slice = false;
      auto exprs = ctx->expr();
      if (!exprs.empty()) index = expr(exprs[0]);
      return;
    }
    is_slice = true;
    if (ctx->lo) lo = expr(ctx->lo);
    if (ctx->hi) hi = expr(ctx->hi);
  }

  ast::ExprPtr primary(SnnParser::PrimaryContext* ctx) {
    SourceRange range = ranges_.of(ctx);
    if (auto* n = dynamic_cast<SnnParser::NumberLiteralContext*>(ctx)) {
      auto number = std::make_unique<ast::NumberExpr>(range);
      number->text = n->NUMBER()->getText();
      number->value = parseNumber(n->NUMBER()->getSymbol(), /*report=*/true);
      if (n->quantityUnit()) number->unit = quantityUnit(n->quantityUnit());
      return leaf(std::move(number));
    }
    if (auto* s = dynamic_cast<SnnParser::StringLiteralContext*>(ctx)) {
      auto string = std::make_unique<ast::StringExpr>(range);
      string->value = decodeString(s->STRING()->getSymbol());
      return leaf(std::move(string));
    }
    if (auto* c = dynamic_cast<SnnParser::CallExprContext*>(ctx)) {
      auto call = std::make_unique<ast::CallExpr>(range);
      call->callee = c->callee->getText();
      call->callee_range = ranges_.of(c->callee);
      std::uint32_t depth = 1;
      if (c->argList()) call->args = argList(c->argList());
      for (const auto& a : call->args) depth = std::max(depth, depthOf(a.value.get()) + 1);
      return track(std::move(call), depth, range);
    }
    if (auto* n = dynamic_cast<SnnParser::NameExprContext*>(ctx)) {
      auto name = std::make_unique<ast::NameExpr>(range);
      name->name = n->IDENT()->getText();
      return leaf(std::move(name));
    }
    if (auto* p = dynamic_cast<SnnParser::ParenExprContext*>(ctx)) {
      // The parentheses leave no node: the range of the inner expression excludes them.
      return expr(p->expr());
    }
    if (auto* l = dynamic_cast<SnnParser::ListExprContext*>(ctx)) {
      auto list = std::make_unique<ast::ListExpr>(range);
      std::uint32_t depth = 1;
      for (auto* e : l->expr()) {
        if (auto element = expr(e)) {
          depth = std::max(depth, depthOf(element.get()) + 1);
          list->elements.push_back(std::move(element));
        }
      }
      return track(std::move(list), depth, range);
    }
    return nullptr;
  }

  // Numbers are read with from_chars (locale-independent, exact). A value that does not fit a
  // double is an error, whether it overflows (1e999) or underflows to zero (1e-999).
  double parseNumber(antlr4::Token* token, bool report) {
    std::string text = token->getText();
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
      value = std::strtod(text.c_str(), nullptr);
      if (report) diags_.report(DiagnosticKind::NumberOutOfRange, ranges_.of(token), text);
    } else if (ec != std::errc() || end != text.data() + text.size()) {
      // The lexer only produces valid numbers; this guards against a grammar change.
      value = std::strtod(text.c_str(), nullptr);
    }
    return value;
  }

  // ---------------------------------------------------------------- strings

  // The value of a string literal, escapes decoded. `raw` is the token's text including its
  // quotes (the closing one may be missing: an unterminated string was already reported).
  std::string decodeString(antlr4::Token* token) {
    SourceRange range = ranges_.of(token);
    std::string_view raw = file_.text().substr(range.begin, range.end - range.begin);
    std::string value;
    std::size_t i = 1;
    while (i < raw.size() && raw[i] != '"') {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        value += decodeEscape(raw, i, range.begin + static_cast<std::uint32_t>(i));
      } else {
        value += raw[i++];
      }
    }
    return value;
  }

  // Decodes the escape whose backslash is at raw[i] (file offset `at`); advances i past it.
  std::string decodeEscape(std::string_view raw, std::size_t& i, std::uint32_t at) {
    char c = raw[i + 1];
    i += 2;
    switch (c) {
      case 'n':
        return "\n";
      case 't':
        return "\t";
      case 'r':
        return "\r";
      case '\\':
      case '"':
      case '\'':
        return std::string(1, c);
      default:
        break;
    }
    // Keep the whole code point after the backslash, so that the message shows it intact.
    auto byte = static_cast<unsigned char>(c);
    std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    length = std::min(length, raw.size() - (i - 1));
    std::string shown(raw.substr(i - 1, length));
    i += length - 1;
    diags_.report(DiagnosticKind::BadEscape,
                  SourceRange{ranges_.file(), at, at + 1 + static_cast<std::uint32_t>(length)},
                  shown);
    return shown;
  }

  // `print "rate: {mean_rate(E):.1f} Hz, {{literal braces}}"` -> pieces. The expression inside
  // `{...}` is parsed by a sub-parser whose positions are those of the file, so its
  // diagnostics point inside the string. The expression ends at the first `:` outside
  // brackets (the expression grammar has no other `:`, and a spec may start with a `:` fill).
  std::vector<ast::FormatPiece> formatString(antlr4::Token* token) {
    std::vector<ast::FormatPiece> pieces;
    SourceRange range = ranges_.of(token);
    const std::uint32_t base = range.begin;
    std::string_view raw = file_.text().substr(range.begin, range.end - range.begin);
    const auto at = [&](std::size_t b, std::size_t e) {
      return SourceRange{ranges_.file(), base + static_cast<std::uint32_t>(b),
                         base + static_cast<std::uint32_t>(e)};
    };
    ast::FormatPiece literal;
    std::size_t literal_begin = 1;
    const auto flush = [&](std::size_t end) {
      if (!literal.text.empty()) {
        literal.range = at(literal_begin, end);
        pieces.push_back(std::move(literal));
      }
      literal = ast::FormatPiece{};
    };
    std::size_t i = 1;
    while (i < raw.size() && raw[i] != '"') {
      char c = raw[i];
      if (c == '\\' && i + 1 < raw.size()) {
        literal.text += decodeEscape(raw, i, base + static_cast<std::uint32_t>(i));
      } else if (c == '}') {
        if (i + 1 < raw.size() && raw[i + 1] == '}') {
          literal.text += '}';
          i += 2;
        } else {
          diags_.report(DiagnosticKind::BadFormatString, at(i, i + 1),
                        "a single `}` in a format string; write `}}` for a literal brace");
          ++i;
        }
      } else if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '{') {
        literal.text += '{';
        i += 2;
      } else if (c == '{') {
        flush(i);
        std::size_t open = i;
        std::size_t close = std::string_view::npos, colon = std::string_view::npos;
        int depth = 0;
        bool escape = false;
        std::size_t j = i + 1;
        for (; j < raw.size() && raw[j] != '"'; ++j) {
          char d = raw[j];
          if (d == '\\') {
            escape = true;
            ++j;  // skip the escaped character, so that `\"` does not end the string here
            continue;
          }
          if (d == '(' || d == '[' || d == '{') ++depth;
          if ((d == ')' || d == ']') && depth > 0) --depth;
          if (d == '}') {
            if (depth == 0) {
              close = j;
              break;
            }
            --depth;
          }
          if (d == ':' && depth == 0 && colon == std::string_view::npos) colon = j;
        }
        if (close == std::string_view::npos) {
          diags_.report(DiagnosticKind::BadFormatString, at(open, open + 1),
                        "this `{` is not closed; write `{{` for a literal brace");
          i = j;
          literal_begin = i;
          continue;
        }
        i = close + 1;
        literal_begin = i;
        if (escape) {
          diags_.report(DiagnosticKind::BadFormatString, at(open, close + 1),
                        "escape sequences are not allowed inside `{...}`");
          continue;
        }
        std::size_t expr_end = colon == std::string_view::npos ? close : colon;
        std::string_view expr_text = raw.substr(open + 1, expr_end - open - 1);
        if (expr_text.find_first_not_of(" \t") == std::string_view::npos) {
          diags_.report(DiagnosticKind::BadFormatString, at(open, close + 1),
                        "`{}` needs an expression inside; write `{{` for a literal brace");
          continue;
        }
        ast::FormatPiece piece;
        piece.range = at(open, close + 1);
        if (colon != std::string_view::npos) {
          piece.spec = std::string(raw.substr(colon + 1, close - colon - 1));
          if (auto problem = checkFormatSpec(piece.spec)) {
            diags_.report(DiagnosticKind::BadFormatString,
                          at(colon + 1, std::max(close, colon + 2)), *problem);
          }
        }
        piece.expr = embedded_(base + static_cast<std::uint32_t>(open + 1),
                               base + static_cast<std::uint32_t>(expr_end));
        if (piece.expr) pieces.push_back(std::move(piece));
      } else {
        literal.text += c;
        ++i;
      }
    }
    flush(i);
    return pieces;
  }

  // Checks a spec against fmt's mini-language for a double:
  //   [[fill]align][sign][#][0][width][.precision][type], type one of a A e E f F g G.
  // Every value printed is a double at run time, so integer types (`d`, `x`) are refused with
  // a hint; `L` (locale) is refused so that output does not depend on the machine's locale.
  static std::optional<std::string> checkFormatSpec(std::string_view spec) {
    std::size_t i = 0;
    const auto is_align = [](char c) { return c == '<' || c == '>' || c == '^'; };
    // A fill character may be any code point but `{` and `}`.
    std::size_t first_length = 1;
    if (!spec.empty()) {
      auto byte = static_cast<unsigned char>(spec[0]);
      first_length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    }
    if (spec.size() > first_length && is_align(spec[first_length])) {
      if (spec[0] == '{' || spec[0] == '}') return "`{` and `}` cannot be fill characters";
      i = first_length + 1;
    } else if (!spec.empty() && is_align(spec[0])) {
      i = 1;
    }
    if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) ++i;
    if (i < spec.size() && spec[i] == '#') ++i;
    if (i < spec.size() && spec[i] == '0') ++i;
    const auto digits = [&](const char* what) -> std::optional<std::string> {
      std::size_t start = i;
      while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') ++i;
      if (i - start > 4 ||
          (i > start && std::stoi(std::string(spec.substr(start, i - start))) > 1000)) {
        return std::string(what) + " must be at most 1000";
      }
      return std::nullopt;
    };
    if (auto problem = digits("the width")) return problem;
    if (i < spec.size() && spec[i] == '.') {
      ++i;
      if (i >= spec.size() || spec[i] < '0' || spec[i] > '9') {
        return std::string("`.` must be followed by a precision, as in `.2f`");
      }
      if (auto problem = digits("the precision")) return problem;
    }
    if (i < spec.size() && spec[i] == 'L') {
      return std::string("`L` (locale-dependent output) is not supported");
    }
    if (i < spec.size()) {
      char type = spec[i];
      if (std::string_view("aAeEfFgG").find(type) != std::string_view::npos) {
        ++i;
      } else if (std::string_view("dxXobBcsp").find(type) != std::string_view::npos) {
        return fmt::format(
            "`{}` is not a format for a number with a fraction; values are printed "
            "as decimals: use `f`, `e` or `g` (`.0f` for a whole number)",
            type);
      }
    }
    if (i < spec.size()) {
      return fmt::format(
          "unexpected `{}` in the format spec `{}`; expected "
          "`[[fill]align][sign][#][0][width][.precision][type]` with a type among "
          "`f`, `e`, `g`, `a`",
          spec.substr(i, 1), spec);
    }
    // The VM formats with fmt: ask fmt itself, in case the grammar above is too lenient.
    try {
      (void)fmt::format(fmt::runtime("{:" + std::string(spec) + "}"), 1.0);
    } catch (const fmt::format_error& e) {
      return std::string(e.what());
    }
    return std::nullopt;
  }

  // ---------------------------------------------------------------- depth

  ast::ExprPtr leaf(ast::ExprPtr e) { return track(std::move(e), 1, {}); }

  // Records the depth of a new node; refuses it (reported, then TooDeep) past the limit.
  ast::ExprPtr track(ast::ExprPtr e, std::uint32_t depth, SourceRange at) {
    if (depth > kMaxExprDepth) {
      diags_.report(DiagnosticKind::NestingTooDeep, at.valid() ? at : e->range, kMaxExprDepth);
      // The partial tree is at most kMaxExprDepth + 1 deep: its destruction is safe.
      throw TooDeep{};
    }
    depth_[e.get()] = depth;
    return e;
  }

  std::uint32_t depthOf(const ast::Expr* e) const {
    if (!e) return 0;
    auto it = depth_.find(e);
    return it == depth_.end() ? 1 : it->second;
  }

 private:
  const SourceFile& file_;
  const TokenRanges& ranges_;
  Diagnostics& diags_;
  const EmbeddedExprParser& embedded_;
  std::unordered_map<const ast::Expr*, std::uint32_t> depth_;
};

}  // namespace

ast::Module buildModule(SnnParser::FileContext* tree, const SourceFile& file,
                        const TokenRanges& ranges, Diagnostics& diags,
                        const EmbeddedExprParser& embedded) {
  Builder builder(file, ranges, diags, embedded);
  try {
    return builder.file(tree);
  } catch (const TooDeep&) {
    ast::Module empty;
    empty.file = file.id();
    return empty;
  }
}

ast::ExprPtr buildExpression(SnnParser::ExprContext* tree, const SourceFile& file,
                             const TokenRanges& ranges, Diagnostics& diags,
                             const EmbeddedExprParser& embedded) {
  Builder builder(file, ranges, diags, embedded);
  try {
    return builder.expr(tree);
  } catch (const TooDeep&) {
    return nullptr;
  }
}

}  // namespace snn::parse
