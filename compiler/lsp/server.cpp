// Implementation of the language server; see server.h.
//
// Requests are answered in the order they come, on one thread: analyses run on each change
// (a model file checks in milliseconds), so there is nothing to cancel or debounce.
#include "compiler/lsp/server.h"

#include <algorithm>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "compiler/lsp/document_analysis.h"
#include "compiler/lsp/json_rpc.h"
#include "compiler/lsp/positions.h"
#include "compiler/sema/builtins.h"
#include "compiler/units/unit_table.h"

namespace snn::lsp {
namespace {

using nlohmann::json;

// Thrown by handlers on parameters that do not have the shape the method needs.
struct InvalidParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A copy of the keyword section of grammar/SnnLexer.g4, kept by hand: the lexer's tables are
// generated code that only compiler/parse/ may include.
constexpr const char* kKeywords[] = {
    "import",    "neuron", "synapse",    "experiment",   "parameters",  "state", "equations",
    "threshold", "reset",  "refractory", "method",       "delay",       "on",    "population",
    "connect",   "using",  "record",     "every",        "run",         "at",    "print",
    "plot",      "to",     "let",        "if",           "else",        "and",   "or",
    "not",       "unless", "summed",     "event-driven", "clock-driven"};

struct Document {
  std::string text;
  std::filesystem::path path;
  std::optional<std::int64_t> version;
  Analysis analysis;
  // The names of the last analysis of a text that parsed: completion still offers them while
  // the document is in the middle of an edit that does not parse.
  std::vector<CompletionName> last_names;
};

class Server {
 public:
  Server(std::ostream& out, std::ostream& log) : out_(out), log_(log) {}

  // Handles one message; returns the exit code once `exit` has come.
  std::optional<int> handle(const json& message) {
    if (!message.is_object()) {
      respondError(nullptr, error_code::kInvalidRequest, "a message must be a JSON object");
      return std::nullopt;
    }
    auto method = message.find("method");
    auto id = message.find("id");
    bool is_request = id != message.end();
    if (method == message.end() || !method->is_string()) {
      // A response to a request of ours (we send none) or garbage.
      if (!is_request || message.contains("result") || message.contains("error")) {
        return std::nullopt;
      }
      respondError(*id, error_code::kInvalidRequest, "a request needs a `method`");
      return std::nullopt;
    }
    if (is_request && !(id->is_number_integer() || id->is_string())) {
      respondError(nullptr, error_code::kInvalidRequest, "a request id is a number or a string");
      return std::nullopt;
    }
    const std::string& name = method->get_ref<const std::string&>();
    json params = message.value("params", json::object());
    if (name == "exit") return shutdown_ ? 0 : 1;
    try {
      if (is_request) {
        request(*id, name, params);
      } else {
        notification(name, params);
      }
    } catch (const InvalidParams& e) {
      if (is_request) respondError(*id, error_code::kInvalidParams, e.what());
      log_ << "snnc lsp: " << name << ": " << e.what() << '\n';
    } catch (const json::exception& e) {
      if (is_request) respondError(*id, error_code::kInvalidParams, e.what());
      log_ << "snnc lsp: " << name << ": " << e.what() << '\n';
    } catch (const std::exception& e) {
      if (is_request) respondError(*id, error_code::kInternalError, e.what());
      log_ << "snnc lsp: internal error in " << name << ": " << e.what() << '\n';
    }
    return std::nullopt;
  }

  int endOfInput() const { return shutdown_ ? 0 : 1; }

  void respondError(const json& id, int code, const std::string& message) {
    writeFrame(out_,
               {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }

 private:
  void respond(const json& id, json result) {
    writeFrame(out_, {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  }

  void notify(const std::string& method, json params) {
    writeFrame(out_, {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  void request(const json& id, const std::string& method, const json& params) {
    if (method == "initialize") {
      initialized_ = true;
      respond(id, initializeResult());
      return;
    }
    if (!initialized_) {
      respondError(id, error_code::kServerNotInitialized, "`initialize` must come first");
      return;
    }
    if (shutdown_) {
      respondError(id, error_code::kInvalidRequest, "the server is shutting down");
      return;
    }
    if (method == "shutdown") {
      shutdown_ = true;
      respond(id, nullptr);
    } else if (method == "textDocument/hover") {
      respond(id, hover(params));
    } else if (method == "textDocument/definition") {
      respond(id, definition(params));
    } else if (method == "textDocument/completion") {
      respond(id, completion(params));
    } else {
      respondError(id, error_code::kMethodNotFound, "unsupported method `" + method + "`");
    }
  }

  void notification(const std::string& method, const json& params) {
    if (!initialized_ || shutdown_) return;  // the protocol says to drop them
    if (method == "textDocument/didOpen") {
      const json& item = params.at("textDocument");
      Document& doc = documents_[item.at("uri").get<std::string>()];
      doc.text = item.at("text").get<std::string>();
      doc.path = uriToPath(item.at("uri").get<std::string>());
      doc.version = item.value("version", std::int64_t{0});
      analyze(item.at("uri").get<std::string>(), doc);
    } else if (method == "textDocument/didChange") {
      std::string uri = params.at("textDocument").at("uri").get<std::string>();
      auto it = documents_.find(uri);
      if (it == documents_.end()) throw InvalidParams("`" + uri + "` is not open");
      Document& doc = it->second;
      for (const json& change : params.at("contentChanges")) applyChange(doc.text, change);
      const json& identifier = params.at("textDocument");
      if (auto version = identifier.find("version");
          version != identifier.end() && version->is_number_integer()) {
        doc.version = version->get<std::int64_t>();
      }
      analyze(uri, doc);
    } else if (method == "textDocument/didClose") {
      std::string uri = params.at("textDocument").at("uri").get<std::string>();
      documents_.erase(uri);
      notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
    }
    // initialized, didSave, $/cancelRequest, $/setTrace, workspace/...: nothing to do.
  }

  json initializeResult() const {
    return {{"capabilities",
             {{"positionEncoding", "utf-16"},
              {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
              {"hoverProvider", true},
              {"definitionProvider", true},
              {"completionProvider", {{"triggerCharacters", json::array({"."})}}}}},
            {"serverInfo", {{"name", "snnc lsp"}}}};
  }

  // Full sync replaces the text; a change with a range (which we did not ask for, but cost
  // nothing to honour) replaces that range.
  static void applyChange(std::string& text, const json& change) {
    std::string replacement = change.at("text").get<std::string>();
    auto range = change.find("range");
    if (range == change.end() || range->is_null()) {
      text = std::move(replacement);
      return;
    }
    std::uint32_t begin = offsetOf(text, positionFrom(range->at("start")));
    std::uint32_t end = offsetOf(text, positionFrom(range->at("end")));
    if (end < begin) std::swap(begin, end);
    text.replace(begin, end - begin, replacement);
  }

  static Position positionFrom(const json& position) {
    auto line = position.at("line").get<std::int64_t>();
    auto character = position.at("character").get<std::int64_t>();
    if (line < 0 || character < 0) throw InvalidParams("a position cannot be negative");
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    return {static_cast<std::uint32_t>(std::min(line, kMax)),
            static_cast<std::uint32_t>(std::min(character, kMax))};
  }

  void analyze(const std::string& uri, Document& doc) {
    doc.analysis = analyzeDocument(uri, doc.path, doc.text);
    if (doc.analysis.parsed) doc.last_names = doc.analysis.names;
    json params = {{"uri", uri}, {"diagnostics", doc.analysis.diagnostics}};
    if (doc.version) params["version"] = *doc.version;
    notify("textDocument/publishDiagnostics", std::move(params));
  }

  // The document and byte offset of a TextDocumentPositionParams.
  std::pair<const Document*, std::uint32_t> at(const json& params) const {
    std::string uri = params.at("textDocument").at("uri").get<std::string>();
    auto it = documents_.find(uri);
    if (it == documents_.end()) return {nullptr, 0};
    return {&it->second, offsetOf(it->second.text, positionFrom(params.at("position")))};
  }

  json hover(const json& params) const {
    auto [doc, offset] = at(params);
    if (!doc) return nullptr;
    const Occurrence* o = occurrenceAt(doc->analysis, offset);
    if (!o) return nullptr;
    return {{"contents", {{"kind", "markdown"}, {"value", o->hover}}},
            {"range", rangeJson(doc->text, o->begin, o->end)}};
  }

  json definition(const json& params) const {
    auto [doc, offset] = at(params);
    if (!doc) return nullptr;
    const Occurrence* o = occurrenceAt(doc->analysis, offset);
    if (!o || !o->definition) return nullptr;
    return *o->definition;
  }

  json completion(const json& params) const {
    auto [doc, offset] = at(params);
    json items = json::array();
    auto item = [&](std::string_view label, int kind, std::string_view detail) {
      json entry = {{"label", label}, {"kind", kind}};
      if (!detail.empty()) entry["detail"] = detail;
      items.push_back(std::move(entry));
    };
    if (doc) {
      const auto& names = doc->analysis.parsed ? doc->analysis.names : doc->last_names;
      for (const auto& name : names) {
        if (name.scope_begin <= offset && offset <= name.scope_end)
          item(name.label, name.kind, name.detail);
      }
    }
    for (const char* keyword : kKeywords) item(keyword, 14, "keyword");
    for (const auto& v : sema::builtinVariables()) item(v.name, 6, v.doc);
    std::vector<std::string_view> functions;
    for (const auto& f : sema::builtinFunctions()) {
      if (std::find(functions.begin(), functions.end(), f.name) != functions.end()) continue;
      functions.push_back(f.name);  // min/max have two rows: one item
      item(f.name, 3, f.signature);
    }
    for (const auto& spelling : unitSpellings()) item(spelling, 11, "unit");
    return {{"isIncomplete", false}, {"items", std::move(items)}};
  }

  static const std::vector<std::string>& unitSpellings() {
    static const std::vector<std::string> spellings = units::allUnitSpellings();
    return spellings;
  }

  std::ostream& out_;
  std::ostream& log_;
  bool initialized_ = false;
  bool shutdown_ = false;
  std::map<std::string, Document> documents_;
};

}  // namespace

int serve(std::istream& in, std::ostream& out, std::ostream& log) {
  // Anything written to std::cout by the compiler goes to the log instead of the protocol.
  std::ostream protocol(out.rdbuf());
  std::streambuf* saved = nullptr;
  if (&out == &std::cout) saved = std::cout.rdbuf(log.rdbuf());
  Server server(protocol, log);
  int status = 1;
  while (true) {
    Frame frame = readFrame(in);
    if (frame.status == Frame::Status::EndOfInput) {
      status = server.endOfInput();
      break;
    }
    if (frame.status == Frame::Status::BadHeader) {
      log << "snnc lsp: a message without a valid Content-Length was skipped\n";
      continue;
    }
    json message = json::parse(frame.body, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded()) {
      server.respondError(nullptr, error_code::kParseError, "the message is not valid JSON");
      continue;
    }
    if (auto code = server.handle(message)) {
      status = *code;
      break;
    }
  }
  if (saved) std::cout.rdbuf(saved);
  return status;
}

int serve(std::istream& in, std::ostream& out) {
  return serve(in, out, std::cerr);
}

}  // namespace snn::lsp
