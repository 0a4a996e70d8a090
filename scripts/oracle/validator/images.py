"""Images for the validator oracle: .wsl files built here, byte for byte the same on every run.

Nothing in them comes from a distribution or from WSL: the root is a few
hand-written files (/etc/passwd, /etc/shadow, /etc/os-release, a conf, an OOBE
script, an icon, a profile template, /etc/wsl.conf, systemd links) and ELF
executables crafted below, each an ELF header, one PT_LOAD and an `exit(0)`.

`BASELINE` passes every rule of validate-modern.py and of check-image. Each
case changes one thing (a mode, an owner, a key, a link, the compression...)
so that one rule of the validator fires, or a documented difference shows;
a few combine faults. `CASES` maps a stable id ("image/conf-mode-600") to the
case; `write(case, directory)` packs it.

Packing is deterministic: fixed mtimes and owner names, PAX format (so
SCHILY.xattr.* records can be written), gzip with no name and mtime 0, xz
and bzip2 from the standard library.
"""
from __future__ import annotations

import bz2
import copy
import dataclasses
import gzip
import io
import lzma
import pathlib
import struct
import tarfile
from typing import Callable

MTIME = 1_700_000_000

CONF = "/etc/wsl-distribution.conf"
WSL_CONF = "/etc/wsl.conf"
OOBE = "/usr/lib/wsl/oobe.sh"
ICON = "/usr/share/wsl/oracle.ico"
TEMPLATE = "/usr/lib/wsl/terminal-profile.json"

# --- Crafted file contents ----------------------------------------------------

# e_machine, and `exit(0)` in the machine's code.
MACHINES = {
    "x64": (62, bytes.fromhex("b83c000000" "31ff" "0f05")),  # mov eax,60; xor edi,edi; syscall
    "arm64": (183, bytes.fromhex("a80b80d2" "000080d2" "010000d4")),  # mov x8,#93; mov x0,#0; svc #0
    "i386": (3, bytes.fromhex("b801000000" "31db" "cd80")),  # mov eax,1; xor ebx,ebx; int 0x80
}


def elf(arch: str = "x64", *, big_endian: bool = False, version: int = 1) -> bytes:
    """A minimal static ELF executable: what libmagic calls `ELF 64-bit LSB executable, x86-64, version 1 (SYSV)`.

    `i386` gives a 32-bit one. `big_endian` and `version` (EI_VERSION) exist
    to build the headers that libmagic and check-image may read differently.
    """
    machine, code = MACHINES[arch]
    end = ">" if big_endian else "<"
    data = 2 if big_endian else 1
    base = 0x400000 if arch != "i386" else 0x8048000
    if arch == "i386":
        ehsize, phsize = 52, 32
        entry = base + ehsize + phsize
        ident = b"\x7fELF" + bytes([1, data, version, 0]) + bytes(8)
        header = ident + struct.pack(end + "HHIIIIIHHHHHH", 2, machine, 1, entry, ehsize, 0, 0, ehsize, phsize, 1, 40, 0, 0)
        size = ehsize + phsize + len(code)
        program = struct.pack(end + "IIIIIIII", 1, 0, base, base, size, size, 5, 0x1000)
    else:
        ehsize, phsize = 64, 56
        entry = base + ehsize + phsize
        ident = b"\x7fELF" + bytes([2, data, version, 0]) + bytes(8)
        header = ident + struct.pack(end + "HHIQQQIHHHHHH", 2, machine, 1, entry, ehsize, 0, 0, ehsize, phsize, 1, 64, 0, 0)
        size = ehsize + phsize + len(code)
        program = struct.pack(end + "IIQQQQQQ", 1, 5, 0, base, base, size, size, 0x1000)
    return header + program + code


def ico() -> bytes:
    """A 1x1 icon: ICONDIR, one entry, a 32-bit BMP (header, one pixel, the AND mask)."""
    bitmap = struct.pack("<IiiHHIIiiII", 40, 1, 2, 1, 32, 0, 8, 0, 0, 0, 0) + b"\x00\x80\xff\xff" + bytes(4)
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 1, 1, 0, 0, 1, 32, len(bitmap), 22) + bitmap


DISTRIBUTION_CONF = b"""# The oracle's baseline conf: every key WSL reads, each valid.
[oobe]
command = /usr/lib/wsl/oobe.sh
defaultUid = 1000
defaultName = WslconstOracle

[shortcut]
enabled = true
icon = /usr/share/wsl/oracle.ico

[windowsterminal]
enabled = true
profileTemplate = /usr/lib/wsl/terminal-profile.json
"""

PROFILE_TEMPLATE = b"""{
  "profiles": [
    {
      "colorScheme": "Oracle",
      "cursorShape": "bar"
    }
  ],
  "schemes": [
    {
      "name": "Oracle",
      "background": "#101010",
      "foreground": "#E0E0E0",
      "black": "#000000",
      "red": "#C01C28",
      "green": "#26A269",
      "yellow": "#A2734C",
      "blue": "#12488B",
      "purple": "#A347BA",
      "cyan": "#2AA1B3",
      "white": "#D0CFCC",
      "brightBlack": "#5E5C64",
      "brightRed": "#F66151",
      "brightGreen": "#33DA7A",
      "brightYellow": "#E9AD0C",
      "brightBlue": "#2A7BDE",
      "brightPurple": "#C061CB",
      "brightCyan": "#33C7DE",
      "brightWhite": "#FFFFFF"
    }
  ]
}
"""

PASSWD = b"""root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""

SHADOW = b"""root:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
"""

OS_RELEASE = b"""PRETTY_NAME="wslconst oracle image"
NAME="WslconstOracle"
ID=wslconst-oracle
VERSION_ID="1"
"""

OOBE_SCRIPT = b"""#!/bin/sh
# Creates the first user: what a distro's OOBE does.
set -e
echo 'Create a default user:'
"""

WSL_CONF_TEXT = b"""[boot]
systemd = true

[automount]
enabled = true
"""

UNIT = b"[Unit]\nDescription=A unit\n\n[Service]\nExecStart=/bin/sh\n"


# --- The image model ------------------------------------------------------------


@dataclasses.dataclass
class Entry:
    """One member: `kind` is file, dir, symlink or hardlink; `link` a link's target as stored."""

    kind: str = "file"
    data: bytes = b""
    mode: int = 0o644
    uid: int = 0
    gid: int = 0
    link: str = ""
    pax: dict[str, str] = dataclasses.field(default_factory=dict)
    # The mode field as written in the header, when it must hold more than
    # tarfile writes (which keeps the permission bits only).
    raw_mode: int | None = None


@dataclasses.dataclass
class Image:
    """A root filesystem (absolute path -> Entry, in archive order) and how it is packed."""

    entries: dict[str, Entry]
    compression: str = "gzip"  # gzip, xz, none, bzip2
    arch: str = "x64"  # which architecture both tools check /bin/sh against
    prefix: str = "./"  # how member names start: "./", "" or "/"
    directories: bool = True  # add each parent directory before the files
    raw: Callable[[bytes], bytes] | None = None  # replaces the packed tar (before compression)

    # Editing helpers; each returns the image so cases can chain them.
    def file(self, path: str, data: bytes, mode: int = 0o644, **kw) -> "Image":
        self.entries[path] = Entry("file", data, mode, **kw)
        return self

    def symlink(self, path: str, target: str) -> "Image":
        self.entries[path] = Entry("symlink", mode=0o777, link=target)
        return self

    def hardlink(self, path: str, target: str) -> "Image":
        """A hard link to `target` (an absolute path of the image, stored as a member name).

        Its header carries the target's mode and owner, as tar writes it.
        """
        linked = self.entries.get(target, Entry(mode=0o755))
        self.entries[path] = Entry("hardlink", mode=linked.mode, uid=linked.uid, gid=linked.gid, link=target)
        return self

    def dir(self, path: str, mode: int = 0o755) -> "Image":
        self.entries[path] = Entry("dir", mode=mode)
        return self

    def set(self, path: str, **changes) -> "Image":
        entry = self.entries[path]
        for key, value in changes.items():
            setattr(entry, key, value)
        return self

    def remove(self, *paths: str) -> "Image":
        for path in paths:
            del self.entries[path]
        return self

    def conf(self, text: bytes) -> "Image":
        return self.set(CONF, data=text)

    def conf_replace(self, old: bytes, new: bytes) -> "Image":
        data = self.entries[CONF].data
        assert old in data, old
        return self.conf(data.replace(old, new))

    def move_to_end(self, *paths: str) -> "Image":
        for path in paths:
            self.entries[path] = self.entries.pop(path)
        return self

    def packed(self, **how) -> "Image":
        """Sets how the image is packed (compression, arch, prefix, directories, raw)."""
        for key, value in how.items():
            getattr(self, key)  # a misspelt setting is an AttributeError, not a new attribute
            setattr(self, key, value)
        return self


def baseline() -> Image:
    """An image every rule passes."""
    image = Image({})
    image.file("/etc/os-release", OS_RELEASE)
    image.file("/etc/passwd", PASSWD)
    image.file("/etc/shadow", SHADOW, 0o640, gid=42)
    image.file(CONF, DISTRIBUTION_CONF)
    image.file(WSL_CONF, WSL_CONF_TEXT)
    image.file("/bin/sh", elf(), 0o755)
    image.file("/usr/lib/systemd/systemd", elf(), 0o755)
    image.symlink("/sbin/init", "/usr/lib/systemd/systemd")
    image.file("/usr/lib/systemd/system/ssh.service", UNIT)
    image.symlink("/etc/systemd/system/multi-user.target.wants/ssh.service", "/usr/lib/systemd/system/ssh.service")
    image.file(OOBE, OOBE_SCRIPT, 0o755)
    image.file(ICON, ico())
    image.file(TEMPLATE, PROFILE_TEMPLATE, 0o640)
    return image


BASELINE = baseline()


# --- Packing --------------------------------------------------------------------


def _member(image: Image, path: str) -> str:
    return image.prefix + path.lstrip("/")


def tar_bytes(image: Image) -> bytes:
    """The uncompressed tar of `image`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name: str, entry: Entry) -> None:
            info = tarfile.TarInfo(name)
            info.mtime, info.mode, info.uid, info.gid = MTIME, entry.mode, entry.uid, entry.gid
            info.uname = "root" if entry.uid == 0 else ""
            info.gname = "root" if entry.gid == 0 else ""
            info.pax_headers = dict(entry.pax)
            data = None
            if entry.kind == "file":
                info.size = len(entry.data)
                data = io.BytesIO(entry.data)
            elif entry.kind == "dir":
                info.type = tarfile.DIRTYPE
            elif entry.kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, entry.link
            elif entry.kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, _member(image, entry.link)
            else:
                raise ValueError(entry.kind)
            tar.addfile(info, data)

        if image.directories:
            if image.prefix == "./":
                add("./", Entry("dir", mode=0o755))
            # Parents of a name climbing with ".." are left out: only the
            # climbing member itself is the case.
            parents = sorted({
                str(p) for path in image.entries for p in pathlib.PurePosixPath(path).parents
                if str(p) != "/" and ".." not in p.parts
            })
            for parent in parents:
                if parent not in image.entries:
                    add(_member(image, parent) + "/", Entry("dir", mode=0o755))
        for path, entry in image.entries.items():
            add(_member(image, path) + ("/" if entry.kind == "dir" else ""), entry)
    data = buffer.getvalue()
    data = _patch_modes(image, data)
    return image.raw(data) if image.raw else data


def _patch_modes(image: Image, data: bytes) -> bytes:
    """Writes each `raw_mode` into its member's ustar header."""
    for path, entry in image.entries.items():
        if entry.raw_mode is not None:
            mode = entry.raw_mode
            data = _raw_member(data, _member(image, path).encode(), lambda h: h.__setitem__(slice(100, 108), b"%07o\0" % mode))
    return data


def _raw_member(data: bytes, name: bytes, edit: Callable[[memoryview], None]) -> bytes:
    """Edits the ustar header whose name field is `name` in a packed tar; the checksum is recomputed."""
    out = bytearray(data)
    for header in range(0, len(out), 512):
        if out[header:header + 100].rstrip(b"\0") == name and out[header + 257:header + 262] == b"ustar":
            with memoryview(out)[header:header + 512] as view:
                edit(view)
                view[148:156] = b" " * 8
                view[148:156] = b"%06o\0 " % sum(view)
            return bytes(out)
    raise KeyError(name)


def pack(image: Image) -> bytes:
    """The image as a .wsl file's bytes."""
    data = tar_bytes(image)
    if image.compression == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    if image.compression == "xz":
        return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64)
    if image.compression == "bzip2":
        return bz2.compress(data, 9)
    if image.compression == "none":
        return data
    raise ValueError(image.compression)


# --- The cases ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """One image: its stable id, what it changes, and the change (applied to a copy of BASELINE)."""

    id: str
    about: str
    build: Callable[[Image], Image | None]

    def image(self) -> Image:
        image = copy.deepcopy(BASELINE)
        built = self.build(image)
        return built if built is not None else image


CASES: dict[str, Case] = {}


def case(name: str, about: str, build: Callable[[Image], Image | None] = lambda image: image) -> None:
    case_id = "image/" + name
    assert case_id not in CASES, case_id
    CASES[case_id] = Case(case_id, about, build)


def write(case_: Case, directory: pathlib.Path) -> tuple[pathlib.Path, Image]:
    """Packs a case into `directory`, as <name>.wsl."""
    image = case_.image()
    path = directory / (case_.id.split("/", 1)[1] + ".wsl")
    path.write_bytes(pack(image))
    return path, image


STORE_CONF = "/nix/store/4e5f6a7b-wsl-distribution.conf"
STORE_ETC = "/nix/store/0a1b2c3d-etc/etc"
STORE_BASH = "/nix/store/3c4d5e6f-bash/bin/bash"


def _nixos(image: Image, links_first: bool = False, mode: int = 0o444) -> Image:
    """The conf as NixOS lays it out: a link to /etc/static/..., /etc/static a link into the store.

    The store keeps files read-only (444); the validator reads the real
    file's mode through the links, so with 444 the conf's mode rule fires.
    """
    conf = image.entries.pop(CONF)
    image.file(STORE_CONF, conf.data, mode)
    image.symlink(STORE_ETC + "/wsl-distribution.conf", STORE_CONF)
    image.symlink("/etc/static", STORE_ETC)
    image.symlink(CONF, "/etc/static/wsl-distribution.conf")
    if links_first:
        image.move_to_end(STORE_CONF)
    return image


def _nixos_wsl_conf(image: Image) -> Image:
    """/etc/wsl.conf through /etc/static too (the conf's own links, with a 644 store file)."""
    _nixos(image, mode=0o644)
    image.file("/nix/store/6f7a8b9c-wsl.conf", WSL_CONF_TEXT)
    image.symlink(STORE_ETC + "/wsl.conf", "/nix/store/6f7a8b9c-wsl.conf")
    return image.remove(WSL_CONF).symlink(WSL_CONF, "/etc/static/wsl.conf")


def _nixos_sh(image: Image) -> Image:
    """/bin/sh -> /nix/store/...-bash/bin/sh -> bash, 555 as the store has it."""
    image.remove("/bin/sh").file(STORE_BASH, elf(), 0o555)
    return image.symlink("/nix/store/3c4d5e6f-bash/bin/sh", "bash").symlink("/bin/sh", "/nix/store/3c4d5e6f-bash/bin/sh")


def _icon_link(image: Image) -> Image:
    """The icon a link into the store, as NixOS-WSL installs it."""
    image.file("/nix/store/2a3b4c5d-icon/oracle.ico", ico())
    return image.remove(ICON).symlink(ICON, "/nix/store/2a3b4c5d-icon/oracle.ico")


def _combo_nixos(image: Image) -> Image:
    _nixos_wsl_conf(image)
    _nixos_sh(image)
    image.remove("/sbin/init").symlink("/sbin/init", STORE_BASH)
    return _icon_link(image)


def _combo_faults(image: Image) -> Image:
    image.set(CONF, mode=0o600).set("/etc/shadow", uid=1)
    image.conf_replace(b"[shortcut]\n", b"[shortcut]\nshow = yes\n")
    image.set("/etc/passwd", data=PASSWD + b"x\n")
    return _discouraged(image, "console-getty.service", "/etc/systemd/system/getty.target.wants")


def _combo_minimal(image: Image) -> Image:
    image.remove(WSL_CONF, OOBE, ICON, TEMPLATE, "/sbin/init", "/usr/lib/systemd/systemd")
    return image.conf(b"[oobe]\ndefaultName = WslconstOracle\n")


def _discouraged(image: Image, unit: str, directory: str = "/etc/systemd/system/multi-user.target.wants") -> Image:
    image.file(f"/usr/lib/systemd/system/{unit}", UNIT)
    return image.symlink(f"{directory}/{unit}", f"/usr/lib/systemd/system/{unit}")


def _base256_uid(data: bytes) -> bytes:
    """The conf's uid field as GNU tar's base-256 zero (0x80, then zeros)."""
    return _raw_member(data, b"./etc/wsl-distribution.conf", lambda h: h.__setitem__(slice(108, 116), b"\x80" + bytes(7)))


def _arm64(image: Image, sh: str = "arm64") -> Image:
    image.set("/bin/sh", data=elf(sh)).set("/usr/lib/systemd/systemd", data=elf("arm64"))
    return image.packed(arch="arm64")


# Baseline.
case("baseline", "every rule passes")

# /etc/wsl-distribution.conf: presence, mode (664/644), owner 0:0, links.
case("conf-missing", "no /etc/wsl-distribution.conf", lambda i: i.remove(CONF))
case("conf-mode-600", "the conf is 600", lambda i: i.set(CONF, mode=0o600))
case("conf-mode-664", "the conf is 664 (the validator's other mode)", lambda i: i.set(CONF, mode=0o664))
case("conf-uid-1000", "the conf is owned by uid 1000", lambda i: i.set(CONF, uid=1000))
case("conf-gid-100", "the conf's group is 100", lambda i: i.set(CONF, gid=100))
case("conf-nixos-links", "the conf through NixOS's links (/etc/static -> /nix/store), store mode 444", _nixos)
case("conf-nixos-links-first", "the same, every link before the file it names", lambda i: _nixos(i, links_first=True))
case("conf-nixos-links-644", "the NixOS links to a 644 file", lambda i: _nixos(i, mode=0o644))
case("conf-symlink-dangling", "the conf is a link to nothing", lambda i: i.remove(CONF).symlink(CONF, "/nix/store/gone-wsl-distribution.conf"))
case("conf-symlink-loop", "the conf is a link loop",
     lambda i: i.remove(CONF).symlink(CONF, "/etc/wsl-distribution.conf.d").symlink("/etc/wsl-distribution.conf.d", CONF))
case("conf-hard-link", "the conf is a hard link to a file earlier in the image",
     lambda i: i.file("/usr/share/wsl/distribution.conf", DISTRIBUTION_CONF).remove(CONF).hardlink(CONF, "/usr/share/wsl/distribution.conf"))
case("uid-field-base256", "the conf's uid field in GNU base-256 (0)", lambda i: i.packed(raw=_base256_uid))

# The conf's keys, and how configparser and WSL read them.
case("conf-unknown-key", "an unknown key in [oobe]", lambda i: i.conf_replace(b"defaultUid = 1000\n", b"defaultUid = 1000\nfoo = bar\n"))
case("conf-unknown-keys-two", "two unknown keys, one in a section WSL does not read",
     lambda i: i.conf_replace(b"defaultUid = 1000\n", b"defaultUid = 1000\nfoo = bar\n").conf_replace(b"[shortcut]", b"[extra]\nbaz = 1\n\n[shortcut]"))
case("conf-uppercase-keys", "keys written in other cases (WSL ignores case)",
     lambda i: i.conf_replace(b"command =", b"Command =").conf_replace(b"defaultUid", b"DEFAULTUID").conf_replace(b"icon =", b"ICON ="))
case("conf-uppercase-section", "[OOBE] holding a defaultUid that is not 1000",
     lambda i: i.conf_replace(b"[oobe]", b"[OOBE]").conf_replace(b"defaultUid = 1000", b"defaultUid = 1001"))
case("conf-semicolon-comment", "a ; comment line in the conf", lambda i: i.conf_replace(b"[shortcut]\n", b"[shortcut]\n; the Start menu entry\n"))
case("conf-duplicate-key", "defaultName twice", lambda i: i.conf_replace(b"defaultName = WslconstOracle\n", b"defaultName = WslconstOracle\ndefaultName = Other\n"))
case("conf-key-before-section", "a key before any section",
     lambda i: i.conf(b"defaultName = WslconstOracle\n" + i.entries[CONF].data.replace(b"defaultName = WslconstOracle\n", b"")))
case("conf-percent-in-value", "a % in the icon's path (configparser interpolates values)",
     lambda i: i.remove(ICON).file("/usr/share/wsl/oracle%.ico", ico()).conf_replace(b"oracle.ico", b"oracle%.ico"))
case("conf-not-utf8", "a Latin-1 byte in a comment of the conf", lambda i: i.conf_replace(b"[shortcut]\n", b"[shortcut]\n# Caf\xe9\n"))
case("conf-colon-delimiter", "key: value instead of key = value", lambda i: i.conf_replace(b"defaultName = WslconstOracle", b"defaultName: WslconstOracle"))
case("conf-inline-comment", "a # comment after the icon's path",
     lambda i: i.conf_replace(b"icon = /usr/share/wsl/oracle.ico", b"icon = /usr/share/wsl/oracle.ico # the icon"))

# oobe.command: the file (775/755, 0:0) and its folder.
case("oobe-command-mode-700", "the OOBE script is 700", lambda i: i.set(OOBE, mode=0o700))
case("oobe-command-mode-775", "the OOBE script is 775 (allowed)", lambda i: i.set(OOBE, mode=0o775))
case("oobe-command-owner", "the OOBE script is owned by 1000:1000", lambda i: i.set(OOBE, uid=1000, gid=1000))
case("oobe-command-missing", "oobe.command names no file", lambda i: i.remove(OOBE))
case("oobe-command-outside", "oobe.command under /usr/bin",
     lambda i: i.remove(OOBE).file("/usr/bin/oracle-oobe", OOBE_SCRIPT, 0o755).conf_replace(OOBE.encode(), b"/usr/bin/oracle-oobe"))
case("oobe-command-libexec", "oobe.command under /usr/libexec/wsl (allowed)",
     lambda i: i.remove(OOBE).file("/usr/libexec/wsl/oobe.sh", OOBE_SCRIPT, 0o755).conf_replace(OOBE.encode(), b"/usr/libexec/wsl/oobe.sh"))
case("oobe-command-with-args", "oobe.command is the script and an argument", lambda i: i.conf_replace(OOBE.encode(), OOBE.encode() + b" --quiet"))
case("oobe-command-empty-value", "oobe.command is empty (WSL runs no OOBE)", lambda i: i.conf_replace(b"command = " + OOBE.encode(), b"command ="))
case("oobe-command-symlink", "the OOBE script is a link into /nix/store",
     lambda i: i.file("/nix/store/8c9d0e1f-oobe/bin/oobe", OOBE_SCRIPT, 0o755).remove(OOBE).symlink(OOBE, "/nix/store/8c9d0e1f-oobe/bin/oobe"))

# oobe.defaultUid.
case("default-uid-1001", "oobe.defaultUid = 1001", lambda i: i.conf_replace(b"defaultUid = 1000", b"defaultUid = 1001"))
case("default-uid-hex", "oobe.defaultUid = 0x3e8 (1000 to WSL)", lambda i: i.conf_replace(b"defaultUid = 1000", b"defaultUid = 0x3e8"))
case("default-uid-octal", "oobe.defaultUid = 01750 (1000 to WSL's strtol)", lambda i: i.conf_replace(b"defaultUid = 1000", b"defaultUid = 01750"))
case("default-uid-not-a-number", "oobe.defaultUid = nixos", lambda i: i.conf_replace(b"defaultUid = 1000", b"defaultUid = nixos"))
case("default-uid-in-passwd", "/etc/passwd already has uid 1000",
     lambda i: i.set("/etc/passwd", data=PASSWD + b"oracle:x:1000:1000::/home/oracle:/bin/sh\n"))

# shortcut.icon: presence, file (664/644, 0:0, 1 MiB), folder.
case("icon-key-missing", "no shortcut.icon", lambda i: i.conf_replace(b"icon = /usr/share/wsl/oracle.ico\n", b""))
case("icon-empty-value", "shortcut.icon is empty", lambda i: i.conf_replace(b"icon = /usr/share/wsl/oracle.ico", b"icon ="))
case("icon-too-big", "the icon is 1 MiB and a byte", lambda i: i.set(ICON, data=ico() + bytes(1024 * 1024 + 1 - len(ico()))))
case("icon-exactly-1mib", "the icon is exactly 1 MiB (allowed)", lambda i: i.set(ICON, data=ico() + bytes(1024 * 1024 - len(ico()))))
case("icon-wrong-extension", "the icon is a .png path holding an icon",
     lambda i: i.remove(ICON).file("/usr/share/wsl/oracle.png", ico()).conf_replace(b"oracle.ico", b"oracle.png"))
case("icon-outside", "the icon under /etc", lambda i: i.remove(ICON).file("/etc/oracle.ico", ico()).conf_replace(ICON.encode(), b"/etc/oracle.ico"))
case("icon-under-usr-lib-wsl", "the icon under /usr/lib/wsl (allowed)",
     lambda i: i.remove(ICON).file("/usr/lib/wsl/oracle.ico", ico()).conf_replace(ICON.encode(), b"/usr/lib/wsl/oracle.ico"))
case("icon-mode-600", "the icon is 600", lambda i: i.set(ICON, mode=0o600))
case("icon-owner", "the icon is owned by 1000", lambda i: i.set(ICON, uid=1000))
case("icon-missing", "shortcut.icon names no file", lambda i: i.remove(ICON))
case("icon-symlink", "the icon is a link into /nix/store", _icon_link)
case("icon-parent-symlink", "the icon's folder /usr/share/wsl is a link into /nix/store",
     lambda i: i.remove(ICON).file("/nix/store/7e8f9a0b-wsl-share/oracle.ico", ico()).symlink("/usr/share/wsl", "/nix/store/7e8f9a0b-wsl-share"))

# windowsterminal.profileTemplate: file (660/640, 0:0, 1 MiB), folder, contents.
case("template-mode-644", "the template is 644", lambda i: i.set(TEMPLATE, mode=0o644))
case("template-mode-660", "the template is 660 (allowed)", lambda i: i.set(TEMPLATE, mode=0o660))
case("template-gid-100", "the template's group is 100", lambda i: i.set(TEMPLATE, gid=100))
case("template-too-big", "the template is over 1 MiB (valid JSON, padded with spaces)",
     lambda i: i.set(TEMPLATE, data=PROFILE_TEMPLATE + b" " * (1024 * 1024 + 1 - len(PROFILE_TEMPLATE))))
case("template-invalid-json", "the template is not JSON", lambda i: i.set(TEMPLATE, data=b'{"profiles": [\n'))
case("template-missing", "profileTemplate names no file", lambda i: i.remove(TEMPLATE))
case("template-outside", "the template under /usr/share/wsl",
     lambda i: i.remove(TEMPLATE).file("/usr/share/wsl/terminal-profile.json", PROFILE_TEMPLATE, 0o640)
     .conf_replace(TEMPLATE.encode(), b"/usr/share/wsl/terminal-profile.json"))
case("template-symlink", "the template is a link into /nix/store",
     lambda i: i.file("/nix/store/5d6e7f8a-template.json", PROFILE_TEMPLATE, 0o444).remove(TEMPLATE).symlink(TEMPLATE, "/nix/store/5d6e7f8a-template.json"))
case("template-empty-value", "profileTemplate is empty (WSL uses its default)", lambda i: i.conf_replace(b"profileTemplate = " + TEMPLATE.encode(), b"profileTemplate ="))
case("template-dotdot", "profileTemplate climbs with ..", lambda i: i.conf_replace(TEMPLATE.encode(), b"/usr/lib/wsl/../wsl/terminal-profile.json"))

# /etc/wsl.conf: optional; mode, keys, user.default, systemd's /sbin/init.
case("wsl-conf-absent", "no /etc/wsl.conf (optional)", lambda i: i.remove(WSL_CONF))
case("wsl-conf-mode-600", "/etc/wsl.conf is 600", lambda i: i.set(WSL_CONF, mode=0o600))
case("wsl-conf-unknown-key", "an unknown key in /etc/wsl.conf", lambda i: i.set(WSL_CONF, data=WSL_CONF_TEXT + b"bogus = 1\n"))
case("wsl-conf-user-default", "user.default in /etc/wsl.conf", lambda i: i.set(WSL_CONF, data=WSL_CONF_TEXT + b"\n[user]\ndefault = oracle\n"))
case("wsl-conf-systemd-no-init", "systemd = true, no /sbin/init", lambda i: i.remove("/sbin/init"))
case("wsl-conf-systemd-false-no-init", "systemd = false, no /sbin/init",
     lambda i: i.remove("/sbin/init").set(WSL_CONF, data=WSL_CONF_TEXT.replace(b"systemd = true", b"systemd = false")))
case("wsl-conf-systemd-0-no-init", "systemd = 0 (false to WSL), no /sbin/init",
     lambda i: i.remove("/sbin/init").set(WSL_CONF, data=WSL_CONF_TEXT.replace(b"systemd = true", b"systemd = 0")))
case("wsl-conf-init-not-elf", "/sbin/init is a shell script", lambda i: i.remove("/sbin/init").file("/sbin/init", b"#!/bin/sh\nexec /bin/sh\n", 0o755))
case("wsl-conf-duplicate-section", "[boot] twice in /etc/wsl.conf", lambda i: i.set(WSL_CONF, data=WSL_CONF_TEXT + b"\n[boot]\ncommand = true\n"))
case("wsl-conf-key-before-section", "a key before any section of /etc/wsl.conf", lambda i: i.set(WSL_CONF, data=b"hostname = oracle\n" + WSL_CONF_TEXT))
case("wsl-conf-nixos-link", "/etc/wsl.conf a link through /etc/static", _nixos_wsl_conf)

# /etc/passwd.
case("passwd-mode-600", "/etc/passwd is 600", lambda i: i.set("/etc/passwd", mode=0o600))
case("passwd-missing", "no /etc/passwd", lambda i: i.remove("/etc/passwd"))
case("passwd-bad-line", "a passwd line with 6 fields", lambda i: i.set("/etc/passwd", data=PASSWD + b"broken:x:2:2:/:/bin/sh\n"))
case("passwd-two-bad-lines", "two passwd lines with 6 fields", lambda i: i.set("/etc/passwd", data=PASSWD + b"broken:x:2:2:/:/bin/sh\nworse:x:3:3:/:/bin/sh\n"))
case("passwd-uid-not-a-number", "a uid that is not a number", lambda i: i.set("/etc/passwd", data=PASSWD + b"odd:x:abc:3::/:/bin/sh\n"))
case("passwd-uid-with-spaces", "a uid written ' 2 ' (Python's int() strips spaces)", lambda i: i.set("/etc/passwd", data=PASSWD + b"spaced:x: 2 :2::/:/bin/sh\n"))
case("passwd-uid-negative", "a uid of -2", lambda i: i.set("/etc/passwd", data=PASSWD + b"negative:x:-2:2::/:/bin/sh\n"))
case("passwd-duplicate-uid", "two users with uid 1", lambda i: i.set("/etc/passwd", data=PASSWD + b"bin:x:1:1:bin:/bin:/usr/sbin/nologin\n"))
case("passwd-no-root", "no uid 0", lambda i: i.set("/etc/passwd", data=PASSWD.split(b"\n", 1)[1]))
case("passwd-uid0-not-root", "uid 0 is toor", lambda i: i.set("/etc/passwd", data=PASSWD.replace(b"root:x:0:0:root", b"toor:x:0:0:root")))
case("passwd-not-utf8", "a Latin-1 byte in a gecos field", lambda i: i.set("/etc/passwd", data=PASSWD.replace(b"daemon:/usr", b"d\xe6mon:/usr")))
case("passwd-symlink", "/etc/passwd is a relative link to a 644 file",
     lambda i: i.file("/etc/passwd.real", PASSWD).remove("/etc/passwd").symlink("/etc/passwd", "passwd.real"))
case("passwd-crlf", "/etc/passwd with CRLF line ends", lambda i: i.set("/etc/passwd", data=PASSWD.replace(b"\n", b"\r\n")))

# /etc/shadow: 640/600/000, owned by uid 0, any group.
case("shadow-mode-644", "/etc/shadow is world-readable", lambda i: i.set("/etc/shadow", mode=0o644))
case("shadow-mode-000", "/etc/shadow is 000 (allowed)", lambda i: i.set("/etc/shadow", mode=0))
case("shadow-owner", "/etc/shadow is owned by 1000", lambda i: i.set("/etc/shadow", uid=1000))
case("shadow-missing", "no /etc/shadow", lambda i: i.remove("/etc/shadow"))
case("shadow-symlink", "/etc/shadow is a relative link to a 640 file",
     lambda i: i.file("/etc/shadow.real", SHADOW, 0o640).remove("/etc/shadow").symlink("/etc/shadow", "shadow.real"))

# /bin/sh (required) and /bin/bash (optional): 755/775/555, 0:0, an ELF of the architecture.
case("sh-missing", "no /bin/sh", lambda i: i.remove("/bin/sh"))
case("sh-not-elf", "/bin/sh is a script", lambda i: i.set("/bin/sh", data=b"#!/bin/busybox sh\n"))
case("sh-wrong-arch", "/bin/sh is an aarch64 ELF in an x86-64 image", lambda i: i.set("/bin/sh", data=elf("arm64")))
case("sh-32-bit", "/bin/sh is an i386 ELF", lambda i: i.set("/bin/sh", data=elf("i386")))
case("sh-big-endian", "/bin/sh is a big-endian ELF for x86-64", lambda i: i.set("/bin/sh", data=elf(big_endian=True)))
case("sh-elf-version-0", "/bin/sh's EI_VERSION is 0", lambda i: i.set("/bin/sh", data=elf(version=0)))
case("sh-mode-644", "/bin/sh is 644", lambda i: i.set("/bin/sh", mode=0o644))
case("sh-mode-555", "/bin/sh is 555 (allowed)", lambda i: i.set("/bin/sh", mode=0o555))
case("sh-setuid", "/bin/sh is 4755", lambda i: i.set("/bin/sh", mode=0o4755))
case("sh-owner", "/bin/sh is owned by 0:1000", lambda i: i.set("/bin/sh", gid=1000))
case("sh-symlink", "/bin/sh -> dash, relative", lambda i: i.remove("/bin/sh").file("/bin/dash", elf(), 0o755).symlink("/bin/sh", "dash"))
case("sh-symlink-to-script", "/bin/sh -> busybox, a script",
     lambda i: i.remove("/bin/sh").file("/bin/busybox", b"#!/bin/false\n", 0o755).symlink("/bin/sh", "busybox"))
case("sh-usrmerge", "/bin -> usr/bin, /usr/bin/sh -> dash",
     lambda i: i.remove("/bin/sh").file("/usr/bin/dash", elf(), 0o755).symlink("/usr/bin/sh", "dash").symlink("/bin", "usr/bin"))
case("sh-hard-link", "/bin/sh a hard link to /bin/dash", lambda i: i.remove("/bin/sh").file("/bin/dash", elf(), 0o755).hardlink("/bin/sh", "/bin/dash"))
case("sh-nixos", "/bin/sh -> /nix/store/...-bash/bin/sh -> bash (555, as the store has it)", _nixos_sh)
case("sh-directory", "/bin/sh is a directory", lambda i: i.remove("/bin/sh").dir("/bin/sh"))
case("sh-hard-link-dangling", "/bin/sh a hard link to a member that is not there", lambda i: i.remove("/bin/sh").hardlink("/bin/sh", "/bin/dash"))
case("bash-not-elf", "/bin/bash (optional) is present and a script", lambda i: i.file("/bin/bash", b"#!/bin/sh\n", 0o755))
case("bash-mode-700", "/bin/bash is 700", lambda i: i.file("/bin/bash", elf(), 0o700))
case("arm64-image", "an aarch64 image, checked as one (--arm64)", _arm64)
case("arm64-image-x64-sh", "an aarch64 image (--arm64) whose /bin/sh is x86-64", lambda i: _arm64(i, sh="x64"))

# systemd units enabled through *.target.wants links.
case("unit-discouraged", "systemd-networkd enabled", lambda i: _discouraged(i, "systemd-networkd.service"))
case("unit-discouraged-usr-lib", "systemd-tmpfiles-setup enabled in /usr/lib/systemd/system",
     lambda i: _discouraged(i, "systemd-tmpfiles-setup.service", "/usr/lib/systemd/system/sysinit.target.wants"))
case("unit-discouraged-two", "NetworkManager and tmp.mount enabled",
     lambda i: _discouraged(_discouraged(i, "NetworkManager.service"), "tmp.mount", "/etc/systemd/system/local-fs.target.wants"))
case("unit-masked", "systemd-resolved enabled but masked (/etc/systemd/system/X -> /dev/null)",
     lambda i: _discouraged(i, "systemd-resolved.service").symlink("/etc/systemd/system/systemd-resolved.service", "/dev/null"))
case("unit-wants-dev-null", "a wants link to /dev/null", lambda i: i.symlink("/etc/systemd/system/multi-user.target.wants/networking.service", "/dev/null"))

# Extended attributes WSL 1 cannot store.
case("xattr-selinux", "a security.selinux label on /bin/sh", lambda i: i.set("/bin/sh", pax={"SCHILY.xattr.security.selinux": "system_u:object_r:shell_exec_t:s0"}))
case("xattr-two-kinds", "security.ima and security.evm on two files",
     lambda i: i.set("/etc/passwd", pax={"SCHILY.xattr.security.ima": "ima"}).set("/etc/shadow", pax={"SCHILY.xattr.security.evm": "evm"}))
case("xattr-capability", "security.capability (WSL 1 stores it)", lambda i: i.set("/bin/sh", pax={"SCHILY.xattr.security.capability": "\x01\x00\x00\x02"}))

# Compression and archive shape.
case("compression-xz", "xz", lambda i: i.packed(compression="xz"))
case("compression-none", "an uncompressed tar", lambda i: i.packed(compression="none"))
case("compression-bzip2", "bzip2", lambda i: i.packed(compression="bzip2"))
case("names-bare", "member names without ./", lambda i: i.packed(prefix=""))
case("names-absolute", "member names starting with /", lambda i: i.packed(prefix="/"))
case("no-directory-entries", "files only, no directory members", lambda i: i.packed(directories=False))
case("empty-archive", "a gzip of an empty tar", lambda i: i.remove(*list(i.entries)).packed(directories=False))
case("hard-link-dangling", "a hard link (not a checked file) to a member that is not there", lambda i: i.hardlink("/usr/bin/oracle", "/usr/bin/gone"))
case("path-escape", "a member named ./../../etc/cron.d/evil", lambda i: i.file("/../../etc/cron.d/evil", b"* * * * * root true\n"))
case("mode-with-type-bits", "/etc/passwd's header mode holds S_IFREG (0100644), as some writers store it",
     lambda i: i.set("/etc/passwd", raw_mode=0o100644))

# Combinations.
case("combo-nixos", "a NixOS-like image: conf, wsl.conf, /bin/sh, init and the icon all links into /nix/store", _combo_nixos)
case("combo-many-faults", "mode, owner, unknown key, a bad passwd line and a discouraged unit at once", _combo_faults)
case("combo-minimal", "the smallest image both accept: passwd, shadow, /bin/sh, a conf with only a name", _combo_minimal)
