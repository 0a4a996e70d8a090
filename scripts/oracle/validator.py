"""WSL's own image validator (`distributions/validate-modern.py --tar`) against `wslconst check-image`.

Pinned: the validator whole and the requirements it runs with (UPSTREAM,
both None: the whole file). The validator is run from the WSL tree as it
is, never copied into the repository, with the Python packages of the
tree's `distributions/requirements.txt` installed from PyPI into a venv in
the harness's work directory (`validator-venv`, reused while the
requirements are the same), or with `WSLCONST_VALIDATOR_PYTHON`, a Python
that already has them (Nix). python-magic needs libmagic (Debian:
libmagic1).

The cases are .wsl images this oracle builds itself (validator/images.py:
a baseline every rule passes, one image per rule of the validator, the
documented differences, a few combinations), so no distribution's content
is involved. Each image goes to both tools; in --tar mode the validator
always exits 0 and prints `Error: ...` and `Warning: ...` lines, which
`VALIDATOR_MESSAGES` maps to the wslconst rule that says the same thing.
Per image the two sides' findings are compared as sets of
(rule, subject) -> severity, where the subject is the file, the conf key
or the unknown key a finding is about. A finding one side has and the
other lacks, a severity mismatch, a validator message the mapping does
not know, and a validator crash (a traceback) are differences; the
harness keeps the expected ones with their reasons.

check-image's security findings (`security` in its report) are not
compared: the validator has no such rules.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import common

HERE = pathlib.Path(__file__).resolve().parent


def _load_images():
    """validator/images.py, the case generator, under a name no other module has."""
    spec = importlib.util.spec_from_file_location("wslconst_validator_images", HERE / "validator" / "images.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


images = _load_images()

VALIDATOR = "distributions/validate-modern.py"
REQUIREMENTS = "distributions/requirements.txt"

UPSTREAM = [
    (VALIDATOR, None),
    (REQUIREMENTS, None),
]

# What the validator imports (its requirements, and requests, which PyGithub
# brings): checked once so a broken environment is one clear error rather
# than a crash on every image.
IMPORTS = "import click, jsoncfg, requests, magic, git, github"

CONF = "/etc/wsl-distribution.conf"

# --- The mapping ----------------------------------------------------------------

# Each message validate-modern.py prints in --tar mode (the text after
# "Error: " or "Warning: "), the wslconst rule that says the same thing,
# and the subject: a path, a conf key, or "" for a fact about the whole
# file. `rule/facet` splits one wslconst rule that covers several facts
# (its facet is told from the message, `WSLCONST_FACETS`). "{keys}" stands
# for one finding per key of the list the message holds, as wslconst
# reports each unknown key on its own.
VALIDATOR_MESSAGES: list[tuple[str, str, str]] = [
    (r'File "(?P<path>.*)" not found in tar', "missing-file", "{path}"),
    (r'file: "(?P<path>.*)" has unexpected mode: .*', "file-mode", "{path}"),
    (r'file: "(?P<path>.*)" has unexpected uid: .*', "file-owner/uid", "{path}"),
    (r'file: "(?P<path>.*)" has unexpected gid: .*', "file-owner/gid", "{path}"),
    (r'file: "(?P<path>.*)" is too big \(\d+\), max: \d+', "file-size", "{path}"),
    (r'file: "(?P<path>.*)" has unexpected magic type: .*', "elf-arch", "{path}"),
    (r'Found unexpected_keys in "/etc/wsl-distribution\.conf": (?P<keys>\[.*\])', "unknown-key", CONF + " {keys}"),
    (r'Found unexpected_keys in "/etc/wsl\.conf": (?P<keys>\[.*\])', "wsl-conf-key", "{keys}"),
    (r"value for oobe\.command is not under .*", "path-location", "oobe.command"),
    (r"value for shortcut\.icon is not under .*", "path-location", "shortcut.icon"),
    (r"value for windowsterminal\.profileTemplate is not under .*", "path-location", "windowsterminal.profiletemplate"),
    (r"Default UID is not 1000\. Found: .*", "uid-not-1000", ""),
    (r"No shortcut\.icon provided", "icon-missing", ""),
    (r"Found discouraged wsl\.conf key: user\.default=.*", "wsl-conf-user-default", ""),
    (r"Invalid passwd entry: .*", "passwd/entry", ""),
    (r"found duplicated uid in /etc/passw: .*", "passwd/duplicate", ""),
    (r"No root \(uid=0\) found in /etc/passwd", "passwd/no-root", ""),
    (r"/etc/passwd has a uid=0, but it is not root: .*", "passwd/not-root", ""),
    (r"/etc/passwd already has an entry for default uid: .*", "passwd/default-uid", ""),
    (r"Found discouraged system unit: (?P<path>.*)", "systemd-unit", "{path}"),
    (r"Found extended attributes that are not supported in WSL1: .*\. Sample file: (?P<path>.*)", "xattr", "{path}"),
    # Printed by get_tar_file (print, not warning()), before "not found"; it
    # names the link it was at when its depth ran out, so no subject (as
    # NO_SUBJECT has it for wslconst's).
    (r"Exceeded maximum symlink depth when reading: .*", "symlink-loop", ""),
]

# wslconst rules that say what a validator message says under another name.
WSLCONST_ALIASES = {
    # The template check's own "over 1 MiB", beside image_check's file-size.
    "too-large": "file-size",
    # 01750: the validator says "not 1000", wslconst says "octal, means 1000".
    "octal-uid": "uid-not-1000",
}

# The facet of a wslconst finding whose rule covers several facts, by its message.
WSLCONST_FACETS = {
    "file-owner": [(r"owned by uid", "uid"), (r"has gid", "gid")],
    "passwd": [
        (r"^not a passwd entry", "entry"),
        (r"appears twice", "duplicate"),
        (r"^no root", "no-root"),
        (r"not root$", "not-root"),
        (r"already has", "default-uid"),
    ],
}

# Rules whose subject is the conf key the message names, not a path: the
# conf's and the template check's path-location (and path-dotdot) about
# the same value are one finding.
KEY_SUBJECT = {
    "path-location": [
        (r"oobe\.command", "oobe.command"),
        (r"shortcut\.icon", "shortcut.icon"),
        (r"profileTemplate|template path", "windowsterminal.profiletemplate"),
    ],
    "path-dotdot": [(r"shortcut\.icon", "shortcut.icon"), (r"profileTemplate|template path", "windowsterminal.profiletemplate")],
}

# Rules about a whole file or a value, whose subject is "" on both sides.
# A link loop is one too (see the validator's message above).
NO_SUBJECT = {"uid-not-1000", "icon-missing", "wsl-conf-user-default", "passwd", "no-default-name", "symlink-loop"}


@dataclasses.dataclass(frozen=True)
class Finding:
    """One side's finding, mapped: rule (with facet), subject, severity, and the words it was said in."""

    rule: str
    subject: str
    severity: str
    text: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule, self.subject)


def normalized(subject: str) -> str:
    """A tar member or absolute path as one absolute path: ./etc/x, etc/x and /etc/x are /etc/x."""
    if not subject or not ("/" in subject):
        return subject
    path = subject.strip()
    if path.startswith("./"):
        path = path[2:]
    return "/" + path.lstrip("/").rstrip("/")


def validator_findings(message: str, severity: str) -> list[Finding]:
    """The mapped findings of one validator line; an unknown message maps to `unmapped`."""
    for pattern, rule, subject in VALIDATOR_MESSAGES:
        match = re.fullmatch(pattern, message, re.S)
        if not match:
            continue
        groups = match.groupdict()
        if "{keys}" in subject:
            # The message holds a Python list: one finding per key.
            keys = ast.literal_eval(groups["keys"])
            return [Finding(rule, subject.replace("{keys}", k.casefold()), severity, message) for k in keys]
        return [Finding(rule, normalized(subject.format(**groups)), severity, message)]
    return [Finding("unmapped", message, severity, message)]


def wslconst_finding(rule: dict) -> Finding:
    """A check-image finding, mapped to the same terms."""
    name = WSLCONST_ALIASES.get(rule["rule"], rule["rule"])
    message = rule["message"]
    subject = normalized(rule.get("path") or "")
    for pattern, facet in WSLCONST_FACETS.get(name, []):
        if re.search(pattern, message):
            name = f"{name}/{facet}"
            break
    else:
        if name in WSLCONST_FACETS:
            name += "/?"  # a wording the oracle does not know: shown as a difference
    if name.split("/")[0] in NO_SUBJECT:
        subject = ""
    elif name in KEY_SUBJECT:
        subject = next((key for pattern, key in KEY_SUBJECT[name] if re.search(pattern, message)), subject)
    elif name == "unknown-key":
        key = re.match(r"unknown key (\S+?):", message)
        subject = f"{subject} {key.group(1).casefold()}" if key else subject
    elif name == "wsl-conf-key":
        key = re.match(r"WSL does not read (\S+) from", message)
        subject = key.group(1).casefold() if key else subject
    return Finding(name, subject, rule["severity"], message)


# --- Running the two sides --------------------------------------------------------


def validator_python(ctx: common.Context) -> pathlib.Path:
    """A Python with the validator's requirements: $WSLCONST_VALIDATOR_PYTHON, else the work directory's venv."""
    override = os.environ.get("WSLCONST_VALIDATOR_PYTHON")
    if override:
        python = pathlib.Path(override)
        check_imports(python, f"WSLCONST_VALIDATOR_PYTHON={override}")
        return python
    requirements = ctx.upstream(REQUIREMENTS)
    wanted = requirements.read_bytes()
    venv = ctx.work / "validator-venv"
    python = venv / "bin" / "python"
    # The tree's requirements, copied in once pip has installed them: the venv
    # is reused while they are the same, and a half-made one never is.
    stamp = venv / "wslconst-requirements.txt"
    if python.exists() and stamp.exists() and stamp.read_bytes() == wanted:
        check_imports(python, str(venv))
        return python
    ctx.log(f"validator: creating {venv} with {REQUIREMENTS}")
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        raise common.OracleError(
            f"could not create a venv at {venv} ({made.stderr.strip().splitlines()[-1:]}): "
            "install Python's venv module (Debian: apt-get install python3-venv), or set WSLCONST_VALIDATOR_PYTHON"
        )
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)],
        capture_output=True, text=True,
    )
    if pip.returncode != 0:
        last = "\n  ".join(pip.stderr.strip().splitlines()[-4:])
        raise common.OracleError(
            f"pip could not install the validator's requirements ({requirements}) from PyPI; offline? "
            f"Set WSLCONST_VALIDATOR_PYTHON to a Python that has them (Nix: python3.withPackages with "
            f"python-magic, click, GitPython, PyGithub, json-cfg). pip said:\n  {last}"
        )
    check_imports(python, str(venv))
    stamp.write_bytes(wanted)
    return python


def check_imports(python: pathlib.Path, where: str) -> None:
    """The validator's imports work in `python`, or an OracleError saying what to install."""
    try:
        done = subprocess.run([str(python), "-c", IMPORTS], capture_output=True, text=True, env=validator_env())
    except OSError as e:
        raise common.OracleError(f"{where}: cannot run {python}: {e}") from None
    if done.returncode == 0:
        return
    last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
    if "libmagic" in done.stderr:
        raise common.OracleError(f"python-magic finds no libmagic ({last}): apt-get install libmagic1 (Nix: file)")
    raise common.OracleError(f"{where}: the validator's imports fail ({last}); install {REQUIREMENTS} into it")


def validator_env() -> dict:
    env = dict(os.environ)
    # GitPython looks for a git executable on import; --tar mode never uses it.
    env["GIT_PYTHON_REFRESH"] = "quiet"
    # Messages quote file contents: print them whatever the locale.
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@dataclasses.dataclass
class Side:
    """What one tool said of one image: its mapped findings, or why it said nothing usable."""

    findings: list[Finding]
    failure: str | None = None


def run_validator(python: pathlib.Path, script: pathlib.Path, image: pathlib.Path, arm64: bool) -> Side:
    command = [str(python), str(script), "--tar", str(image)] + (["--arm64"] if arm64 else [])
    try:
        done = subprocess.run(command, capture_output=True, cwd=image.parent, env=validator_env(), timeout=120)
    except subprocess.TimeoutExpired:
        return Side([], "validate-modern.py timed out after 120 s")
    out = done.stdout.decode("utf-8", "replace")
    findings = []
    # Each finding starts a line; a message may end with the passwd line's own
    # newline, so lines starting neither way belong to no finding.
    for line in out.splitlines():
        for prefix, severity in (("Error: ", "error"), ("Warning: ", "warning")):
            if line.startswith(prefix):
                findings.extend(validator_findings(line[len(prefix):], severity))
    if done.returncode != 0:
        return Side(findings, "validate-modern.py " + failure(done))
    return Side(findings)


def failure(done: subprocess.CompletedProcess) -> str:
    """What a failed validator run ended with: a traceback's exception, else its last line."""
    err = [l for l in done.stderr.decode("utf-8", "replace").splitlines() if l.strip()]
    if any(l.startswith("Traceback") for l in err):
        # Frames are indented; the exception is what follows the last one, and
        # its message may span lines (configparser quotes the line it choked on).
        last_frame = max((i for i, l in enumerate(err) if l.startswith(" ")), default=0)
        return "crashed: " + " ".join(l.strip() for l in err[last_frame + 1:])
    return f"exited {done.returncode}: " + (err[-1].strip() if err else "no output")


def run_wslconst(exe: pathlib.Path, image: pathlib.Path, arm64: bool) -> Side:
    done = common.run_bytes([exe, "check-image", image, "--json"] + (["--arm64"] if arm64 else []))
    if done.returncode == 2:
        # Unreadable as an image: check-image's one error, as a finding.
        message = done.stderr.decode("utf-8", "replace").strip().replace(str(image), image.name)
        return Side([Finding("unreadable", "", "error", message)])
    if done.returncode not in (0, 1):
        raise common.OracleError(f"wslconst check-image failed on {image} (exit {done.returncode}): {done.stderr.decode(errors='replace')}")
    report = json.loads(done.stdout)
    return Side([wslconst_finding(r) for r in report["rules"]])


# --- Comparing ---------------------------------------------------------------------


def shown(finding: Finding) -> str:
    """One finding in a difference: severity, rule, subject, and its words, shortened."""
    text = finding.text.strip().replace("\n", "\\n")
    text = text if len(text) <= 110 else text[:107] + "..."
    if finding.rule == "unmapped":
        return f"{finding.severity} {text!r}, a message VALIDATOR_MESSAGES does not map: map it"
    subject = f" {finding.subject}" if finding.subject else ""
    return f"{finding.severity} {finding.rule}{subject} ({text})"


def grouped(findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """Findings by (rule, subject): one side may say one thing twice (a file-size and a too-large)."""
    out: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        out.setdefault(finding.key, []).append(finding)
    return out


def compare(theirs: Side, ours: Side) -> str | None:
    """How the validator's findings and check-image's differ, or None."""
    if theirs.failure:
        said = ", ".join(f"{f.severity} {f.rule}" + (f" {f.subject}" if f.subject else "") for f in ours.findings) or "nothing"
        return f"{theirs.failure}; wslconst: {said}"
    validator, wslconst = grouped(theirs.findings), grouped(ours.findings)
    wrong = []
    for key in sorted(set(validator) | set(wslconst)):
        v, w = validator.get(key, []), wslconst.get(key, [])
        if {f.severity for f in v} == {f.severity for f in w}:
            continue
        if v and w:
            wrong.append(f"severity: validator {shown(v[0])}, wslconst {shown(w[0])}")
        elif v:
            wrong.append(f"validator only: {shown(v[0])}")
        else:
            wrong.append(f"wslconst only: {shown(w[0])}")
    return "; ".join(wrong) or None


def run(ctx: common.Context) -> common.Outcome:
    script = ctx.upstream(VALIDATOR)
    python = validator_python(ctx)
    scratch = ctx.scratch("validator-images")
    differences = {}
    for case in images.CASES.values():
        path, image = images.write(case, scratch)
        arm64 = image.arch == "arm64"
        found = compare(run_validator(python, script, path, arm64), run_wslconst(ctx.wslconst, path, arm64))
        if found:
            differences[case.id] = found
    return common.Outcome(cases=len(images.CASES), differences=differences)


def show(ctx: common.Context, case_ids: list[str]) -> None:
    """Prints both sides' mapped findings for each case (all when none is named): to judge a difference."""
    script, python = ctx.upstream(VALIDATOR), validator_python(ctx)
    scratch = ctx.scratch("validator-images")
    for case in images.CASES.values():
        if case_ids and case.id not in case_ids:
            continue
        path, image = images.write(case, scratch)
        arm64 = image.arch == "arm64"
        theirs, ours = run_validator(python, script, path, arm64), run_wslconst(ctx.wslconst, path, arm64)
        print(f"{case.id}: {case.about}")
        for side, said in (("validator", theirs), ("wslconst ", ours)):
            lines = [shown(f) for f in said.findings] + ([said.failure] if said.failure else [])
            print(f"  {side}: " + ("\n             ".join(lines) or "nothing"))


if __name__ == "__main__":
    # python3 scripts/oracle/validator.py [CASE_ID ...]: the findings of each
    # side, with the WSL tree in WSLCONST_WSL_SRC and wslconst already built.
    show(
        common.Context(
            wsl_src=pathlib.Path(os.environ.get("WSLCONST_WSL_SRC", "/tmp/up/wsl")),
            work=pathlib.Path(os.environ.get("WSLCONST_ORACLE_WORK", "/tmp/oracle-work")),
            wslconst=common.ROOT / "target/debug/wslconst",
            log=print,
        ),
        sys.argv[1:],
    )
