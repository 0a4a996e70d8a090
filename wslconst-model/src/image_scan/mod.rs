//! The security scan of an image, run in the same pass as the collector
//! ([`crate::image::collect`], as an [`EntryVisitor`]): what should never
//! ship in an image that others import.
//!
//! - personal identifiers given by the user (names, emails, host names), in
//!   paths and contents, case-insensitively, all patterns in one
//!   Aho-Corasick pass;
//! - private keys (PEM, OpenSSH and PGP blocks, also written with literal
//!   `\n` inside JSON or YAML strings);
//! - tokens and keys by their published formats, one table in [`tokens`]
//!   (GitHub, GitLab, AWS key ids and secret keys, Slack tokens and
//!   webhooks, Stripe, Google API keys, GCP service-account files, Azure
//!   account keys, npm, PyPI, Kubernetes client keys, JWTs), and Windows
//!   user folders (`C:\Users\NAME`, `/mnt/c/Users/NAME`, a warning);
//! - secrets found by where they are, in [`config_files`]: password hashes
//!   in `/etc/shadow`, `.env` secrets (a warning), `.pgpass`, `.my.cnf`,
//!   `.pypirc`, Docker `config.json` logins, kubeconfig tokens;
//! - SSH host keys baked into `/etc/ssh` (every imported copy would share
//!   them), `.git-credentials`, `.netrc` and non-empty shell histories;
//! - world-writable files, and setuid/setgid files not on [`SETUID_ALLOWED`].
//!
//! Documented example keys and placeholders (`AKIAIOSFODNN7EXAMPLE`, one
//! character repeated, `xxxx`, `your-token-here`, `<REDACTED>`, `...`) are not
//! secrets, and a PEM label with no key body after it is documentation.
//! Secrets are never printed whole: [`Finding::excerpt`] keeps a few
//! characters and the length.

mod config_files;
mod tokens;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;

use crate::archive::{Entry, EntryKind};
use crate::diagnostic::Severity;
use crate::image::EntryVisitor;

/// Programs that are setuid or setgid on ordinary distros.
pub const SETUID_ALLOWED: &[&str] = &[
    "at",
    "chage",
    "chfn",
    "chsh",
    "crontab",
    "dbus-daemon-launch-helper",
    "expiry",
    "fusermount",
    "fusermount3",
    "gpasswd",
    "mount",
    "newgidmap",
    "newgrp",
    "newuidmap",
    "passwd",
    "ping",
    "ping6",
    "pkexec",
    "polkit-agent-helper-1",
    "ssh-agent",
    "ssh-keysign",
    "su",
    "sudo",
    "sudoedit",
    "umount",
    "unix_chkpwd",
    "wall",
    "write",
    "Xorg.wrap",
];

/// Shell and REPL history files.
pub const HISTORY_FILES: &[&str] = &[
    ".bash_history",
    ".zsh_history",
    ".histfile",
    "fish_history",
    ".python_history",
    ".node_repl_history",
    ".mysql_history",
    ".psql_history",
    ".sqlite_history",
    ".lesshst",
    ".history",
];

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `personal-data`, `private-key`, `token`, `windows-user-folder`,
    /// `password-hash`, `credentials`, `env-secret`, `ssh-host-key`,
    /// `credentials-file`, `shell-history`, `world-writable`, `setuid`.
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The file, normalized.
    pub path: String,
    /// Byte offset in the file, for content findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// 1-based line, for content findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What was found, redacted.
    pub excerpt: String,
}

/// Keeps a secret's first characters and its length.
pub fn redact(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}… ({} characters)", secret.chars().count())
}

/// The kinds of literal the automaton looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    Personal(usize),
    PemBegin,
    /// A rule of [`tokens::TOKEN_RULES`].
    Token(usize),
}

/// The longest text after a marker that validating it reads.
const LOOKAHEAD: usize = 256;
/// Findings of one rule kept per file (the rest are counted).
const PER_FILE: usize = 3;

/// The scanner. Give it to [`crate::image::collect`].
pub struct Scanner {
    /// The fixed markers, case-sensitive (so the automaton's SIMD prefilter
    /// applies).
    automaton: AhoCorasick,
    markers: Vec<Marker>,
    /// The personal identifiers, ASCII case-insensitive.
    personal_automaton: Option<AhoCorasick>,
    personal: Vec<String>,
    /// The same, lowercased once, for matching paths.
    personal_lower: Vec<String>,
    /// Findings so far.
    pub findings: Vec<Finding>,
    /// Findings beyond [`PER_FILE`] per rule and file, not listed.
    pub suppressed: u64,
    // Per entry:
    path: String,
    carry: Vec<u8>,
    carry_offset: u64,
    window: Vec<u8>,
    /// Whether the current file is an ELF binary.
    elf: bool,
    line: u64,
    per_rule: Vec<(&'static str, usize)>,
    /// The current file, kept whole when [`config_files`] reads it.
    config: Option<(config_files::ConfigFile, Vec<u8>)>,
}

impl Scanner {
    /// A scanner for these personal identifiers (empty ones are ignored).
    pub fn new(personal: &[String]) -> Scanner {
        let personal: Vec<String> = personal
            .iter()
            .filter(|p| !p.trim().is_empty())
            .cloned()
            .collect();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut markers = Vec::new();
        patterns.push(b"-----BEGIN ".to_vec());
        markers.push(Marker::PemBegin);
        for (i, rule) in tokens::TOKEN_RULES.iter().enumerate() {
            patterns.push(rule.marker.as_bytes().to_vec());
            markers.push(Marker::Token(i));
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .expect("the patterns build an automaton");
        let personal_automaton = (!personal.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostFirst)
                .build(&personal)
                .expect("the patterns build an automaton")
        });
        Scanner {
            automaton,
            markers,
            personal_automaton,
            personal_lower: personal.iter().map(|p| p.to_lowercase()).collect(),
            personal,
            findings: Vec::new(),
            suppressed: 0,
            path: String::new(),
            carry: Vec::new(),
            carry_offset: 0,
            window: Vec::new(),
            elf: false,
            line: 1,
            per_rule: Vec::new(),
            config: None,
        }
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    fn push(&mut self, finding: Finding) {
        let count = match self.per_rule.iter_mut().find(|(r, _)| *r == finding.rule) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.per_rule.push((finding.rule, 1));
                1
            }
        };
        // Every account with a password hash is its own finding.
        if count > PER_FILE && finding.rule != "password-hash" {
            self.suppressed += 1;
        } else {
            self.findings.push(finding);
        }
    }

    fn path_rules(&mut self, entry: &Entry) {
        let path = entry.path.normalized.clone();
        let name = path.rsplit('/').next().unwrap_or("");
        let lower = path.to_lowercase();
        let hits: Vec<String> = self
            .personal
            .iter()
            .zip(&self.personal_lower)
            .filter(|(_, p)| lower.contains(p.as_str()))
            .map(|(p, _)| format!("the path contains {p:?}"))
            .collect();
        for excerpt in hits {
            self.push(self.finding("personal-data", Severity::Error, None, excerpt));
        }
        let is_file = matches!(entry.kind, EntryKind::File);
        if is_file
            && name.starts_with("ssh_host_")
            && name.ends_with("_key")
            && path.starts_with("/etc/ssh/")
        {
            self.push(self.finding(
                "ssh-host-key",
                Severity::Error,
                None,
                "an SSH host private key: every imported copy would share it; generate host keys at first boot".into(),
            ));
        }
        if is_file && matches!(name, ".git-credentials" | ".netrc" | "_netrc") {
            self.push(self.finding(
                "credentials-file",
                Severity::Error,
                None,
                format!("{name} holds credentials"),
            ));
        }
        if is_file && HISTORY_FILES.contains(&name) && entry.size > 0 {
            self.push(self.finding(
                "shell-history",
                Severity::Error,
                None,
                format!(
                    "a shell history of {} bytes: commands typed while building the image",
                    entry.size
                ),
            ));
        }
        let special = entry.mode & 0o6000;
        if special != 0 && is_file && !SETUID_ALLOWED.contains(&name) {
            let what = match special {
                0o4000 => "setuid",
                0o2000 => "setgid",
                _ => "setuid and setgid",
            };
            self.push(self.finding(
                "setuid",
                Severity::Error,
                None,
                format!(
                    "{what} (mode {:o}) and not a program that usually is",
                    entry.mode
                ),
            ));
        }
        let sticky_dir = matches!(entry.kind, EntryKind::Directory) && entry.mode & 0o1000 != 0;
        let writable = entry.mode & 0o002 != 0;
        if writable
            && !sticky_dir
            && !matches!(
                entry.kind,
                EntryKind::Symlink(_) | EntryKind::CharDevice | EntryKind::BlockDevice
            )
        {
            let (severity, what) = match entry.kind {
                _ if is_file => (
                    Severity::Error,
                    "a world-writable file: any user of the distro can change it",
                ),
                EntryKind::Directory => (
                    Severity::Warning,
                    "a world-writable directory without the sticky bit: any user can replace what is in it",
                ),
                EntryKind::Fifo => (
                    Severity::Warning,
                    "a world-writable FIFO: any user of the distro can write into it",
                ),
                _ => (
                    Severity::Warning,
                    "a world-writable special file: any user of the distro can write to it",
                ),
            };
            self.push(self.finding(
                "world-writable",
                severity,
                None,
                format!("{what} (mode {:o})", entry.mode),
            ));
        }
    }

    fn finding(
        &self,
        rule: &'static str,
        severity: Severity,
        at: Option<(u64, u64)>,
        excerpt: String,
    ) -> Finding {
        Finding {
            rule,
            severity,
            path: self.path.clone(),
            offset: at.map(|a| a.0),
            line: at.map(|a| a.1),
            excerpt,
        }
    }

    /// Scans `window` (the carried tail plus a new chunk), which starts at
    /// `self.carry_offset` in the file; `last` when the file ends with it.
    fn scan(&mut self, window: &[u8], last: bool) {
        let limit = if last {
            window.len()
        } else {
            window.len().saturating_sub(LOOKAHEAD)
        };
        let mut matches: Vec<(usize, usize, Marker)> = self
            .automaton
            .find_iter(window)
            .map(|m| (m.start(), m.end(), self.markers[m.pattern().as_usize()]))
            .collect();
        if let Some(personal) = &self.personal_automaton {
            matches.extend(
                personal
                    .find_iter(window)
                    .map(|m| (m.start(), m.end(), Marker::Personal(m.pattern().as_usize()))),
            );
            matches.sort_by_key(|m| m.0);
        }
        for (start, end, marker) in matches {
            if start >= limit {
                continue;
            }
            let before_ok = start == 0 || !window[start - 1].is_ascii_alphanumeric();
            let rest = &window[end..];
            let at = self.carry_offset + start as u64;
            let found: Option<(&'static str, String)> = match marker {
                Marker::Personal(i) => Some(("personal-data", format!("{:?}", self.personal[i]))),
                Marker::PemBegin => {
                    pem_kind(rest).map(|kind| ("private-key", format!("-----BEGIN {kind}-----")))
                }
                Marker::Token(i) => {
                    let rule = &tokens::TOKEN_RULES[i];
                    if rule.word_start && !before_ok {
                        None
                    } else {
                        (rule.check)(&window[..start], rest).map(|secret| {
                            if rule.what == "a Windows user folder" {
                                ("windows-user-folder", format!("{}: {secret}", rule.what))
                            } else {
                                ("token", format!("{}: {}", rule.what, redact(&secret)))
                            }
                        })
                    }
                }
            };
            if let Some((rule, excerpt)) = found {
                let line = self.line_at(window, start);
                // Libraries (GnuTLS, OpenSSL) carry PEM keys for their
                // self-tests: public test vectors, not anyone's secret.
                let (severity, excerpt) = if rule == "private-key" && self.elf {
                    (
                        Severity::Warning,
                        format!(
                            "{excerpt} inside an ELF binary (likely a library's built-in test key)"
                        ),
                    )
                } else if rule == "windows-user-folder" {
                    (
                        Severity::Warning,
                        format!("{excerpt}: a path from the builder's machine"),
                    )
                } else {
                    (Severity::Error, excerpt)
                };
                self.push(self.finding(rule, severity, Some((at, line)), excerpt));
            }
        }
        // Count lines up to where the carry starts, then keep the carry:
        // matches starting there are found with the next chunk.
        self.count_lines(&window[..limit]);
        self.carry.clear();
        self.carry.extend_from_slice(&window[limit..]);
        self.carry_offset += limit as u64;
    }

    fn line_at(&self, window: &[u8], pos: usize) -> u64 {
        self.line + window[..pos].iter().filter(|&&b| b == b'\n').count() as u64
    }

    fn count_lines(&mut self, consumed: &[u8]) {
        self.line += consumed.iter().filter(|&&b| b == b'\n').count() as u64;
    }
}

/// The PEM label of a private key block starting right after `-----BEGIN `,
/// when a block follows: the next line is base64 (or an encrypted key's
/// `Proc-Type:` header). Programs that parse keys hold the label alone, as
/// a string constant, and are not keys.
fn pem_kind(rest: &[u8]) -> Option<String> {
    let end = rest.iter().take(64).position(|&b| b == b'-')?;
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    let dashes = rest.get(end..end + 5)?;
    if dashes != b"-----" || !(label.ends_with("PRIVATE KEY") || label == "PGP PRIVATE KEY BLOCK") {
        return None;
    }
    let mut body = &rest[end + 5..];
    // A line break, or `\n` written out inside a JSON or YAML string.
    let newline = |body: &[u8]| -> Option<usize> {
        if body.starts_with(b"\r\n") {
            Some(2)
        } else if body.starts_with(b"\n") || body.starts_with(b"\\n") {
            Some(if body[0] == b'\n' { 1 } else { 2 })
        } else {
            None
        }
    };
    body = &body[newline(body)?..];
    // Armor headers (PGP's Version:/Comment:, PEM's Proc-Type:), then a
    // blank line, may come before the key.
    for _ in 0..8 {
        let line_end = body
            .iter()
            .take(LOOKAHEAD)
            .position(|&b| b == b'\n' || b == b'\\');
        let is_header = body
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count()
            > 0
            && body
                .iter()
                .take(64)
                .position(|&b| b == b':')
                .is_some_and(|colon| {
                    body[..colon]
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                });
        if let Some(skip) = newline(body) {
            body = &body[skip..];
        } else if is_header && let Some(at) = line_end {
            body = &body[at..];
            body = &body[newline(body)?..];
        } else {
            break;
        }
    }
    let base64 = body
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .count();
    (base64 >= 32).then(|| label.to_owned())
}

impl EntryVisitor for Scanner {
    fn entry(&mut self, entry: &Entry) {
        self.path = entry.path.normalized.clone();
        self.carry.clear();
        self.carry_offset = 0;
        self.line = 1;
        self.per_rule.clear();
        self.elf = false;
        self.config = matches!(entry.kind, EntryKind::File)
            .then(|| config_files::ConfigFile::of(&self.path))
            .flatten()
            .map(|kind| (kind, Vec::new()));
        self.path_rules(entry);
    }

    fn data(&mut self, entry: &Entry, at: u64, chunk: &[u8]) {
        let last = at + chunk.len() as u64 == entry.data_size;
        if at == 0 {
            self.elf = chunk.starts_with(b"\x7fELF");
        }
        let mut window = std::mem::take(&mut self.window);
        window.clear();
        window.extend_from_slice(&self.carry);
        window.extend_from_slice(chunk);
        self.scan(&window, last);
        self.window = window;
        if let Some((kind, kept)) = &mut self.config {
            if kept.len() + chunk.len() <= config_files::MAX_CONFIG_FILE {
                kept.extend_from_slice(chunk);
            }
            if last {
                let kind = *kind;
                let kept = std::mem::take(kept);
                for (rule, severity, offset, line, excerpt) in config_files::check(kind, &kept) {
                    self.push(self.finding(rule, severity, Some((offset, line)), excerpt));
                }
                self.config = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::tests::{TarBuilder, gzip};
    use crate::image::collect;

    fn scan(tar: Vec<u8>, personal: &[&str]) -> Scanner {
        let mut scanner = Scanner::new(&personal.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        collect(&gzip(&tar)[..], &mut scanner).unwrap();
        scanner
    }

    fn rules(s: &Scanner) -> Vec<(&'static str, String)> {
        s.findings
            .iter()
            .map(|f| (f.rule, f.path.clone()))
            .collect()
    }

    const GH: &str = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn keys_and_tokens_are_found_redacted_with_offset_and_line() {
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
        let env = format!(
            "export A=1\nexport TOKEN={GH}\nAWS=AKIAQ3EGUT7K4LMN2XZR\nglpat-abcdefghij0123456789\n"
        );
        let s = scan(
            TarBuilder::default()
                .file("root/.ssh/id_ed25519", key.as_bytes())
                .file("home/u/.envrc", env.as_bytes())
                .file(
                    "usr/share/doc/fine",
                    b"ghp_short AKIAlowercase -----BEGIN PUBLIC KEY-----",
                )
                // A library's self-test key: a warning, not an error.
                .file(
                    "usr/lib/libgnutls.so.30",
                    format!("\x7fELF\0\0\0{key}").as_bytes(),
                )
                // How a TLS library holds the label: no key follows it.
                .file(
                    "usr/lib/libtls.so",
                    b"\0-----BEGIN PRIVATE KEY-----\0-----BEGIN RSA PRIVATE KEY-----\0",
                )
                .end(),
            &[],
        );
        let (f, in_binaries): (Vec<Finding>, Vec<Finding>) = s
            .findings
            .iter()
            .cloned()
            .partition(|f| f.path != "/usr/lib/libgnutls.so.30");
        assert_eq!(in_binaries.len(), 1);
        assert_eq!(in_binaries[0].severity, Severity::Warning);
        assert!(in_binaries[0].excerpt.contains("inside an ELF binary"));
        assert_eq!(f.len(), 4, "{f:#?}");
        assert_eq!(
            (f[0].rule, f[0].line, f[0].offset),
            ("private-key", Some(1), Some(0))
        );
        assert_eq!(f[0].excerpt, "-----BEGIN OPENSSH PRIVATE KEY-----");
        assert_eq!(
            (f[1].path.as_str(), f[1].line, f[1].offset),
            ("/home/u/.envrc", Some(2), Some(24))
        );
        assert_eq!(f[1].excerpt, "a GitHub token: ghp_… (40 characters)");
        assert!(
            !format!("{f:?}").contains("abcdefghijklmnop"),
            "secrets are redacted"
        );
        assert_eq!(
            (f[2].line, f[2].excerpt.as_str()),
            (Some(3), "an AWS access key id: AKIA… (20 characters)")
        );
        assert_eq!(f[3].line, Some(4));
    }

    #[test]
    fn a_secret_split_across_chunks_is_found_once() {
        // The collector reads 256 KiB at a time; put the token on the seam.
        let mut data = vec![b'x'; 256 * 1024 - 10];
        data.push(b' ');
        data.extend_from_slice(GH.as_bytes());
        data.extend_from_slice(b" \n");
        let s = scan(TarBuilder::default().file("big", &data).end(), &[]);
        assert_eq!(s.findings.len(), 1, "{:#?}", s.findings);
        assert_eq!(s.findings[0].offset, Some(256 * 1024 - 9));
    }

    #[test]
    fn personal_identifiers_in_paths_and_contents_any_case() {
        let s = scan(
            TarBuilder::default()
                .file("home/jdoe/notes.txt", b"mail JANE.DOE@example.com\n")
                .file("etc/hosts", b"127.0.1.1 jdoe-laptop\n")
                .end(),
            &["jdoe", "jane.doe@example.com"],
        );
        let r = rules(&s);
        assert!(
            r.contains(&("personal-data", "/home/jdoe/notes.txt".into())),
            "{r:?}"
        );
        assert_eq!(
            r.iter()
                .filter(|(rule, _)| *rule == "personal-data")
                .count(),
            3,
            "{r:?}"
        );
    }

    #[test]
    fn files_that_should_not_ship() {
        let mut b = TarBuilder::default();
        b.owned("etc/ssh/ssh_host_ed25519_key", 0o600, 0, b"k")
            .owned("etc/ssh/ssh_host_ed25519_key.pub", 0o644, 0, b"k")
            .owned("root/.git-credentials", 0o600, 0, b"https://u:p@h")
            .owned("root/.bash_history", 0o600, 0, b"ls\n")
            .owned("home/u/.zsh_history", 0o600, 1000, b"")
            .owned("usr/bin/sudo", 0o4755, 0, b"")
            .owned("usr/local/bin/backdoor", 0o4755, 0, b"")
            .owned("srv/open", 0o666, 0, b"");
        b.header(b"run/fifo", b'6', b"00000000000\0", b"");
        let at = b.bytes.len() - 512;
        b.bytes[at + 100..at + 108].copy_from_slice(b"0000666\0");
        crate::archive::tests::seal((&mut b.bytes[at..at + 512]).try_into().unwrap());
        b.header(b"tmp/", b'5', b"00000000000\0", b"");
        let at = b.bytes.len() - 512;
        b.bytes[at + 100..at + 108].copy_from_slice(b"0001777\0");
        crate::archive::tests::seal((&mut b.bytes[at..at + 512]).try_into().unwrap());
        let s = scan(b.end(), &[]);
        assert_eq!(
            rules(&s),
            [
                ("ssh-host-key", "/etc/ssh/ssh_host_ed25519_key".into()),
                ("credentials-file", "/root/.git-credentials".into()),
                ("shell-history", "/root/.bash_history".into()),
                ("setuid", "/usr/local/bin/backdoor".into()),
                ("world-writable", "/srv/open".into()),
                ("world-writable", "/run/fifo".into()),
            ]
        );
        let fifo = s.findings.iter().find(|f| f.path == "/run/fifo").unwrap();
        assert!(fifo.excerpt.contains("a world-writable FIFO"), "{fifo:?}");
        assert_eq!(fifo.severity, Severity::Warning);
    }

    #[test]
    fn repeated_findings_in_one_file_are_counted_not_listed() {
        let data = format!("{GH}\n").repeat(10);
        let s = scan(TarBuilder::default().file("f", data.as_bytes()).end(), &[]);
        assert_eq!(s.findings.len(), PER_FILE);
        assert_eq!(s.suppressed, 7);
    }

    /// One file per format of the table and per configuration file, and the
    /// placeholders and documentation that look like them.
    #[test]
    fn every_format_is_found_and_no_placeholder_is() {
        const B64_40: &str = "q8Lm3ZpR7tVx2Wn9Ky4Hb6Jc1Fd5Gs0Ae8Ui7OpZ";
        const ALNUM_36: &str = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        let azure_key = "Zm9vYmFyYmF6cXV4".repeat(5) + "q8Lm3ZpR==";
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJub2RlIiwiaWF0IjoxNzAwMDAwMDAwfQ.Qm9vbGVhbkxvZ2ljSXNGdW5JbmRlZWQ";
        let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", "Zx9Ka2Lm".repeat(8));
        let pem_json = format!(
            "{{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC{B64_40}\\n-----END PRIVATE KEY-----\\n\"}}"
        );
        let pgp = format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: a comment\n\nlQOYBGV{B64_40}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n"
        );
        let found: &[(&str, String, &str)] = &[
            ("a/gh", format!("t = ghp_{ALNUM_36}"), "a GitHub token"),
            ("a/aws", format!("[default]\naws_secret_access_key = {B64_40}\n"), "an AWS secret access key"),
            ("a/slack", "SLACK=xoxb-123456789012-1234567890123-Ab3dEf6hIj9kLm2nOp5qRs8t".into(), "a Slack token"),
            ("a/hook", "url: https://hooks.slack.com/services/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".into(), "a Slack webhook URL"),
            ("a/stripe", format!("key = 'sk_live_{ALNUM_36}'"), "a Stripe secret key"),
            ("a/stripe-r", format!("key = 'rk_live_{ALNUM_36}'"), "a Stripe restricted key"),
            ("a/google", "k = 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'".into(), "a Google API key"),
            ("a/sa.json", pem_json.clone(), "a Google Cloud service account key file"),
            ("a/azure", format!("DefaultEndpointsProtocol=https;AccountName=x;AccountKey={azure_key};EndpointSuffix=core.windows.net"), "an Azure storage account key"),
            ("a/npm", format!("NPM=npm_{ALNUM_36}"), "an npm token"),
            ("root/.npmrc", "//registry.npmjs.org/:_authToken=5f2a8d7e-1c3b-4e4f-9a6b-7c8d9e0f1a2b".into(), "an npm registry token"),
            ("a/pypi", format!("TWINE_PASSWORD={pypi}"), "a PyPI token"),
            ("a/k3s.yaml", format!("    client-key-data: {}", B64_40.repeat(3)), "a Kubernetes client key"),
            ("a/agent.ini", format!("token = {jwt}"), "a JSON web token"),
            ("a/settings.ini", "out = C:\\Users\\jdoe\\Documents\\x".into(), "a Windows user folder"),
            ("a/.bashrc", "cd /mnt/c/Users/jdoe/src".into(), "a Windows user folder"),
            ("a/win.json", "{\"p\": \"D:\\\\Users\\\\jdoe\\\\x\"}".into(), "a Windows user folder"),
            ("a/pgp.asc", pgp, "PGP PRIVATE KEY BLOCK"),
            ("a/key.yaml", "key: \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEI{B64_40}\\n-----END EC PRIVATE KEY-----\"".replace("{B64_40}", B64_40), "EC PRIVATE KEY"),
            ("etc/shadow", "root:$6$salt$hash:19000:0:99999:7:::\nnixos:$y$j9T$salt$hash:19000::::::\nlocked:!:1::::::\nnopw:*:1::::::\n".into(), "SHA-512"),
            ("srv/.env", "DATABASE_PASSWORD=Hx8kLq2mZp\nDEBUG=1\n".into(), "DATABASE_PASSWORD is set"),
            ("home/u/.pgpass", "db.example.org:5432:app:appuser:Hx8kLq2mZp9w\n".into(), "a PostgreSQL password"),
            ("root/.my.cnf", "[client]\nuser=root\npassword=Hx8kLq2mZp9w\n".into(), "a MySQL password"),
            ("home/u/.pypirc", "[pypi]\nusername = __token__\npassword = Hx8kLq2mZp9wRt\n".into(), "a package index password in [pypi]"),
            ("home/u/.docker/config.json", "{\"auths\": {\"ghcr.io\": {\"auth\": \"dXNlcjpIeDhrTHEybVpwOXc=\"}}}".into(), "a registry login"),
            ("home/u/.kube/config", "users:\n- name: u\n  user:\n    token: Hx8kLq2mZp9wRtYv3BnC\n".into(), "a Kubernetes token"),
        ];
        let traps: &[(&str, &str)] = &[
            (
                "doc/aws.rst",
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
            ),
            (
                "doc/keys.txt",
                "Such files start with -----BEGIN RSA PRIVATE KEY-----\nand hold the key in base64.\n",
            ),
            (
                "doc/ci.md",
                "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
            ),
            (
                "etc/skel/.aws/credentials",
                "aws_secret_access_key = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
            ),
            (
                "var/www/i.html",
                "key=AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            ),
            (
                "home/u/.env",
                "SECRET_KEY=your-token-here\nPASSWORD=\nAPI_TOKEN=<REDACTED>\nTOKEN=...\n",
            ),
            (
                "var/lib/m/etc/shadow",
                "root:!:19000::::::\nnixos:*:19000::::::\nx:!*:1::::::\n",
            ),
            (
                "home/u/.ssh/authorized_keys",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx8kLq2mZp9wRtYv3BnC u@h\n",
            ),
            (
                "etc/app.toml",
                "id = \"5f2a8d7e-1c3b-4e4f-9a6b-7c8d9e0f1a2b\"\npath = \"/Users/jdoe/x\"\nwin = \"C:\\Users\\Public\\x\"\n",
            ),
        ];
        let mut b = TarBuilder::default();
        for (path, content, _) in found {
            b.file(path, content.as_bytes());
        }
        for (path, content) in traps {
            b.file(path, content.as_bytes());
        }
        let s = scan(b.end(), &[]);
        for (path, _, what) in found {
            let path = format!("/{path}");
            assert!(
                s.findings
                    .iter()
                    .any(|f| f.path == path && f.excerpt.contains(what)),
                "{path}: expected {what:?} in {:#?}",
                s.findings
                    .iter()
                    .filter(|f| f.path == path)
                    .collect::<Vec<_>>()
            );
        }
        for (path, _) in traps {
            let path = format!("/{path}");
            let alarms: Vec<&Finding> = s.findings.iter().filter(|f| f.path == path).collect();
            assert!(alarms.is_empty(), "{path}: {alarms:#?}");
        }
        // No secret is printed whole.
        let all = format!("{:?}", s.findings);
        for secret in [B64_40, ALNUM_36, "Hx8kLq2mZp9w", &azure_key[..40]] {
            assert!(!all.contains(secret), "{secret} printed");
        }
        let hashes: Vec<&Finding> = s
            .findings
            .iter()
            .filter(|f| f.rule == "password-hash")
            .collect();
        assert_eq!(hashes.len(), 2, "{hashes:#?}");
        assert_eq!((hashes[0].line, hashes[1].line), (Some(1), Some(2)));
    }

    /// Keys made by the real tools, where the machine has them.
    #[test]
    fn keys_made_by_openssl_and_ssh_keygen_are_found() {
        let dir = std::env::temp_dir().join(format!("wslconst-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut b = TarBuilder::default();
        let mut expected = Vec::new();
        let rsa = dir.join("rsa.pem");
        let made = std::process::Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
            ])
            .arg(&rsa)
            .output()
            .is_ok_and(|o| o.status.success());
        if made {
            b.file("etc/ssl/private/server.key", &std::fs::read(&rsa).unwrap());
            expected.push("/etc/ssl/private/server.key");
        }
        let ed = dir.join("id_ed25519");
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&ed)
            .output()
            .is_ok_and(|o| o.status.success());
        if made {
            b.file("home/u/.ssh/id_ed25519", &std::fs::read(&ed).unwrap());
            b.file(
                "home/u/.ssh/id_ed25519.pub",
                &std::fs::read(ed.with_extension("pub")).unwrap(),
            );
            expected.push("/home/u/.ssh/id_ed25519");
        }
        // Without the tools: a key block written here, in the same form.
        b.file(
            "home/u/written.key",
            b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n",
        );
        expected.push("/home/u/written.key");
        let s = scan(b.end(), &[]);
        std::fs::remove_dir_all(&dir).ok();
        let keys: Vec<&str> = s
            .findings
            .iter()
            .filter(|f| f.rule == "private-key")
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(keys, expected, "{:#?}", s.findings);
    }
}
