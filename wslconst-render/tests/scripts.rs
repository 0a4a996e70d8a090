//! The rendered PowerShell scripts, proven as far as a machine without
//! PowerShell can prove them.

mod ps;

use ps::Script;
use wslconst_render::powershell::{ScriptContext, render_scripts};

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
    lint_finds(&cases);
}

/// Each snippet runs on Windows PowerShell 5.1 and 7 alike, and does the wrong
/// thing on someone's machine; the lint must name every one.
#[test]
fn lint_rejects_what_misbehaves_on_windows() {
    lint_finds(&[
        (
            "[System.IO.File]::Replace($a, $b, $null)",
            "passes $null to a .NET string parameter",
        ),
        (
            "[IO.Path]::GetFullPath($null)",
            "passes $null to a .NET string parameter",
        ),
        (
            "[System.IO.File]::Copy($null, $b)",
            "passes $null to a .NET string parameter",
        ),
        ("$p = Join-Path $env:ProgramFiles 'WSL'", "ProgramW6432"),
    ]);
}

fn lint_finds(cases: &[(&str, &str)]) {
    for &(snippet, expected) in cases {
        let script = Script::parse(&format!("$a = 1\n$b = 2\n{snippet}\n"));
        let findings = ps::lint(&script);
        assert!(
            findings.iter().any(|f| f.contains(expected)),
            "{snippet:?}: expected a finding naming {expected:?}, got {findings:?}"
        );
    }
}

fn parsed() -> Vec<(&'static str, Script)> {
    rendered()
        .into_iter()
        .map(|(name, text)| (name, Script::parse(&text)))
        .collect()
}

#[test]
fn namespaces_in_the_tree_are_the_rust_constants() {
    use wslconst::profile;
    for (name, script) in parsed() {
        for (variable, constant) in [
            (
                "TerminalProfileNamespace",
                profile::TERMINAL_PROFILE_NAMESPACE,
            ),
            ("WslTerminalNamespace", profile::WSL_TERMINAL_NAMESPACE),
            (
                "RuntimeGeneratedProfileNamespace",
                profile::RUNTIME_GENERATED_PROFILE_NAMESPACE,
            ),
        ] {
            assert_eq!(
                script.script_string(variable).as_deref(),
                Some(constant.to_string().as_str()),
                "{name}: $script:{variable}"
            );
        }
    }
    let (_, import) = &parsed()[0];
    assert_eq!(
        import.script_string("DistroNamePattern").as_deref(),
        Some(wslconst_render::powershell::DISTRO_NAME_PATTERN)
    );
}

/// The vectors the scripts check themselves against, read out of the tree,
/// are the Rust model's, and each one is recomputed here independently.
#[test]
fn guid_vectors_in_the_tree_equal_the_rust_computation() {
    use wslconst::{DistributionId, fragment_profile, tier1, tier2};
    let expected = wslconst_render::powershell::guid_vectors();
    for (name, script) in parsed() {
        let tables = script.script_hashtables("GuidVectors");
        assert_eq!(tables.len(), expected.len(), "{name}");
        for (table, vector) in tables.iter().zip(&expected) {
            assert_eq!(table["Kind"], vector.kind, "{name}");
            assert_eq!(table["Input"], vector.input, "{name}");
            assert_eq!(table["Source"], vector.source, "{name}");
            let recomputed = match vector.kind {
                "tier1" => tier1(&table["Input"]),
                "tier2" => tier2(DistributionId::parse(&table["Input"]).unwrap()),
                _ => fragment_profile(&table["Source"], &table["Input"]),
            };
            assert_eq!(
                table["Expected"],
                recomputed.to_string(),
                "{name}: {table:?}"
            );
        }
        // The published vectors are there, verbatim.
        for published in wslconst::vectors::PUBLISHED {
            assert!(
                tables
                    .iter()
                    .any(|t| t["Expected"] == published.expected.to_string()),
                "{name}: {published:?}"
            );
        }
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let digits: Vec<u8> = chunk
            .iter()
            .copied()
            .filter(|&c| c != b'=')
            .map(value)
            .collect();
        let n = digits.iter().fold(0u32, |n, &d| n << 6 | u32::from(d)) << (6 * (4 - digits.len()));
        out.extend(&n.to_be_bytes()[1..digits.len()]);
    }
    out
}

/// How the script's `New-WslUuidV5` orders GUID bytes, read from its tree.
#[derive(Debug)]
struct ByteOrder {
    /// `[Array]::Reverse($bytes, start, count)` in `ConvertTo-NetworkByteOrder`.
    swaps: Vec<(usize, usize)>,
    /// Whether `ToByteArray()`'s result is converted before hashing.
    converts_namespace: bool,
    /// Whether the bytes given to `[Guid]::new` are converted first.
    converts_result: bool,
}

fn byte_order(script: &Script) -> ByteOrder {
    let functions = script.functions();
    let convert = functions["convertto-networkbyteorder"];
    let swaps = ps::descendants(convert)
        .into_iter()
        .filter(|n| {
            n.kind() == "invokation_expression"
                && script.source(*n).starts_with("[Array]::Reverse(")
        })
        .map(|call| {
            let numbers: Vec<usize> = ps::descendants(call)
                .into_iter()
                .filter(|n| n.kind() == "decimal_integer_literal")
                .map(|n| script.source(n).parse().unwrap())
                .collect();
            assert_eq!(numbers.len(), 2, "{}", script.source(call));
            (numbers[0], numbers[1])
        })
        .collect();
    let v5 = functions["new-wsluuidv5"];
    let calls_convert_around = |inner: &dyn Fn(tree_sitter::Node<'_>) -> bool| {
        ps::descendants(v5).into_iter().any(|n| {
            n.kind() == "command"
                && script.source(n).starts_with("ConvertTo-NetworkByteOrder")
                && ps::descendants(n).into_iter().any(inner)
        })
    };
    let converts_namespace =
        calls_convert_around(&|n| n.kind() == "member_name" && script.source(n) == "ToByteArray");
    let converts_result = ps::descendants(v5).into_iter().any(|n| {
        n.kind() == "invokation_expression"
            && script.source(n).starts_with("[Guid]::new(")
            && ps::descendants(n).into_iter().any(|d| {
                d.kind() == "command" && script.source(d).starts_with("ConvertTo-NetworkByteOrder")
            })
    });
    ByteOrder {
        swaps,
        converts_namespace,
        converts_result,
    }
}

impl ByteOrder {
    fn apply(&self, bytes: &mut [u8; 16]) {
        for &(start, count) in &self.swaps {
            bytes[start..start + count].reverse();
        }
    }

    /// The GUID the script computes, on .NET's real layout: `ToByteArray()`
    /// and `Guid(byte[])` hold Data1..Data3 little-endian.
    fn v5(&self, namespace: wslconst::Guid, name: &str) -> wslconst::Guid {
        use sha1::Digest as _;
        let dotnet_layout = |rfc: [u8; 16]| {
            let mut b = rfc;
            b[0..4].reverse();
            b[4..6].reverse();
            b[6..8].reverse();
            b
        };
        let mut namespace_bytes = dotnet_layout(*namespace.as_bytes());
        if self.converts_namespace {
            self.apply(&mut namespace_bytes);
        }
        let mut hasher = sha1::Sha1::new();
        hasher.update(namespace_bytes);
        hasher.update(
            name.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
        );
        let mut uuid: [u8; 16] = hasher.finalize()[..16].try_into().unwrap();
        uuid[6] = (uuid[6] & 0x0F) | 0x50;
        uuid[8] = (uuid[8] & 0x3F) | 0x80;
        if self.converts_result {
            self.apply(&mut uuid);
        }
        // Guid(byte[]) reads .NET's layout; ToString() prints RFC order.
        wslconst::Guid::from_bytes(dotnet_layout(uuid))
    }

    /// Every GUID vector, computed the way the script computes it.
    fn check(&self, script: &Script) -> Result<(), String> {
        use wslconst::profile::{
            RUNTIME_GENERATED_PROFILE_NAMESPACE, TERMINAL_PROFILE_NAMESPACE, WSL_TERMINAL_NAMESPACE,
        };
        for table in script.script_hashtables("GuidVectors") {
            let input = &table["Input"];
            let actual = match table["Kind"].as_str() {
                "tier1" => self.v5(TERMINAL_PROFILE_NAMESPACE.guid(), input),
                "tier2" => self.v5(WSL_TERMINAL_NAMESPACE.guid(), &input.to_ascii_lowercase()),
                _ => {
                    let source =
                        self.v5(RUNTIME_GENERATED_PROFILE_NAMESPACE.guid(), &table["Source"]);
                    self.v5(source, input)
                }
            };
            if actual.to_string() != table["Expected"] {
                return Err(format!(
                    "{} of {input:?}: the script computes {actual}, expected {}",
                    table["Kind"], table["Expected"]
                ));
            }
        }
        Ok(())
    }
}

#[test]
fn guid_byte_order_matches_the_algorithm() {
    for (name, script) in parsed() {
        let order = byte_order(&script);
        assert_eq!(
            order.swaps,
            [(0, 4), (4, 2), (6, 2)],
            "{name}: Data1, Data2, Data3 swapped"
        );
        assert!(
            order.converts_namespace && order.converts_result,
            "{name}: {order:?}"
        );
        order
            .check(&script)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The classic bug, planted three ways, is caught by the tree check (and would
/// be by the script's self-check, since the vectors no longer match).
#[test]
fn byte_order_check_catches_the_classic_bug() {
    let (_, text) = rendered().remove(1);
    let mutants = [
        (
            "Data2 not swapped",
            "    [Array]::Reverse($swapped, 4, 2)\n",
            "",
        ),
        (
            "namespace used as .NET stores it",
            "ConvertTo-NetworkByteOrder -Bytes ([Guid]::Parse($Namespace).ToByteArray())",
            "([Guid]::Parse($Namespace).ToByteArray())",
        ),
        (
            "result not converted back",
            "[Guid]::new((ConvertTo-NetworkByteOrder -Bytes $uuid))",
            "[Guid]::new($uuid)",
        ),
    ];
    for (what, from, to) in mutants {
        assert!(text.contains(from), "{what}: the pattern is in the script");
        let mutant = Script::parse(&text.replacen(from, to, 1));
        let order = byte_order(&mutant);
        assert!(
            order.check(&mutant).is_err(),
            "{what}: not caught ({order:?})"
        );
    }
}

/// Values no template should ever be able to break out of.
const HOSTILE: &[&str] = &[
    "it's O'Neil''s",
    "\u{2018}left\u{2019} \u{2019}right\u{2018} \u{201A}low\u{201B}",
    "$(Remove-Item -Recurse C:\\) ${env:USERNAME} @(1) @{a=1}",
    "`$env:USERNAME `n `' ``",
    "line1\nline2\r\nline3\rline4",
    "a'; Write-Host pwned; '",
    "nul\0inside",
    "'@\n'@ \"@\n\"@ here-string ends",
    "#> <# comment ends",
    "\"double\" \u{201C}curly\u{201D} quotes",
];

fn leak(value: String) -> &'static str {
    Box::leak(value.into_boxed_str())
}

/// A context in which every string a template interpolates is hostile;
/// `mark(i)` makes value i recognisable.
fn hostile_context() -> (ScriptContext, Vec<String>) {
    use wslconst_model::locations::{KnownFolder, TerminalInstall, WindowsPath};
    let mut values = Vec::new();
    let mut next = || {
        let value = format!(
            "H{}| {}",
            values.len(),
            HOSTILE[values.len() % HOSTILE.len()]
        );
        values.push(value.clone());
        value
    };
    let mut ctx = ScriptContext::compiled();
    ctx.generator = next();
    ctx.default_distro_name = next();
    ctx.c.wsl_binary_name = leak(next());
    ctx.c.wsl_distribution_id_arg = leak(next());
    ctx.c.wsl_distribution_conf = leak(next());
    ctx.c.wsl_source_rev = leak(next());
    ctx.c.terminal_source_rev = leak(next());
    ctx.distro_name_pattern = leak(next());
    ctx.legacy_distro_name = leak(next());
    ctx.min_wsl_version = leak(next());
    ctx.portable_marker = leak(next());
    ctx.portable_settings_dir = leak(next());
    ctx.lxss_key = leak(next());
    ctx.terminal_installs = Box::leak(Box::new([TerminalInstall {
        channel: leak(next()),
        package_family_name: None,
        settings_dir: WindowsPath {
            base: KnownFolder::LocalApplicationData,
            relative: leak(next()),
        },
    }]));
    for v in &mut ctx.guid_vectors {
        v.input = next();
        v.source = next();
    }
    (ctx, values)
}

#[test]
fn hostile_values_stay_one_string_literal() {
    let (ctx, values) = hostile_context();
    assert!(
        values.len() > 2 * HOSTILE.len(),
        "every hostile value is used"
    );
    for (name, text) in render_scripts(&ctx) {
        let script = Script::parse(&text);
        let errors = script.syntax_errors();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
        // verbatim_strings() also proves PowerShell's tokenizer and
        // tree-sitter agree on where every string ends.
        let strings = script.verbatim_strings();
        let comments = script.nodes_of_kind("comment");
        for value in &values {
            let marker = &value[..value.find('|').unwrap() + 1];
            for (at, _) in script.text.match_indices(marker) {
                let in_string = strings.iter().find(|(n, _)| n.byte_range().contains(&at));
                let in_comment = comments.iter().find(|n| n.byte_range().contains(&at));
                match (in_string, in_comment) {
                    (Some((_, read)), _) => {
                        assert_eq!(read, value, "{name}: PowerShell reads back the value")
                    }
                    (None, Some(comment)) => {
                        let comment_text = script.source(*comment);
                        let start = at - comment.start_byte();
                        let line_end = comment_text[start..]
                            .find('\n')
                            .map_or(comment_text.len(), |e| start + e);
                        assert!(
                            !comment_text[start..line_end].contains("#>"),
                            "{name}: {value:?} could end its comment"
                        );
                    }
                    (None, None) => panic!(
                        "{name}: {value:?} at {} is outside any string or comment",
                        script.position(at)
                    ),
                }
            }
        }
    }
}

/// The escaper is what makes the test above pass: without doubling the
/// Unicode quotes, PowerShell ends the string early while tree-sitter (which
/// only knows ') does not, and the test's own check sees it.
#[test]
fn a_string_ended_by_a_unicode_quote_is_caught() {
    let text = "$a = 'it\u{2019}s'\n";
    let script = Script::parse(text);
    let literal = script.nodes_of_kind("verbatim_string_characters")[0];
    let (value, end) = ps::scan_single_quoted(&script.text, literal.start_byte()).unwrap();
    assert_eq!(value, "it");
    assert_ne!(
        end,
        literal.end_byte(),
        "tree-sitter alone would not notice"
    );
    assert_eq!(
        wslconst_render::powershell::single_quoted("it\u{2019}s"),
        "'it\u{2019}\u{2019}s'"
    );
}

#[test]
fn scripts_follow_the_conventions_a_windows_user_expects() {
    for (name, text) in rendered() {
        assert!(
            text.starts_with('\u{feff}'),
            "{name}: a UTF-8 BOM, or Windows PowerShell 5.1 misreads non-ASCII"
        );
        let script = Script::parse(&text);
        let help = script.nodes_of_kind("comment")[0];
        let help = script.source(help);
        assert!(
            help.starts_with("<#") && help.ends_with("#>"),
            "{name}: comment-based help first"
        );
        for section in [".SYNOPSIS", ".DESCRIPTION", ".EXAMPLE", ".NOTES"] {
            assert!(help.contains(section), "{name}: help has {section}");
        }
        let root = script.root();
        let param_block = ps::descendants(root)
            .into_iter()
            .find(|n| {
                n.kind() == "param_block" && n.parent().is_some_and(|p| p.kind() == "program")
            })
            .unwrap_or_else(|| panic!("{name}: a script-level param block"));
        let parameters: Vec<String> = ps::descendants(param_block)
            .into_iter()
            .filter(|n| n.kind() == "script_parameter")
            .map(|p| {
                script
                    .source(
                        p.named_children(&mut p.walk())
                            .find(|c| c.kind() == "variable")
                            .unwrap(),
                    )
                    .trim_start_matches('$')
                    .to_owned()
            })
            .collect();
        for parameter in &parameters {
            assert!(
                help.contains(&format!(".PARAMETER {parameter}\n")),
                "{name}: help documents -{parameter}"
            );
        }
        let required: &[&str] = if name.starts_with("Import") {
            assert!(
                script
                    .source(param_block)
                    .contains("[CmdletBinding(SupportsShouldProcess)]"),
                "{name}: -WhatIf and -Confirm"
            );
            &["Path", "Name", "InstallLocation", "SetDefault", "Force"]
        } else {
            &[
                "DistroName",
                "RegistryGuid",
                "Source",
                "Name",
                "Lookup",
                "SelfTest",
            ]
        };
        for parameter in required {
            assert!(
                parameters.iter().any(|p| p == parameter),
                "{name}: -{parameter}"
            );
        }
        assert!(
            script
                .text
                .contains("\nSet-StrictMode -Version 2.0\n$ErrorActionPreference = 'Stop'\n"),
            "{name}"
        );
    }
}

/// Top-level statements: the self-check runs before the first one that
/// changes anything.
#[test]
fn the_import_script_checks_itself_before_it_changes_anything() {
    let (_, script) = parsed().remove(0);
    let statements: Vec<tree_sitter::Node<'_>> = script
        .root()
        .named_children(&mut script.root().walk())
        .filter(|n| n.kind() == "statement_list")
        .flat_map(|list| list.named_children(&mut list.walk()).collect::<Vec<_>>())
        .filter(|n| !matches!(n.kind(), "function_statement" | "class_statement"))
        .collect();
    let first = |needle: &str| {
        statements
            .iter()
            .position(|s| script.source(*s).contains(needle))
    };
    let check = first("Test-WslGuidVectors").expect("the self-check runs");
    assert!(
        script
            .source(statements[check + 1])
            .contains("throw ('self-check failed"),
        "and stops on a mismatch"
    );
    for change in [
        "Invoke-Wsl",
        "Update-TerminalSettingsFile",
        "Copy-Item",
        "Remove-Item",
        "New-Item",
    ] {
        let at = first(change).unwrap_or_else(|| panic!("{change} is called"));
        assert!(check < at, "{change} before the self-check");
    }
}

/// Whether `node` only runs when `ShouldProcess` said yes: inside the
/// then-branch of `if (...ShouldProcess...)`, or after an
/// `if (-not $PSCmdlet.ShouldProcess(...)) { ... return }` in an enclosing block.
fn behind_should_process(script: &Script, node: tree_sitter::Node<'_>) -> bool {
    let mut child = node;
    let mut current = node.parent();
    while let Some(parent) = current {
        if parent.kind() == "if_statement"
            && let Some(condition) = parent.child_by_field_name("condition")
        {
            let condition = script.source(condition);
            if condition.contains("ShouldProcess")
                && !condition.contains("-not")
                && !script.source(child).starts_with("else")
            {
                return true;
            }
        }
        if parent.kind() == "statement_list" {
            for sibling in parent.named_children(&mut parent.walk()) {
                if sibling.start_byte() >= child.start_byte() {
                    break;
                }
                let text = script.source(sibling);
                if sibling.kind() == "if_statement"
                    && text.contains("-not $PSCmdlet.ShouldProcess(")
                    && text.contains("return")
                {
                    return true;
                }
            }
        }
        child = parent;
        current = parent.parent();
    }
    false
}

/// Every command that changes the machine and does not run behind a
/// `ShouldProcess` (directly, or because every call of its function does).
fn unguarded_changes(script: &Script) -> Vec<String> {
    let functions = script.functions();
    let changes: Vec<tree_sitter::Node<'_>> = script
        .nodes()
        .into_iter()
        .filter(|n| {
            let text = script.source(*n);
            match n.kind() {
                "command" => {
                    ["Remove-Item", "Copy-Item", "New-Item", "Set-ItemProperty"]
                        .iter()
                        .any(|c| text.starts_with(c))
                        || (text.starts_with("Invoke-Wsl ")
                            && ["'--import'", "'--unregister'", "'--export'"]
                                .iter()
                                .any(|a| text.contains(a)))
                }
                "invokation_expression" => [
                    "[System.IO.File]::WriteAllBytes(",
                    "[System.IO.File]::Replace(",
                ]
                .iter()
                .any(|m| text.starts_with(m)),
                _ => false,
            }
        })
        .collect();
    assert!(changes.len() >= 10, "found the changes: {}", changes.len());
    let guarded = |node: tree_sitter::Node<'_>| -> bool {
        if behind_should_process(script, node) {
            return true;
        }
        let Some(function) = std::iter::successors(node.parent(), |n| n.parent())
            .find(|n| n.kind() == "function_statement")
        else {
            return false;
        };
        let name = functions
            .iter()
            .find(|(_, f)| f.id() == function.id())
            .map(|(n, _)| n.clone())
            .unwrap();
        let calls: Vec<tree_sitter::Node<'_>> = script
            .nodes_of_kind("command")
            .into_iter()
            .filter(|c| {
                c.child_by_field_name("command_name")
                    .is_some_and(|n| script.source(n).eq_ignore_ascii_case(&name))
            })
            .collect();
        !calls.is_empty() && calls.iter().all(|c| behind_should_process(script, *c))
    };
    changes
        .into_iter()
        .filter(|c| !guarded(*c))
        .map(|c| {
            format!(
                "{}: {}",
                script.position(c.start_byte()),
                script.source(c).lines().next().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_change_is_behind_should_process() {
    let (_, script) = parsed().remove(0);
    let unguarded = unguarded_changes(&script);
    assert!(
        unguarded.is_empty(),
        "-WhatIf would not stop:\n{}",
        unguarded.join("\n")
    );
    // And the check sees a guard taken away.
    let (_, text) = rendered().remove(0);
    let guard = "if ($PSCmdlet.ShouldProcess($Path, 'Copy to ' + $imageCopy + ' (the image is inside the distro being replaced)')) {";
    assert!(text.contains(guard));
    let mutant = Script::parse(&text.replacen(guard, "if ($true) {", 1));
    let unguarded = unguarded_changes(&mutant);
    assert!(
        unguarded.iter().any(|u| u.contains("Copy-Item")),
        "{unguarded:?}"
    );
}

/// `rendered/` holds the artifacts for users who do not build; they must be
/// exactly what this build renders.
#[test]
fn checked_in_reference_copies_equal_a_fresh_render() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rendered");
    let artifacts = wslconst_render::artifacts::render_all();
    for artifact in &artifacts {
        let path = dir.join(artifact.name);
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run: cargo run -p wslconst -- render rendered",
                path.display()
            )
        });
        assert!(
            on_disk == artifact.contents.as_bytes(),
            "{} differs from a fresh render; run: cargo run -p wslconst -- render rendered",
            path.display()
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".bak") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut expected: Vec<String> = artifacts.iter().map(|a| a.name.to_owned()).collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "rendered/ holds exactly the rendered artifacts"
    );
}

/// The settings edits the import script checks its editor against: in the
/// tree as in the Rust table, and each one keeps every comment and removes
/// every stale GUID it does not leave to the user.
#[test]
fn settings_edit_vectors_in_the_tree_keep_comments_and_drop_stale_guids() {
    use wslconst_model::settings::vectors::SETTINGS_EDIT_VECTORS;
    let (_, import) = &parsed()[0];
    let tables = import.script_hashtables("SettingsEditVectors");
    assert_eq!(tables.len(), SETTINGS_EDIT_VECTORS.len());
    let comments = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("//").into_iter().chain(rest.find("/*")).min() {
            let end = if rest[at..].starts_with("//") {
                rest[at..].find('\n').unwrap_or(rest.len() - at)
            } else {
                rest[at..].find("*/").unwrap() + 2
            };
            out.push(rest[at..at + end].to_owned());
            rest = &rest[at + end..];
        }
        out
    };
    for (table, vector) in tables.iter().zip(SETTINGS_EDIT_VECTORS) {
        assert_eq!(decode_base64(&table["Input"]), vector.input.as_bytes());
        assert_eq!(
            decode_base64(&table["Expected"]),
            vector.expected.as_bytes()
        );
        assert_eq!(table["Stale"], vector.stale.join(","));
        assert_eq!(
            comments(vector.input),
            comments(vector.expected),
            "{}",
            vector.label
        );
        let lower = vector.expected.to_ascii_lowercase();
        for stale in vector.stale {
            let remaining = lower.matches(&stale.to_ascii_lowercase()).count();
            assert_eq!(remaining, vector.manual, "{}: {stale}", vector.label);
        }
        if vector.manual == 0 {
            assert_ne!(vector.input, vector.expected, "{}", vector.label);
        }
    }
}
