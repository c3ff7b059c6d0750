// Implementation of the LSP framing; see json_rpc.h.
#include "compiler/lsp/json_rpc.h"

#include <cctype>
#include <charconv>
#include <istream>
#include <ostream>

namespace snn::lsp {
namespace {

// A header line without its CRLF (a bare LF is accepted too, as some clients send it).
bool readHeaderLine(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Far more than any model file; a larger length is a corrupt header, not a message to buffer.
constexpr std::size_t kMaxMessageBytes = std::size_t{256} << 20;

}  // namespace

Frame readFrame(std::istream& in) {
  std::string line;
  std::optional<std::size_t> length;
  bool bad = false;
  bool any_header = false;
  while (true) {
    if (!readHeaderLine(in, line)) return {};
    if (line.empty()) {
      if (!any_header) continue;  // stray blank lines between frames
      break;
    }
    any_header = true;
    constexpr std::string_view kLength = "content-length:";
    if (!startsWithIgnoringCase(line, kLength)) continue;  // Content-Type and the like
    std::string_view value(line);
    value.remove_prefix(kLength.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n > kMaxMessageBytes) {
      bad = true;
    } else {
      length = n;
    }
  }
  if (bad || !length) return {Frame::Status::BadHeader, {}};
  Frame frame{Frame::Status::Message, std::string(*length, '\0')};
  in.read(frame.body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<std::size_t>(in.gcount()) != *length) return {};
  return frame;
}

void writeFrame(std::ostream& out, const nlohmann::json& message) {
  // Invalid UTF-8 (it cannot come from our own text, but a client may send it back) is replaced
  // rather than thrown on: one bad byte must not take the server down.
  std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace snn::lsp
