//! What Windows Terminal will show once WSL imports an image: the distro's
//! name, both profile GUIDs, and the fragment WSL writes (or why it writes
//! none), from the image's own files, as WSL's import reads them.

use serde::Serialize;
use wslconst::{DistributionId, ProfileGuid, tier1, tier2};

use crate::distribution_conf;
use crate::fragment::{self, FragmentRequest, OsRelease};
use crate::image::{ImageFacts, RecordKind};
use crate::wsl_rules::MAX_ATTACHMENT_SIZE;

/// What the preview is computed for, beyond the image.
#[derive(Clone, Debug)]
pub struct PreviewRequest {
    /// `--name` given to `wsl --install --from-file`, if any.
    pub name: Option<String>,
    /// The name the preview falls back to when the image has no
    /// `oobe.defaultName` and no name is given (the image's file stem).
    pub fallback_name: String,
    /// The registry id to compute Tier 2 and the fragment with.
    pub distribution_id: DistributionId,
    /// Whether that id is an example (WSL makes a new one at every import).
    pub example_id: bool,
}

/// What Terminal will show.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// The distro's name.
    pub name: String,
    /// The id the GUIDs and the fragment are computed with.
    #[serde(serialize_with = "display")]
    pub distribution_id: DistributionId,
    /// Whether that id is an example.
    pub example_id: bool,
    /// Terminal's own generated profile, hidden by WSL's fragment.
    #[serde(serialize_with = "display")]
    pub tier1: ProfileGuid,
    /// The profile WSL's fragment adds.
    #[serde(serialize_with = "display")]
    pub tier2: ProfileGuid,
    /// What the preview had to assume, and why.
    pub notes: Vec<String>,
    /// The fragment's file contents, `None` when WSL writes none.
    pub fragment: Option<String>,
    /// Where WSL writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment_path: Option<String>,
    /// Why WSL writes no fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment_error: Option<String>,
}

fn display<T: std::fmt::Display, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// The preview of an image WSL imports with `request`.
pub fn preview(facts: &ImageFacts, request: &PreviewRequest) -> ImportPreview {
    let id = request.distribution_id;
    let conf = facts
        .contents_through_links(wslconst::upstream::WSL_DISTRIBUTION_CONF)
        .map(|b| distribution_conf::parse(b).conf)
        .unwrap_or_default();
    let mut notes: Vec<String> = Vec::new();
    let name = match (&request.name, &conf.oobe_default_name) {
        (Some(name), _) => name.clone(),
        (None, Some(name)) => name.clone(),
        (None, None) => {
            notes.push(format!(
                "the image has no oobe.defaultName: WSL needs --name at install; the preview uses {:?}",
                request.fallback_name
            ));
            request.fallback_name.clone()
        }
    };
    let mut fragment_request = FragmentRequest::new(&name, id);
    if let Some(path) = conf.template_path() {
        match facts.contents_through_links(path) {
            Some(bytes) => fragment_request.template = Some(bytes.to_vec()),
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
                .lookup(&crate::archive::resolve_lexically("/", icon).0)
                .ok()
                .and_then(|(_, record)| record.copied())
                .is_some_and(|r| r.kind == RecordKind::File && r.size <= MAX_ATTACHMENT_SIZE);
        if readable {
            fragment_request.icon =
                FragmentRequest::shipped_icon(&format!(r"%LOCALAPPDATA%\wsl\{id}"));
        } else {
            notes.push(format!(
                "shortcut.icon {icon} cannot be shipped (missing, over 1 MiB or with \"..\"): WSL uses wsl.exe's icon"
            ));
        }
    }
    for path in ["/etc/os-release", "/usr/lib/os-release"] {
        if let Some(bytes) = facts.contents_through_links(path) {
            fragment_request.os_release = OsRelease::parse(bytes);
            break;
        }
    }
    let mut preview = ImportPreview {
        tier1: tier1(&name),
        tier2: tier2(id),
        name,
        distribution_id: id,
        example_id: request.example_id,
        notes,
        fragment: None,
        fragment_path: None,
        fragment_error: None,
    };
    if let Err(e) = crate::distro_name::check(&preview.name) {
        preview.fragment_error = Some(format!(
            "{e}: WSL refuses the name, the install fails and no fragment is written"
        ));
        return preview;
    }
    if !conf.terminal_enabled() {
        preview.fragment_error = Some(
            "windowsterminal.enabled is false: WSL writes no fragment; Terminal's own generator may show the distro under Tier 1"
                .to_owned(),
        );
        return preview;
    }
    match fragment::create_fragment(&fragment_request) {
        Ok(f) => {
            preview.fragment_path = Some(f.path);
            preview.fragment = Some(f.contents);
        }
        Err(e) => preview.fragment_error = Some(format!("{}; {}", e.explain(), e.wsl_outcome())),
    }
    preview
}
