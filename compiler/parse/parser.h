// The parser front end: .snn text -> ast::Module. It runs the ANTLR-generated lexer and parser
// (grammar/), turns ANTLR's errors into our diagnostics with precise ranges and "expected ..."
// wording, guards the recursive parser against deeply nested input, and builds the AST
// (ast_builder.cpp). Nothing outside compiler/parse/ sees ANTLR.
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/source/source_manager.h"

namespace snn::parse {

// Parses one file. Never throws on bad input: errors go to `diags`. After a lexical or syntax
// error the returned Module holds no declarations (a broken parse tree is never turned into an
// AST); checks made while building the AST (numbers, units, format strings, ...) report and go
// on, so a Module with declarations may still come with errors: test diags.hasErrors().
ast::Module parseFile(const SourceManager& sources, FileId file, Diagnostics& diags);

// Parses a whole buffer as one expression (`--set P.tau=20ms`, tests). Null after an error.
ast::ExprPtr parseExpression(const SourceManager& sources, FileId file, Diagnostics& diags);

// Drops the prediction caches (DFA states) that the generated lexer and parser share across
// every parse in the process. They only ever grow; a long-lived process that parses many
// different inputs (the fuzzer, an editor's language server) calls this now and then to keep
// its memory bounded. Not safe while another thread is parsing.
void clearParserCaches();

// Limits that keep the recursive parser and every later recursive pass off the end of the
// stack (see the nesting scan in parser.cpp and the depth check in ast_builder.cpp).
inline constexpr unsigned kMaxNesting = 256;     // ( [ {, prefix operators, ** chains, else-if
inline constexpr unsigned kMaxExprDepth = 2000;  // depth of any expression tree in the AST

}  // namespace snn::parse
