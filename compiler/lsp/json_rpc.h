// JSON-RPC 2.0 framing as the Language Server Protocol uses it: each message is a header block
// (`Content-Length: N`, optional `Content-Type`, each line ended by CRLF, then an empty line)
// followed by N bytes of UTF-8 JSON. Only the framing lives here; the server decides what the
// messages mean.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace snn::lsp {

// The outcome of reading one frame.
struct Frame {
  enum class Status { Message, EndOfInput, BadHeader } status = Status::EndOfInput;
  std::string body;  // Message: the JSON text, not yet parsed
};

// Reads the next frame. A header block without a usable Content-Length gives BadHeader (the
// block is consumed, so the caller can go on with the next one); end of input, also in the
// middle of a frame, gives EndOfInput.
Frame readFrame(std::istream& in);

// Writes `message` as one frame and flushes, so that the client sees it at once.
void writeFrame(std::ostream& out, const nlohmann::json& message);

// Standard JSON-RPC and LSP error codes.
namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
}  // namespace error_code

}  // namespace snn::lsp
