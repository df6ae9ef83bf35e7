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
    generated::init(ruby)?;
    Ok(())
}
