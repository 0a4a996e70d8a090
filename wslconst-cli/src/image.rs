//! `wslconst check-image`: WSL's rules, a security scan and the Terminal
//! preview of a `.wsl` image, in one streaming pass.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use wslconst::DistributionId;
use wslconst_model::archive::Entry;
use wslconst_model::diagnostic::{Diagnostic, Severity};
use wslconst_model::image::{EntryVisitor, ImageFacts, OnThread, collect, collect_reopening};
use wslconst_model::image_check::{Arch, check};
use wslconst_model::image_scan::{Finding, Scanner};
use wslconst_model::import_preview::{self, ImportPreview, PreviewRequest};
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

/// The progress bar on stderr: compressed bytes read, with throughput and
/// an ETA. Drawn only when stderr is a terminal, and without colour, so
/// NO_COLOR and redirected output need nothing more.
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "[{bar:30}] {percent:>3}% {bytes} / {total_bytes}, {binary_bytes_per_sec}, ETA {eta}",
        )
        .expect("the template is valid")
        .progress_chars("## "),
    );
    bar
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
    progress: Option<ProgressBar>,
}

impl EntryVisitor for Pass {
    fn entry(&mut self, entry: &Entry) {
        self.scanner.entry(entry);
    }

    fn data(&mut self, entry: &Entry, at: u64, chunk: &[u8]) {
        self.scanner.data(entry, at, chunk);
    }

    fn progress(&mut self, compressed_bytes: u64) {
        if let Some(p) = &self.progress {
            // A second pass (for files reached through links) reads on past
            // the file's size; the bar stays full.
            p.set_position(compressed_bytes.min(p.length().unwrap_or(u64::MAX)));
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
    let progress = std::io::stderr().is_terminal().then(|| progress_bar(total));
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
    if let Some(p) = &pass.progress {
        p.finish_and_clear();
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
            "terminal": serde_json::to_value(&preview).expect("serializes"),
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

/// The import preview of the image, for the arguments given.
fn preview(facts: &ImageFacts, args: &CheckImageArgs, id: DistributionId) -> ImportPreview {
    let fallback_name = args
        .image
        .file_stem()
        .filter(|s| *s != "-")
        .map_or("distro".into(), |s| s.to_string_lossy().into_owned());
    import_preview::preview(
        facts,
        &PreviewRequest {
            name: args.name.clone(),
            fallback_name,
            distribution_id: id,
            example_id: args.distribution_id.is_none(),
        },
    )
}

fn write_preview(out: &mut impl Write, p: &ImportPreview) -> std::io::Result<()> {
    writeln!(out, "  name      {}", p.name)?;
    writeln!(
        out,
        "  id        {}{}",
        p.distribution_id,
        if p.example_id {
            "  (an example: WSL makes a new id at every import; pass --distribution-id)"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "  tier1     {}  (Terminal's own generated profile, hidden by WSL's fragment)",
        p.tier1
    )?;
    writeln!(
        out,
        "  tier2     {}  (the profile WSL's fragment adds)",
        p.tier2
    )?;
    for note in &p.notes {
        writeln!(out, "  note: {note}")?;
    }
    match &p.fragment {
        Some(fragment) => {
            writeln!(
                out,
                "  fragment  {}",
                p.fragment_path.as_deref().unwrap_or_default()
            )?;
            for line in fragment.lines() {
                writeln!(out, "    {line}")?;
            }
        }
        None => writeln!(
            out,
            "  no fragment: {}",
            p.fragment_error.as_deref().unwrap_or_default()
        )?,
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
