"""Cases for the conf oracle: wsl-distribution.conf files, as (stable id, bytes).

Hand cases for each rule WSL's parser has (quoting, escapes, continuations,
comments, sections, what stops the parse, booleans, integers, duplicates,
line ends), seeded random files built from the same pieces, and the
distribution_conf fuzz corpus. Ids stay the same from run to run, so the
harness's known differences can name them.
"""
from __future__ import annotations

import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent

KEYS = [
    "oobe.command", "oobe.defaultUid", "oobe.defaultName", "shortcut.enabled",
    "shortcut.icon", "windowsterminal.enabled", "windowsterminal.profileTemplate",
]

HAND = {
    "empty": b"",
    "all-keys": b"[oobe]\ncommand = /usr/lib/wsl/oobe.sh\ndefaultUid = 1000\ndefaultName = NixOS\n"
    b"[shortcut]\nenabled = true\nicon = /usr/share/wsl/nixos.ico\n"
    b"[windowsterminal]\nenabled = true\nprofileTemplate = /usr/lib/wsl/terminal-profile.json\n",
    "no-final-newline": b"[oobe]\ndefaultName = NixOS",
    "crlf": b"[oobe]\r\ndefaultName = NixOS\r\ndefaultUid = 1000\r\n[shortcut]\r\nenabled = false\r\n",
    "crlf-stop": b"[oobe]\r\ndefaultName = NixOS\r\n;x\r\n[shortcut]\r\nenabled = false\r\n",
    "cr-only": b"[oobe]\rdefaultName = NixOS\r",
    "bom": b"\xef\xbb\xbf[oobe]\ndefaultName = NixOS\n",
    "nul-in-value": b"[oobe]\ndefaultName = Ni\x00xOS\ndefaultUid = 1000\n",
    "nul-line": b"\x00\n[oobe]\ndefaultName = NixOS\n",
    "tab-indent": b"\t[oobe]\n\tdefaultName\t=\tNixOS\t\n",
    "key-before-section": b"defaultName = NixOS\n[oobe]\ndefaultUid = 1000\n",
    "dotted-key-top": b"oobe.defaultName = NixOS\n",
    "dotted-key-in-section": b"[oobe]\nshortcut.enabled = false\n",
    "section-reopened": b"[oobe]\ndefaultName = A\n[shortcut]\nenabled = 0\n[oobe]\ndefaultUid = 1001\n",
    "section-case": b"[OOBE]\nDEFAULTNAME = Upper\n[Shortcut]\nEnabled = FALSE\n",
    "section-spaces": b"[ oobe ]\ndefaultName = NixOS\n",
    "section-space-inside": b"[oo be]\ndefaultName = NixOS\n",
    "section-digit-first": b"[1oobe]\ndefaultName = NixOS\n",
    "section-underscore": b"[oobe_x]\ndefaultName = NixOS\n",
    "section-unclosed": b"[oobe\ndefaultName = NixOS\n",
    "section-trailing-text": b"[oobe] x\ndefaultName = NixOS\n",
    "section-trailing-comment": b"[oobe] # c\ndefaultName = NixOS\n",
    "section-dotted": b"[oobe.x]\ndefaultName = NixOS\n",
    "section-empty": b"[]\ndefaultName = NixOS\n",
    "semicolon-comment": b"; c\n[oobe]\ndefaultName = NixOS\n",
    "semicolon-late": b"[oobe]\ndefaultName = NixOS\n; c\ndefaultUid = 1000\n",
    "hash-comment": b"# c\n[oobe] \n  # c\ndefaultName = NixOS # trailing\n",
    "hash-in-quotes": b'[oobe]\ndefaultName = "Nix#OS" # c\n',
    "hash-no-space": b"[oobe]\ndefaultName = NixOS#c\n",
    "missing-equals": b"[oobe]\ndefaultName NixOS\ndefaultUid = 1000\n",
    "key-only": b"[oobe]\ndefaultName\ndefaultUid = 1000\n",
    "empty-value": b"[oobe]\ndefaultName =\ndefaultUid = 1000\n",
    "empty-quoted": b'[oobe]\ndefaultName = ""\n',
    "key-with-dash": b"[oobe]\ndefault-Name = NixOS\ndefaultUid = 1000\n",
    "key-with-underscore": b"[oobe]\ndefault_Name = NixOS\ndefaultUid = 1000\n",
    "key-digit-first": b"[oobe]\n1defaultName = NixOS\ndefaultUid = 1000\n",
    "key-space-inside": b"[oobe]\ndefault Name = NixOS\ndefaultUid = 1000\n",
    "unknown-key": b"[oobe]\nfoo = bar\ndefaultName = NixOS\n",
    "unknown-section": b"[boot]\nsystemd = true\n[oobe]\ndefaultName = NixOS\n",
    "duplicate-key": b"[oobe]\ndefaultName = First\ndefaultName = Second\n",
    "duplicate-key-case": b"[oobe]\ndefaultName = First\nDefaultname = Second\n",
    "duplicate-invalid-first": b"[shortcut]\nenabled = maybe\nenabled = false\n",
    "quotes-middle": b'[oobe]\ndefaultName = Ni"x O"S\n',
    "quotes-spaces": b'[oobe]\ndefaultName = "  NixOS  "\n',
    "quote-unterminated": b'[oobe]\ndefaultName = "NixOS\ndefaultUid = 1000\n',
    "quote-trailing-text": b'[oobe]\ndefaultName = "Nix" OS\n',
    "escapes": b'[oobe]\ndefaultName = a\\\\b\\"c\\bd\\ne\\tf\n',
    "escape-invalid": b"[oobe]\ndefaultName = a\\xb\ndefaultUid = 1000\n",
    "escape-at-end": b"[oobe]\ndefaultName = ab\\",
    "escape-in-quotes": b'[oobe]\ndefaultName = "a\\tb"\n',
    "escape-hash": b"[oobe]\ndefaultName = a\\#b\n",
    "continuation": b"[oobe]\ncommand = /bin/echo \\\n    hello\ndefaultUid = 1000\n",
    "continuation-crlf": b"[oobe]\r\ncommand = /bin/echo \\\r\n    hello\r\ndefaultUid = 1000\r\n",
    "continuation-last": b"[oobe]\ncommand = x \\\n",
    "value-trailing-space": b"[oobe]\ndefaultName = NixOS   \n",
    "value-inner-spaces": b"[oobe]\ndefaultName = Nix   OS\n",
    "utf8-value": "[oobe]\ndefaultName = Ubuntu-日本\n".encode(),
    "latin1-value": b"[oobe]\ndefaultName = caf\xe9\n",
    "utf8-key": "[oobe]\ndéfaultName = x\ndefaultUid = 1000\n".encode(),
    "long-value": b"[oobe]\ndefaultName = " + b"n" * 5000 + b"\ndefaultUid = 1000\n",
    "long-line-comment": b"# " + b"c" * 10000 + b"\n[oobe]\ndefaultName = NixOS\n",
    "only-comments": b"# a\n# b\n\n",
    "blank-lines": b"\n\n\n[oobe]\n\n\ndefaultName = NixOS\n\n",
    "template-path-dotdot": b"[windowsterminal]\nprofileTemplate = /usr/lib/wsl/../../etc/shadow\n",
    "icon-quoted-path": b'[shortcut]\nicon = "/usr/share/wsl/my icon.ico"\n',
}

for value in ["true", "false", "1", "0", "TRUE", "False", "yes", "no", "on", "off", "", "2", " true", "true x", '"true"', "t", "-1"]:
    HAND[f"bool/{value.strip() or 'empty'}{'-spaced' if value != value.strip() else ''}".replace('"', "quoted-")] = (
        f"[shortcut]\nenabled = {value}\n[windowsterminal]\nenabled = {value}\n".encode()
    )

for value in ["1000", "0", "-1", "0x3e8", "0X3E8", "01750", "08", "2147483647", "2147483648", "-2147483648",
              "-2147483649", "99999999999999999999", "1000 ", '"1000"', "1e3", "1000x", "+1000", " ", "0x", "1_000"]:
    HAND[f"uid/{value.strip() or 'blank'}".replace('"', "quoted-")] = f"[oobe]\ndefaultUid = {value}\n".encode()

# Lines the random files are built from: every kind of line above, good and bad.
PIECES = [
    "[oobe]", "[shortcut]", "[windowsterminal]", "[boot]", "[ oobe ]", "[oobe", "[OOBE]", "[1x]",
    "defaultName = NixOS", "defaultName=Debian", 'defaultName = "Nix OS"', "defaultName = a\\tb",
    "defaultUid = 1000", "defaultUid = 0x10", "defaultUid = x", "defaultUid = 99999999999",
    "command = /usr/lib/wsl/oobe.sh", "command = a \\", "    continued", 'command = "a # b"',
    "enabled = true", "enabled = false", "enabled = 0", "enabled = maybe", "Enabled = FALSE",
    "icon = /usr/share/wsl/i.ico", "profileTemplate = /usr/lib/wsl/t.json", "profileTemplate = ../x",
    "# comment", "; comment", "", "   ", "unknown = 1", "noequals", "bad\\q = 1", "key = \"open",
    "key = v # c", "x.y = z", "\t defaultName = Tabbed", "defaultName = \\\"q\\\"",
]


def random_cases(count: int) -> list[tuple[str, bytes]]:
    """Seeded random files: lines from PIECES, with random line ends."""
    rng = random.Random(15)
    out = []
    for i in range(count):
        lines = [rng.choice(PIECES) for _ in range(rng.randint(1, 12))]
        end = rng.choice(["\n", "\n", "\n", "\r\n"])
        text = end.join(lines) + (end if rng.random() < 0.8 else "")
        out.append((f"random/{i:04}", text.encode()))
    return out


def corpus_cases() -> list[tuple[str, bytes]]:
    """The distribution_conf fuzz corpus (when present), by file name."""
    corpus = ROOT / "fuzz/corpus/distribution_conf"
    if not corpus.is_dir():
        return []
    return [(f"fuzz/{p.name}", p.read_bytes()) for p in sorted(corpus.iterdir()) if p.is_file()]


def cases() -> list[tuple[str, bytes]]:
    """Every case, hand cases first."""
    return [(f"hand/{k}", v) for k, v in HAND.items()] + random_cases(300) + corpus_cases()
