//! `wslconst doctor` on simulated Windows machines: a `%LOCALAPPDATA%` with
//! the stable and preview installs, WSL's fragments as the fragment model
//! writes them, and `reg export` files in real UTF-16LE. One scenario per
//! finding, a healthy machine, and the reimport story end to end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use wslconst::{DistributionId, tier1, tier2};
use wslconst_model::doctor::registry::encode_export;
use wslconst_model::fragment::{FragmentRequest, create_fragment};

const NIXOS: &str = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}";
const NIXOS_AGAIN: &str = "{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}";
const GONE: &str = "{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}";

fn id(text: &str) -> DistributionId {
    DistributionId::parse(text).unwrap()
}

/// A simulated Windows user: `LocalAppData`, and the registry export.
struct Machine {
    root: PathBuf,
}

impl Machine {
    fn new(name: &str) -> Machine {
        let root =
            std::env::temp_dir().join(format!("wslconst-doctor-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("LocalAppData")).unwrap();
        Machine { root }
    }

    fn local(&self) -> PathBuf {
        self.root.join("LocalAppData")
    }

    fn stable(&self) -> PathBuf {
        self.local()
            .join(r"Packages/Microsoft.WindowsTerminal_8wekyb3d8bbwe/LocalState")
    }

    fn preview(&self) -> PathBuf {
        self.local()
            .join(r"Packages/Microsoft.WindowsTerminalPreview_8wekyb3d8bbwe/LocalState")
    }

    fn fragments(&self) -> PathBuf {
        self.local()
            .join("Microsoft/Windows Terminal/Fragments/Microsoft.WSL")
    }

    /// The registry as `reg export` writes it: (name, id, modern) each.
    fn registry(&self, distros: &[(&str, &str, bool)]) {
        let mut text = String::from(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss]\r\n\r\n",
        );
        for (name, id, modern) in distros {
            text.push_str(&format!(
                "[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{id}]\r\n\"DistributionName\"=\"{name}\"\r\n\"Version\"=dword:00000002\r\n\"Modern\"=dword:0000000{}\r\n\r\n",
                u8::from(*modern)
            ));
        }
        std::fs::write(self.root.join("lxss.reg"), encode_export(&text)).unwrap();
        // The same as UTF-8, which the stand-in reg.exe copies with shell builtins.
        std::fs::write(self.root.join("lxss.txt"), &text).unwrap();
    }

    /// WSL's fragment for a distro, exactly as WSL writes it.
    fn fragment(&self, name: &str, distribution_id: &str) -> PathBuf {
        let fragment = create_fragment(&FragmentRequest::new(name, id(distribution_id))).unwrap();
        std::fs::create_dir_all(self.fragments()).unwrap();
        let path = self
            .fragments()
            .join(format!("{}.json", tier2(id(distribution_id))));
        std::fs::write(&path, fragment.contents).unwrap();
        path
    }

    fn write(&self, dir: &Path, file: &str, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(file), text).unwrap();
    }

    fn doctor(&self, extra: &[&str]) -> Output {
        let registry = self.root.join("lxss.reg");
        let local = self.local();
        let mut args = vec![
            "doctor",
            "--registry",
            registry.to_str().unwrap(),
            "--local-appdata",
            local.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_wslconst"))
            .args(&args)
            .env_remove("LOCALAPPDATA")
            .env_remove("ProgramData")
            .output()
            .unwrap()
    }

    fn report(&self) -> (Value, i32) {
        let out = self.doctor(&["--json"]);
        let text = String::from_utf8(out.stdout).unwrap();
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (value, out.status.code().unwrap())
    }
}

/// Every (rule, level) the report holds.
fn rules(report: &Value) -> Vec<(String, String)> {
    let mut all: Vec<&Value> = report["other"].as_array().unwrap().iter().collect();
    for d in report["distros"].as_array().unwrap() {
        all.extend(d["findings"].as_array().unwrap());
    }
    let mut out: Vec<(String, String)> = all
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    out.sort();
    out
}

/// NixOS imported once: its fragment, Terminal's entry for the fragment's
/// profile, defaultProfile on it, and state.json having seen it. Healthy.
fn healthy(name: &str) -> Machine {
    let m = Machine::new(name);
    m.registry(&[("NixOS", NIXOS, true)]);
    m.fragment("NixOS", NIXOS);
    let t2 = tier2(id(NIXOS));
    for dir in [m.stable(), m.preview()] {
        m.write(
            &dir,
            "settings.json",
            &format!(
                "{{\n    // mine\n    \"defaultProfile\": \"{t2}\",\n    \"profiles\": {{\n        \"list\": [\n            {{ \"guid\": \"{{61c54bbd-c2c6-5271-96e7-009a87ff44bf}}\", \"name\": \"Windows PowerShell\" }},\n            {{ \"guid\": \"{t2}\", \"hidden\": false, \"name\": \"NixOS\", \"source\": \"Microsoft.WSL\" }}\n        ]\n    }}\n}}\n"
            ),
        );
        m.write(
            &dir,
            "state.json",
            &format!("{{\"generatedProfiles\": [\"{t2}\"]}}"),
        );
    }
    m
}

#[test]
fn a_healthy_machine_is_healthy() {
    let m = healthy("healthy");
    let (report, code) = m.report();
    assert_eq!(rules(&report), [], "{report:#}");
    assert_eq!((code, &report["healthy"]), (0, &json!(true)));
    let out = m.doctor(&[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("NixOS  {NIXOS}")), "{text}");
    assert!(
        text.ends_with("0 error(s), 0 warning(s), 0 note(s): healthy\n"),
        "{text}"
    );
}

#[test]
fn each_finding_on_its_own() {
    let t1 = tier1("NixOS");
    let t2 = tier2(id(NIXOS));
    let gone = tier2(id(GONE));
    let settings = |m: &Machine, entries: &str, default: &str| {
        m.write(
            &m.stable(),
            "settings.json",
            &format!(
                "{{\"defaultProfile\": \"{default}\", \"profiles\": {{\"list\": [{entries}]}}}}"
            ),
        );
    };
    let base =
        format!("{{\"guid\": \"{t2}\", \"name\": \"NixOS\", \"source\": \"Microsoft.WSL\"}}");

    // orphan-fragment: an unregister left its fragment.
    let m = healthy("orphan-fragment");
    m.fragment("Old", GONE);
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("orphan-fragment", "warning")])
    );

    // missing-fragment: a modern distro without its fragment.
    let m = healthy("missing-fragment");
    std::fs::remove_dir_all(m.fragments()).unwrap();
    let (report, code) = m.report();
    assert!(
        rules(&report).contains(&("missing-fragment".into(), "error".into())),
        "{report:#}"
    );
    assert_eq!(code, 1);

    // duplicate-profile: Tier 1 unhidden by hand.
    let m = healthy("duplicate");
    settings(
        &m,
        &format!("{base}, {{\"guid\": \"{t1}\", \"hidden\": false}}"),
        &t2.to_string(),
    );
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("duplicate-profile", "error")])
    );

    // orphan-settings-entry: an entry for a distro that is gone.
    let m = healthy("orphan-entry");
    settings(
        &m,
        &format!(
            "{base}, {{\"guid\": \"{gone}\", \"name\": \"Old\", \"source\": \"Microsoft.WSL\"}}"
        ),
        &t2.to_string(),
    );
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("orphan-settings-entry", "warning")])
    );

    // customization-on-old-guid: font and scheme on Tier 1, Tier 2 shown.
    let m = healthy("customized");
    settings(
        &m,
        &format!("{base}, {{\"guid\": \"{t1}\", \"hidden\": true, \"colorScheme\": \"Campbell\"}}"),
        &t2.to_string(),
    );
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("customization-on-old-guid", "error")])
    );

    // The same key set differently on both entries: the user's to merge.
    let m = healthy("customized-twice");
    settings(
        &m,
        &format!(
            "{{\"guid\": \"{t2}\", \"name\": \"NixOS\", \"source\": \"Microsoft.WSL\", \"colorScheme\": \"Vintage\"}}, {{\"guid\": \"{t1}\", \"hidden\": true, \"colorScheme\": \"Campbell\", \"fontFace\": \"x\"}}"
        ),
        &t2.to_string(),
    );
    let (report, _) = m.report();
    let finding = &report["distros"][0]["findings"][0];
    assert_eq!(
        finding["rule"],
        json!("customization-on-old-guid"),
        "{report:#}"
    );
    assert_eq!(finding["fixedByDoctor"], json!(false), "{report:#}");
    assert!(
        finding["fix"]
            .as_str()
            .unwrap()
            .starts_with("colorScheme differ between the two entries, merge them by hand"),
        "{report:#}"
    );

    // default-profile-missing: a GUID no profile has.
    let m = healthy("default");
    settings(&m, &base, "{11111111-2222-3333-4444-555555555555}");
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("default-profile-missing", "error")])
    );

    // hidden-as-deleted: seen by Terminal, its entry removed by hand.
    let m = healthy("deleted");
    settings(&m, "", "{61c54bbd-c2c6-5271-96e7-009a87ff44bf}");
    let (report, _) = m.report();
    assert_eq!(
        rules(&report),
        pairs(&[("hidden-as-deleted", "error")]),
        "{report:#}"
    );

    // stale-generated: state.json remembers a distro that is gone (a note).
    let m = healthy("stale");
    m.write(
        &m.stable(),
        "state.json",
        &format!("{{\"generatedProfiles\": [\"{t2}\", \"{gone}\"]}}"),
    );
    settings(
        &m,
        &format!(
            "{base}, {{\"guid\": \"{gone}\", \"name\": \"Old\", \"source\": \"Microsoft.WSL\", \"colorScheme\": \"x\"}}"
        ),
        &t2.to_string(),
    );
    let (report, _) = m.report();
    assert!(
        rules(&report).contains(&("stale-generated".into(), "info".into())),
        "{report:#}"
    );

    // no-terminal-settings: a folder where Terminal never ran.
    let m = healthy("no-terminal");
    std::fs::remove_dir_all(m.local().join("Packages")).unwrap();
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("no-terminal-settings", "warning")])
    );

    // fragment-mismatch: a fragment edited by hand.
    let m = healthy("mismatch");
    let path = m.fragments().join(format!("{t2}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("--distribution-id", "-d");
    std::fs::write(&path, text).unwrap();
    assert_eq!(
        rules(&m.report().0),
        pairs(&[("fragment-mismatch", "error")])
    );
}

#[test]
fn the_reimport_story_end_to_end() {
    let m = Machine::new("reimport");
    // 1. Import NixOS; customize its profile on the Tier 1 GUID, as older
    //    guides said, and make it the default.
    m.registry(&[("NixOS", NIXOS, true)]);
    m.fragment("NixOS", NIXOS);
    let (t1, old, new) = (tier1("NixOS"), tier2(id(NIXOS)), tier2(id(NIXOS_AGAIN)));
    let settings = format!(
        "{{\n    // my settings\n    \"defaultProfile\": \"{old}\",\n    \"profiles\": {{\n        \"list\": [\n            {{ \"guid\": \"{old}\", \"hidden\": false, \"name\": \"NixOS\", \"source\": \"Microsoft.WSL\" }},\n            /* my NixOS look */\n            {{ \"guid\": \"{t1}\", \"hidden\": true, \"colorScheme\": \"One Half Dark\", \"font\": {{ \"face\": \"Cascadia Code\" }} }}\n        ]\n    }}\n}}\n"
    );
    m.write(&m.stable(), "settings.json", &settings);
    m.write(
        &m.stable(),
        "state.json",
        &format!("{{\"generatedProfiles\": [\"{old}\"]}}"),
    );
    assert_eq!(m.report().1, 1, "Tier 1's settings already do not apply");

    // 2. Reimport: a new id is registered and its fragment written; the old
    //    one is left behind.
    m.registry(&[("NixOS", NIXOS_AGAIN, true)]);
    m.fragment("NixOS", NIXOS_AGAIN);

    // 3. The doctor names the orphan fragment, the customization on the old
    //    GUID and the default profile.
    let (report, code) = m.report();
    assert_eq!(code, 1);
    let found = rules(&report);
    for rule in [
        "orphan-fragment",
        "customization-on-old-guid",
        "default-profile-missing",
    ] {
        assert!(found.iter().any(|(r, _)| r == rule), "{rule}: {report:#}");
    }
    let text = String::from_utf8(m.doctor(&[]).stdout).unwrap();
    assert!(
        text.contains(&format!("colorScheme, font set on {t1} no longer applies")),
        "{text}"
    );

    // A dry run writes nothing.
    let before = std::fs::read_to_string(m.stable().join("settings.json")).unwrap();
    let dry = m.doctor(&["--fix", "--dry-run"]);
    assert!(String::from_utf8_lossy(&dry.stdout).contains("dry run, nothing written"));
    assert_eq!(
        std::fs::read_to_string(m.stable().join("settings.json")).unwrap(),
        before
    );

    // 4. Fix, then the doctor again: healthy, every comment kept, the old
    //    fragment and each file's previous bytes kept as backups.
    let fixed = m.doctor(&["--fix", "--force"]);
    let text = String::from_utf8_lossy(&fixed.stdout);
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    let (report, code) = m.report();
    assert_eq!((code, rules(&report)), (0, vec![]), "{report:#}");
    let after = std::fs::read_to_string(m.stable().join("settings.json")).unwrap();
    for comment in ["// my settings", "/* my NixOS look */"] {
        assert!(after.contains(comment), "{after}");
    }
    let value = wslconst_model::settings::read_value(&after).unwrap();
    assert_eq!(value["defaultProfile"], json!(new.to_string()));
    let list = value["profiles"]["list"].as_array().unwrap();
    let entry = list
        .iter()
        .find(|p| p["guid"] == json!(new.to_string()))
        .expect("a Tier 2 entry");
    assert_eq!(entry["colorScheme"], json!("One Half Dark"));
    assert_eq!(entry["font"]["face"], json!("Cascadia Code"));
    assert!(
        !list.iter().any(|p| p["guid"] == json!(old.to_string())),
        "the old entry held nothing of the user's"
    );
    let backups: Vec<String> = std::fs::read_dir(m.fragments())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        backups
            .iter()
            .any(|n| n.starts_with(&format!("{old}.json.")) && n.ends_with(".bak")),
        "{backups:?}"
    );
    assert!(!m.fragments().join(format!("{old}.json")).exists());
}

#[test]
fn unreadable_input_is_exit_2_and_says_what_to_do() {
    let m = healthy("unreadable");
    std::fs::write(m.root.join("lxss.reg"), "not an export").unwrap();
    let out = m.doctor(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("reg export HKCU"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_wslconst"))
        .args([
            "doctor",
            "--registry",
            m.root.join("missing.reg").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Windows as interop shows it, stood in for by scripts: `cmd.exe` prints
/// `%LOCALAPPDATA%`, `reg.exe export` writes the export, `tasklist.exe`
/// lists Terminal when `FAKE_TERMINAL_RUNNING` is set, and `wslpath` maps
/// `C:\` to the fake drive. Tests the plumbing, not Windows. Shell builtins
/// only: the package's tests run with nothing but the declared tools on PATH.
fn fake_windows(m: &Machine) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let root = m.root.join("c");
    let system32 = root.join("Windows/System32");
    std::fs::create_dir_all(&system32).unwrap();
    let local = root.join("Users/me/AppData/Local");
    std::fs::create_dir_all(local.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(m.local(), &local).unwrap();
    std::fs::create_dir_all(m.local().join("Temp")).unwrap();
    let wslpath = m.root.join("wslpath");
    let map = format!(
        "p=\"${{2#C:}}\"; out=\"\"\nwhile :; do case \"$p\" in *\\\\*) out=\"$out${{p%%\\\\*}}/\"; p=\"${{p#*\\\\}}\";; *) out=\"$out$p\"; break;; esac; done\nprintf '%s\\n' \"{}$out\"",
        root.display()
    );
    let scripts = [
        (wslpath.clone(), map),
        (
            system32.join("cmd.exe"),
            "printf 'C:\\\\Users\\\\me\\\\AppData\\\\Local\\r\\n'".to_owned(),
        ),
        (
            system32.join("reg.exe"),
            format!(
                "target=$({} -u \"$3\")\nwhile IFS= read -r line; do printf '%s\\n' \"$line\"; done < {} > \"$target\"",
                wslpath.display(),
                m.root.join("lxss.txt").display()
            ),
        ),
        (
            system32.join("tasklist.exe"),
            "if [ -n \"$FAKE_TERMINAL_RUNNING\" ]; then echo 'WindowsTerminal.exe  4242 Console 1 80,000 K'; else echo 'INFO: No tasks are running which match the specified criteria.'; fi".to_owned(),
        ),
    ];
    for (path, body) in scripts {
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (root, wslpath)
}

#[test]
fn inside_wsl_windows_is_asked_through_interop() {
    let m = healthy("interop");
    let (root, wslpath) = fake_windows(&m);
    let run = |args: &[&str], running: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wslconst"));
        cmd.args(args)
            .env_remove("LOCALAPPDATA")
            .env_remove("ProgramData")
            .env("WSLCONST_WINDOWS_ROOT", &root)
            .env("WSLCONST_WSLPATH", &wslpath);
        if running {
            cmd.env("FAKE_TERMINAL_RUNNING", "1");
        }
        cmd.output().unwrap()
    };
    // No --registry, no --local-appdata: both from Windows.
    let out = run(&["doctor", "--json"], false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(NIXOS), "{text}");
    // The reg.exe export is read from %LOCALAPPDATA%\Temp and deleted.
    assert_eq!(
        std::fs::read_dir(m.local().join("Temp")).unwrap().count(),
        0
    );
    // --fix refuses while Terminal runs; --force goes on.
    let out = run(&["doctor", "--fix"], true);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Windows Terminal is running"));
    assert_eq!(
        run(&["doctor", "--fix", "--force"], true).status.code(),
        Some(0)
    );
    // The settings commands find %LOCALAPPDATA% the same way.
    let out = run(&["settings", "locate", "--json"], false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&m.local().display().to_string()) || text.contains("Users/me/AppData/Local"),
        "{text}"
    );
}
