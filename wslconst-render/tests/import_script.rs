//! What an expert review of `Import-NixOSWSL.ps1` found, each as a check over
//! the tree-sitter tree of the rendered script, named after what the user
//! would have lost. Each check failed on the script before the fixes (run
//! `WSLCONST_IMPORT_SCRIPT=OLD.ps1 cargo test --test import_script` on an old
//! render to see which); `tests/scripts.rs` holds the general proofs (parse,
//! lint, quoting, vectors, `ShouldProcess`).

// Shared with tests/scripts.rs, which uses the rest of it (the lint).
#[allow(dead_code)]
mod ps;

use ps::{Script, descendants};
use tree_sitter::Node;

/// The rendered import script, or the one `WSLCONST_IMPORT_SCRIPT` names.
fn import_script() -> Script {
    let text = match std::env::var_os("WSLCONST_IMPORT_SCRIPT") {
        Some(path) => std::fs::read_to_string(path).expect("WSLCONST_IMPORT_SCRIPT is readable"),
        None => {
            wslconst_render::powershell::render_scripts(
                &wslconst_render::powershell::ScriptContext::compiled(),
            )
            .remove(0)
            .1
        }
    };
    Script::parse(&text)
}

/// The script-level statements, functions and classes left out, in order.
fn top_level(script: &Script) -> Vec<Node<'_>> {
    let root = script.root();
    root.named_children(&mut root.walk())
        .filter(|n| n.kind() == "statement_list")
        .flat_map(|list| list.named_children(&mut list.walk()).collect::<Vec<_>>())
        .filter(|n| !matches!(n.kind(), "function_statement" | "class_statement"))
        .collect()
}

/// Index of the first script-level statement whose text contains `needle`.
fn first(script: &Script, statements: &[Node<'_>], needle: &str) -> Option<usize> {
    statements
        .iter()
        .position(|s| script.source(*s).contains(needle))
}

/// The calls of command `name` (any case).
fn calls<'a>(script: &'a Script, name: &str) -> Vec<Node<'a>> {
    script
        .nodes_of_kind("command")
        .into_iter()
        .filter(|c| {
            c.child_by_field_name("command_name")
                .is_some_and(|n| script.source(n).eq_ignore_ascii_case(name))
        })
        .collect()
}

fn function<'a>(script: &'a Script, name: &str) -> Node<'a> {
    *script
        .functions()
        .get(&name.to_ascii_lowercase())
        .unwrap_or_else(|| panic!("the script defines {name}"))
}

/// `Invoke-Wsl` calls whose argument list holds `argument` (quoted, e.g. `'--import'`).
fn wsl_calls<'a>(script: &'a Script, argument: &str) -> Vec<Node<'a>> {
    calls(script, "Invoke-Wsl")
        .into_iter()
        .filter(|c| script.source(*c).contains(argument))
        .collect()
}

/// The first script-level statement that changes the machine.
fn first_change(script: &Script, statements: &[Node<'_>]) -> usize {
    [
        "'--export'",
        "'--unregister'",
        "'--import'",
        "Copy-Item",
        "Remove-Item",
        "New-Item",
    ]
    .iter()
    .filter_map(|needle| first(script, statements, needle))
    .min()
    .expect("the script changes something")
}

#[test]
fn every_check_runs_before_the_first_change() {
    let script = import_script();
    let statements = top_level(&script);
    let change = first_change(&script, &statements);
    for check in [
        "Test-WslGuidVectors",
        "Test-Elevated",
        "Get-WslVersion",
        "$script:DistroNamePattern",
        "Assert-ImageReadable",
        "Test-InsideDistro -Path $BackupDirectory",
        "Test-InsideDistro -Path $Path",
        "Test-InsideDistro -Path $here",
        "Assert-InstallLocationFree",
        "Get-WslDefaultDistributionId",
        "Get-RunningTerminals",
    ] {
        let at = first(&script, &statements, check)
            .unwrap_or_else(|| panic!("the script checks {check}"));
        assert!(
            at < change,
            "{check} runs after the first change ({})",
            script.source(statements[change]).lines().next().unwrap()
        );
    }
}

/// After the old distro is unregistered a plain `throw` leaves the user with
/// nothing; every failure from there on goes through `Stop-Import`, which
/// prints the `wsl --import` that restores the export.
#[test]
fn a_failure_after_the_unregister_says_how_to_restore_the_old_distro() {
    let script = import_script();
    let statements = top_level(&script);
    let unregister = first(&script, &statements, "'--unregister'").expect("an unregister");
    for statement in &statements[unregister + 1..] {
        let text = script.source(*statement);
        assert!(
            !descendants(*statement)
                .iter()
                .any(|n| n.kind() == "flow_control_statement"
                    && script.source(*n).starts_with("throw")),
            "a plain throw after the unregister: {}",
            text.lines().next().unwrap()
        );
    }
    for failure in script
        .nodes_of_kind("if_statement")
        .into_iter()
        .filter(|n| n.start_byte() > statements[unregister].end_byte())
        .filter(|n| {
            n.child_by_field_name("condition")
                .is_some_and(|c| script.source(c).contains("ExitCode -ne 0"))
        })
    {
        let text = script.source(failure);
        assert!(
            text.contains("Stop-Import") || text.contains("Write-Warning"),
            "a wsl.exe failure after the unregister neither restores nor warns: {}",
            text.lines().next().unwrap()
        );
    }
    let stop = script.source(function(&script, "Stop-Import"));
    for needed in [
        "'--import'",
        "$script:ExportPath",
        "$script:Unregistered",
        "'--version'",
    ] {
        assert!(stop.contains(needed), "Stop-Import: {needed}");
    }
}

/// Declining a step under `-Confirm` must not lead on to the next one: the
/// export, the copy of an image inside the distro, the unregister (which
/// would leave the import to fail) and the import (which would leave no
/// distro and no way back).
#[test]
fn a_declined_step_goes_no_further() {
    let script = import_script();
    for (step, stop) in [
        ("'Export to '", "throw"),
        ("'Copy to '", "throw"),
        ("'Unregister", "throw"),
        ("'Import '", "Stop-Import"),
    ] {
        let guard = script
            .nodes_of_kind("if_statement")
            .into_iter()
            .find(|n| {
                n.child_by_field_name("condition").is_some_and(|c| {
                    let c = script.source(c);
                    c.contains("ShouldProcess") && c.contains(step)
                })
            })
            .unwrap_or_else(|| panic!("{step} asks ShouldProcess"));
        let condition = script.source(guard.child_by_field_name("condition").unwrap());
        let declined = if condition.contains("-not $PSCmdlet") {
            // if (-not ShouldProcess) { ... }: the then-branch.
            script.source(guard)
        } else {
            guard
                .named_children(&mut guard.walk())
                .find(|c| matches!(c.kind(), "else_clause" | "elseif_clauses"))
                .map(|c| script.source(c))
                .unwrap_or("")
        };
        assert!(
            declined.contains(stop) && declined.contains("$WhatIfPreference"),
            "declining {step} goes on"
        );
    }
}

/// A script run with `-Confirm` sets `$ConfirmPreference` for the cmdlets it
/// calls: a second question after ShouldProcess, whose "No" would skip the
/// step the script goes on as if done.
#[test]
fn a_step_is_asked_about_once() {
    let script = import_script();
    for cmdlet in ["Copy-Item", "Remove-Item", "New-Item"] {
        for call in calls(&script, cmdlet) {
            let text = script.source(call);
            assert!(
                text.contains("-Confirm:$false -WhatIf:$false"),
                "{}: {text}",
                script.position(call.start_byte())
            );
        }
    }
}

/// An upgrade from a distro imported before WSL 2.4.4: its profile was
/// Terminal's Tier 1, which Terminal drops once the new registration is
/// Modern, so a defaultProfile naming it must move too.
#[test]
fn an_upgrade_from_a_pre_modern_import_moves_its_tier1_profile() {
    let script = import_script();
    let statements = top_level(&script);
    let at = first(&script, &statements, "$staleGuids = @($oldTier2)").unwrap();
    let text = script.source(statements[at]);
    assert!(
        text.contains("if ($old.Modern -ne 1)")
            && text.contains("$staleGuids += Get-WslTier1Guid -DistroName $old.Name"),
        "{text}"
    );
}

/// `-PortableTerminal .\wt` must name the same folder for PowerShell's
/// cmdlets and for .NET's file calls.
#[test]
fn portable_paths_are_resolved_where_powershell_stands() {
    let script = import_script();
    let statements = top_level(&script);
    let resolved = first(&script, &statements, "$PortableTerminal = @($PortableTerminal | ForEach-Object { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($_) })").expect("resolved");
    let used = first(
        &script,
        &statements,
        "Get-TerminalSettingsFiles -Portable $PortableTerminal",
    )
    .unwrap();
    assert!(resolved < used);
}

/// The image may sit inside the distro being replaced (built in NixOS-WSL,
/// at `\\wsl.localhost\NixOS\...`): unregistering deletes it before the import.
#[test]
fn an_image_inside_the_replaced_distro_is_copied_out_first() {
    let script = import_script();
    let statements = top_level(&script);
    let copy = first(
        &script,
        &statements,
        "Copy-Item -LiteralPath $Path -Destination $imageCopy",
    )
    .expect("the image is copied");
    let unregister = first(&script, &statements, "'--unregister'").unwrap();
    assert!(copy < unregister);
    let inside = script.source(function(&script, "Test-InsideDistro"));
    assert!(inside.contains(r"'\\wsl.localhost\'") && inside.contains(r"'\\wsl$\'"));
}

/// WSL writes the fragment itself inside `wsl --import`; a fragment of the
/// script's own hid Terminal's working profile on older WSL.
#[test]
fn the_script_never_writes_a_fragment_or_a_registry_value() {
    let script = import_script();
    for writer in ["Set-ItemProperty", "New-ItemProperty"] {
        assert!(calls(&script, writer).is_empty(), "{writer} is called");
    }
    let save = function(&script, "Save-FileWithBackup");
    for write in script
        .nodes_of_kind("invokation_expression")
        .into_iter()
        .filter(|n| {
            let text = script.source(*n);
            text.starts_with("[System.IO.File]::WriteAll")
                || text.starts_with("[System.IO.File]::Replace")
        })
    {
        assert!(
            save.byte_range().contains(&write.start_byte()),
            "a file written outside Save-FileWithBackup at {}",
            script.position(write.start_byte())
        );
    }
}

/// NixOS-WSL's `/bin` has no `cat`; the only command run inside the distro
/// is the start check, by absolute path.
#[test]
fn nothing_is_read_from_inside_the_distro() {
    let script = import_script();
    let exec = wsl_calls(&script, "'--exec'");
    assert_eq!(exec.len(), 1, "one command runs inside the distro");
    assert!(
        script
            .source(exec[0])
            .contains("'--exec', '/bin/sh', '-c', 'exit 0'"),
        "{}",
        script.source(exec[0])
    );
}

/// A running Terminal writes its in-memory state.json back, so the script
/// leaves state.json alone (stale entries there are harmless).
#[test]
fn state_json_is_left_to_terminal() {
    let script = import_script();
    for (node, value) in script.verbatim_strings() {
        assert!(
            !value.contains("state.json") && !value.contains("generatedProfiles"),
            "{}: {value:?}",
            script.position(node.start_byte())
        );
    }
    let running = script.source(function(&script, "Get-RunningTerminals"));
    assert!(running.contains("Get-Process -Name 'WindowsTerminal'"));
}

/// `defaultProfile` may only name a profile that exists: WSL's fragment
/// profile when the fragment is there, Terminal's own one for a distro that
/// is not Modern, nothing otherwise.
#[test]
fn the_default_profile_never_names_a_missing_profile() {
    let script = import_script();
    for call in calls(&script, "Update-TerminalSettingsFile") {
        let text = script.source(call);
        assert!(
            text.contains("-DefaultGuid $defaultGuid")
                && text.contains("-ReplacementGuid $profileGuid"),
            "{text}"
        );
    }
    let assigned = |variable: &str| -> Vec<String> {
        script
            .nodes_of_kind("assignment_expression")
            .into_iter()
            .filter(|a| {
                a.named_child(0)
                    .is_some_and(|l| script.source(l).eq_ignore_ascii_case(variable))
            })
            .map(|a| {
                script
                    .source(a.child_by_field_name("value").unwrap())
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(
        assigned("$profileGuid"),
        ["Get-NewProfileGuid -Registration $registration"]
    );
    for value in assigned("$defaultGuid") {
        assert!(
            value == "$null" || value == "$profileGuid",
            "$defaultGuid = {value}"
        );
    }
    let lookup = script.source(function(&script, "Get-NewProfileGuid"));
    for needed in [
        "$Registration.Modern -ne 1",
        "Test-Path -LiteralPath $fragment",
        "return $null",
    ] {
        assert!(lookup.contains(needed), "Get-NewProfileGuid: {needed}");
    }
}

/// Elevated under another account the distro and profile go to that account;
/// under the user's own, Terminal cannot use the files written.
#[test]
fn an_elevated_run_is_refused_unless_allowed() {
    let script = import_script();
    let statements = top_level(&script);
    let at = first(&script, &statements, "Test-Elevated").unwrap();
    let text = script.source(statements[at]);
    assert!(
        text.contains("-not $AllowElevated") && text.contains("throw"),
        "{text}"
    );
    let elevated = script.source(function(&script, "Test-Elevated"));
    assert!(elevated.contains("WindowsBuiltInRole]::Administrator"));
}

/// A user whose `DefaultVersion` is 1 would get a NixOS without systemd.
#[test]
fn the_import_asks_for_wsl_2() {
    let script = import_script();
    let imports = wsl_calls(&script, "'--import'");
    assert_eq!(imports.len(), 1);
    assert!(script.source(imports[0]).contains("'--version', '2'"));
}

/// The inbox `wsl.exe` has no `--version`; older Store releases import no
/// `.wsl` image. Both are caught before anything changes.
#[test]
fn an_old_wsl_is_caught_up_front() {
    let script = import_script();
    let version = script.source(function(&script, "Get-WslVersion"));
    assert!(version.contains("@('--version')") && version.contains("return $null"));
    let minimum = format!(
        "[version]'{}'",
        wslconst_render::powershell::MIN_WSL_VERSION
    );
    assert!(script.text.contains(&minimum), "{minimum}");
    let statements = top_level(&script);
    let check = first(
        &script,
        &statements,
        "$wslVersion -lt $script:MinimumWslVersion",
    )
    .unwrap();
    assert!(
        script
            .source(statements[check])
            .contains("wsl.exe --update")
    );
}

/// Replacing the default distro must not leave WSL without one.
#[test]
fn the_default_distro_stays_the_default() {
    let script = import_script();
    let statements = top_level(&script);
    let recorded = first(&script, &statements, "Get-WslDefaultDistributionId").unwrap();
    let unregister = first(&script, &statements, "'--unregister'").unwrap();
    let import = first(&script, &statements, "'--import'").unwrap();
    let restored = first(&script, &statements, "'--set-default'").expect("a --set-default");
    assert!(recorded < unregister && import < restored);
}

/// wsl.exe asks "press any key" on a console stdin; the long steps show
/// progress rather than minutes of silence.
#[test]
fn wsl_exe_cannot_wait_unseen() {
    let script = import_script();
    let invoke = script.source(function(&script, "Invoke-Wsl"));
    for needed in [
        "$info.RedirectStandardInput = $true",
        "$process.StandardInput.Close()",
        "Write-Progress",
    ] {
        assert!(invoke.contains(needed), "Invoke-Wsl: {needed}");
    }
    for long in ["'--import'", "'--export'"] {
        for call in wsl_calls(&script, long) {
            assert!(
                script.source(call).contains("-Activity"),
                "{long} shows progress"
            );
        }
    }
}

/// .NET's `$` also matches before a final newline.
#[test]
fn a_name_ending_in_a_newline_is_refused() {
    let script = import_script();
    let pattern = script.script_string("DistroNamePattern").unwrap();
    assert!(
        pattern.ends_with(r"\z") && !pattern.contains('$'),
        "{pattern}"
    );
}

/// Backups are named in UTC with the invariant calendar, as documented.
#[test]
fn backup_names_are_utc() {
    let script = import_script();
    let stamp = script
        .script_assignments()
        .get("runstamp")
        .map(|n| script.source(*n).to_owned())
        .unwrap();
    assert!(
        stamp.contains("UtcNow") && stamp.contains("InvariantCulture"),
        "{stamp}"
    );
}

/// `File.Replace` broke every write (and hard links); a read-only file, or
/// one Terminal saved meanwhile, is left alone with a message.
#[test]
fn settings_are_written_in_place_after_a_fresh_read() {
    let script = import_script();
    let save = script.source(function(&script, "Save-FileWithBackup"));
    assert!(!save.contains("::Replace("));
    let reread = save.find("ReadAllBytes($Path)").expect("re-read");
    let write = save
        .find("WriteAllBytes($Path, $Bytes)")
        .expect("written in place");
    assert!(reread < write);
    let update = script.source(function(&script, "Update-TerminalSettingsFile"));
    let read_only = update.find(".IsReadOnly").expect("read-only checked");
    let asked = update.find("$PSCmdlet.ShouldProcess(").unwrap();
    assert!(read_only < asked);
}

/// A failure writing one Terminal's settings must not skip the others or end
/// the run with a raw .NET error after a successful import.
#[test]
fn a_settings_write_that_fails_is_a_warning() {
    let script = import_script();
    let writers: Vec<String> = script
        .functions()
        .into_iter()
        .filter(|(name, f)| {
            name != "save-filewithbackup" && script.source(*f).contains("Save-FileWithBackup")
        })
        .map(|(name, _)| name)
        .collect();
    assert!(!writers.is_empty());
    for writer in writers {
        for call in calls(&script, &writer) {
            let try_statement = std::iter::successors(call.parent(), |n| n.parent())
                .find(|n| n.kind() == "try_statement")
                .unwrap_or_else(|| {
                    panic!(
                        "{writer} called outside try at {}",
                        script.position(call.start_byte())
                    )
                });
            let text = script.source(try_statement);
            assert!(
                text.contains("catch") && text.contains("Write-Warning"),
                "{text}"
            );
        }
    }
}

/// wsl.exe creates the install folder (only the last one) and removes it
/// again after a failed import; a folder made beforehand defeats that
/// clean-up, and a missing parent fails the import after the unregister.
#[test]
fn the_install_folder_is_left_to_wsl_and_its_parent_made_first() {
    let script = import_script();
    for call in calls(&script, "New-Item") {
        assert!(
            !script.source(call).contains("$InstallLocation"),
            "{}",
            script.source(call)
        );
    }
    let statements = top_level(&script);
    let parent = first(
        &script,
        &statements,
        "$installParent = Split-Path -Parent $InstallLocation",
    )
    .expect("the parent");
    let made = first(
        &script,
        &statements,
        "New-Item -ItemType Directory -Path $installParent",
    )
    .expect("made");
    let unregister = first(&script, &statements, "'--unregister'").unwrap();
    assert!(parent < made && made < unregister);
}

/// Windows' default execution policy blocks the script; the help says how
/// to start it first, and what the base64 blocks are.
#[test]
fn the_help_says_how_to_run_it_and_what_the_base64_is() {
    let script = import_script();
    let help = script.source(script.nodes_of_kind("comment")[0]);
    let description = &help[help.find(".DESCRIPTION").unwrap()..];
    let first_paragraphs: String = description.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(
        first_paragraphs.contains("powershell.exe -ExecutionPolicy Bypass -File"),
        "{first_paragraphs}"
    );
    assert!(help.contains("SHA256SUMS"));
    assert!(help.contains("base64 blocks in the script are that self-test data only"));
}

/// `-Lookup` printed Tier 1 for Modern distros as if Terminal showed it.
#[test]
fn lookup_says_which_tier_terminal_shows() {
    let text = wslconst_render::powershell::render_scripts(
        &wslconst_render::powershell::ScriptContext::compiled(),
    )
    .remove(1)
    .1;
    let script = Script::parse(&text);
    let lookup = script
        .nodes_of_kind("switch_clause")
        .into_iter()
        .map(|n| script.source(n))
        .find(|s| s.starts_with("'Lookup'"))
        .expect("a Lookup clause");
    for needed in [
        "TerminalProfile = $terminalProfile",
        "Note",
        "Terminal generates no Tier 1 profile",
    ] {
        assert!(lookup.contains(needed), "-Lookup: {needed}");
    }
}
