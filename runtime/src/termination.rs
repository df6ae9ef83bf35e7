//! Stopping an isolate's JavaScript: from any thread (the watchdog,
//! Isolate#terminate) or from inside V8 (a callback, an interrupt), and
//! where no JavaScript may run at all.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::exception::{current_frames, Frame};

/// Terminates an isolate from any thread and records that it was asked
/// to, for code that runs no JS (V8 sets its own flag only once JS runs).
///
/// A stop first asks V8 to interrupt the JS (`land`): on the JS thread, at
/// its next interrupt check, it notes the JS stack there (for the error's
/// `js_backtrace`) and terminates. Should that not have run `FORCE_AFTER`
/// later (V8 serves a pending termination before interrupts), the
/// watchdog terminates directly (`force`).
#[derive(Clone)]
pub struct Stopper {
    pub(crate) handle: v8::IsolateHandle,
    /// The latest stop request's number: the running operation is asked to
    /// stop when it is above `seen` (a flag set apart from the count could
    /// land after an operation started and cleared it).
    pub(crate) last_request: Arc<AtomicU64>,
    /// Held by `force` across its check and V8 call, and by an operation
    /// start across clearing the termination and advancing `seen`: a stale
    /// force cannot terminate the operation that starts meanwhile.
    pub(crate) starting: Arc<std::sync::Mutex<()>>,
    /// Counts stop requests: an operation that sees a new one when it
    /// starts clears V8's termination flag (and only then takes V8's lock
    /// for it), so a late stop never carries over to a later operation.
    pub(crate) generation: Arc<AtomicU64>,
    /// The generation the running outermost operation started after: a
    /// request numbered at or below it is stale.
    pub(crate) seen: Arc<AtomicU64>,
    /// The latest request whose stack was noted.
    pub(crate) landed: Arc<AtomicU64>,
}

/// How long a stop waits for its interrupt before terminating directly.
pub(crate) const FORCE_AFTER: std::time::Duration = std::time::Duration::from_millis(20);

impl Stopper {
    pub(crate) fn new(handle: v8::IsolateHandle) -> Self {
        Stopper {
            handle,
            last_request: Arc::default(),
            starting: Arc::default(),
            generation: Arc::default(),
            seen: Arc::default(),
            landed: Arc::default(),
        }
    }

    pub fn stop(&self) {
        let serial = self.request();
        crate::watchdog::force_later(self, serial);
    }

    /// Records a stop and asks V8 to `land` it; returns its number.
    pub(crate) fn request(&self) -> u64 {
        // Counted before and after: an operation starting meanwhile either
        // sees the first count (and clears what it can), or the second one
        // makes the next operation clear what landed after its start.
        let serial = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.last_request.fetch_max(serial, Ordering::SeqCst);
        let landing = Box::into_raw(Box::new(Landing { stopper: self.clone(), serial }));
        if !self.handle.request_interrupt(land, landing.cast()) {
            // SAFETY: V8 did not take it (the isolate is gone).
            drop(unsafe { Box::from_raw(landing) });
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        serial
    }

    /// Terminates directly if request `serial` is current and has not landed.
    pub(crate) fn force(&self, serial: u64) {
        let _starting = self.starting.lock().unwrap_or_else(|e| e.into_inner());
        if self.seen.load(Ordering::SeqCst) < serial && self.landed.load(Ordering::SeqCst) < serial {
            self.handle.terminate_execution();
        }
    }

    /// Whether the running operation was asked to stop.
    pub fn requested(&self) -> bool {
        self.last_request.load(Ordering::SeqCst) > self.seen.load(Ordering::SeqCst)
    }

    pub fn handle(&self) -> &v8::IsolateHandle {
        &self.handle
    }

    /// Whether the JS stack of a stop of the running operation was noted.
    pub(crate) fn landed_in_this_operation(&self) -> bool {
        self.landed.load(Ordering::SeqCst) > self.seen.load(Ordering::SeqCst)
    }
}

/// A stop request on its way to the JS thread.
struct Landing {
    stopper: Stopper,
    serial: u64,
}

/// Where the latest stop landed in the JS (an isolate slot).
#[derive(Default)]
pub(crate) struct LandedAt(pub(crate) RefCell<Vec<Frame>>);

/// The V8 interrupt of a stop request: on the JS thread, inside V8. Notes
/// the JS stack and terminates, unless the request is stale (made before
/// the running operation began) or its stop already landed.
unsafe extern "C" fn land(isolate: v8::UnsafeRawIsolatePtr, data: *mut std::ffi::c_void) {
    // SAFETY: the Box `request` leaked for this interrupt.
    let landing = unsafe { Box::from_raw(data as *mut Landing) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let stopper = &landing.stopper;
        if stopper.seen.load(Ordering::SeqCst) >= landing.serial || stopper.landed_in_this_operation() {
            return;
        }
        // SAFETY: V8 runs interrupts on the isolate's thread, with it locked.
        let mut isolate = unsafe { v8::Isolate::from_raw_isolate_ptr(isolate) };
        let frames = without_js(|| {
            v8::scope!(let scope, &mut isolate);
            let Some(context) = crate::realm_helpers::any_context(scope) else { return Vec::new() };
            let scope = &mut v8::ContextScope::new(scope, context);
            current_frames(scope)
        });
        note_landing(&isolate, stopper, landing.serial, frames);
        isolate.terminate_execution();
    }));
}

fn note_landing(isolate: &v8::Isolate, stopper: &Stopper, serial: u64, frames: Vec<Frame>) {
    if let Some(landed) = isolate.get_slot::<LandedAt>() {
        if let Ok(mut at) = landed.0.try_borrow_mut() {
            *at = frames;
            stopper.landed.store(serial, Ordering::SeqCst);
        }
    }
}

/// The stack the latest stop of this operation landed in ([] if none).
pub(crate) fn landed_frames(isolate: &v8::Isolate, stopper: &Stopper) -> Vec<Frame> {
    if !stopper.landed_in_this_operation() {
        return Vec::new();
    }
    isolate.get_slot::<LandedAt>().and_then(|l| l.0.try_borrow().ok().map(|f| f.clone())).unwrap_or_default()
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
    scope.is_execution_terminating() || scope.get_slot::<StopRequested>().is_some_and(|s| s.0.requested())
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
    if scope.is_execution_terminating() {
        return;
    }
    if let Some(stopper) = scope.get_slot::<StopRequested>().map(|s| s.0.clone()) {
        let serial = stopper.request();
        if !stopper.landed_in_this_operation() {
            let frames = current_frames(scope);
            note_landing(scope, &stopper, serial, frames);
        }
    }
    scope.terminate_execution();
    if let Some(script) = v8::String::new(scope, "0").and_then(|source| v8::Script::compile(scope, source, None)) {
        let _ = script.run(scope);
    }
}
