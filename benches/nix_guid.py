#!/usr/bin/env python3
"""What GUIDs cost at Nix evaluation time (nix/guid.nix): 1,000 Tier 1 GUIDs
of distro-like names (8 to 24 characters, some non-ASCII), evaluated by
`nix-instantiate --eval --strict`, against the evaluation of nix/lib.nix alone
(the baseline every module pays anyway). A benchmark, not a test: it prints.

  python3 benches/nix_guid.py [--count N] [--runs 3]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(expr, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(['nix-instantiate', '--eval', '--strict', '--readonly-mode', '-E', expr],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--runs', type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(1)
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._'
    names = [''.join(rng.choice(alphabet) for _ in range(rng.randint(8, 24))) + rng.choice(['', 'é', '日本', '😀'])
             for _ in range(args.count)]
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(names, f)
    lib = 'import %s/nix/lib.nix { }' % ROOT
    base = timed('let l = %s; in builtins.length (builtins.fromJSON (builtins.readFile %s))' % (lib, f.name), args.runs)
    full = timed('let l = %s; in map l.tier1 (builtins.fromJSON (builtins.readFile %s))' % (lib, f.name), args.runs)
    one = timed('(%s).tier1 "NixOS"' % lib, args.runs)
    os.unlink(f.name)
    print('nix-instantiate, median of %d:' % args.runs)
    print('  nix/lib.nix loaded, no GUID:   %.3f s' % base)
    print('  one Tier 1 GUID:               %.3f s' % one)
    print('  %d Tier 1 GUIDs:            %.3f s (%.2f ms per GUID)'
          % (args.count, full, (full - base) * 1000 / args.count))


if __name__ == '__main__':
    main()
