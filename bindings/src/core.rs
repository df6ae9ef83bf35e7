//! What an Isolate and its Contexts share: the runtime isolate, the owner
//! thread, the Ruby callables JS can call, and the Ruby exceptions in flight.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use magnus::rb_sys::FromRawValue;
use magnus::{gc, prelude::*, Error, Exception, RArray, Ruby, Value};
use rr_glue::ThreadToken;
use rusty_racer_runtime::{self as runtime, ErrorKind, Failure, JsError};

use crate::generated::ErrorClass;
use crate::gvl;

/// About what a new isolate costs outside Ruby's heap (1.4 MB of RSS
/// measured, 1.6 MB of V8 heap pages): reported to Ruby's GC, and then kept
/// up to date as the heap grows (`report_size`), so that dropped isolates
/// are collected before memory balloons.
const ISOLATE_EXTERNAL_BYTES: isize = 2 << 20;
/// Outermost operations between two readings of an isolate's size.
const SIZE_EVERY: u32 = 128;

pub struct Core {
    /// The thread the isolate is confined to (None: thread-safe, any thread).
    pub owner: Option<ThreadToken>,
    /// JS values come back as mini_racer makes them (Isolate.new(conversions:)).
    pub mini_racer_values: bool,
    pub runtime: RefCell<Option<runtime::Isolate>>,
    /// Stops the isolate's JS from any thread (Isolate#terminate).
    pub stopper: runtime::Stopper,
    /// The isolate's place with the interrupt poller.
    interrupts: gvl::interrupts::Registration,
    pub state: Arc<HostState>,
    /// Another thread disposed the isolate while an operation ran: the
    /// owner releases it as the operation returns.
    dispose_requested: AtomicBool,
    /// The bytes reported to Ruby's GC for this isolate, and the operations
    /// since they were last brought up to date.
    reported: Cell<isize>,
    ops_since_report: Cell<u32>,
}

// SAFETY: Ruby objects may be touched from any thread, but the generated glue
// lets other threads reach only `handle` (thread-safe) and the `try_borrow` in
// `is_disposed`; everything else runs on the owner thread, and every access
// (including GC marking and freeing) happens with the GVL held. A thread-safe
// isolate is used by one thread at a time: `with` takes its turn first.
unsafe impl Send for Core {}
unsafe impl Sync for Core {}

/// Ruby values the isolate holds, marked (and so pinned) by the Ruby objects
/// that own the Core. The Arrays are created on first use, when those
/// objects exist: made earlier, nothing would mark them until the Isolate
/// object is allocated, and a GC in between would free them.
#[derive(Default)]
pub struct HostState {
    /// Attached callables; a host function's id is its index.
    callables: Cell<Option<RArray>>,
    /// Which id each attached path uses, so re-attaching reuses its slot.
    attached: RefCell<std::collections::HashMap<(usize, String), u32>>,
    /// Ids of callables released with their realm, by (realm, path): the
    /// same path attached there again takes its old id back (so resets
    /// with re-attaching do not grow the callables, and a stale function
    /// of the old realm can only reach what now stands at its own path).
    retired: RefCell<std::collections::HashMap<(usize, String), u32>>,
    /// The latest Ruby exceptions raised by callbacks (JS may catch one,
    /// keep it and throw it again later): `host_errors[id - errors_base]`.
    host_errors: Cell<Option<RArray>>,
    errors_base: Cell<u32>,
    /// Fibers inside one of the isolate's callbacks (which may yield out of
    /// them): kept alive while V8's frames are on their stacks.
    fibers: Cell<Option<RArray>>,
    /// Isolate#dynamic_import_resolver.
    import_resolver: Cell<Option<Value>>,
}

/// How many callback exceptions stay findable after their operation.
const KEPT_HOST_ERRORS: usize = 256;

// SAFETY: as for Core: used on the owner thread, with the GVL held.
unsafe impl Send for HostState {}
unsafe impl Sync for HostState {}

impl HostState {
    pub fn mark(&self, marker: &gc::Marker) {
        for array in [self.callables.get(), self.host_errors.get(), self.fibers.get()].into_iter().flatten() {
            marker.mark(array);
        }
        if let Some(resolver) = self.import_resolver.get() {
            marker.mark(resolver);
        }
    }

    fn array(ruby: &Ruby, cell: &Cell<Option<RArray>>) -> RArray {
        cell.get().unwrap_or_else(|| {
            let array = ruby.ary_new();
            cell.set(Some(array));
            array
        })
    }

    /// Keeps `callable` alive for JS at `path` of context `ctx`; returns
    /// its id. Attaching a path again replaces its callable in place.
    pub fn add_callable(&self, ruby: &Ruby, ctx: usize, path: &str, callable: Value) -> Result<u32, Error> {
        let array = Self::array(ruby, &self.callables);
        let key = (ctx, path.to_string());
        if let Some(id) = self.attached.borrow().get(&key) {
            array.store(*id as isize, callable)?;
            return Ok(*id);
        }
        let retired = self.retired.borrow_mut().remove(&key);
        let id = match retired {
            Some(id) => {
                array.store(id as isize, callable)?;
                id
            }
            None => {
                array.push(callable)?;
                array.len() as u32 - 1
            }
        };
        self.attached.borrow_mut().insert(key, id);
        Ok(id)
    }

    /// Lets go of the callables attached in realm `ctx` (it was disposed
    /// or reset): what they captured becomes collectable; attaching there
    /// again binds anew.
    /// `reset`: the realm lives on (a disposed one's ids are never asked for again).
    pub fn release_realm(&self, ruby: &Ruby, ctx: usize, reset: bool) {
        let released: Vec<((usize, String), u32)> = {
            let mut attached = self.attached.borrow_mut();
            let released = attached.iter().filter(|((c, _), _)| *c == ctx).map(|(k, id)| (k.clone(), *id)).collect();
            attached.retain(|(c, _), _| *c != ctx);
            released
        };
        if let Some(callables) = self.callables.get() {
            for (key, id) in released {
                let _ = callables.store(id as isize, ruby.qnil());
                if reset {
                    self.retired.borrow_mut().insert(key, id);
                }
            }
        }
    }

    pub fn import_resolver(&self) -> Option<Value> {
        self.import_resolver.get()
    }

    /// Sets (or with None clears) Isolate#dynamic_import_resolver. Marked
    /// by the objects that mark this state, so it survives GC.compact.
    pub fn set_import_resolver(&self, resolver: Option<Value>) {
        self.import_resolver.set(resolver);
    }

    /// Lets go of every callable (the isolate is gone): what they captured
    /// becomes collectable.
    pub fn release_callables(&self) {
        self.import_resolver.set(None);
        if let Some(callables) = self.callables.get() {
            let _ = callables.funcall::<_, _, Value>("clear", ());
        }
        self.attached.borrow_mut().clear();
        self.retired.borrow_mut().clear();
    }

    /// An Array holding the isolate's Ruby values, for an object that must
    /// keep them alive without a mark function of its own (a Proc).
    pub fn roots(&self, ruby: &Ruby) -> RArray {
        let callables = Self::array(ruby, &self.callables);
        let errors = Self::array(ruby, &self.host_errors);
        ruby.ary_from_iter([callables, errors])
    }

    /// Holds the current Fiber while a callback runs on it.
    pub fn hold_current_fiber(&self, ruby: &Ruby) -> Result<(), Error> {
        // SAFETY: GVL held.
        let fiber = unsafe { Value::from_raw(rb_sys::rb_fiber_current()) };
        Self::array(ruby, &self.fibers).push(fiber)
    }

    /// Lets go of the current Fiber once its callback returned.
    pub fn release_current_fiber(&self, ruby: &Ruby) -> Result<(), Error> {
        // SAFETY: GVL held.
        let fiber = unsafe { Value::from_raw(rb_sys::rb_fiber_current()) };
        let fibers = Self::array(ruby, &self.fibers);
        // The last hold of this Fiber (callbacks nest LIFO on one Fiber).
        let index: Option<usize> = fibers.funcall("rindex", (fiber,))?;
        if let Some(index) = index {
            fibers.funcall::<_, _, Value>("delete_at", (index,))?;
        }
        Ok(())
    }

    /// The callable of host function `id` (None: released with its realm).
    pub fn callable(&self, id: u32) -> Option<Value> {
        self.callables.get()?.entry::<Value>(id as isize).ok().filter(|c| !c.is_nil())
    }

    /// Keeps a callback's exception among the latest few; returns its id
    /// (never reused, so a stale id finds nothing rather than another error).
    pub fn add_host_error(&self, ruby: &Ruby, exception: Exception) -> Result<u32, Error> {
        let array = Self::array(ruby, &self.host_errors);
        if array.len() >= KEPT_HOST_ERRORS {
            array.shift::<Value>()?;
            self.errors_base.set(self.errors_base.get().wrapping_add(1));
        }
        let id = self.errors_base.get().wrapping_add(array.len() as u32);
        array.push(exception)?;
        Ok(id)
    }

    pub fn host_error(&self, id: u32) -> Option<Exception> {
        let index = id.wrapping_sub(self.errors_base.get());
        self.host_errors.get()?.entry::<Value>(index as isize).ok().and_then(Exception::from_value)
    }
}

impl Core {
    pub fn new(ruby: &Ruby, options: runtime::IsolateOptions, mini_racer_values: bool) -> Result<Arc<Self>, Error> {
        drain_graveyard();
        let state = Arc::new(HostState::default());
        let thread_safe = options.thread_safe;
        let host = std::rc::Rc::new(crate::host::RubyHost { state: Arc::clone(&state), core: Default::default() });
        let isolate = runtime::Isolate::new(options, host.clone())
            .map_err(|e| ErrorClass::InternalError.error(ruby, e.message))?;
        let core = Arc::new(Core {
            owner: (!thread_safe).then(rr_glue::current_thread),
            mini_racer_values,
            stopper: isolate.stopper(),
            interrupts: gvl::interrupts::Registration::new(isolate.stopper()),
            runtime: RefCell::new(Some(isolate)),
            state,
            dispose_requested: AtomicBool::new(false),
            reported: Cell::new(0),
            ops_since_report: Cell::new(0),
        });
        // The host points at the Core without owning it: the Core owns the isolate that owns the host.
        let _ = host.core.set(Arc::as_ptr(&core));
        core.report(ISOLATE_EXTERNAL_BYTES);
        Ok(core)
    }

    pub fn is_disposed(&self) -> bool {
        self.dispose_requested.load(Ordering::SeqCst) || self.runtime.try_borrow().map(|r| r.is_none()).unwrap_or(false)
    }

    /// Releases the runtime isolate and the callables (GVL held; no
    /// operation of it running). Idempotent.
    pub fn release_now(&self) {
        let Ok(mut slot) = self.runtime.try_borrow_mut() else { return };
        if let Some(isolate) = slot.take() {
            drop(slot);
            self.report(0);
            release(isolate);
            self.state.release_callables();
        }
    }

    /// Tells Ruby's GC this isolate now holds `bytes` outside Ruby's heap.
    /// A growth is followed by a tiny Ruby allocation: Ruby checks its
    /// malloc limit only on its own allocations, and creating isolates
    /// makes almost none, so thousands of dropped ones piled up unchecked.
    fn report(&self, bytes: isize) {
        let diff = bytes - self.reported.replace(bytes);
        // SAFETY: the GVL is held by every caller (creation, operations, release).
        unsafe {
            rb_sys::rb_gc_adjust_memory_usage(diff as rb_sys::ssize_t);
            if diff > 0 {
                rb_sys::ruby_xfree(rb_sys::ruby_xmalloc(1));
            }
        }
    }

    /// Every SIZE_EVERY outermost operations: the isolate's size as V8 sees
    /// it (heap pages, malloced memory, ArrayBuffers) to Ruby's GC.
    fn report_size(&self, isolate: &runtime::Isolate) {
        let ops = self.ops_since_report.get() + 1;
        if ops < SIZE_EVERY {
            self.ops_since_report.set(ops);
            return;
        }
        self.ops_since_report.set(0);
        if let Ok(stats) = isolate.heap_statistics() {
            let size = |name: &str| stats.iter().find(|(n, _)| *n == name).map_or(0, |(_, v)| *v);
            let bytes = size("total_physical_size") + size("malloced_memory") + size("external_memory");
            self.report((bytes as isize).max(ISOLATE_EXTERNAL_BYTES));
        }
    }

    /// Isolate#dispose from a thread other than the owner (GVL held).
    pub fn dispose_from_another_thread(&self) {
        self.dispose_requested.store(true, Ordering::SeqCst);
        if self.runtime.try_borrow_mut().is_ok() {
            self.release_now();
        } else {
            self.stopper.stop();
        }
    }

    /// Runs an operation on the runtime isolate and turns its failure into
    /// the Ruby error to raise.
    pub fn with<R>(
        &self,
        ruby: &Ruby,
        op: impl FnOnce(&runtime::Isolate) -> Result<R, Failure<Error>>,
    ) -> Result<R, Error> {
        let guard = self.runtime.borrow();
        let disposed = || ErrorClass::DisposedError.error(ruby, "the isolate has been disposed");
        let isolate = guard.as_ref().ok_or_else(disposed)?;
        let turn = isolate.turn().map(|turn| take_turn(ruby, turn)).transpose()?;
        if turn.is_some() && self.dispose_requested.load(Ordering::SeqCst) {
            // Disposed while this thread waited: the last thread out releases it.
            let outermost = !isolate.is_busy();
            drop(turn);
            drop(guard);
            if outermost {
                self.release_now();
            }
            return Err(disposed());
        }
        // Ruby's interrupts reach the JS for the whole outermost operation:
        // while JS runs, and while results are marshalled.
        let watch = (!isolate.is_busy()).then(|| self.interrupts.begin());
        let out = op(isolate);
        drop(watch);
        let outermost = !isolate.is_busy();
        if outermost {
            self.report_size(isolate);
        }
        drop(turn);
        drop(guard);
        let result = match out {
            Ok(v) => Ok(v),
            Err(Failure::Host(e)) => Err(e),
            Err(Failure::Js(e)) => Err(self.js_error(ruby, e)),
            Err(Failure::Exception) => {
                Err(ErrorClass::InternalError.error(ruby, "a JavaScript exception was not collected"))
            }
        };
        if outermost && self.dispose_requested.load(Ordering::SeqCst) {
            self.release_now();
        }
        if outermost && !runtime::thread_has_entered_isolate() {
            drain_graveyard();
        }
        // An interrupt Ruby delivered while JS ran (Thread#kill, Timeout) wins.
        match gvl::take_pending(ruby) {
            Some(interrupt) => Err(interrupt),
            None => result,
        }
    }

    /// The Ruby exception for a JS failure, its backtrace the JS frames.
    pub fn js_error(&self, ruby: &Ruby, e: JsError) -> Error {
        let class = match e.kind {
            ErrorKind::Parse => ErrorClass::ParseError,
            ErrorKind::Runtime => ErrorClass::RuntimeError,
            ErrorKind::Terminated => ErrorClass::ScriptTerminatedError,
            ErrorKind::OutOfMemory => ErrorClass::V8OutOfMemoryError,
            ErrorKind::Usage | ErrorKind::Marshal => ErrorClass::Error,
            ErrorKind::Disposed => ErrorClass::DisposedError,
            ErrorKind::HostError(id) => {
                // JS let a callback's Ruby exception escape: raise the original.
                // (Or its message and frames, once it is no longer kept.)
                return match self.state.host_error(id) {
                    Some(exception) => Error::from(exception),
                    None => with_backtrace(ruby, ErrorClass::RuntimeError, e),
                };
            }
        };
        with_backtrace(ruby, class, e)
    }
}

/// A thread-safe isolate's turn for this thread, waited for without the
/// GVL (its holder may need it for a callback); a Ruby interrupt meanwhile
/// (Thread#raise, Thread#kill, Timeout) is raised instead.
fn take_turn<'t>(ruby: &Ruby, turn: &'t runtime::Turn) -> Result<runtime::TurnGuard<'t>, Error> {
    if let Some(held) = turn.try_take() {
        return Ok(held);
    }
    loop {
        let cancelled = AtomicBool::new(false);
        let wake = || turn.wake(&cancelled);
        match gvl::without_gvl(|| turn.take_waiting(&cancelled), &wake)? {
            Ok(Some(held)) => return Ok(held),
            Ok(None) => continue, // woken without an interrupt to raise
            Err(deadlock) => return Err(ErrorClass::Error.error(ruby, deadlock.to_string())),
        }
    }
}

/// `class.new(message)` with the JS frames as its backtrace (empty stays
/// empty); a termination also gets its `js_backtrace` (idl/rusty_racer.yaml).
fn with_backtrace(ruby: &Ruby, class: ErrorClass, e: JsError) -> Error {
    let strings = |lines: &[String]| ruby.ary_from_iter(lines.iter().map(|f| ruby.str_new(f)));
    let built = class.class(ruby).new_instance((ruby.str_new(&e.message),)).and_then(|exception| {
        exception.funcall::<_, _, Value>("set_backtrace", (strings(&e.frames),))?;
        if class == ErrorClass::ScriptTerminatedError {
            exception.funcall::<_, _, Value>("instance_variable_set", ("@js_backtrace", strings(&e.js_backtrace)))?;
        }
        Ok(exception)
    });
    match built {
        Ok(exception) => Error::from(exception),
        Err(e) => e,
    }
}

/// Isolates collected while some isolate was entered on the collecting
/// thread: released by the next operation that finishes with none entered.
static GRAVEYARD: Mutex<Vec<Buried>> = Mutex::new(Vec::new());
/// Whether GRAVEYARD may hold something (checked on every operation).
static BURIED: AtomicBool = AtomicBool::new(false);

/// Held only to be dropped later.
struct Buried(#[allow(dead_code)] runtime::Isolate);

// SAFETY: a shared isolate may be released on any thread while nobody holds
// its lock, and a buried isolate is unreachable from Ruby, so nobody does.
unsafe impl Send for Buried {}

/// Collected isolates waiting in the graveyard.
pub fn buried_count() -> usize {
    GRAVEYARD.lock().unwrap_or_else(|e| e.into_inner()).len() + SUSPENDED_LEAKS.load(Ordering::SeqCst)
}

pub fn drain_graveyard() {
    if !BURIED.swap(false, Ordering::SeqCst) {
        return;
    }
    let buried = std::mem::take(&mut *GRAVEYARD.lock().unwrap_or_else(|e| e.into_inner()));
    drop(buried);
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(isolate) = self.runtime.get_mut().take() {
            self.report(0);
            if isolate.in_use() {
                // An operation never resumed (its Fiber yielded inside a
                // callback and was dropped): V8's lock and frames belong to
                // it, so the isolate cannot be released. Counted as leaked.
                std::mem::forget(isolate);
                SUSPENDED_LEAKS.fetch_add(1, Ordering::SeqCst);
                return;
            }
            release(isolate);
        }
    }
}

/// Isolates left with an operation suspended forever (see `Drop for Core`).
static SUSPENDED_LEAKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Releases a runtime isolate now if this thread is not inside another
/// isolate's operation, else at the next safe point. Never blocks: nobody
/// else holds the lock of an isolate whose Ruby objects are gone (or that
/// its owner disposes). Called with the GVL held (dispose, or GC free).
pub fn release(isolate: runtime::Isolate) {
    if runtime::thread_has_entered_isolate() {
        GRAVEYARD.lock().unwrap_or_else(|e| e.into_inner()).push(Buried(isolate));
        BURIED.store(true, Ordering::SeqCst);
    } else {
        drop(isolate);
    }
}
