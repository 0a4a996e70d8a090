//! The rendered PowerShell scripts, proven as far as a machine without
//! PowerShell can prove them.

mod ps;

use ps::Script;
use wslconst::powershell::{ScriptContext, render_scripts};

fn rendered() -> Vec<(&'static str, String)> {
    render_scripts(&ScriptContext::compiled())
}

#[test]
fn every_rendered_script_parses_without_error_or_missing_nodes() {
    for (name, text) in rendered() {
        let script = Script::parse(&text);
        let errors = script.syntax_errors();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

#[test]
fn scripts_pass_the_windows_powershell_5_1_lint() {
    for (name, text) in rendered() {
        let findings = ps::lint(&Script::parse(&text));
        assert!(findings.is_empty(), "{name}:\n{}", findings.join("\n"));
    }
}

/// Each snippet is valid PowerShell 7 that Windows PowerShell 5.1 rejects
/// or runs differently; the lint must name every one.
#[test]
fn lint_rejects_what_only_powershell_7_has() {
    let cases = [
        ("$a = $b ?? 'c'", "??"),
        ("$a = $b?.Name", "?."),
        ("$a = $b ? 1 : 2", "ternary"),
        ("Get-Item -LiteralPath x && Write-Host y", "pipeline chains"),
        ("$a = 'x' | ConvertFrom-Json -AsHashtable", "-AsHashtable"),
        ("1..3 | ForEach-Object -Parallel { $_ }", "-Parallel"),
        (
            "$b = Get-Content -LiteralPath x -AsByteStream",
            "-AsByteStream",
        ),
        (
            "$b = Set-Content -LiteralPath x -Value 1 -Encoding utf8NoBOM",
            "utf8NoBOM",
        ),
        (
            "$h = [System.Security.Cryptography.SHA1]::HashData($x)",
            "HashData",
        ),
        ("$e = [System.Text.Encoding]::Latin1", "Latin1"),
        ("$j = @(1, 2) | Join-String", "Join-String"),
        ("if ($IsWindows) { }", "$IsWindows"),
        ("$p = 'a,b'.Split(', ')", "Split"),
        (
            "Remove-Item -LiteralPath x -ProgressAction SilentlyContinue",
            "-ProgressAction",
        ),
        ("Get-Item -LitteralPath x", "no parameter -LitteralPath"),
        ("Get-Itme -LiteralPath x", "Get-Itme"),
        (
            "function F {\n    param($Name)\n    Write-Host $Nmae\n}",
            "$Nmae",
        ),
        (
            "function F {\n    param($Name)\n}\nF -Nmae x",
            "no parameter -Nmae",
        ),
        ("$script:Missing.Count", "$script:Missing"),
    ];
    for (snippet, expected) in cases {
        let script = Script::parse(&format!("$x = 1\n{snippet}\n"));
        let findings = ps::lint(&script);
        assert!(
            findings.iter().any(|f| f.contains(expected)),
            "{snippet:?}: expected a finding naming {expected:?}, got {findings:?}"
        );
    }
}
