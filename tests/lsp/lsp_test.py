#!/usr/bin/env python3
"""Drives `snnc lsp` as an editor would: JSON-RPC frames over a pipe, checking diagnostics as
you type, hover, go-to-definition, completion, robustness against bad input, and the exit code.

Usage: lsp_test.py SNNC SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import threading

snnc, root = sys.argv[1], sys.argv[2]
failures = []
checks = 0


def expect(name, condition, detail=""):
    global checks
    checks += 1
    if not condition:
        failures.append(f"{name}\n  {detail}"[:2000])


class Client:
    """One `snnc lsp` process; messages the server sends are collected by a reader thread."""

    def __init__(self):
        self.proc = subprocess.Popen([snnc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages = []
        self.cond = threading.Condition()
        self.next_id = 0
        self.stdout_ok = True
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    with self.cond:
                        self.cond.notify_all()
                    return
                line = line.decode("ascii", "replace")
                if line == "\r\n":
                    break
                if ":" not in line or not line.endswith("\r\n"):
                    self.stdout_ok = False  # something other than a frame on stdout
                    continue
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            with self.cond:
                self.messages.append(json.loads(body.decode("utf-8")))
                self.cond.notify_all()

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def wait(self, predicate, timeout=30):
        with self.cond:
            found = self.cond.wait_for(lambda: any(predicate(m) for m in self.messages)
                                       or self.proc.poll() is not None, timeout)
            for i, m in enumerate(self.messages):
                if predicate(m):
                    return self.messages.pop(i)
        raise AssertionError(f"no such message (server alive: {self.proc.poll() is None}, "
                             f"found={found}, pending={self.messages})")

    def diagnostics(self, uri):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)["params"]

    def finish(self):
        self.proc.stdin.close()
        code = self.proc.wait(timeout=30)
        return code, self.proc.stderr.read().decode("utf-8", "replace")


def position_of(text, needle, occurrence=0, delta=0):
    """The LSP position (UTF-16 characters) of the n-th `needle` in text, plus delta."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += delta
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    character = len(text[start:index].encode("utf-16-le")) // 2
    return {"line": line, "character": character}


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model ä.snn")  # a space and a non-ASCII letter: percent-encoded
    uri = "file://" + path.replace(" ", "%20").replace("ä", "%C3%A4")
    # The file on disk differs from the buffer: the server must check the editor's text.
    with open(path, "w") as f:
        f.write("this is not a model\n")

    good = """import "stdlib/neurons.snn"

neuron Cell {
    parameters {
        tau = 20 ms
        V_rest = -70 mV
    }
    state {
        V : volt = V_rest
    }
    equations {
        dV/dt = (V_rest - V) / tau
    }
}

experiment demo {
    population P = Cell[10] { V = V_rest }
    population L = LIF[5]
    run 10 ms
}
"""

    c = Client()
    init = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    caps = init.get("result", {}).get("capabilities", {})
    expect("initialize: full sync, hover, definition, completion",
           caps.get("textDocumentSync", {}).get("change") == 1 and caps.get("hoverProvider")
           and caps.get("definitionProvider") and "completionProvider" in caps, init)
    c.notify("initialized", {})

    # Diagnostics on open: a volt/second plus an amp.
    bad = good.replace("dV/dt = (V_rest - V) / tau", "dV/dt = (V_rest - V) / tau + 3 nA")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "snn",
                                                       "version": 1, "text": bad}})
    published = c.diagnostics(uri)
    diags = published["diagnostics"]
    expect("didOpen: diagnostics for the buffer, not the file on disk",
           len(diags) >= 1 and all(d["code"] != "SyntaxError" for d in diags), diags)
    expect("didOpen: the version is echoed", published.get("version") == 1, published)
    mismatch = [d for d in diags if d["range"]["start"]["line"] == position_of(bad, "3 nA")["line"]]
    expect("the mismatch is an error on the equation's line", len(mismatch) == 1
           and mismatch[0]["severity"] == 1 and mismatch[0]["source"] == "snnc", diags)
    if mismatch:
        d = mismatch[0]
        expect("the error has its kind as code", d["code"].startswith("Dimension")
               or "Mismatch" in d["code"], d)
        # As in `snnc check`, the caret (the LSP range) is the mismatched operator.
        expect("the range is the `+` that adds them",
               d["range"] == {"start": position_of(bad, "+ 3 nA"), "end": position_of(bad, "+ 3 nA", delta=1)},
               (d["range"], position_of(bad, "+ 3 nA")))
        expect("notes become relatedInformation at the declarations",
               any(r["location"]["uri"] == uri and r["location"]["range"]["start"] == position_of(bad, "tau")
                   for r in d.get("relatedInformation", [])), d)
        expect("the message names both units", "amp" in d["message"], d)

    # UTF-16 columns: an error after a 4-byte character (2 UTF-16 units, 1 code point).
    emoji = good.replace("population L = LIF[5]", 'population L = LIF[5] // 😀\n    print "😀 {nope}"')
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": emoji}]})
    diags = c.diagnostics(uri)["diagnostics"]
    undefined = [d for d in diags if "nope" in d["message"]]
    expect("an undefined name after an emoji is reported", len(undefined) == 1, diags)
    if undefined:
        expect("its range is in UTF-16 units",
               undefined[0]["range"] == {"start": position_of(emoji, "nope"),
                                         "end": position_of(emoji, "nope", delta=4)},
               (undefined[0]["range"], position_of(emoji, "nope")))

    # didChange fixing every error: an empty list clears the editor's squiggles.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": good}]})
    published = c.diagnostics(uri)
    expect("didChange with a fixed model: no diagnostics", published["diagnostics"] == [], published)

    # Hover on a use of a parameter: its kind, value and unit.
    h = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": position_of(good, "tau", occurrence=1, delta=1)})
    value = (h.get("result") or {}).get("contents", {}).get("value", "")
    expect("hover on `tau`: a parameter of 20 ms, unit second",
           "parameter" in value and "20 ms" in value and "second" in value, h)
    expect("hover range covers the name",
           (h.get("result") or {}).get("range", {}).get("start") == position_of(good, "tau", occurrence=1), h)
    h = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": position_of(good, "V : volt", delta=0)})
    value = (h.get("result") or {}).get("contents", {}).get("value", "")
    expect("hover on a state's declaration: state variable, volt", "state variable" in value and "volt" in value, h)
    h = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": position_of(good, "ms", delta=1)})
    value = (h.get("result") or {}).get("contents", {}).get("value", "")
    expect("hover on a unit", "unit" in value and "0.001" in value and "second" in value, h)
    h = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}})
    expect("hover on an empty line: null", "result" in h and h["result"] is None, h)

    # Definition: a parameter's use goes to its declaration line; a model name to its file.
    d = c.request("textDocument/definition", {"textDocument": {"uri": uri},
                                              "position": position_of(good, "V_rest", occurrence=2)})
    loc = d.get("result") or {}
    expect("definition of V_rest: the parameter's declaration",
           loc.get("uri") == uri and loc.get("range", {}).get("start") == position_of(good, "V_rest"), d)
    d = c.request("textDocument/definition", {"textDocument": {"uri": uri},
                                              "position": position_of(good, "LIF[5]", delta=1)})
    loc = d.get("result") or {}
    expect("definition of LIF: in stdlib/neurons.snn",
           loc.get("uri", "").startswith("file://") and loc.get("uri", "").endswith("/neurons.snn"), d)
    if loc.get("uri", "").endswith("/neurons.snn"):
        with open(loc["uri"][len("file://"):]) as f:
            lines = f.read().split("\n")
        start = loc["range"]["start"]
        expect("the range is the name LIF in its declaration",
               lines[start["line"]][start["character"]:].startswith("LIF") and "neuron" in lines[start["line"]], loc)
    d = c.request("textDocument/definition", {"textDocument": {"uri": uri},
                                              "position": position_of(good, "Cell[10]")})
    loc = d.get("result") or {}
    expect("definition of Cell: the model's name", loc.get("range", {}).get("start") == position_of(good, "Cell"), d)

    # Completion: units, states, keywords, built-ins.
    comp = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                 "position": position_of(good, "(V_rest - V)")})
    labels = {i["label"] for i in (comp.get("result") or {}).get("items", [])}
    for label in ("mV", "V", "tau", "exp", "threshold", "t"):
        expect(f"completion inside the model offers `{label}`", label in labels, sorted(labels)[:50])
    comp = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                 "position": position_of(good, "run 10 ms")})
    labels = {i["label"] for i in (comp.get("result") or {}).get("items", [])}
    expect("completion in the experiment offers populations and models",
           {"P", "L", "Cell", "LIF"} <= labels, sorted(labels)[:50])
    expect("... and not the model's state", "V_rest" not in labels)

    # Robustness: none of these may kill the server.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    err = c.wait(lambda m: "error" in m and m.get("id") is None)
    expect("bad JSON: ParseError", err["error"]["code"] == -32700, err)
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri}})
    expect("an unknown request: MethodNotFound", r.get("error", {}).get("code") == -32601, r)
    c.notify("workspace/somethingNew", {"x": 1})
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": "nowhere"})
    expect("bad params: InvalidParams", r.get("error", {}).get("code") == -32602, r)
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file:///not/open.snn"},
                                         "position": {"line": 0, "character": 0}})
    expect("hover in a document that is not open: null", "result" in r and r["result"] is None, r)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                        "contentChanges": [{"text": "neuron {{{ \xff"}]})
    diags = c.diagnostics(uri)["diagnostics"]
    expect("a broken edit: syntax errors, server alive", len(diags) >= 1 and c.proc.poll() is None, diags)
    comp = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                 "position": {"line": 0, "character": 3}})
    labels = {i["label"] for i in (comp.get("result") or {}).get("items", [])}
    expect("completion in a broken edit still offers the last names", "Cell" in labels, sorted(labels)[:50])

    c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    expect("didClose clears the diagnostics", c.diagnostics(uri)["diagnostics"] == [])

    r = c.request("shutdown", None)
    expect("shutdown: a null result", "result" in r and r["result"] is None, r)
    c.notify("exit", None)
    code, stderr = c.finish()
    expect("exit after shutdown: exit code 0", code == 0, f"exit {code}, stderr {stderr}")
    expect("stdout carried only protocol frames", c.stdout_ok)

    # exit without shutdown: exit code 1, as the protocol says.
    c = Client()
    c.request("initialize", {"capabilities": {}})
    c.notify("exit", None)
    code, _ = c.finish()
    expect("exit without shutdown: exit code 1", code == 1, code)

    # Requests before initialize are refused, and the end of input ends the server.
    c = Client()
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    expect("a request before initialize: ServerNotInitialized", r.get("error", {}).get("code") == -32002, r)
    c.send_raw(b"Content-Length: nonsense\r\n\r\n")
    r = c.request("initialize", {"capabilities": {}})
    expect("a bad header is skipped", "result" in r, r)
    code, _ = c.finish()
    expect("end of input without shutdown: exit code 1", code == 1, code)

for failure in failures:
    print("FAIL:", failure)
print(f"{checks - len(failures)}/{checks} checks passed")
sys.exit(1 if failures else 0)
