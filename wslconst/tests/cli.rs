//! The `wslconst` binary, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wslconst::constants::ConstantsJson;
use wslconst::pin::{PinFile, Tree};
use wslconst::upstream::{Value, extracted};

fn wslconst(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args(args)
        .output()
        .expect("wslconst runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wslconst-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes minimal headers declaring every compiled constant at its first
/// location, in the upstream spellings, after `padding` blank lines.
fn write_trees(root: &Path, padding: usize) -> (PathBuf, PathBuf) {
    let (wsl, terminal) = (root.join("wsl"), root.join("terminal"));
    for c in extracted::ALL {
        let p = &c.provenance;
        let location = &p.lookup[0];
        let tree = if p.tree == Tree::Wsl { &wsl } else { &terminal };
        let file = tree.join(location.path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let declaration = match c.value {
            Value::Guid(g) => {
                let b = g.as_bytes();
                let d4: Vec<String> = b[8..].iter().map(|x| format!("{x:#x}")).collect();
                format!(
                    "inline constexpr GUID {} = {{0x{:02x}{:02x}{:02x}{:02x}, 0x{:02x}{:02x}, 0x{:02x}{:02x}, {{{}}}}};",
                    location.symbol,
                    b[0],
                    b[1],
                    b[2],
                    b[3],
                    b[4],
                    b[5],
                    b[6],
                    b[7],
                    d4.join(", ")
                )
            }
            Value::Str(s) => format!("#define {} L\"{}\"", location.symbol, s),
        };
        let mut text = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| format!("#pragma once\n{}", "\n".repeat(padding)));
        text.push_str(&declaration);
        text.push('\n');
        std::fs::write(&file, text).unwrap();
    }
    (wsl, terminal)
}

/// Runs `wslconst pin` on two trees with a pin file; `extra` adds or overrides flags.
fn pin(wsl: &Path, terminal: &Path, pin_file: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "pin",
        "--wsl-src",
        wsl.to_str().unwrap(),
        "--terminal-src",
        terminal.to_str().unwrap(),
        "--pin-file",
        pin_file.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    wslconst(&args)
}

#[test]
fn constants_prints_the_compiled_constants() {
    let out = wslconst(&["constants"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, ConstantsJson::compiled().render());
    let doc: ConstantsJson = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        doc.constants["TERMINAL_PROFILE_NAMESPACE_GUID"].value,
        wslconst::upstream::TERMINAL_PROFILE_NAMESPACE.to_string()
    );
}

#[test]
fn constants_output_file_keeps_a_backup() {
    let dir = scratch("constants-output");
    let path = dir.join("constants.json");
    std::fs::write(&path, "mine").unwrap();
    let out = wslconst(&["constants", "--output", path.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        ConstantsJson::compiled().render()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("constants.json.bak")).unwrap(),
        "mine"
    );
}

#[test]
fn pin_round_trips_through_trees_in_the_upstream_format() {
    let dir = scratch("pin-round-trip");
    let (wsl, terminal) = write_trees(&dir, 3);
    let pin_path = dir.join("upstream-pin.json");
    let revs = ["--wsl-rev", "wrev", "--terminal-rev", "trev"];
    let run = |extra: &[&str]| pin(&wsl, &terminal, &pin_path, &[&revs[..], extra].concat());

    let out = run(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pinned = PinFile::parse(&std::fs::read_to_string(&pin_path).unwrap()).unwrap();
    assert_eq!(pinned.constants.len(), extracted::ALL.len());
    for c in extracted::ALL {
        let entry = pinned.entry(c.provenance.constant).unwrap();
        let expected = match c.value {
            Value::Guid(g) => g.to_string(),
            Value::Str(s) => s.to_owned(),
        };
        assert_eq!(entry.value, expected);
        assert_eq!(entry.path, c.provenance.lookup[0].path);
        assert_eq!(entry.symbol, c.provenance.lookup[0].symbol);
        assert_eq!(
            entry.revision,
            if c.provenance.tree == Tree::Wsl {
                "wrev"
            } else {
                "trev"
            }
        );
        assert!(entry.line > 4, "declarations come after the padding");
    }

    // Unchanged trees: --check passes and nothing is rewritten.
    let check = run(&["--check"]);
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("is up to date"));

    // A changed value: --check fails with exit 1 and says what changed.
    let header = wsl.join("src/windows/inc/wsl.h");
    let text = std::fs::read_to_string(&header)
        .unwrap()
        .replace("L\"wsl.exe\"", "L\"wsl2.exe\"");
    std::fs::write(&header, text).unwrap();
    let check = run(&["--check"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("VALUE CHANGED `WSL_BINARY_NAME`: wsl.exe -> wsl2.exe"),
        "{stdout}"
    );
    assert_eq!(
        PinFile::parse(&std::fs::read_to_string(&pin_path).unwrap()).unwrap(),
        pinned,
        "--check must not write"
    );

    // Re-pinning writes the new value and keeps the old file as a backup.
    let out = run(&[]);
    assert!(out.status.success());
    let repinned = PinFile::parse(&std::fs::read_to_string(&pin_path).unwrap()).unwrap();
    assert_eq!(repinned.entry("WSL_BINARY_NAME").unwrap().value, "wsl2.exe");
    let backup =
        PinFile::parse(&std::fs::read_to_string(dir.join("upstream-pin.json.bak")).unwrap())
            .unwrap();
    assert_eq!(backup, pinned);
}

#[test]
fn pin_reports_a_missing_declaration_with_constant_and_file() {
    let dir = scratch("pin-missing");
    let (wsl, terminal) = write_trees(&dir, 0);
    std::fs::write(
        wsl.join("src/windows/inc/wsl.h"),
        "#pragma once\n#define WSL_DISTRIBUTION_ID_ARG L\"--distribution-id\"\n",
    )
    .unwrap();
    let pin_file = dir.join("pin.json");
    let out = pin(
        &wsl,
        &terminal,
        &pin_file,
        &["--wsl-rev", "r", "--terminal-rev", "r"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "`WSL_BINARY_NAME`: no declaration of `WSL_BINARY_NAME` in src/windows/inc/wsl.h"
        ),
        "{stderr}"
    );
    assert!(
        !dir.join("pin.json").exists(),
        "nothing is written on failure"
    );
}

#[test]
fn pin_without_git_or_revision_says_which_flag_to_pass() {
    let dir = scratch("pin-norev");
    let (wsl, terminal) = write_trees(&dir, 0);
    let out = pin(
        &wsl,
        &terminal,
        &dir.join("pin.json"),
        &["--terminal-rev", "r"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("it is not a git checkout; pass --wsl-rev"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(wslconst(&["pin"]).status.code(), Some(2));
    let out = wslconst(&[
        "pin",
        "--wsl-src",
        "/nonexistent",
        "--terminal-src",
        "/nonexistent",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--wsl-src /nonexistent: not a directory")
    );
}
