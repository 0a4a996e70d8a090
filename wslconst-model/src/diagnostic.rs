//! Findings of the checkers: what is wrong, where, how bad, and what to do.

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the result still works.
    Warning,
    /// WSL or Terminal will not do what the file asks.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A stable name for the rule, e.g. `parse-stopped` or `unknown-key`.
    pub rule: &'static str,
    /// 1-based line in the checked file, when the finding has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Where in the document, e.g. `profiles[0].fontFace`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong and what to do, in one lowercase sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error.
    pub fn error(rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule,
            line: None,
            path: None,
            message: message.into(),
        }
    }

    /// A warning.
    pub fn warning(rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    /// The same finding at a line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The same finding at a path in the document.
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// `file:line: severity[rule]: message` (or `file: ...` without a line).
    pub fn render(&self, file: &str) -> String {
        let mut out = String::from(file);
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
        }
        out.push_str(&format!(": {}[{}]: ", self.severity, self.rule));
        if let Some(path) = &self.path {
            out.push_str(&format!("{path}: "));
        }
        out.push_str(&self.message);
        out
    }
}

/// Whether any finding is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_and_without_position() {
        let d = Diagnostic::error("unknown-key", "no such key")
            .at_line(3)
            .at_path("profiles[0].fontFce");
        assert_eq!(
            d.render("t.json"),
            "t.json:3: error[unknown-key]: profiles[0].fontFce: no such key"
        );
        let w = Diagnostic::warning("x", "y");
        assert_eq!(w.render("f"), "f: warning[x]: y");
        assert!(has_errors(&[w.clone(), d]));
        assert!(!has_errors(&[w]));
    }
}
