"""The fragment oracle's cases: deterministic, each with a stable id.

Hand-written cases cover what a real distro meets (names, ids, templates,
/etc/os-release, icon and system paths); `random/NNNN` cases combine those
pieces with a generator seeded by the case's number alone, so adding cases
never changes an existing one; `corpus/...` cases are the repository's
template and settings corpora, as templates.

A case's `name_refused` says that WSL refuses the name at registration
(`s_ValidateDistroName`: 1 to 256 of [a-zA-Z0-9._-], not "Legacy"), so
`_CreateTerminalProfile` never runs for it. It is set by hand per case, as the
expectation the case checks wslconst against; the oracle does not compile
that rule (it uses std::wregex, whose facets would come from the prebuilt
libc++ with a 32-bit wchar_t).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import pathlib
import uuid

DEFAULT_NAME = "NixOS"
DEFAULT_ID = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}"
DEFAULT_ICON = "C:\\Program Files\\WSL\\wsl.exe"
DEFAULT_SYSTEM_DIR = "C:\\Windows\\system32"
RANDOM_CASES = 300


@dataclasses.dataclass
class Case:
    """One call of `_CreateTerminalProfile` (and of `wslconst fragment`)."""

    id: str
    name: str = DEFAULT_NAME
    distribution_id: str = DEFAULT_ID  # as given to wslconst; any case, braces optional
    template: bytes | None = None  # None: WSL's built-in default template
    icon: str = DEFAULT_ICON
    system_dir: str = DEFAULT_SYSTEM_DIR
    os_release: bytes | None = None
    name_refused: bool = False


def tier1(namespace: uuid.UUID, name: str) -> str:
    """A name's Tier 1 GUID (UUIDv5 over its UTF-16LE), to write hide entries into templates.

    Only builds inputs: whether a template's hide entry matches is decided by
    WSL's code in the oracle, and a slip here shows as a case that tests less.
    """
    digest = hashlib.sha1(namespace.bytes + name.encode("utf-16-le")).digest()
    return "{" + str(uuid.UUID(bytes=digest[:16], version=5)) + "}"


def _j(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _profiles(*entries: str, extra: str = "") -> bytes:
    return ('{"profiles": [' + ", ".join(entries) + "]" + extra + "}").encode()


# --- Hand-written cases -------------------------------------------------------

def _names() -> list[Case]:
    accepted = {
        "ascii": "Ubuntu",
        "dots-dashes": "Ubuntu-24.04_dev.1",
        "leading-dash": "-leading",
        "only-dash": "-",
        "only-dot": ".",
        "digits": "2404",
        "single": "a",
        "max-length": "n" * 256,
        "mixed-case": "oPeNsUsE-Tumbleweed",
        "legacy-prefix": "Legacy2",
    }
    refused = {
        "over-max-length": "n" * 257,
        "legacy": "Legacy",
        "legacy-lower": "legacy",
        "space": "With Space",
        "bmp-latin": "Ünïcødé",
        "bmp-cjk": "日本語",
        "bmp-rtl": "עברית",
        "combining": "e\u0301",
        "zero-width": "a\u200bb",
        "astral": "😀",
        "astral-mixed": "Arch🐧Linux",
        "astral-music": "𝄞 clef",
        "quote": 'Q"uote',
        "backslash": "back\\slash",
        "tab": "tab\there",
        "u2028": "line\u2028sep",
        "bang": "invalid!",
    }
    cases = [Case(f"name/{k}", name=v) for k, v in accepted.items()]
    cases += [Case(f"name/{k}", name=v, name_refused=True) for k, v in refused.items()]
    # A template that names the distro itself: WSL overwrites "name".
    cases.append(Case("name/overwrites-template-name", name="Debian", template=_profiles('{"name": "Mine"}')))
    return cases


def _ids() -> list[Case]:
    canonical = "fc3bf427-722c-4c2b-84bf-17202d2e3740"
    forms = {
        "lower-braced": "{" + canonical + "}",
        "upper-braced": "{" + canonical.upper() + "}",
        "lower-bare": canonical,
        "upper-bare": canonical.upper(),
        "mixed-case": "{FC3bf427-722C-4c2b-84BF-17202d2e3740}",
        "nil": "{00000000-0000-0000-0000-000000000000}",
        "max": "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "high-bits": "{80000000-8000-8000-8000-800000000000}",
    }
    cases = [Case(f"id/{k}", distribution_id=v) for k, v in forms.items()]
    for i in range(6):
        raw = hashlib.sha256(f"id/{i}".encode()).digest()[:16]
        cases.append(Case(f"id/hashed-{i}", distribution_id=str(uuid.UUID(bytes=raw))))
    return cases


def _templates(hide_ns: uuid.UUID) -> list[Case]:
    hide = tier1(hide_ns, DEFAULT_NAME)
    other = tier1(hide_ns, "Ubuntu")
    t: dict[str, bytes | None] = {
        "none": None,
        "minimal": b'{"profiles": [{}]}',
        "empty-profiles": b'{"profiles": []}',
        "several": _profiles('{"colorScheme": "One"}', '{"startingDirectory": "/tmp", "font": {"size": 11}}', "null",
                             extra=', "schemes": [{"name": "One", "background": "#000000"}]'),
        "null-entry": b'{"profiles": [null]}',
        "extra-root-keys": b'{"$schema": "x", "profiles": [{}], "actions": [], "z": null, "A": 1}',
        # The hide entry: exactly the Tier 1 GUID string, and near misses.
        "hide/exact": _profiles('{"font": {"face": "Fira"}}', '{"updates": ' + json.dumps(hide) + ', "hidden": true}'),
        "hide/exact-first": _profiles('{"updates": ' + json.dumps(hide) + ', "hidden": true}', "{}"),
        "hide/only": _profiles('{"updates": ' + json.dumps(hide) + ', "hidden": true}'),
        "hide/twice": _profiles(*['{"updates": ' + json.dumps(hide) + "}"] * 2, "{}"),
        "hide/not-hidden": _profiles('{"updates": ' + json.dumps(hide) + ', "hidden": false, "name": "kept"}', "{}"),
        "hide/upper": _profiles('{"updates": ' + json.dumps(hide.upper()) + ', "hidden": true}'),
        "hide/no-braces": _profiles('{"updates": ' + json.dumps(hide.strip("{}")) + ', "hidden": true}'),
        "hide/escaped": _profiles('{"updates": "' + "".join(f"\\u{ord(c):04x}" for c in hide) + '", "hidden": true}'),
        "hide/other-name": _profiles('{"updates": ' + json.dumps(other) + ', "hidden": true}'),
        "hide/number": _profiles('{"updates": 5}'),
        "hide/null": _profiles('{"updates": null}'),
        "hide/array": _profiles('{"updates": [' + json.dumps(hide) + "]}"),
        "hide/object": _profiles('{"updates": {"guid": ' + json.dumps(hide) + "}}"),
        "hide/trailing-space": _profiles('{"updates": ' + json.dumps(hide + " ") + "}"),
        # startingDirectory: kept when present, whatever its value.
        "starting-dir/present": _profiles('{"startingDirectory": "%USERPROFILE%"}'),
        "starting-dir/absent": _profiles('{"font": {"size": 10}}'),
        "starting-dir/null": _profiles('{"startingDirectory": null}'),
        "starting-dir/number": _profiles('{"startingDirectory": 0}'),
        "starting-dir/empty": _profiles('{"startingDirectory": ""}'),
        "starting-dir/linux-path": _profiles('{"startingDirectory": "//wsl$/NixOS/home"}'),
        # Keys WSL owns are overwritten; the others are kept.
        "overwrite/all": _profiles('{"commandline": "bash", "name": "Mine", "guid": "{00000000-0000-0000-0000-000000000000}", '
                                   '"icon": "x.png", "pathTranslationStyle": "none", "hidden": true}'),
        "overwrite/non-string": _profiles('{"commandline": 1, "name": [], "guid": {}, "icon": null, "pathTranslationStyle": false}'),
        "overwrite/distribution-keys": _profiles('{"wsl.distribution-type": "mine", "wsl.distribution-version": 7}'),
        "overwrite/case-variants": _profiles('{"Name": "kept", "GUID": "kept", "Icon": "kept", "commandLine": "kept"}'),
        # Values and their printing.
        "nested": _profiles('{"a": {"b": {"c": [1, [2, [3, {"d": []}]], {}]}}, "e": [[], {}], "f": [null, true, false]}'),
        "numbers/floats": _profiles('{"a": 1.5, "b": 1e2, "c": 0.1, "d": 1e-7, "e": 2.5e22, "f": 5e-324, "g": 1.7976931348623157e308, '
                                    '"h": 2.2250738585072014e-308, "i": 9007199254740993.0, "j": 1E+2, "k": 0e0, "l": 123456789012345678901234567890.0}'),
        "numbers/integers": _profiles('{"a": 0, "b": -1, "c": 9223372036854775807, "d": -9223372036854775808, '
                                      '"e": 18446744073709551615, "f": 18446744073709551616, "g": -9223372036854775809}'),
        "numbers/negative-zero": _profiles('{"a": -0, "b": -0.0, "c": 0.0, "d": -0e5}'),
        "numbers/overflow": _profiles('{"a": 1e400}'),
        "numbers/overflow-negative": _profiles('{"a": -1e400}'),
        "numbers/overflow-digits": _profiles('{"a": ' + "9" * 400 + "}"),
        "numbers/underflow": _profiles('{"a": 1e-400, "b": -1e-400}'),
        "numbers/max-rounds-down": _profiles('{"a": 1.7976931348623158e308, "b": 1.79769313486231580793728971405301e308}'),
        "numbers/max-rounds-up": _profiles('{"a": 1.7976931348623159e308}'),
        "numbers/subnormal-halfway": _profiles('{"a": 2.4703282292062327e-324, "b": 2.4703282292062328e-324, "c": 4.9406564584124654e-324}'),
        "numbers/exact-decimal": _profiles('{"a": 0.1000000000000000055511151231257827021181583404541015625, "b": 0.30000000000000004}'),
        "numbers/long-integer-mantissa": _profiles('{"a": 1' + "0" * 308 + ', "b": 1' + "0" * 309 + "}"),
        "numbers/leading-zero": _profiles('{"a": 01}'),
        "numbers/bare-dot": _profiles('{"a": 1.}'),
        "numbers/plus": _profiles('{"a": +1}'),
        "strings/escapes": _profiles('{"a": "\\u00e9\\ud83d\\ude00\\u0001\\u007f \\/ \\b\\f\\n\\r\\t \\"q\\" \\\\"}'),
        "strings/raw-unicode": _profiles(_j({"a": "ü€😀\u2028\u2029\u00a0\ufeff"}).decode()),
        "strings/controls-escaped": _profiles('{"a": "' + "".join(f"\\u{c:04x}" for c in range(32)) + '\\u007f"}'),
        "strings/raw-control": b'{"profiles": [{"a": "x\ty"}]}',
        "strings/raw-newline": b'{"profiles": [{"a": "x\ny"}]}',
        "strings/lone-high-surrogate": _profiles('{"a": "\\ud800"}'),
        "strings/lone-low-surrogate": _profiles('{"a": "\\udc00"}'),
        "strings/bad-escape": _profiles('{"a": "\\q"}'),
        "strings/short-unicode-escape": _profiles('{"a": "\\u12"}'),
        "strings/long": _profiles(_j({"k" * 5000: "v" * 20000}).decode()),
        "strings/empty-key": _profiles('{"": ""}'),
        "keys/order": _profiles('{"b": 1, "a": 2, "B": 3, "_": 4, "10": 5, "9": 6, "é": 7, "z": 8, "wsl": 9, "wsl.a": 10, "~": 11}'),
        "keys/duplicate": _profiles('{"a": 1, "a": 2, "name": "x", "name": "y"}'),
        "keys/duplicate-profiles": b'{"profiles": 1, "profiles": [{}]}',
        "keys/duplicate-profiles-last-bad": b'{"profiles": [{}], "profiles": 1}',
        # What WSL refuses.
        "reject/line-comment": b'{\n  // a comment\n  "profiles": [{}]\n}',
        "reject/block-comment": b'{/* c */ "profiles": [{}]}',
        "reject/comment-after": b'{"profiles": [{}]} // trailing',
        "reject/comment-in-string-ok": b'{"profiles": [{"a": "// not a comment /* */"}]}',
        "reject/trailing-comma-object": b'{"profiles": [{"a": 1,}]}',
        "reject/trailing-comma-array": b'{"profiles": [{},]}',
        "reject/root-array": b"[]",
        "reject/root-string": b'"profiles"',
        "reject/root-number": b"1",
        "reject/root-null": b"null",
        "reject/root-true": b"true",
        "reject/no-profiles": b"{}",
        "reject/profiles-object": b'{"profiles": {"list": [{}]}}',
        "reject/profiles-string": b'{"profiles": "x"}',
        "reject/profiles-null": b'{"profiles": null}',
        "reject/profiles-key-case": b'{"Profiles": [{}]}',
        "reject/entry-number": b'{"profiles": [1]}',
        "reject/entry-string": b'{"profiles": ["x"]}',
        "reject/entry-array": b'{"profiles": [[]]}',
        "reject/entry-bool": b'{"profiles": [true]}',
        "reject/entry-after-object": b'{"profiles": [{}, 1]}',
        "reject/empty": b"",
        "reject/whitespace": b" \t\r\n ",
        "reject/truncated": b'{"profiles": [{',
        "reject/unterminated-string": b'{"profiles": [{"a": "b',
        "reject/single-quotes": b"{'profiles': [{}]}",
        "reject/bare-key": b"{profiles: [{}]}",
        "reject/trailing-garbage": b'{"profiles": []} x',
        "reject/two-documents": b'{"profiles": []}{}',
        "reject/nul-inside": b'{"profiles": [\x00]}',
        "reject/nul-after": b'{"profiles": []}\x00',
        "reject/invalid-utf8-string": b'{"profiles": [{"a": "\xff"}]}',
        "reject/overlong-utf8": b'{"profiles": [{"a": "\xc0\xaf"}]}',
        "reject/surrogate-utf8": b'{"profiles": [{"a": "\xed\xa0\x80"}]}',
        "reject/past-unicode-utf8": b'{"profiles": [{"a": "\xf4\x90\x80\x80"}]}',
        "reject/invalid-utf8-outside": b'{"profiles": [{}]\xff}',
        "reject/nan": b'{"profiles": [{"a": NaN}]}',
        "reject/infinity": b'{"profiles": [{"a": Infinity}]}',
        "reject/literal-case": b'{"profiles": [{"a": True}]}',
        # Encodings and layout.
        "layout/bom": b'\xef\xbb\xbf{"profiles": [{}]}',
        "layout/partial-bom": b'\xef\xbb{"profiles": [{}]}',
        "layout/utf16-bom": '{"profiles": [{}]}'.encode("utf-16"),
        "layout/crlf": b'{\r\n  "profiles": [\r\n    {\r\n      "a": 1\r\n    }\r\n  ]\r\n}\r\n',
        "layout/tabs": b'{\t"profiles":\t[\t{\t}\t]\t}',
        "layout/minified": b'{"profiles":[{"a":[1,2],"b":{"c":null}}]}',
        "layout/trailing-newlines": b'{"profiles": [{}]}\n\n\n',
        "layout/vertical-tab": b'{"profiles": [{}]}\x0b',
        "layout/form-feed": b'\x0c{"profiles": [{}]}',
        # Depth: wslconst stops at 512 levels; nlohmann has no limit.
        "depth/500": _profiles('{"a": ' + "[" * 496 + "]" * 496 + "}"),
        "depth/600": _profiles('{"a": ' + "[" * 600 + "]" * 600 + "}"),
        # Real-world shapes.
        "real/nixos-wsl": _profiles('{"font": {"face": "Cascadia Mono"}, "colorScheme": "NixOS", "startingDirectory": "~"}',
                                    extra=', "schemes": [{"name": "NixOS", "background": "#1E1E2E", "foreground": "#CDD6F4"}]'),
        "real/ubuntu-like": _profiles('{"colorScheme": "Ubuntu", "cursorShape": "filledBox", "font": {"face": "Ubuntu Mono", "size": 13}}',
                                      extra=', "schemes": [{"name": "Ubuntu", "background": "#300A24", "black": "#171421"}]'),
    }
    return [Case(f"template/{k}", template=v) for k, v in t.items()]


def _os_releases() -> list[Case]:
    texts = {
        "debian": b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
        "nixos": b"NAME=NixOS\nID=nixos\nVERSION_ID=\"25.05\"\n",
        "ubuntu": b'NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n',
        "quoted-id": b'ID="opensuse-tumbleweed"\nVERSION_ID="20250101"\n',
        "single-quotes": b"ID='arch'\nVERSION_ID='1'\n",
        "trailing-space": b"ID=nixos \nVERSION_ID=25.05\t\n",
        "crlf": b"ID=nixos\r\nVERSION_ID=25.05\r\n",
        "cr-only": b"NAME=x\rID=nixos\rVERSION_ID=1\r",
        "cr-then-id": b"NAME=x\rID=nixos\n",
        "version-first": b"VERSION_ID=3.19\nID=alpine\n",
        "id-like-first": b"ID_LIKE=debian\nID=ubuntu\n",
        "duplicate-id": b"ID=first\nID=second\nVERSION_ID=1\nID=third\n",
        "duplicate-version": b"VERSION_ID=1\nVERSION_ID=2\n",
        "empty-values": b'ID=""\nVERSION_ID=\n',
        "tilde": b"ID=nixos\nVERSION_ID=25.05pre~git\n",
        "plus": b"ID=nixos\nVERSION_ID=1+2\n",
        "allowed-punctuation": b"ID=a-b_c.d,e\nVERSION_ID=1.2,3-4_5\n",
        "unbalanced-open": b'ID="nixos\nVERSION_ID="1\n',
        "unbalanced-close": b'ID=nixos"\nVERSION_ID=1"\n',
        "double-double-quotes": b'ID=""nixos""\n',
        "no-final-newline": b"ID=nixos\nVERSION_ID=25.05",
        "bom": b"\xef\xbb\xbfID=nixos\nVERSION_ID=1\n",
        "leading-space": b" ID=nixos\n\tVERSION_ID=1\n",
        "comment": b"# ID=commented\nID=real # note\nVERSION_ID=1\n",
        "nul": b"ID=ni\x00xos\nVERSION_ID=1\x00\n",
        "invalid-utf8-elsewhere": b"NAME=\xff\xfe\nID=nixos\n",
        "only-version": b"VERSION_ID=7\n",
        "empty-file": b"",
        "lowercase-keys": b"id=nixos\nversion_id=1\n",
        "spaces-around-equals": b"ID = nixos\n",
        "long-value": b"ID=" + b"a" * 10000 + b"\nVERSION_ID=1\n",
        "uppercase-value": b"ID=NixOS\nVERSION_ID=V1\n",
    }
    cases = [Case(f"os-release/{k}", os_release=v) for k, v in texts.items()]
    # The keys WSL adds, with a template that sets them already.
    cases.append(Case("os-release/over-template-keys", os_release=texts["nixos"],
                      template=_profiles('{"wsl.distribution-type": "mine", "wsl.distribution-version": "mine"}', "{}")))
    cases.append(Case("os-release/empty-over-template-keys", os_release=texts["empty-values"],
                      template=_profiles('{"wsl.distribution-type": "mine", "wsl.distribution-version": "mine"}')))
    return cases


def _paths() -> list[Case]:
    icons = {
        "shipped": "C:\\Users\\me\\AppData\\Local\\wsl\\{fc3bf427-722c-4c2b-84bf-17202d2e3740}\\shortcut.ico",
        "bmp": "C:\\Users\\Zoë Ærøskøbing\\wsl\\NixOS\\shortcut.ico",
        "cjk": "C:\\ユーザー\\wsl\\shortcut.ico",
        "astral": "D:\\distros\\🐧\\shortcut.ico",
        "forward-slashes": "C:/Users/me/wsl/shortcut.ico",
        "unc": "\\\\server\\share\\wsl\\shortcut.ico",
        "quote": 'C:\\odd"dir\\shortcut.ico',
        "controls": "C:\\a\tb\x7f\x01\\shortcut.ico",
        "separators": "C:\\a\u2028b\u2029\\shortcut.ico",
        "trailing-backslash": "C:\\Program Files\\WSL\\",
        "empty": "",
    }
    system_dirs = {
        "uppercase": "C:\\WINDOWS\\system32",
        "other-drive": "D:\\Windows\\System32",
        "trailing-backslash": "C:\\Windows\\system32\\",
        "bmp": "C:\\Windöws\\system32",
        "astral": "C:\\😀\\system32",
        "spaces": "C:\\My Windows\\system32",
        "empty": "",
    }
    return [Case(f"icon/{k}", icon=v) for k, v in icons.items()] + \
        [Case(f"system-dir/{k}", system_dir=v) for k, v in system_dirs.items()]


# --- Pseudo-random cases -------------------------------------------------------

class _Rng:
    """xorshift64*, seeded from a string: stable across Python versions."""

    def __init__(self, seed: str):
        self.state = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "little") or 1

    def next(self) -> int:
        x = self.state
        x ^= (x >> 12)
        x ^= (x << 25) & 0xFFFFFFFFFFFFFFFF
        x ^= (x >> 27)
        self.state = x
        return (x * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n: int) -> int:
        return self.next() % n

    def chance(self, percent: int) -> bool:
        return self.below(100) < percent

    def pick(self, items):
        return items[self.below(len(items))]


_NUMBERS = ["0", "-0", "1", "-1", "42", "3.14", "1e2", "1E-3", "-0.0", "2.5e22", "5e-324", "1.7976931348623157e308",
            "9007199254740993", "18446744073709551615", "18446744073709551616", "-9223372036854775809", "0.1", "100.0",
            "1e15", "1e16", "123456.789e3", "4.35", "0.000001"]
_STRINGS = ["", "x", "~", "/home", "%USERPROFILE%", "C:\\\\Users", "ü", "😀", "\\u00e9", "\\ud83d\\ude00", "\\n\\t", "\\\"q\\\"",
            "\\/", "\\u0000", "\\u001f", "\u2028", "a b", "//", "/*", "#FFFFFF", "wsl", "{2c4de342-38b7-51cf-b940-2309a097f518}"]
_KEYS = ["startingDirectory", "commandline", "name", "guid", "icon", "pathTranslationStyle", "hidden", "updates", "font",
         "colorScheme", "cursorShape", "opacity", "padding", "wsl.distribution-type", "wsl.distribution-version", "source",
         "tabTitle", "", "Name", "é", "a", "z", "10", "9"]
_NAMES = ["NixOS", "Ubuntu", "Debian", "-dash", "a.b", "Ubuntu-24.04", "x_y", "n" * 64, "Alpine", "openSUSE-Tumbleweed"]
_ICONS = [DEFAULT_ICON, "C:\\Users\\me\\wsl\\NixOS\\shortcut.ico", "C:\\Users\\Zoë\\wsl\\shortcut.ico", "D:\\🐧\\shortcut.ico"]
_SYSTEM_DIRS = [DEFAULT_SYSTEM_DIR, "C:\\WINDOWS\\system32", "D:\\Windows\\System32"]
_OS_RELEASES = [None, b"ID=nixos\nVERSION_ID=\"25.05\"\n", b"ID=debian\n", b"VERSION_ID=1\n", b"ID=''\n", b'ID=""\nVERSION_ID=""\n']


def _value(rng: _Rng, depth: int) -> str:
    kind = rng.below(10 if depth < 4 else 6)
    if kind < 2:
        return rng.pick(_NUMBERS)
    if kind < 4:
        return '"' + rng.pick(_STRINGS) + '"'
    if kind == 4:
        return rng.pick(["true", "false", "null"])
    if kind == 5:
        return '"' + rng.pick(_STRINGS) + rng.pick(_STRINGS) + '"'
    if kind < 8:
        return "[" + ", ".join(_value(rng, depth + 1) for _ in range(rng.below(4))) + "]"
    return _object(rng, depth + 1, _KEYS)


def _object(rng: _Rng, depth: int, keys: list[str]) -> str:
    members = ['"' + rng.pick(keys) + '": ' + _value(rng, depth) for _ in range(rng.below(6))]
    return "{" + ", ".join(members) + "}"


def _random_case(i: int, hide_ns: uuid.UUID) -> Case:
    rng = _Rng(f"fragment/random/{i}")
    name = rng.pick(_NAMES)
    entries = []
    for _ in range(rng.below(5)):
        roll = rng.below(20)
        if roll == 0:
            entries.append("null")
        elif roll == 1:
            entries.append('{"updates": "' + tier1(hide_ns, name) + '", "hidden": true}')
        elif roll == 2:
            entries.append('{"updates": "' + tier1(hide_ns, name).upper() + '"}')
        elif roll == 3 and rng.chance(30):
            entries.append(rng.pick(["1", '"x"', "[]", "true"]))  # WSL throws on these
        else:
            entries.append(_object(rng, 2, _KEYS))
    root = ['"profiles": [' + ", ".join(entries) + "]"]
    for _ in range(rng.below(3)):
        root.append('"' + rng.pick(["schemes", "$schema", "actions", "themes", "profiles2"]) + '": ' + _value(rng, 1))
    if rng.chance(10):
        root.append('"profiles": ' + rng.pick(["[{}]", "{}", "1"]))  # a duplicate: the last one counts
    order = list(range(len(root)))
    for k in range(len(order) - 1, 0, -1):
        j = rng.below(k + 1)
        order[k], order[j] = order[j], order[k]
    separator = rng.pick([", ", ",", ",\n  ", ",\r\n\t"])
    text = "{" + separator.join(root[k] for k in order) + "}"
    damage = rng.below(40)
    if damage == 0:
        text = text[:-1] + ",}"  # trailing comma
    elif damage == 1:
        text = "// comment\n" + text
    elif damage == 2:
        text = text[: rng.below(len(text))]  # truncated
    elif damage == 3:
        text = text + " /* c */"
    data = text.encode()
    if rng.chance(5):
        data = b"\xef\xbb\xbf" + data
    raw = bytes(rng.below(256) for _ in range(16))
    distribution_id = str(uuid.UUID(bytes=raw))
    distribution_id = rng.pick([distribution_id, distribution_id.upper(), "{" + distribution_id + "}"])
    return Case(
        f"random/{i:04}",
        name=name,
        distribution_id=distribution_id,
        template=data,
        icon=rng.pick(_ICONS),
        system_dir=rng.pick(_SYSTEM_DIRS),
        os_release=rng.pick(_OS_RELEASES),
    )


def _random_number(rng: _Rng) -> str:
    """A JSON number of a shape that stresses parsing and printing."""
    digits = lambda n: "".join(str(rng.below(10)) for _ in range(n))  # noqa: E731
    sign = rng.pick(["", "", "-"])
    shape = rng.below(6)
    if shape == 0:  # an integer near the int64/uint64 edges, or any length
        return sign + rng.pick(["922337203685477580", "1844674407370955161", "1" + digits(rng.below(25))]) + digits(rng.below(3))
    if shape == 1:  # many significant digits: rounding
        return sign + digits(1) + "." + digits(15 + rng.below(12))
    if shape == 2:  # exponents near the double range's ends (overflow has cases of its own)
        if rng.chance(50):
            return sign + str(1 + rng.below(9)) + "." + digits(1 + rng.below(17)) + "e-" + str(rng.pick([300, 307, 308, 310, 320, 323, 324, 325, 330]))
        return sign + str(1 + rng.below(9)) + "." + digits(1 + rng.below(17)) + "e" + rng.pick(["", "+"]) + str(rng.below(308))
    if shape == 3:  # a double's own shortest text, reparsed
        bits = rng.next() & 0x7FEFFFFFFFFFFFFF
        import struct
        return sign + repr(struct.unpack("<d", bits.to_bytes(8, "little"))[0])
    if shape == 4:  # leading/trailing zeros, capital E, small magnitudes
        return sign + "0." + "0" * rng.below(8) + digits(1 + rng.below(6)) + rng.pick(["", "E5", "e-5", "E+0", "0000"])
    return sign + str(rng.below(10000)) + "." + digits(1 + rng.below(4)) + "e" + str(rng.below(30))


def _random_numbers(count: int) -> list[Case]:
    cases = []
    for i in range(count):
        rng = _Rng(f"fragment/numbers/{i}")
        members = [f'"n{k:02}": {_random_number(rng)}' for k in range(30)]
        cases.append(Case(f"numbers/{i:03}", template=('{"profiles": [{' + ", ".join(members) + "}]}").encode()))
    return cases


def _random_strings(count: int) -> list[Case]:
    """Strings of any code points, raw or \\u-escaped (surrogate pairs, controls, noncharacters)."""
    ranges = [(0x20, 0x7E), (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0x7FF), (0x800, 0xD7FF), (0xE000, 0xFFFF), (0x10000, 0x10FFFF)]
    cases = []
    for i in range(count):
        rng = _Rng(f"fragment/strings/{i}")
        text = []
        for _ in range(40):
            low, high = rng.pick(ranges)
            c = low + rng.below(high - low + 1)
            if c < 0x20 or c in (0x22, 0x5C) or rng.chance(30):
                if c >= 0x10000:
                    hi, lo = 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF)
                    text.append(f"\\u{hi:04x}\\u{lo:04X}")
                else:
                    text.append(f"\\u{c:04x}" if rng.chance(50) else f"\\u{c:04X}")
            else:
                text.append(chr(c))
        value = "".join(text)
        key = "".join(text[:3]) if rng.chance(50) else "s"
        cases.append(Case(f"strings/{i:03}", template=('{"profiles": [{"' + key + '": "' + value + '"}]}').encode()))
    return cases


def _corpus(root: pathlib.Path) -> list[Case]:
    # The settings corpus is Terminal's settings.json/state.json in the wild:
    # mostly what WSL refuses (comments, no "profiles" array). Its crate's
    # folder name is not assumed.
    directories = [(root / "fuzz/corpus/template_check", "corpus/template_check/")]
    directories += [(d, "corpus/settings/") for d in sorted(root.glob("*/tests/settings-corpus"))[:1]]
    cases = []
    for directory, prefix in directories:
        if directory.is_dir():
            for path in sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")):
                cases.append(Case(prefix + path.name, template=path.read_bytes()))
    return cases


def generate(root: pathlib.Path, hide_namespace: uuid.UUID) -> list[Case]:
    """Every case, in a fixed order; `hide_namespace` is WSL's GeneratedProfilesTerminalNamespace."""
    cases = _names() + _ids() + _templates(hide_namespace) + _os_releases() + _paths()
    cases += [_random_case(i, hide_namespace) for i in range(RANDOM_CASES)]
    cases += _random_numbers(40) + _random_strings(20)
    cases += _corpus(root)
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases
