#!/usr/bin/env python3
"""The run report (index.html) opens in a browser with every plot loaded.

Runs an example with `snnc run`, then loads its index.html in headless Chromium twice: once to
dump the DOM after the page's load event (the page marks <body data-images="loaded=N
broken=M">), once to take a screenshot. Checks: the page names the experiment and shows its
printed lines, every plot statement of the experiment has an image, every image loaded, no
image is broken, and every data file it links to exists.

Usage: report_test.py SNNC EXAMPLE.snn     (exit 77 = skipped: no chromium)
"""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    snnc, example = sys.argv[1], sys.argv[2]
    browser = chromium()
    if browser is None:
        print("no chromium: skipped (Debian package chromium)")
        return 77
    with open(example, encoding="utf-8") as f:
        source = f.read()
    plots = len(re.findall(r"^\s*plot\s", source, re.M))
    failures = []
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([snnc, "run", "--quiet", "--out", out, example],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            print(f"snnc run failed ({proc.returncode}):\n{proc.stderr}")
            return 1
        page = os.path.join(out, "index.html")
        with open(page, encoding="utf-8") as f:
            text = f.read()
        name = re.search(r"^experiment\s+(\w+)", source, re.M).group(1)
        if f"<h1>{name}</h1>" not in text:
            failures.append(f"the page does not name experiment {name}")
        for line in proc.stdout.splitlines():
            if html.escape(line, quote=False) not in text:
                failures.append(f"printed line missing from the page: {line}")
        for link in re.findall(r'<a href="([^"]+)"', text):
            if not os.path.exists(os.path.join(out, html.unescape(link))):
                failures.append(f"the page links to {link}, which does not exist")
        images = re.findall(r'<img src="([^"]+)"', text)
        if len(images) != plots:
            failures.append(f"{len(images)} image(s) on the page, the experiment has {plots} plot(s)")

        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"]
        url = "file://" + os.path.abspath(page)
        dom = subprocess.run([browser, *flags, "--virtual-time-budget=5000", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120)
        marker = re.search(r'data-images="loaded=(\d+) broken=(\d+)"', dom.stdout)
        if not marker:
            failures.append("the page's load check did not run (no data-images on <body>)")
        else:
            loaded, broken = int(marker.group(1)), int(marker.group(2))
            if broken != 0 or loaded != len(images):
                failures.append(f"{loaded} image(s) loaded and {broken} broken, of {len(images)}")
        shot = os.path.join(out, "page.png")
        subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1200,2400", url],
                       capture_output=True, text=True, timeout=120)
        if not os.path.exists(shot) or os.path.getsize(shot) < 10000:
            failures.append("no screenshot of the page (or an empty one)")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"ok: {name}: page with {len(images)} plot(s), all loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
