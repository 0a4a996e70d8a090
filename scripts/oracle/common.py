"""What every WSL oracle shares: the upstream tree, the compiler, the cases' outcome.

An oracle builds one piece of WSL's own code from a tree named by
WSLCONST_WSL_SRC, runs it on generated cases beside the wslconst model of the
same behaviour, and returns an `Outcome`: how many cases ran and, per case id,
how the two disagreed. `scripts/wsl-oracle` holds the list of known
differences and fails on any other.

Nothing here, and nothing an oracle writes into the repository, holds upstream
code: the upstream text is read from the tree at run time, into a scratch
directory.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
from typing import Callable

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


class OracleError(Exception):
    """A failure to build or run an oracle (not a disagreement): the message says what to do."""


@dataclasses.dataclass
class Outcome:
    """What one oracle found: `cases` run, and each disagreeing case id with its details."""

    cases: int
    differences: dict[str, str]


@dataclasses.dataclass
class Context:
    """Everything an oracle needs, resolved once by the harness."""

    wsl_src: pathlib.Path
    work: pathlib.Path
    wslconst: pathlib.Path
    log: Callable[[str], None]

    def upstream(self, relative: str) -> pathlib.Path:
        """A file of the WSL tree, or an OracleError naming it."""
        path = self.wsl_src / relative
        if not path.is_file():
            raise OracleError(f"{relative}: not in the WSL tree {self.wsl_src}; is WSLCONST_WSL_SRC a microsoft/WSL checkout?")
        return path

    def function(self, relative: str, name: str | None) -> str:
        """The verbatim text of function `name` (every overload) in the tree's `relative`; None: the whole file."""
        text = self.upstream(relative).read_text(encoding="utf-8-sig")
        return text if name is None else function_text(text, name, relative)

    def scratch(self, name: str) -> pathlib.Path:
        """A fresh directory for one oracle's build."""
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path


def zig_cxx() -> list[str]:
    """The `zig c++` command: $WSLCONST_ZIG if set (Nix), else PyPI's ziglang."""
    if os.environ.get("WSLCONST_ZIG"):
        return [os.environ["WSLCONST_ZIG"], "c++"]
    try:
        import ziglang  # noqa: F401  (only to say what is missing)
    except ImportError:
        raise OracleError("zig not found: `python3 -m pip install ziglang`, or set WSLCONST_ZIG to a zig binary") from None
    return [sys.executable, "-m", "ziglang", "c++"]


def include_dir(variable: str, default: str, marker: str, install: str) -> pathlib.Path:
    """An include directory holding `marker`: $variable, else `default`, else an OracleError."""
    path = pathlib.Path(os.environ.get(variable) or default)
    if not (path / marker).exists():
        raise OracleError(f"{marker} not found in {path}: {install}, or set {variable} to the directory holding it")
    return path


def compile_cxx(command: list[str], log: Callable[[str], None]) -> None:
    """Runs a compiler; on failure an OracleError carrying its first errors."""
    log(" ".join(str(c) for c in command[:3]) + " ...")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if "error" in line][:12]
        raise OracleError("the oracle did not compile:\n  " + "\n  ".join(errors or done.stderr.splitlines()[-12:]))


def run_bytes(command: list, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Runs a command with bytes in and out."""
    return subprocess.run([str(c) for c in command], input=stdin, capture_output=True)


# --- Upstream function text -------------------------------------------------

_SKIP = re.compile(
    r'//[^\n]*|/\*.*?\*/|R"([^(\s]*)\(.*?\)\1"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
    re.S,
)


def _code_mask(text: str) -> str:
    """`text` with comments and string/char literals blanked, offsets kept."""
    return _SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _matching(mask: str, start: int, open_: str, close: str) -> int:
    """Offset just past the bracket closing the one at `start`."""
    depth = 0
    for i in range(start, len(mask)):
        if mask[i] == open_:
            depth += 1
        elif mask[i] == close:
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced")


_KEYWORDS = {"if", "while", "for", "switch", "return", "catch", "sizeof", "decltype", "static_assert", "defined"}


def _definitions(text: str, name: str | None) -> list[tuple[str, str]]:
    """(name, text) of each function definition in `text`, or of `name`'s only.

    A definition is `name(...)` followed (after qualifiers) by a body,
    including a function-try-block's handlers (`try { } catch ... { }` or
    WIL's `CATCH_LOG();`), from the line its declaration starts on.
    """
    mask = _code_mask(text)
    wanted = r"(?:\w+::)*" + (re.escape(name) if name else r"~?\w+")
    found = []
    position = 0
    for match in re.finditer(r"(?<![\w:.>~])(" + wanted + r")\s*\(", mask):
        if match.start() < position:
            continue
        # Calls sit inside a body; a definition's name starts its line's code
        # (after the return type), so its line holds no `;` or `=` before it.
        line_start = mask.rfind("\n", 0, match.start()) + 1
        if re.search(r"[;=({]|return", mask[line_start:match.start()]) or match.group(1).split("::")[-1] in _KEYWORDS:
            continue
        try:
            after = _matching(mask, match.end() - 1, "(", ")")
        except ValueError:
            continue
        tail = re.match(r"(?:\s|const\b|noexcept\b|override\b|->\s*[\w:<>,\s*&]+?(?=\s*[{t])|try\b)*", mask[after:])
        body = after + tail.end()
        if body >= len(mask) or mask[body] != "{":
            continue
        end = _matching(mask, body, "{", "}")
        handlers = re.compile(r"\s*(?:catch\s*\([^)]*\)\s*|CATCH_\w+\s*\([^)]*\)\s*;)")
        while (h := handlers.match(mask, end)) is not None:
            end = h.end()
            if mask[end - 1] != ";":
                end = _matching(mask, end, "{", "}")
        # The declaration starts after the previous statement, block or blank line.
        start = line_start
        while start > 0:
            previous = mask.rfind("\n", 0, start - 1) + 1
            line = mask[previous:start - 1].strip()
            if not line or line.endswith((";", "}", "{")) or line.startswith("#"):
                break
            start = previous
        found.append((match.group(1), text[start:end]))
        # A definition's body holds no other definition worth naming.
        position = end
    return found


def function_text(text: str, name: str, where: str) -> str:
    """Every definition of `name` in `text`; overloads joined in file order, so
    a change to any of them is a change to the function."""
    pieces = [body for _, body in _definitions(text, name)]
    if not pieces:
        raise OracleError(f"{where}: no definition of `{name}`; upstream renamed or moved it: find it, adapt the oracle's shim, then re-pin")
    return "\n".join(pieces)


def function_fingerprints(text: str) -> dict[str, str]:
    """The fingerprint of every function defined in a file, by name (overloads joined)."""
    by_name: dict[str, list[str]] = {}
    for name, body in _definitions(text, None):
        by_name.setdefault(name, []).append(body)
    return {name: fingerprint("\n".join(bodies)) for name, bodies in by_name.items()}


def fingerprint(text: str) -> str:
    """The SHA-256 of a function's text, as pinned."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
