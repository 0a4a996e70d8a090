#!/usr/bin/env python3
"""GUID throughput and latency of `wslconst guid`.

Batch: the same names (default 1,000,000; ASCII, accented, CJK and emoji shapes)
through
  - `wslconst guid tier1 --stdin`                (release build)
  - a stdin-to-stdout loop on `uuid::Uuid::new_v5` (benches/guid_batch.rs --stdin-uuid)
  - a Python `hashlib` loop                       (the usual script)
The three outputs must be identical; each time is the best of --runs.

Latency: `wslconst guid tier1 Ubuntu` against `python3 -c` computing the same,
with hyperfine (Debian package `hyperfine`) when present, else a timing loop.

    python3 benches/guid.py [--names 1000000] [--runs 3]

The namespace is read from `wslconst constants`, not written here.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "bench-guid")

PYTHON_LOOP = r"""
import hashlib, sys, uuid
ns = uuid.UUID(sys.argv[1]).bytes
write = sys.stdout.write
for line in sys.stdin.buffer:
    name = line.rstrip(b"\n").decode("utf-8")
    d = bytearray(hashlib.sha1(ns + name.encode("utf-16-le")).digest()[:16])
    d[6] = (d[6] & 0x0F) | 0x50
    d[8] = (d[8] & 0x3F) | 0x80
    write("{" + str(uuid.UUID(bytes=bytes(d))) + "}\n")
"""

PYTHON_ONE = (
    "import hashlib,uuid;"
    "d=bytearray(hashlib.sha1(uuid.UUID('{ns}').bytes+'Ubuntu'.encode('utf-16-le')).digest()[:16]);"
    "d[6]=d[6]&15|80;d[8]=d[8]&63|128;print('{{'+str(uuid.UUID(bytes=bytes(d)))+'}}')"
)


def names(count):
    shapes = ["Ubuntu-{}", "NixOS-{}", "Débian-{}", "開発-{}", "dev 😀 {}", "archlinux-{}-wsl"]
    return "".join(shapes[i % len(shapes)].replace("{}", str(i)) + "\n" for i in range(count))


def build():
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "wslconst-cli"], cwd=ROOT, check=True)
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", "wslconst", "--features", "fast-sha1,uuid", "--bench", "guid_batch", "--no-run", "--message-format=json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    bench = None
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "guid_batch" and msg.get("executable"):
            bench = msg["executable"]
    if bench is None:
        sys.exit("could not find the guid_batch bench executable")
    return os.path.join(ROOT, "target", "release", "wslconst"), bench


def best_time(cmd, stdin_path, out_path, runs):
    best = float("inf")
    for _ in range(runs):
        with open(stdin_path, "rb") as src, open(out_path, "wb") as dst:
            start = time.perf_counter()
            subprocess.run(cmd, stdin=src, stdout=dst, check=True)
            best = min(best, time.perf_counter() - start)
    return best


def latency(cmds, runs):
    if shutil.which("hyperfine"):
        export = os.path.join(WORK, "latency.json")
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "5", "--runs", str(runs), "--export-json", export, *cmds],
            check=True,
            capture_output=True,
        )
        return [r["mean"] for r in json.load(open(export))["results"]], "hyperfine mean"
    means = []
    for cmd in cmds:
        start = time.perf_counter()
        for _ in range(runs):
            subprocess.run(cmd, shell=True, check=True, capture_output=True)
        means.append((time.perf_counter() - start) / runs)
    return means, "mean of a timing loop"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--names", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    wslconst, bench = build()
    consts = json.loads(subprocess.run([wslconst, "constants"], check=True, capture_output=True).stdout)
    ns = consts["constants"]["TERMINAL_PROFILE_NAMESPACE_GUID"]["value"]
    names_path = os.path.join(WORK, "names.txt")
    with open(names_path, "w", encoding="utf-8") as f:
        f.write(names(args.names))

    contenders = [
        ("wslconst guid tier1 --stdin", [wslconst, "guid", "tier1", "--stdin"]),
        ("uuid::new_v5 stdin loop (Rust)", [bench, "--stdin-uuid"]),
        ("python3 hashlib loop", [sys.executable, "-c", PYTHON_LOOP, ns]),
    ]
    results = []
    outputs = []
    for label, cmd in contenders:
        out_path = os.path.join(WORK, "out-%d.txt" % len(outputs))
        secs = best_time(cmd, names_path, out_path, args.runs)
        results.append((label, secs))
        outputs.append(open(out_path, "rb").read())
    if len(set(outputs)) != 1:
        sys.exit("the outputs differ: the contenders do not compute the same GUIDs")

    print("batch: %d names, identical output from all three, best of %d" % (args.names, args.runs))
    ours = results[0][1]
    for label, secs in results:
        print("  %-34s %7.3f s  %12.0f GUIDs/s  (wslconst is %.2fx)" % (label, secs, args.names / secs, secs / ours))

    one = [
        "%s guid tier1 Ubuntu" % wslconst,
        "%s -c \"%s\"" % (sys.executable, PYTHON_ONE.format(ns=ns)),
    ]
    means, how = latency(one, 50)
    print("latency of one call (%s):" % how)
    print("  wslconst guid tier1 Ubuntu          %7.2f ms" % (means[0] * 1e3))
    print("  python3 -c (same GUID)              %7.2f ms  (%.1fx wslconst)" % (means[1] * 1e3, means[1] / means[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
