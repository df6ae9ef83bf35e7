//! Releasing the GVL while JavaScript runs, and taking it back for Ruby
//! callbacks. The only place that conjures a `Ruby` handle.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use magnus::{prelude::*, value::Lazy, Error, RArray, Ruby, Value};
use rusty_racer_runtime::{v8, Gate};

thread_local! {
    /// Whether this thread released the GVL for JS and has not taken it back.
    static RELEASED: Cell<bool> = const { Cell::new(false) };
    /// An interrupt Ruby delivered (Thread#kill, Thread#raise, Timeout) while
    /// JS ran: raised once the operation has unwound V8.
    static PENDING: RefCell<Option<Error>> = const { RefCell::new(None) };
}

/// The Gate for the runtime: runs JS without the GVL so other Ruby threads
/// progress (when there are any). Ruby's interrupts (Thread#kill, Thread#raise and so Timeout,
/// signals such as Ctrl-C) terminate the JS through `interrupts::watch`:
/// registering an unblocking function with Ruby 3.1 costs ~90 µs per call
/// (it wakes Ruby's timer thread), more than the JS it would guard.
pub struct RubyGate;

impl Gate for RubyGate {
    fn blocking(&self, handle: &v8::IsolateHandle, work: &mut dyn FnMut()) {
        struct Call<'a> {
            work: &'a mut dyn FnMut(),
            panic: Option<Box<dyn std::any::Any + Send>>,
        }
        unsafe extern "C" fn run(data: *mut c_void) -> *mut c_void {
            // SAFETY: `data` is the `Call` below, alive for this call.
            let call = unsafe { &mut *(data as *mut Call) };
            let was = RELEASED.with(|r| r.replace(true));
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| (call.work)())) {
                call.panic = Some(panic);
            }
            RELEASED.with(|r| r.set(was));
            std::ptr::null_mut()
        }
        // (The operation's `watch` lets Ruby's interrupts reach the JS.)
        // With no other Ruby thread, nobody could use the GVL (and none can be
        // created while we hold it): keep it, and callbacks need not retake it.
        // SAFETY: as above.
        if unsafe { rb_sys::rb_thread_alone() } != 0 {
            work();
            return;
        }
        let mut call = Call { work, panic: None };
        let call_ptr = &mut call as *mut Call as *mut c_void;
        // Ruby may raise (deliver an interrupt) around the blocking region:
        // protect, so no longjmp crosses these frames or V8's.
        let outcome = magnus::rb_sys::protect(|| {
            // SAFETY: `run` touches no Ruby.
            unsafe { rb_sys::rb_thread_call_without_gvl(Some(run), call_ptr, None, std::ptr::null_mut()) };
            rb_sys::Qnil as rb_sys::VALUE
        });
        if let Some(panic) = call.panic.take() {
            resume_unwind(panic);
        }
        if let Err(e) = outcome {
            handle.terminate_execution();
            // SAFETY: the GVL is held again here.
            set_pending(unsafe { &Ruby::get_unchecked() }, e);
        }
    }
}

/// Watches the calling Ruby thread for the operation of `handle`'s isolate
/// until dropped (see `interrupts`). GVL held.
pub fn watch(handle: &v8::IsolateHandle) -> interrupts::Watch {
    // SAFETY: called with the GVL held.
    interrupts::watch(unsafe { rb_sys::rb_thread_current() }, handle)
}

/// A thread, outside Ruby, that serves Ruby's interrupts while an operation
/// runs. It polls every few milliseconds while one does and parks after a
/// second without any. Each tick it
/// - terminates the JS of threads that have an interrupt pending
///   (Thread#raise and so Timeout, Thread#kill, a signal such as Ctrl-C);
/// - asks V8 to interrupt the JS it watches, and the interrupt, on the JS
///   thread, lets Ruby switch threads if that thread holds the GVL (JS in a
///   getter during marshalling, or JS run while no other Ruby thread
///   existed): other threads run, and can terminate a getter's loop.
pub mod interrupts {
    use std::ffi::c_void;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::sync::{Condvar, Mutex, OnceLock};
    use std::time::{Duration, Instant};

    use rusty_racer_runtime::v8;

    const TICK: Duration = Duration::from_millis(5);
    const LINGER: Duration = Duration::from_secs(1);

    struct Watched {
        id: u64,
        thread: rb_sys::VALUE,
        handle: v8::IsolateHandle,
        /// A V8 interrupt is requested and has not run yet.
        requested: Arc<AtomicBool>,
    }

    #[derive(Default)]
    struct State {
        watched: Vec<Watched>,
        next_id: u64,
        parked: bool,
        last_active: Option<Instant>,
    }

    struct Poller {
        state: Mutex<State>,
        wake: Condvar,
    }

    // SAFETY: the thread VALUEs are only passed to `rb_thread_interrupted`,
    // which reads the thread's interrupt flag; each is alive while watched
    // (its thread is blocked in the operation that registered it).
    unsafe impl Send for Watched {}

    static POLLER: OnceLock<Option<&'static Poller>> = OnceLock::new();

    fn poller() -> Option<&'static Poller> {
        *POLLER.get_or_init(|| {
            let poller: &'static Poller =
                Box::leak(Box::new(Poller { state: Mutex::new(State::default()), wake: Condvar::new() }));
            std::thread::Builder::new()
                .name("rusty_racer-interrupts".into())
                .spawn(move || poller.run())
                .ok()
                .map(|_| poller)
        })
    }

    impl Poller {
        fn run(&self) {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if !state.watched.is_empty() {
                    state.last_active = Some(Instant::now());
                }
                for w in &state.watched {
                    // SAFETY: see `Watched`; a racy read of an int flag is benign.
                    if unsafe { rb_sys::rb_thread_interrupted(w.thread) } != 0 {
                        w.handle.terminate_execution();
                    }
                    if !w.requested.swap(true, Ordering::SeqCst) {
                        let data = Arc::into_raw(Arc::clone(&w.requested)) as *mut c_void;
                        if !w.handle.request_interrupt(serve, data) {
                            // SAFETY: V8 did not take it (the isolate is gone).
                            drop(unsafe { Arc::from_raw(data as *const AtomicBool) });
                        }
                    }
                }
                let idle = state.watched.is_empty() && state.last_active.is_none_or(|t| t.elapsed() > LINGER);
                if idle {
                    state.parked = true;
                    state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
                    state.parked = false;
                } else {
                    state = self.wake.wait_timeout(state, TICK).map(|r| r.0).unwrap_or_else(|e| e.into_inner().0);
                }
            }
        }
    }

    /// Stops watching when dropped.
    pub struct Watch(Option<u64>);

    pub fn watch(thread: rb_sys::VALUE, handle: &v8::IsolateHandle) -> Watch {
        let Some(poller) = poller() else { return Watch(None) };
        let mut state = poller.state.lock().unwrap_or_else(|e| e.into_inner());
        let id = state.next_id;
        state.next_id += 1;
        state.watched.push(Watched { id, thread, handle: handle.clone(), requested: Arc::default() });
        if state.parked {
            poller.wake.notify_one();
        }
        Watch(Some(id))
    }

    /// The V8 interrupt, on the thread running the isolate's JS. Must not
    /// unwind and must not re-enter the isolate.
    unsafe extern "C" fn serve(isolate: v8::UnsafeRawIsolatePtr, data: *mut c_void) {
        // SAFETY: `data` is the Arc the poller leaked for this request.
        let requested = unsafe { Arc::from_raw(data as *const AtomicBool) };
        requested.store(false, Ordering::SeqCst);
        let _ = std::panic::catch_unwind(|| {
            if super::RELEASED.with(std::cell::Cell::get) {
                return; // other Ruby threads run already: JS does not hold the GVL
            }
            if let Err(e) = super::check_interrupts() {
                // SAFETY: the GVL is held (not released) and this is the JS thread.
                super::set_pending(unsafe { &magnus::Ruby::get_unchecked() }, e);
                // SAFETY: the isolate is running on this thread (V8 calls us from it).
                unsafe { v8::Isolate::from_raw_isolate_ptr(isolate) }.terminate_execution();
            }
        });
    }

    impl Drop for Watch {
        fn drop(&mut self) {
            let (Some(id), Some(poller)) = (self.0, poller()) else { return };
            let mut state = poller.state.lock().unwrap_or_else(|e| e.into_inner());
            state.watched.retain(|w| w.id != id);
        }
    }
}

/// Runs `f` holding the GVL (taking it back if JS released it), inside
/// `rb_protect`: a Ruby non-local exit from `f` comes back as `Err` here
/// instead of unwinding through V8's frames.
pub fn with_gvl<F: FnOnce(&Ruby) -> R, R>(f: F) -> Result<R, Error> {
    struct Call<F, R> {
        f: Option<F>,
        out: Option<std::thread::Result<R>>,
        protect: Option<Error>,
    }
    fn call_protected<F: FnOnce(&Ruby) -> R, R>(call: &mut Call<F, R>) {
        let f = call.f.take();
        let out = &mut call.out;
        let protected = magnus::rb_sys::protect(|| {
            // SAFETY: the GVL is held on this thread here.
            let ruby = unsafe { Ruby::get_unchecked() };
            *out = f.map(|f| catch_unwind(AssertUnwindSafe(|| f(&ruby))));
            rb_sys::Qnil as rb_sys::VALUE
        });
        // Kept (and so marked) before the GVL may be released again.
        call.protect = protected.err().map(|e| {
            // SAFETY: the GVL is held on this thread here.
            set_pending(unsafe { &Ruby::get_unchecked() }, e.clone());
            e
        });
    }
    unsafe extern "C" fn run<F: FnOnce(&Ruby) -> R, R>(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `Call` below, alive for this call.
        let call = unsafe { &mut *(data as *mut Call<F, R>) };
        RELEASED.with(|r| r.set(false));
        call_protected(call);
        RELEASED.with(|r| r.set(true));
        std::ptr::null_mut()
    }
    let mut call = Call { f: Some(f), out: None, protect: None };
    if RELEASED.with(Cell::get) {
        // SAFETY: `run` is called with the GVL held, on this thread.
        unsafe { rb_sys::rb_thread_call_with_gvl(Some(run::<F, R>), &mut call as *mut Call<F, R> as *mut c_void) };
    } else {
        call_protected(&mut call);
    }
    match (call.out, call.protect) {
        (Some(Ok(out)), None) => Ok(out),
        (Some(Err(panic)), _) => resume_unwind(panic),
        (_, Some(e)) => Err(e),
        #[allow(deprecated)]
        (None, None) => Err(Error::new(magnus::exception::fatal(), "rusty_racer: the GVL callback did not run")),
    }
}

/// Pending interrupts' exceptions, kept reachable for the GC while they
/// wait in the thread-local (the GC does not see Rust's heap).
static KEEP: Lazy<RArray> = Lazy::new(|ruby| ruby.ary_new());

/// Keeps an interrupt to raise once the operation has unwound. GVL held.
pub fn set_pending(ruby: &Ruby, e: Error) {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_none() {
            if let Some(value) = e.value() {
                let _ = ruby.get_inner(&KEEP).push(value);
            }
            *p = Some(e);
        }
    });
}

/// The pending interrupt, if any. GVL held.
pub fn take_pending(ruby: &Ruby) -> Option<Error> {
    let pending = PENDING.with(|p| p.borrow_mut().take());
    if let Some(value) = pending.as_ref().and_then(Error::value) {
        let _ = ruby.get_inner(&KEEP).funcall::<_, _, Value>("delete", (value,));
    }
    pending
}

/// Serves Ruby's pending interrupts (thread switches, signals,
/// Thread#raise) from a long marshalling walk that holds the GVL. An
/// exception they raise comes back as `Err`, never as a longjmp.
pub fn check_interrupts() -> Result<(), Error> {
    magnus::rb_sys::protect(|| {
        // SAFETY: called with the GVL held, inside rb_protect.
        unsafe { rb_sys::rb_thread_check_ints() };
        rb_sys::Qnil as rb_sys::VALUE
    })
    .map(|_| ())
}
