//! The `wslconst` binary, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wslconst::upstream::{Value, extracted};
use wslconst_model::constants::ConstantsJson;
use wslconst_model::pin::{PinFile, Tree};

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
    let schema = terminal.join(wslconst_upstream::schema::SCHEMA_PATH);
    std::fs::create_dir_all(schema.parent().unwrap()).unwrap();
    std::fs::write(&schema, schema_document().to_string()).unwrap();
    (wsl, terminal)
}

/// A minimal `profiles.schema.json` declaring the compiled profile keys.
fn schema_document() -> serde_json::Value {
    use serde_json::{Map, Value, json};
    use wslconst_model::profile_schema::SchemaObject;
    let properties = |object: SchemaObject| -> Value {
        let mut map = Map::new();
        for key in object.keys() {
            let mut spec = Map::new();
            let types: Vec<&str> = key.types.iter().map(|t| t.name()).collect();
            if !types.is_empty() {
                spec.insert("type".into(), json!(types));
            }
            if !key.enum_values.is_empty() {
                // An enum of strings, beside the type list (free strings gone).
                let mut enum_values: Vec<Value> =
                    key.enum_values.iter().map(|v| json!(v)).collect();
                if types.contains(&"null") {
                    enum_values.push(Value::Null);
                }
                spec.remove("type");
                let others: Vec<&str> = types
                    .into_iter()
                    .filter(|t| *t != "string" && *t != "null")
                    .collect();
                spec.insert(
                    "oneOf".into(),
                    json!([{ "enum": enum_values }, { "type": others }]),
                );
            }
            if key.deprecated {
                spec.insert("deprecated".into(), json!(true));
            }
            map.insert(key.name.into(), Value::Object(spec));
        }
        Value::Object(map)
    };
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {
            "Profile": { "properties": properties(SchemaObject::Profile) },
            "FontConfig": { "properties": properties(SchemaObject::Font) },
            "AppearanceConfig": { "properties": properties(SchemaObject::Appearance) },
            "SchemeList": { "items": { "properties": properties(SchemaObject::Scheme) } }
        }
    })
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
        wslconst::profile::TERMINAL_PROFILE_NAMESPACE.to_string()
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

fn wslconst_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn guid_tier1_matches_windows_for_any_unicode_name() {
    let names = ["Ubuntu", "NixOS", "Ünïcødé", "😀", "a\r\nb"];
    let out = wslconst(&[&["guid", "tier1", "--"][..], &names].concat());
    assert!(out.status.success());
    let expected: Vec<String> = names
        .iter()
        .map(|n| wslconst::tier1(n).to_string())
        .collect();
    assert_eq!(lines(&out), expected);
    assert_eq!(lines(&out)[0], "{2c4de342-38b7-51cf-b940-2309a097f518}");
    assert_eq!(lines(&out)[1], "{c397f356-5e7b-55bc-956b-8cb4b9762c26}");
}

#[test]
fn guid_formats() {
    let run = |format: &str| {
        lines(&wslconst(&["guid", "tier1", "--format", format, "Ubuntu"]))[0].clone()
    };
    assert_eq!(run("braced"), "{2c4de342-38b7-51cf-b940-2309a097f518}");
    assert_eq!(run("bare"), "2c4de342-38b7-51cf-b940-2309a097f518");
    assert_eq!(run("upper"), "{2C4DE342-38B7-51CF-B940-2309A097F518}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "tier1", "input": "Ubuntu", "guid": "{2c4de342-38b7-51cf-b940-2309a097f518}"})
    );
    let out = wslconst(&["guid", "fragment", "--source", "Git", "--json", "Git Bash"]);
    let json: serde_json::Value = serde_json::from_str(&lines(&out)[0]).unwrap();
    assert_eq!(json["source"], "Git");
    assert_eq!(json["guid"], "{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}");
}

#[test]
fn guid_stdin_streams_lines_and_nul_records() {
    // CRLF and LF lines, a missing final newline: each is one name.
    let out = wslconst_with_stdin(&["guid", "tier1", "--stdin"], b"Ubuntu\r\nDebian\nNixOS");
    assert!(out.status.success());
    assert_eq!(
        lines(&out),
        vec![
            wslconst::tier1("Ubuntu").to_string(),
            wslconst::tier1("Debian").to_string(),
            wslconst::tier1("NixOS").to_string()
        ]
    );
    // NUL-separated: names keep their CR and LF.
    let out = wslconst_with_stdin(&["guid", "tier1", "--stdin", "-z"], b"a\r\nb\0c\n\0");
    assert_eq!(
        lines(&out),
        vec![
            wslconst::tier1("a\r\nb").to_string(),
            wslconst::tier1("c\n").to_string()
        ]
    );
    let out = wslconst_with_stdin(
        &["guid", "tier2", "--stdin"],
        b"fc3bf427-722c-4c2b-84bf-17202d2e3740\n{FC3BF427-722C-4C2B-84BF-17202D2E3740}\n",
    );
    assert_eq!(
        lines(&out),
        vec!["{ee603799-d7fe-5a9f-a662-e784d8a502df}"; 2]
    );
}

#[test]
fn guid_bad_input_names_the_record_and_exits_2() {
    let out = wslconst_with_stdin(
        &["guid", "tier2", "--stdin"],
        b"fc3bf427-722c-4c2b-84bf-17202d2e3740\nUbuntu\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        lines(&out).len(),
        1,
        "the good record before it is still written"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stdin record 2: \"Ubuntu\" is not a distribution id"),
        "{stderr}"
    );
    let out = wslconst_with_stdin(&["guid", "tier1", "--stdin"], b"ok\n\xff\xfe\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stdin record 2: not UTF-8"));
    assert_eq!(wslconst(&["guid", "tier1"]).status.code(), Some(2));
    assert_eq!(
        wslconst(&["guid", "tier2", "Ubuntu"]).status.code(),
        Some(2)
    );
    assert_eq!(
        wslconst(&["guid", "tier1", "--null", "x"]).status.code(),
        Some(2)
    );
    let both = wslconst_with_stdin(&["guid", "tier1", "--stdin", "x"], b"y\n");
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn guid_stops_quietly_when_the_reader_goes_away() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args(["guid", "tier1", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 39];
    let writer = {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            use std::io::Write;
            for _ in 0..200_000 {
                if stdin.write_all(b"Ubuntu\n").is_err() {
                    break;
                }
            }
        })
    };
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    writer.join().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(&first[..], b"{2c4de342-38b7-51cf-b940-2309a097f518}\n");
    assert!(status.success(), "{status:?}: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn explain_shows_the_steps_and_has_json() {
    let out = wslconst(&["explain", "tier1", "😀"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("name bytes       3d d8 00 de  (UTF-16LE, 2 code units"),
        "{text}"
    );
    assert!(text.contains("namespace bytes  2b de 4a 90 d0 5f 40 1c 94 92 e4 08 84 ea d1 d8"));
    let out = wslconst(&[
        "explain", "fragment", "--source", "Git", "Git Bash", "--json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["steps"].as_array().unwrap().len(), 2);
    assert_eq!(json[0]["guid"], "{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}");
    assert_eq!(
        wslconst(&["explain", "tier2", "nope"]).status.code(),
        Some(2)
    );
}

#[test]
fn render_writes_artifacts_keeps_backups_and_checks() {
    let dir = scratch("render");
    let out_dir = dir.join("out");
    let out = wslconst(&["render", out_dir.to_str().unwrap()]);
    assert!(out.status.success());
    for a in wslconst_render::artifacts::render_all() {
        assert_eq!(
            std::fs::read_to_string(out_dir.join(a.name)).unwrap(),
            a.contents
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out_dir.join("validate.py"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    assert!(
        wslconst(&["render", out_dir.to_str().unwrap(), "--check"])
            .status
            .success()
    );
    std::fs::write(out_dir.join("constants.json"), "edited").unwrap();
    let check = wslconst(&["render", out_dir.to_str().unwrap(), "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("constants.json: differs"));
    assert!(
        wslconst(&["render", out_dir.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("constants.json.bak")).unwrap(),
        "edited"
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = wslconst(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("wslconst") && text.contains("tier1"),
            "{shell}"
        );
    }
    assert_eq!(wslconst(&["completions", "cmd"]).status.code(), Some(2));
}

#[test]
fn help_has_examples_and_no_color_without_a_terminal() {
    let out = Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args(["guid", "--help"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Examples:") && text.contains("wslconst guid tier1 Ubuntu NixOS"));
    assert!(!text.contains('\x1b'));
}

#[test]
fn pin_summarizes_the_profile_schema_and_reports_its_drift() {
    let dir = scratch("pin-schema");
    let (wsl, terminal) = write_trees(&dir, 0);
    let pin_path = dir.join("upstream-pin.json");
    let revs = ["--wsl-rev", "w", "--terminal-rev", "t"];
    let out = pin(&wsl, &terminal, &pin_path, &revs);
    assert!(out.status.success(), "{out:?}");
    let pinned = PinFile::parse(&std::fs::read_to_string(&pin_path).unwrap()).unwrap();
    let schema: wslconst_upstream::schema::SchemaPin =
        serde_json::from_value(pinned.profile_schema.unwrap()).unwrap();
    assert_eq!(schema.revision, "t");
    for (name, object) in [
        (
            "profile",
            wslconst_model::profile_schema::SchemaObject::Profile,
        ),
        (
            "scheme",
            wslconst_model::profile_schema::SchemaObject::Scheme,
        ),
    ] {
        let keys: Vec<&str> = schema.objects[name].keys().map(String::as_str).collect();
        let compiled: Vec<&str> = object.keys().iter().map(|k| k.name).collect();
        assert_eq!(keys, compiled, "{name}");
    }

    let mut document = schema_document();
    // Keys a later Terminal might add: a plain one and an enum.
    document["$defs"]["Profile"]["properties"]["futureMessage"] =
        serde_json::json!({"type": ["string", "null"]});
    document["$defs"]["Profile"]["properties"]["futureStyle"] = serde_json::json!(
        {"type": "string", "enum": ["none", "wsl", "cygwin", "msys2", "mingw"], "default": "none"}
    );
    let schema_file = terminal.join(wslconst_upstream::schema::SCHEMA_PATH);
    std::fs::write(&schema_file, document.to_string()).unwrap();
    let check = pin(
        &wsl,
        &terminal,
        &pin_path,
        &[&revs[..], &["--check"]].concat(),
    );
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("profile schema: profile.futureMessage: added upstream"),
        "{stdout}"
    );

    assert!(
        stdout.contains("profile schema: profile.futureStyle: added upstream"),
        "{stdout}"
    );
    let repinned = pin(&wsl, &terminal, &pin_path, &revs);
    assert!(repinned.status.success(), "{repinned:?}");
    let pinned = PinFile::parse(&std::fs::read_to_string(&pin_path).unwrap()).unwrap();
    let schema: wslconst_upstream::schema::SchemaPin =
        serde_json::from_value(pinned.profile_schema.unwrap()).unwrap();
    assert_eq!(
        schema.objects["profile"]["futureStyle"].enum_values,
        ["cygwin", "mingw", "msys2", "none", "wsl"],
        "the enum a build on this pin checks profiles against"
    );

    std::fs::write(&schema_file, "{\"$defs\": {}}").unwrap();
    let broken = pin(&wsl, &terminal, &pin_path, &revs);
    assert_eq!(broken.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("has no object at /$defs/Profile/properties"),
        "{stderr}"
    );
}

fn wslconst_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("wslconst runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

const UBUNTU_ID: &str = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}";

#[test]
fn fragment_prints_wsl_bytes_and_path() {
    let out = wslconst(&[
        "fragment",
        "--name",
        "Ubuntu",
        "--distribution-id",
        UBUNTU_ID,
    ]);
    assert!(out.status.success(), "{out:?}");
    let request = wslconst_model::fragment::FragmentRequest::new(
        "Ubuntu",
        wslconst::DistributionId::parse(UBUNTU_ID).unwrap(),
    );
    let expected = wslconst_model::fragment::create_fragment(&request).unwrap();
    assert_eq!(out.stdout, expected.contents.as_bytes());
    assert!(
        !out.stdout.ends_with(b"\n"),
        "WSL writes no trailing newline"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(r"Fragments\Microsoft.WSL\{ee603799-d7fe-5a9f-a662-e784d8a502df}.json"),
        "{stderr}"
    );

    let dir = scratch("fragment");
    let template = dir.join("t.json");
    std::fs::write(
        &template,
        r#"{"profiles": [{"font": {"face": "Fira Code"}}]}"#,
    )
    .unwrap();
    let os_release = dir.join("os-release");
    std::fs::write(&os_release, "ID=nixos\nVERSION_ID=\"25.05\"\n").unwrap();
    let out = wslconst(&[
        "fragment",
        "--name",
        "NixOS",
        "--distribution-id",
        UBUNTU_ID,
        "--template",
        template.to_str().unwrap(),
        "--os-release",
        os_release.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let contents = doc["contents"].as_str().unwrap();
    assert!(contents.contains("\"face\": \"Fira Code\""));
    assert!(contents.contains("\"wsl.distribution-type\": \"nixos\""));
    assert_eq!(doc["hideGuid"], "{c397f356-5e7b-55bc-956b-8cb4b9762c26}");
}

#[test]
fn fragment_explains_templates_wsl_rejects() {
    let dir = scratch("fragment-rejects");
    let template = dir.join("t.json");
    for (text, wsl_says) in [
        (
            "{\n  // mine\n  \"profiles\": [{}]\n}",
            "parse error at line 2, column 3",
        ),
        ("{\"profiles\": {\"list\": []}}", "E_UNEXPECTED"),
    ] {
        std::fs::write(&template, text).unwrap();
        let out = wslconst(&[
            "fragment",
            "--name",
            "X",
            "--distribution-id",
            UBUNTU_ID,
            "--template",
            template.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(wsl_says), "{stderr}");
        assert!(stderr.contains("writes no fragment"), "{stderr}");
    }
    let bad_id = wslconst(&["fragment", "--name", "X", "--distribution-id", "Ubuntu"]);
    assert_eq!(bad_id.status.code(), Some(2));
}

#[test]
fn template_render_output_passes_template_check() {
    let dir = scratch("template");
    let scheme = dir.join("scheme.json");
    let mut colors = serde_json::Map::new();
    colors.insert("name".into(), "Nix".into());
    for c in wslconst_model::profile_template::SCHEME_COLORS {
        colors.insert(c.into(), "#7ebae4".into());
    }
    std::fs::write(&scheme, serde_json::Value::Object(colors).to_string()).unwrap();
    let out_file = dir.join("terminal-profile.json");
    let out = wslconst(&[
        "template",
        "render",
        "--font-face",
        "Cascadia Code",
        "--font-size",
        "10.5",
        "--font-weight",
        "600",
        "--scheme-file",
        scheme.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let check = wslconst(&[
        "template",
        "check",
        out_file.to_str().unwrap(),
        "--image-path",
        "/usr/lib/wsl/terminal-profile.json",
        "--json",
    ]);
    assert!(check.status.success(), "{check:?}");
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["warnings"], 0);

    let bad = wslconst(&["template", "render", "--cursor-shape", "block"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cursorShape"));

    let typo = wslconst_stdin(
        &["template", "check", "-"],
        br#"{"profiles": [{"fontFce": "x"}]}"#,
    );
    assert_eq!(typo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&typo.stdout).contains("did you mean fontFace?"));
}

#[test]
fn distribution_conf_render_then_check_round_trips() {
    let dir = scratch("conf");
    let options = dir.join("conf.json");
    std::fs::write(
        &options,
        r#"{"oobe.defaultName": "Nix \"OS\" # ; = ", "oobe.defaultUid": 1000, "windowsterminal.profileTemplate": "/usr/lib/wsl/terminal-profile.json"}"#,
    )
    .unwrap();
    let conf = dir.join("wsl-distribution.conf");
    let out = wslconst(&[
        "distribution-conf",
        "render",
        "--from-json",
        options.to_str().unwrap(),
        "--shortcut",
        "false",
        "-o",
        conf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let check = wslconst(&[
        "distribution-conf",
        "check",
        conf.to_str().unwrap(),
        "--json",
    ]);
    // The value comes back exactly; and WSL would refuse it as a name.
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(doc["settings"]["oobe.defaultName"], "Nix \"OS\" # ; = ");
    assert_eq!(doc["settings"]["shortcut.enabled"], false);
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["diagnostics"][0]["rule"], "invalid-name");

    let broken = wslconst_stdin(
        &["distribution-conf", "check", "-", "--json"],
        b"[oobe]\ndefaultName = a\n; note\n[windowsterminal]\nenabled = false\n",
    );
    assert_eq!(broken.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(doc["stop"]["line"], 3);
    assert_eq!(doc["stop"]["lost"][0]["key"], "windowsterminal.enabled");
    assert_eq!(doc["settings"].get("windowsterminal.enabled"), None);

    let unrepresentable = wslconst(&["distribution-conf", "render", "--default-name", "a\rb"]);
    assert_eq!(unrepresentable.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unrepresentable.stderr).contains("oobe.defaultName"));
}

/// A fake %LOCALAPPDATA% with stable and unpackaged Terminal settings.
fn local_appdata(name: &str, settings: &str) -> (PathBuf, [PathBuf; 2]) {
    let root = scratch(name);
    let stable = root.join("Packages/Microsoft.WindowsTerminal_8wekyb3d8bbwe/LocalState");
    let unpackaged = root.join("Microsoft/Windows Terminal");
    for dir in [&stable, &unpackaged] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("settings.json"), settings).unwrap();
    }
    (
        root,
        [
            stable.join("settings.json"),
            unpackaged.join("settings.json"),
        ],
    )
}

#[test]
fn settings_edits_every_installed_terminal_and_a_dry_run_writes_nothing() {
    let text = "{\n    // mine\n    \"profiles\": { \"list\": [\n        { \"guid\": \"{c397f356-5e7b-55bc-956b-8cb4b9762c26}\", \"name\": \"NixOS\" }\n    ] }\n}\n";
    let (root, files) = local_appdata("settings-edit", text);
    let appdata = root.to_str().unwrap();
    let set = [
        "settings",
        "upsert",
        "--distro",
        "NixOS",
        "--set",
        "colorScheme=Campbell",
        "--set",
        "font={\"size\": 11}",
        "--local-appdata",
        appdata,
    ];
    let dry = wslconst(&[&set[..], &["--dry-run"]].concat());
    assert!(dry.status.success(), "{dry:?}");
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with('+') && l.contains("\"colorScheme\": \"Campbell\"")),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("dry run, nothing written").count(),
        2,
        "{stdout}"
    );
    for file in &files {
        assert_eq!(std::fs::read_to_string(file).unwrap(), text);
    }
    let out = wslconst(&set);
    assert!(out.status.success(), "{out:?}");
    for file in &files {
        let after = std::fs::read_to_string(file).unwrap();
        assert!(after.starts_with("{\n    // mine\n"), "{after}");
        assert!(after.contains("\"colorScheme\": \"Campbell\""), "{after}");
        let backups: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".bak"))
            .collect();
        assert_eq!(backups.len(), 1, "{backups:?}");
        assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), text);
    }
    let again = wslconst(&set);
    assert!(again.status.success());
    assert_eq!(
        String::from_utf8_lossy(&again.stdout)
            .matches("nothing to change")
            .count(),
        2
    );
    let only = wslconst(&[
        "settings",
        "hide",
        "--guid",
        "{2c4de342-38b7-51cf-b940-2309a097f518}",
        "--channel",
        "unpackaged",
        "--local-appdata",
        appdata,
    ]);
    assert!(only.status.success(), "{only:?}");
    assert!(
        std::fs::read_to_string(&files[1])
            .unwrap()
            .contains("2c4de342")
    );
    assert!(
        !std::fs::read_to_string(&files[0])
            .unwrap()
            .contains("2c4de342")
    );

    let locate = wslconst(&["settings", "locate", "--json", "--local-appdata", appdata]);
    let doc: serde_json::Value = serde_json::from_slice(&locate.stdout).unwrap();
    let found: Vec<&str> = doc["installs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["exists"] == true)
        .map(|i| i["channel"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["stable", "unpackaged"]);
}

#[test]
fn settings_refuses_schema_errors_unreadable_files_and_the_wrong_file() {
    let (root, files) = local_appdata("settings-refuse", "{\"profiles\": []}");
    let appdata = root.to_str().unwrap();
    let bad = wslconst(&[
        "settings",
        "upsert",
        "--distro",
        "NixOS",
        "--set",
        "colourScheme=Campbell",
        "--local-appdata",
        appdata,
    ]);
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean colorScheme"));
    assert_eq!(
        std::fs::read_to_string(&files[0]).unwrap(),
        "{\"profiles\": []}"
    );

    std::fs::write(&files[0], "{\n  \"profiles\": [,]\n}").unwrap();
    let broken = wslconst(&[
        "settings",
        "hide",
        "--distro",
        "NixOS",
        "--file",
        files[0].to_str().unwrap(),
    ]);
    assert_eq!(broken.status.code(), Some(2), "{broken:?}");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("settings.json: line 2, column"), "{stderr}");

    let wrong = wslconst(&[
        "settings",
        "prune-state",
        "--distro",
        "NixOS",
        "--file",
        files[0].to_str().unwrap(),
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("edits state.json, not settings.json"));

    let none = wslconst(&[
        "settings",
        "hide",
        "--distro",
        "NixOS",
        "--local-appdata",
        "/nonexistent",
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no Windows Terminal settings.json found")
    );
}

#[test]
fn settings_leaves_commented_profiles_to_the_user_with_exit_1() {
    // A comment between two profiles on one line may belong to either.
    let text = "{\"profiles\": [\n  {\"guid\": \"{c397f356-5e7b-55bc-956b-8cb4b9762c26}\"}, /* keep? */ {\"guid\": \"{2c4de342-38b7-51cf-b940-2309a097f518}\"}\n]}";
    let dir = scratch("settings-left");
    let file = dir.join("settings.json");
    std::fs::write(&file, text).unwrap();
    let out = wslconst(&[
        "settings",
        "remove",
        "--distro",
        "NixOS",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("left to you") && err.contains("/* keep? */"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // A comment on the profile's own last line goes with it, and is listed.
    let text = "{\"profiles\": [\n  {\"guid\": \"{c397f356-5e7b-55bc-956b-8cb4b9762c26}\"} // old NixOS\n]}";
    std::fs::write(&file, text).unwrap();
    let out = wslconst(&[
        "settings",
        "remove",
        "--distro",
        "NixOS",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("with its comment // old NixOS"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\"profiles\": []}"
    );
}

#[test]
fn settings_expected_prints_the_guids_as_json() {
    let out = wslconst(&[
        "settings",
        "expected",
        "--json",
        "--distro",
        "NixOS",
        "--distro",
        "Ubuntu={fc3bf427-722c-4c2b-84bf-17202d2e3740}",
    ]);
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc[0]["profile"], "{c397f356-5e7b-55bc-956b-8cb4b9762c26}");
    assert_eq!(doc[1]["profile"], "{ee603799-d7fe-5a9f-a662-e784d8a502df}");
    assert_eq!(
        doc[1]["hidden"][0],
        "{2c4de342-38b7-51cf-b940-2309a097f518}"
    );
    let bad = wslconst(&["settings", "expected", "--distro", "Ubuntu=nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// A gzip'd tar built in the test: `(path, mode, contents)` regular files and
/// `(path, target)` links.
fn image_bytes(files: &[(&str, u32, &[u8])], links: &[(&str, &str)]) -> Vec<u8> {
    let files: Vec<(&[u8], u32, &[u8])> = files
        .iter()
        .map(|(name, mode, data)| (name.as_bytes(), *mode, *data))
        .collect();
    image_bytes_named(&files, links)
}

/// [`image_bytes`] with names as bytes (any bytes, as tar allows).
fn image_bytes_named(files: &[(&[u8], u32, &[u8])], links: &[(&str, &str)]) -> Vec<u8> {
    fn header(name: &[u8], mode: u32, size: usize, kind: u8, link: &str) -> [u8; 512] {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name);
        h[100..108].copy_from_slice(format!("{mode:07o}\0").as_bytes());
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = kind;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        h
    }
    let mut tar = Vec::new();
    for (name, mode, data) in files {
        tar.extend_from_slice(&header(name, *mode, data.len(), b'0', ""));
        tar.extend_from_slice(data);
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    for (name, target) in links {
        tar.extend_from_slice(&header(name.as_bytes(), 0o777, 0, b'2', target));
    }
    tar.extend_from_slice(&[0u8; 1024]);
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

fn elf_x64() -> Vec<u8> {
    let mut head = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    head.resize(18, 0);
    head.extend_from_slice(&62u16.to_le_bytes());
    head.resize(64, 0);
    head
}

#[test]
fn check_image_grades_scans_and_previews() {
    let dir = scratch("check-image");
    let sh = elf_x64();
    let good: Vec<(&str, u32, &[u8])> = vec![
        (
            "etc/wsl-distribution.conf",
            0o644,
            b"[oobe]\ndefaultName = NixOS\n[shortcut]\nicon = /usr/lib/wsl/nixos.ico\n",
        ),
        ("etc/passwd", 0o644, b"root:x:0:0::/root:/bin/sh\n"),
        ("etc/shadow", 0o640, b"root:!:1::::::\n"),
        ("usr/lib/wsl/nixos.ico", 0o644, b"ico"),
        ("nix/store/a-bash/bin/bash", 0o555, &sh),
    ];
    let image = dir.join("good.wsl");
    std::fs::write(
        &image,
        image_bytes(&good, &[("bin/sh", "/nix/store/a-bash/bin/bash")]),
    )
    .unwrap();
    let out = wslconst(&[
        "check-image",
        image.to_str().unwrap(),
        "--json",
        "--distribution-id",
        UBUNTU_ID,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stderr.is_empty(),
        "no progress bar off a terminal: {:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["terminal"]["name"], "NixOS");
    assert_eq!(
        doc["terminal"]["tier1"],
        "{c397f356-5e7b-55bc-956b-8cb4b9762c26}"
    );
    let expected = wslconst_model::fragment::create_fragment(&{
        let mut r = wslconst_model::fragment::FragmentRequest::new(
            "NixOS",
            wslconst::DistributionId::parse(UBUNTU_ID).unwrap(),
        );
        r.icon = wslconst_model::fragment::FragmentRequest::shipped_icon(&format!(
            r"%LOCALAPPDATA%\wsl\{UBUNTU_ID}"
        ));
        r
    })
    .unwrap();
    assert_eq!(doc["terminal"]["fragment"], expected.contents.as_str());

    let mut leaky = good.clone();
    leaky.push((
        "root/.git-credentials",
        0o600,
        b"https://jdoe:secret@github.com\n",
    ));
    let image = dir.join("leaky.wsl");
    std::fs::write(
        &image,
        image_bytes(&leaky, &[("bin/sh", "/nix/store/a-bash/bin/bash")]),
    )
    .unwrap();
    let out = wslconst(&["check-image", image.to_str().unwrap(), "--personal", "JDoe"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("/root/.git-credentials: error[credentials-file]"),
        "{text}"
    );
    assert!(
        text.contains("/root/.git-credentials:1 (byte 8): error[personal-data]"),
        "{text}"
    );
    assert!(!text.contains("secret"), "{text}");

    let missing: Vec<_> = good
        .iter()
        .filter(|f| f.0 != "etc/passwd")
        .cloned()
        .collect();
    let image = dir.join("missing.wsl");
    std::fs::write(&image, image_bytes(&missing, &[])).unwrap();
    let out = wslconst(&["check-image", image.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/etc/passwd: error[missing-file]"), "{text}");
    assert!(text.contains("/bin/sh: error[missing-file]"), "{text}");

    let bytes = image_bytes(&good, &[]);
    let truncated = dir.join("truncated.wsl");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let out = wslconst(&["check-image", truncated.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("truncated") || err.contains("corrupt"),
        "{err}"
    );
    let out = wslconst(&["check-image", dir.join("absent.wsl").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

/// Names from inside an image cannot act on the terminal: every control,
/// separator and bidirectional override is shown escaped, invalid UTF-8 too,
/// and two different names never print the same. JSON keeps them exactly.
#[test]
fn check_image_never_prints_what_an_image_names_raw() {
    let dir = scratch("check-image-names");
    let hostile: [&[u8]; 6] = [
        b"tmp/\x1b[2J\x1b]0;pwned\x07all pass\r\n",
        "tmp/a\u{2028}b\u{2029}c\u{85}".as_bytes(),
        "tmp/\u{202e}txt.exe\u{2066}x\u{2069}".as_bytes(),
        b"tmp/bad\xff\xfe",
        b"tmp/bad\\xff\\xfe",
        b"tmp/\x7fdel",
    ];
    let sh = elf_x64();
    let mut files: Vec<(&[u8], u32, &[u8])> = vec![
        (b"etc/passwd", 0o644, b"root:x:0:0::/root:/bin/sh\n"),
        (b"nix/store/a-bash/bin/bash", 0o555, &sh),
    ];
    for name in hostile {
        files.push((name, 0o666, b"x"));
    }
    let image = dir.join("names.wsl");
    std::fs::write(
        &image,
        image_bytes_named(&files, &[("bin/sh", "/nix/store/a-bash/bin/bash")]),
    )
    .unwrap();
    let out = wslconst(&["check-image", image.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).expect("the report is UTF-8");
    for c in text.chars() {
        assert!(
            c == '\n' || !wslconst_model::printable::needs_escape(c),
            "{c:?} printed raw:\n{text}"
        );
    }
    let shown: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("[world-writable]"))
        .collect();
    assert_eq!(shown.len(), hostile.len(), "{text}");
    for (i, a) in shown.iter().enumerate() {
        for b in &shown[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert!(
        text.contains("/tmp/\\x1b[2J\\x1b]0;pwned\\x07all pass\\r\\n"),
        "{text}"
    );
    assert!(text.contains("/tmp/bad\\xff\\xfe:"), "{text}");
    assert!(text.contains("/tmp/bad\\\\xff\\\\xfe:"), "{text}");

    let out = wslconst(&["check-image", image.to_str().unwrap(), "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["security"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "world-writable")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"/tmp/\x1b[2J\x1b]0;pwned\x07all pass\r\n"),
        "{paths:?}"
    );
    assert!(paths.contains(&"/tmp/bad\\xff\\xfe"), "{paths:?}");
    assert!(paths.contains(&"/tmp/bad\\\\xff\\\\xfe"), "{paths:?}");
}

/// `-` reads the image from stdin, in one pass; a directory is named as such.
#[test]
fn check_image_reads_stdin_and_names_a_directory() {
    let sh = elf_x64();
    let files: Vec<(&str, u32, &[u8])> = vec![
        ("etc/passwd", 0o644, b"root:x:0:0::/root:/bin/sh\n"),
        (
            "nix/store/b-conf",
            0o644,
            b"[oobe]\ndefaultName = NixOS\nbogus = 1\n",
        ),
        ("nix/store/a-bash/bin/bash", 0o555, &sh),
    ];
    let bytes = image_bytes(
        &files,
        &[
            ("bin/sh", "/nix/store/a-bash/bin/bash"),
            ("etc/wsl-distribution.conf", "/nix/store/b-conf"),
        ],
    );
    let out = wslconst_with_stdin(&["check-image", "-", "--json"], &bytes);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&serde_json::Value> = doc["rules"].as_array().unwrap().iter().collect();
    assert!(
        rules.iter().any(|r| r["rule"] == "not-read"
            && r["message"]
                .as_str()
                .unwrap()
                .contains("give the image as a file")),
        "{rules:#?}"
    );
    assert_eq!(doc["terminal"]["name"], "distro");
    let dir = scratch("check-image-stdin");
    let image = dir.join("linked.wsl");
    std::fs::write(&image, &bytes).unwrap();
    let out = wslconst(&["check-image", image.to_str().unwrap(), "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = doc["rules"].as_array().unwrap();
    assert!(
        rules.iter().any(|r| r["rule"] == "unknown-key"),
        "{rules:#?}"
    );
    assert!(!rules.iter().any(|r| r["rule"] == "not-read"), "{rules:#?}");
    assert_eq!(doc["terminal"]["name"], "NixOS");

    let out = wslconst(&["check-image", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is a directory"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Names WSL refuses (UnitTests.cpp, ModernInstall: `defaultName =
/// invalid!`): no fragment from `fragment`, none in check-image's preview,
/// a usage error for `--name`; a name may start with '-'.
#[test]
fn names_wsl_refuses_get_no_fragment() {
    let out = wslconst(&[
        "fragment",
        "--name",
        "invalid!",
        "--distribution-id",
        UBUNTU_ID,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Invalid distribution name: \"invalid!\"."),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let out = wslconst(&[
        "fragment",
        "--name",
        "-dash",
        "--distribution-id",
        UBUNTU_ID,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = scratch("check-image-names-wsl");
    let sh = elf_x64();
    let files: Vec<(&str, u32, &[u8])> = vec![
        (
            "etc/wsl-distribution.conf",
            0o644,
            b"[oobe]\ndefaultName = invalid!\n[shortcut]\nicon = /usr/share/wsl/big.ico\n",
        ),
        ("etc/passwd", 0o644, b"root:x:0:0::/root:/bin/sh\n"),
        ("usr/share/wsl/big.ico", 0o644, &[0u8; 1024 * 1024 + 1]),
        ("nix/store/a-bash/bin/bash", 0o555, &sh),
    ];
    let image = dir.join("invalid.wsl");
    std::fs::write(
        &image,
        image_bytes(&files, &[("bin/sh", "/nix/store/a-bash/bin/bash")]),
    )
    .unwrap();
    let out = wslconst(&["check-image", image.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "invalid-name"),
        "{doc:#}"
    );
    assert!(doc["terminal"]["fragment"].is_null());
    assert!(
        doc["terminal"]["fragmentError"]
            .as_str()
            .unwrap()
            .contains("Invalid distribution name")
    );
    // With a valid name, the preview shows the icon WSL really uses: the
    // conf's is over 1 MiB, so wsl.exe's (UnitTests.cpp, ModernInstall).
    let out = wslconst(&[
        "check-image",
        image.to_str().unwrap(),
        "--json",
        "--name",
        "NixOS",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fragment = doc["terminal"]["fragment"].as_str().unwrap();
    assert!(
        fragment.contains("wsl.exe") && !fragment.contains("shortcut.ico"),
        "{fragment}"
    );
    assert!(
        doc["terminal"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("wsl.exe's icon"))
    );
    let out = wslconst(&["check-image", image.to_str().unwrap(), "--name", "bad name"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A --template or --os-release that cannot be read is a usage error, and
/// the message says what WSL does when it cannot read the file.
#[test]
fn fragment_inputs_that_cannot_be_read_say_what_wsl_would_do() {
    for (option, wsl) in [
        ("--template", "uses its default template"),
        ("--os-release", "without wsl.distribution-type/-version"),
    ] {
        let out = wslconst(&[
            "fragment",
            "--name",
            "NixOS",
            "--distribution-id",
            UBUNTU_ID,
            option,
            "/nonexistent/file",
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("/nonexistent/file") && err.contains(wsl),
            "{err}"
        );
    }
}
