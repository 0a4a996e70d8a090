//! `wslconst guid` and `wslconst explain`.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use wslconst::explain::Explanation;
use wslconst::profile::BatchHasher;
use wslconst::profile::fragment_namespace;
use wslconst::{DistributionId, GuidStyle, ProfileGuid};

use super::{Failure, Outcome};

/// Compute the GUIDs WSL and Windows Terminal give profiles.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst guid tier1 Ubuntu NixOS\n  \
    wslconst guid tier2 FC3BF427-722C-4C2B-84BF-17202D2E3740 --format json\n  \
    wslconst guid fragment --source Git 'Git Bash'\n  \
    wslconst guid tier1 --stdin < names.txt           one name per line (CR LF or LF)\n  \
    printf 'a\\r\\nb\\0' | wslconst guid tier1 --stdin --null   NUL-separated: names may hold CR/LF\n\n\
    Names are hashed as UTF-16LE, exactly as Windows does; any Unicode works. Use `--`\n\
    before a name that starts with '-'.")]
pub struct GuidArgs {
    #[command(subcommand)]
    input: GuidInput,
}

#[derive(Subcommand)]
enum GuidInput {
    /// Tier 1: Terminal's generated profile for a distro name (what WSL's fragment hides).
    Tier1 {
        #[command(flatten)]
        batch: Batch,
        /// Distro names.
        names: Vec<String>,
    },
    /// Tier 2: the profile in WSL's fragment, from the Lxss registry GUID (braced or bare, any case).
    Tier2 {
        #[command(flatten)]
        batch: Batch,
        /// Distribution ids.
        ids: Vec<String>,
    },
    /// A fragment profile without a `guid`, from the fragment's source (folder) name.
    Fragment {
        /// The fragment's folder name, e.g. Microsoft.WSL or Git.
        #[arg(long, allow_hyphen_values = true)]
        source: String,
        #[command(flatten)]
        batch: Batch,
        /// Profile names.
        names: Vec<String>,
    },
}

#[derive(Args)]
struct Batch {
    /// Read inputs from standard input, one per line, and stream the GUIDs out.
    #[arg(long)]
    stdin: bool,
    /// With --stdin: inputs are separated by NUL bytes, so they may contain CR and LF.
    #[arg(short = 'z', long, requires = "stdin")]
    null: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Braced)]
    format: Format,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// {2c4de342-38b7-51cf-b940-2309a097f518}, as WSL and Terminal write GUIDs.
    Braced,
    /// 2c4de342-38b7-51cf-b940-2309a097f518.
    Bare,
    /// {2C4DE342-38B7-51CF-B940-2309A097F518}, as the registry editor shows keys.
    Upper,
    /// One JSON object per line: {"kind","input","guid"} (and "source").
    Json,
}

#[derive(Serialize)]
struct GuidLine<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    input: &'a str,
    guid: String,
}

/// Turns one input into a GUID, or says why it cannot.
type Compute<'a> = Box<dyn FnMut(&str) -> Result<ProfileGuid, String> + 'a>;

fn parse_id(input: &str) -> Result<DistributionId, String> {
    DistributionId::parse(input).map_err(|e| format!("{input:?} is not a distribution id: {e}"))
}

pub fn run_guid(args: GuidArgs) -> Outcome {
    // The run-time hasher: same results as the const fns, faster in bulk.
    let mut hasher = BatchHasher::new();
    let (kind, source, batch, inputs, mut compute): (_, _, _, _, Compute) = match &args.input {
        GuidInput::Tier1 { batch, names } => {
            let f = move |n: &str| Ok(hasher.tier1(n));
            ("tier1", None, batch, names, Box::new(f))
        }
        GuidInput::Tier2 { batch, ids } => {
            let f = move |i: &str| Ok(hasher.tier2(parse_id(i)?));
            ("tier2", None, batch, ids, Box::new(f))
        }
        GuidInput::Fragment {
            source,
            batch,
            names,
        } => {
            // The source namespace is the same for every name: derive it once.
            let ns = fragment_namespace(source);
            let f = move |n: &str| Ok(hasher.profile(ns, n));
            ("fragment", Some(source.as_str()), batch, names, Box::new(f))
        }
    };
    let format = if batch.json {
        Format::Json
    } else {
        batch.format
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let emit = |out: &mut BufWriter<_>, input: &str, guid: ProfileGuid| -> io::Result<()> {
        match format {
            Format::Json => {
                let line = GuidLine {
                    kind,
                    source,
                    input,
                    guid: guid.to_string(),
                };
                serde_json::to_writer(&mut *out, &line)?;
            }
            Format::Braced => out.write_all(guid.guid().format(GuidStyle::WSL).as_bytes())?,
            Format::Bare => out.write_all(guid.guid().format(GuidStyle::BARE).as_bytes())?,
            Format::Upper => out.write_all(guid.guid().format(GuidStyle::UPPER).as_bytes())?,
        }
        out.write_all(b"\n")
    };
    let result = if batch.stdin {
        if !inputs.is_empty() {
            return Err(Failure::usage(
                "give inputs as arguments or with --stdin, not both",
            ));
        }
        stream(batch.null, &mut compute, |input, guid| {
            emit(&mut out, input, guid)
        })
    } else {
        if inputs.is_empty() {
            return Err(Failure::usage(format!(
                "nothing to compute: give {kind} inputs as arguments, or --stdin"
            )));
        }
        inputs.iter().try_for_each(|input| {
            let guid = compute(input).map_err(Failure::usage)?;
            emit(&mut out, input, guid).map_err(Failure::from)
        })
    };
    // GUIDs computed before a bad record still reach the reader, then the error.
    let flushed = out.flush();
    result?;
    flushed?;
    Ok(ExitCode::SUCCESS)
}

/// Reads inputs from stdin one record at a time and hands each GUID to `emit`.
fn stream(
    null: bool,
    compute: &mut Compute,
    mut emit: impl FnMut(&str, ProfileGuid) -> io::Result<()>,
) -> Result<(), Failure> {
    let stdin = io::stdin();
    let mut reader = BufReader::with_capacity(1 << 16, stdin.lock());
    let separator = if null { 0 } else { b'\n' };
    let mut record = Vec::with_capacity(256);
    let mut number = 0u64;
    loop {
        record.clear();
        if reader.read_until(separator, &mut record)? == 0 {
            return Ok(());
        }
        number += 1;
        if record.last() == Some(&separator) {
            record.pop();
            if !null && record.last() == Some(&b'\r') {
                record.pop();
            }
        }
        let input = std::str::from_utf8(&record).map_err(|e| {
            Failure::usage(format!(
                "stdin record {number}: not UTF-8 (invalid byte at offset {}); names must be UTF-8 text",
                e.valid_up_to()
            ))
        })?;
        let guid =
            compute(input).map_err(|m| Failure::usage(format!("stdin record {number}: {m}")))?;
        emit(input, guid)?;
    }
}

/// Show every step of a GUID computation: bytes hashed, SHA-1, version and variant bits.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst explain tier1 NixOS\n  \
    wslconst explain tier2 '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'\n  \
    wslconst explain fragment --source Git 'Git Bash' --json")]
pub struct ExplainArgs {
    #[command(subcommand)]
    input: ExplainInput,
    /// Print a JSON array of explanations.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum ExplainInput {
    /// Tier 1 from distro names.
    Tier1 {
        /// Distro names.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Tier 2 from distribution ids.
    Tier2 {
        /// Distribution ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Fragment profiles from a source and names.
    Fragment {
        /// The fragment's folder name.
        #[arg(long, allow_hyphen_values = true)]
        source: String,
        /// Profile names.
        #[arg(required = true)]
        names: Vec<String>,
    },
}

pub fn run_explain(args: ExplainArgs) -> Outcome {
    let explanations: Vec<Explanation> = match &args.input {
        ExplainInput::Tier1 { names } => names.iter().map(|n| Explanation::tier1(n)).collect(),
        ExplainInput::Tier2 { ids } => ids
            .iter()
            .map(|i| parse_id(i).map(Explanation::tier2).map_err(Failure::usage))
            .collect::<Result<_, _>>()?,
        ExplainInput::Fragment { source, names } => names
            .iter()
            .map(|n| Explanation::fragment(source, n))
            .collect(),
    };
    let text = if args.json {
        serde_json::to_string_pretty(&explanations).expect("explanations serialize")
    } else {
        let parts: Vec<String> = explanations.iter().map(ToString::to_string).collect();
        parts.join("\n\n")
    };
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    Ok(ExitCode::SUCCESS)
}
