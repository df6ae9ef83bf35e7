//! rusty_racer's V8 semantics, with no Ruby in it: the platform, isolates
//! (shared, locked per operation, usable in any creation or drop order and
//! re-entrantly from host callbacks), realms, the timeout watchdog, script
//! execution, error and backtrace extraction, and the marshalling walk that
//! hands JS values to a host-side builder (`HostValues`).
//!
//! The host (the Ruby extension) plugs in through three traits:
//! `Gate` (release the host's global lock while JS runs), `HostFunctions`
//! (JS calls into host callables) and `HostValues` (build host values).

mod attach;
mod cache;
mod error;
mod exception;
mod function;
mod isolate;
mod kept;
mod marshal;
mod memory;
mod microtasks;
mod module;
mod objects;
mod park;
mod path;
mod platform;
mod realm;
mod realm_helpers;
mod script;
mod sealed;
mod settle;
mod snapshot;
mod stack;
mod tape;
mod termination;
mod transfer;
mod turn;
mod wasm_memory;
mod watchdog;

pub use cache::{cached_data_version_tag, CompileSettings, Compiled};
pub use error::{ErrorKind, Failure, JsError};
pub use exception::throw_error;
pub use function::{function_local, FunctionId};
pub use isolate::{
    innermost_operation, live_isolate_count, thread_has_entered_isolate, ContextId, Direct, Gate, HostFunctions,
    Isolate, IsolateOptions, Microtasks, Stopper,
};
pub use kept::HandleKind;
pub use marshal::{to_host, HostValues, MAX_DEPTH};

/// The arguments of a call, as the caller makes them: a few live inline
/// (a `Vec` per call was a malloc and a free of its ~8.7k instructions).
pub type Args<'s> = smallvec::SmallVec<[v8::Local<'s, v8::Value>; 4]>;
pub use module::{ModuleId, ModuleStatus, Resolution, Resolver};
pub use objects::{object_from_template, object_template, MAX_TEMPLATE_NAMES};
pub use path::parse_path;
pub use platform::{initialize, initialized, set_flags, FlagError, MAX_FLAG_LENGTH};
pub use realm_helpers::{fill_map, new_set};
pub use script::ScriptId;
pub use snapshot::{bake_with, cancel_baking, serve_baking, Recipe, Snapshot, BAKER_ENV};
pub use stack::{on_fiber_stack, remaining as stack_remaining};
pub use termination::{stop_isolate, without_js};
pub use transfer::pending_transfer_count;
pub use turn::{Deadlock, Turn, TurnGuard};
pub use v8;
pub use watchdog::{set_periodic, wake_periodic, Periodic};
