//! Isolates: one `SharedIsolate` each, locked per operation. Operations may
//! nest (a host callback evals in the same isolate, or in another isolate,
//! A → B → A) because each operation either takes the isolate's lock or, if
//! an outer operation on this thread holds it already, re-enters it, and
//! exits whatever isolate was entered on top meanwhile.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::cache::CompileSettings;
use crate::error::{ErrorKind, Failure, JsError};
use crate::exception::{js_error, type_name};
use crate::function::FunctionId;
use crate::kept::{Forgotten, HandleKind};
use crate::marshal::internal;
use crate::memory::OomState;
use crate::path::is_plain_path;
pub use crate::termination::Stopper;
use crate::termination::{js_refused, landed_frames, LandedAt, StopRequested};
use crate::watchdog::{self, Deadline};

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Isolates created and not yet disposed or leaked.
pub fn live_isolate_count() -> usize {
    LIVE.load(Ordering::SeqCst)
}

/// A C++ `v8::Isolate*`. Kept instead of `&mut v8::Isolate`, which for a
/// shared isolate points into its `Locker` and would dangle once that moves.
type RawIsolate = *mut c_void;

fn raw_of(isolate: &v8::Isolate) -> RawIsolate {
    // SAFETY: UnsafeRawIsolatePtr is a transparent wrapper of the C++ pointer.
    unsafe { std::mem::transmute(isolate.as_raw_isolate_ptr()) }
}

/// A `v8::Isolate` handle for `raw` (the wrapper owns nothing).
///
/// # Safety
/// `raw` must be a live isolate, locked by this thread.
unsafe fn isolate_at(raw: RawIsolate) -> v8::Isolate {
    unsafe { v8::Isolate::from_raw_isolate_ptr(std::mem::transmute::<RawIsolate, v8::UnsafeRawIsolatePtr>(raw)) }
}

thread_local! {
    /// The isolate this crate entered last on this thread (null: none).
    static ENTERED: Cell<RawIsolate> = const { Cell::new(null_mut()) };
}

/// Whether an operation of some isolate is running on this thread.
pub fn thread_has_entered_isolate() -> bool {
    !ENTERED.with(Cell::get).is_null()
}

thread_local! {
    /// The operations (of any isolate) open on this thread, innermost last.
    static OPEN: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}
static NEXT_OPERATION: AtomicU64 = AtomicU64::new(1);

/// An operation on `OPEN` while it runs (closed on every way out, a
/// panic included).
struct OpenOperation(u64);

impl OpenOperation {
    fn new() -> Self {
        let token = NEXT_OPERATION.fetch_add(1, Ordering::Relaxed);
        OPEN.with(|o| o.borrow_mut().push(token));
        OpenOperation(token)
    }
}

impl Drop for OpenOperation {
    fn drop(&mut self) {
        OPEN.with(|o| {
            let mut open = o.borrow_mut();
            if let Some(i) = open.iter().rposition(|t| *t == self.0) {
                open.remove(i);
            }
        });
    }
}

/// The innermost operation open on this thread (0: none). A host callback
/// that finds another one on return than on entry was resumed (its Fiber
/// yielded inside it) within a later operation: V8's frames of that one sit
/// above the callback's, so it must not return yet.
pub fn innermost_operation() -> u64 {
    OPEN.with(|o| o.borrow().last().copied().unwrap_or(0))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Microtasks {
    /// Promise jobs run when the outermost JS call returns.
    Auto,
    /// Promise jobs run only when the embedder asks.
    Explicit,
}

#[derive(Clone, Debug)]
pub struct IsolateOptions {
    /// Default time limit of each operation; 0 means none.
    pub timeout_ms: u64,
    /// Heap limit in bytes; 0 means V8's default.
    pub memory_limit: usize,
    pub microtasks: Microtasks,
    /// A dotted path: the object there (created) holds the gem's JS
    /// helpers (`drainMicrotasks()`). Attached functions do not go there.
    pub host_namespace: Option<String>,
    /// A startup snapshot to boot from (its default context is every new
    /// context's start).
    pub snapshot: Option<crate::snapshot::Snapshot>,
    /// Any thread may use the isolate, one at a time (see `crate::turn`);
    /// otherwise the host confines it to one thread.
    pub thread_safe: bool,
}

impl Default for IsolateOptions {
    fn default() -> Self {
        IsolateOptions {
            timeout_ms: 0,
            memory_limit: 0,
            microtasks: Microtasks::Auto,
            host_namespace: None,
            snapshot: None,
            thread_safe: false,
        }
    }
}

/// Lets the host release its own global lock while JavaScript runs. `work`
/// runs on the calling thread before `blocking` returns; `handle` stops it
/// (the host's interrupt should call `handle.terminate_execution()`).
pub trait Gate {
    fn blocking(&self, stopper: &Stopper, work: &mut dyn FnMut());
}

/// A gate that just runs the work (no host lock to release).
pub struct Direct;

impl Gate for Direct {
    fn blocking(&self, _: &Stopper, work: &mut dyn FnMut()) {
        work()
    }
}

/// The host side of functions attached with `Isolate::attach`.
pub trait HostFunctions: 'static {
    /// JS called host function `id` (as given to `attach`). Return the result,
    /// or `None` once an exception is thrown in `scope` (or the isolate is
    /// terminating). Called on the isolate's thread, inside V8.
    fn call<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        id: u32,
        args: &v8::FunctionCallbackArguments<'s>,
    ) -> Option<v8::Local<'s, v8::Value>>;

    /// JS imports `specifier`, from the script or module at `referrer_url`
    /// in realm `ctx`: by `import()`, or statically from a module that
    /// `import()` loads. Called on the isolate's thread, inside V8.
    fn import(&self, specifier: &str, referrer_url: &str, ctx: ContextId) -> crate::module::Resolution {
        let _ = (specifier, referrer_url, ctx);
        crate::module::Resolution::Throw { message: "import() is not supported by this host".into(), host_error: None }
    }
}

pub(crate) struct HostSlot(pub(crate) Rc<dyn HostFunctions>);

/// A context's number within its isolate; the default context is 0.
pub type ContextId = usize;

/// What an operation's body needs to know about the operation.
pub(crate) struct Op {
    /// Promise jobs run once its JS returns: the outermost operation of an
    /// isolate with `Microtasks::Auto`. (V8's own policy is always explicit:
    /// its automatic drain ran outside our deadline and lost terminations.)
    pub(crate) drain: bool,
}

/// Where an operation runs: a context by id, or the realm a kept function
/// was handed out in.
#[derive(Clone, Copy)]
pub(crate) enum Realm {
    Id(ContextId),
    Of(FunctionId),
    /// The realm a kept script or module was compiled in.
    Kept(HandleKind, u32),
}

pub struct Isolate {
    shared: Option<Arc<v8::SharedIsolate>>,
    /// Terminates this isolate and says so to code that runs no JS (the
    /// marshalling walk): V8's own flag is set only once JS sees it.
    pub(crate) stopper: Stopper,
    /// Kept handles the host let go of, released at the next lock.
    pub(crate) forgotten: Forgotten,
    /// The realms by id (None: disposed).
    pub(crate) contexts: RefCell<Vec<Option<v8::Global<v8::Context>>>>,
    /// Non-null while an operation of this isolate is on this thread's stack.
    active: Cell<RawIsolate>,
    pub(crate) options: IsolateOptions,
    pub(crate) oom: Box<OomState>,
    /// The stack last given V8 (it changes with the thread or Fiber).
    stack: Cell<crate::stack::StackInUse>,
    /// Thread-safe isolates: whose turn it is. The fields above that are
    /// not Sync are touched only by the thread holding the turn.
    turn: Option<crate::turn::Turn>,
    /// A confined isolate's thread state between operations (see `park`).
    park: Cell<Option<crate::park::Park>>,
    /// The names of `call` paths, internalized.
    names: crate::path::PathNames,
}

/// Restores what `Isolate::enter` changed, in reverse order.
struct Entered<'a> {
    active: &'a Cell<RawIsolate>,
    locker: Option<v8::Locker<'a>>,
    raw: RawIsolate,
    prev: RawIsolate,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        if self.locker.is_some() {
            self.active.set(null_mut());
            self.locker = None; // exits this isolate and releases its lock
        } else if self.prev != self.raw {
            // SAFETY: entered by `Isolate::enter`, under the lock an outer
            // operation on this thread holds.
            unsafe { isolate_at(self.raw).exit() };
        }
        if !self.prev.is_null() && self.prev != self.raw {
            // SAFETY: `prev` was entered on this thread before and exited by us.
            unsafe { isolate_at(self.prev).enter() };
        }
        ENTERED.with(|e| e.set(self.prev));
    }
}

impl Isolate {
    /// Creates an isolate with its default context. `host` answers calls of
    /// attached functions.
    pub fn new(options: IsolateOptions, host: Rc<dyn HostFunctions>) -> Result<Self, JsError> {
        crate::platform::initialize();
        let mut params = v8::CreateParams::default();
        if let Some(snapshot) = &options.snapshot {
            params = params.snapshot_blob(snapshot.startup_data());
        }
        let budget = (options.memory_limit > 0).then(|| crate::memory::BufferBudget::new(options.memory_limit));
        if let Some(budget) = &budget {
            params = params.heap_limits(0, options.memory_limit).array_buffer_allocator(budget.allocator());
        }
        let mut owned = v8::Isolate::new(params);
        owned.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
        owned.set_capture_stack_trace_for_uncaught_exceptions(true, 64);
        // SAFETY: nothing non-Send was stored in the isolate yet.
        let shared = match unsafe { owned.try_into_shared() } {
            Ok(shared) => Arc::new(shared),
            Err(e) => {
                let message = format!("cannot create an isolate: {e}");
                drop(e.into_isolate());
                return Err(JsError::new(ErrorKind::Usage, message));
            }
        };
        let stopper = Stopper::new(shared.thread_safe_handle());
        let oom = OomState::new(stopper.clone(), budget);
        LIVE.fetch_add(1, Ordering::SeqCst);
        let isolate = Isolate {
            shared: Some(shared),
            stopper,
            forgotten: Forgotten::default(),
            contexts: RefCell::new(Vec::new()),
            active: Cell::new(null_mut()),
            oom,
            stack: Cell::new(Default::default()),
            turn: options.thread_safe.then(Default::default),
            park: Cell::new(None),
            names: Default::default(),
            options,
        };
        isolate.enter(|v8_isolate, _| {
            v8_isolate.set_slot(HostSlot(host));
            v8_isolate.set_slot(crate::function::Table::default());
            v8_isolate.set_slot(crate::script::Table::default());
            crate::module::install(v8_isolate);
            v8_isolate.set_slot(StopRequested(isolate.stopper.clone()));
            v8_isolate.set_slot(LandedAt::default());
            isolate.oom.install(v8_isolate);
            v8_isolate.set_slot(crate::realm_helpers::Helpers::default());
            v8_isolate.set_slot(crate::objects::Templates::default());
            v8_isolate.set_slot(crate::realm::RejectHandler::default());
            v8_isolate.set_slot(crate::microtasks::Draining::default());
            v8_isolate.set_slot(Rc::new(crate::realm::RealmBusy::default()));
            v8_isolate.set_promise_reject_callback(crate::realm::promise_rejected);
            v8::scope!(let scope, v8_isolate);
            let context = isolate.fresh_context(scope, 0, true);
            isolate.contexts.borrow_mut().push(Some(v8::Global::new(scope, context)));
        })?;
        isolate.install_host_namespace(0)?;
        Ok(isolate)
    }

    /// Whether an operation of this isolate is on this thread's stack (or
    /// suspended: a Fiber yielded inside one of its callbacks).
    pub fn is_busy(&self) -> bool {
        // Another thread's operation is not this thread's business.
        self.turn.as_ref().is_none_or(crate::turn::Turn::is_mine) && !self.active.get().is_null()
    }

    /// Whether an operation of this isolate is running or suspended on any
    /// thread (for the host's teardown: such an isolate cannot be released).
    pub fn in_use(&self) -> bool {
        match &self.turn {
            Some(turn) => turn.is_held(),
            None => !self.active.get().is_null(),
        }
    }

    /// A thread-safe isolate's turn (None: the isolate is confined to one
    /// thread by its host). Hosts that hold a global lock of their own wait
    /// for it with that released, then run operations inside it.
    pub fn turn(&self) -> Option<&crate::turn::Turn> {
        self.turn.as_ref()
    }

    /// For queries that must not wait: Some (holding the turn of a
    /// thread-safe isolate, or nothing to hold) unless another thread has it.
    pub(crate) fn turn_if_free(&self) -> Option<Option<crate::turn::TurnGuard<'_>>> {
        match &self.turn {
            None => Some(None),
            Some(turn) => turn.try_take().map(Some),
        }
    }

    /// Stops running JS (any thread). Does nothing to an idle isolate: each
    /// outermost operation starts by clearing a stale termination.
    pub fn terminate(&self) {
        self.stopper.stop();
    }

    /// Terminates this isolate's JS from any thread, like `terminate`.
    pub fn stopper(&self) -> Stopper {
        self.stopper.clone()
    }

    /// Runs `f` with this isolate locked (or re-entered) and entered.
    pub(crate) fn enter<R>(&self, f: impl FnOnce(&mut v8::Isolate, bool) -> R) -> Result<R, JsError> {
        let shared =
            self.shared.as_ref().ok_or_else(|| JsError::new(ErrorKind::Usage, "the isolate has been disposed"))?;
        if js_refused() {
            return Err(JsError::new(
                ErrorKind::Usage,
                "JavaScript cannot run here: Ruby code (a signal handler, a finalizer) ran while rusty_racer was \
                 inside V8 where JavaScript must not run; run it after the operation returns",
            ));
        }
        let Ok(stack) = crate::stack::in_use() else {
            return Err(JsError::new(
                ErrorKind::Usage,
                "JavaScript cannot run on a Fiber's stack off the main thread: V8 checks that JS runs on its \
                 thread's own stack and aborts the process otherwise; call it outside the Fiber (Fibers of the \
                 main thread work)",
            ));
        };
        // Taken before anything else is read: only the holder touches the rest.
        let _turn = match &self.turn {
            Some(turn) => Some(turn.take().map_err(|e| JsError::new(ErrorKind::Usage, e.to_string()))?),
            None => None,
        };
        let prev = ENTERED.with(Cell::get);
        let mine = self.active.get();
        let guard = if mine.is_null() {
            if !prev.is_null() {
                // SAFETY: `prev` is the isolate entered on this thread; the guard re-enters it.
                unsafe { isolate_at(prev).exit() };
            }
            let locker = shared.lock();
            let raw = raw_of(&locker);
            self.active.set(raw);
            Entered { active: &self.active, locker: Some(locker), raw, prev }
        } else {
            if prev != mine {
                // SAFETY: an outer operation on this thread holds our lock.
                unsafe {
                    if !prev.is_null() {
                        isolate_at(prev).exit();
                    }
                    isolate_at(mine).enter();
                }
            }
            Entered { active: &self.active, locker: None, raw: mine, prev }
        };
        ENTERED.with(|e| e.set(guard.raw));
        let outermost = guard.locker.is_some();
        // SAFETY: the isolate is locked by this thread and entered; nested
        // operations derive their scopes from it as V8's C++ API allows.
        let mut isolate = unsafe { isolate_at(guard.raw) };
        // V8's own per-thread limit is wrong on Ruby's threads, and a Fiber
        // has a stack of its own: the limit follows the stack in use (the
        // Locker keeps it per thread, so it changes only with the stack).
        // The Fiber bounds are per thread, not per isolate: claimed by every
        // operation, whichever isolate ran on another stack meanwhile.
        let bounds = stack.claim_bounds();
        let enclosing = self.stack.replace(stack);
        if enclosing != stack {
            stack.enter(&mut isolate);
        }
        if outermost {
            self.release_forgotten(&isolate);
        }
        let result = {
            let _open = OpenOperation::new();
            f(&mut isolate, outermost)
        };
        // A nested operation on another stack (a Fiber resumed in a
        // callback) gives the enclosing one its stack back.
        if !outermost && enclosing != stack {
            enclosing.enter(&mut isolate);
            self.stack.set(enclosing);
        }
        if outermost {
            self.rearm_heap_limit(&mut isolate);
        }
        crate::stack::restore_bounds(bounds);
        let raw = guard.raw;
        drop(guard);
        if outermost && self.turn.is_none() {
            self.park_here(raw);
        }
        Ok(result)
    }

    /// Parks a confined isolate's thread state once its first operation
    /// has released the lock: later operations take a nested Locker.
    fn park_here(&self, raw: RawIsolate) {
        let park = self.park.take();
        // SAFETY: `raw` is this isolate, just unlocked by the outermost
        // operation; only this (its owner) thread locks a confined isolate
        // while it is alive and in use.
        self.park.set(park.or_else(|| Some(unsafe { crate::park::Park::new(raw) })));
    }

    /// Drops the handles the host forgot (with the lock held).
    pub(crate) fn release_forgotten(&self, isolate: &v8::Isolate) {
        if !self.forgotten.any.load(Ordering::Relaxed) {
            return;
        }
        for (kind, id) in self.forgotten.take() {
            let released = match kind {
                HandleKind::Function => release::<crate::function::Kept>(isolate, id),
                HandleKind::Script => release::<crate::script::Kept>(isolate, id),
                HandleKind::Module => crate::module::release(isolate, id),
            };
            if !released {
                // Its table is in use further up this thread's stack: later.
                self.forgotten.push(kind, id);
            }
        }
    }

    /// Lets kept handle `id` go: any thread, no lock (released at the next
    /// operation, on the thread that holds the lock).
    pub fn forget(&self, kind: HandleKind, id: u32) {
        self.forgotten.push(kind, id);
    }

    /// Creates a new context (realm) and returns its id.
    pub fn new_context(&self) -> Result<ContextId, JsError> {
        self.enter(|isolate, _| {
            v8::scope!(let scope, isolate);
            let id = self.contexts.borrow().len();
            let context = self.fresh_context(scope, id, false);
            let mut contexts = self.contexts.borrow_mut();
            contexts.push(Some(v8::Global::new(scope, context)));
            contexts.len() - 1
        })
        .and_then(|id| self.install_host_namespace(id).map(|()| id))
    }

    /// Runs `body` in context `ctx` under a TryCatch; a JS failure (thrown,
    /// terminated, out of memory) becomes `Failure::Js` with its details.
    /// `timeout_ms`: None means the isolate's limit, Some(0) none.
    pub(crate) fn run<R, E>(
        &self,
        realm: Realm,
        timeout_ms: Option<u64>,
        body: impl for<'s, 'i> FnOnce(&mut v8::PinScope<'s, 'i>, &Op) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.enter(|isolate, outermost| {
            // A termination requested after the last operation (a late timeout,
            // terminate while idle) must not stop this one. Every request goes
            // through the Stopper, so only then is V8's (locked) flag touched.
            if outermost {
                let generation = self.stopper.generation.load(Ordering::SeqCst);
                if generation != self.stopper.seen.load(Ordering::SeqCst) {
                    let _starting = self.stopper.starting.lock().unwrap_or_else(|e| e.into_inner());
                    isolate.cancel_terminate_execution();
                    self.stopper.seen.store(generation, Ordering::SeqCst);
                }
            }
            let timeout = timeout_ms.unwrap_or(self.options.timeout_ms);
            v8::scope!(let scope, isolate);
            let context = match realm {
                Realm::Id(ctx) => self.context_local(scope, ctx),
                Realm::Of(id) => crate::function::context_of(scope, id),
                Realm::Kept(kind, id) => {
                    let ctx = match kind {
                        HandleKind::Script => crate::script::realm_of(scope, id),
                        _ => crate::module::realm_of(scope, id),
                    };
                    ctx.and_then(|c| self.context_local(scope, c))
                }
            };
            let Some(context) = context else {
                let gone = match realm {
                    Realm::Id(ctx) if ctx < self.contexts.borrow().len() => {
                        JsError::new(ErrorKind::Disposed, "the context has been disposed")
                    }
                    Realm::Id(ctx) => JsError::new(ErrorKind::Usage, format!("no context {ctx}")),
                    Realm::Of(id) => crate::function::gone(id),
                    Realm::Kept(HandleKind::Script, _) => crate::script::gone(),
                    Realm::Kept(_, _) => crate::module::gone(),
                };
                return Err(Failure::Js(gone));
            };
            let scope = &mut v8::ContextScope::new(scope, context);
            // (A realm by id needs no search for its number.)
            let id = match realm {
                Realm::Id(ctx) => Some(ctx),
                _ => crate::realm_helpers::current_realm(scope),
            };
            let _busy = crate::realm::Busy::new(scope, id);
            v8::tc_scope!(let tc, scope);
            // The deadline covers the body, the promise jobs it drains and the
            // reading of its error (a thrown object's toString may loop).
            let deadline = (timeout > 0).then(|| watchdog::arm(&self.stopper, Duration::from_millis(timeout)));
            let op = Op { drain: outermost && self.options.microtasks == Microtasks::Auto };
            let out = body(tc, &op);
            let out = match out {
                Ok(v) => Ok(v),
                // A termination wins over whatever failure it caused.
                Err(Failure::Exception) => Err(Failure::Js(self.caught(tc))),
                Err(other) if self.stopping(tc) => {
                    drop(other);
                    Err(Failure::Js(self.caught(tc)))
                }
                Err(other) => Err(other),
            };
            let fired = deadline.as_ref().is_some_and(Deadline::fired);
            drop(deadline);
            match out {
                Err(Failure::Js(e)) if e.kind == ErrorKind::Terminated || self.stopping(tc) => {
                    Err(Failure::Js(self.stopped(tc, outermost, fired, timeout, e)))
                }
                other => other,
            }
        })
        .map_err(Failure::Js)?
    }

    /// Whether this isolate's JS is being stopped (terminate, a timeout, the
    /// heap limit, a Ruby interrupt).
    pub(crate) fn stopping(&self, isolate: &v8::Isolate) -> bool {
        isolate.is_execution_terminating() || self.stopper.requested()
    }

    /// The error for what `tc` caught. A termination comes back as
    /// `ErrorKind::Terminated` for `stopped` to finish.
    fn caught(&self, tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>) -> JsError {
        if tc.has_terminated() || self.stopping(tc) {
            return JsError::new(ErrorKind::Terminated, "JavaScript was terminated");
        }
        let Some(exception) = tc.exception() else {
            return JsError::new(ErrorKind::Runtime, "JavaScript failed without an exception");
        };
        let message = tc.message();
        let error = js_error(tc, exception, message, ErrorKind::Runtime);
        if self.stopping(tc) {
            // Stopped while the error was read (its toString looped).
            return JsError::new(ErrorKind::Terminated, "JavaScript was terminated");
        }
        error
    }

    /// The error of a stopped operation, by cause. The outermost operation
    /// clears the termination (and the promise jobs the stopped JS left)
    /// and re-arms the heap limit.
    fn stopped(
        &self,
        tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
        outermost: bool,
        timed_out: bool,
        timeout: u64,
        caught: JsError,
    ) -> JsError {
        // Only the outermost operation recovers, so only it consumes the mark.
        let oom = if outermost { self.take_out_of_memory() } else { self.out_of_memory_pending() };
        let landed = landed_frames(tc, &self.stopper);
        if outermost {
            crate::microtasks::discard(tc);
            tc.cancel_terminate_execution();
            if oom {
                self.recover_from_out_of_memory(tc);
            }
        }
        if oom {
            return self.out_of_memory_error();
        }
        let what = if timed_out { format!("JavaScript timed out after {timeout} ms") } else { caught.message };
        let message = match landed.first() {
            Some(frame) => format!("{what} in {}", frame.js_style()),
            None => what,
        };
        JsError {
            kind: ErrorKind::Terminated,
            message,
            frames: landed.iter().map(|f| f.ruby_style()).collect(),
            js_backtrace: landed.iter().map(|f| f.js_style()).collect(),
        }
    }

    /// Runs JS `f` through `gate`; in an operation that drains (see `Op`)
    /// the promise jobs run right after, before the result is read, so a
    /// runaway job fails the operation like a runaway script.
    pub(crate) fn run_js<'s, G: Gate, T, E>(
        &self,
        gate: &G,
        scope: &mut v8::PinScope<'s, '_>,
        op: &Op,
        mut f: impl FnMut(&mut v8::PinScope<'s, '_>) -> Option<T>,
    ) -> Result<T, Failure<E>> {
        let mut result = None;
        gate.blocking(&self.stopper, &mut || {
            result = f(scope);
            if op.drain && !scope.is_execution_terminating() {
                crate::microtasks::drain(scope);
            }
        });
        let value = result.ok_or(Failure::Exception)?;
        if op.drain && self.stopping(scope) {
            return Err(Failure::Exception);
        }
        Ok(value)
    }

    /// Compiles and runs `source` as a classic script in `ctx`; `convert`
    /// turns the completion value into the host's (or skips it).
    pub fn eval<G: Gate, R, E>(
        &self,
        gate: &G,
        ctx: ContextId,
        source: &str,
        filename: &str,
        timeout_ms: Option<u64>,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.eval_settled(gate, ctx, source, filename, timeout_ms, false, convert)
    }

    /// Like `eval`; with `settle`, a promise it returns is awaited (see
    /// `crate::settle`) and its value converted.
    #[allow(clippy::too_many_arguments)]
    pub fn eval_settled<G: Gate, R, E>(
        &self,
        gate: &G,
        ctx: ContextId,
        source: &str,
        filename: &str,
        timeout_ms: Option<u64>,
        settle: bool,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.run(Realm::Id(ctx), timeout_ms, |tc, op| {
            // No cache to check: no source hash needed.
            let (script, _) = crate::script::compile(tc, source, filename, &CompileSettings::default(), 0)?;
            let script = script.bind_to_current_context(tc);
            let value = self.run_js(gate, tc, op, |tc| script.run(tc))?;
            let value = if settle { crate::settle::settled(self, gate, tc, value)? } else { value };
            convert(tc, value)
        })
    }

    /// Calls the function at dotted `path` in `ctx` with `this` bound to
    /// the object holding it. Nothing is evaluated: the path is looked up.
    pub fn call<G: Gate, R, E>(
        &self,
        gate: &G,
        ctx: ContextId,
        path: &str,
        timeout_ms: Option<u64>,
        args: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>) -> Result<crate::Args<'s>, Failure<E>>,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.call_settled(gate, ctx, path, timeout_ms, false, args, convert)
    }

    /// Like `call`; with `settle`, a promise it returns is awaited.
    #[allow(clippy::too_many_arguments)]
    pub fn call_settled<G: Gate, R, E>(
        &self,
        gate: &G,
        ctx: ContextId,
        path: &str,
        timeout_ms: Option<u64>,
        settle: bool,
        args: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>) -> Result<crate::Args<'s>, Failure<E>>,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        let known = self.names.known(path);
        if known.is_none() && !is_plain_path(path) {
            let message = format!("{path:?} is not a plain dotted path of identifiers");
            return Err(Failure::Js(JsError::new(ErrorKind::Runtime, message)));
        }
        self.run(Realm::Id(ctx), timeout_ms, |tc, op| {
            let names = match known {
                Some(names) => names,
                None => self.names.make(tc, path).ok_or(Failure::Exception)?,
            };
            let (last, parents) = names.split_last().ok_or_else(|| internal("an empty path"))?;
            let context = tc.get_current_context();
            let mut holder: v8::Local<v8::Object> = context.global(tc);
            for (i, name) in parents.iter().enumerate() {
                let next = holder.get(tc, v8::Local::new(tc, name).into()).ok_or(Failure::Exception)?;
                holder = next.try_into().map_err(|_| {
                    let so_far = path.split('.').take(i + 1).collect::<Vec<_>>().join(".");
                    JsError::new(
                        ErrorKind::Runtime,
                        format!("{path} is not a function ({so_far} is {})", type_name(tc, next)),
                    )
                })?;
            }
            let target = holder.get(tc, v8::Local::new(tc, last).into()).ok_or(Failure::Exception)?;
            let function: v8::Local<v8::Function> = target.try_into().map_err(|_| {
                JsError::new(ErrorKind::Runtime, format!("{path} is not a function (it is {})", type_name(tc, target)))
            })?;
            let args = args(tc)?;
            let value = self.run_js(gate, tc, op, |tc| function.call(tc, holder.into(), &args))?;
            let value = if settle { crate::settle::settled(self, gate, tc, value)? } else { value };
            convert(tc, value)
        })
    }
}

impl Drop for Isolate {
    fn drop(&mut self) {
        let Some(shared) = self.shared.take() else { return };
        if let Some(park) = self.park.get_mut().take() {
            // SAFETY: the isolate is alive and no operation of it is open.
            unsafe { park.release() };
        }
        // Globals of a shared isolate may be dropped without the lock (their
        // reset is deferred); the last Arc then locks and disposes the isolate.
        self.contexts.get_mut().clear();
        self.names.clear();
        drop(shared);
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Removes entry `id` from the kept-handle table of `E`s (false: the table
/// is borrowed further up this thread's stack).
fn release<E: 'static>(isolate: &v8::Isolate, id: u32) -> bool {
    match isolate.get_slot::<RefCell<crate::kept::Slab<E>>>().map(RefCell::try_borrow_mut) {
        Some(Ok(mut table)) => {
            table.remove(id);
            true
        }
        Some(Err(_)) => false,
        None => true,
    }
}
