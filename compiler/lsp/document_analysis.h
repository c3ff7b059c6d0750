// What the server knows about one open document, computed once per edit: the front end (parse,
// sema, equations) runs on the editor's text, and its results are flattened into plain data
// (LSP diagnostics, every name occurrence with its hover text and definition, the declared
// names for completion), so that requests never touch the AST and nothing points into a
// program that the next edit replaces.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace snn::lsp {

// A name in the document that the checker resolved (or a declaration, or a unit): hovering
// anywhere in [begin, end) shows `hover`; go-to-definition goes to `definition`.
struct Occurrence {
  std::uint32_t begin = 0, end = 0;          // bytes in the document
  std::string hover;                         // markdown
  std::optional<nlohmann::json> definition;  // an LSP Location
};

// A declared name offered by completion where the cursor is in [scope_begin, scope_end).
struct CompletionName {
  std::string label;
  int kind = 6;  // LSP CompletionItemKind (6 Variable, 7 Class, 21 Constant, ...)
  std::string detail;
  std::uint32_t scope_begin = 0;
  std::uint32_t scope_end = ~std::uint32_t{0};
};

struct Analysis {
  nlohmann::json diagnostics = nlohmann::json::array();  // LSP Diagnostic[] for the document
  std::vector<Occurrence> occurrences;
  std::vector<CompletionName> names;
  bool parsed = false;  // the document parsed: `names` are its own, not a fallback
};

// Runs the front end on `text` as the content of `path` (imports are read from disk and the
// standard library). `uri` is how the client names the document: locations inside it use it.
Analysis analyzeDocument(const std::string& uri, const std::filesystem::path& path,
                         const std::string& text);

// The innermost occurrence covering `offset`; a cursor just after a name still finds it.
const Occurrence* occurrenceAt(const Analysis& analysis, std::uint32_t offset);

}  // namespace snn::lsp
