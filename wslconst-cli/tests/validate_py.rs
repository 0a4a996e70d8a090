//! `validate.py`, rendered from templates/validate.py, run with `python3`, and
//! held to the same findings as `wslconst validate`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use wslconst_model::constants::ConstantsJson;
use wslconst_render::artifacts::render_all;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wslconst-py-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Renders every artifact into `dir` and returns the path of validate.py.
fn render_into(dir: &Path) -> PathBuf {
    for a in render_all() {
        std::fs::write(dir.join(a.name), a.contents).unwrap();
    }
    dir.join("validate.py")
}

fn python(script: &Path, args: &[&str]) -> Output {
    Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (CI has Python 3.11)")
}

fn wslconst(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn passes_on_the_rendered_constants_json_and_its_selftest() {
    let dir = scratch("pass");
    let script = render_into(&dir);
    let file = dir.join("constants.json");
    let out = python(&script, &[file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out), "");
    let out = python(&script, &["selftest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ok, 7 vectors"));
}

#[test]
fn the_script_is_ascii_and_compiles() {
    let dir = scratch("ascii");
    let script = render_into(&dir);
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.is_ascii(), "the Python escaper keeps the script ASCII");
    assert!(text.starts_with("#!/usr/bin/env python3\n"));
    let out = Command::new("python3")
        .args(["-m", "py_compile"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One tampered copy of constants.json: what to change and a field it must name.
struct Tamper {
    what: &'static str,
    edit: fn(&mut Value),
    names: &'static str,
}

const TAMPERS: &[Tamper] = &[
    Tamper {
        what: "WSL namespace",
        edit: |d| {
            d["constants"]["WslTerminalNamespace"]["value"] =
                "{be9372fe-59e1-4876-bda9-c33c8f2f1af2}".into()
        },
        names: "constants.WslTerminalNamespace.value",
    },
    Tamper {
        what: "Terminal namespace (breaks cross-validation and tier1 vectors)",
        edit: |d| {
            d["constants"]["TERMINAL_PROFILE_NAMESPACE_GUID"]["value"] =
                "{2bde4a90-d05f-401c-9492-e40884ead1d9}".into()
        },
        names: "constants.GeneratedProfilesTerminalNamespace.value: cross-validation failed",
    },
    Tamper {
        what: "uppercase namespace",
        edit: |d| {
            d["constants"]["RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID"]["value"] =
                "{F65DDB7E-706B-4499-8A50-40313CAF510A}".into()
        },
        names: "constants.RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID.value",
    },
    Tamper {
        what: "a vector's GUID",
        edit: |d| d["vectors"][6]["guid"] = "{ee603799-d7fe-5a9f-a662-e784d8a502de}".into(),
        names: "vectors[6].guid: recomputing from the file's constants",
    },
    Tamper {
        what: "a vector's input",
        edit: |d| d["vectors"][0]["name"] = "ubuntu".into(),
        names: "vectors[0].name",
    },
    Tamper {
        what: "encoding convention",
        edit: |d| d["inputEncoding"] = "UTF-8".into(),
        names: "inputEncoding: expected \"UTF-16LE\", found \"UTF-8\"",
    },
    Tamper {
        what: "revision",
        edit: |d| d["terminalSourceRev"] = "main".into(),
        names: "terminalSourceRev",
    },
    Tamper {
        what: "line as a float",
        edit: |d| d["constants"]["WSL_BINARY_NAME"]["line"] = serde_json::json!(17.0),
        names: "constants.WSL_BINARY_NAME.line: expected 17, found 17.0",
    },
    Tamper {
        what: "a missing constant and an unknown one",
        edit: |d| {
            let c = d["constants"].as_object_mut().unwrap();
            let v = c.remove("WSL_DISTRIBUTION_CONF").unwrap();
            c.insert("WSL_DISTRIBUTION_CONFIG".into(), v);
        },
        names: "constants.WSL_DISTRIBUTION_CONF: missing",
    },
    Tamper {
        what: "a Unicode value with quotes",
        edit: |d| {
            d["constants"]["WslGeneratorNamespace"]["value"] =
                "Windows.Terminal.Wsl\u{2019}\"😀\n".into()
        },
        names: "constants.WslGeneratorNamespace.value: expected \"Windows.Terminal.Wsl\", found \"Windows.Terminal.Wsl\u{2019}\\\"😀\\n\"",
    },
    Tamper {
        what: "vectors removed",
        edit: |d| d["vectors"] = serde_json::json!({}),
        names: "vectors: expected an array, found an object",
    },
    Tamper {
        what: "a WSL file rule loosened",
        edit: |d| {
            d["wslRules"]["files"]["windowsterminal.profileTemplate"]["modes"] =
                serde_json::json!(["0666"])
        },
        names: "wslRules.files.windowsterminal.profileTemplate.modes: expected [\"0660\",\"0640\"], found [\"0666\"]",
    },
    Tamper {
        what: "the size limit changed and a rule added",
        edit: |d| {
            d["wslRules"]["maxAttachmentSize"] = serde_json::json!(2097152);
            d["wslRules"]["files"]["etc.passwd"] = serde_json::json!({});
        },
        names: "wslRules.maxAttachmentSize: expected 1048576, found 2097152",
    },
    Tamper {
        what: "root replaced",
        edit: |d| *d = serde_json::json!([1]),
        names: "(root): expected an object, found an array",
    },
];

#[test]
fn tampered_copies_fail_naming_the_field_with_the_same_findings_as_wslconst() {
    let dir = scratch("tamper");
    let script = render_into(&dir);
    let pristine: Value = serde_json::from_str(&ConstantsJson::compiled().render()).unwrap();
    for (i, t) in TAMPERS.iter().enumerate() {
        let mut doc = pristine.clone();
        (t.edit)(&mut doc);
        let file = dir.join(format!("tampered-{i}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        let py = python(&script, &[file.to_str().unwrap()]);
        let rs = wslconst(&["validate", file.to_str().unwrap()]);
        assert_eq!(
            py.status.code(),
            Some(1),
            "{}: validate.py must fail",
            t.what
        );
        assert_eq!(
            rs.status.code(),
            Some(1),
            "{}: wslconst validate must fail",
            t.what
        );
        assert!(
            stdout(&py).contains(t.names),
            "{}: expected {:?} in\n{}",
            t.what,
            t.names,
            stdout(&py)
        );
        assert_eq!(
            stdout(&py),
            stdout(&rs),
            "{}: the two validators disagree",
            t.what
        );
    }
}

#[test]
fn unreadable_input_exits_2() {
    let dir = scratch("unreadable");
    let script = render_into(&dir);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    assert_eq!(
        python(&script, &[bad.to_str().unwrap()]).status.code(),
        Some(2)
    );
    assert_eq!(
        wslconst(&["validate", bad.to_str().unwrap()]).status.code(),
        Some(2)
    );
    let missing = dir.join("missing.json");
    assert_eq!(
        python(&script, &[missing.to_str().unwrap()]).status.code(),
        Some(2)
    );
    assert_eq!(
        wslconst(&["validate", missing.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn computes_the_same_guids_as_wslconst_for_hostile_names() {
    let dir = scratch("guids");
    let script = render_into(&dir);
    let names = [
        "Ubuntu",
        "NixOS",
        "Ünïcødé",
        "日本語",
        "😀 astral 𝄞",
        "line\r\nbreak",
        "quote ' \" \u{2019}",
        "",
    ];
    let py = python(&script, &[&["tier1"][..], &names].concat());
    let rs = wslconst(&[&["guid", "tier1", "--"][..], &names].concat());
    assert_eq!(py.status.code(), Some(0));
    assert_eq!(stdout(&py), stdout(&rs));
    assert_eq!(stdout(&py).lines().count(), names.len());

    let ids = [
        "fc3bf427-722c-4c2b-84bf-17202d2e3740",
        "{FC3BF427-722C-4C2B-84BF-17202D2E3740}",
    ];
    let py = python(&script, &[&["tier2"][..], &ids].concat());
    let rs = wslconst(&[&["guid", "tier2"][..], &ids].concat());
    assert_eq!(stdout(&py), stdout(&rs));
    assert_eq!(
        stdout(&py).lines().next(),
        Some("{ee603799-d7fe-5a9f-a662-e784d8a502df}")
    );

    let py = python(&script, &["fragment", "Git", "Git Bash", "😀"]);
    let rs = wslconst(&["guid", "fragment", "--source", "Git", "Git Bash", "😀"]);
    assert_eq!(stdout(&py), stdout(&rs));

    let bad = python(&script, &["tier2", "Ubuntu"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'Ubuntu' is not a GUID"));
}

#[test]
fn the_docs_one_liner_fails_where_validate_py_does_not() {
    // Microsoft's documented one-liner raises as soon as a UTF-16LE byte is 0x80 or
    // more (é is E9 00); names whose every code unit has two low bytes, like
    // Cyrillic, happen to survive it. validate.py is right for all of them.
    let one_liner = "import uuid; ns=uuid.UUID('{2bde4a90-d05f-401c-9492-e40884ead1d8}'); \
                     print(uuid.uuid5(ns, 'Ünïcødé'.encode('UTF-16LE').decode('ASCII')))";
    let out = Command::new("python3")
        .args(["-c", one_liner])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("UnicodeDecodeError"));
    let dir = scratch("oneliner");
    let script = render_into(&dir);
    for name in ["Ünïcødé", "Дебиан", "😀"] {
        let ours = python(&script, &["tier1", name]);
        assert_eq!(
            stdout(&ours).trim(),
            wslconst::tier1(name).to_string(),
            "{name}"
        );
    }
}

#[test]
fn hostile_values_survive_the_python_escaper_exactly() {
    use askama::Template;
    let hostile = [
        "''' \"\"\" ' \"",
        "back\\slash \\n not a newline",
        "real\nnewline\r\n\ttab",
        "nul\0byte \u{7f} \u{85} \u{2028}",
        "é 😀 \u{2019} {braces} %s",
        "'); import os; os.system('echo pwned'); ('",
    ];
    let dir = scratch("hostile");
    for (i, value) in hostile.iter().enumerate() {
        let mut reference = ConstantsJson::compiled();
        reference
            .constants
            .get_mut("WslGeneratorNamespace")
            .unwrap()
            .value = (*value).to_owned();
        reference.vectors[0].published_in = (*value).to_owned();
        let script = wslconst_render::template::ValidatePy {
            c: &wslconst_render::template::CONSTANTS,
            reference: &reference,
            generator: "test",
            wsl_rules_json: reference.wsl_rules_json(),
        }
        .render()
        .unwrap();
        assert!(script.is_ascii());
        let path = dir.join(format!("hostile_{i}.py"));
        std::fs::write(&path, script).unwrap();
        let probe = format!(
            "import importlib.util, json, sys\n\
             spec = importlib.util.spec_from_file_location('v', {path:?})\n\
             m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n\
             sys.stdout.write(json.dumps([m.CONSTANTS['WslGeneratorNamespace']['value'], m.VECTORS[0]['publishedIn']]))",
            path = path.to_str().unwrap()
        );
        let out = Command::new("python3")
            .args(["-c", &probe])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{value:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let back: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            back,
            vec![value.to_string(), value.to_string()],
            "{value:?}"
        );
    }
}
