//! Secrets found by where they are: files whose format says which line
//! holds a password or token (`/etc/shadow`, `.env`, `.pgpass`, `.my.cnf`,
//! `.pypirc`, Docker's `config.json`, a kubeconfig). They are small; the
//! scanner keeps each one whole (up to [`MAX_CONFIG_FILE`]) and reads it
//! line by line at its end.

use super::tokens::is_placeholder;
use crate::diagnostic::Severity;

/// The most of a configuration file kept for these checks.
pub(super) const MAX_CONFIG_FILE: usize = 1024 * 1024;

/// A file these checks read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ConfigFile {
    Shadow,
    DotEnv,
    PgPass,
    MyCnf,
    PyPirc,
    DockerConfig,
    KubeConfig,
}

impl ConfigFile {
    /// The kind of the file at `path`, when it is one.
    pub fn of(path: &str) -> Option<ConfigFile> {
        let name = path.rsplit('/').next().unwrap_or("");
        Some(match name {
            "shadow" | "gshadow" if path.starts_with("/etc/") => ConfigFile::Shadow,
            ".env" => ConfigFile::DotEnv,
            n if n.starts_with(".env.") && !n.ends_with(".example") && !n.ends_with(".sample") => {
                ConfigFile::DotEnv
            }
            ".pgpass" => ConfigFile::PgPass,
            ".my.cnf" => ConfigFile::MyCnf,
            ".pypirc" => ConfigFile::PyPirc,
            "config.json" if path.contains("/.docker/") => ConfigFile::DockerConfig,
            "config" if path.contains("/.kube/") => ConfigFile::KubeConfig,
            "kubeconfig" => ConfigFile::KubeConfig,
            _ => return None,
        })
    }
}

/// One finding of these checks: rule, severity, byte offset, line, excerpt.
pub(super) type Found = (&'static str, Severity, u64, u64, String);

/// The findings in `bytes`, a whole file of kind `kind`.
pub(super) fn check(kind: ConfigFile, bytes: &[u8]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    let mut section = String::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let at = offset;
        offset += raw.len() as u64 + 1;
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed.to_ascii_lowercase();
        }
        let mut found = |rule, severity, excerpt: String| {
            out.push((rule, severity, at, line_no, excerpt));
        };
        match kind {
            ConfigFile::Shadow => {
                let mut fields = line.split(':');
                let (Some(user), Some(hash)) = (fields.next(), fields.next()) else {
                    continue;
                };
                if let Some(scheme) = password_hash(hash) {
                    found(
                        "password-hash",
                        Severity::Error,
                        format!(
                            "a {scheme} password hash for {user:?}: an image should ship locked accounts (\"!\" or \"*\") and set passwords at first start"
                        ),
                    );
                }
            }
            ConfigFile::DotEnv => {
                let line = trimmed.strip_prefix("export ").unwrap_or(trimmed);
                if let Some((key, value)) = line.split_once('=') {
                    let value = value.trim().trim_matches(['"', '\'']);
                    let upper = key.trim().to_ascii_uppercase();
                    if [
                        "PASSWORD",
                        "SECRET",
                        "TOKEN",
                        "API_KEY",
                        "APIKEY",
                        "PRIVATE_KEY",
                    ]
                    .iter()
                    .any(|w| upper.contains(w))
                        && !is_placeholder(value.as_bytes())
                    {
                        found(
                            "env-secret",
                            Severity::Warning,
                            format!("{} is set: {}", key.trim(), super::redact(value)),
                        );
                    }
                }
            }
            ConfigFile::PgPass => {
                let fields: Vec<&str> = line.splitn(5, ':').collect();
                if fields.len() == 5 && !is_placeholder(fields[4].as_bytes()) {
                    found(
                        "credentials",
                        Severity::Error,
                        format!(
                            "a PostgreSQL password for {:?}: {}",
                            fields[3],
                            super::redact(fields[4])
                        ),
                    );
                }
            }
            ConfigFile::MyCnf | ConfigFile::PyPirc => {
                if let Some((key, value)) = trimmed.split_once('=') {
                    let value = value.trim().trim_matches(['"', '\'']);
                    if key.trim().eq_ignore_ascii_case("password")
                        && !is_placeholder(value.as_bytes())
                    {
                        let what = if kind == ConfigFile::MyCnf {
                            "a MySQL password".to_owned()
                        } else {
                            format!("a package index password in {section}")
                        };
                        found(
                            "credentials",
                            Severity::Error,
                            format!("{what}: {}", super::redact(value)),
                        );
                    }
                }
            }
            ConfigFile::DockerConfig => {
                let mut rest = line;
                while let Some(at) = rest.find("\"auth\"") {
                    rest = &rest[at + 6..];
                    let value = rest
                        .trim_start()
                        .strip_prefix(':')
                        .map(str::trim_start)
                        .and_then(|v| v.strip_prefix('"'))
                        .and_then(|v| v.split('"').next())
                        .unwrap_or("");
                    if value.len() >= 8 && !is_placeholder(value.as_bytes()) {
                        found(
                            "credentials",
                            Severity::Error,
                            format!("a registry login (\"auth\"): {}", super::redact(value)),
                        );
                    }
                }
            }
            ConfigFile::KubeConfig => {
                if let Some(value) = trimmed.strip_prefix("token:") {
                    let value = value.trim().trim_matches(['"', '\'']);
                    if value.len() >= 16 && !is_placeholder(value.as_bytes()) {
                        found(
                            "credentials",
                            Severity::Error,
                            format!("a Kubernetes token: {}", super::redact(value)),
                        );
                    }
                }
            }
        }
    }
    out
}

/// The crypt(3) scheme of a shadow password field holding a hash; `None`
/// for a locked or empty one.
fn password_hash(field: &str) -> Option<&'static str> {
    let schemes = [
        ("$1$", "MD5"),
        ("$2a$", "bcrypt"),
        ("$2b$", "bcrypt"),
        ("$2y$", "bcrypt"),
        ("$5$", "SHA-256"),
        ("$6$", "SHA-512"),
        ("$7$", "scrypt"),
        ("$y$", "yescrypt"),
        ("$gy$", "gost-yescrypt"),
        ("$sha1$", "SHA-1"),
    ];
    if let Some((_, name)) = schemes.iter().find(|(p, _)| field.starts_with(p)) {
        return Some(name);
    }
    // Traditional DES: 13 characters of crypt's alphabet.
    (field.len() == 13
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/'))
    .then_some("DES")
}
