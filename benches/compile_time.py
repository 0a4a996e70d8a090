#!/usr/bin/env python3
"""Compile-time cost of wslconst's extraction and const checks.

Measures, for the `wslconst` library in the dev profile (what `cargo build` does):

  clean        wslconst-macros + wslconst from scratch (third-party deps warm)
  rebuild      rebuild after touching the pin file (macro re-expands, checks re-run);
               with CARGO_INCREMENTAL=0, since incremental compilation would reuse
               cached const evaluation and hide the cost
  no-checks    the same rebuild in a scratch copy whose `const _` check items are
               removed: the difference is what the const checks cost
  real-src     rebuild against real source trees (WSLCONST_*_SRC), if given

Each figure is the median of --runs runs. Usage:

  python3 benches/compile_time.py [--runs 5] [--wsl-src DIR --terminal-src DIR]

It writes nothing in the repository except target/bench-compile-time*.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cargo(args, cwd, target, env_extra=None):
    env = dict(os.environ)
    for key in ("WSLCONST_WSL_SRC", "WSLCONST_TERMINAL_SRC", "WSLCONST_WSL_REV", "WSLCONST_TERMINAL_REV"):
        env.pop(key, None)
    env.update(env_extra or {})
    env["CARGO_TARGET_DIR"] = target
    # Incremental compilation reuses cached const evaluation when the expansion
    # is unchanged, which would hide the cost being measured.
    env["CARGO_INCREMENTAL"] = "0"
    start = time.perf_counter()
    subprocess.run(["cargo", *args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def median_of(runs, prepare, build):
    times = []
    for _ in range(runs):
        prepare()
        times.append(build())
    return statistics.median(times), times


def touch(path):
    os.utime(path, None)


def strip_checks(crate_src):
    """Removes the `const _: () = ...;` items that run the checks."""
    path = os.path.join(crate_src, "checks.rs")
    text = open(path).read()
    stripped, count = re.subn(r"^const _: \(\) =.*?\);$", "", text, flags=re.S | re.M)
    if count == 0:
        sys.exit("found no `const _: () = ...;` items in checks.rs")
    open(path, "w").write(stripped)
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wsl-src")
    ap.add_argument("--terminal-src")
    args = ap.parse_args()
    build = ["build", "-q", "-p", "wslconst", "--lib"]
    target = os.path.join(ROOT, "target", "bench-compile-time")
    pin = os.path.join(ROOT, "wslconst", "upstream-pin.json")

    cargo(build, ROOT, target)  # third-party dependencies, once
    results = {}
    results["clean"] = median_of(
        args.runs,
        lambda: cargo(["clean", "-q", "-p", "wslconst", "-p", "wslconst-macros"], ROOT, target),
        lambda: cargo(build, ROOT, target),
    )
    results["rebuild"] = median_of(args.runs, lambda: touch(pin), lambda: cargo(build, ROOT, target))

    scratch = os.path.join(ROOT, "target", "bench-compile-time-copy")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(
        ROOT, scratch, ignore=shutil.ignore_patterns("target", ".git"), symlinks=True
    )
    removed = strip_checks(os.path.join(scratch, "wslconst", "src"))
    scratch_target = os.path.join(ROOT, "target", "bench-compile-time-nochecks")
    scratch_pin = os.path.join(scratch, "wslconst", "upstream-pin.json")
    cargo(build, scratch, scratch_target)
    results["no-checks"] = median_of(
        args.runs, lambda: touch(scratch_pin), lambda: cargo(build, scratch, scratch_target)
    )
    shutil.rmtree(scratch, ignore_errors=True)

    if args.wsl_src and args.terminal_src:
        env = {
            "WSLCONST_WSL_SRC": os.path.abspath(args.wsl_src),
            "WSLCONST_WSL_REV": "bench",
            "WSLCONST_TERMINAL_SRC": os.path.abspath(args.terminal_src),
            "WSLCONST_TERMINAL_REV": "bench",
        }
        real_target = os.path.join(ROOT, "target", "bench-compile-time-real")
        cargo(build, ROOT, real_target, env)
        results["real-src"] = median_of(
            args.runs, lambda: touch(pin), lambda: cargo(build, ROOT, real_target, env)
        )

    print(f"wslconst lib, dev profile, median of {args.runs} (seconds)")
    for name, (median, times) in results.items():
        spread = ", ".join(f"{t:.2f}" for t in times)
        print(f"  {name:12} {median:6.2f}   [{spread}]")
    cost = results["rebuild"][0] - results["no-checks"][0]
    print(f"  const checks ({removed} items): {cost:+.2f} s per rebuild")
    return 0


if __name__ == "__main__":
    sys.exit(main())
