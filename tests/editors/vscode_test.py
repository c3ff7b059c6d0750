#!/usr/bin/env python3
"""CTest editors/vscode: checks the TextMate grammar with VS Code's own tokeniser.

Installs vscode-textmate and vscode-oniguruma (versions pinned by package-lock.json here) into
the build directory with `npm ci` the first time, asks the compiler for its list of unit
spellings (snn_unit_spellings), then runs vscode_tokens.cjs. Exits 77 (skipped) only when node
or npm is missing; a failed install is a failure, not a skip.

  vscode_test.py --root REPO --work BUILD_DIR --unit-spellings SNN_UNIT_SPELLINGS
"""

import argparse
import filecmp
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True, type=pathlib.Path)
    parser.add_argument("--work", required=True, type=pathlib.Path)
    parser.add_argument("--unit-spellings", required=True)
    args = parser.parse_args()

    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("skipped: node and npm are needed (Debian package `npm`)")
        return 77

    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    lock = HERE / "package-lock.json"
    installed = work / "node_modules" / "vscode-textmate"
    if not installed.is_dir() or not (work / lock.name).exists() or \
            not filecmp.cmp(lock, work / lock.name, shallow=False):
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(HERE / name, work / name)
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                                cwd=work, timeout=240)
        if result.returncode != 0:
            print("npm ci failed", file=sys.stderr)
            return 1

    spellings = work / "unit_spellings.txt"
    with open(spellings, "w", encoding="utf-8") as out:
        subprocess.run([args.unit_spellings], stdout=out, check=True)

    grammar = args.root / "editors/vscode/syntaxes/snn.tmLanguage.json"
    return subprocess.run([node, str(HERE / "vscode_tokens.cjs"), str(work / "node_modules"),
                           str(grammar), str(args.root), str(spellings)]).returncode


if __name__ == "__main__":
    sys.exit(main())
