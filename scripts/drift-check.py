#!/usr/bin/env python3
"""Proves that upstream drift fails the build, one constant at a time.

For every entry of wslconst/upstream-pin.json: copy the WSL and Terminal trees,
change that one declaration, build wslconst against the copies, and require the
build to fail with a message naming the constant. Then build against the
unchanged trees and require success.

    scripts/drift-check.py --wsl-src DIR --terminal-src DIR

Run it on real checkouts (the flake's check does); it takes a minute or two.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mutate(line, kind):
    """Changes the value on a declaration line, keeping its shape."""
    if kind == "guid":
        m = re.search(r"0x([0-9a-fA-F]+)", line)
        if not m:
            raise SystemExit(f"no hex number to change on: {line!r}")
        digits = m.group(1)
        flipped = digits[:-1] + ("0" if digits[-1] != "0" else "1")
        return line[: m.start(1)] + flipped + line[m.end(1) :]
    m = re.search(r'"([^"\\])', line)
    if not m:
        raise SystemExit(f"no string literal to change on: {line!r}")
    replacement = "Z" if m.group(1) != "Z" else "Y"
    return line[: m.start(1)] + replacement + line[m.end(1) :]


def build(env_trees, target_dir):
    env = dict(os.environ)
    env.update(env_trees)
    env["CARGO_TARGET_DIR"] = target_dir
    return subprocess.run(
        ["cargo", "build", "-q", "-p", "wslconst", "--lib"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wsl-src", required=True)
    ap.add_argument("--terminal-src", required=True)
    ap.add_argument("--target-dir", default=os.path.join(ROOT, "target", "drift-check"))
    args = ap.parse_args()
    pin = json.load(open(os.path.join(ROOT, "wslconst", "upstream-pin.json")))
    trees = {"microsoft/WSL": args.wsl_src, "microsoft/terminal": args.terminal_src}
    env_of = {"microsoft/WSL": "WSLCONST_WSL_SRC", "microsoft/terminal": "WSLCONST_TERMINAL_SRC"}
    base_env = {
        "WSLCONST_WSL_SRC": os.path.abspath(args.wsl_src),
        "WSLCONST_TERMINAL_SRC": os.path.abspath(args.terminal_src),
        "WSLCONST_WSL_REV": "drift-check",
        "WSLCONST_TERMINAL_REV": "drift-check",
    }
    failures = 0
    ok = build(base_env, args.target_dir)
    print(f"unchanged trees: {'builds' if ok.returncode == 0 else 'FAILS'}")
    if ok.returncode != 0:
        print(ok.stderr)
        return 1
    for entry in pin["constants"]:
        name, repo = entry["name"], entry["repo"]
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "tree")
            shutil.copytree(trees[repo], copy, symlinks=True)
            path = os.path.join(copy, entry["path"])
            lines = open(path, encoding="utf-8", errors="surrogateescape").read().split("\n")
            before = lines[entry["line"] - 1]
            lines[entry["line"] - 1] = mutate(before, entry["kind"])
            open(path, "w", encoding="utf-8", errors="surrogateescape").write("\n".join(lines))
            env = dict(base_env)
            env[env_of[repo]] = copy
            result = build(env, args.target_dir)
            named = f"`{name}`" in result.stderr
            verdict = "fails, naming it" if result.returncode != 0 and named else "NOT CAUGHT"
            print(f"{name}: {verdict}")
            if verdict == "NOT CAUGHT":
                failures += 1
                print(result.stderr[-2000:])
            elif os.environ.get("DRIFT_CHECK_VERBOSE"):
                print(result.stderr)
    print(f"{len(pin['constants']) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
