// A template that names a constant the typed context does not have.
use askama::Template;
use wslconst_render::template::TemplateConstants;

#[derive(Template)]
#[template(
    source = "$Namespace = '{{ c.wsl_terminal_namespace }}'\n$Hide = '{{ c.terminal_profile_namespace_guid }}'\n",
    ext = "txt"
)]
struct ImportScript {
    c: TemplateConstants,
}

fn main() {
    let _ = ImportScript { c: wslconst_render::template::CONSTANTS }.render();
}
