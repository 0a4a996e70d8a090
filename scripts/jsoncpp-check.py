#!/usr/bin/env python3
"""Windows Terminal's own reader as the oracle for what wslconst's settings editor writes.

Terminal reads settings.json and state.json with jsoncpp: a default
Json::CharReaderBuilder (comments and trailing commas allowed, duplicate keys
allowed with the last one winning, anything after the root value ignored,
nesting limited to 1000), after dropping one UTF-8 BOM itself
(docs/UPSTREAM.md has each fact with its place in Terminal's source).
scripts/jsoncpp/terminal_reader.cpp rebuilds exactly that reader against the
system's jsoncpp (Debian: libjsoncpp-dev).

For every input file this script runs realistic edits through the real CLI
(`wslconst settings upsert|hide|remove|set-default|prune-state --file F`) on a
copy, and whenever the editor writes the file it requires that

  * jsoncpp parses the new file (otherwise Terminal shows its settings-load
    error dialog, or for state.json silently starts from an empty state), and
  * the value jsoncpp reads is the value jsoncpp read from the input with the
    intended edit applied, and nothing else changed. The intended edit is
    computed here in Python from the input's jsoncpp value, following the
    editor's documented semantics (its settings/ module and the CLI help):
    upsert sets each given key on every entry whose "guid" names the profile
    (GUIDs compared in any case, braces optional) or appends
    {"guid", keys...} to profiles.list (creating "profiles"/"list" when
    missing); hide is upsert "hidden": true; remove drops the matching objects
    of the list; set-default writes "defaultProfile" (with --only-if only when
    the current one is among those GUIDs); prune-state drops the matching
    strings of "generatedProfiles".
  * the input's BOM is kept, and the backup holds the input's exact bytes.

Normalisations the editor is entitled to, encoded below: GUIDs it writes are
lowercase with braces (Guid's Display); a --set VALUE goes through serde_json,
so an integer that fits no 64-bit type, or -0, becomes a float, and text that
is not JSON (NaN, a lone surrogate escape, an empty string, ...) is a string.
When the editor exits 1 ("left to you": a comment sits where it would write)
and still wrote, the file must hold a partial edit: applying the edit to the
output gives the same value as applying it to the input, and each key it was
to set holds either its old or its new value.

Inputs: each directory's files, recursively (dotfiles skipped). A file named *.json is a real
file (*.state.json a state.json, any other a settings.json). Any other file is
a cargo-fuzz input of fuzz/fuzz_targets/settings_edit.rs: its first byte
selects the fuzzer's edit (selector % 7), the rest is the text; this script
reproduces that edit through the CLI, then (when the editor took the file)
a few more edits aimed at the profiles the file holds. Real files get the full
set of edits, each run twice (the second run must change nothing).

Disagreements come in four kinds, each failing the check:

  broke     the file before was readable by jsoncpp, the written one is not;
  value     jsoncpp reads something other than the intended edit (when the
            text repeats a key, the reader's rejectDupKeys diagnosis is shown:
            jsoncpp keeps the last of two equal keys);
  other     exit 2 with a write, a changed backup or BOM, a second identical
            run that writes again, or a refusal saying Terminal cannot load a
            file jsoncpp reads (the editor's port of the reader,
            settings/terminal_reader.rs, must not be stricter than it);
  accepted  the file before was one jsoncpp rejects, yet the editor took it
            and wrote. This fails too, on purpose: the editor promises to
            refuse text Terminal cannot read ("Terminal cannot read it
            either, fix it first"; settings/terminal_reader.rs in
            wslconst-model), so taking it breaks that
            promise, and the user's edit silently does nothing, since Terminal
            still cannot load the file (or, when the edit happens to repair
            it, Terminal suddenly reads a file the user never saw it read).
            Either way the editor's model of Terminal's reader is wrong for
            that text, which is what this oracle is for. They are grouped by
            the construct jsoncpp stopped at.

One exception is not a disagreement: a number past a double's range (1e400).
Debian's jsoncpp 1.9.5 refuses it; Terminal's 1.9.6 reads it as +-infinity
(OurReader::decodeDouble), so on this jsoncpp the file cannot be compared and
the write is counted as skipped. An empty file is never parsed by Terminal
(settings.json: first run; state.json: no state) and the editor refuses it.

    python3 scripts/jsoncpp-check.py target/debug/wslconst [DIR ...]
    python3 scripts/jsoncpp-check.py target/debug/wslconst \\
        wslconst-model/tests/settings-corpus fuzz/corpus/settings_edit

(the settings corpus is whichever crate's tests/settings-corpus holds it).
A binary path that does not exist is built first (cargo build -q --bin
wslconst, whichever package holds the binary) when it is the workspace's
target/debug/wslconst. --max-fuzz N (default
4000) caps the fuzz inputs at a deterministic subset (the first N by name,
names being content hashes), said in the output; the whole run must stay
within about two minutes (both corpora, ~11,500 CLI runs: 35-85 s on two
shared cores). --jobs N (default 2) CLI runs at a time. --show N prints at
most N disagreements (0: all; of "accepted", one per cause unless 0).
Exit status: 0 all agree, 1 a disagreement (each printed with its input,
edit and difference), 2 setup failure (e.g. libjsoncpp-dev missing).
"""
import argparse
import concurrent.futures
import copy
import json
import math
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
READER_SRC = ROOT / "scripts/jsoncpp/terminal_reader.cpp"
JSONCPP_HEADER = pathlib.Path("/usr/include/jsoncpp/json/json.h")
BOM = b"\xef\xbb\xbf"
DISTRIBUTION_ID = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}"  # the fuzz target's
DISTRIBUTION_ID_ARG = "--distribution-id"  # WSL_DISTRIBUTION_ID_ARG
ABSENT_GUID = "{00000000-1111-2222-3333-444444444444}"

# Two --profile files: one schema-valid profile as a user writes it (comments,
# a trailing comma, number spellings, escapes, non-ASCII, an upper-case GUID),
# one with keys Terminal does not know (written with --skip-schema-check).
PROFILE_REAL = r"""// a profile as a user writes it
{
    "guid": "{EE603799-D7FE-5A9F-A662-E784D8A502DF}", // upper case: the same GUID
    "name": "Ubuntu \u2713 (ünï)",
    "commandline": "C:\\WINDOWS\\system32\\wsl.exe --distribution-id {fc3bf427-722c-4c2b-84bf-17202d2e3740}",
    "startingDirectory": "\\\\wsl.localhost\\Ubuntu\\home\\me",
    "font": { "face": "Cascadia Code PL", "size": 1.05e1, "weight": "semi-bold", },
    "opacity": 90,
    "backgroundImageOpacity": 0.50,
    "padding": "8, 8, 8, 8",
    "tabTitle": "\"q\" \/ \b\f\n\r\t \u0001 \ud83d\ude00 raw: 😀 \u2028",
    /* block comment */
    "hidden": false,
}
"""
PROFILE_ODD = r"""{
    "": "empty key",
    "a\u0000b": "nul in a key, \u0000 and in a value",
    "ключ": ["значение", 1E2, -0, 0.0001, 18446744073709551615, 123456789012345678901234567890],
    "\ud83d\ude00": {"nested": {"deeper": [[], {}, null, true]}},
    "quote\"back\\slash": -9223372036854775808,
}
"""


def die(message):
    print(f"jsoncpp-check: {message}", file=sys.stderr)
    sys.exit(2)


# --- GUIDs, as wslconst's Guid::parse reads them -----------------------------

GUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def guid(text):
    """Guid::parse: 36 characters bare or 38 in braces, any case; canonical form or None."""
    if not isinstance(text, str):
        return None
    if len(text) == 38 and text[0] == "{" and text[-1] == "}":
        text = text[1:-1]
    elif len(text) != 36 or text[0] == "{" or text[-1] == "}":
        return None
    if not GUID_RE.fullmatch(text):
        return None
    return "{" + text.lower() + "}"


# Rust's char::is_whitespace (Unicode White_Space), which split_whitespace uses.
RUST_WHITESPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def split_whitespace(text):
    words, word = [], []
    for ch in text:
        if ch in RUST_WHITESPACE:
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(ch)
    if word:
        words.append("".join(word))
    return words


def commandline_distribution_id(line):
    """settings::commandline_distribution_id."""
    words = iter(split_whitespace(line))
    for word in words:
        if word.startswith(DISTRIBUTION_ID_ARG):
            value = word[len(DISTRIBUTION_ID_ARG):]
            if value.startswith("="):
                value = value[1:]
            elif value == "":
                value = next(words, None)
                if value is None:
                    return None
            else:
                continue
            return guid(value.strip('"'))
    return None


# --- values -------------------------------------------------------------------


def decode_strings(value):
    """The reader's strings hold raw bytes as U+0000..U+00FF; make them text (bad UTF-8 escaped)."""
    if isinstance(value, str):
        return value.encode("latin-1").decode("utf-8", "surrogateescape")
    if isinstance(value, list):
        return [decode_strings(v) for v in value]
    if isinstance(value, dict):
        return {decode_strings(k): decode_strings(v) for k, v in value.items()}
    return value


def same(a, b):
    """Equality that tells bool, int and float apart (jsoncpp does), and -0.0 from 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def difference(a, b, path="$"):
    """Where two values first differ, for the report."""
    if type(a) is not type(b):
        return f"{path}: expected {short(a)}, jsoncpp read {short(b)}"
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in b:
                return f"{path}[{k!r}]: expected {short(a[k])}, missing in what jsoncpp read"
            if k not in a:
                return f"{path}[{k!r}]: not expected, jsoncpp read {short(b[k])}"
            if not same(a[k], b[k]):
                return difference(a[k], b[k], f"{path}[{k!r}]")
    if isinstance(a, list):
        if len(a) != len(b):
            missing = [x for x in a if not any(same(x, y) for y in b)]
            extra = [y for y in b if not any(same(x, y) for x in a)]
            return (f"{path}: expected {len(a)} elements, jsoncpp read {len(b)}"
                    + (f"; expected but missing: {short(missing[0])}" if missing else "")
                    + (f"; read but not expected: {short(extra[0])}" if extra else ""))
        for i, (x, y) in enumerate(zip(a, b)):
            if not same(x, y):
                return difference(x, y, f"{path}[{i}]")
    return f"{path}: expected {short(a)}, jsoncpp read {short(b)}"


def short(value, limit=300):
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates: bytes jsoncpp kept
    return text if len(text) <= limit else text[:limit] + "..."


class NotJson(Exception):
    pass


def set_value(text):
    """What `--set KEY=VALUE` means: serde_json's reading of VALUE, else the text as a string."""

    def constant(name):
        raise NotJson(name)  # NaN, Infinity: not JSON to serde_json

    def integer(digits):
        n = int(digits)
        if digits.lstrip().startswith("-0") and n == 0:
            return -0.0  # serde_json reads -0 as the float -0.0
        if -(2**63) <= n < 2**64:
            return n
        return float(digits)  # past u64/i64: serde_json's f64

    def has_surrogate(v):
        if isinstance(v, str):
            return any(0xD800 <= ord(c) <= 0xDFFF for c in v)
        if isinstance(v, list):
            return any(has_surrogate(x) for x in v)
        if isinstance(v, dict):
            return any(has_surrogate(k) or has_surrogate(x) for k, x in v.items())
        return False

    try:
        value = json.loads(text, parse_constant=constant, parse_int=integer)
    except (ValueError, NotJson, RecursionError):
        return text
    if has_surrogate(value):  # serde_json refuses a lone surrogate escape
        return text
    return value


# --- the edits, as the editor means them ----------------------------------------


class Shape(Exception):
    """The editor must refuse the file (SettingsError::Shape): nothing may be written."""


def profile_list(root, create):
    if not isinstance(root, dict):
        raise Shape("the top level is not an object")
    if "profiles" not in root:
        if not create:
            return None
        root["profiles"] = {"list": []}
        return root["profiles"]["list"]
    profiles = root["profiles"]
    if isinstance(profiles, list):
        return profiles
    if not isinstance(profiles, dict):
        raise Shape('"profiles" is neither an object nor an array')
    if "list" not in profiles:
        if not create:
            return None
        profiles["list"] = []
    if not isinstance(profiles["list"], list):
        raise Shape('"profiles"."list" is not an array')
    return profiles["list"]


def profiles_with(root, wanted):
    lst = profile_list(root, False) if isinstance(root, dict) else None
    return [p for p in (lst or []) if isinstance(p, dict) and guid(p.get("guid")) == wanted]


class Op:
    """One CLI run: its arguments (without --file) and what it should do to the value."""

    kind = "settings"

    def apply(self, root):
        raise NotImplementedError


class Upsert(Op):
    def __init__(self, args, target, members, what):
        self.args, self.target, self.members, self.what = args, target, members, what

    def apply(self, root):
        lst = profile_list(root, True)
        matched = [p for p in lst if isinstance(p, dict) and guid(p.get("guid")) == self.target]
        if not matched:
            entry = {"guid": self.target}
            entry.update(copy.deepcopy(self.members))
            lst.append(entry)
        for p in matched:
            for k, v in self.members.items():
                p[k] = copy.deepcopy(v)
        return root

    def partial_ok(self, before, after):
        """Exit 1 with a write: each key set or left; nothing else moved."""
        for p in profiles_with(after, self.target):
            for k, v in self.members.items():
                if k in p and not same(p[k], v):
                    olds = [q[k] for q in profiles_with(before, self.target) if k in q]
                    if not any(same(p[k], o) for o in olds):
                        return False
        return True


class Remove(Op):
    def __init__(self, args, guids=(), name_source=None, ids=(), what=""):
        self.args, self.guids, self.name_source, self.ids, self.what = args, set(guids), name_source, set(ids), what

    def matches(self, p):
        if guid(p.get("guid")) in self.guids:
            return True
        for name, source in self.name_source or []:
            if p.get("name") == name and p.get("source") == source:
                return True
        line = p.get("commandline")
        return isinstance(line, str) and bool(self.ids) and commandline_distribution_id(line) in self.ids

    def apply(self, root):
        lst = profile_list(root, False)
        if lst is not None:
            lst[:] = [p for p in lst if not (isinstance(p, dict) and self.matches(p))]
        return root

    def partial_ok(self, before, after):
        return True


class SetDefault(Op):
    def __init__(self, args, to, only_if=None, what=""):
        self.args, self.to, self.only_if, self.what = args, to, only_if, what

    def apply(self, root):
        if not isinstance(root, dict):
            raise Shape("the top level is not an object")
        current = guid(root.get("defaultProfile"))
        if current == self.to or (self.only_if is not None and current not in self.only_if):
            return root
        root["defaultProfile"] = self.to
        return root

    def partial_ok(self, before, after):
        return True


class Prune(Op):
    kind = "state"

    def __init__(self, args, guids, what=""):
        self.args, self.guids, self.what = args, set(guids), what

    def apply(self, root):
        if not isinstance(root, dict):
            raise Shape("the top level is not an object")
        if "generatedProfiles" not in root:
            return root
        gp = root["generatedProfiles"]
        if not isinstance(gp, list):
            raise Shape('"generatedProfiles" is not an array')
        gp[:] = [g for g in gp if not (isinstance(g, str) and guid(g) in self.guids)]
        return root

    def partial_ok(self, before, after):
        return True


def existing_guids(value):
    """The GUIDs of the profiles a file holds, in order, as Terminal finds its list."""
    try:
        lst = profile_list(copy.deepcopy(value), False) if isinstance(value, dict) else None
    except Shape:
        return []
    out = []
    for p in lst or []:
        g = guid(p.get("guid")) if isinstance(p, dict) else None
        if g and g not in out:
            out.append(g)
    return out


def named_profile(value):
    try:
        lst = profile_list(copy.deepcopy(value), False) if isinstance(value, dict) else None
    except Shape:
        return None
    for p in lst or []:
        if isinstance(p, dict) and isinstance(p.get("name"), str) and isinstance(p.get("source"), str):
            if p["name"] and p["source"] and "\0" not in p["name"] + p["source"] and not p["name"].startswith("-") \
                    and not p["source"].startswith("-"):
                try:
                    p["name"].encode("utf-8")
                    p["source"].encode("utf-8")
                except UnicodeEncodeError:
                    continue
                return p["name"], p["source"]
    return None


class Catalogue:
    """The GUIDs the edits use, as the CLI computes them."""

    def __init__(self, binary):
        out = subprocess.run(
            [binary, "settings", "expected", "--distro", f"Ubuntu={DISTRIBUTION_ID}", "--distro", "NixOS", "--json"],
            check=True, capture_output=True, text=True,
        ).stdout
        ubuntu, nixos = json.loads(out)
        self.ubuntu1, self.ubuntu2, self.nixos1 = ubuntu["tier1"], ubuntu["tier2"], nixos["tier1"]


def upsert_set(target, pairs, extra=(), what=""):
    args = ["upsert", "--guid", target, *extra]
    members = {}
    for key, text in pairs:
        args += ["--set", f"{key}={text}"]
        members[key] = set_value(text)
    return Upsert(args, target, members, what or f"upsert {target} " + " ".join(f"--set {k}={t}" for k, t in pairs))


def fuzz_edit(selector, c):
    """fuzz/fuzz_targets/settings_edit.rs's edit for selector % 7, through the CLI."""
    s = selector % 7
    if s == 0:
        return [Remove(["remove", "--guid", c.ubuntu1, "--name", "Ubuntu", "--source", "Windows.Terminal.Wsl",
                        "--distribution-id", DISTRIBUTION_ID],
                       guids=[c.ubuntu1, c.ubuntu2], name_source=[("Ubuntu", "Windows.Terminal.Wsl")],
                       ids=[DISTRIBUTION_ID],
                       what=f"remove Ubuntu (tier 1, name+source, --distribution-id {DISTRIBUTION_ID})")]
    if s == 1:
        return [upsert_set(c.ubuntu1, [("hidden", "true"), ("font", '{"face": "Cascadia Code", "size": 11}')])]
    if s == 2:
        return [Upsert(["hide", "--guid", c.ubuntu2], c.ubuntu2, {"hidden": True}, f"hide {c.ubuntu2}")]
    if s == 3:
        return [SetDefault(["set-default", "--guid", c.ubuntu1], c.ubuntu1, what=f"set-default {c.ubuntu1}")]
    if s == 4:
        return [SetDefault(["set-default", "--guid", c.ubuntu2, "--only-if", c.ubuntu1], c.ubuntu2, {c.ubuntu1},
                           what=f"set-default {c.ubuntu2} --only-if {c.ubuntu1}")]
    if s == 5:
        return [Prune(["prune-state", "--guid", c.ubuntu1], [c.ubuntu1], what=f"prune-state {c.ubuntu1}")]
    return [
        Remove(["remove", "--guid", c.ubuntu1], guids=[c.ubuntu1], what=f"remove {c.ubuntu1}"),
        upsert_set(c.ubuntu2, [("name", "Ubuntu")]),
        SetDefault(["set-default", "--guid", c.ubuntu2], c.ubuntu2, what=f"set-default {c.ubuntu2}"),
    ]


def settings_edits(value, c, profiles, full):
    """Realistic edits of a settings.json, aimed at the profiles it holds (value: its jsoncpp value or None)."""
    have = existing_guids(value) if value is not None else []
    first = have[0] if have else c.ubuntu1
    last = have[-1] if have else c.nixos1
    edits = [
        [upsert_set(first, [
            ("tabTitle", 'Ünïcödé ✓ 😀 "quoted" \\back\\slash'),  # not JSON: the text itself
            ("startingDirectory", '"\\\\\\\\wsl$\\\\Ubuntu\\\\home"'),  # a JSON string with escapes
            ("icon", '"\\u00e9\\ud83d\\ude00\\t\\u0001\\u2028/"'),
        ])],
        [SetDefault(["set-default", "--guid", last], last, what=f"set-default {last}")],
        [Remove(["remove", "--guid", first], guids=[first], what=f"remove {first}")],
    ]
    if not full:
        return edits
    ns = named_profile(value) if value is not None else None
    edits += [
        [upsert_set(c.nixos1, [("name", "NixOS"), ("colorScheme", "One Half Dark"), ("hidden", "false")])],
        [upsert_set(last, [
            ("font", '{"face":"Cascadia Code","size":11.5,"weight":"bold","features":{"calt":0}}'),
            ("opacity", "85"), ("useAcrylic", "true"), ("historySize", "9001"),
            ("backgroundImageOpacity", "0.25"), ("padding", "8, 8, 8, 8"),
        ])],
        [upsert_set(c.ubuntu1, [
            ('my "key" \\ é\t', "null"), ("n1", "-0"), ("n2", "1e2"), ("n3", "18446744073709551615"),
            ("n4", "1.5e-7"), ("n5", "123456789012345678901234567890"), ("n6", "-9223372036854775808"),
            ("s1", '"\\ud800"'), ("s2", "NaN"), ("s3", ""), ("s4", "[1, 2,"), ("s5", ' "padded" '),
            ("a", "[[], {}, [null, false, 0.5]]"),
        ], extra=["--skip-schema-check"])],
        [Upsert(["upsert", "--profile", str(profiles["real"][0])], c.ubuntu2, profiles["real"][1],
                "upsert --profile (a commented profile for Ubuntu's tier 2 GUID)")],
        [Upsert(["upsert", "--guid", last, "--skip-schema-check", "--profile", str(profiles["odd"][0])], last,
                profiles["odd"][1], f"upsert --guid {last} --skip-schema-check --profile (odd keys and numbers)")],
        [Upsert(["hide", "--distro", "Ubuntu"], c.ubuntu1, {"hidden": True}, "hide --distro Ubuntu")],
        [Upsert(["hide", "--guid", first], first, {"hidden": True}, f"hide {first}")],
        [Remove(["remove", "--distro", "Ubuntu", "--distribution-id", DISTRIBUTION_ID],
                guids=[c.ubuntu1, c.ubuntu2],
                name_source=[("Ubuntu", "Windows.Terminal.Wsl"), ("Ubuntu", "Microsoft.WSL")],
                ids=[DISTRIBUTION_ID], what=f"remove --distro Ubuntu --distribution-id {DISTRIBUTION_ID}")],
        [SetDefault(["set-default", "--distro", "NixOS"], c.nixos1, what="set-default --distro NixOS")],
        [SetDefault(["set-default", "--guid", c.ubuntu2, "--only-if", first, "--only-if", c.ubuntu1], c.ubuntu2,
                    {first, c.ubuntu1}, what=f"set-default {c.ubuntu2} --only-if {first} --only-if {c.ubuntu1}")],
        # A chain: what a distro re-import does.
        fuzz_edit(6, c),
    ]
    if len(have) > 1:
        edits.append([Remove(["remove", *sum((["--guid", g] for g in have), [])], guids=have,
                             what="remove every profile")])
    if ns:
        edits.append([Remove(["remove", "--name", ns[0], "--source", ns[1]], name_source=[ns],
                             what=f"remove --name {ns[0]!r} --source {ns[1]!r}")])
    return edits


def state_edits(value, c):
    gp = value.get("generatedProfiles") if isinstance(value, dict) else None
    present = [guid(g) for g in gp if guid(g)] if isinstance(gp, list) else []
    edits = [
        [Prune(["prune-state", "--distro", "Ubuntu"], [c.ubuntu1], what="prune-state --distro Ubuntu")],
        [Prune(["prune-state", "--guid", ABSENT_GUID], [ABSENT_GUID], what=f"prune-state {ABSENT_GUID}")],
    ]
    if present:
        edits.append([Prune(["prune-state", "--guid", present[0]], [present[0]], what=f"prune-state {present[0]}")])
        edits.append([Prune(["prune-state", *sum((["--guid", g] for g in present), [])], present,
                            what="prune-state every generated profile")])
    return edits


# --- why jsoncpp rejects a text the editor took -----------------------------------

KINDS = {
    "broke": "the editor made a file Terminal read into one it cannot read",
    "value": "Terminal reads a value other than the intended edit",
    "other": "the editor's own promises (exit status, backup, BOM, a second run)",
    "accepted": "the editor accepted and rewrote a file Terminal cannot read",
}
VERSION_DEPENDENT = "a number past a double's range"
# What jsonc-parser skips as whitespace beyond JSON's four: Rust's
# char::is_whitespace. jsoncpp skips only space, tab, CR and LF.
ODD_WHITESPACE = [c.encode() for c in sorted(RUST_WHITESPACE - set(" \t\r\n"))]


def first_line(message):
    return " ".join((message or "").split("\n")[:2]).strip()


def location(text, line, column):
    """jsoncpp's getLocationLineAndColumn backwards: CR, LF and CRLF each end a line."""
    at, current = 0, 1
    while current < line and at < len(text):
        c = text[at:at + 1]
        at += 1
        if c == b"\r":
            if text[at:at + 1] == b"\n":
                at += 1
            current += 1
        elif c == b"\n":
            current += 1
    return at + column - 1


def rejection_cause(data, message):
    """The construct jsoncpp stopped at, in words."""
    if "is not a number" in message:
        token = re.search(r"'([^']*)' is not a number", message)
        if token and re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?", token.group(1)) \
                and math.isinf(float(token.group(1))):
            return VERSION_DEPENDENT
        return "a number jsoncpp refuses"
    if "stackLimit" in message:
        return "nesting deeper than jsoncpp's stackLimit (1000)"
    for _ in range(2):  # Terminal drops one BOM, jsoncpp's skipBom another
        if data.startswith(BOM):
            data = data[len(BOM):]
    m = re.search(r"Line (\d+), Column (\d+)", message)
    if not m:
        return "other: " + first_line(message)
    rest = data[location(data, int(m.group(1)), int(m.group(2))):]
    if any(rest.startswith(w) for w in ODD_WHITESPACE):
        return "whitespace jsoncpp does not skip (\\v, \\f, U+0085, U+00A0, U+2028, U+3000, ...)"
    if "Missing ':'" in message and rest.startswith(b"/"):
        return "a comment between a member name and its ':'"
    if "value, object or array expected" in message and rest.startswith(b"]"):
        return "a comment after an array's trailing comma, or an array holding only a comment"
    return "other: " + first_line(message)


# --- running ---------------------------------------------------------------------


def compile_reader(tmp):
    if shutil.which("g++") is None:
        die("g++ not found: apt-get install g++")
    if not JSONCPP_HEADER.exists():
        die(f"{JSONCPP_HEADER} not found: apt-get install libjsoncpp-dev")
    reader = tmp / "terminal_reader"
    built = subprocess.run(
        ["g++", "-std=c++17", "-O1", "-I/usr/include/jsoncpp", str(READER_SRC), "-o", str(reader), "-ljsoncpp"],
        capture_output=True, text=True,
    )
    if built.returncode != 0:
        die(f"compiling {READER_SRC.relative_to(ROOT)} failed (is libjsoncpp-dev installed? apt-get install "
            f"libjsoncpp-dev):\n{built.stderr}")
    return reader


def jsoncpp_version():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libjsoncpp-dev"], capture_output=True, text=True)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


# Values whose text repeats a key in an object: id(value) -> jsoncpp's words.
DUPLICATES = {}


def read_all(reader, paths):
    """The reader's verdict on each path: ("ok", value) | ("error", message) | ("empty", None)."""
    if not paths:
        return []
    out = subprocess.run([str(reader), "-"], input="\n".join(map(str, paths)) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(paths), (len(out), len(paths))
    results = []
    for line in out:
        status, _, payload = line.partition(" ")
        if status == "ok":
            payload, _, dup = payload.partition(" ")
            value = decode_strings(json.loads(bytes.fromhex(payload).decode("ascii")))
            if dup:
                DUPLICATES[id(value)] = first_line(bytes.fromhex(dup).decode("utf-8", "replace"))
            results.append(("ok", value))
        elif status == "error":
            results.append(("error", bytes.fromhex(payload).decode("utf-8", "replace").strip()))
        else:
            results.append(("empty", None))
    return results


class Input:
    def __init__(self, path, group, kind, text, selector=None):
        self.path, self.group, self.kind, self.text, self.selector = path, group, kind, text, selector


def gather(dirs, max_fuzz):
    real, fuzz = [], []
    for d in dirs:
        if not d.is_dir():
            die(f"{d}: not a directory")
        for p in sorted(x for x in d.rglob("*") if x.is_file() and not x.name.startswith(".")):
            data = p.read_bytes()
            if p.name.endswith(".json"):
                real.append(Input(p, "real", "state" if p.name.endswith(".state.json") else "settings", data))
            elif data:
                kind = "state" if data[0] % 7 == 5 else "settings"
                fuzz.append(Input(p, "fuzz", kind, data[1:], data[0]))
    note = None
    if len(fuzz) > max_fuzz:
        fuzz.sort(key=lambda i: i.path.name)
        note = f"fuzz inputs: the first {max_fuzz} of {len(fuzz)} by name (a deterministic subset; --max-fuzz)"
        fuzz = fuzz[:max_fuzz]
    return real, fuzz, note


class Step:
    def __init__(self, op, run):
        self.op, self.run = op, run
        self.rc = self.before = self.after = self.stdout = self.stderr = None
        self.backup_ok = True
        self.before_path = self.after_path = None


def run_chain(binary, work, index, inp, chain, repeat):
    """Runs the steps of one edit on a fresh copy; keeps every version of the file."""
    d = work / f"e{index}"
    d.mkdir()
    name = "state.json" if chain[0].kind == "state" else "settings.json"
    target = d / name
    target.write_bytes(inp.text)
    steps = []
    versions = 0

    def snapshot(data):
        nonlocal versions
        versions += 1
        p = d / f"v{versions}"
        p.write_bytes(data)
        return p

    current = snapshot(inp.text)
    for op in chain:
        for run in range(2 if repeat else 1):
            step = Step(op, run)
            before = target.read_bytes()
            for b in d.glob(f"{name}.*.bak"):
                b.unlink()
            proc = subprocess.run([binary, "settings", *op.args, "--file", str(target)],
                                  capture_output=True, text=True, errors="replace")
            after = target.read_bytes()
            step.rc, step.stdout, step.stderr = proc.returncode, proc.stdout, proc.stderr
            step.before, step.after, step.before_path = before, after, current
            if after != before:
                backups = list(d.glob(f"{name}.*.bak"))
                step.backup_ok = len(backups) == 1 and backups[0].read_bytes() == before
                current = step.after_path = snapshot(after)
            steps.append(step)
            if step.rc == 2:
                return steps
    return steps


REFUSED_PARSE = re.compile(r"line \d+, column \d+: |not UTF-8")
# wslconst's refusal of a file its port of Terminal's reader cannot read.
TERMINAL_REFUSED = "Terminal cannot load this file either"


def main():
    sys.setrecursionlimit(20000)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", help="the wslconst binary (built when it is target/debug/wslconst and missing)")
    ap.add_argument("dirs", nargs="*", type=pathlib.Path, help="directories of inputs")
    ap.add_argument("--max-fuzz", type=int, default=4000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the work directory and print it")
    ap.add_argument("--show", type=int, default=40, help="print at most this many disagreements (0: all)")
    args = ap.parse_args()
    started = time.monotonic()

    binary = pathlib.Path(args.binary).resolve()
    if not binary.exists():
        if binary == ROOT / "target/debug/wslconst":
            subprocess.run(["cargo", "build", "-q", "--bin", "wslconst"], cwd=ROOT, check=True)
        else:
            die(f"{binary}: no such file (build it with cargo build -q -p wslconst-cli)")
    binary = str(binary)

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jsoncpp-check-"))
    try:
        return check(args, binary, tmp, started)
    finally:
        if args.keep:
            print(f"work directory kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def check(args, binary, tmp, started):
    reader = compile_reader(tmp)
    c = Catalogue(binary)
    real, fuzz, note = gather(args.dirs, args.max_fuzz)
    work = tmp / "work"
    work.mkdir()

    # The inputs and the --profile files, as Terminal reads them.
    profile_paths = {"real": tmp / "profile-real.json", "odd": tmp / "profile-odd.json"}
    profile_paths["real"].write_text(PROFILE_REAL, encoding="utf-8")
    profile_paths["odd"].write_text(PROFILE_ODD, encoding="utf-8")
    first = read_all(reader, [profile_paths["real"], profile_paths["odd"]])
    profiles = {}
    for (key, path), (status, value) in zip(profile_paths.items(), first):
        assert status == "ok", (key, status, value)
        profiles[key] = (path, {k: v for k, v in value.items() if k != "guid"})

    fuzz_texts = []
    for i, inp in enumerate(fuzz):
        p = tmp / f"fuzz-{i}"
        p.write_bytes(inp.text)
        fuzz_texts.append(p)
    verdicts = read_all(reader, [i.path for i in real] + fuzz_texts)
    inputs = real + fuzz
    for inp, v in zip(inputs, verdicts):
        inp.jsoncpp = v

    # Plan: real files get every edit (twice each); fuzz inputs their fuzzer's
    # edit, then a few aimed at their profiles when the editor took the text.
    plans = []
    for inp in real:
        value = inp.jsoncpp[1] if inp.jsoncpp[0] == "ok" else None
        chains = state_edits(value, c) if inp.kind == "state" else settings_edits(value, c, profiles, True)
        plans += [(inp, chain, True) for chain in chains]
    fuzz_plans = [(inp, fuzz_edit(inp.selector, c), False) for inp in fuzz]

    results = []
    counter = iter(range(10**9))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        def submit(plan):
            inp, chain, repeat = plan
            return pool.submit(run_chain, binary, work, next(counter), inp, chain, repeat)

        futures = [(plan, submit(plan)) for plan in plans + fuzz_plans]
        more = []
        for plan, fut in futures:
            steps = fut.result()
            results.append((plan, steps))
            inp = plan[0]
            if inp.group == "fuzz" and inp.kind == "settings":
                refused = steps[0].rc == 2 and REFUSED_PARSE.search(steps[0].stderr or "")
                if not refused:
                    value = inp.jsoncpp[1] if inp.jsoncpp[0] == "ok" else None
                    for chain in settings_edits(value, c, profiles, False):
                        more.append(((inp, chain, False), submit((inp, chain, False))))
        for plan, fut in more:
            results.append((plan, fut.result()))

    # Every version of every file, as Terminal reads it.
    versions = sorted({s.before_path for _, steps in results for s in steps} |
                      {s.after_path for _, steps in results for s in steps if s.after_path})
    read = dict(zip(versions, read_all(reader, versions)))

    stats = {g: dict(files=0, edits=0, refused=0, unchanged=0, written=0, parsed=0, equal=0, left=0,
                     unreadable_input=0, accepted=0, version=0, broke=0)
             for g in ("real", "fuzz")}
    for inp in inputs:
        stats[inp.group]["files"] += 1
        if inp.jsoncpp[0] != "ok":
            stats[inp.group]["unreadable_input"] += 1
    failures = {kind: [] for kind in KINDS}
    versions_skipped = []

    for (inp, chain, _), steps in results:
        st = stats[inp.group]
        for step in steps:
            st["edits"] += 1
            what = f"{step.op.what}" + (" (second run)" if step.run else "")
            where = f"{inp.path}" + (f" (fuzz selector {inp.selector % 7})" if inp.group == "fuzz" else "")
            if len(chain) > 1 and step.op is not chain[0]:
                where += " (a later step of a chain: the file as the steps before left it)"
            reproduce = f"wslconst settings {' '.join(step.op.args)} --file {'state.json' if step.op.kind == 'state' else 'settings.json'}"

            def fail(kind, why, cause=""):
                failures[kind].append((where, what, reproduce, why, inp.path, cause))

            before_status, before_v = read[step.before_path]
            changed = step.after != step.before
            if not changed:
                st["refused" if step.rc == 2 else "unchanged"] += 1
                # The editor's port of Terminal's reader must not refuse what
                # the reader itself reads.
                if step.rc == 2 and TERMINAL_REFUSED in step.stderr and before_status == "ok":
                    fail("other", "wslconst says Terminal cannot load the file, but Terminal's reader reads it: "
                         + step.stderr.strip()[:300])
                if step.rc == 1 and "left to you" in step.stderr:
                    st["left"] += 1
                if step.run == 1 and step.rc == 2:
                    fail("other", "the second run failed: " + step.stderr.strip()[:500])
                continue
            st["written"] += 1
            if step.rc == 2:
                fail("other", f"exit 2 but the file changed: {step.stderr.strip()[:500]}")
                continue
            if step.run == 1:
                fail("other", "a second identical run changed the file again")
            if not step.backup_ok:
                fail("other", "the backup is not the input's exact bytes")
            if step.before.startswith(BOM) != step.after.startswith(BOM):
                fail("other", "the BOM was not kept as it was")
            after_status, after_v = read[step.after_path]
            if before_status != "ok":
                # Terminal cannot read the file the editor accepted.
                cause = rejection_cause(step.before, before_v or "")
                if cause == VERSION_DEPENDENT:
                    st["version"] += 1
                    versions_skipped.append(where)
                    continue
                st["accepted"] += 1
                now = "jsoncpp reads the result" if after_status == "ok" else "the result is still unreadable"
                fail("accepted", f"{cause}: jsoncpp says {first_line(before_v)!r}; the editor accepted and wrote it ({now})",
                     cause)
                continue
            if after_status != "ok":
                st["broke"] += 1
                fail("broke", f"Terminal cannot read the written file, though it read the one before: "
                              f"jsoncpp says {after_v!r}")
                continue
            st["parsed"] += 1
            try:
                expected = step.op.apply(copy.deepcopy(before_v))
            except Shape as e:
                fail("value", f"the editor should have refused ({e}) but wrote")
                continue
            if same(expected, after_v):
                st["equal"] += 1
                continue
            if step.rc == 1:
                redone = step.op.apply(copy.deepcopy(after_v))
                if same(redone, expected) and step.op.partial_ok(before_v, after_v):
                    st["equal"] += 1
                    continue
            why = difference(expected, after_v)
            if id(before_v) in DUPLICATES:
                why += (f"\n  (the file before repeats a key, {DUPLICATES[id(before_v)]!r}: jsoncpp keeps the last "
                        "value; does the editor read the first?)")
            fail("value", why)

    elapsed = time.monotonic() - started
    print(f"jsoncpp-check: Terminal's reader (default CharReaderBuilder, BOM dropped) on jsoncpp "
          f"{jsoncpp_version()}; wslconst {binary}")
    if note:
        print(note)
    rows = [
        ("files", "files"),
        ("  of which jsoncpp rejects", "unreadable_input"),
        ("edits (CLI runs)", "edits"),
        ("  refused (exit 2)", "refused"),
        ("  unchanged", "unchanged"),
        ("    with something left to the user", "left"),
        ("  written", "written"),
        ("    file before readable, parsed after", "parsed"),
        ("      values equal", "equal"),
        ("    file before readable, unreadable after", "broke"),
        ("    file before unreadable by jsoncpp", "accepted"),
        ("    skipped: number past double range", "version"),
    ]
    print(f"  {'':40} {'real files':>12} {'fuzz inputs':>12}")
    for label, key in rows:
        print(f"  {label:40} {stats['real'][key]:>12} {stats['fuzz'][key]:>12}")
    print(f"  time {elapsed:.1f}s")
    if versions_skipped:
        print(f"\n{len(versions_skipped)} write(s) not compared: the file holds a number past a double's range, "
              "which Debian's jsoncpp 1.9.5 refuses and Terminal's 1.9.6 reads as +-infinity")
    total = sum(len(v) for v in failures.values())
    if not total:
        print("jsoncpp-check: every written file parses with Terminal's reader and holds exactly the intended edit")
        return 0
    print(f"\n{total} disagreement(s):")
    for kind in KINDS:
        items = failures[kind]
        if items:
            print(f"  {len(items):6} in {len({i[4] for i in items})} input(s): {KINDS[kind]}")
    accepted = failures["accepted"]
    if accepted:
        print("\n  why jsoncpp rejects the files the editor accepted:")
        causes = {}
        for item in accepted:
            causes.setdefault(item[5], []).append(item)
        for cause, items in sorted(causes.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(items):6} in {len({i[4] for i in items})} input(s): {cause}")
    shown = 0
    for kind in KINDS:
        items = failures[kind]
        if kind == "accepted":  # one example per cause is enough unless all are asked for
            seen, picked = set(), []
            for item in items:
                cause = item[5]
                if args.show == 0 or cause not in seen:
                    seen.add(cause)
                    picked.append(item)
            items = picked
        if items:
            print(f"\n{KINDS[kind]}:")
        for where, what, reproduce, why, _, _ in items:
            shown += 1
            if args.show and shown > args.show:
                print(f"... more not shown (--show 0 prints all)")
                return 1
            print(f"- {where}\n  edit: {what}\n  run:  {reproduce}\n  {why}")
    return 1

if __name__ == "__main__":
    sys.exit(main())
