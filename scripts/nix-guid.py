#!/usr/bin/env python3
"""nix/guid.nix (UUIDv5 over UTF-16LE in pure Nix) against `wslconst guid`:

- every GUID vector the rendered scripts carry (rendered/Compute-WslProfileGuid.ps1:
  the published vectors, and names with accents, CJK, an astral character,
  every PowerShell quote, the empty name, a fragment with a Unicode source);
- 1,000 random names (seeded): ASCII, Latin-1, BMP, astral, control
  characters, CR and LF (no NUL: a Nix string cannot hold one), as Tier 1,
  as fragment profiles, and 200 random distribution ids in random case, with
  and without braces, as Tier 2;
- a malformed distribution id and names that are not UTF-8 (read from a file:
  a Nix string literal cannot be malformed) throw, saying what is wrong.

Usage: scripts/nix-guid.py WSLCONST_BINARY
"""

import json
import os
import random
import re
import subprocess
import sys
import tempfile

from expectations import expect, finish

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def nix(expr, files=None):
    args = ['nix-instantiate', '--eval', '--strict', '--json', '--readonly-mode']
    for name, path in (files or {}).items():
        args += ['--arg', name, path]
    p = subprocess.run(args + ['-E', expr], capture_output=True)
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else p.stderr.decode(errors='replace'))


def rust(kind, names, source=None):
    args = [BINARY, 'guid', kind, '--stdin', '--null'] + (['--source', source] if source is not None else [])
    p = subprocess.run(args, input=b''.join(n.encode() + b'\0' for n in names), capture_output=True, check=True)
    return p.stdout.decode().split()


def script_vectors():
    """The GuidVectors table of the rendered GUID script (PowerShell
    single-quoted strings: a doubled quote is one quote)."""
    text = open(os.path.join(ROOT, 'rendered/Compute-WslProfileGuid.ps1'), encoding='utf-8-sig').read()
    quote = "['\u2018\u2019\u201a\u201b]"
    string = "'((?:[^'\u2018\u2019\u201a\u201b]|%s%s)*)'" % (quote, quote)
    row = re.compile(r"@\{ Kind = %s; Input = %s; Source = %s; Expected = %s \}" % (string, string, string, string))
    unquote = lambda s: re.sub('(%s)%s' % (quote, quote), r'\1', s)
    return [tuple(unquote(g) for g in m.groups()) for m in row.finditer(text)]


def random_name(rng):
    pools = [(0x20, 0x7e), (0xa0, 0xff), (0x100, 0x7ff), (0x800, 0xd7ff), (0xe000, 0xfffd),
             (0x10000, 0x10ffff), (0x01, 0x1f)]
    chars = []
    for _ in range(rng.randint(0, 24)):
        lo, hi = rng.choice(pools)
        chars.append(chr(rng.randint(lo, hi)))
    return ''.join(chars)


def main():
    global BINARY
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    BINARY = os.path.abspath(sys.argv[1])
    guid = 'import %s/nix/guid.nix { }' % ROOT

    vectors = script_vectors()
    expect('the scripts carry vectors', len(vectors) >= 10, len(vectors))
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, 'vectors.json')
        with open(path, 'w') as f:
            json.dump([{'kind': k, 'input': i, 'source': s} for k, i, s, _ in vectors], f)
        code, out = nix('''
          let g = %s; in map (v:
            if v.kind == "tier1" then g.tier1 v.input
            else if v.kind == "tier2" then g.tier2 v.input
            else g.fragmentProfile v.source v.input) (builtins.fromJSON (builtins.readFile %s))
        ''' % (guid, path))
        expect('vectors evaluate', code == 0, out)
        if code == 0:
            for (kind, name, source, expected), got in zip(vectors, out):
                expect('%s %r %r' % (kind, source, name), got == expected, '%s != %s' % (got, expected))

        rng = random.Random(20261130)
        names = [random_name(rng) for _ in range(1000)]
        ids = []
        for _ in range(200):
            g = '%08x-%04x-%04x-%04x-%012x' % tuple(rng.getrandbits(b) for b in (32, 16, 16, 16, 48))
            g = ''.join(c.upper() if rng.random() < 0.5 else c for c in g)
            ids.append('{%s}' % g if rng.random() < 0.5 else g)
        path = os.path.join(work, 'random.json')
        with open(path, 'w') as f:
            json.dump({'names': names, 'ids': ids, 'source': 'Ünï.Tools 😀'}, f)
        code, out = nix('''
          let g = %s; r = builtins.fromJSON (builtins.readFile %s); in {
            tier1 = map g.tier1 r.names;
            fragment = map (g.fragmentProfile r.source) r.names;
            tier2 = map g.tier2 r.ids;
          }
        ''' % (guid, path))
        expect('1,000 random names evaluate', code == 0, out)
        if code == 0:
            for kind, got, want in [('tier1', out['tier1'], rust('tier1', names)),
                                    ('fragment', out['fragment'], rust('fragment', names, 'Ünï.Tools 😀')),
                                    ('tier2', out['tier2'], rust('tier2', ids))]:
                wrong = [(n, g, w) for n, g, w in zip(names if kind != 'tier2' else ids, got, want) if g != w]
                expect('random %s agree with wslconst' % kind, not wrong and len(got) == len(want), wrong[:3])

        code, out = nix('(%s).tier2 "Ubuntu"' % guid)
        expect('a distro name as a distribution id throws', code != 0 and 'is not a GUID' in out, out)
        code, out = nix('(%s).tier2 "{fc3bf427-722c-4c2b-84bf-17202d2e374}"' % guid)
        expect('a short distribution id throws', code != 0 and 'is not a GUID' in out, out)
        for what, data in [('a lone continuation byte', b'Nix\x80OS'), ('a byte never in UTF-8', b'\xffNixOS'),
                           ('a cut character', b'NixOS\xc3'), ('an overlong slash', b'\xc0\xaf'),
                           ('an encoded surrogate', b'\xed\xa0\x80')]:
            path = os.path.join(work, 'bad')
            with open(path, 'wb') as f:
                f.write(data)
            code, out = nix('(%s).tier1 (builtins.readFile %s)' % (guid, path))
            expect('%s throws' % what, code != 0 and 'is not UTF-8' in out, out)
    finish()


if __name__ == '__main__':
    main()
