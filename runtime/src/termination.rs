//! Stopping an isolate's JavaScript: from any thread (the watchdog,
//! Isolate#terminate) or from inside V8 (a callback, an interrupt), and
//! where no JavaScript may run at all.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Terminates an isolate from any thread and records that it was asked
/// to, for code that runs no JS (V8 sets its own flag only once JS runs).
#[derive(Clone)]
pub struct Stopper {
    pub(crate) handle: v8::IsolateHandle,
    pub(crate) requested: Arc<AtomicBool>,
    /// Counts stop requests: an operation that sees a new one when it
    /// starts clears V8's termination flag (and only then takes V8's lock
    /// for it), so a late stop never carries over to a later operation.
    pub(crate) generation: Arc<std::sync::atomic::AtomicU64>,
}

impl Stopper {
    pub fn stop(&self) {
        // Counted before and after: an operation starting meanwhile either
        // sees the first count (and clears what it can), or the second one
        // makes the next operation clear what landed after its start.
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.requested.store(true, Ordering::SeqCst);
        self.handle.terminate_execution();
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    pub fn handle(&self) -> &v8::IsolateHandle {
        &self.handle
    }
}

/// Terminates the JS of `isolate` (on its thread, inside V8), recording
/// the request like `Stopper::stop`.
pub fn stop_isolate(isolate: &v8::Isolate) {
    match isolate.get_slot::<StopRequested>() {
        Some(stopper) => stopper.0.stop(),
        None => {
            isolate.terminate_execution();
        }
    }
}

thread_local! {
    /// Non-zero while this thread is inside V8 where no JavaScript may run
    /// (an `Array::Iterate` callback, a V8 interrupt callback).
    static NO_JS: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` with JavaScript refused on this thread: Ruby code that runs
/// meanwhile (a signal handler, a finalizer) gets an error from any isolate
/// instead of re-entering V8 where it must not.
pub fn without_js<R>(f: impl FnOnce() -> R) -> R {
    NO_JS.with(|n| n.set(n.get() + 1));
    let out = f();
    NO_JS.with(|n| n.set(n.get() - 1));
    out
}

/// The isolate slot through which the walk sees (and code inside V8 makes)
/// a stop request.
pub(crate) struct StopRequested(pub(crate) Stopper);

/// Whether the isolate of `scope` was asked to stop during this operation.
pub(crate) fn stop_requested(scope: &v8::Isolate) -> bool {
    scope.is_execution_terminating()
        || scope.get_slot::<StopRequested>().is_some_and(|s| s.0.requested.load(Ordering::Relaxed))
}

/// Whether `without_js` is in force on this thread.
pub(crate) fn js_refused() -> bool {
    NO_JS.with(Cell::get) > 0
}

/// Makes a stop requested while a host callback ran take effect as the
/// callback returns: entering JS checks for interrupts, so a tiny script
/// raises the termination here, and it unwinds the JS that called the
/// host at once, uncatchable (else that JS would run on, and call the host
/// again, until its next interrupt check).
pub(crate) fn stop_now(scope: &mut v8::PinScope<'_, '_>) {
    stop_isolate(scope);
    if scope.is_execution_terminating() {
        return;
    }
    if let Some(script) = v8::String::new(scope, "0").and_then(|source| v8::Script::compile(scope, source, None)) {
        let _ = script.run(scope);
    }
}
