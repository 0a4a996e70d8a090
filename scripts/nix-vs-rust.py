#!/usr/bin/env python3
"""The pure Nix functions (nix/lib.nix) against the Rust rendering of the same
options: every case of tests/nix/cases.json through `wslconst distribution-conf
render --from-json` / `wslconst template render --from-json` and through
nix-instantiate. A wsl-distribution.conf must be byte-identical; a profile
template the same JSON value (Nix writes compact JSON, Rust nlohmann's dump(2)).
A case both refuse must be refused by both; a case marked "rust-only" is one the
Nix side leaves to `wslconst template check` at build time, and must be
accepted by Nix and refused by Rust.

Usage: scripts/nix-vs-rust.py WSLCONST_BINARY
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def nested(flat):
    out = {}
    for name, value in flat.items():
        section, key = name.split('.', 1)
        out.setdefault(section, {})[key] = value
    return out


def run_nix(function, options):
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(options, f, ensure_ascii=False)
        path = f.name
    try:
        expr = ('(import %s/nix/lib.nix { }).%s (builtins.fromJSON (builtins.readFile %s))'
                % (ROOT, function, json.dumps(path)))
        p = subprocess.run(['nix-instantiate', '--eval', '--strict', '--json', '--readonly-mode',
                            '-E', expr],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        errors = [line for line in p.stderr.splitlines() if 'error:' in line]
        return None, errors[-1].strip() if errors else p.stderr.strip()
    return json.loads(p.stdout), None


def run_rust(binary, command, options):
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(options, f, ensure_ascii=False)
        path = f.name
    try:
        p = subprocess.run([binary] + command + ['--from-json', path], capture_output=True)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        return None, p.stderr.decode('utf-8', 'replace').strip()
    return p.stdout.decode('utf-8'), None


def main():
    binary = sys.argv[1]
    cases = json.load(open(os.path.join(ROOT, 'tests/nix/cases.json'), encoding='utf-8'))
    failures = []
    count = 0
    for case in cases['distributionConf']:
        count += 1
        rust, rust_err = run_rust(binary, ['distribution-conf', 'render'], case['options'])
        nix, nix_err = run_nix('renderDistributionConf', nested(case['options']))
        if case.get('refused'):
            if rust is not None or nix is not None:
                failures.append('conf %s: must be refused; rust %r, nix %r' % (case['label'], rust_err or 'accepted', nix_err or 'accepted'))
        elif rust != nix:
            failures.append('conf %s:\n  rust %r (%s)\n  nix  %r (%s)' % (case['label'], rust, rust_err, nix, nix_err))
    for case in cases['profileTemplate']:
        count += 1
        rust, rust_err = run_rust(binary, ['template', 'render'], case['options'])
        nix, nix_err = run_nix('renderProfileTemplate', case['options'])
        refused = case.get('refused')
        if refused == 'rust-only':
            if rust is not None or nix is None:
                failures.append('template %s: rust must refuse (%r), nix accept (%r)' % (case['label'], rust_err or 'accepted', nix_err or 'accepted'))
        elif refused:
            if rust is not None or nix is not None:
                failures.append('template %s: must be refused; rust %r, nix %r' % (case['label'], rust_err or 'accepted', nix_err or 'accepted'))
        elif rust is None or nix is None or json.loads(rust) != json.loads(nix):
            failures.append('template %s:\n  rust %r (%s)\n  nix  %r (%s)' % (case['label'], rust, rust_err, nix, nix_err))
    for f in failures:
        print('DIFFERENT ' + f)
    print('nix-vs-rust: %d cases, %d different' % (count, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
