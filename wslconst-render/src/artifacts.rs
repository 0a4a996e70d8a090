//! Every file `wslconst render` writes, and their checksums: above both the
//! template context ([`crate::template`]) and the PowerShell scripts'
//! ([`crate::powershell`]), which it renders in turn.

/// A rendered file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// File name inside the output directory.
    pub name: &'static str,
    /// Contents.
    pub contents: String,
    /// Whether it is a script to mark executable.
    pub executable: bool,
}

/// Every artifact `wslconst render` writes, rendered from this build's constants.
pub fn render_all() -> Vec<Artifact> {
    let reference = wslconst_model::constants::ConstantsJson::compiled();
    let validate_py = crate::template::validate_py(&reference);
    let mut artifacts = vec![
        Artifact {
            name: "constants.json",
            contents: reference.render(),
            executable: false,
        },
        Artifact {
            name: "validate.py",
            contents: validate_py,
            executable: true,
        },
    ];
    let scripts = crate::powershell::ScriptContext::compiled();
    artifacts.extend(crate::powershell::render_scripts(&scripts).into_iter().map(
        |(name, contents)| Artifact {
            name,
            contents,
            // Windows decides by extension; a mode bit would only mislead.
            executable: false,
        },
    ));
    artifacts.push(Artifact {
        name: SHA256SUMS,
        contents: sha256sums(&artifacts),
        executable: false,
    });
    artifacts
}

/// The checksum file `render` writes beside the artifacts.
pub const SHA256SUMS: &str = "SHA256SUMS";

/// One `HASH  NAME` line per artifact, in the format `sha256sum -c` checks;
/// on Windows, `(Get-FileHash NAME).Hash` prints the same hash in capitals.
///
/// ```
/// use wslconst_render::artifacts::{Artifact, sha256sums};
/// let a = Artifact { name: "a.txt", contents: "abc".into(), executable: false };
/// assert_eq!(
///     sha256sums(&[a]),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a.txt\n"
/// );
/// ```
pub fn sha256sums(artifacts: &[Artifact]) -> String {
    use sha2::Digest as _;
    let mut lines: Vec<String> = artifacts
        .iter()
        .map(|a| {
            let hash = sha2::Sha256::digest(a.contents.as_bytes());
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            format!("{hex}  {}\n", a.name)
        })
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines.concat()
}
