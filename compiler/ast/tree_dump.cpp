// The tree dump: one node per line, children indented by two spaces and labelled with the
// field they come from (`lhs:`, `value:`), so that a difference between two dumps names the
// field that differs. Ranges and file ids are left out on purpose: the dump of a file and of
// its reprinted text must be equal.
#include "compiler/ast/tree_dump.h"

#include <charconv>
#include <string>

#include "compiler/ast/printer.h"

namespace snn::ast {
namespace {

std::string number(double value) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string unitText(const UnitExpr& unit) {
  std::string out = "[";
  for (std::size_t i = 0; i < unit.factors.size(); ++i) {
    const auto& f = unit.factors[i];
    if (i > 0) out += " ";
    out += f.name + "^" + std::to_string(f.exponent_num);
    if (f.exponent_den != 1) out += "/" + std::to_string(f.exponent_den);
  }
  return out + "]";
}

class Dumper {
 public:
  std::string take() { return std::move(out_); }

  void line(const std::string& text) {
    out_.append(2 * depth_, ' ');
    out_ += text;
    out_ += '\n';
  }

  // A labelled child: `label: <node>`, with the node's own children one level deeper.
  void expr(const std::string& label, const Expr* e) {
    if (!e) {
      line(label + ": none");
      return;
    }
    std::string head = label.empty() ? "" : label + ": ";
    switch (e->kind) {
      case ExprKind::Number: {
        const auto& n = static_cast<const NumberExpr&>(*e);
        std::string text = head + "Number " + n.text + " value=" + number(n.value);
        if (n.unit) text += " unit=" + unitText(*n.unit);
        line(text);
        return;
      }
      case ExprKind::String:
        line(head + "String " + quoteString(static_cast<const StringExpr&>(*e).value));
        return;
      case ExprKind::Name:
        line(head + "Name " + static_cast<const NameExpr&>(*e).name);
        return;
      case ExprKind::Member: {
        const auto& m = static_cast<const MemberExpr&>(*e);
        line(head + "Member ." + m.member);
        nested([&] { expr("object", m.object.get()); });
        return;
      }
      case ExprKind::Index: {
        const auto& x = static_cast<const IndexExpr&>(*e);
        line(head + (x.is_slice ? "Slice" : "Index"));
        nested([&] {
          expr("object", x.object.get());
          if (x.is_slice) {
            expr("lo", x.lo.get());
            expr("hi", x.hi.get());
          } else {
            expr("index", x.index.get());
          }
        });
        return;
      }
      case ExprKind::Call: {
        const auto& c = static_cast<const CallExpr&>(*e);
        line(head + "Call " + c.callee);
        nested([&] { arguments(c.args); });
        return;
      }
      case ExprKind::Unary: {
        const auto& u = static_cast<const UnaryExpr&>(*e);
        line(head + "Unary " + spelling(u.op));
        nested([&] { expr("operand", u.operand.get()); });
        return;
      }
      case ExprKind::Binary: {
        const auto& b = static_cast<const BinaryExpr&>(*e);
        line(head + "Binary " + spelling(b.op));
        nested([&] {
          expr("lhs", b.lhs.get());
          expr("rhs", b.rhs.get());
        });
        return;
      }
      case ExprKind::List: {
        const auto& l = static_cast<const ListExpr&>(*e);
        line(head + "List (" + std::to_string(l.elements.size()) + ")");
        nested([&] {
          for (const auto& element : l.elements) expr("element", element.get());
        });
        return;
      }
    }
  }

  void arguments(const std::vector<Argument>& args) {
    for (const auto& a : args) expr(a.name.empty() ? "arg" : "arg " + a.name, a.value.get());
  }

  void unit(const std::string& label, const std::optional<UnitExpr>& u) {
    line(label + ": " + (u ? unitText(*u) : std::string("none")));
  }

  void lvalue(const LValue& v) {
    std::string text = "target " + (v.object.empty() ? v.name : v.object + "." + v.name);
    if (!v.has_subscript) {
      line(text);
      return;
    }
    line(text + (v.is_slice ? " slice" : " index"));
    nested([&] {
      if (v.is_slice) {
        expr("lo", v.lo.get());
        expr("hi", v.hi.get());
      } else {
        expr("index", v.index.get());
      }
    });
  }

  void block(const std::string& label, const Block& body) {
    line(label + " (" + std::to_string(body.size()) + ")");
    nested([&] {
      for (const auto& s : body) stmt(*s);
    });
  }

  void stmt(const Stmt& s) {
    if (const auto* a = std::get_if<AssignStmt>(&s.node)) {
      assign(*a);
      return;
    }
    const auto& i = std::get<IfStmt>(s.node);
    line("If");
    nested([&] {
      expr("condition", i.condition.get());
      block("then", i.then_body);
      block("else", i.else_body);
    });
  }

  void assign(const AssignStmt& a) {
    line(std::string("Assign ") + spelling(a.op));
    nested([&] {
      lvalue(a.target);
      expr("value", a.value.get());
    });
  }

  void model(const ModelDecl& m) {
    line(std::string(m.kind == ModelKind::Neuron ? "Neuron " : "Synapse ") + m.name);
    nested([&] {
      for (const auto& p : m.parameters) {
        line("Parameter " + p.name);
        nested([&] {
          unit("unit", p.unit);
          expr("value", p.value.get());
        });
      }
      for (const auto& s : m.states) {
        line("State " + s.name);
        nested([&] {
          line("unit: " + unitText(s.unit));
          expr("init", s.init.get());
        });
      }
      for (const auto& eq : m.equations) {
        std::string name = eq.object.empty() ? eq.name : eq.object + "." + eq.name;
        line(std::string(eq.is_ode ? "Ode " : "Definition ") + name);
        nested([&] {
          expr("rhs", eq.rhs.get());
          unit("unit", eq.unit);
          std::string flags = "flags:";
          for (const auto& f : eq.flags) flags += std::string(" [") + spelling(f.flag) + "]";
          line(flags);
        });
      }
      expr("threshold", m.threshold.get());
      if (m.has_reset) {
        block("reset", m.reset);
      } else {
        line("reset: none");
      }
      expr("refractory", m.refractory.get());
      line("method: " + (m.method.empty() ? std::string("default") : m.method));
      for (const auto& h : m.handlers) block("on " + h.event, h.body);
      expr("delay", m.delay.get());
    });
  }

  void experimentStmt(const ExperimentStmt& s) {
    std::visit([&](const auto& node) { visit(node); }, s.node);
  }

  void visit(const PopulationStmt& p) {
    line("Population " + p.name + " = " + p.model);
    nested([&] {
      expr("size", p.size.get());
      if (p.has_arguments) {
        line("arguments (" + std::to_string(p.arguments.size()) + ")");
        nested([&] { arguments(p.arguments); });
      }
      if (p.has_initialisers) {
        line("initialisers (" + std::to_string(p.initialisers.size()) + ")");
        nested([&] {
          for (const auto& init : p.initialisers) expr("init " + init.name, init.value.get());
        });
      }
    });
  }
  void visit(const ConnectStmt& c) {
    std::string head =
        "Connect " + (c.name.empty() ? "" : c.name + " = ") + c.source + " -> " + c.target;
    if (!c.synapse.empty()) head += " using " + c.synapse;
    line(head);
    nested([&] {
      if (c.has_arguments) {
        line("arguments (" + std::to_string(c.arguments.size()) + ")");
        nested([&] { arguments(c.arguments); });
      }
      if (!c.has_body) return;
      line("body (" + std::to_string(c.items.size()) + ")");
      nested([&] {
        for (const auto& item : c.items) {
          switch (item.kind) {
            case ConnectItem::Kind::Rule:
              line("Rule " + item.key);
              break;
            case ConnectItem::Kind::Assign:
              line("Set " + item.key);
              nested([&] {
                expr("value", item.value.get());
                expr("if", item.condition.get());
              });
              break;
            case ConnectItem::Kind::On:
              block("On " + item.key, item.body);
              break;
          }
        }
      });
    });
  }
  void visit(const RecordStmt& r) {
    line("Record");
    nested([&] {
      for (const auto& item : r.items) {
        expr("what", item.what.get());
        expr("every", item.every.get());
      }
    });
  }
  void visit(const RunStmt& r) {
    line("Run");
    nested([&] { expr("duration", r.duration.get()); });
  }
  void visit(const AtStmt& a) {
    line("At");
    nested([&] {
      expr("time", a.time.get());
      block("body", a.body);
    });
  }
  void visit(const PrintStmt& p) {
    line("Print");
    nested([&] {
      for (const auto& piece : p.pieces) {
        if (!piece.expr) {
          line("text " + quoteString(piece.text));
        } else {
          expr("format " + quoteString(piece.spec), piece.expr.get());
        }
      }
    });
  }
  void visit(const PlotStmt& p) {
    line("Plot to " + quoteString(p.path));
    nested([&] { expr("what", p.what.get()); });
  }
  void visit(const LetDecl& l) {
    line("Let " + l.name);
    nested([&] { expr("value", l.value.get()); });
  }
  void visit(const CallStmt& c) {
    line("CallStmt");
    nested([&] { expr("call", c.call.get()); });
  }
  void visit(const AssignStmt& a) { assign(a); }

  void module(const Module& m) {
    line("Module");
    nested([&] {
      for (const auto& import : m.imports) line("Import " + quoteString(import.path));
      for (const auto& let : m.lets) visit(let);
      for (const auto& model : m.models) this->model(model);
      for (const auto& experiment : m.experiments) {
        line("Experiment " + experiment.name);
        nested([&] {
          for (const auto& s : experiment.body) experimentStmt(s);
        });
      }
    });
  }

 private:
  template <typename F>
  void nested(F&& f) {
    ++depth_;
    f();
    --depth_;
  }

  std::string out_;
  std::size_t depth_ = 0;
};

}  // namespace

std::string dumpTree(const Module& module) {
  Dumper d;
  d.module(module);
  return d.take();
}

std::string dumpExpr(const Expr& expr) {
  Dumper d;
  d.expr("", &expr);
  return d.take();
}

}  // namespace snn::ast
