//! Reading PowerShell without PowerShell: a tree-sitter-powershell syntax
//! tree, PowerShell's own single-quoted string scanner, and a Windows
//! PowerShell 5.1 compatibility lint over the tree.

use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::{Node, Parser, Tree};

/// A parsed script. tree-sitter-powershell ends its input at a NUL, which
/// PowerShell does not (its tokenizer appends NUL inside strings), so NULs
/// reach the tree as U+0001 (one byte for one byte); [`scan_single_quoted`]
/// sees the real text.
pub struct Script {
    /// The text as rendered (BOM removed).
    pub text: String,
    pub tree: Tree,
}

impl Script {
    pub fn parse(rendered: &str) -> Script {
        let text = rendered
            .strip_prefix('\u{feff}')
            .unwrap_or(rendered)
            .to_owned();
        // One byte for one byte, so offsets agree between the two texts.
        let tree_text = text.replace('\0', "\u{1}");
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_powershell::LANGUAGE.into())
            .expect("the PowerShell grammar loads");
        let tree = parser
            .parse(&tree_text, None)
            .expect("tree-sitter returns a tree");
        Script { text, tree }
    }

    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    pub fn source(&self, node: Node<'_>) -> &str {
        &self.text[node.byte_range()]
    }

    /// `line:column` (1-based) of a byte offset.
    pub fn position(&self, offset: usize) -> String {
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{line}:{column}")
    }

    /// Every node, depth first.
    pub fn nodes(&self) -> Vec<Node<'_>> {
        descendants(self.root())
    }

    pub fn nodes_of_kind(&self, kind: &str) -> Vec<Node<'_>> {
        self.nodes()
            .into_iter()
            .filter(|n| n.kind() == kind)
            .collect()
    }

    /// ERROR and MISSING nodes, each with its position and text.
    pub fn syntax_errors(&self) -> Vec<String> {
        self.nodes()
            .into_iter()
            .filter(|n| n.is_error() || n.is_missing())
            .map(|n| {
                let snippet: String = self.source(n).chars().take(60).collect();
                let what = if n.is_missing() {
                    format!("MISSING {}", n.kind())
                } else {
                    "ERROR".to_owned()
                };
                format!("{}: {what}: {snippet:?}", self.position(n.start_byte()))
            })
            .collect()
    }

    /// The single-quoted string literal nodes (`'...'`), with PowerShell's
    /// reading of each.
    pub fn verbatim_strings(&self) -> Vec<(Node<'_>, String)> {
        self.nodes_of_kind("verbatim_string_characters")
            .into_iter()
            .map(|n| {
                let (value, end) =
                    scan_single_quoted(&self.text, n.start_byte()).unwrap_or_else(|| {
                        panic!("{}: unterminated string", self.position(n.start_byte()))
                    });
                assert_eq!(
                    end,
                    n.end_byte(),
                    "{}: PowerShell and tree-sitter disagree where this string ends",
                    self.position(n.start_byte())
                );
                (n, value)
            })
            .collect()
    }

    /// The function definitions: name -> node.
    pub fn functions(&self) -> BTreeMap<String, Node<'_>> {
        self.nodes_of_kind("function_statement")
            .into_iter()
            .filter_map(|f| {
                let name = f
                    .named_children(&mut f.walk())
                    .find(|c| c.kind() == "function_name")?;
                Some((self.source(name).to_ascii_lowercase(), f))
            })
            .collect()
    }

    /// The parameter names of a function (lower case, without `$`).
    pub fn parameters(&self, function: Node<'_>) -> BTreeSet<String> {
        descendants(function)
            .into_iter()
            .filter(|n| n.kind() == "script_parameter")
            .filter_map(|p| {
                p.named_children(&mut p.walk())
                    .find(|c| c.kind() == "variable")
            })
            .map(|v| variable_name(self.source(v)))
            .collect()
    }
}

/// Every descendant of `node`, itself included.
pub fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut cursor = n.walk();
        let children: Vec<Node<'_>> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// `$script:Foo` -> `script:foo`, `${x}` -> `x`; lower case (PowerShell's
/// names ignore case).
pub fn variable_name(text: &str) -> String {
    let name = text.trim_start_matches(['$', '@']);
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    name.to_ascii_lowercase()
}

/// PowerShell's quote characters in single-quoted strings
/// (`CharExtensions.IsSingleQuote`).
pub fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// PowerShell's `Tokenizer.ScanStringLiteral`, from the opening quote at byte
/// `start`: two quote characters in a row append the second, any other quote
/// ends the string; everything else, NUL and newlines included, is text.
/// Returns the value and the byte offset after the closing quote.
pub fn scan_single_quoted(text: &str, start: usize) -> Option<(String, usize)> {
    let mut chars = text[start..].char_indices().peekable();
    let (_, open) = chars.next()?;
    if !is_single_quote(open) {
        return None;
    }
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        if is_single_quote(c) {
            match chars.peek() {
                Some(&(_, next)) if is_single_quote(next) => {
                    chars.next();
                    value.push(next);
                    continue;
                }
                _ => return Some((value, start + i + c.len_utf8())),
            }
        }
        value.push(c);
    }
    None
}

/// Commands a Windows PowerShell 5.1 script may call, with the parameters
/// they have there (common parameters are added below). The lint rejects a
/// command or parameter not listed: check its 5.1 documentation before
/// adding one.
const PS51_COMMANDS: &[(&str, &[&str])] = &[
    ("ConvertFrom-Json", &["InputObject"]),
    ("ConvertTo-Json", &["InputObject", "Depth", "Compress"]),
    (
        "Copy-Item",
        &["LiteralPath", "Path", "Destination", "Force", "Recurse"],
    ),
    ("ForEach-Object", &["Process", "Begin", "End", "MemberName"]),
    (
        "Get-Content",
        &["LiteralPath", "Path", "Raw", "Encoding", "TotalCount"],
    ),
    (
        "Get-ChildItem",
        &[
            "LiteralPath",
            "Path",
            "Filter",
            "File",
            "Directory",
            "Force",
            "Recurse",
            "Depth",
        ],
    ),
    ("Get-Date", &["Format", "Date"]),
    ("Get-Item", &["LiteralPath", "Path", "Force"]),
    ("Get-Location", &[]),
    ("Get-Process", &["Name", "Id"]),
    ("Join-Path", &["Path", "ChildPath"]),
    ("New-Item", &["ItemType", "Path", "Name", "Force", "Value"]),
    ("New-Object", &["TypeName", "ArgumentList"]),
    ("Out-Null", &["InputObject"]),
    ("Remove-Item", &["LiteralPath", "Path", "Force", "Recurse"]),
    ("Resolve-Path", &["LiteralPath", "Path"]),
    (
        "Set-Content",
        &["LiteralPath", "Path", "Value", "Encoding", "NoNewline"],
    ),
    (
        "Set-ItemProperty",
        &["LiteralPath", "Path", "Name", "Value", "Type"],
    ),
    ("Set-StrictMode", &["Version", "Off"]),
    ("Sort-Object", &["Property", "Descending", "Unique"]),
    (
        "Split-Path",
        &["Path", "LiteralPath", "Parent", "Leaf", "Qualifier"],
    ),
    ("Test-Path", &["LiteralPath", "Path", "PathType"]),
    ("Where-Object", &["FilterScript", "Property", "Value"]),
    ("Write-Error", &["Message", "Category", "ErrorId"]),
    ("Write-Host", &["Object", "NoNewline", "ForegroundColor"]),
    ("Write-Output", &["InputObject", "NoEnumerate"]),
    (
        "Write-Progress",
        &["Activity", "Status", "Completed", "PercentComplete", "Id"],
    ),
    ("Write-Warning", &["Message"]),
];

const COMMON_PARAMETERS: &[&str] = &[
    "Verbose",
    "Debug",
    "ErrorAction",
    "WarningAction",
    "InformationAction",
    "ErrorVariable",
    "WarningVariable",
    "InformationVariable",
    "OutVariable",
    "OutBuffer",
    "PipelineVariable",
    "WhatIf",
    "Confirm",
];

/// Things PowerShell 7 has and Windows PowerShell 5.1 does not, by the name a
/// person would search for: parameters, commands, variables and .NET members.
const PS7_ONLY_PARAMETERS: &[(&str, &str)] = &[
    (
        "asHashtable",
        "ConvertFrom-Json -AsHashtable is PowerShell 6+",
    ),
    ("parallel", "ForEach-Object -Parallel is PowerShell 7+"),
    (
        "asByteStream",
        "-AsByteStream is PowerShell 6+ (5.1: -Encoding Byte)",
    ),
    (
        "noEnumerate",
        "ConvertFrom-Json -NoEnumerate is PowerShell 7+",
    ),
    ("asArray", "ConvertTo-Json -AsArray is PowerShell 6+"),
    (
        "escapeHandling",
        "ConvertTo-Json -EscapeHandling is PowerShell 6.2+",
    ),
    ("progressAction", "-ProgressAction is PowerShell 7.4+"),
    ("skipHttpErrorCheck", "-SkipHttpErrorCheck is PowerShell 7+"),
    ("leafBase", "Split-Path -LeafBase is PowerShell 6+"),
    ("extension", "Split-Path -Extension is PowerShell 6+"),
    ("asUTC", "Get-Date -AsUTC is PowerShell 7.1+"),
];

const PS7_ONLY_COMMANDS: &[&str] = &[
    "Join-String",
    "Test-Json",
    "Get-Error",
    "ConvertFrom-Markdown",
    "Get-Uptime",
    "Remove-Alias",
];

const PS7_ONLY_VARIABLES: &[&str] = &[
    "iswindows",
    "islinux",
    "ismacos",
    "iscoreclr",
    "psstyle",
    "psnativecommandargumentpassing",
    "psnativecommanduseerroractionpreference",
];

/// .NET members that exist on .NET (Core) but not on the .NET Framework
/// Windows PowerShell 5.1 runs on.
const NET_CORE_ONLY_MEMBERS: &[&str] = &[
    "HashData",
    "ToHexString",
    "ToHexStringLower",
    "FromHexString",
    "Latin1",
    "GetRelativePath",
    "Clamp",
    "ReplaceLineEndings",
    "ReadAllTextAsync",
    "WriteAllTextAsync",
    "ReadAllBytesAsync",
    "WriteAllBytesAsync",
];

/// Variables PowerShell sets itself (lower case).
const AUTOMATIC_VARIABLES: &[&str] = &[
    "true",
    "false",
    "null",
    "_",
    "psitem",
    "this",
    "args",
    "pscmdlet",
    "executioncontext",
    "psboundparameters",
    "psversiontable",
    "pscommandpath",
    "psscriptroot",
    "myinvocation",
    "matches",
    "lastexitcode",
    "erroractionpreference",
    "whatifpreference",
    "confirmpreference",
    "verbosepreference",
    "host",
    "home",
    "pid",
];

/// The PowerShell 5.1 compatibility lint and the typo checks: one message per
/// finding, `line:column: what`.
pub fn lint(script: &Script) -> Vec<String> {
    let mut findings = Vec::new();
    let functions = script.functions();
    let defined_commands: BTreeSet<String> = functions.keys().cloned().collect();
    let known: BTreeMap<String, BTreeSet<String>> = PS51_COMMANDS
        .iter()
        .map(|(name, params)| {
            let params = params
                .iter()
                .chain(COMMON_PARAMETERS)
                .map(|p| p.to_ascii_lowercase())
                .collect();
            (name.to_ascii_lowercase(), params)
        })
        .collect();
    let script_level = script_level_assignments(script);

    for node in script.nodes() {
        let at = script.position(node.start_byte());
        let text = script.source(node);
        match node.kind() {
            "pipeline_chain_tail" => {
                findings.push(format!("{at}: '{text}' pipeline chains are PowerShell 7+"))
            }
            "ERROR" => {
                // The grammar knows none of these; look at the text where it gave up.
                let end = (node.end_byte() + 2).min(script.text.len());
                let text = script.text.get(node.start_byte()..end).unwrap_or(text);
                for (token, what) in [
                    (
                        "??",
                        "the null-coalescing operator ?? (and ??=) is PowerShell 7+",
                    ),
                    ("?.", "null-conditional member access ?. is PowerShell 7+"),
                    ("?[", "null-conditional indexing ?[] is PowerShell 7+"),
                    ("?", "the ternary operator a ? b : c is PowerShell 7+"),
                ] {
                    if text.contains(token) {
                        findings.push(format!("{at}: {what}"));
                        break;
                    }
                }
            }
            "command" => lint_command(
                script,
                node,
                &functions,
                &defined_commands,
                &known,
                &mut findings,
            ),
            "member_name" => {
                if NET_CORE_ONLY_MEMBERS
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(text))
                {
                    findings.push(format!("{at}: .{text} is .NET Core only; Windows PowerShell 5.1 runs on .NET Framework"));
                }
                if text.eq_ignore_ascii_case("Split") {
                    lint_split(script, node, &mut findings);
                }
            }
            "variable" => {
                let name = variable_name(text);
                if PS7_ONLY_VARIABLES.contains(&name.as_str()) {
                    findings.push(format!("{at}: {text} is PowerShell 6+"));
                }
                if name == "env:programfiles" {
                    findings.push(format!(
                        "{at}: {text} is 'Program Files (x86)' in a 32-bit PowerShell; $env:ProgramW6432 is the 64-bit folder"
                    ));
                }
            }
            "invokation_expression" => lint_null_string_argument(script, node, &mut findings),
            "command_parameter" => {
                let name = text.trim_start_matches('-').trim_end_matches(':');
                let value = node
                    .next_named_sibling()
                    .and_then(|n| n.next_named_sibling())
                    .map(|v| script.source(v).trim_matches(['\'', '"']))
                    .filter(|_| name.eq_ignore_ascii_case("encoding"));
                if let Some(value) = value
                    && (value.to_ascii_lowercase().starts_with("utf8no")
                        || value.eq_ignore_ascii_case("utf8bom"))
                {
                    findings.push(format!("{at}: -Encoding {value} is PowerShell 6+"));
                }
            }
            _ => {}
        }
    }
    lint_variables(script, &script_level, &mut findings);
    findings.dedup();
    findings
}

fn lint_command(
    script: &Script,
    command: Node<'_>,
    functions: &BTreeMap<String, Node<'_>>,
    defined: &BTreeSet<String>,
    known: &BTreeMap<String, BTreeSet<String>>,
    findings: &mut Vec<String>,
) {
    let Some(name_node) = command.child_by_field_name("command_name") else {
        return;
    };
    if name_node.kind() != "command_name" {
        return;
    }
    let name = script.source(name_node);
    let at = script.position(name_node.start_byte());
    let lower = name.to_ascii_lowercase();
    let elements: Vec<Node<'_>> = command
        .child_by_field_name("command_elements")
        .map(|e| {
            e.named_children(&mut e.walk())
                .filter(|c| c.kind() == "command_parameter")
                .collect()
        })
        .unwrap_or_default();
    let mut ps7_parameter = false;
    for element in &elements {
        let parameter = script
            .source(*element)
            .trim_start_matches('-')
            .trim_end_matches(':');
        if let Some((_, why)) = PS7_ONLY_PARAMETERS
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(parameter))
        {
            findings.push(format!("{}: {why}", script.position(element.start_byte())));
            ps7_parameter = true;
        }
    }
    if ps7_parameter {
        return;
    }
    if PS7_ONLY_COMMANDS
        .iter()
        .any(|c| c.eq_ignore_ascii_case(name))
    {
        findings.push(format!("{at}: {name} is PowerShell 6+"));
        return;
    }
    let parameters: BTreeSet<String> = if let Some(function) = functions.get(&lower) {
        let mut params = script.parameters(*function);
        let advanced = descendants(*function).into_iter().any(|n| {
            n.kind() == "attribute"
                && script
                    .source(n)
                    .to_ascii_lowercase()
                    .contains("cmdletbinding")
        });
        let mandatory_binding = descendants(*function).into_iter().any(|n| {
            n.kind() == "attribute"
                && script
                    .source(n)
                    .to_ascii_lowercase()
                    .starts_with("[parameter(")
        });
        if advanced || mandatory_binding {
            params.extend(COMMON_PARAMETERS.iter().map(|p| p.to_ascii_lowercase()));
        }
        params
    } else if let Some(params) = known.get(&lower) {
        params.clone()
    } else {
        if !defined.contains(&lower) && !name.ends_with(".exe") {
            findings.push(format!(
                "{at}: {name} is neither defined in the script nor a Windows PowerShell 5.1 command the lint knows"
            ));
        }
        return;
    };
    for element in elements {
        let text = script.source(element);
        let parameter = text
            .trim_start_matches('-')
            .trim_end_matches(':')
            .to_ascii_lowercase();
        if !parameters.contains(&parameter) {
            findings.push(format!(
                "{}: {name} has no parameter {text} in Windows PowerShell 5.1",
                script.position(element.start_byte())
            ));
        }
    }
}

/// .NET types whose static methods take paths and other strings.
const STRING_TAKING_TYPES: &[&str] = &["io.file", "io.path", "io.directory", "environment"];

/// `[System.IO.File]::Replace($a, $b, $null)`: PowerShell converts `$null`
/// for a .NET `string` parameter to `""` (its binder's `LanguagePrimitives`
/// conversion; `[NullString]::Value` is the way to pass null), and
/// `File.Replace` then throws on `Path.GetFullPath("")`.
fn lint_null_string_argument(script: &Script, call: Node<'_>, findings: &mut Vec<String>) {
    let children: Vec<Node<'_>> = call.named_children(&mut call.walk()).collect();
    let [ty, member, arguments, ..] = children.as_slice() else {
        return;
    };
    if ty.kind() != "type_literal" || arguments.kind() != "argument_list" {
        return;
    }
    let type_name = script
        .source(*ty)
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    let type_name = type_name.strip_prefix("system.").unwrap_or(&type_name);
    if !STRING_TAKING_TYPES.contains(&type_name) {
        return;
    }
    for argument in descendants(*arguments)
        .into_iter()
        .filter(|n| n.kind() == "argument_expression")
    {
        if script.source(argument).trim().eq_ignore_ascii_case("$null") {
            findings.push(format!(
                "{}: {}::{} passes $null to a .NET string parameter, which PowerShell turns into \"\"; use [NullString]::Value or a real value",
                script.position(argument.start_byte()),
                script.source(*ty),
                script.source(*member)
            ));
        }
    }
}

/// `.Split('ab')`: on .NET Framework a string argument becomes a char[] (split
/// at 'a' or 'b'); on .NET Core it is one separator. Only one character is
/// the same on both.
fn lint_split(script: &Script, member: Node<'_>, findings: &mut Vec<String>) {
    let Some(arguments) = member.next_named_sibling() else {
        return;
    };
    for literal in descendants(arguments)
        .into_iter()
        .filter(|n| n.kind() == "verbatim_string_characters")
    {
        if let Some((value, _)) = scan_single_quoted(&script.text, literal.start_byte())
            && value.chars().count() > 1
        {
            findings.push(format!(
                "{}: .Split('{value}') splits at any of its characters on Windows PowerShell 5.1 and at the whole string on 7",
                script.position(literal.start_byte())
            ));
        }
    }
}

/// Names assigned at script level (outside functions and classes), and every
/// `$script:` name assigned anywhere.
fn script_level_assignments(script: &Script) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for node in script.nodes() {
        if let Some(name) = assigned_variable(script, node) {
            let inside_function = ancestors(node)
                .iter()
                .any(|a| matches!(a.kind(), "function_statement" | "class_statement"));
            if let Some(bare) = name.strip_prefix("script:") {
                names.insert(bare.to_owned());
            } else if !inside_function {
                names.insert(name);
            }
        }
    }
    // The script's own parameters.
    for block in script.root().named_children(&mut script.root().walk()) {
        if block.kind() == "param_block" {
            for p in descendants(block)
                .into_iter()
                .filter(|n| n.kind() == "script_parameter")
            {
                if let Some(v) = p
                    .named_children(&mut p.walk())
                    .find(|c| c.kind() == "variable")
                {
                    names.insert(variable_name(script.source(v)));
                }
            }
        }
    }
    names
}

fn ancestors(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut current = node.parent();
    while let Some(n) = current {
        out.push(n);
        current = n.parent();
    }
    out
}

/// The variable a node assigns: `$x = ...`, `foreach ($x in ...)`, a
/// parameter, or a class method parameter.
fn assigned_variable(script: &Script, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "left_assignment_expression" => {
            // Only a plain variable on the left, through single-child wrappers
            // (`$a[0] = ` and `$a.b = ` read $a).
            let mut n = node;
            loop {
                if n.kind() == "variable" {
                    return Some(variable_name(script.source(n)));
                }
                let children: Vec<Node<'_>> = n.named_children(&mut n.walk()).collect();
                match children.as_slice() {
                    [only] => n = *only,
                    [cast, rest] if cast.kind() == "type_literal" => n = *rest,
                    _ => return None,
                }
            }
        }
        "foreach_statement" => node
            .named_children(&mut node.walk())
            .find(|c| c.kind() == "variable")
            .map(|v| variable_name(script.source(v))),
        "script_parameter" | "class_method_parameter" => node
            .named_children(&mut node.walk())
            .find(|c| c.kind() == "variable")
            .map(|v| variable_name(script.source(v))),
        _ => None,
    }
}

/// Every variable read must be assigned in its function (or class method),
/// at script level, or be automatic: under `Set-StrictMode -Version 2` a
/// misspelt name is a run-time error on someone else's machine.
fn lint_variables(script: &Script, script_level: &BTreeSet<String>, findings: &mut Vec<String>) {
    let scope_of = |node: Node<'_>| -> Option<usize> {
        ancestors(node)
            .into_iter()
            .find(|a| matches!(a.kind(), "function_statement" | "class_method_definition"))
            .map(|a| a.id())
    };
    let mut assigned: BTreeMap<Option<usize>, BTreeSet<String>> = BTreeMap::new();
    for node in script.nodes() {
        if let Some(name) = assigned_variable(script, node) {
            assigned.entry(scope_of(node)).or_default().insert(name);
        }
    }
    for node in script.nodes_of_kind("variable") {
        let name = variable_name(script.source(node));
        let declares_property = node
            .parent()
            .is_some_and(|p| p.kind() == "class_property_definition");
        if declares_property
            || AUTOMATIC_VARIABLES.contains(&name.as_str())
            || name.starts_with("env:")
        {
            continue;
        }
        let ok = if let Some(bare) = name.strip_prefix("script:") {
            script_level.contains(bare)
        } else {
            let scope = scope_of(node);
            assigned.get(&scope).is_some_and(|s| s.contains(&name))
                || (scope.is_none() && script_level.contains(&name))
        };
        if !ok {
            findings.push(format!(
                "{}: {} is read but never assigned in its scope",
                script.position(node.start_byte()),
                script.source(node)
            ));
        }
    }
}

impl Script {
    /// The value side of every `$script:Name = ...` assignment, by lower-case name.
    pub fn script_assignments(&self) -> BTreeMap<String, Node<'_>> {
        let mut out = BTreeMap::new();
        for node in self.nodes_of_kind("assignment_expression") {
            let Some(left) = node.named_child(0) else {
                continue;
            };
            if let Some(name) = assigned_variable(self, left)
                && let Some(bare) = name.strip_prefix("script:")
                && let Some(value) = node.child_by_field_name("value")
            {
                out.insert(bare.to_owned(), value);
            }
        }
        out
    }

    /// `$script:Name = '...'`: the string PowerShell reads.
    pub fn script_string(&self, name: &str) -> Option<String> {
        let value = *self.script_assignments().get(&name.to_ascii_lowercase())?;
        let literals: Vec<Node<'_>> = descendants(value)
            .into_iter()
            .filter(|n| n.kind() == "verbatim_string_characters")
            .collect();
        match literals.as_slice() {
            [one] => scan_single_quoted(&self.text, one.start_byte()).map(|(v, _)| v),
            _ => None,
        }
    }

    /// `$script:Name = @( @{ Key = '...'; ... } ... )`: each hashtable's
    /// string entries, in order.
    pub fn script_hashtables(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let Some(value) = self
            .script_assignments()
            .get(&name.to_ascii_lowercase())
            .copied()
        else {
            return Vec::new();
        };
        descendants(value)
            .into_iter()
            .filter(|n| n.kind() == "hash_literal_expression")
            .map(|table| {
                descendants(table)
                    .into_iter()
                    .filter(|n| n.kind() == "hash_entry")
                    .filter_map(|entry| {
                        let key = entry.named_child(0)?;
                        let literal = descendants(entry)
                            .into_iter()
                            .find(|n| n.kind() == "verbatim_string_characters")?;
                        let (value, _) = scan_single_quoted(&self.text, literal.start_byte())?;
                        Some((self.source(key).to_owned(), value))
                    })
                    .collect()
            })
            .collect()
    }
}
