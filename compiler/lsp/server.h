// `snnc lsp`: a Language Server Protocol server over a pair of streams (stdin and stdout in
// snnc). It keeps the open documents' text, runs the front end on every change and publishes
// its diagnostics, and answers hover, go-to-definition and completion from the last analysis.
// Documents are synchronised in full (TextDocumentSyncKind.Full); positions are UTF-16.
#pragma once

#include <iosfwd>

namespace snn::lsp {

// Serves until the client's `exit` or the end of `in`. Returns the process exit code: 0 after
// `shutdown` then `exit`, 1 when `exit` (or the end of input) comes without `shutdown`, as the
// protocol asks. Only protocol messages are written to `out`; anything else goes to `log`.
// When `out` is std::cout, std::cout itself is pointed at `log` meanwhile, so that a stray
// print in the compiler cannot corrupt the protocol stream.
int serve(std::istream& in, std::ostream& out, std::ostream& log);
int serve(std::istream& in, std::ostream& out);  // log: std::cerr

}  // namespace snn::lsp
