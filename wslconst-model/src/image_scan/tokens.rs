//! The secrets found by their form anywhere in a file, as one table: each
//! rule starts at a fixed marker (found by the scanner's Aho-Corasick pass)
//! and a check reads what follows it (and, for `key = value` forms, what
//! precedes it). Formats are the issuers' published ones; values that are
//! documented examples or placeholders are not secrets.

/// One rule of the table.
pub(super) struct TokenRule {
    /// The literal the automaton finds.
    pub marker: &'static str,
    /// What the secret is, for the report.
    pub what: &'static str,
    /// Whether the marker must start a word (not follow a letter or digit).
    pub word_start: bool,
    /// The secret, when the text around the marker is one: `before` ends at
    /// the marker, `rest` starts after it.
    pub check: fn(before: &[u8], rest: &[u8]) -> Option<String>,
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn upper_or_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

fn base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

/// The run of `class` characters at the start of `rest`.
fn run(rest: &[u8], class: impl Fn(u8) -> bool) -> &[u8] {
    let n = rest.iter().take_while(|&&b| class(b)).count();
    &rest[..n]
}

/// Exactly `len` characters of `class`, not followed by another.
fn exactly(rest: &[u8], len: usize, class: impl Fn(u8) -> bool) -> Option<&[u8]> {
    let body = run(rest, class);
    (body.len() == len).then_some(body)
}

/// Between `min` and `max` characters of `class`.
fn between(rest: &[u8], min: usize, max: usize, class: impl Fn(u8) -> bool) -> Option<&[u8]> {
    let body = run(rest, class);
    (min..=max).contains(&body.len()).then_some(body)
}

/// The value after `key`: optional spaces and quotes, then `=` or `:`.
fn assigned(rest: &[u8]) -> &[u8] {
    let mut i = 0;
    while i < rest.len() && matches!(rest[i], b' ' | b'\t' | b'"' | b'\'') {
        i += 1;
    }
    if i < rest.len() && matches!(rest[i], b'=' | b':') {
        i += 1;
        while i < rest.len() && matches!(rest[i], b' ' | b'\t' | b'"' | b'\'') {
            i += 1;
        }
        &rest[i..]
    } else {
        &[]
    }
}

/// Words that mark a value as an example or a stand-in, not a secret.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "xxxx",
    "your",
    "redacted",
    "changeme",
    "placeholder",
    "dummy",
    "sample",
    "fake",
    "replace",
    "secret_here",
    "token_here",
    "insert",
];

/// Whether `value` is a documented example, a placeholder or too uniform to
/// be random: one character repeated, few distinct characters, `<...>`,
/// `${VAR}`, `...`, or a word such as EXAMPLE or your-token-here.
pub(super) fn is_placeholder(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    let text = String::from_utf8_lossy(&lower);
    if value.is_empty()
        || PLACEHOLDER_WORDS.iter().any(|w| text.contains(w))
        || text.contains("...")
        || text.starts_with('<')
        || text.starts_with("${")
        || text.starts_with("$(")
        || text.starts_with('%')
    {
        return true;
    }
    let mut seen = [false; 256];
    for &b in value {
        seen[b as usize] = true;
    }
    let distinct = seen.iter().filter(|&&s| s).count();
    // A random token of 16 or more characters from a 36+ letter alphabet
    // almost always shows at least 8 different ones.
    distinct < 8.min(value.len())
}

fn secret(prefix: &str, body: &[u8]) -> Option<String> {
    (!is_placeholder(body)).then(|| format!("{prefix}{}", String::from_utf8_lossy(body)))
}

/// A rule for `marker` followed by exactly `len` characters of `class`, at
/// the start of a word: the form most issuers give their tokens.
macro_rules! prefixed {
    ($marker:literal, $what:literal, $len:literal, $class:expr) => {
        TokenRule {
            marker: $marker,
            what: $what,
            word_start: true,
            check: |_, r| secret($marker, exactly(r, $len, $class)?),
        }
    };
}

/// Every rule. A marker may appear in several rules; the first that
/// matches wins.
pub(super) const TOKEN_RULES: &[TokenRule] = &[
    prefixed!("ghp_", "a GitHub token", 36, alnum),
    prefixed!("gho_", "a GitHub OAuth token", 36, alnum),
    prefixed!("ghu_", "a GitHub user-to-server token", 36, alnum),
    prefixed!("ghs_", "a GitHub server-to-server token", 36, alnum),
    prefixed!("ghr_", "a GitHub refresh token", 36, alnum),
    prefixed!("github_pat_", "a GitHub fine-grained token", 82, word),
    prefixed!("glpat-", "a GitLab token", 20, base64url),
    prefixed!("AKIA", "an AWS access key id", 16, upper_or_digit),
    prefixed!("ASIA", "an AWS temporary access key id", 16, upper_or_digit),
    TokenRule {
        marker: "aws_secret_access_key",
        what: "an AWS secret access key",
        word_start: true,
        check: |_, r| secret("", exactly(assigned(r), 40, base64)?),
    },
    TokenRule {
        marker: "AWS_SECRET_ACCESS_KEY",
        what: "an AWS secret access key",
        word_start: true,
        check: |_, r| secret("", exactly(assigned(r), 40, base64)?),
    },
    TokenRule {
        marker: "SecretAccessKey",
        what: "an AWS secret access key",
        word_start: true,
        check: |_, r| secret("", exactly(assigned(r), 40, base64)?),
    },
    TokenRule {
        marker: "xox",
        what: "a Slack token",
        word_start: true,
        check: |_, r| {
            let kind = *r.first()?;
            if !b"abposr".contains(&kind) || r.get(1) != Some(&b'-') {
                return None;
            }
            let body = between(&r[2..], 20, 200, |b| alnum(b) || b == b'-')?;
            (body.iter().filter(|&&b| b == b'-').count() >= 2)
                .then(|| secret(&format!("xox{}-", kind as char), body))?
        },
    },
    TokenRule {
        marker: "hooks.slack.com/services/",
        what: "a Slack webhook URL",
        word_start: false,
        check: |_, r| {
            let body = between(r, 20, 120, |b| alnum(b) || b == b'/')?;
            let parts: Vec<&[u8]> = body.split(|&b| b == b'/').collect();
            (parts.len() == 3
                && parts[0].first() == Some(&b'T')
                && parts[1].first() == Some(&b'B')
                && parts[2].len() >= 20)
                .then(|| secret("hooks.slack.com/services/", body))?
        },
    },
    TokenRule {
        marker: "sk_live_",
        what: "a Stripe secret key",
        word_start: true,
        check: |_, r| secret("sk_live_", between(r, 24, 120, alnum)?),
    },
    TokenRule {
        marker: "rk_live_",
        what: "a Stripe restricted key",
        word_start: true,
        check: |_, r| secret("rk_live_", between(r, 24, 120, alnum)?),
    },
    prefixed!("AIza", "a Google API key", 35, base64url),
    TokenRule {
        marker: "\"service_account\"",
        what: "a Google Cloud service account key file",
        word_start: false,
        check: |before, _| {
            let before = before.trim_ascii_end().strip_suffix(b":")?.trim_ascii_end();
            before
                .ends_with(b"\"type\"")
                .then(|| "\"type\": \"service_account\"".to_owned())
        },
    },
    TokenRule {
        marker: "AccountKey=",
        what: "an Azure storage account key",
        word_start: false,
        check: |_, r| secret("AccountKey=", between(r, 80, 100, base64)?),
    },
    prefixed!("npm_", "an npm token", 36, alnum),
    TokenRule {
        marker: "_authToken",
        what: "an npm registry token",
        word_start: false,
        check: |_, r| {
            secret(
                "",
                between(assigned(r), 16, 200, |b| base64url(b) || b == b'.')?,
            )
        },
    },
    TokenRule {
        marker: "pypi-AgE",
        what: "a PyPI token",
        word_start: true,
        check: |_, r| secret("pypi-AgE", between(r, 50, 400, base64url)?),
    },
    TokenRule {
        marker: "client-key-data:",
        what: "a Kubernetes client key",
        word_start: false,
        check: |_, r| secret("", between(r.trim_ascii_start(), 40, usize::MAX, base64)?),
    },
    TokenRule {
        marker: "eyJ",
        what: "a JSON web token",
        word_start: true,
        check: |_, r| {
            let body = between(r, 30, 4000, |b| base64url(b) || b == b'.')?;
            let parts: Vec<&[u8]> = body.split(|&b| b == b'.').collect();
            (parts.len() == 3
                && parts[1].starts_with(b"eyJ")
                && parts.iter().all(|p| p.len() >= 10))
            .then(|| secret("eyJ", body))?
        },
    },
    TokenRule {
        marker: ":\\Users\\",
        what: "a Windows user folder",
        word_start: false,
        check: windows_user,
    },
    TokenRule {
        marker: ":\\\\Users\\\\",
        what: "a Windows user folder",
        word_start: false,
        check: windows_user,
    },
    TokenRule {
        marker: ":/Users/",
        what: "a Windows user folder",
        word_start: false,
        check: windows_user,
    },
    TokenRule {
        marker: "/Users/",
        what: "a Windows user folder",
        word_start: false,
        check: |before, r| {
            // WSL's view of it: /mnt/c/Users/NAME.
            let n = before.len();
            (n >= 6 && &before[n - 6..n - 1] == b"/mnt/" && before[n - 1].is_ascii_alphabetic())
                .then(|| user_folder(r))?
        },
    },
];

/// `C:\Users\NAME`: a drive letter before the marker, a user's name after.
fn windows_user(before: &[u8], rest: &[u8]) -> Option<String> {
    before.last().filter(|b| b.is_ascii_alphabetic())?;
    user_folder(rest)
}

/// The user folder named at the start of `rest`, unless it is one every
/// Windows has, or a variable.
fn user_folder(rest: &[u8]) -> Option<String> {
    let name = run(rest, |b| {
        !matches!(
            b,
            b'\\' | b'/' | b'"' | b'\'' | b' ' | b'\n' | b'\r' | b'\t' | b';' | b':' | b',' | 0
        )
    });
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    if name.is_empty()
        || [
            "public",
            "default",
            "default user",
            "all users",
            "defaultapppool",
        ]
        .contains(&lower.as_str())
        || name.contains(&b'%')
        || name.contains(&b'$')
        || name.contains(&b'<')
        || name.contains(&b'*')
    {
        return None;
    }
    Some(format!("Users\\{}", String::from_utf8_lossy(name)))
}
