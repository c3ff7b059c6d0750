// Spellings and precedences of the AST's operators: one table that the printer, the tree dump
// and diagnostics share, so that an operator is written the same way everywhere.
#include "compiler/ast/ast.h"

namespace snn::ast {

const char* spelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::Negate:
      return "-";
    case UnaryOp::Plus:
      return "+";
    case UnaryOp::Not:
      return "not";
  }
  return "?";
}

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Mod:
      return "%";
    case BinaryOp::Pow:
      return "**";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::And:
      return "and";
    case BinaryOp::Or:
      return "or";
  }
  return "?";
}

// The levels of grammar/SnnParser.g4, loosest first: or 1, and 2, (not 3), comparison 4,
// + - 5, * / % 6, (unary - + 7), ** 8. The gaps are the unary levels (see printer.cpp).
int precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or:
      return 1;
    case BinaryOp::And:
      return 2;
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge:
      return 4;
    case BinaryOp::Add:
    case BinaryOp::Sub:
      return 5;
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod:
      return 6;
    case BinaryOp::Pow:
      return 8;
  }
  return 0;
}

const char* spelling(AssignOp op) {
  switch (op) {
    case AssignOp::Set:
      return "=";
    case AssignOp::Add:
      return "+=";
    case AssignOp::Sub:
      return "-=";
    case AssignOp::Mul:
      return "*=";
    case AssignOp::Div:
      return "/=";
  }
  return "?";
}

const char* spelling(EquationFlag flag) {
  switch (flag) {
    case EquationFlag::UnlessRefractory:
      return "unless refractory";
    case EquationFlag::EventDriven:
      return "event-driven";
    case EquationFlag::ClockDriven:
      return "clock-driven";
    case EquationFlag::Summed:
      return "summed";
  }
  return "?";
}

}  // namespace snn::ast
