"""WSL's own `_CreateTerminalProfile` as the oracle for `wslconst fragment`.

Pinned, and how: the functions in `UPSTREAM` are compiled verbatim from the
WSL tree the harness is given (WSLCONST_WSL_SRC; written against
3e27a6a50177ce4e32e72f7b957aef5db5768062), read at run time into the scratch
directory and never committed; scripts/wsl-oracle fingerprints their text and
reports drift. They are `LxssUserSessionImpl::_CreateTerminalProfile`, which
writes the fragment, and what decides its bytes: `CreateV5Uuid` and its
`EndianSwap` (wslutil.cpp), `GuidToString` and `WideToMultiByte`
(stringshared.h), the Windows `WideToMultiByte` those reach (string.cpp), and
init's `UtilReadFlavorAndVersion` (util.cpp), which reads the /etc/os-release
behind `wsl.distribution-type`/`-version`. Constants are pulled out of the same
files, verbatim too, and not fingerprinted (a change shows as differences):
the Terminal namespace GUIDs, `WSL_BINARY_NAME`, `WSL_DISTRIBUTION_ID_ARG`,
`GUID_FORMAT_STRING`, `GuidToStringFlags`, g_commonErrors' entries for the
HRESULTs the shims raise, and the caller's default template (a raw literal).

Around them: the shims of fragment/shims.h (Windows types, WIL, BCrypt over
Zig's SHA-1, a Windows std::filesystem::path, file writes recorded rather than
made), Zig's clang and libc++ for static musl with a 16-bit wchar_t (Windows'
width, which the GUIDs depend on: WSL hashes wide strings' bytes), and
nlohmann 3.12.x, the version WSL ships (checked). fragment/driver.cpp runs
every case in one process; `wslconst fragment --json` runs once per case. They
must agree on the fragment's path and exact bytes (and --json's GUIDs), or on
the warning or swallowed exception when WSL writes nothing. A name WSL refuses
at registration never reaches the function: for those, wslconst must refuse
it too and `wslconst guid tier1` must hash it as WSL's code does.

Cases: fragment/cases.py. Needs zig (ziglang, or $WSLCONST_ZIG), nlohmann
3.12 ($WSLCONST_NLOHMANN_INCLUDE, else the nlohmann-json wheel) and Microsoft
GSL ($WSLCONST_GSL_INCLUDE, else /usr/include). Run through scripts/wsl-oracle,
or alone:

    import sys, pathlib; sys.path.insert(0, "scripts/oracle"); import common, fragment
    fragment.run(common.Context(wsl_src=pathlib.Path("/tmp/up/wsl"), work=pathlib.Path("/tmp/oracle-work"),
                                wslconst=pathlib.Path("target/debug/wslconst"), log=print))
"""
from __future__ import annotations

import importlib.util
import json
import pathlib
import platform
import re
import subprocess
import sys
import uuid

import common

HERE = pathlib.Path(__file__).resolve().parent / "fragment"

LXSS_USER_SESSION = "src/windows/service/exe/LxssUserSession.cpp"
WSLUTIL_CPP = "src/windows/common/wslutil.cpp"
WSLUTIL_H = "src/windows/common/wslutil.h"
STRING_CPP = "src/windows/common/string.cpp"
STRINGSHARED_H = "src/shared/inc/stringshared.h"
WSL_H = "src/windows/inc/wsl.h"
UTIL_CPP = "src/linux/init/util.cpp"

UPSTREAM: list[tuple[str, str]] = [
    (LXSS_USER_SESSION, "LxssUserSessionImpl::_CreateTerminalProfile"),
    (WSLUTIL_CPP, "CreateV5Uuid"),
    (WSLUTIL_CPP, "EndianSwap"),
    (STRINGSHARED_H, "GuidToString"),
    (STRINGSHARED_H, "WideToMultiByte"),
    (STRING_CPP, "WideToMultiByte"),
    (UTIL_CPP, "UtilReadFlavorAndVersion"),
]

# The HRESULT names shims.h defines; g_commonErrors entries for others are left out.
SHIM_ERROR_NAMES = {"E_UNEXPECTED", "E_BOUNDS", "E_OUTOFMEMORY", "E_INVALIDARG",
                    "ERROR_INSUFFICIENT_BUFFER", "ERROR_UNHANDLED_EXCEPTION"}

# wslconst's wording (FragmentError::wsl_outcome) of what WSL does instead of writing.
WARNS = re.compile(r'WSL warns "Failed to parse terminal profile while registering distribution: (.*)" and writes no fragment\s*$', re.S)
THROWS = re.compile(r'WSL throws "(.*)", logs it, prints nothing and writes no fragment\s*$', re.S)


def _load_cases():
    spec = importlib.util.spec_from_file_location("fragment_cases", HERE / "cases.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolves annotations through it
    spec.loader.exec_module(module)
    return module


# --- Building -------------------------------------------------------------------

def _piece(ctx: common.Context, relative: str, pattern: str, what: str, flags: int = re.M) -> list[str]:
    """Every verbatim match of `pattern` in an upstream file, or an OracleError naming `what`."""
    text = ctx.upstream(relative).read_text(encoding="utf-8-sig")
    found = [m.group(0) for m in re.finditer(pattern, text, flags)]
    if not found:
        raise common.OracleError(f"{relative}: {what} not found; upstream moved or renamed it: adapt scripts/oracle/fragment.py")
    return found


def _upstream_sources(ctx: common.Context) -> dict[str, str]:
    """The scratch files upstream/*.inc: WSL's text, verbatim, one piece each."""
    macros = _piece(ctx, STRINGSHARED_H, r"^#define (?:STRING_TO_WIDE_STRING_INNER|STRING_TO_WIDE_STRING|GUID_FORMAT_STRING)\b.*$",
                    "GUID_FORMAT_STRING and STRING_TO_WIDE_STRING")
    macros += _piece(ctx, WSL_H, r"^#define (?:WSL_BINARY_NAME|WSL_DISTRIBUTION_ID_ARG)\b.*$", "WSL_BINARY_NAME and WSL_DISTRIBUTION_ID_ARG")
    if len(macros) != 5:
        raise common.OracleError(f"expected 5 #defines (GUID format, wsl.exe and --distribution-id), found {len(macros)}: adapt fragment.py")
    namespaces = _piece(ctx, WSLUTIL_H, r"^inline constexpr GUID (?:WslTerminalNamespace|GeneratedProfilesTerminalNamespace) = .*;$",
                        "WslTerminalNamespace and GeneratedProfilesTerminalNamespace")
    if len(namespaces) != 2:
        raise common.OracleError(f"{WSLUTIL_H}: expected the two Terminal namespace GUIDs, found {len(namespaces)}")
    flags = _piece(ctx, STRINGSHARED_H, r"^enum GuidToStringFlags\s*\{[^}]*\};", "enum GuidToStringFlags")
    default = _piece(ctx, LXSS_USER_SESSION, r'constexpr auto defaultProfile = R"\(.*?\)";', "the default template (defaultProfile)", re.S)
    # g_commonErrors: its X-macros and the entries for the HRESULTs the shims define.
    table = _piece(ctx, WSLUTIL_CPP, r"static const std::map<HRESULT, LPCWSTR> g_commonErrors\{.*?\};", "g_commonErrors", re.S)[0]
    defines = _piece(ctx, WSLUTIL_CPP, r"^#define X(?:_WIN32)?\(Error\) .*$", "g_commonErrors' X macros")
    entries = [line for line in table.splitlines()[1:]
               if (m := re.match(r"\s*X(?:_WIN32)?\((\w+)\)", line)) and m.group(1) in SHIM_ERROR_NAMES]
    # (The table's last entry carries its closing "};".)
    errors = "\n".join(defines + [table.splitlines()[0]] + [e.rstrip("};,") + "," for e in entries] + ["};"])
    return {
        "macros.inc": "\n".join(macros),
        "terminal-namespaces.inc": "\n".join(namespaces),
        "GuidToStringFlags.inc": flags[0],
        "GuidToString.inc": ctx.function(STRINGSHARED_H, "GuidToString"),
        "WideToMultiByte.shared.inc": ctx.function(STRINGSHARED_H, "WideToMultiByte"),
        "WideToMultiByte.windows.inc": ctx.function(STRING_CPP, "WideToMultiByte"),
        "EndianSwap.inc": ctx.function(WSLUTIL_CPP, "EndianSwap"),
        "CreateV5Uuid.inc": ctx.function(WSLUTIL_CPP, "CreateV5Uuid"),
        "common-errors.inc": errors,
        "CreateTerminalProfile.inc": ctx.function(LXSS_USER_SESSION, "LxssUserSessionImpl::_CreateTerminalProfile"),
        "default-template.inc": default[0],
        "UtilReadFlavorAndVersion.inc": ctx.function(UTIL_CPP, "UtilReadFlavorAndVersion"),
    }


def _hide_namespace(namespaces: str) -> uuid.UUID:
    """GeneratedProfilesTerminalNamespace, from its C initializer."""
    m = re.search(r"GeneratedProfilesTerminalNamespace = \{(0x\w+), (0x\w+), (0x\w+), \{([^}]*)\}\}", namespaces)
    if m is None:
        raise common.OracleError(f"{WSLUTIL_H}: GeneratedProfilesTerminalNamespace's initializer has a new shape: adapt fragment.py")
    tail = bytes(int(b, 16) for b in m.group(4).split(","))
    return uuid.UUID(bytes=int(m.group(1), 16).to_bytes(4, "big") + int(m.group(2), 16).to_bytes(2, "big")
                     + int(m.group(3), 16).to_bytes(2, "big") + tail)


def _nlohmann_include() -> pathlib.Path:
    spec = importlib.util.find_spec("nlohmann_json")
    default = str(pathlib.Path(spec.origin).parent / "include") if spec and spec.origin else "/usr/include"
    path = common.include_dir("WSLCONST_NLOHMANN_INCLUDE", default, "nlohmann/json.hpp", "python3 -m pip install nlohmann-json==3.12.0")
    # The single header defines the version in json.hpp, the split one in abi_macros.hpp.
    text = "".join(p.read_text(errors="replace") for p in [path / "nlohmann/json.hpp", path / "nlohmann/detail/abi_macros.hpp"] if p.exists())
    version = tuple(re.search(rf"#define NLOHMANN_JSON_VERSION_{part}\s+(\d+)", text).group(1) for part in ("MAJOR", "MINOR", "PATCH")) \
        if "NLOHMANN_JSON_VERSION_MAJOR" in text else None
    if version is None or version[:2] != ("3", "12"):
        found = ".".join(version) if version else "no version macros"
        raise common.OracleError(f"{path}/nlohmann/json.hpp is {found}; WSL ships 3.12: python3 -m pip install nlohmann-json==3.12.0, "
                                 "or set WSLCONST_NLOHMANN_INCLUDE to a 3.12 include directory")
    return path


def _build(ctx: common.Context, scratch: pathlib.Path, sources: dict[str, str]) -> pathlib.Path:
    """The oracle executable, built in `scratch`."""
    upstream = scratch / "upstream"
    upstream.mkdir()
    for name, text in sources.items():
        (upstream / name).write_text(text + "\n", encoding="utf-8")
    # Only nlohmann and GSL go on the include path, not all of /usr/include.
    include = scratch / "include"
    include.mkdir()
    (include / "nlohmann").symlink_to(_nlohmann_include() / "nlohmann")
    gsl = common.include_dir("WSLCONST_GSL_INCLUDE", "/usr/include", "gsl/gsl", "apt-get install libmsgsl-dev")
    (include / "gsl").symlink_to(gsl / "gsl")

    zig = common.zig_cxx()[:-1]
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
    # Static musl: WSL's init is built for musl too, and the 16-bit wide
    # functions of oracle.cpp replace musl's cleanly in a static link.
    target = f"{machine}-linux-musl"
    sha1 = scratch / "sha1.o"
    common.compile_cxx(zig + ["build-obj", str(HERE / "sha1.zig"), "-target", target, "-O", "ReleaseSmall",
                              f"-femit-bin={sha1}"], ctx.log)
    binary = scratch / "fragment-oracle"
    common.compile_cxx(zig + ["c++", "-target", target, "-std=c++20", "-fshort-wchar", "-O1",
                              "-I", str(scratch), "-I", str(include),
                              str(HERE / "driver.cpp"), str(HERE / "oracle.cpp"), str(sha1), "-o", str(binary)], ctx.log)
    return binary


# --- Running ---------------------------------------------------------------------

def _hex(text: str | bytes) -> str:
    return (text.encode() if isinstance(text, str) else text).hex()


def _oracle_outcomes(binary: pathlib.Path, scratch: pathlib.Path, cases: list, release_files: dict) -> dict[str, tuple]:
    """Each case id's outcome from WSL's code: ("fragment", path, bytes), ("warning", reason), ("logged", what) or ("other", events)."""
    lines = []
    for case in cases:
        guid = uuid.UUID(case.distribution_id.strip("{}")).hex
        lines.append("\t".join([
            case.id, _hex(case.name), guid, "-" if case.template is None else _hex(case.template),
            _hex(case.icon), _hex(case.system_dir), _hex(str(release_files[case.id])) if case.id in release_files else "-",
        ]))
    cases_file = scratch / "cases.tsv"
    cases_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([str(binary), str(cases_file)], capture_output=True)
    if done.returncode != 0:
        raise common.OracleError(f"the fragment oracle failed (exit {done.returncode}): {done.stderr.decode(errors='replace').strip()[-2000:]}")
    outcomes = {}
    for line in done.stdout.decode().splitlines():
        fields = line.split("\t")
        events = [(kind, bytes.fromhex(data)) for kind, data in (f.split(":", 1) for f in fields[3:])]
        kinds = [k for k, _ in events]
        data = dict(events)
        if "warning" in kinds:
            outcome = ("warning", data["warning"].decode("utf-8", "replace"))
        elif "logged" in kinds:
            outcome = ("logged", data["logged"].decode("utf-8", "replace"))
        elif kinds == ["mkdir", "create", "write", "registry"] and \
                data["registry"] == b"TerminalProfilePath=" + data["create"]:
            outcome = ("fragment", data["create"].decode(), data["write"])
        else:
            outcome = ("other", repr(events)[:300])
        outcomes[fields[0]] = outcome
    if len(outcomes) != len(cases):
        raise common.OracleError(f"the fragment oracle answered {len(outcomes)} of {len(cases)} cases")
    return outcomes


def _wslconst_outcome(ctx: common.Context, scratch: pathlib.Path, case, release_file: pathlib.Path | None) -> tuple:
    """The case's outcome from wslconst, in the oracle's terms, or ("name-refused",) / ("error", text)."""
    command = [ctx.wslconst, "fragment", f"--name={case.name}", f"--distribution-id={case.distribution_id}",
               f"--icon={case.icon}", f"--system-dir={case.system_dir}", "--json"]
    if case.template is not None:
        template = scratch / "template"
        template.write_bytes(case.template)
        command.append(f"--template={template}")
    if release_file is not None:
        command.append(f"--os-release={release_file}")
    done = common.run_bytes(command)
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode == 0:
        doc = json.loads(done.stdout)
        return ("fragment", doc["path"], doc["contents"].encode(), doc["profileGuid"], doc["hideGuid"])
    if done.returncode == 1 and "--name: " in stderr:
        return ("name-refused",)
    if done.returncode == 1 and (m := WARNS.search(stderr)):
        return ("warning", m.group(1))
    if done.returncode == 1 and (m := THROWS.search(stderr)):
        return ("logged", m.group(1))
    return ("error", f"exit {done.returncode}: {stderr.strip()[:300]}")


def _tier1s(ctx: common.Context, names: list[str]) -> list[str]:
    """`wslconst guid tier1` of each name, in one call."""
    done = common.run_bytes([ctx.wslconst, "guid", "tier1", "--stdin", "--null", "--format", "braced"],
                            stdin=b"".join(n.encode() + b"\0" for n in names))
    if done.returncode != 0:
        raise common.OracleError(f"wslconst guid tier1 failed: {done.stderr.decode(errors='replace')[:300]}")
    return done.stdout.decode().split()


def _show(outcome: tuple) -> str:
    if outcome[0] == "fragment":
        return f"fragment {outcome[1]!r}"
    return " ".join(str(x)[:200] for x in outcome)


def _bytes_difference(ours: bytes, theirs: bytes) -> str:
    """Where two fragments part, with a little of each."""
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    start = max(0, at - 30)
    return (f"contents differ at byte {at} (lengths {len(ours)}/{len(theirs)}): "
            f"wslconst {ours[start:at + 40]!r}, WSL {theirs[start:at + 40]!r}")


def _compare(case, ours: tuple, theirs: tuple, tier1: str | None) -> str | None:
    """What differs between wslconst (`ours`) and WSL (`theirs`) on a case, or None."""
    if case.name_refused:
        # WSL refuses the name before _CreateTerminalProfile; still, the hide
        # entry WSL's code computes must be wslconst's Tier 1 for the name.
        if ours[0] != "name-refused":
            return f"WSL refuses this name at registration; wslconst: {_show(ours)}"
        if theirs[0] != "fragment":
            return f"WSL's code wrote no fragment to take the hide GUID from: {_show(theirs)}"
        hide = json.loads(theirs[2])["profiles"][0]["updates"]
        return None if hide == tier1 else f"Tier 1 of the name: wslconst {tier1}, WSL {hide}"
    if ours[0] != theirs[0]:
        return f"wslconst: {_show(ours)}; WSL: {_show(theirs)}"
    if ours[0] == "fragment":
        if ours[1] != theirs[1]:
            return f"path: wslconst {ours[1]!r}, WSL {theirs[1]!r}"
        if ours[2] != theirs[2]:
            return _bytes_difference(ours[2], theirs[2])
        # --json's GUIDs: the one WSL names the file after, and one WSL's
        # fragment hides (added by WSL or already in the template).
        named = theirs[1].rsplit("\\", 1)[-1].removesuffix(".json")
        if ours[3] != named:
            return f"profileGuid: wslconst {ours[3]}, WSL names the file {named}"
        hidden = [e.get("updates") for e in json.loads(theirs[2])["profiles"] if isinstance(e, dict)]
        if ours[4] not in hidden:
            return f"hideGuid: wslconst {ours[4]}, WSL's fragment hides {[h for h in hidden if h is not None]}"
        return None
    if ours[0] in ("warning", "logged"):
        return None if ours[1] == theirs[1] else f"{ours[0]}: wslconst {ours[1]!r}, WSL {theirs[1]!r}"
    return f"wslconst: {_show(ours)}; WSL: {_show(theirs)}"


def run(ctx: common.Context) -> common.Outcome:
    """Builds the oracle, runs every case through it and through wslconst, and compares."""
    if not pathlib.Path(ctx.wslconst).is_file():
        raise common.OracleError(f"{ctx.wslconst}: not built: cargo build -q -p wslconst-cli")
    scratch = ctx.scratch("fragment")
    sources = _upstream_sources(ctx)
    binary = _build(ctx, scratch, sources)

    cases = _load_cases().generate(common.ROOT, _hide_namespace(sources["terminal-namespaces.inc"]))
    releases = scratch / "os-release"
    releases.mkdir()
    release_files = {}
    for n, case in enumerate(cases):
        if case.os_release is not None:
            release_files[case.id] = releases / f"{n:04}"
            release_files[case.id].write_bytes(case.os_release)
    ctx.log(f"fragment: {len(cases)} cases through WSL's _CreateTerminalProfile")
    theirs = _oracle_outcomes(binary, scratch, cases, release_files)

    ctx.log(f"fragment: {len(cases)} cases through {ctx.wslconst} fragment")
    refused = [c.name for c in cases if c.name_refused]
    tier1 = dict(zip(refused, _tier1s(ctx, refused))) if refused else {}
    differences = {}
    for case in cases:
        ours = _wslconst_outcome(ctx, scratch, case, release_files.get(case.id))
        difference = _compare(case, ours, theirs[case.id], tier1.get(case.name))
        if difference is not None:
            differences[case.id] = difference
    return common.Outcome(cases=len(cases), differences=differences)
