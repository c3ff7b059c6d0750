// Internal to compiler/parse/: the bridge between ANTLR's parse tree and our AST. Only this
// header, ast_builder.cpp and parser.cpp include ANTLR headers.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "SnnParser.h"
#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostics.h"
#include "compiler/source/source_manager.h"

namespace snn::parse {

// ANTLR numbers characters in code points; our ranges are byte offsets into the SourceFile.
// A token stream may also cover only a piece of the file (an expression inside a print format
// string), which starts at byte `base`.
class TokenRanges {
 public:
  TokenRanges(FileId file, std::string_view text, std::uint32_t base);

  FileId file() const { return file_; }
  std::uint32_t byteOffset(std::size_t code_point) const;
  SourceRange of(const antlr4::Token* token) const;
  SourceRange of(const antlr4::Token* first, const antlr4::Token* last) const;
  SourceRange of(antlr4::ParserRuleContext* context) const;

 private:
  FileId file_;
  std::uint32_t base_;
  std::uint32_t size_;                       // bytes in the text
  std::vector<std::uint32_t> code_to_byte_;  // empty when the text is ASCII
};

// Parses the expression written in bytes [begin, end) of the file (inside `{...}` in a print
// format string). Returns null after reporting errors.
using EmbeddedExprParser = std::function<ast::ExprPtr(std::uint32_t begin, std::uint32_t end)>;

// Builds the AST from a parse tree without syntax errors. Reports the checks that belong to
// parsing (derivative form, items allowed per model kind, numbers, units, format strings).
ast::Module buildModule(grammar::SnnParser::FileContext* tree, const SourceFile& file,
                        const TokenRanges& ranges, Diagnostics& diags,
                        const EmbeddedExprParser& embedded);
// Null when the expression is too deep (reported).
ast::ExprPtr buildExpression(grammar::SnnParser::ExprContext* tree, const SourceFile& file,
                             const TokenRanges& ranges, Diagnostics& diags,
                             const EmbeddedExprParser& embedded);

}  // namespace snn::parse
