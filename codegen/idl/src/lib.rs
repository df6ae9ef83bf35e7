//! rusty_racer's IDL as a plain library: `load_dir` parses and checks
//! `idl/*.yaml`, `rust_glue` emits the Magnus glue the `rr-idl-macros`
//! proc-macro expands to, `rbs` emits the signatures, `docs` the API reference, and `expanded`
//! formats the glue for the committed golden files.

mod docs;
mod glue;
mod model;
mod raw;
mod rbs;
mod types;

pub use model::{
    load_dir, load_sources, rust_method_name, Api, Arg, ArgKind, Block, Class, Constant, EnumDef, ErrorDef, IdlError,
    Literal, Method, Module, Threading, RUBY_ERRORS,
};
pub use types::{parse_type, Type};

/// The glue for `api` as tokens (what the macro expands to, less the
/// `include_bytes!` lines that make builds depend on the YAML files).
pub fn rust_glue(api: &Api) -> proc_macro2::TokenStream {
    glue::generate(api)
}

/// The RBS for `api`; `source` names the IDL directory in the header.
pub fn rbs(api: &Api, source: &str) -> String {
    rbs::generate(api, source)
}

/// The API reference in Markdown (doc/api.md); `source` names the IDL
/// directory in the header.
pub fn docs(api: &Api, source: &str) -> String {
    docs::generate(api, source)
}

/// The glue formatted with prettyplease, for the golden expansion files.
pub fn expanded(api: &Api, source: &str) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(glue::generate(api))?;
    Ok(format!(
        "// Generated from {source}/*.yaml by rr-idl: the expansion of `rr_idl_macros::idl!`.\n\
         // Do not edit: run bin/generate. Committed so every API change is a reviewable diff.\n\n{}",
        prettyplease::unparse(&file)
    ))
}
