//! `rr_idl_macros::idl!("idl")`: reads the IDL directory (relative to the
//! calling crate's `CARGO_MANIFEST_DIR`), checks it, and expands to the
//! Magnus glue. A bad IDL is a compile error naming the file, line, class
//! and method; this macro never panics.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, LitStr};

#[proc_macro]
pub fn idl(input: TokenStream) -> TokenStream {
    let dir = parse_macro_input!(input as LitStr);
    expand(&dir).unwrap_or_else(syn::Error::into_compile_error).into()
}

fn expand(dir: &LitStr) -> syn::Result<proc_macro2::TokenStream> {
    let root = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| syn::Error::new(dir.span(), "idl!: CARGO_MANIFEST_DIR is not set (build with cargo)"))?;
    let path = std::path::Path::new(&root).join(dir.value());
    let api = rr_idl::load_dir(&path, &dir.value()).map_err(|e| syn::Error::new(dir.span(), format!("idl!: {e}")))?;
    // Each file becomes a build input, so editing the YAML rebuilds the crate.
    let inputs = api.files.iter().map(|f| {
        let f = f.to_string_lossy();
        quote! { const _: &[u8] = include_bytes!(#f); }
    });
    let glue = rr_idl::rust_glue(&api);
    if std::env::var_os("RR_DEBUG_IDL").is_some() {
        if let Ok(text) = rr_idl::expanded(&api, &dir.value()) {
            let _ = std::fs::write(std::path::Path::new(&root).join("target-idl-expansion.rs"), text);
        }
    }
    Ok(quote! { #(#inputs)* #glue })
}
