//! `wslconst render`, `constants`, `validate` and `completions`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use wslconst_model::constants::ConstantsJson;
use wslconst_model::validate::validate;
use wslconst_render::artifacts::render_all;

use wslconst_model::files::Written;

use super::{EXIT_CHECK_FAILED, Failure, Outcome, write_file};

/// Write every artifact (constants.json, validate.py, Import-NixOSWSL.ps1,
/// Compute-WslProfileGuid.ps1) into a directory.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst render out/\n  \
    wslconst render out/ --check      exit 1 if any file differs from a fresh render\n\n\
    Files that changed are replaced atomically; the previous version is kept as FILE.bak.")]
pub struct RenderArgs {
    /// The output directory (created if missing).
    dir: PathBuf,
    /// Do not write; exit 1 if any file is missing or differs from a fresh render.
    #[arg(long)]
    check: bool,
}

pub fn run_render(args: RenderArgs) -> Outcome {
    if !args.check {
        std::fs::create_dir_all(&args.dir)
            .map_err(|e| Failure::usage(format!("cannot create {}: {e}", args.dir.display())))?;
    }
    let mut stale = 0;
    for artifact in render_all() {
        let path = args.dir.join(artifact.name);
        if args.check {
            let state = match std::fs::read(&path) {
                Ok(bytes) if bytes == artifact.contents.as_bytes() => continue,
                Ok(_) => "differs",
                Err(_) => "missing",
            };
            stale += 1;
            println!(
                "{}: {state} (re-render with `wslconst render {}`)",
                path.display(),
                args.dir.display()
            );
            continue;
        }
        let written = write_file(&path, &artifact.contents)?;
        #[cfg(unix)]
        if artifact.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(
                |e| Failure::usage(format!("cannot make {} executable: {e}", path.display())),
            )?;
        }
        let state = if written == Written::Unchanged {
            "unchanged"
        } else {
            "written"
        };
        println!("{}: {state}", path.display());
    }
    if stale > 0 {
        return Ok(ExitCode::from(EXIT_CHECK_FAILED));
    }
    Ok(ExitCode::SUCCESS)
}

/// Print constants.json: every constant with its provenance, and the test vectors.
#[derive(Args)]
#[command(after_help = "Example:\n  wslconst constants --output out/constants.json")]
pub struct ConstantsArgs {
    /// Write to this file (atomically, keeping a .bak of a previous one) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn run_constants(args: ConstantsArgs) -> Outcome {
    let json = ConstantsJson::compiled().render();
    match args.output {
        None => std::io::stdout().write_all(json.as_bytes())?,
        Some(path) => {
            write_file(&path, &json)?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Check a constants.json against the constants compiled into this build.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst validate out/constants.json\n  \
    wslconst validate constants.json --json\n\n\
    Recomputes every vector from the file's own namespaces, checks WSL's and Terminal's\n\
    namespaces agree, and compares every field with this build. Exit 1 names each field.")]
pub struct ValidateArgs {
    /// The constants.json to check.
    file: PathBuf,
    /// Print a JSON report: {"file", "ok", "findings": [{"field", "message"}]}.
    #[arg(long)]
    json: bool,
}

pub fn run_validate(args: ValidateArgs) -> Outcome {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.file.display())))?;
    let doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{} is not JSON: {e}", args.file.display())))?;
    let findings = validate(&doc, &ConstantsJson::compiled());
    if args.json {
        let report = serde_json::json!({
            "file": args.file.display().to_string(),
            "ok": findings.is_empty(),
            "findings": findings.iter().map(|f| serde_json::json!({"field": f.field, "message": f.message})).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serializes")
        );
    } else {
        for finding in &findings {
            println!("{finding}");
        }
    }
    if findings.is_empty() {
        eprintln!("{}: ok", args.file.display());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{}: {} problem(s)", args.file.display(), findings.len());
        Ok(ExitCode::from(EXIT_CHECK_FAILED))
    }
}

/// Print a shell completion script.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst completions bash > ~/.local/share/bash-completion/completions/wslconst\n  \
    wslconst completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

pub fn run_completions(args: CompletionsArgs, command: &mut clap::Command) -> Outcome {
    clap_complete::generate(args.shell, command, "wslconst", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
