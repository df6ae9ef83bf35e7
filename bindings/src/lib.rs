//! The rusty_racer Ruby extension: the glue generated from `idl/` (every
//! Ruby-visible method, its argument checks and thread/disposed guards),
//! implemented one file per class over `rusty_racer_runtime`.

mod context;
mod core;
mod es_module;
mod gvl;
mod host;
mod isolate;
mod js_function;
mod kept;
mod module;
mod pins;
mod platform;
mod script;
mod snapshot;
mod values;

mod generated {
    rr_idl_macros::idl!("../idl");
}

pub use context::Context;
pub use es_module::Module;
pub use isolate::Isolate;
pub use js_function::JSFunction;
pub use module::RustyRacer;
pub use platform::Platform;
pub use script::Script;
pub use snapshot::Snapshot;

#[magnus::init(name = "rusty_racer")]
fn init(ruby: &magnus::Ruby) -> Result<(), magnus::Error> {
    // A process started to bake a snapshot bakes it and exits here.
    rusty_racer_runtime::serve_baking();
    generated::init(ruby)?;
    if let Some(command) = baker_command() {
        rusty_racer_runtime::bake_with(command);
    }
    Ok(())
}

/// This Ruby loading only this extension: the process a snapshot bakes in.
fn baker_command() -> Option<Vec<String>> {
    let ruby = std::env::current_exe().ok()?.to_str()?.to_string();
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    // SAFETY: looks up the object this function lives in (this extension).
    if unsafe { libc::dladdr(baker_command as *const libc::c_void, &mut info) } == 0 || info.dli_fname.is_null() {
        return None;
    }
    // SAFETY: dladdr gave a NUL-terminated path.
    let path = unsafe { std::ffi::CStr::from_ptr(info.dli_fname) }.to_str().ok()?;
    let path = std::fs::canonicalize(path).ok()?.to_str()?.to_string();
    Some(vec![ruby, "--disable-gems".into(), "-e".into(), "require ARGV[0]".into(), path])
}
