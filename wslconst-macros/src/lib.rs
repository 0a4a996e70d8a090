//! Proc macros of [`wslconst`](https://docs.rs/wslconst): upstream C++ declarations
//! become `const` items at compile time.
//!
//! The one macro, [`upstream!`], lists constants and where Microsoft's sources
//! declare them. Where the values come from is decided by `wslconst`'s build
//! script: real source trees (`WSLCONST_WSL_SRC`, `WSLCONST_TERMINAL_SRC`) or the
//! pin file committed in the repository. With real trees each value is also
//! compared with the pin file, so upstream drift is a compile error.
//!
//! The expansion refers to `::wslconst`, so it is meant to be used by `wslconst`
//! itself and by crates that depend on it.

#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token};

use wslconst_upstream::Tree;
use wslconst_upstream::cpp::{CppValue, Kind};
use wslconst_upstream::locate::{self, Location};
use wslconst_upstream::pin::{PinEntry, PinFile};

/// Declares constants read from Microsoft's WSL and Terminal sources.
///
/// ```ignore
/// wslconst_macros::upstream! {
///     /// Namespace of WSL's own Terminal profiles.
///     wsl WslTerminalNamespace: Guid = "src/windows/common/wslutil.h";
///     /// The first location that declares it wins; every other one must agree.
///     terminal RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID: Guid =
///         "src/cascadia/TerminalSettingsModel/Native/Profile.cpp" as RuntimeGeneratedProfileNamespace,
///         "src/cascadia/TerminalSettingsModel/Profile.h";
///     wsl WSL_BINARY_NAME: Str = "src/windows/inc/wsl.h";
/// }
/// ```
///
/// Each line expands to `pub const NAME: wslconst::upstream::Extracted<T>` with
/// the value and its provenance, and the invocation adds `pub const ALL:
/// &[wslconst::upstream::Constant]` listing them in order.
///
/// Settings, before the constants, make an invocation hermetic (tests use them);
/// paths are relative to the file holding the invocation:
///
/// ```ignore
/// pin = "fixtures/upstream-pin.json";
/// wsl_src = "fixtures/wsl"; wsl_rev = "abc123";
/// terminal_src = "fixtures/terminal";
/// ```
///
/// Without settings, the pin file and trees come from the variables `wslconst`'s
/// build script sets (`WSLCONST_PIN_FILE`, `WSLCONST_RESOLVED_*`).
#[proc_macro]
pub fn upstream(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let invocation = syn::parse_macro_input!(input as Invocation);
    expand(invocation).into()
}

struct Setting {
    key: Ident,
    value: LitStr,
}

struct Declared {
    attrs: Vec<Attribute>,
    tree: Tree,
    name: Ident,
    kind: Kind,
    locations: Vec<Location>,
}

struct Invocation {
    settings: Vec<Setting>,
    constants: Vec<Declared>,
}

impl Parse for Invocation {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut settings = Vec::new();
        let mut constants = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            let head: Ident = input.parse()?;
            if input.peek(Token![=]) {
                if !constants.is_empty() || !attrs.is_empty() {
                    return Err(syn::Error::new(
                        head.span(),
                        "settings (`pin = \"...\";`) come first and take no attributes",
                    ));
                }
                input.parse::<Token![=]>()?;
                let value: LitStr = input.parse()?;
                input.parse::<Token![;]>()?;
                const KEYS: [&str; 5] =
                    ["pin", "wsl_src", "wsl_rev", "terminal_src", "terminal_rev"];
                if !KEYS.contains(&head.to_string().as_str()) {
                    return Err(syn::Error::new(
                        head.span(),
                        format!(
                            "unknown setting `{head}`; expected one of {}",
                            KEYS.join(", ")
                        ),
                    ));
                }
                settings.push(Setting { key: head, value });
                continue;
            }
            let tree = match head.to_string().as_str() {
                "wsl" => Tree::Wsl,
                "terminal" => Tree::Terminal,
                _ => {
                    return Err(syn::Error::new(
                        head.span(),
                        "expected `wsl` or `terminal`: the repository the constant is read from",
                    ));
                }
            };
            let name: Ident = input.parse()?;
            input.parse::<Token![:]>()?;
            let kind_ident: Ident = input.parse()?;
            let kind = match kind_ident.to_string().as_str() {
                "Guid" => Kind::Guid,
                "Str" => Kind::Str,
                _ => {
                    return Err(syn::Error::new(
                        kind_ident.span(),
                        "expected `Guid` (a GUID initializer) or `Str` (a string literal)",
                    ));
                }
            };
            input.parse::<Token![=]>()?;
            let mut locations = Vec::new();
            loop {
                let path: LitStr = input.parse()?;
                let symbol = if input.peek(Token![as]) {
                    input.parse::<Token![as]>()?;
                    input.parse::<Ident>()?.to_string()
                } else {
                    name.to_string()
                };
                locations.push(Location {
                    path: path.value(),
                    symbol,
                });
                if input.peek(Token![,]) {
                    input.parse::<Token![,]>()?;
                } else {
                    break;
                }
            }
            input.parse::<Token![;]>()?;
            constants.push(Declared {
                attrs,
                tree,
                name,
                kind,
                locations,
            });
        }
        Ok(Invocation {
            settings,
            constants,
        })
    }
}

/// A source tree to extract from, as the user named it.
struct SourceTree {
    root: PathBuf,
    shown: String,
    revision: String,
    /// What named the tree, for messages: a setting or an environment variable.
    set_by: String,
}

/// Where this invocation reads from.
struct Sources {
    pin_path: PathBuf,
    pin_shown: String,
    trees: [Option<SourceTree>; 2],
}

impl Sources {
    fn tree(&self, tree: Tree) -> Option<&SourceTree> {
        self.trees[tree as usize].as_ref()
    }

    fn resolve(settings: &[Setting]) -> Result<Sources, String> {
        if settings.is_empty() {
            return Sources::from_build_script();
        }
        let base = Span::call_site()
            .unwrap()
            .local_file()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .ok_or("cannot tell which file holds this invocation, so relative settings cannot be resolved")?;
        let get = |key: &str| {
            settings
                .iter()
                .find(|s| s.key == key)
                .map(|s| s.value.value())
        };
        let pin_shown = get("pin").ok_or("settings given without `pin = \"...\";`")?;
        let tree = |t: Tree| {
            let key = format!("{}_src", t.keyword());
            get(&key).map(|shown| SourceTree {
                root: base.join(&shown),
                revision: get(&format!("{}_rev", t.keyword())).unwrap_or_else(|| "unknown".into()),
                shown,
                set_by: format!("the `{key}` setting"),
            })
        };
        Ok(Sources {
            pin_path: base.join(&pin_shown),
            pin_shown,
            trees: [tree(Tree::Wsl), tree(Tree::Terminal)],
        })
    }

    fn from_build_script() -> Result<Sources, String> {
        let pin_shown = std::env::var("WSLCONST_PIN_FILE").map_err(|_| {
            "WSLCONST_PIN_FILE is not set: `upstream!` without settings reads what wslconst's build.rs \
             resolved; build through the wslconst crate or give `pin = \"...\";`"
                .to_string()
        })?;
        let tree = |t: Tree| {
            std::env::var(t.resolved_src_env())
                .ok()
                .filter(|s| !s.is_empty())
                .map(|shown| SourceTree {
                    root: PathBuf::from(&shown),
                    revision: std::env::var(t.resolved_rev_env())
                        .unwrap_or_else(|_| "unknown".into()),
                    shown,
                    set_by: t.src_env().to_owned(),
                })
        };
        Ok(Sources {
            pin_path: PathBuf::from(&pin_shown),
            pin_shown,
            trees: [tree(Tree::Wsl), tree(Tree::Terminal)],
        })
    }
}

/// The value and provenance of one constant, ready to emit.
struct Resolved {
    value: CppValue,
    revision: String,
    path: String,
    line: u32,
    symbol: String,
    from_source: bool,
}

fn expand(invocation: Invocation) -> TokenStream {
    let sources = match Sources::resolve(&invocation.settings) {
        Ok(s) => s,
        Err(msg) => return syn::Error::new(Span::call_site(), msg).to_compile_error(),
    };
    let pin_text = match std::fs::read_to_string(&sources.pin_path) {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("cannot read pin file `{}`: {e}", sources.pin_shown);
            return syn::Error::new(Span::call_site(), msg).to_compile_error();
        }
    };
    let pin_file = match PinFile::parse(&pin_text) {
        Ok(p) => p,
        Err(e) => {
            let msg = format!(
                "pin file `{}` is not valid: {e}; restore it from git or regenerate it with `wslconst pin`",
                sources.pin_shown
            );
            return syn::Error::new(Span::call_site(), msg).to_compile_error();
        }
    };

    let mut errors: Option<syn::Error> = None;
    let mut push_error = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let mut tracked: Vec<PathBuf> = vec![sources.pin_path.clone()];
    let mut items = Vec::new();
    let mut names = Vec::new();
    for declared in &invocation.constants {
        match resolve_one(declared, &sources, &pin_file, &mut tracked) {
            Ok(resolved) => {
                items.push(emit_constant(declared, &resolved));
                names.push((declared.name.clone(), declared.kind));
            }
            Err(msg) => push_error(syn::Error::new(declared.name.span(), msg)),
        }
    }
    for entry in &pin_file.constants {
        if !invocation.constants.iter().any(|d| d.name == entry.name) {
            push_error(syn::Error::new(
                Span::call_site(),
                format!(
                    "pin file `{}` has an entry `{}` that no declaration here extracts; re-pin to drop it",
                    sources.pin_shown, entry.name
                ),
            ));
        }
    }
    if let Some(errors) = errors {
        return errors.to_compile_error();
    }

    tracked.sort();
    tracked.dedup();
    let tracking = tracked.iter().map(|p| {
        let p = p.to_string_lossy();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#p);
        )
    });
    let all = names.iter().map(|(name, kind)| {
        let variant = match kind {
            Kind::Guid => format_ident!("Guid"),
            Kind::Str => format_ident!("Str"),
        };
        quote! {
            ::wslconst::upstream::Constant {
                value: ::wslconst::upstream::Value::#variant(#name.value),
                provenance: #name.provenance,
            }
        }
    });
    quote! {
        // Makes rustc rebuild when the pin file or an upstream header changes.
        #(#tracking)*
        #(#items)*
        /// Every constant of this `upstream!` invocation, in declaration order.
        pub const ALL: &[::wslconst::upstream::Constant] = &[#(#all),*];
    }
}

fn resolve_one(
    declared: &Declared,
    sources: &Sources,
    pin_file: &PinFile,
    tracked: &mut Vec<PathBuf>,
) -> Result<Resolved, String> {
    let name = declared.name.to_string();
    let tree = declared.tree;
    let pinned = pin_file.entry(&name);
    let repin = || {
        let shown = |t: Tree| {
            sources
                .tree(t)
                .map(|s| s.shown.clone())
                .unwrap_or_else(|| format!("<{} checkout>", t.repo()))
        };
        locate::repin_command(&shown(Tree::Wsl), &shown(Tree::Terminal))
    };
    let Some(source) = sources.tree(tree) else {
        let entry = pinned.ok_or_else(|| {
            format!(
                "`{name}` is not in pin file `{}`; pin it from real sources:\n  {}",
                sources.pin_shown,
                repin()
            )
        })?;
        return from_pin(declared, entry, &sources.pin_shown);
    };

    let located = locate::locate(&source.root, &declared.locations, declared.kind).map_err(|e| {
        format!(
            "`{name}`: {e} (in {} tree `{}`, set by {})\n\
             if upstream moved or renamed it, update its locations in the `upstream!` invocation and re-pin:\n  {}",
            tree.label(),
            source.shown,
            source.set_by,
            repin()
        )
    })?;
    tracked.extend(located.files_read.iter().cloned());
    let entry = pinned.ok_or_else(|| {
        format!(
            "`{name}` is {} at {}:{} but pin file `{}` has no entry for it; pin it:\n  {}",
            located.value.canonical(),
            located.path,
            located.line,
            sources.pin_shown,
            repin()
        )
    })?;
    let pinned_value = from_pin(declared, entry, &sources.pin_shown)?.value;
    if pinned_value != located.value {
        return Err(format!(
            "upstream drift: `{name}` changed\n  \
             upstream: {} at {}:{} (`{}`, {} tree `{}`, revision {})\n  \
             pinned:   {} at {}:{} (`{}`, {}@{}) in `{}`\n\
             if the change is real, re-pin and review the diff:\n  {}",
            located.value.canonical(),
            located.path,
            located.line,
            located.symbol,
            tree.label(),
            source.shown,
            source.revision,
            entry.value,
            entry.path,
            entry.line,
            entry.symbol,
            entry.repo,
            entry.revision,
            sources.pin_shown,
            repin()
        ));
    }
    Ok(Resolved {
        value: located.value,
        revision: source.revision.clone(),
        path: located.path,
        line: located.line,
        symbol: located.symbol,
        from_source: true,
    })
}

/// Reads a constant's value from its pin entry, checking the entry agrees with
/// the declaration.
fn from_pin(declared: &Declared, entry: &PinEntry, pin_shown: &str) -> Result<Resolved, String> {
    let name = &entry.name;
    let bad = |what: String| {
        format!("pin file `{pin_shown}`, entry `{name}`: {what}; regenerate it with `wslconst pin`")
    };
    if entry.kind != declared.kind.as_str() {
        return Err(bad(format!(
            "kind is `{}` but `{name}` is declared as a {}",
            entry.kind,
            declared.kind.as_str()
        )));
    }
    if entry.repo != declared.tree.repo() {
        return Err(bad(format!(
            "repo is `{}` but `{name}` is read from {}",
            entry.repo,
            declared.tree.repo()
        )));
    }
    let listed = declared
        .locations
        .iter()
        .any(|l| l.path == entry.path && l.symbol == entry.symbol);
    if !listed {
        return Err(bad(format!(
            "`{}` in {} is not one of the locations the declaration lists",
            entry.symbol, entry.path
        )));
    }
    let value = CppValue::from_canonical(declared.kind, &entry.value).ok_or_else(|| {
        bad(format!(
            "value `{}` is not a GUID in lowercase with braces",
            entry.value
        ))
    })?;
    Ok(Resolved {
        value,
        revision: entry.revision.clone(),
        path: entry.path.clone(),
        line: entry.line,
        symbol: entry.symbol.clone(),
        from_source: false,
    })
}

fn emit_constant(declared: &Declared, resolved: &Resolved) -> TokenStream {
    let Declared {
        attrs, name, tree, ..
    } = declared;
    let span = name.span();
    let (ty, value) = match &resolved.value {
        CppValue::Guid {
            data1,
            data2,
            data3,
            data4,
        } => (
            quote!(::wslconst::Guid),
            quote!(::wslconst::Guid::from_fields(#data1, #data2, #data3, [#(#data4),*])),
        ),
        CppValue::Str(s) => (quote!(&'static str), quote!(#s)),
    };
    let name_str = name.to_string();
    let tree_variant = match tree {
        Tree::Wsl => format_ident!("Wsl"),
        Tree::Terminal => format_ident!("Terminal"),
    };
    let origin = if resolved.from_source {
        format_ident!("SourceTree")
    } else {
        format_ident!("PinFile")
    };
    let Resolved {
        revision,
        path,
        line,
        symbol,
        ..
    } = resolved;
    let lookup = declared.locations.iter().map(|l| {
        let (p, s) = (&l.path, &l.symbol);
        quote!(::wslconst::upstream::Location { path: #p, symbol: #s })
    });
    quote_spanned! {span=>
        #(#attrs)*
        #[allow(non_upper_case_globals)]
        pub const #name: ::wslconst::upstream::Extracted<#ty> = ::wslconst::upstream::Extracted {
            value: #value,
            provenance: ::wslconst::upstream::Provenance {
                constant: #name_str,
                tree: ::wslconst::upstream::Tree::#tree_variant,
                revision: #revision,
                path: #path,
                line: #line,
                symbol: #symbol,
                origin: ::wslconst::upstream::Origin::#origin,
                lookup: &[#(#lookup),*],
            },
        };
    }
}
