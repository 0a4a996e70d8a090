//! `wslconst fragment`, `template` and `distribution-conf`: thin layers over
//! [`wslconst_model::fragment`], [`wslconst_model::profile_template`] and
//! [`wslconst_model::distribution_conf`].

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;

use wslconst::DistributionId;
use wslconst_model::diagnostic::{Diagnostic, Severity};
use wslconst_model::distribution_conf::{self, ConfKey, DistributionConf};
use wslconst_model::fragment::{self, FragmentRequest, OsRelease};
use wslconst_model::profile_template::{self, FontWeight, ProfileTemplateOptions, Scheme};
use wslconst_model::wsl_rules::MAX_ATTACHMENT_SIZE;

use super::{EXIT_CHECK_FAILED, Failure, Outcome, write_file};

/// Reads a file, or stdin for `-`.
pub(super) fn read_input(path: &Path) -> Result<Vec<u8>, Failure> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

fn read_json_options<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Failure> {
    let bytes = read_input(path)?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// Writes `text` to `output` (atomically, with a backup) or stdout.
fn emit(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) => {
            write_file(path, text)?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(())
}

/// Prints findings as `FILE:LINE: severity[rule]: message` plus a count, or as
/// JSON; exit 1 when any is an error.
fn report(
    file: &str,
    diagnostics: &[Diagnostic],
    json: bool,
    extra: Option<serde_json::Value>,
) -> Outcome {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let mut stdout = std::io::stdout().lock();
    if json {
        let mut doc = serde_json::json!({
            "file": file,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diagnostics,
        });
        if let Some(serde_json::Value::Object(extra)) = extra {
            doc.as_object_mut().expect("an object").extend(extra);
        }
        writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializes")
        )?;
    } else {
        for d in diagnostics {
            writeln!(stdout, "{}", d.render(file))?;
        }
        writeln!(stdout, "{file}: {errors} error(s), {warnings} warning(s)")?;
    }
    Ok(if errors > 0 {
        ExitCode::from(EXIT_CHECK_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Print the exact Terminal fragment WSL writes for a distro, and where.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst fragment --name Ubuntu --distribution-id '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'\n  \
    wslconst fragment --name NixOS --distribution-id ID --template terminal-profile.json --os-release os-release\n\n\
    stdout gets the file's exact bytes (UTF-8, sorted keys, no trailing newline); the path WSL\n\
    writes it to goes to stderr. Exit 1 when WSL would reject the template and write nothing.")]
pub struct FragmentArgs {
    /// The distro name (it may start with '-').
    #[arg(long, allow_hyphen_values = true)]
    name: String,
    /// The distro's registry GUID (HKCU\...\Lxss\{id}).
    #[arg(long, value_name = "ID")]
    distribution_id: String,
    /// The profile template the distro ships (default: WSL's built-in template).
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// The icon path WSL records (default: WSL's wsl.exe; a distro with shortcut.icon gets
    /// <install folder>\shortcut.ico).
    #[arg(long, value_name = "PATH", default_value = fragment::DEFAULT_ICON)]
    icon: String,
    /// GetSystemDirectory() on the target machine.
    #[arg(long, value_name = "DIR", default_value = fragment::DEFAULT_SYSTEM_DIR)]
    system_dir: String,
    /// The distro's /etc/os-release (adds wsl.distribution-type/-version).
    #[arg(long, value_name = "FILE")]
    os_release: Option<PathBuf>,
    /// Print {path, profileGuid, hideGuid, hideAdded, contents} as JSON instead.
    #[arg(long)]
    json: bool,
    /// Write the bytes to FILE (atomically, keeping a .bak of a different one).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FragmentJson<'a> {
    path: &'a str,
    profile_guid: String,
    hide_guid: String,
    hide_added: bool,
    contents: &'a str,
}

pub fn run_fragment(args: FragmentArgs) -> Outcome {
    let id = DistributionId::parse(&args.distribution_id).map_err(|e| {
        Failure::usage(format!(
            "--distribution-id {:?}: {e}; it is the GUID of the distro's key under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss",
            args.distribution_id
        ))
    })?;
    // WSL refuses such a name at install: it never writes a fragment for it.
    wslconst_model::distro_name::check(&args.name).map_err(|e| Failure {
        message: format!("--name: {e}; WSL refuses it before writing any fragment"),
        code: EXIT_CHECK_FAILED,
        closed_pipe: false,
    })?;
    let mut request = FragmentRequest::new(&args.name, id);
    request.icon = args.icon;
    request.system_dir = args.system_dir;
    // A file given here that cannot be read is a usage error (exit 2), not a
    // guess: say what WSL does when it cannot read the file inside the distro.
    fn unread(what: &'static str, wsl: &'static str) -> impl Fn(Failure) -> Failure {
        move |mut f: Failure| {
            f.message = format!(
                "{}; {what}: WSL, failing to read it in the distro, {wsl}",
                f.message
            );
            f
        }
    }
    if let Some(path) = &args.template {
        let bytes = read_input(path).map_err(unread(
            "--template",
            "logs it and uses its default template",
        ))?;
        if bytes.len() as u64 > MAX_ATTACHMENT_SIZE {
            eprintln!(
                "wslconst: warning: {} is {} bytes, over WSL's 1 MiB limit: WSL does not read it and uses its default template, as below",
                path.display(),
                bytes.len()
            );
        } else {
            request.template = Some(bytes);
        }
    }
    if let Some(path) = &args.os_release {
        request.os_release = OsRelease::parse(&read_input(path).map_err(unread(
            "--os-release",
            "finds no ID or VERSION_ID and writes the fragment without wsl.distribution-type/-version",
        ))?);
    }
    let fragment = fragment::create_fragment(&request).map_err(|e| Failure {
        message: format!("{}\n  WSL: {}", e.explain(), e.wsl_outcome()),
        code: EXIT_CHECK_FAILED,
        closed_pipe: false,
    })?;
    if args.json {
        let doc = FragmentJson {
            path: &fragment.path,
            profile_guid: fragment.profile_guid.to_string(),
            hide_guid: fragment.hide_guid.to_string(),
            hide_added: fragment.hide_added,
            contents: &fragment.contents,
        };
        let mut text = serde_json::to_string_pretty(&doc).expect("serializes");
        text.push('\n');
        emit(&text, args.output.as_deref())?;
    } else {
        eprintln!("wslconst: WSL writes this to {}", fragment.path);
        emit(&fragment.contents, args.output.as_deref())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Check or render a Terminal profile template.
#[derive(Args)]
pub struct TemplateArgs {
    #[command(subcommand)]
    command: TemplateCommand,
}

#[derive(Subcommand)]
enum TemplateCommand {
    Check(TemplateCheckArgs),
    Render(Box<TemplateRenderArgs>),
}

/// Check a profile template by WSL's and Terminal's rules.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst template check terminal-profile.json --image-path /usr/lib/wsl/terminal-profile.json\n  \
    wslconst template check --fragment %LOCALAPPDATA%/Microsoft/Windows\\ Terminal/Fragments/App/x.json\n\n\
    Exit 1 when any finding is an error.")]
struct TemplateCheckArgs {
    /// The template (or `-` for stdin).
    file: PathBuf,
    /// Where the image ships it (windowsterminal.profileTemplate), to check the path rules.
    #[arg(long, value_name = "PATH")]
    image_path: Option<String>,
    /// Check FILE as a fragment Terminal reads, not a template WSL stamps.
    #[arg(long)]
    fragment: bool,
    /// Findings as JSON.
    #[arg(long)]
    json: bool,
}

/// Render a profile template from typed options; the output always passes `template check`.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst template render --font-face 'Cascadia Code' --font-size 11 --color-scheme 'One Half Dark'\n  \
    wslconst template render --scheme-file nix.json -o terminal-profile.json\n  \
    wslconst template render --from-json options.json\n\n\
    --from-json takes the same options as camelCase JSON keys (fontFace, fontSize, fontWeight,\n\
    colorScheme, scheme, cursorShape, opacity, padding, startingDirectory, tabTitle, tabColor);\n\
    flags override it.")]
struct TemplateRenderArgs {
    /// Options as JSON (flags override).
    #[arg(long, value_name = "FILE")]
    from_json: Option<PathBuf>,
    /// font.face.
    #[arg(long)]
    font_face: Option<String>,
    /// font.size in points.
    #[arg(long)]
    font_size: Option<f64>,
    /// font.weight: a name (normal, semi-bold, bold, ...) or 100-990.
    #[arg(long)]
    font_weight: Option<String>,
    /// colorScheme (defaults to the embedded scheme's name).
    #[arg(long)]
    color_scheme: Option<String>,
    /// A JSON scheme ({"name": ..., "background": "#rrggbb", ...}) to embed.
    #[arg(long, value_name = "FILE")]
    scheme_file: Option<PathBuf>,
    /// cursorShape (bar, filledBox, underscore, ...).
    #[arg(long)]
    cursor_shape: Option<String>,
    /// opacity, 0-100.
    #[arg(long)]
    opacity: Option<u8>,
    /// padding, e.g. "8, 8".
    #[arg(long)]
    padding: Option<String>,
    /// startingDirectory (WSL's default is ~).
    #[arg(long)]
    starting_directory: Option<String>,
    /// tabTitle.
    #[arg(long)]
    tab_title: Option<String>,
    /// tabColor, #rrggbb.
    #[arg(long)]
    tab_color: Option<String>,
    /// Write to FILE (atomically, keeping a .bak of a different one) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run_template(args: TemplateArgs) -> Outcome {
    match args.command {
        TemplateCommand::Check(args) => {
            let bytes = read_input(&args.file)?;
            let diagnostics = if args.fragment {
                profile_template::check_fragment(&bytes)
            } else {
                profile_template::check(&bytes, args.image_path.as_deref())
            };
            report(
                &args.file.display().to_string(),
                &diagnostics,
                args.json,
                None,
            )
        }
        TemplateCommand::Render(args) => {
            let args = *args;
            let mut options: ProfileTemplateOptions = match &args.from_json {
                Some(path) => read_json_options(path)?,
                None => ProfileTemplateOptions::default(),
            };
            macro_rules! set {
                ($($field:ident),*) => {$(
                    if let Some(v) = args.$field.clone() {
                        options.$field = Some(v);
                    }
                )*};
            }
            set!(
                font_face,
                font_size,
                color_scheme,
                cursor_shape,
                opacity,
                padding,
                starting_directory,
                tab_title,
                tab_color
            );
            if let Some(weight) = &args.font_weight {
                options.font_weight = Some(match weight.parse::<u16>() {
                    Ok(n) => FontWeight::Numeric(n),
                    Err(_) => FontWeight::Named(weight.clone()),
                });
            }
            if let Some(path) = &args.scheme_file {
                let scheme: Scheme = read_json_options(path)?;
                options.scheme = Some(scheme);
            }
            let text = options
                .render()
                .map_err(|e| Failure::usage(format!("option {e}")))?;
            emit(&text, args.output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Render or check /etc/wsl-distribution.conf.
#[derive(Args)]
pub struct DistributionConfArgs {
    #[command(subcommand)]
    command: ConfCommand,
}

#[derive(Subcommand)]
enum ConfCommand {
    Check(ConfCheckArgs),
    Render(ConfRenderArgs),
}

/// Parse a wsl-distribution.conf exactly as WSL does and report what it would lose.
#[derive(Args)]
#[command(
    after_help = "Example:\n  wslconst distribution-conf check rootfs/etc/wsl-distribution.conf\n\n\
    Prints each finding, then the settings WSL ends up with. A line WSL cannot parse stops its\n\
    parse: that line and every key after it are reported as silently lost. Exit 1 on errors."
)]
struct ConfCheckArgs {
    /// The file (or `-` for stdin).
    file: PathBuf,
    /// Findings and the resulting settings as JSON.
    #[arg(long)]
    json: bool,
}

/// Render a wsl-distribution.conf from typed settings.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst distribution-conf render --default-name NixOS --default-uid 1000 \\\n      \
    --profile-template /usr/lib/wsl/terminal-profile.json --icon /usr/lib/wsl/nixos.ico\n  \
    wslconst distribution-conf render --from-json conf.json -o rootfs/etc/wsl-distribution.conf\n\n\
    --from-json takes {\"oobe.command\": ..., \"oobe.defaultUid\": 1000, \"shortcut.enabled\": true, ...};\n\
    flags override it. Strings are quoted and escaped by WSL's rules.")]
struct ConfRenderArgs {
    /// Settings as JSON, keyed by WSL's key names (flags override).
    #[arg(long, value_name = "FILE")]
    from_json: Option<PathBuf>,
    /// oobe.command: run as root at first start.
    #[arg(long, value_name = "COMMAND")]
    oobe_command: Option<String>,
    /// oobe.defaultUid.
    #[arg(long, value_name = "UID")]
    default_uid: Option<i32>,
    /// oobe.defaultName: the name `wsl --install --from-file` gives the distro.
    #[arg(long, value_name = "NAME")]
    default_name: Option<String>,
    /// shortcut.enabled.
    #[arg(long, value_name = "BOOL")]
    shortcut: Option<bool>,
    /// shortcut.icon: an .ico inside the image.
    #[arg(long, value_name = "PATH")]
    icon: Option<String>,
    /// windowsterminal.enabled.
    #[arg(long, value_name = "BOOL")]
    terminal_profile: Option<bool>,
    /// windowsterminal.profileTemplate: a JSON template inside the image.
    #[arg(long, value_name = "PATH")]
    profile_template: Option<String>,
    /// Write to FILE (atomically, keeping a .bak of a different one) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run_distribution_conf(args: DistributionConfArgs) -> Outcome {
    match args.command {
        ConfCommand::Check(args) => {
            let bytes = read_input(&args.file)?;
            let parsed = distribution_conf::check(&bytes);
            let file = args.file.display().to_string();
            if args.json {
                let stop = parsed.stop.as_ref().map(|s| {
                    serde_json::json!({
                        "line": s.line,
                        "wslLine": s.wsl_line,
                        "reason": s.reason,
                        "lost": s.lost.iter().map(|l| serde_json::json!({"key": l.key, "line": l.line, "value": l.raw})).collect::<Vec<_>>(),
                    })
                });
                let extra = serde_json::json!({"settings": parsed.conf, "stop": stop});
                return report(&file, &parsed.diagnostics, true, Some(extra));
            }
            let code = report(&file, &parsed.diagnostics, false, None)?;
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "WSL reads:")?;
            for key in ConfKey::ALL {
                let value = match parsed.conf.get(key) {
                    Some(v) => v.to_string(),
                    None => match key.wsl_default() {
                        Some(default) => format!("{default} (default)"),
                        None => "(unset)".to_owned(),
                    },
                };
                writeln!(stdout, "  {key} = {value}")?;
            }
            Ok(code)
        }
        ConfCommand::Render(args) => {
            let mut conf: DistributionConf = match &args.from_json {
                Some(path) => read_json_options(path)?,
                None => DistributionConf::default(),
            };
            let flags = [
                (&args.oobe_command, &mut conf.oobe_command),
                (&args.default_name, &mut conf.oobe_default_name),
                (&args.icon, &mut conf.shortcut_icon),
                (
                    &args.profile_template,
                    &mut conf.windowsterminal_profile_template,
                ),
            ];
            for (flag, field) in flags {
                if let Some(v) = flag {
                    *field = Some(v.clone());
                }
            }
            conf.oobe_default_uid = args.default_uid.or(conf.oobe_default_uid);
            conf.shortcut_enabled = args.shortcut.or(conf.shortcut_enabled);
            conf.windowsterminal_enabled = args.terminal_profile.or(conf.windowsterminal_enabled);
            let text = conf.render().map_err(|e| Failure::usage(e.to_string()))?;
            // What users ship must read back as what they asked for.
            let back = distribution_conf::parse(text.as_bytes());
            if back.conf != conf {
                return Err(Failure::usage(format!(
                    "internal error: the rendered file reads back as {:?}, not {:?}; nothing was written, please report this",
                    back.conf, conf
                )));
            }
            for d in distribution_conf::check(text.as_bytes()).diagnostics {
                eprintln!("wslconst: {}", d.render("wsl-distribution.conf"));
            }
            emit(&text, args.output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
