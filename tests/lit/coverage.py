#!/usr/bin/env python3
"""Fails when a diagnostic kind of compiler/diagnostics/diagnostic_kinds.def has no lit test.

Every kind must appear as `[Kind]` in at least one `// CHECK:` line under tests/lit/.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
kinds = re.findall(r"^DIAGNOSTIC\((\w+),", (root / "compiler/diagnostics/diagnostic_kinds.def").read_text(), re.M)
checked = set()
for path in (root / "tests/lit").rglob("*.snn"):
    text = path.read_bytes().decode("utf-8", errors="replace")
    checked.update(re.findall(r"//\s*CHECK:.*\[(\w+)\]\s*$", text, re.M))
missing = [k for k in kinds if k not in checked]
for k in missing:
    print(f"diagnostic kind {k} has no test under tests/lit/")
print(f"{len(kinds) - len(missing)} of {len(kinds)} diagnostic kinds have a lit test")
sys.exit(1 if missing else 0)
