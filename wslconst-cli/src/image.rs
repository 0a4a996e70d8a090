//! `wslconst check-image`: WSL's rules, a security scan and the Terminal
//! preview of a `.wsl` image, in one streaming pass.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::json;

use wslconst::{DistributionId, tier1, tier2};
use wslconst_model::archive::Entry;
use wslconst_model::diagnostic::{Diagnostic, Severity};
use wslconst_model::distribution_conf;
use wslconst_model::fragment::{self, FragmentRequest, OsRelease};
use wslconst_model::image::{EntryVisitor, ImageFacts, OnThread, collect, collect_reopening};
use wslconst_model::image_check::{Arch, check};
use wslconst_model::image_scan::{Finding, Scanner};
use wslconst_model::printable::printable;

use super::{EXIT_CHECK_FAILED, Failure, Outcome, color_enabled};

/// The id the preview uses when none is given: WSL makes a new random one
/// at every import, so any id shows the shape of the result.
const EXAMPLE_ID: &str = "{00000000-0000-4000-8000-000000000000}";

/// Check a .wsl image before it ships: WSL's rules, a security scan, and
/// the Windows Terminal profile it will produce.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst check-image nixos.wsl\n  \
    wslconst check-image nixos.wsl --personal jdoe --personal jane@example.com --json > report.json\n  \
    wslconst check-image nixos.wsl --distribution-id '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'\n\n\
    The image is read once, as a stream (tar, gzip or xz, told by its first bytes), in bounded\n\
    memory. Rules are graded as WSL's distributions/validate-modern.py grades them; security\n\
    findings show the path, the byte offset and line, and never a whole secret.\n\
    Exit codes: 0 no error-level finding, 1 at least one, 2 unreadable image or usage.")]
pub struct CheckImageArgs {
    /// The image (.wsl, .tar, .tar.gz, .tar.xz), or - for stdin.
    image: PathBuf,
    /// The distribution id to preview the Terminal profile with (default: an example id).
    #[arg(long, value_name = "ID")]
    distribution_id: Option<String>,
    /// The distro name to preview with (default: the image's oobe.defaultName, else the file name).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    name: Option<String>,
    /// A personal identifier that must not ship (a name, email, host name; repeatable).
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true)]
    personal: Vec<String>,
    /// The image is for arm64 (/bin/sh must be an AArch64 ELF).
    #[arg(long)]
    arm64: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// A progress bar on stderr, redrawn at most ten times a second.
struct Progress {
    total: u64,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn draw(&mut self, done: u64, force: bool) {
        if !force && self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        self.shown = true;
        let fraction = if self.total == 0 {
            1.0
        } else {
            done as f64 / self.total as f64
        };
        let width = 30;
        let filled = ((fraction.min(1.0)) * width as f64) as usize;
        eprint!(
            "\r[{}{}] {:>3}% {} / {}",
            "#".repeat(filled),
            " ".repeat(width - filled),
            (fraction * 100.0).min(100.0) as u32,
            human(done),
            human(self.total)
        );
        let _ = std::io::stderr().flush();
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The scanner, and the progress bar when there is one.
struct Pass {
    scanner: OnThread<Scanner>,
    progress: Option<Progress>,
}

impl EntryVisitor for Pass {
    fn entry(&mut self, entry: &Entry) {
        self.scanner.entry(entry);
    }

    fn data(&mut self, entry: &Entry, at: u64, chunk: &[u8]) {
        self.scanner.data(entry, at, chunk);
    }

    fn progress(&mut self, compressed_bytes: u64) {
        if let Some(p) = &mut self.progress {
            p.draw(compressed_bytes, false);
        }
    }
}

pub fn run(args: CheckImageArgs) -> Outcome {
    let id = match &args.distribution_id {
        Some(id) => DistributionId::parse(id)
            .map_err(|e| Failure::usage(format!("--distribution-id {id:?}: {e}")))?,
        None => DistributionId::parse(EXAMPLE_ID).expect("the example id parses"),
    };
    if let Some(name) = &args.name {
        wslconst_model::distro_name::check(name)
            .map_err(|e| Failure::usage(format!("--name: {e}")))?;
    }
    let from_stdin = args.image.as_os_str() == "-";
    let total = if from_stdin {
        0
    } else {
        let metadata = std::fs::metadata(&args.image)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.image.display())))?;
        if metadata.is_dir() {
            return Err(Failure::usage(format!(
                "{} is a directory; give the image file (.wsl, .tar, .tar.gz or .tar.xz), or - to read it from stdin",
                args.image.display()
            )));
        }
        metadata.len()
    };
    let progress = std::io::stderr().is_terminal().then(|| Progress {
        total,
        last: Instant::now() - Duration::from_secs(1),
        shown: false,
    });
    let mut pass = Pass {
        scanner: OnThread::spawn(Scanner::new(&args.personal)),
        progress,
    };
    let started = Instant::now();
    // A file can be read again for what the first pass reached only through
    // links; stdin cannot, and the report says which files that left unread.
    let result = if from_stdin {
        collect(std::io::stdin().lock(), &mut pass)
    } else {
        collect_reopening(|| std::fs::File::open(&args.image), &mut pass)
    };
    if let Some(p) = &mut pass.progress {
        p.draw(total, true);
        p.clear();
    }
    let scanner = pass.scanner.finish();
    let facts = result.map_err(|e| Failure::usage(format!("{}: {e}", args.image.display())))?;
    let elapsed = started.elapsed();
    let arch = if args.arm64 { Arch::Arm64 } else { Arch::X64 };
    let rules = check(&facts, arch);
    let preview = preview(&facts, &args, id);
    let errors = rules
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
        + scanner
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
    let warnings = rules.len() + scanner.findings.len() - errors;
    let mut out = std::io::stdout().lock();
    if args.json {
        let doc = json!({
            "image": args.image.display().to_string(),
            "compression": facts.compression.map(|c| c.name()),
            "entries": facts.entries,
            "tarBytes": facts.tar_bytes,
            "compressedBytes": facts.compressed_bytes,
            "seconds": elapsed.as_secs_f64(),
            "errors": errors,
            "warnings": warnings,
            "rules": rules,
            "security": scanner.findings,
            "securitySuppressed": scanner.suppressed,
            "terminal": preview,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializes")
        )?;
    } else {
        let file = args.image.display().to_string();
        let color = color_enabled(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        );
        writeln!(
            out,
            "{file}: {} image, {} entries, {} of tar read in {:.1} s",
            facts.compression.map_or("?", |c| c.name()),
            facts.entries,
            human(facts.tar_bytes),
            elapsed.as_secs_f64()
        )?;
        writeln!(out, "\nWSL's rules")?;
        if rules.is_empty() {
            writeln!(out, "  all pass")?;
        }
        // Names and excerpts come from inside the image: escaped, so none can
        // act on the terminal (wslconst_model::printable).
        for d in &rules {
            writeln!(
                out,
                "  {}",
                paint(&printable(&render_rule(d)), d.severity, color)
            )?;
        }
        writeln!(out, "\nSecurity")?;
        if scanner.findings.is_empty() {
            writeln!(out, "  nothing found")?;
        }
        for f in &scanner.findings {
            writeln!(
                out,
                "  {}",
                paint(&printable(&render_finding(f)), f.severity, color)
            )?;
        }
        if scanner.suppressed > 0 {
            writeln!(
                out,
                "  ({} more of the same kinds in the same files not listed)",
                scanner.suppressed
            )?;
        }
        writeln!(out, "\nWindows Terminal")?;
        let mut shown = Vec::new();
        write_preview(&mut shown, &preview)?;
        for line in String::from_utf8_lossy(&shown).lines() {
            writeln!(out, "{}", printable(line))?;
        }
        writeln!(out, "\n{file}: {errors} error(s), {warnings} warning(s)")?;
    }
    Ok(if errors > 0 {
        ExitCode::from(EXIT_CHECK_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn paint(text: &str, severity: Severity, color: bool) -> String {
    match (color, severity) {
        (false, _) => text.to_owned(),
        (true, Severity::Error) => format!("\x1b[31m{text}\x1b[0m"),
        (true, Severity::Warning) => format!("\x1b[33m{text}\x1b[0m"),
    }
}

fn render_finding(f: &Finding) -> String {
    let place = match (f.offset, f.line) {
        (Some(o), Some(l)) => format!(":{l} (byte {o})"),
        _ => String::new(),
    };
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{}{place}: {level}[{}]: {}", f.path, f.rule, f.excerpt)
}

/// What Terminal will show for the image: both GUIDs and WSL's fragment.
fn preview(facts: &ImageFacts, args: &CheckImageArgs, id: DistributionId) -> serde_json::Value {
    let conf = facts
        .contents_through_links("/etc/wsl-distribution.conf")
        .map(|b| distribution_conf::parse(b).conf)
        .unwrap_or_default();
    let mut notes: Vec<String> = Vec::new();
    let name = match (&args.name, &conf.oobe_default_name) {
        (Some(name), _) => name.clone(),
        (None, Some(name)) => name.clone(),
        (None, None) => {
            let stem = args
                .image
                .file_stem()
                .filter(|s| *s != "-")
                .map_or("distro".into(), |s| s.to_string_lossy().into_owned());
            notes.push(format!(
                "the image has no oobe.defaultName: WSL needs --name at install; the preview uses {stem:?}"
            ));
            stem
        }
    };
    let mut request = FragmentRequest::new(&name, id);
    if let Some(path) = conf.template_path() {
        match facts.contents_through_links(path) {
            Some(bytes) => request.template = Some(bytes.to_vec()),
            None => notes.push(format!(
                "the template {path} could not be read from the image; the preview uses WSL's default template"
            )),
        }
    }
    // WSL ships the icon only when init could read it: a path without "..",
    // a file of at most 1 MiB (LxssUserSession.cpp, ShortcutIconIndex);
    // otherwise the shortcut and the fragment get wsl.exe's icon.
    if let Some(icon) = &conf.shortcut_icon {
        let readable = !icon.contains("..")
            && facts
                .lookup(&wslconst_model::archive::resolve_lexically("/", icon).0)
                .ok()
                .and_then(|(_, record)| record.copied())
                .is_some_and(|r| {
                    r.kind == wslconst_model::image::RecordKind::File
                        && r.size <= wslconst_model::distribution_conf::MAX_ATTACHMENT_SIZE
                });
        if readable {
            request.icon = FragmentRequest::shipped_icon(&format!(r"%LOCALAPPDATA%\wsl\{id}"));
        } else {
            notes.push(format!(
                "shortcut.icon {icon} cannot be shipped (missing, over 1 MiB or with \"..\"): WSL uses wsl.exe's icon"
            ));
        }
    }
    for path in ["/etc/os-release", "/usr/lib/os-release"] {
        if let Some(bytes) = facts.contents_through_links(path) {
            request.os_release = OsRelease::parse(bytes);
            break;
        }
    }
    let example = args.distribution_id.is_none();
    let mut doc = json!({
        "name": name,
        "distributionId": id.to_string(),
        "exampleId": example,
        "tier1": tier1(&name).to_string(),
        "tier2": tier2(id).to_string(),
        "notes": notes,
    });
    if let Err(e) = wslconst_model::distro_name::check(&name) {
        doc["fragment"] = serde_json::Value::Null;
        doc["fragmentError"] = json!(format!(
            "{e}: WSL refuses the name, the install fails and no fragment is written"
        ));
        return doc;
    }
    if !conf.terminal_enabled() {
        doc["fragment"] = serde_json::Value::Null;
        doc["fragmentError"] = json!(
            "windowsterminal.enabled is false: WSL writes no fragment; Terminal's own generator may show the distro under Tier 1"
        );
        return doc;
    }
    match fragment::create_fragment(&request) {
        Ok(f) => {
            doc["fragmentPath"] = json!(f.path);
            doc["fragment"] = json!(f.contents);
        }
        Err(e) => {
            doc["fragment"] = serde_json::Value::Null;
            doc["fragmentError"] = json!(format!("{}; {}", e.explain(), e.wsl_outcome()));
        }
    }
    doc
}

fn write_preview(out: &mut impl Write, p: &serde_json::Value) -> std::io::Result<()> {
    let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    writeln!(out, "  name      {}", s("name"))?;
    writeln!(
        out,
        "  id        {}{}",
        s("distributionId"),
        if p["exampleId"] == true {
            "  (an example: WSL makes a new id at every import; pass --distribution-id)"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "  tier1     {}  (Terminal's own generated profile, hidden by WSL's fragment)",
        s("tier1")
    )?;
    writeln!(
        out,
        "  tier2     {}  (the profile WSL's fragment adds)",
        s("tier2")
    )?;
    for note in p["notes"].as_array().into_iter().flatten() {
        writeln!(out, "  note: {}", note.as_str().unwrap_or_default())?;
    }
    match p["fragment"].as_str() {
        Some(fragment) => {
            writeln!(out, "  fragment  {}", s("fragmentPath"))?;
            for line in fragment.lines() {
                writeln!(out, "    {line}")?;
            }
        }
        None => writeln!(out, "  no fragment: {}", s("fragmentError"))?,
    }
    Ok(())
}

/// A rule finding as `PATH[:LINE]: severity[rule]: message`, the path being
/// the file inside the image.
fn render_rule(d: &Diagnostic) -> String {
    let place = d.path.as_deref().unwrap_or("(image)");
    let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
    format!("{place}{line}: {}[{}]: {}", d.severity, d.rule, d.message)
}
