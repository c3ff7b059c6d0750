// Parser tests: the language design's example (LANGUAGE.md section 1) and every construct of
// grammar/SnnParser.g4, with assertions on the AST and on source ranges.
#include <doctest/doctest.h>

#include "compiler/ast/printer.h"
#include "tests/unit/parse/parse_helpers.h"
#include "tests/unit/support/design_example.h"

namespace snn {
namespace {

using testing::parseText;

using testing::kDesignExample;

template <typename T>
const T& as(const ast::Expr& e) {
  return static_cast<const T&>(e);
}

TEST_CASE("the language design's example parses into the expected AST") {
  auto p = parseText(kDesignExample);
  INFO(p->all());
  REQUIRE(p->diags.all().empty());
  const ast::Module& m = p->module;
  REQUIRE(m.imports.size() == 1);
  CHECK(m.imports[0].path == "stdlib/neurons.snn");
  CHECK(p->text(m.imports[0].range) == "\"stdlib/neurons.snn\"");

  REQUIRE(m.models.size() == 1);
  const ast::ModelDecl& lif = m.models[0];
  CHECK(lif.kind == ast::ModelKind::Neuron);
  CHECK(lif.name == "LIF");
  CHECK(p->at(lif.name_range) == "4:8");
  REQUIRE(lif.parameters.size() == 4);
  CHECK(lif.parameters[1].name == "V_rest");
  {
    const auto& v = *lif.parameters[1].value;
    REQUIRE(v.kind == ast::ExprKind::Unary);
    const auto& number = as<ast::NumberExpr>(*as<ast::UnaryExpr>(v).operand);
    CHECK(number.text == "70");
    CHECK(number.value == 70.0);
    REQUIRE(number.unit);
    REQUIRE(number.unit->factors.size() == 1);
    CHECK(number.unit->factors[0].name == "mV");
    CHECK(p->text(v.range) == "-70 mV");
  }
  REQUIRE(lif.states.size() == 3);
  CHECK(lif.states[0].name == "V");
  REQUIRE(lif.states[0].unit.factors.size() == 1);
  CHECK(lif.states[0].unit.factors[0].name == "volt");
  CHECK(as<ast::NameExpr>(*lif.states[0].init).name == "V_rest");

  REQUIRE(lif.equations.size() == 1);
  const ast::Equation& ode = lif.equations[0];
  CHECK(ode.is_ode);
  CHECK(ode.name == "V");
  CHECK(p->text(ode.name_range) == "dV/dt");
  CHECK(p->at(ode.name_range) == "17:9");
  REQUIRE(ode.flags.size() == 1);
  CHECK(ode.flags[0].flag == ast::EquationFlag::UnlessRefractory);
  CHECK(p->text(ode.flags[0].range) == "unless refractory");
  {
    // (-(V - V_rest) + I_ext + I_syn) / tau: the division is the root, not a call of `tau`.
    const auto& div = as<ast::BinaryExpr>(*ode.rhs);
    CHECK(div.op == ast::BinaryOp::Div);
    CHECK(as<ast::NameExpr>(*div.rhs).name == "tau");
    CHECK(p->text(div.range) == "(-(V - V_rest) + I_ext + I_syn) / tau");
    const auto& sum = as<ast::BinaryExpr>(*div.lhs);
    CHECK(sum.op == ast::BinaryOp::Add);
    CHECK(p->text(sum.range) == "-(V - V_rest) + I_ext + I_syn");  // parentheses excluded
    CHECK(as<ast::BinaryExpr>(*sum.lhs).op == ast::BinaryOp::Add);
  }
  REQUIRE(lif.threshold);
  CHECK(as<ast::BinaryExpr>(*lif.threshold).op == ast::BinaryOp::Ge);
  CHECK(p->text(lif.threshold->range) == "V >= V_th");
  CHECK(lif.has_reset);
  REQUIRE(lif.reset.size() == 1);
  CHECK(std::get<ast::AssignStmt>(lif.reset[0]->node).target.name == "V");
  CHECK(as<ast::NumberExpr>(*lif.refractory).text == "2");
  CHECK(lif.method == "euler");
  CHECK(p->at(lif.method_range) == "22:12");

  REQUIRE(m.experiments.size() == 1);
  const ast::ExperimentDecl& e = m.experiments[0];
  CHECK(e.name == "ei_network");
  REQUIRE(e.body.size() == 12);
  const auto& dt = std::get<ast::AssignStmt>(e.body[0].node);
  CHECK(dt.target.name == "dt");
  CHECK(as<ast::NumberExpr>(*dt.value).text == "0.1");

  const auto& pop_e = std::get<ast::PopulationStmt>(e.body[2].node);
  CHECK(pop_e.name == "E");
  CHECK(pop_e.model == "LIF");
  CHECK(as<ast::NumberExpr>(*pop_e.size).value == 400);
  CHECK_FALSE(pop_e.has_arguments);
  CHECK(pop_e.has_initialisers);
  REQUIRE(pop_e.initialisers.size() == 2);
  CHECK(pop_e.initialisers[1].name == "I_ext");
  const auto& pop_i = std::get<ast::PopulationStmt>(e.body[3].node);
  CHECK(pop_i.has_arguments);
  REQUIRE(pop_i.arguments.size() == 1);
  CHECK(pop_i.arguments[0].name == "tau");

  const auto& conn = std::get<ast::ConnectStmt>(e.body[4].node);
  CHECK(conn.source == "E");
  CHECK(conn.target == "E");
  CHECK(conn.synapse.empty());
  REQUIRE(conn.items.size() == 3);
  CHECK(conn.items[0].kind == ast::ConnectItem::Kind::Assign);
  CHECK(conn.items[0].key == "p");
  REQUIRE(conn.items[0].condition);
  CHECK(as<ast::BinaryExpr>(*conn.items[0].condition).op == ast::BinaryOp::Ne);
  CHECK(conn.items[1].key == "delay");
  CHECK(conn.items[2].kind == ast::ConnectItem::Kind::On);
  CHECK(conn.items[2].key == "pre");
  REQUIRE(conn.items[2].body.size() == 1);
  CHECK(std::get<ast::AssignStmt>(conn.items[2].body[0]->node).op == ast::AssignOp::Add);

  const auto& record = std::get<ast::RecordStmt>(e.body[7].node);
  REQUIRE(record.items.size() == 3);
  CHECK(as<ast::CallExpr>(*record.items[2].what).callee == "rate");
  CHECK(as<ast::NumberExpr>(*std::get<ast::RunStmt>(e.body[8].node).duration).text == "500");

  const auto& print = std::get<ast::PrintStmt>(e.body[9].node);
  REQUIRE(print.pieces.size() == 3);
  CHECK(print.pieces[0].text == "Mean E rate: ");
  REQUIRE(print.pieces[1].expr);
  CHECK(as<ast::CallExpr>(*print.pieces[1].expr).callee == "mean_rate");
  CHECK(print.pieces[1].spec == ".1f");
  CHECK(p->text(print.pieces[1].range) == "{mean_rate(E):.1f}");
  // The embedded expression's range points into the string, in the file.
  CHECK(p->text(print.pieces[1].expr->range) == "mean_rate(E)");
  CHECK(p->at(print.pieces[1].expr->range) == "40:26");
  CHECK(print.pieces[2].text == " Hz");

  const auto& plot = std::get<ast::PlotStmt>(e.body[11].node);
  CHECK(plot.path == "ei_rate.svg");
  const auto& rate = as<ast::CallExpr>(*plot.what);
  REQUIRE(rate.args.size() == 2);
  CHECK(rate.args[1].name == "smooth");
  CHECK(as<ast::CallExpr>(*rate.args[1].value).callee == "gaussian");
}

TEST_CASE("synapses: summed variables, event-driven equations, on pre/post, delay") {
  auto p = parseText(R"(
synapse STDP {
    parameters { taupre = 20 ms; wmax : volt = 1 mV }
    state { w : 1 = 0.5; apre : 1 }
    equations {
        dapre/dt = -apre / taupre : 1 (event-driven)
        post.I_syn = w * (E_syn - post.V) : amp (summed)
        g = w * 2 (clock-driven, summed)
    }
    on pre { apre += 1; w = clip(w + apre, 0, wmax) }
    on post { if apre > 0 { w -= 1 } else if apre < 0 { w += 1 } else { w = 0 } }
    delay 1.5 ms
    method exact
}
)");
  INFO(p->all());
  REQUIRE(p->diags.all().empty());
  const auto& s = p->module.models.at(0);
  CHECK(s.kind == ast::ModelKind::Synapse);
  REQUIRE(s.parameters.size() == 2);
  REQUIRE(s.parameters[1].unit);
  CHECK(s.parameters[1].unit->factors[0].name == "volt");
  REQUIRE(s.states.size() == 2);
  CHECK(s.states[0].unit.factors[0].name == "1");
  CHECK_FALSE(s.states[1].init);
  REQUIRE(s.equations.size() == 3);
  CHECK(s.equations[0].flags.at(0).flag == ast::EquationFlag::EventDriven);
  REQUIRE(s.equations[0].unit);
  CHECK(s.equations[0].unit->factors[0].name == "1");
  CHECK(s.equations[1].object == "post");
  CHECK(s.equations[1].name == "I_syn");
  CHECK(p->text(s.equations[1].object_range) == "post");
  CHECK(s.equations[1].flags.at(0).flag == ast::EquationFlag::Summed);
  REQUIRE(s.equations[2].flags.size() == 2);
  CHECK(s.equations[2].flags[0].flag == ast::EquationFlag::ClockDriven);
  REQUIRE(s.handlers.size() == 2);
  CHECK(s.handlers[0].event == "pre");
  CHECK(s.handlers[0].body.size() == 2);
  const auto& cond = std::get<ast::IfStmt>(s.handlers[1].body.at(0)->node);
  REQUIRE(cond.else_body.size() == 1);
  const auto& else_if = std::get<ast::IfStmt>(cond.else_body[0]->node);
  CHECK(else_if.else_body.size() == 1);
  CHECK(std::holds_alternative<ast::AssignStmt>(else_if.else_body[0]->node));
  REQUIRE(s.delay);
  CHECK(as<ast::NumberExpr>(*s.delay).text == "1.5");
  CHECK(s.method == "exact");
}

TEST_CASE("experiment statements: every kind") {
  auto p = parseText(R"(
let stim = timed([0, 1, 0] * nA, dt = 100 ms)
experiment x {
    population P = poisson[10](rate = 20 Hz)
    population Q = spikes[3](indices = [0, 1, 2], times = [1, 2, 3,] * ms) {}
    population N = LIF[2]()
    connect S = P -> N using STDP(wmax = 0.01) { one_to_one; w = 0.5 mV; fixed_indegree = 80 }
    connect P -> N using Exc
    record N.V[0:10] every 0.1 ms, S.w[:20], N.V[5:], N.V[:], N.V[1]
    run 100 ms
    at 100 ms { N.I_ext = 2.5 nA; N.I_ext[0:1] += 1 nA }
    N.I_ext = 0 nA
    let k = 3
    poisson_input(target = N.I_syn, n = 1000, rate = 5 Hz, weight = 0.1 mV)
    plot trace(N.V[0])
    plot histogram(S.w) to "w.svg"
}
)");
  INFO(p->all());
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->module.lets.size() == 1);
  CHECK(p->module.lets[0].name == "stim");
  const auto& body = p->module.experiments.at(0).body;
  REQUIRE(body.size() == 13);
  const auto& q = std::get<ast::PopulationStmt>(body[1].node);
  CHECK(q.model == "spikes");
  CHECK(q.has_initialisers);
  CHECK(q.initialisers.empty());
  CHECK(as<ast::ListExpr>(*as<ast::BinaryExpr>(*q.arguments.at(1).value).lhs).elements.size() == 3);
  const auto& n = std::get<ast::PopulationStmt>(body[2].node);
  CHECK(n.has_arguments);
  CHECK(n.arguments.empty());
  const auto& s = std::get<ast::ConnectStmt>(body[3].node);
  CHECK(s.name == "S");
  CHECK(s.synapse == "STDP");
  CHECK(p->text(s.synapse_range) == "STDP");
  REQUIRE(s.items.size() == 3);
  CHECK(s.items[0].kind == ast::ConnectItem::Kind::Rule);
  CHECK(s.items[0].key == "one_to_one");
  const auto& c2 = std::get<ast::ConnectStmt>(body[4].node);
  CHECK_FALSE(c2.has_body);
  CHECK_FALSE(c2.has_arguments);
  const auto& rec = std::get<ast::RecordStmt>(body[5].node);
  REQUIRE(rec.items.size() == 5);
  REQUIRE(rec.items[0].every);
  const auto& slice = as<ast::IndexExpr>(*rec.items[0].what);
  CHECK(slice.is_slice);
  CHECK(as<ast::NumberExpr>(*slice.hi).text == "10");
  CHECK(p->text(slice.range) == "N.V[0:10]");
  CHECK_FALSE(as<ast::IndexExpr>(*rec.items[1].what).lo);
  CHECK_FALSE(as<ast::IndexExpr>(*rec.items[2].what).hi);
  CHECK(as<ast::IndexExpr>(*rec.items[3].what).is_slice);
  CHECK_FALSE(as<ast::IndexExpr>(*rec.items[4].what).is_slice);
  const auto& at = std::get<ast::AtStmt>(body[7].node);
  REQUIRE(at.body.size() == 2);
  const auto& lv = std::get<ast::AssignStmt>(at.body[1]->node).target;
  CHECK(lv.object == "N");
  CHECK(lv.name == "I_ext");
  CHECK(lv.has_subscript);
  CHECK(lv.is_slice);
  CHECK(p->text(lv.range) == "N.I_ext[0:1]");
  CHECK(std::holds_alternative<ast::AssignStmt>(body[8].node));
  CHECK(std::holds_alternative<ast::LetDecl>(body[9].node));
  const auto& call = std::get<ast::CallStmt>(body[10].node);
  CHECK(call.call->callee == "poisson_input");
  CHECK(call.call->args.size() == 4);
  CHECK(std::get<ast::PlotStmt>(body[11].node).path.empty());
  CHECK(std::get<ast::PlotStmt>(body[12].node).path == "w.svg");
}

TEST_CASE("a unit follows a number only when it names a unit and is on the number's line") {
  SUBCASE("`10 mV / tau` divides ten millivolts by the name tau") {
    auto p = parseText("let x = 10 mV / tau\n");
    REQUIRE(p->diags.all().empty());
    const auto& div = as<ast::BinaryExpr>(*p->module.lets.at(0).value);
    CHECK(div.op == ast::BinaryOp::Div);
    const auto& number = as<ast::NumberExpr>(*div.lhs);
    REQUIRE(number.unit);
    CHECK(number.unit->factors.size() == 1);
    CHECK(as<ast::NameExpr>(*div.rhs).name == "tau");
  }
  SUBCASE("`1 uF/cm^2` is one quantity with factors uF^1 cm^-2") {
    auto p = parseText("let c = 1 uF/cm^2\n");
    REQUIRE(p->diags.all().empty());
    const auto& number = as<ast::NumberExpr>(*p->module.lets.at(0).value);
    REQUIRE(number.unit);
    REQUIRE(number.unit->factors.size() == 2);
    CHECK(number.unit->factors[0].name == "uF");
    CHECK(number.unit->factors[0].exponent_num == 1);
    CHECK(number.unit->factors[1].name == "cm");
    CHECK(number.unit->factors[1].exponent_num == -2);
    CHECK(p->text(number.range) == "1 uF/cm^2");
    CHECK(p->text(number.unit->factors[1].range) == "cm^2");
  }
  SUBCASE("`120 msiemens/cm**2`") {
    auto p = parseText("let g = 120 msiemens/cm**2\n");
    REQUIRE(p->diags.all().empty());
    const auto& number = as<ast::NumberExpr>(*p->module.lets.at(0).value);
    REQUIRE(number.unit->factors.size() == 2);
    CHECK(number.unit->factors[1].exponent_num == -2);
  }
  SUBCASE("`n = 5` NEWLINE `m = 3` are two parameters, not 5 metres") {
    auto p = parseText("neuron A {\n parameters {\n  n = 5\n  m = 3\n }\n}\n");
    REQUIRE(p->diags.all().empty());
    const auto& params = p->module.models.at(0).parameters;
    REQUIRE(params.size() == 2);
    CHECK_FALSE(as<ast::NumberExpr>(*params[0].value).unit);
    CHECK(params[1].name == "m");
  }
  SUBCASE("a unit continues with `*`: `10 mV * ms`; a non-unit stops it: `2 * n`") {
    auto p = parseText("let a = 10 mV * ms\nlet b = 2 ms * n\n");
    REQUIRE(p->diags.all().empty());
    CHECK(as<ast::NumberExpr>(*p->module.lets[0].value).unit->factors.size() == 2);
    const auto& b = as<ast::BinaryExpr>(*p->module.lets[1].value);
    CHECK(b.op == ast::BinaryOp::Mul);
    CHECK(as<ast::NumberExpr>(*b.lhs).unit->factors.size() == 1);
  }
  SUBCASE("micro signs are letters: µs and μV") {
    auto p = parseText("let a = 5 \xC2\xB5s\nlet b = 2 \xCE\xBCV\n");
    INFO(p->all());
    REQUIRE(p->diags.all().empty());
    CHECK(as<ast::NumberExpr>(*p->module.lets[0].value).unit->factors[0].name == "\xC2\xB5s");
  }
}

TEST_CASE("flags after an expression ending in a name are flags, not a call") {
  auto p = parseText(
      "neuron A { equations { dV/dt = -V/tau (unless refractory)\n dI/dt = -I/tau_s (summed) } }");
  INFO(p->all());
  REQUIRE(p->diags.all().empty());
  const auto& eqs = p->module.models.at(0).equations;
  REQUIRE(eqs.size() == 2);
  CHECK(eqs[0].rhs->kind == ast::ExprKind::Binary);
  CHECK(as<ast::NameExpr>(*as<ast::BinaryExpr>(*eqs[0].rhs).rhs).name == "tau");
  CHECK(eqs[0].flags.size() == 1);
  CHECK(eqs[1].flags.at(0).flag == ast::EquationFlag::Summed);
}

TEST_CASE("unit specifications flatten to rational powers") {
  auto p = parseText(
      "neuron A { state {\n"
      "  a : metre^-2 * siemens\n"
      "  b : (volt/second)^2\n"
      "  c : metre^(1/2)\n"
      "  d : cm**-2\n"
      "  e : 1\n"
      "  f : (amp^(1/2))^(-2/3) / 1\n"
      "} }");
  INFO(p->all());
  REQUIRE(p->diags.all().empty());
  const auto& states = p->module.models.at(0).states;
  const auto factors = [&](std::size_t i) {
    std::string out;
    for (const auto& f : states.at(i).unit.factors) {
      out += f.name + "^" + std::to_string(f.exponent_num) + "/" + std::to_string(f.exponent_den) +
             " ";
    }
    return out;
  };
  CHECK(factors(0) == "metre^-2/1 siemens^1/1 ");
  CHECK(factors(1) == "volt^2/1 second^-2/1 ");
  CHECK(factors(2) == "metre^1/2 ");
  CHECK(factors(3) == "cm^-2/1 ");
  CHECK(factors(4) == "1^1/1 ");
  CHECK(factors(5) == "amp^-1/3 1^-1/1 ");
}

TEST_CASE("checks made while building the AST") {
  SUBCASE("a number other than 1 in a unit") {
    auto p = parseText("neuron A { state { x : 2 } }");
    const Diagnostic* d = p->first(DiagnosticKind::BadUnitNumber);
    REQUIRE(d);
    CHECK(p->at(d->range) == "1:24");
  }
  SUBCASE("unit exponents must be whole numbers or fractions") {
    auto p = parseText("neuron A { state { x : cm^2.5\n y : m^(1/0) } }");
    CHECK(p->count(DiagnosticKind::BadUnitExponent) == 2);
    CHECK(p->text(p->first(DiagnosticKind::BadUnitExponent)->range) == "^2.5");
  }
  SUBCASE("huge literal 1e999 and tiny 1e-999") {
    auto p = parseText("let x = 1e999\nlet y = 1e-999\nlet z = 1e308\n");
    REQUIRE(p->count(DiagnosticKind::NumberOutOfRange) == 2);
    const Diagnostic* d = p->first(DiagnosticKind::NumberOutOfRange);
    CHECK(p->at(d->range) == "1:9");
    CHECK(d->message == "number `1e999` is out of range for a double");
  }
  SUBCASE("derivatives must read dX/dt") {
    auto p = parseText("neuron A { equations {\n xV/dt = 1\n dV/dx = 2\n d/dt = 3\n dW/dt = 4 } }");
    CHECK(p->count(DiagnosticKind::BadDerivative) == 3);
    CHECK(p->first(DiagnosticKind::BadDerivative)->message ==
          "a derivative is written `dX/dt`; found `xV/dt`");
    CHECK(p->at(p->first(DiagnosticKind::BadDerivative)->range) == "2:2");
    REQUIRE(p->module.models.at(0).equations.size() == 1);
    CHECK(p->module.models[0].equations[0].name == "W");
  }
  SUBCASE("items not allowed in a model kind") {
    auto p = parseText(
        "synapse S { threshold V > 1\n reset { V = 0 }\n refractory 2 ms }\n"
        "neuron N { on pre { V += 1 }\n delay 1 ms }");
    CHECK(p->count(DiagnosticKind::ItemNotAllowed) == 5);
    const Diagnostic* d = p->first(DiagnosticKind::ItemNotAllowed);
    CHECK(d->message == "`threshold` is not allowed in a synapse");
    CHECK(p->text(d->range) == "threshold");
    CHECK(p->diags.all().back().message == "`delay` is not allowed in a neuron");
  }
  SUBCASE("`on` must name pre or post") {
    auto p = parseText(
        "synapse S { on spike { w = 1 } }\nexperiment E { connect A -> B { on foo { x = 1 } } }");
    CHECK(p->count(DiagnosticKind::BadEvent) == 2);
    CHECK(p->text(p->first(DiagnosticKind::BadEvent)->range) == "spike");
  }
  SUBCASE("duplicate blocks are merged; duplicate single items are errors") {
    auto p = parseText(
        "neuron N {\n parameters { a = 1 }\n state { V : volt }\n parameters { b = 2 }\n"
        " threshold V > 1\n threshold V > 2\n}");
    REQUIRE(p->count(DiagnosticKind::DuplicateDefinition) == 1);
    const Diagnostic* d = p->first(DiagnosticKind::DuplicateDefinition);
    CHECK(p->at(d->range) == "6:2");
    REQUIRE(d->notes.size() == 1);
    CHECK(p->at(d->notes[0].range) == "5:2");
    const auto& m = p->module.models.at(0);
    REQUIRE(m.parameters.size() == 2);
    CHECK(m.parameters[1].name == "b");
  }
  SUBCASE("import after a declaration") {
    auto p = parseText("import \"a.snn\"\nlet x = 1\nimport \"b.snn\"\n");
    const Diagnostic* d = p->first(DiagnosticKind::ImportNotAtTop);
    REQUIRE(d);
    CHECK(p->at(d->range) == "3:1");
    CHECK(p->module.imports.size() == 2);
  }
  SUBCASE("unknown escapes in strings") {
    auto p = parseText("experiment E { plot x to \"a\\qb\\n\" }");
    const Diagnostic* d = p->first(DiagnosticKind::BadEscape);
    REQUIRE(d);
    CHECK(p->text(d->range) == "\\q");
    CHECK(d->message == "unknown escape sequence `\\q` in a string");
  }
}

TEST_CASE("strings decode their escapes") {
  auto p = parseText("import \"a\\\\b\\\"c\\td\"\n");
  REQUIRE(p->diags.all().empty());
  CHECK(p->module.imports.at(0).path == "a\\b\"c\td");
}

TEST_CASE("print format strings") {
  const auto pieces = [](const testing::Parsed& p) -> const std::vector<ast::FormatPiece>& {
    return std::get<ast::PrintStmt>(p.module.experiments.at(0).body.at(0).node).pieces;
  };
  SUBCASE("literal braces, specs, slices inside the braces, fill characters") {
    auto p = parseText("experiment E {\n print \"a {{b}} {x:.2f}|{E.V[0:10]}|{r::>8.1e} end\"\n}");
    INFO(p->all());
    REQUIRE(p->diags.all().empty());
    const auto& ps = pieces(*p);
    REQUIRE(ps.size() == 7);
    CHECK(ps[0].text == "a {b} ");
    CHECK(ps[1].spec == ".2f");
    CHECK(ps[3].expr->kind == ast::ExprKind::Index);
    CHECK(ps[3].spec.empty());
    CHECK(ps[5].spec == ":>8.1e");
    CHECK(ps[6].text == " end");
  }
  SUBCASE("bad specs are reported inside the string") {
    auto p = parseText("experiment E {\n print \"{x:d} {y:.} {z:8.2q} {u:L}\"\n}");
    REQUIRE(p->count(DiagnosticKind::BadFormatString) == 4);
    const Diagnostic& first = *p->first(DiagnosticKind::BadFormatString);
    CHECK(p->at(first.range) == "2:12");
    CHECK(p->text(first.range) == "d");
    CHECK(first.message.find("`d`") != std::string::npos);
  }
  SUBCASE("braces that do not pair up") {
    auto p = parseText("experiment E {\n print \"{} } {open\"\n}");
    REQUIRE(p->count(DiagnosticKind::BadFormatString) == 3);
    CHECK(p->at(p->diags.all()[0].range) == "2:9");
    CHECK(p->at(p->diags.all()[1].range) == "2:12");
    CHECK(p->at(p->diags.all()[2].range) == "2:14");
  }
  SUBCASE("a syntax error inside the braces points at its column") {
    auto p = parseText("experiment E {\n print \"value: {a +}\"\n}");
    const Diagnostic* d = p->first(DiagnosticKind::SyntaxError);
    REQUIRE(d);
    CHECK(p->at(d->range) == "2:20");
    CHECK(d->message == "expected an expression, found the end of the expression");
  }
  SUBCASE("positions inside the string stay right after non-ASCII text") {
    auto p = parseText("experiment E {\n print \"\xC3\xA9\xC3\xA9 {x + $}\"\n}");
    const Diagnostic* d = p->first(DiagnosticKind::UnexpectedCharacter);
    REQUIRE(d);
    CHECK(p->at(d->range) == "2:17");
    CHECK(p->text(d->range) == "$");
  }
}

TEST_CASE("parseExpression parses a whole buffer as one expression") {
  SourceManager sources;
  Diagnostics diags;
  FileId file = sources.addBuffer("--set", "20 ms * 2");
  auto e = parse::parseExpression(sources, file, diags);
  REQUIRE(e);
  CHECK(diags.all().empty());
  CHECK(ast::printExpr(*e) == "20 ms * 2");
  FileId bad = sources.addBuffer("--set", "20 ms 3");
  CHECK_FALSE(parse::parseExpression(sources, bad, diags));
  REQUIRE(diags.errorCount() == 1);
  CHECK(diags.all()[0].message == "expected the end of the expression, found `3`");
}

}  // namespace
}  // namespace snn
