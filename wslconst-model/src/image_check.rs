//! WSL's rules applied to an image's [`ImageFacts`], graded as WSL's own
//! validator (`distributions/validate-modern.py`, `read_tar`) grades them:
//! a missing required file, an unknown key, a file over 1 MiB or a wrong
//! ELF is an error; a mode, owner or folder other than expected is a
//! warning. On top come wslconst's own models of how WSL reads the conf and
//! the template ([`distribution_conf::check`], [`profile_template::check`]),
//! and what only a hostile archive does (names climbing above the root,
//! symbolic link loops).

use crate::diagnostic::Diagnostic;
use crate::distribution_conf;
use crate::image::{Elf, FileRecord, ImageFacts, RecordKind};
use crate::profile_template;
use crate::wsl_rules::{self, FileRule};

/// The architecture an image is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// x86-64 (`e_machine` 62).
    X64,
    /// AArch64 (`e_machine` 183).
    Arm64,
}

impl Arch {
    fn machine(self) -> u16 {
        match self {
            Arch::X64 => 62,
            Arch::Arm64 => 183,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Arch::X64 => "x86-64",
            Arch::Arm64 => "aarch64",
        }
    }
}

/// The keys WSL reads from `/etc/wsl.conf` (validate-modern.py's list).
pub const WSL_CONF_KEYS: [&str; 21] = [
    "automount.cgroups",
    "automount.enabled",
    "automount.ldconfig",
    "automount.mountfstab",
    "automount.options",
    "automount.root",
    "boot.command",
    "boot.protectbinfmt",
    "boot.systemd",
    "fileserver.enabled",
    "filesystem.umask",
    "general.hostname",
    "gpu.appendlibpath",
    "gpu.enabled",
    "interop.appendwindowspath",
    "interop.enabled",
    "network.generatehosts",
    "network.generateresolvconf",
    "network.hostname",
    "time.usewindowstimezone",
    "user.default",
];

/// systemd units WSL's validator discourages enabling.
pub const DISCOURAGED_UNITS: [&str; 14] = [
    "systemd-resolved.service",
    "systemd-networkd.service",
    "systemd-networkd-wait-online.service",
    "systemd-tmpfiles-setup.service",
    "systemd-tmpfiles-clean.service",
    "systemd-tmpfiles-setup-dev-early.service",
    "systemd-tmpfiles-setup-dev.service",
    "systemd-vconsole-setup.service",
    "tmp.mount",
    "NetworkManager.service",
    "NetworkManager-wait-online.service",
    "console-getty.service",
    "networking.service",
    "hypervkvpd.service",
];

const CONF: &str = wslconst::upstream::WSL_DISTRIBUTION_CONF;

/// Every finding, in the validator's order.
pub fn check(facts: &ImageFacts, arch: Arch) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if facts.entries == 0 {
        out.push(Diagnostic::error(
            "empty-archive",
            "an empty archive: it holds no entries, so there is nothing for WSL to import",
        ));
        return out;
    }
    if facts.compression == Some(crate::archive::Compression::None) {
        out.push(Diagnostic::error(
            "compression",
            "the image is an uncompressed tar; WSL's validator accepts gzip or xz only (compress it: gzip -9 or xz -T0)",
        ));
    }
    for (name, offset) in &facts.escaping_names {
        out.push(
            Diagnostic::error(
                "path-escape",
                format!("the entry at byte {offset} is named {name:?}: its \"..\" climbs above the root, so a careless extractor writes outside the target folder"),
            )
            .at_path(name.clone()),
        );
    }

    for link in &facts.broken_hard_links {
        let (rule, why) = if link.escapes_root {
            (
                "path-escape",
                "whose \"..\" climbs above the root: a careless extractor links a file outside the target folder",
            )
        } else {
            (
                "hard-link-target",
                "which is no earlier entry of the image: extraction fails for it",
            )
        };
        let message = format!(
            "the hard link at byte {} is named {:?} and points to {:?}, {why}",
            link.offset, link.name, link.target
        );
        out.push(Diagnostic::error(rule, message).at_path(link.name.clone()));
    }

    let mut default_uid = None;
    if let Some((real, record)) = file(facts, CONF, true, &mut out) {
        expect_rule(
            &mut out,
            CONF,
            record,
            &wsl_rules::DISTRIBUTION_CONF,
            Some(0),
        );
        match facts.contents(&real) {
            Some(bytes) => {
                let parsed = distribution_conf::check(bytes);
                out.extend(parsed.diagnostics.into_iter().map(|d| d.at_path(CONF)));
                default_uid = parsed.conf.oobe_default_uid;
                let conf = parsed.conf;
                // WSL treats an empty value as unset (init's `if
                // (!OobeCommand.empty())`, `!shortcutIconPath.empty()`, ...).
                let set = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
                if let Some(command) = set(&conf.oobe_command) {
                    let program = command.split_whitespace().next().unwrap_or("");
                    if let Some((_, record)) = linked_file(facts, program, &mut out) {
                        expect_rule(&mut out, program, record, &wsl_rules::OOBE_COMMAND, Some(0));
                    }
                }
                match set(&conf.shortcut_icon) {
                    Some(icon) => {
                        if let Some((_, record)) = linked_file(facts, &icon, &mut out) {
                            expect_rule(&mut out, &icon, record, &wsl_rules::SHORTCUT_ICON, Some(0));
                        }
                    }
                    None => out.push(
                        Diagnostic::warning(
                            "icon-missing",
                            "no shortcut.icon: the Start menu shortcut and Terminal get WSL's default icon",
                        )
                        .at_path(CONF),
                    ),
                }
                if let Some(template) = set(&conf.windowsterminal_profile_template)
                    && let Some((real, record)) = linked_file(facts, &template, &mut out)
                {
                    expect_rule(
                        &mut out,
                        &template,
                        record,
                        &wsl_rules::PROFILE_TEMPLATE,
                        Some(0),
                    );
                    if let Some(bytes) = facts.contents(&real) {
                        let found = profile_template::check(bytes, Some(&template));
                        out.extend(found.into_iter().map(|d| d.at_path(template.clone())));
                    }
                }
            }
            None => out.push(not_read(facts, CONF, &real)),
        }
    }

    if let Some((real, record)) = optional_file(facts, "/etc/wsl.conf", &mut out) {
        expect_rule(
            &mut out,
            "/etc/wsl.conf",
            record,
            &wsl_rules::DISTRIBUTION_CONF,
            Some(0),
        );
        match facts.contents(&real) {
            Some(bytes) => check_wsl_conf(facts, bytes, arch, &mut out),
            None => out.push(not_read(facts, "/etc/wsl.conf", &real)),
        }
    }

    if let Some((real, record)) = linked_file(facts, "/etc/passwd", &mut out) {
        expect_modes(&mut out, "/etc/passwd", record, &[0o664, 0o644], Some(0));
        match facts.contents(&real) {
            Some(bytes) => check_passwd(bytes, default_uid, &mut out),
            None => out.push(not_read(facts, "/etc/passwd", &real)),
        }
    }
    if let Some((_, record)) = linked_file(facts, "/etc/shadow", &mut out) {
        expect_modes(&mut out, "/etc/shadow", record, &[0o640, 0o600, 0], None);
    }
    if let Some((_, record)) = optional_file(facts, "/bin/bash", &mut out) {
        expect_executable(&mut out, "/bin/bash", record, arch);
    }
    if let Some((_, record)) = file(facts, "/bin/sh", true, &mut out) {
        expect_executable(&mut out, "/bin/sh", record, arch);
    }

    for unit in enabled_units(facts) {
        let name = unit.rsplit('/').next().unwrap_or(&unit);
        if DISCOURAGED_UNITS.contains(&name) {
            out.push(
                Diagnostic::warning(
                    "systemd-unit",
                    format!("{name} is enabled; WSL's validator discourages it (WSL sets up networking, /tmp and consoles itself)"),
                )
                .at_path(unit.clone()),
            );
        }
    }
    if let Some((sample, names)) = &facts.wsl1_xattrs {
        out.push(
            Diagnostic::warning(
                "xattr",
                format!(
                    "extended attributes WSL 1 cannot store: {}; the first file carrying one is {sample}",
                    names.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            )
            .at_path(sample.clone()),
        );
    }
    out
}

/// The record of a required file, following links when asked; a missing
/// file or a link loop is an error.
fn file<'a>(
    facts: &'a ImageFacts,
    path: &str,
    follow: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, &'a FileRecord)> {
    let found = resolved(facts, path, follow, out)?;
    if found.is_none() {
        out.push(
            Diagnostic::error("missing-file", format!("{path} is not in the image")).at_path(path),
        );
    }
    found
}

/// A file WSL reads inside the distro (the conf's OOBE command, icon and
/// template, `/etc/passwd`, `/etc/shadow`), where links are followed. WSL's
/// validator looks the path up in the archive without following any: it
/// grades a link in the file's place as the link itself (mode 0777, a
/// warning), and fails the image with "not found" when a parent directory is
/// a link. So links are followed, and each is named as a warning that says
/// which the validator will do.
fn linked_file<'a>(
    facts: &'a ImageFacts,
    path: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, &'a FileRecord)> {
    let (normalized, _) = crate::archive::resolve_lexically("/", path);
    let found = file(facts, path, true, out)?;
    if found.0 == normalized {
        return Some(found);
    }
    let parent_linked = match facts.symlinks.resolve_parent(&normalized) {
        Ok(real) => real != normalized,
        Err(_) => true,
    };
    let validator = if parent_linked {
        "a directory on its path is a symbolic link, which WSL's validator does not follow: it fails the image with \"not found\"; ship the directory itself"
    } else {
        "WSL's validator does not follow the link and grades the link itself (mode 0777, a warning); ship the file itself"
    };
    out.push(
        Diagnostic::warning(
            "linked-file",
            format!(
                "{path} is {} through symbolic links: WSL follows them, but {validator}",
                found.0
            ),
        )
        .at_path(path),
    );
    Some(found)
}

/// Like [`file`], for a file the validator only checks when present.
fn optional_file<'a>(
    facts: &'a ImageFacts,
    path: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, &'a FileRecord)> {
    resolved(facts, path, true, out).flatten()
}

/// [`find`], with a link loop reported (and `None`).
fn resolved<'a>(
    facts: &'a ImageFacts,
    path: &str,
    follow: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Option<(String, &'a FileRecord)>> {
    match find(facts, path, follow) {
        Ok(found) => Some(found),
        Err(e) => {
            out.push(Diagnostic::error("symlink-loop", format!("{path}: {e}")).at_path(path));
            None
        }
    }
}

fn find<'a>(
    facts: &'a ImageFacts,
    path: &str,
    follow: bool,
) -> Result<Option<(String, &'a FileRecord)>, crate::archive::ResolveError> {
    let (normalized, _) = crate::archive::resolve_lexically("/", path);
    let real = if follow {
        facts.symlinks.resolve(&normalized)?
    } else {
        facts.symlinks.resolve_parent(&normalized)?
    };
    Ok(facts.record(&real).map(|r| (real, r)))
}

/// A file whose contents a rule needed and did not get, with the reason.
fn not_read(facts: &ImageFacts, path: &str, real: &str) -> Diagnostic {
    let via = if path == real {
        String::new()
    } else {
        format!(" (reached as {real})")
    };
    let why = facts
        .unread(real)
        .map_or_else(|| "it was not kept".to_owned(), |u| u.to_string());
    Diagnostic::warning(
        "not-read",
        format!("{path}{via} was not read: {why}; its contents are unchecked"),
    )
    .at_path(path)
}

fn expect_rule(
    out: &mut Vec<Diagnostic>,
    path: &str,
    record: &FileRecord,
    rule: &FileRule,
    gid: Option<u64>,
) {
    expect_modes(out, path, record, rule.modes, gid);
    if let Some(max) = rule.max_size
        && record.size > max
    {
        out.push(
            Diagnostic::error(
                "file-size",
                format!(
                    "{path} is {} bytes; WSL reads at most {max} and falls back to its default",
                    record.size
                ),
            )
            .at_path(path),
        );
    }
}

fn expect_modes(
    out: &mut Vec<Diagnostic>,
    path: &str,
    record: &FileRecord,
    modes: &[u32],
    gid: Option<u64>,
) {
    if !modes.contains(&(record.mode & 0o7777)) {
        let expected: Vec<String> = modes.iter().map(|m| format!("{m:o}")).collect();
        out.push(
            Diagnostic::warning(
                "file-mode",
                format!(
                    "{path} has mode {:o}; WSL's validator expects {}",
                    record.mode & 0o7777,
                    expected.join(" or ")
                ),
            )
            .at_path(path),
        );
    }
    if record.uid != 0 {
        out.push(
            Diagnostic::warning(
                "file-owner",
                format!("{path} is owned by uid {}; expected root (0)", record.uid),
            )
            .at_path(path),
        );
    }
    if let Some(gid) = gid
        && record.gid != gid
    {
        out.push(
            Diagnostic::warning(
                "file-owner",
                format!("{path} has gid {}; expected {gid}", record.gid),
            )
            .at_path(path),
        );
    }
}

fn expect_executable(out: &mut Vec<Diagnostic>, path: &str, record: &FileRecord, arch: Arch) {
    expect_modes(out, path, record, &[0o755, 0o775, 0o555], Some(0));
    let wanted = Elf {
        class64: true,
        little_endian: true,
        machine: arch.machine(),
    };
    match record.elf {
        Some(elf) if elf == wanted => {}
        Some(elf) => out.push(
            Diagnostic::error(
                "elf-arch",
                format!(
                    "{path} is a {} ELF, not a 64-bit little-endian {} one",
                    elf.describe(),
                    arch.name()
                ),
            )
            .at_path(path),
        ),
        None if record.kind != RecordKind::File => out.push(
            Diagnostic::error("elf-arch", format!("{path} is not a regular file")).at_path(path),
        ),
        None => out.push(
            Diagnostic::error(
                "elf-arch",
                format!("{path} is not a 64-bit {} ELF executable", arch.name()),
            )
            .at_path(path),
        ),
    }
}

fn check_wsl_conf(facts: &ImageFacts, bytes: &[u8], arch: Arch, out: &mut Vec<Diagnostic>) {
    let text = String::from_utf8_lossy(bytes);
    let mut section = String::new();
    let mut systemd = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_lowercase();
            continue;
        }
        let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            continue;
        };
        let name = format!("{section}.{}", key.trim().to_lowercase());
        let value = value.trim();
        if !WSL_CONF_KEYS.contains(&name.as_str()) {
            out.push(
                Diagnostic::error(
                    "wsl-conf-key",
                    format!("WSL does not read {name} from /etc/wsl.conf"),
                )
                .at_path("/etc/wsl.conf")
                .at_line(i + 1),
            );
        }
        if name == "boot.systemd" {
            // WSL reads it with ParseBool: anything but true/false/1/0 warns
            // and leaves systemd off.
            systemd = distribution_conf::parse_bool(value) == Some(true);
        }
        if name == "user.default" {
            out.push(
                Diagnostic::warning(
                    "wsl-conf-user-default",
                    format!("user.default = {value} in /etc/wsl.conf: WSL's validator discourages it; let oobe.defaultUid or the OOBE set the user"),
                )
                .at_path("/etc/wsl.conf")
                .at_line(i + 1),
            );
        }
    }
    if systemd && let Some((_, record)) = file(facts, "/sbin/init", true, out) {
        expect_executable(out, "/sbin/init", record, arch);
    }
}

fn check_passwd(bytes: &[u8], default_uid: Option<i32>, out: &mut Vec<Diagnostic>) {
    let text = String::from_utf8_lossy(bytes);
    let mut names_by_uid: std::collections::BTreeMap<u64, String> = Default::default();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split(':').collect();
        let uid = (fields.len() == 7)
            .then(|| fields[2].parse::<u64>().ok())
            .flatten();
        let Some(uid) = uid else {
            out.push(
                Diagnostic::error(
                    "passwd",
                    format!("not a passwd entry (7 fields, a numeric uid): {line:?}"),
                )
                .at_path("/etc/passwd")
                .at_line(i + 1),
            );
            continue;
        };
        if names_by_uid.insert(uid, fields[0].to_owned()).is_some() {
            out.push(
                Diagnostic::error("passwd", format!("uid {uid} appears twice"))
                    .at_path("/etc/passwd")
                    .at_line(i + 1),
            );
        }
    }
    match names_by_uid.get(&0) {
        None => out.push(
            Diagnostic::error("passwd", "no root (uid 0) in /etc/passwd").at_path("/etc/passwd"),
        ),
        Some(name) if name != "root" => out.push(
            Diagnostic::error("passwd", format!("uid 0 is {name:?}, not root"))
                .at_path("/etc/passwd"),
        ),
        Some(_) => {}
    }
    if let Some(uid) = default_uid
        && let Some(name) = u64::try_from(uid).ok().and_then(|u| names_by_uid.get(&u))
    {
        out.push(
            Diagnostic::warning(
                "passwd",
                format!("/etc/passwd already has {name:?} with oobe.defaultUid {uid}; the OOBE creates that user"),
            )
            .at_path("/etc/passwd"),
        );
    }
}

/// The units enabled through `*.target.wants` links in systemd's three
/// configuration folders, masked ones (linked to /dev/null) left out.
fn enabled_units(facts: &ImageFacts) -> Vec<String> {
    let mut units = Vec::new();
    for path in &facts.systemd_wants {
        let name = path.rsplit('/').next().unwrap_or(path);
        let target = facts
            .symlinks
            .resolve(path)
            .unwrap_or_else(|_| path.clone());
        let masked = facts
            .symlinks
            .resolve(&format!("/etc/systemd/system/{name}"))
            .is_ok_and(|t| t == "/dev/null");
        if target != "/dev/null" && !masked {
            units.push(path.clone());
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::tests::{TarBuilder, elf, gzip};
    use crate::diagnostic::Severity;
    use crate::image::collect;

    const CONF: &[u8] = b"[oobe]\ncommand = /usr/lib/wsl/oobe.sh\ndefaultUid = 1000\ndefaultName = NixOS\n\n[shortcut]\nicon = /usr/lib/wsl/nixos.ico\n\n[windowsterminal]\nprofileTemplate = /usr/lib/wsl/terminal-profile.json\n";

    /// An image that passes every rule; `edit` changes it before it is packed.
    fn image(edit: impl FnOnce(&mut Vec<(&'static str, Part)>)) -> Vec<u8> {
        let mut parts: Vec<(&'static str, Part)> = vec![
            ("bin/sh", Part::Link("/nix/store/abc-bash/bin/bash")),
            (
                "etc/passwd",
                Part::File(0o644, 0, b"root:x:0:0:root:/root:/bin/sh\n".to_vec()),
            ),
            (
                "etc/shadow",
                Part::File(0o640, 0, b"root:!:1::::::\n".to_vec()),
            ),
            (
                "etc/wsl-distribution.conf",
                Part::File(0o644, 0, CONF.to_vec()),
            ),
            (
                "etc/wsl.conf",
                Part::File(0o644, 0, b"[boot]\nsystemd = true\n".to_vec()),
            ),
            (
                "etc/systemd/system/multi-user.target.wants/sshd.service",
                Part::Link("/etc/systemd/system/sshd.service"),
            ),
            ("nix/store/abc-bash/bin/bash", Part::File(0o555, 0, elf(62))),
            ("sbin/init", Part::Link("/nix/store/abc-bash/bin/bash")),
            (
                "usr/lib/wsl/nixos.ico",
                Part::File(0o644, 0, b"\0\0\x01\0".to_vec()),
            ),
            (
                "usr/lib/wsl/oobe.sh",
                Part::File(0o755, 0, b"#!/bin/sh\n".to_vec()),
            ),
            (
                "usr/lib/wsl/terminal-profile.json",
                Part::File(
                    0o640,
                    0,
                    b"{\"profiles\": [{\"colorScheme\": \"Campbell\"}]}".to_vec(),
                ),
            ),
        ];
        edit(&mut parts);
        let mut b = TarBuilder::default();
        for (name, part) in parts {
            match part {
                Part::File(mode, uid, data) => b.owned(name, mode, uid, &data),
                Part::Link(target) => b.symlink(name, target),
                Part::HardLink(target) => b.hardlink(name, target),
                Part::GnuSparse(real, data) => b.gnu_sparse(name, real, &data, 1),
                Part::PaxSparse(real, data) => b.pax_sparse_1_0(name, real, &data),
            };
        }
        gzip(&b.end())
    }

    enum Part {
        File(u32, u32, Vec<u8>),
        Link(&'static str),
        HardLink(&'static str),
        /// A sparse file: its real size and its one stored part.
        GnuSparse(u64, Vec<u8>),
        PaxSparse(u64, Vec<u8>),
    }

    fn findings(bytes: &[u8]) -> Vec<Diagnostic> {
        check(&collect(bytes, &mut ()).unwrap(), Arch::X64)
    }

    fn set(parts: &mut [(&'static str, Part)], name: &str, part: Part) {
        parts.iter_mut().find(|(n, _)| *n == name).unwrap().1 = part;
    }

    /// The findings of one rule, as (severity, path).
    fn of(found: &[Diagnostic], rule: &str) -> Vec<(Severity, String)> {
        found
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| (d.severity, d.path.clone().unwrap_or_default()))
            .collect()
    }

    /// Each found by WSL's own validator in the validator oracle
    /// (scripts/wsl-oracle): a case id, and what WSL does there.
    #[test]
    fn what_the_validator_oracle_found() {
        let conf = |extra: &str| {
            let text = String::from_utf8_lossy(CONF).replace("icon = /usr/lib/wsl/nixos.ico\n", "");
            Part::File(0o644, 0, format!("{text}{extra}").into_bytes())
        };
        // image/icon-empty-value: WSL reads `icon =` as unset (init's
        // `!shortcutIconPath.empty()`), not as the image's root.
        let found = findings(&image(|p| {
            set(p, "etc/wsl-distribution.conf", conf("[shortcut]\nicon =\n"))
        }));
        assert_eq!(of(&found, "icon-missing").len(), 1, "{found:#?}");
        assert!(of(&found, "file-mode").is_empty(), "{found:#?}");
        // image/passwd-symlink: WSL reads /etc/passwd through the link.
        let found = findings(&image(|p| {
            set(p, "etc/passwd", Part::Link("passwd.real"));
            p.push((
                "etc/passwd.real",
                Part::File(0o644, 0, b"root:x:0:0:root:/root:/bin/sh\n".to_vec()),
            ));
        }));
        assert!(of(&found, "missing-file").is_empty(), "{found:#?}");
        let linked = found.iter().find(|d| d.rule == "linked-file").unwrap();
        assert!(
            linked.message.contains("grades the link itself"),
            "{}",
            linked.message
        );
        // image/icon-parent-symlink: the validator fails the image.
        let found = findings(&image(|p| {
            p.retain(|(n, _)| *n != "usr/lib/wsl/nixos.ico");
            p.push(("usr/share/wsl", Part::Link("/nix/store/d4-share")));
            p.push((
                "nix/store/d4-share/nixos.ico",
                Part::File(0o644, 0, b"\0\0\x01\0".to_vec()),
            ));
            set(
                p,
                "etc/wsl-distribution.conf",
                conf("[shortcut]\nicon = /usr/share/wsl/nixos.ico\n"),
            );
        }));
        let linked = found
            .iter()
            .find(|d| d.rule == "linked-file")
            .expect("linked-file");
        assert!(
            linked.message.contains("\"not found\""),
            "{}",
            linked.message
        );
        // image/sh-mode-644: the mode is the finding, not the architecture.
        let found = findings(&image(|p| set(p, "bin/sh", Part::File(0o644, 0, elf(62)))));
        assert!(of(&found, "elf-arch").is_empty(), "{found:#?}");
        assert_eq!(
            of(&found, "file-mode"),
            [(Severity::Warning, "/bin/sh".into())]
        );
        // wsl-conf-systemd-0-no-init: ParseBool reads 0 as false.
        let found = findings(&image(|p| {
            set(
                p,
                "etc/wsl.conf",
                Part::File(0o644, 0, b"[boot]\nsystemd = 0\n".to_vec()),
            );
            p.retain(|(n, _)| *n != "sbin/init");
        }));
        assert!(of(&found, "missing-file").is_empty(), "{found:#?}");
    }

    #[test]
    fn a_good_image_passes() {
        let found = findings(&image(|_| {}));
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn missing_files_are_errors() {
        for name in [
            "etc/wsl-distribution.conf",
            "etc/passwd",
            "etc/shadow",
            "nix/store/abc-bash/bin/bash",
            "usr/lib/wsl/terminal-profile.json",
            "usr/lib/wsl/oobe.sh",
        ] {
            let found = findings(&image(|p| p.retain(|(n, _)| *n != name)));
            assert!(
                found
                    .iter()
                    .any(|d| d.rule == "missing-file" && d.severity == Severity::Error),
                "{name}: {found:#?}"
            );
        }
    }

    #[test]
    fn modes_and_owners_are_warnings_sizes_errors() {
        let found = findings(&image(|p| {
            set(
                p,
                "usr/lib/wsl/terminal-profile.json",
                Part::File(0o644, 0, b"{\"profiles\": []}".to_vec()),
            );
            set(
                p,
                "etc/wsl-distribution.conf",
                Part::File(0o644, 1000, CONF.to_vec()),
            );
            set(
                p,
                "usr/lib/wsl/nixos.ico",
                Part::File(0o644, 0, vec![0; 1024 * 1024 + 1]),
            );
        }));
        assert_eq!(
            of(&found, "file-mode"),
            [(
                Severity::Warning,
                "/usr/lib/wsl/terminal-profile.json".into()
            )]
        );
        assert_eq!(
            of(&found, "file-owner"),
            [(Severity::Warning, "/etc/wsl-distribution.conf".into())]
        );
        assert_eq!(
            of(&found, "file-size"),
            [(Severity::Error, "/usr/lib/wsl/nixos.ico".into())]
        );
    }

    #[test]
    fn the_wrong_elf_or_no_elf_is_an_error() {
        let found = findings(&image(|p| {
            set(
                p,
                "nix/store/abc-bash/bin/bash",
                Part::File(0o555, 0, elf(183)),
            )
        }));
        let elf_errors = of(&found, "elf-arch");
        assert!(elf_errors.iter().any(|(_, p)| p == "/bin/sh"), "{found:#?}");
        assert!(
            elf_errors.iter().any(|(_, p)| p == "/sbin/init"),
            "systemd=true checks /sbin/init"
        );
        let found = findings(&image(|p| {
            set(
                p,
                "nix/store/abc-bash/bin/bash",
                Part::File(0o555, 0, b"#!/bin/dash\n".to_vec()),
            )
        }));
        assert!(
            found
                .iter()
                .any(|d| d.rule == "elf-arch" && d.message.contains("not a 64-bit x86-64 ELF"))
        );
    }

    #[test]
    fn conf_wsl_conf_passwd_and_template_contents_are_checked() {
        let found = findings(&image(|p| {
            set(p, "etc/wsl-distribution.conf", Part::File(0o644, 0, b"[oobe]\ndefaultUid = 1001\n[shortcut]\nicon = /etc/nixos.ico\n[windowsterminal]\nprofileTemplate = /usr/lib/wsl/terminal-profile.json\n".to_vec()));
            p.push(("etc/nixos.ico", Part::File(0o644, 0, b"ico".to_vec())));
            set(
                p,
                "etc/wsl.conf",
                Part::File(
                    0o644,
                    0,
                    b"[boot]\nsystemd=false\n[user]\ndefault=nixos\n[automount]\nbogus=1\n"
                        .to_vec(),
                ),
            );
            set(
                p,
                "etc/passwd",
                Part::File(
                    0o644,
                    0,
                    b"toor:x:0:0::/:/bin/sh\nbroken line\nnixos:x:1001:100::/home/nixos:/bin/sh\n"
                        .to_vec(),
                ),
            );
            set(
                p,
                "usr/lib/wsl/terminal-profile.json",
                Part::File(0o640, 0, b"{\"profiles\": [{\"fontFce\": \"x\"}]}".to_vec()),
            );
        }));
        let rules: Vec<&str> = found.iter().map(|d| d.rule).collect();
        for rule in [
            "uid-not-1000",
            "path-location",
            "wsl-conf-key",
            "wsl-conf-user-default",
            "passwd",
            "unknown-key",
        ] {
            assert!(rules.contains(&rule), "{rule}: {found:#?}");
        }
        assert_eq!(
            found
                .iter()
                .filter(|d| d.rule == "passwd" && d.severity == Severity::Error)
                .count(),
            2,
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.rule == "passwd" && d.message.contains("oobe.defaultUid 1001"))
        );
        assert!(
            !rules.contains(&"elf-arch"),
            "systemd=false leaves /sbin/init alone"
        );
    }

    #[test]
    fn hostile_names_loops_units_and_plain_tars() {
        let found = findings(&image(|p| {
            p.push(("../../etc/cron.d/evil", Part::File(0o644, 0, b"x".to_vec())));
            set(p, "bin/sh", Part::Link("/bin/sh2"));
            p.push(("bin/sh2", Part::Link("/bin/sh")));
            p.push((
                "etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
                Part::Link("/usr/lib/systemd/system/systemd-networkd.service"),
            ));
            p.push((
                "etc/systemd/system/sysinit.target.wants/systemd-resolved.service",
                Part::Link("/dev/null"),
            ));
        }));
        assert_eq!(of(&found, "path-escape").len(), 1, "{found:#?}");
        assert_eq!(
            of(&found, "symlink-loop"),
            [(Severity::Error, "/bin/sh".into())]
        );
        assert_eq!(
            of(&found, "systemd-unit"),
            [(
                Severity::Warning,
                "/etc/systemd/system/multi-user.target.wants/systemd-networkd.service".into()
            )],
            "a unit linked to /dev/null is masked"
        );
        let mut plain = TarBuilder::default();
        plain.file("x", b"");
        let found = check(&collect(&plain.end()[..], &mut ()).unwrap(), Arch::X64);
        assert!(found.iter().any(|d| d.rule == "compression"));
        let empty = check(
            &collect(&gzip(&[0u8; 1024])[..], &mut ()).unwrap(),
            Arch::X64,
        );
        assert_eq!(of(&empty, "empty-archive").len(), 1, "{empty:#?}");
        assert_eq!(empty.len(), 1, "nothing else is said of an empty archive");
    }

    /// NixOS-WSL's own conf (`generators.toINI` of oobe.defaultName and
    /// shortcut.icon), plus one fault of each kind the validator reports.
    const NIXOS_CONF: &[u8] =
        b"[oobe]\ndefaultName=NixOS\ndefaultUid=1001\n\n[shortcut]\nicon=/etc/nixos.ico\nenable=true\n";

    /// The conf and /bin/sh as NixOS lays them out: /etc/wsl-distribution.conf
    /// -> /etc/static/... ; /etc/static -> /nix/store/<hash>-etc/etc; the file
    /// deeper in the store. `links_first` puts every link before its target.
    fn nixos_image(links_first: bool) -> Vec<u8> {
        let links: Vec<(&'static str, Part)> = vec![
            ("bin/sh", Part::Link("/nix/store/c3-bash/bin/sh")),
            ("sbin/init", Part::Link("/nix/store/d4-system/init")),
            ("etc/static", Part::Link("/nix/store/a1-etc/etc")),
            (
                "etc/wsl-distribution.conf",
                Part::Link("/etc/static/wsl-distribution.conf"),
            ),
            ("etc/wsl.conf", Part::Link("/etc/static/wsl.conf")),
            (
                "nix/store/a1-etc/etc/wsl-distribution.conf",
                Part::Link("/nix/store/b2-wsl-distribution.conf"),
            ),
            (
                "nix/store/a1-etc/etc/wsl.conf",
                Part::Link("/nix/store/e5-wsl.conf"),
            ),
        ];
        let targets: Vec<(&'static str, Part)> = vec![
            (
                "nix/store/b2-wsl-distribution.conf",
                Part::File(0o644, 0, NIXOS_CONF.to_vec()),
            ),
            (
                "nix/store/e5-wsl.conf",
                Part::File(0o644, 0, b"[boot]\nsystemd=true\n".to_vec()),
            ),
            ("nix/store/c3-bash/bin/sh", Part::File(0o555, 0, elf(62))),
            ("nix/store/d4-system/init", Part::File(0o555, 0, elf(62))),
        ];
        image(|p| {
            p.retain(|(name, _)| {
                ![
                    "bin/sh",
                    "sbin/init",
                    "etc/wsl-distribution.conf",
                    "etc/wsl.conf",
                ]
                .contains(name)
            });
            p.push((
                "etc/nixos.ico",
                Part::File(0o644, 0, b"\0\0\x01\0".to_vec()),
            ));
            let (before, after) = if links_first {
                (links, targets)
            } else {
                (targets, links)
            };
            p.extend(before);
            p.extend(after);
        })
    }

    /// Every finding on the image's file contents, keyed by rule and message.
    fn content_findings(found: &[Diagnostic]) -> Vec<(String, Severity, String)> {
        let mut out: Vec<_> = found
            .iter()
            .filter(|d| d.path.as_deref() == Some(super::CONF))
            .map(|d| (d.rule.to_owned(), d.severity, d.message.clone()))
            .collect();
        out.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
        out
    }

    fn check_file(bytes: &[u8]) -> Vec<Diagnostic> {
        let facts = crate::image::collect_reopening(|| Ok(bytes), &mut ()).unwrap();
        check(&facts, Arch::X64)
    }

    #[test]
    fn a_nixos_layout_is_read_through_its_links_in_either_order() {
        let plain = findings(&image(|p| {
            set(
                p,
                "etc/wsl-distribution.conf",
                Part::File(0o644, 0, NIXOS_CONF.to_vec()),
            );
            p.push((
                "etc/nixos.ico",
                Part::File(0o644, 0, b"\0\0\x01\0".to_vec()),
            ));
        }));
        let expected = content_findings(&plain);
        let rules: Vec<&str> = expected.iter().map(|f| f.0.as_str()).collect();
        assert!(
            rules.contains(&"unknown-key") && rules.contains(&"uid-not-1000"),
            "{expected:#?}"
        );
        for links_first in [true, false] {
            let bytes = nixos_image(links_first);
            let found = check_file(&bytes);
            assert_eq!(
                content_findings(&found),
                expected,
                "links first: {links_first}"
            );
            for absent in ["not-read", "missing-file", "elf-arch", "elf"] {
                assert!(
                    !found.iter().any(|d| d.rule == absent),
                    "links first: {links_first}: {found:#?}"
                );
            }
            // From a stream read once, the conf is named as unread, with why.
            let once = findings(&bytes);
            let unread: Vec<&Diagnostic> = once.iter().filter(|d| d.rule == "not-read").collect();
            assert!(
                unread.iter().any(|d| d.path.as_deref() == Some(super::CONF)
                    && d.message.contains("/nix/store/b2-wsl-distribution.conf")
                    && d.message.contains("give the image as a file")),
                "{once:#?}"
            );
        }
    }

    #[test]
    fn a_conf_reached_through_a_hard_link_is_read() {
        let bytes = image(|p| {
            set(
                p,
                "etc/wsl-distribution.conf",
                Part::HardLink("nix/store/b2-conf"),
            );
            p.insert(
                0,
                (
                    "nix/store/b2-conf",
                    Part::File(0o644, 0, NIXOS_CONF.to_vec()),
                ),
            );
            p.push((
                "etc/nixos.ico",
                Part::File(0o644, 0, b"\0\0\x01\0".to_vec()),
            ));
        });
        let found = check_file(&bytes);
        assert!(found.iter().any(|d| d.rule == "unknown-key"), "{found:#?}");
        assert!(!found.iter().any(|d| d.rule == "not-read"), "{found:#?}");
    }

    #[test]
    fn hard_links_that_escape_or_dangle_are_errors() {
        let found = findings(&image(|p| {
            p.push(("etc/escape", Part::HardLink("../../etc/shadow")));
            p.push(("etc/dangling", Part::HardLink("nix/store/nothing-here")));
        }));
        assert_eq!(
            of(&found, "path-escape"),
            [(Severity::Error, "etc/escape".into())]
        );
        assert_eq!(
            of(&found, "hard-link-target"),
            [(Severity::Error, "etc/dangling".into())]
        );
    }

    /// A sparse file is as large as its real size, whatever it stores.
    #[test]
    fn sparse_files_are_checked_at_their_real_name_and_size() {
        for part in [
            Part::GnuSparse(2 << 20, b"\0\0\x01\0".to_vec()),
            Part::PaxSparse(2 << 20, b"\0\0\x01\0".to_vec()),
        ] {
            let pax = matches!(part, Part::PaxSparse(..));
            let found = findings(&image(|p| set(p, "usr/lib/wsl/nixos.ico", part)));
            assert_eq!(
                of(&found, "file-size"),
                [(Severity::Error, "/usr/lib/wsl/nixos.ico".into())],
                "PAX: {pax}: {found:#?}"
            );
            assert!(
                of(&found, "missing-file").is_empty(),
                "PAX: {pax}: {found:#?}"
            );
        }
    }

    /// The files the conf names may be links into /nix/store: WSL follows
    /// them, the validator does not; checked through the link, and named.
    #[test]
    fn files_the_conf_names_are_followed_through_links() {
        let bytes = image(|p| {
            set(
                p,
                "usr/lib/wsl/nixos.ico",
                Part::Link("/nix/store/f6-icon/nixos.ico"),
            );
            p.push((
                "nix/store/f6-icon/nixos.ico",
                Part::File(0o644, 0, vec![0; 2 << 20]),
            ));
            set(
                p,
                "usr/lib/wsl/terminal-profile.json",
                Part::Link("/nix/store/g7-template.json"),
            );
            p.insert(
                0,
                (
                    "nix/store/g7-template.json",
                    Part::File(0o644, 0, b"{\"profiles\": [{\"fontFce\": \"x\"}]}".to_vec()),
                ),
            );
        });
        let found = check_file(&bytes);
        assert_eq!(
            of(&found, "linked-file"),
            [
                (Severity::Warning, "/usr/lib/wsl/nixos.ico".into()),
                (
                    Severity::Warning,
                    "/usr/lib/wsl/terminal-profile.json".into()
                )
            ],
            "{found:#?}"
        );
        assert!(of(&found, "missing-file").is_empty(), "{found:#?}");
        // The icon's real size, and the template's contents, are checked.
        assert_eq!(of(&found, "file-size").len(), 1, "{found:#?}");
        assert!(
            found.iter().any(|d| d.message.contains("fontFce")),
            "{found:#?}"
        );
    }
}
