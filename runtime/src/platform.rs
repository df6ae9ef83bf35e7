//! V8's process-wide start: flags, then the platform, then `V8::initialize`,
//! once, lazily, before the first isolate (or snapshot).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

static INIT: Once = Once::new();
static STARTED: AtomicBool = AtomicBool::new(false);

/// Flags set before V8 started, applied in order when it does.
static PENDING: Mutex<Settings> = Mutex::new(Settings { flags: Vec::new(), single_threaded: false });

struct Settings {
    flags: Vec<String>,
    single_threaded: bool,
}

/// The longest flag accepted (V8's own parser has fixed buffers).
pub const MAX_FLAG_LENGTH: usize = 256;

#[derive(Debug, PartialEq, Eq)]
pub enum FlagError {
    /// V8 has started: its flags are frozen (writing one would fault).
    AlreadyStarted,
    /// A flag V8 could not take as given.
    Invalid(String),
}

/// Whether V8 has started in this process.
pub fn initialized() -> bool {
    STARTED.load(Ordering::SeqCst)
}

/// The flags set for V8 (with "--single-threaded" when so), for another
/// process to start V8 the same way.
pub(crate) fn flags_for_child() -> Vec<String> {
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let mut flags = pending.flags.clone();
    if pending.single_threaded {
        flags.push("--single-threaded".into());
    }
    flags
}

/// Sets V8 flags (each "--name" or "--name=value") for when V8 starts.
/// "--single-threaded" (or "--single_threaded") also picks the
/// single-threaded platform, as V8 requires.
pub fn set_flags(flags: &[String]) -> Result<(), FlagError> {
    for flag in flags {
        if flag.contains('\0') {
            return Err(FlagError::Invalid(format!("the V8 flag {flag:?} contains a NUL byte")));
        }
        if flag.len() > MAX_FLAG_LENGTH {
            return Err(FlagError::Invalid(format!(
                "a V8 flag is at most {MAX_FLAG_LENGTH} characters (got {}: {}…)",
                flag.len(),
                &flag[..flag.char_indices().nth(40).map_or(flag.len(), |(i, _)| i)]
            )));
        }
        if !flag.starts_with("--") || flag.len() == 2 || flag[2..].starts_with(['-', '=']) {
            return Err(FlagError::Invalid(format!("{flag:?} is not a V8 flag (--name or --name=value)")));
        }
    }
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    // Checked under the lock `initialize` takes too: no flag is lost to a
    // start in between.
    if initialized() {
        return Err(FlagError::AlreadyStarted);
    }
    for flag in flags {
        if matches!(flag.as_str(), "--single-threaded" | "--single_threaded") {
            pending.single_threaded = true;
        }
        pending.flags.push(flag.clone());
    }
    Ok(())
}

/// Starts V8 once per process, lazily, before the first isolate.
///
/// The platform is the unprotected default one: Ruby threads exist before V8
/// starts, and the PKU-protected platform only lets threads created after
/// `V8::initialize` run JS. Flags are set first because they freeze at init.
pub fn initialize() {
    INIT.call_once(|| {
        let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        // Ruby threads get ~1 MiB machine stacks and Ruby/Rust frames sit
        // below V8's entry: keep JS well inside them (V8's default is 984 KB).
        v8::V8::set_flags_from_string("--stack-size=512");
        // Turboshaft's loop unrolling drops the interrupt check from some
        // unrolled loops (`while (true) { a[0] = new Array(1000) }`), which
        // then ignore terminate, timeouts and the heap limit for good.
        // Without it those loops stop; no cost showed on our benchmarks.
        v8::V8::set_flags_from_string("--no-turboshaft-loop-unrolling");
        // The read-only heap is shared by every isolate of the process (this
        // build has no pointer compression). A startup snapshot that extends
        // it does not fit beside isolates booted otherwise: an isolate booted
        // from it while another isolate lives got an empty global, or aborted
        // in V8 (a vector index out of bounds). Snapshots keep V8's own
        // read-only heap instead.
        v8::V8::set_flags_from_string("--no-extensible-ro-snapshot");
        // Isolates capture a detailed stack (lines and columns) for each
        // Error made, so errors carry their JS frames. With lazy source
        // positions each frame's function was then parsed again for its
        // positions: one `new Error` in a library's top level re-parsed the
        // whole bundle (30% of evaluating lodash + handlebars, by perf).
        // Positions recorded as functions compile cost nothing measurable
        // (typescript.js evaluates in the same time).
        v8::V8::set_flags_from_string("--no-enable-lazy-source-positions");
        if let Ok(extra) = std::env::var("RUSTY_RACER_V8_FLAGS") {
            v8::V8::set_flags_from_string(&extra);
        }
        for flag in &pending.flags {
            v8::V8::set_flags_from_string(flag);
        }
        let platform = if pending.single_threaded {
            v8::new_single_threaded_default_platform(false).make_shared()
        } else {
            v8::new_unprotected_default_platform(0, false).make_shared()
        };
        v8::V8::initialize_platform(platform);
        v8::V8::initialize();
        STARTED.store(true, Ordering::SeqCst);
    });
}
