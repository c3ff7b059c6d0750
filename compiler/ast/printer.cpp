// The AST printer. Two things make printing .snn back harder than it looks, and both come from
// units written by juxtaposition:
//  - `(10 mV) / ms` must not print as `10 mV / ms`, which reads back as one quantity in mV/ms;
//    so the left operand of `*` or `/` is parenthesised when it ends with a quantity and the
//    right operand starts with a unit name, and the base of `**` is parenthesised when it is a
//    quantity (`(10 ms) ** 2`, not the quantity `10 ms**2`).
//  - every statement goes on its own line, because a unit only continues a number on the
//    number's line.
#include "compiler/ast/printer.h"

#include <cstdint>
#include <string>
#include <utility>

#include "compiler/units/unit_table.h"

namespace snn::ast {
namespace {

// Precedence levels as in ast.cpp, plus the unary and postfix levels that BinaryOp lacks.
constexpr int kNotLevel = 3;
constexpr int kComparisonLevel = 4;
constexpr int kUnaryLevel = 7;
constexpr int kPostfixLevel = 9;
constexpr int kPrimaryLevel = 10;

int levelOf(const Expr& e);
int levelOf(const ExprPtr& e) {
  return e ? levelOf(*e) : kPrimaryLevel;
}

int levelOf(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number:
    case ExprKind::String:
    case ExprKind::Name:
    case ExprKind::Call:
    case ExprKind::List:
      return kPrimaryLevel;
    case ExprKind::Member:
    case ExprKind::Index:
      return kPostfixLevel;
    case ExprKind::Unary:
      return static_cast<const UnaryExpr&>(e).op == UnaryOp::Not ? kNotLevel : kUnaryLevel;
    case ExprKind::Binary:
      return precedence(static_cast<const BinaryExpr&>(e).op);
  }
  return kPrimaryLevel;
}

bool isQuantity(const ExprPtr& p) {
  if (!p) return false;
  const Expr& e = *p;
  return e.kind == ExprKind::Number && static_cast<const NumberExpr&>(e).unit.has_value();
}

bool isComparison(BinaryOp op) {
  return precedence(op) == kComparisonLevel;
}

// True when printed text starts with an identifier that names a unit (so that it would be read
// as the continuation of a quantity written just before it).
bool startsWithUnitName(const std::string& text) {
  std::size_t i = 0;
  const auto is_micro = [&](std::size_t k) {
    return k + 1 < text.size() && ((text[k] == '\xC2' && text[k + 1] == '\xB5') ||
                                   (text[k] == '\xCE' && text[k + 1] == '\xBC'));
  };
  const auto is_alpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (i < text.size() && is_alpha(text[i])) {
    ++i;
  } else if (is_micro(i)) {
    i += 2;
  } else {
    return false;
  }
  while (i < text.size() && (is_alpha(text[i]) || (text[i] >= '0' && text[i] <= '9'))) ++i;
  return units::isUnitName(std::string_view(text).substr(0, i));
}

struct Printed {
  std::string text;
  bool ends_with_quantity = false;
};

Printed print(const Expr& e);

// A missing child (only in trees built after errors) prints as `?` instead of crashing.
template <typename Pointer>
std::string exprText(const Pointer& e) {
  return e ? print(*e).text : std::string("?");
}

Printed parenthesised(Printed p) {
  return {"(" + p.text + ")", false};
}

Printed printOperand(const ExprPtr& e, bool parens) {
  if (!e) return {"?", false};
  Printed p = print(*e);
  return parens ? parenthesised(std::move(p)) : p;
}

std::string exponentText(std::int64_t num, std::int64_t den) {
  if (den == 1) return "^" + std::to_string(num);
  return "^(" + std::to_string(num) + "/" + std::to_string(den) + ")";
}

std::string printArguments(const std::vector<Argument>& args) {
  std::string out = "(";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    if (!args[i].name.empty()) out += args[i].name + " = ";
    out += exprText(args[i].value);
  }
  return out + ")";
}

std::string printSubscript(bool is_slice, const ExprPtr& index, const ExprPtr& lo,
                           const ExprPtr& hi) {
  if (!is_slice) return "[" + (index ? print(*index).text : std::string()) + "]";
  std::string out = "[";
  if (lo) out += print(*lo).text;
  out += ":";
  if (hi) out += print(*hi).text;
  return out + "]";
}

Printed print(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Number: {
      const auto& n = static_cast<const NumberExpr&>(e);
      if (!n.unit) return {n.text, false};
      return {n.text + " " + printUnit(*n.unit), true};
    }
    case ExprKind::String:
      return {quoteString(static_cast<const StringExpr&>(e).value), false};
    case ExprKind::Name:
      return {static_cast<const NameExpr&>(e).name, false};
    case ExprKind::Member: {
      const auto& m = static_cast<const MemberExpr&>(e);
      // `(10).x` and `(1 S/cm^2).x` keep their parentheses: `10.x` and `cm^2.x` would lex
      // `10.` and `2.` as numbers (found by the fuzzer).
      bool parens = levelOf(m.object) < kPostfixLevel ||
                    (m.object && m.object->kind == ExprKind::Number);
      return {printOperand(m.object, parens).text + "." + m.member, false};
    }
    case ExprKind::Index: {
      const auto& x = static_cast<const IndexExpr&>(e);
      bool parens = levelOf(x.object) < kPostfixLevel;
      return {printOperand(x.object, parens).text + printSubscript(x.is_slice, x.index, x.lo, x.hi),
              false};
    }
    case ExprKind::Call: {
      const auto& c = static_cast<const CallExpr&>(e);
      return {c.callee + printArguments(c.args), false};
    }
    case ExprKind::List: {
      const auto& l = static_cast<const ListExpr&>(e);
      std::string out = "[";
      for (std::size_t i = 0; i < l.elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += exprText(l.elements[i]);
      }
      return {out + "]", false};
    }
    case ExprKind::Unary: {
      const auto& u = static_cast<const UnaryExpr&>(e);
      int needed = u.op == UnaryOp::Not ? kNotLevel : kUnaryLevel;
      Printed operand = printOperand(u.operand, levelOf(u.operand) < needed);
      std::string op = spelling(u.op);
      // `not` needs a space; `- -x` reads better than `--x`.
      if (u.op == UnaryOp::Not || operand.text.starts_with('-') || operand.text.starts_with('+')) {
        op += " ";
      }
      return {op + operand.text, operand.ends_with_quantity};
    }
    case ExprKind::Binary: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      int level = precedence(b.op);
      bool lhs_parens, rhs_parens;
      if (b.op == BinaryOp::Pow) {
        // The base is a postfix expression; the exponent a unary one (right-associative).
        lhs_parens = levelOf(b.lhs) < kPostfixLevel || isQuantity(b.lhs);
        rhs_parens = levelOf(b.rhs) < kUnaryLevel;
      } else if (isComparison(b.op)) {
        // Comparisons do not chain: `a < b < c` is a syntax error.
        lhs_parens = levelOf(b.lhs) <= kComparisonLevel;
        rhs_parens = levelOf(b.rhs) <= kComparisonLevel;
      } else {
        lhs_parens = levelOf(b.lhs) < level;
        rhs_parens = levelOf(b.rhs) <= level;
      }
      Printed lhs = printOperand(b.lhs, lhs_parens);
      Printed rhs = printOperand(b.rhs, rhs_parens);
      if ((b.op == BinaryOp::Mul || b.op == BinaryOp::Div) && lhs.ends_with_quantity &&
          startsWithUnitName(rhs.text)) {
        lhs = parenthesised(std::move(lhs));
      }
      return {lhs.text + " " + spelling(b.op) + " " + rhs.text, rhs.ends_with_quantity};
    }
  }
  return {"?", false};
}

std::string escapeText(std::string_view text, bool double_braces) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '{':
        out += double_braces ? "{{" : "{";
        break;
      case '}':
        out += double_braces ? "}}" : "}";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ------------------------------------------------------------------ statements and declarations

class Writer {
 public:
  void line(const std::string& text) {
    out_.append(4 * indent_, ' ');
    out_ += text;
    out_ += '\n';
  }
  void blank() { out_ += '\n'; }
  void indent() { ++indent_; }
  void dedent() { --indent_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::size_t indent_ = 0;
};

std::string printLValue(const LValue& v) {
  std::string out = v.object.empty() ? v.name : v.object + "." + v.name;
  if (v.has_subscript) out += printSubscript(v.is_slice, v.index, v.lo, v.hi);
  return out;
}

std::string printAssign(const AssignStmt& a) {
  return printLValue(a.target) + " " + spelling(a.op) + " " + exprText(a.value);
}

void printBlockBody(Writer& w, const Block& block);

// `head {` body `}`, or `head {}` when empty.
void printBraced(Writer& w, const std::string& head, const Block& block) {
  if (block.empty()) {
    w.line(head + " {}");
    return;
  }
  w.line(head + " {");
  printBlockBody(w, block);
  w.line("}");
}

void printStmt(Writer& w, const Stmt& s) {
  if (const auto* a = std::get_if<AssignStmt>(&s.node)) {
    w.line(printAssign(*a));
    return;
  }
  // An `else if` chain is printed with a loop, not recursion, so that its length is no concern.
  const auto* i = std::get_if<IfStmt>(&s.node);
  w.line("if " + exprText(i->condition) + " {");
  for (;;) {
    printBlockBody(w, i->then_body);
    if (i->else_body.empty()) break;
    if (i->else_body.size() == 1) {
      if (const auto* next = std::get_if<IfStmt>(&i->else_body.front()->node)) {
        w.line("} else if " + exprText(next->condition) + " {");
        i = next;
        continue;
      }
    }
    w.line("} else {");
    printBlockBody(w, i->else_body);
    break;
  }
  w.line("}");
}

void printBlockBody(Writer& w, const Block& block) {
  w.indent();
  for (const auto& s : block) printStmt(w, *s);
  w.dedent();
}

std::string printFlags(const std::vector<FlagUse>& flags) {
  if (flags.empty()) return "";
  std::string out = " (";
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (i > 0) out += ", ";
    out += spelling(flags[i].flag);
  }
  return out + ")";
}

void printModel(Writer& w, const ModelDecl& m) {
  w.line(std::string(m.kind == ModelKind::Neuron ? "neuron " : "synapse ") + m.name + " {");
  w.indent();
  if (!m.parameters.empty()) {
    w.line("parameters {");
    w.indent();
    for (const auto& p : m.parameters) {
      std::string head = p.unit ? p.name + " : " + printUnit(*p.unit) : p.name;
      w.line(head + " = " + exprText(p.value));
    }
    w.dedent();
    w.line("}");
  }
  if (!m.states.empty()) {
    w.line("state {");
    w.indent();
    for (const auto& s : m.states) {
      std::string text = s.name + " : " + printUnit(s.unit);
      if (s.init) text += " = " + exprText(s.init);
      w.line(text);
    }
    w.dedent();
    w.line("}");
  }
  if (!m.equations.empty()) {
    w.line("equations {");
    w.indent();
    for (const auto& eq : m.equations) {
      std::string text;
      if (eq.is_ode) {
        text = "d" + eq.name + "/dt";
      } else {
        text = eq.object.empty() ? eq.name : eq.object + "." + eq.name;
      }
      text += " = " + exprText(eq.rhs);
      if (eq.unit) text += " : " + printUnit(*eq.unit);
      w.line(text + printFlags(eq.flags));
    }
    w.dedent();
    w.line("}");
  }
  if (m.threshold) w.line("threshold " + exprText(m.threshold));
  if (m.has_reset) printBraced(w, "reset", m.reset);
  if (m.refractory) w.line("refractory " + exprText(m.refractory));
  if (!m.method.empty()) w.line("method " + m.method);
  for (const auto& h : m.handlers) printBraced(w, "on " + h.event, h.body);
  if (m.delay) w.line("delay " + exprText(m.delay));
  w.dedent();
  w.line("}");
}

std::string printConnectItemInline(const ConnectItem& item) {
  switch (item.kind) {
    case ConnectItem::Kind::Rule:
      return item.key;
    case ConnectItem::Kind::Assign: {
      std::string text = item.key + " = " + exprText(item.value);
      if (item.condition) text += " if " + exprText(item.condition);
      return text;
    }
    case ConnectItem::Kind::On:
      break;
  }
  return "";
}

void printConnect(Writer& w, const ConnectStmt& c) {
  std::string head = "connect ";
  if (!c.name.empty()) head += c.name + " = ";
  head += c.source + " -> " + c.target;
  if (!c.synapse.empty()) {
    head += " using " + c.synapse;
    if (c.has_arguments) head += printArguments(c.arguments);
  }
  if (!c.has_body) {
    w.line(head);
    return;
  }
  bool has_handlers = false;
  for (const auto& item : c.items) has_handlers |= item.kind == ConnectItem::Kind::On;
  if (!has_handlers) {
    // Rules and assignments read best on one line, as in Brian2's `connect(p=...)`.
    std::string body;
    for (const auto& item : c.items) {
      body += body.empty() ? " " : "; ";
      body += printConnectItemInline(item);
    }
    w.line(head + " {" + body + (c.items.empty() ? "}" : " }"));
    return;
  }
  w.line(head + " {");
  w.indent();
  for (const auto& item : c.items) {
    if (item.kind == ConnectItem::Kind::On) {
      printBraced(w, "on " + item.key, item.body);
    } else {
      w.line(printConnectItemInline(item));
    }
  }
  w.dedent();
  w.line("}");
}

std::string printFormat(const std::vector<FormatPiece>& pieces) {
  std::string out = "\"";
  for (const auto& piece : pieces) {
    if (!piece.expr) {
      out += escapeText(piece.text, /*double_braces=*/true);
      continue;
    }
    out += "{" + exprText(piece.expr);
    if (!piece.spec.empty()) out += ":" + piece.spec;
    out += "}";
  }
  return out + "\"";
}

void printExperimentStmt(Writer& w, const ExperimentStmt& s) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, PopulationStmt>) {
          std::string text =
              "population " + node.name + " = " + node.model + "[" + exprText(node.size) + "]";
          if (node.has_arguments) text += printArguments(node.arguments);
          if (node.has_initialisers) {
            std::string body;
            for (const auto& init : node.initialisers) {
              body += body.empty() ? " " : "; ";
              body += init.name + " = " + exprText(init.value);
            }
            text += " {" + body + (node.initialisers.empty() ? "}" : " }");
          }
          w.line(text);
        } else if constexpr (std::is_same_v<T, ConnectStmt>) {
          printConnect(w, node);
        } else if constexpr (std::is_same_v<T, RecordStmt>) {
          std::string text = "record ";
          for (std::size_t i = 0; i < node.items.size(); ++i) {
            if (i > 0) text += ", ";
            text += exprText(node.items[i].what);
            if (node.items[i].every) text += " every " + exprText(node.items[i].every);
          }
          w.line(text);
        } else if constexpr (std::is_same_v<T, RunStmt>) {
          w.line("run " + exprText(node.duration));
        } else if constexpr (std::is_same_v<T, AtStmt>) {
          printBraced(w, "at " + exprText(node.time), node.body);
        } else if constexpr (std::is_same_v<T, PrintStmt>) {
          w.line("print " + printFormat(node.pieces));
        } else if constexpr (std::is_same_v<T, PlotStmt>) {
          std::string text = "plot " + exprText(node.what);
          if (!node.path.empty()) text += " to " + quoteString(node.path);
          w.line(text);
        } else if constexpr (std::is_same_v<T, LetDecl>) {
          w.line("let " + node.name + " = " + exprText(node.value));
        } else if constexpr (std::is_same_v<T, CallStmt>) {
          w.line(exprText(node.call));
        } else if constexpr (std::is_same_v<T, AssignStmt>) {
          w.line(printAssign(node));
        }
      },
      s.node);
}

}  // namespace

std::string printExpr(const Expr& expr) {
  return print(expr).text;
}

std::string printUnit(const UnitExpr& unit) {
  std::string out;
  for (std::size_t i = 0; i < unit.factors.size(); ++i) {
    const UnitFactor& f = unit.factors[i];
    std::int64_t num = f.exponent_num;
    if (i > 0) {
      // A negative exponent after the first factor reads as a division: `uF/cm^2`.
      if (num < 0) {
        out += "/";
        num = -num;
      } else {
        out += "*";
      }
    }
    out += f.name;
    if (num != 1 || f.exponent_den != 1) out += exponentText(num, f.exponent_den);
  }
  return out;
}

std::string quoteString(std::string_view text) {
  return "\"" + escapeText(text, /*double_braces=*/false) + "\"";
}

std::string printModule(const Module& module) {
  Writer w;
  bool first_section = true;
  const auto separate = [&] {
    if (!first_section) w.blank();
    first_section = false;
  };
  if (!module.imports.empty()) {
    separate();
    for (const auto& import : module.imports) w.line("import " + quoteString(import.path));
  }
  if (!module.lets.empty()) {
    separate();
    for (const auto& let : module.lets) w.line("let " + let.name + " = " + exprText(let.value));
  }
  for (const auto& model : module.models) {
    separate();
    printModel(w, model);
  }
  for (const auto& experiment : module.experiments) {
    separate();
    w.line("experiment " + experiment.name + " {");
    w.indent();
    for (const auto& s : experiment.body) printExperimentStmt(w, s);
    w.dedent();
    w.line("}");
  }
  return w.take();
}

}  // namespace snn::ast
