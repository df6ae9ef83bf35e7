//! Releasing the GVL while JavaScript runs, and taking it back for Ruby
//! callbacks. The only place that conjures a `Ruby` handle.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use magnus::{prelude::*, value::Lazy, Error, RArray, Ruby, Value};
use rusty_racer_runtime::{Gate, Stopper};

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
    fn blocking(&self, stopper: &Stopper, work: &mut dyn FnMut()) {
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
            stopper.stop();
            // SAFETY: the GVL is held again here.
            set_pending(unsafe { &Ruby::get_unchecked() }, e);
        }
    }
}

/// Runs `work` (no Ruby in it) without the GVL; a Ruby interrupt meanwhile
/// (Thread#kill, Timeout, Ctrl-C) calls `cancel` (from another thread; it
/// must not panic), which must make `work` return soon. The interrupt is
/// raised afterwards.
pub fn without_gvl<F: FnOnce() -> R, R>(work: F, cancel: &(dyn Fn() + Sync)) -> Result<R, Error> {
    struct Call<F, R> {
        work: Option<F>,
        out: Option<std::thread::Result<R>>,
    }
    unsafe extern "C" fn run<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `Call` below, alive for this call.
        let call = unsafe { &mut *(data as *mut Call<F, R>) };
        call.out = call.work.take().map(|work| catch_unwind(AssertUnwindSafe(work)));
        std::ptr::null_mut()
    }
    unsafe extern "C" fn unblock(data: *mut c_void) {
        // SAFETY: `data` points at `cancel` below, alive for the call.
        let cancel = unsafe { &*(data as *const &(dyn Fn() + Sync)) };
        cancel();
    }
    let mut call = Call { work: Some(work), out: None };
    let protected = magnus::rb_sys::protect(|| {
        // SAFETY: `run` touches no Ruby; `unblock` only calls `cancel`.
        unsafe {
            rb_sys::rb_thread_call_without_gvl(
                Some(run::<F, R>),
                &mut call as *mut Call<F, R> as *mut c_void,
                Some(unblock),
                &cancel as *const &(dyn Fn() + Sync) as *mut c_void,
            )
        };
        rb_sys::Qnil as rb_sys::VALUE
    });
    let out = match call.out {
        Some(Ok(out)) => out,
        Some(Err(panic)) => resume_unwind(panic),
        #[allow(deprecated)]
        None => {
            return Err(protected
                .err()
                .unwrap_or_else(|| Error::new(magnus::exception::fatal(), "rusty_racer: the work did not run")))
        }
    };
    protected?;
    check_interrupts()?;
    Ok(out)
}

/// A poll, outside Ruby (on the runtime's watchdog thread), that lets Ruby's
/// interrupts reach running JS. Every isolate registers once; an operation
/// marks its registration active for its duration (atomic stores: no lock,
/// no allocation). While any is active the poll asks V8, every few
/// milliseconds, to interrupt that isolate's JS; it stops a second after. The interrupt runs on
/// the JS thread (`serve`), which alone looks at its own Ruby thread:
/// - with an interrupt pending (Thread#raise and so Timeout, Thread#kill, a
///   signal such as Ctrl-C or SIGCHLD) it takes the GVL if JS released it
///   and lets Ruby run it; if that raises, the JS is terminated and the
///   exception raised once the operation has unwound (a signal whose
///   handler does not raise, such as SIGCHLD, lets the JS go on); should an
///   interrupt stay pending for `GRACE` ticks anyway (V8 did not run ours),
///   the poller terminates the JS itself;
/// - while it holds the GVL (JS in a getter during marshalling, or JS run
///   while no other Ruby thread existed) it lets Ruby switch threads, so
///   other threads run and can terminate the JS.
pub mod interrupts {
    use std::ffi::c_void;
    use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
    use std::sync::{Arc, Mutex, OnceLock};
    use std::time::{Duration, Instant};

    use rusty_racer_runtime::{v8, Stopper};

    const TICK: Duration = Duration::from_millis(5);
    const LINGER: Duration = Duration::from_secs(1);
    /// 200 ms: longer than Ruby's 100 ms time slice, the longest `serve`
    /// may wait for the GVL before it can run a handler.
    const GRACE: u32 = 40;

    /// One isolate, as the poller sees it.
    struct Watched {
        /// An operation of it is running.
        active: AtomicBool,
        /// The Ruby thread running it (its VALUE; 0 when none), set and
        /// read under the lock so the thread is alive while the poller looks.
        thread: Mutex<usize>,
        /// Ticks the thread has had an interrupt pending.
        pending: AtomicU32,
        /// `serve` is waiting for the GVL or running Ruby's handlers.
        serving: AtomicBool,
        stopper: Stopper,
        /// A V8 interrupt is requested and has not run yet.
        requested: AtomicBool,
    }

    /// The isolates with a registration; polled by the runtime's watchdog
    /// thread (`rusty_racer_runtime::set_periodic`), every TICK while any
    /// operation runs and for LINGER after.
    static WATCHED: OnceLock<Mutex<Vec<Arc<Watched>>>> = OnceLock::new();
    /// When an operation was last seen running (ms since `epoch()`).
    static LAST_ACTIVE: AtomicU64 = AtomicU64::new(0);

    fn epoch() -> Instant {
        static EPOCH: OnceLock<Instant> = OnceLock::new();
        *EPOCH.get_or_init(Instant::now)
    }

    fn watched() -> &'static Mutex<Vec<Arc<Watched>>> {
        WATCHED.get_or_init(|| {
            rusty_racer_runtime::set_periodic(rusty_racer_runtime::Periodic { job: poll, every: TICK });
            // SAFETY: the handlers only lock and unlock our own mutexes.
            unsafe { libc::pthread_atfork(Some(before_fork), Some(after_fork_in_parent), Some(after_fork_in_child)) };
            Mutex::new(Vec::new())
        })
    }

    /// The entries' thread locks (dropped first), the list's lock, and the
    /// forking Ruby thread (0 if none).
    type Held = (Vec<std::sync::MutexGuard<'static, usize>>, std::sync::MutexGuard<'static, Vec<Arc<Watched>>>, usize);

    thread_local! {
        /// The poll's locks, taken by the forking thread across `fork`: the
        /// child then never finds one held by the (parent's) watchdog thread.
        static HELD_ACROSS_FORK: std::cell::RefCell<Option<Held>> = const { std::cell::RefCell::new(None) };
    }

    extern "C" fn before_fork() {
        let Some(list) = WATCHED.get() else { return };
        let list = list.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: the entries live as long as the list holds them, and the
        // list is locked until after the fork.
        let threads =
            list.iter().map(|w| unsafe { &*Arc::as_ptr(w) }.thread.lock().unwrap_or_else(|e| e.into_inner())).collect();
        // SAFETY: plain reads of Ruby's thread state; fork is called from
        // a Ruby thread holding the GVL, or from a native one (then 0).
        let forking = unsafe {
            if rb_sys::ruby_native_thread_p() != 0 {
                rb_sys::rb_thread_current() as usize
            } else {
                0
            }
        };
        HELD_ACROSS_FORK.with(|h| *h.borrow_mut() = Some((threads, list, forking)));
    }

    extern "C" fn after_fork_in_parent() {
        HELD_ACROSS_FORK.with(|h| drop(h.borrow_mut().take()));
    }

    /// In the child only the forking thread exists: operations that were
    /// running on other threads are not, and their thread VALUEs are stale.
    extern "C" fn after_fork_in_child() {
        HELD_ACROSS_FORK.with(|h| {
            if let Some((mut threads, list, forking)) = h.borrow_mut().take() {
                for (w, thread) in list.iter().zip(threads.iter_mut()) {
                    // The forking thread's own operation (fork inside a
                    // callback) goes on in the child.
                    if forking == 0 || **thread != forking {
                        w.active.store(false, Ordering::SeqCst);
                        **thread = 0;
                    }
                }
                drop(threads);
                drop(list);
            }
        });
    }

    /// One poll of every running operation; whether to poll again.
    fn poll() -> bool {
        let watched = watched().lock().unwrap_or_else(|e| e.into_inner());
        let mut any = false;
        for w in watched.iter().filter(|w| w.active.load(Ordering::SeqCst)) {
            any = true;
            let interrupted = {
                let thread = w.thread.lock().unwrap_or_else(|e| e.into_inner());
                // SAFETY: the thread is inside the operation (while the lock
                // is held it cannot leave it); a racy read of its flags is benign.
                *thread != 0 && unsafe { rb_sys::rb_thread_interrupted(*thread as rb_sys::VALUE) } != 0
            };
            if !interrupted || w.serving.load(Ordering::SeqCst) {
                w.pending.store(0, Ordering::SeqCst);
            } else if w.pending.fetch_add(1, Ordering::SeqCst) + 1 >= GRACE {
                w.pending.store(0, Ordering::SeqCst);
                w.stopper.stop();
            }
            if !w.requested.swap(true, Ordering::SeqCst) {
                let data = Arc::into_raw(Arc::clone(w)) as *mut c_void;
                if !w.stopper.handle().request_interrupt(serve, data) {
                    // SAFETY: V8 did not take it (the isolate is gone).
                    drop(unsafe { Arc::from_raw(data as *const Watched) });
                }
            }
        }
        let now = epoch().elapsed().as_millis() as u64;
        if any {
            LAST_ACTIVE.store(now, Ordering::SeqCst);
        }
        any || now.saturating_sub(LAST_ACTIVE.load(Ordering::SeqCst)) < LINGER.as_millis() as u64
    }

    /// An isolate's place in the poller's list, for as long as it exists.
    pub struct Registration(Arc<Watched>);

    impl Registration {
        pub fn new(stopper: Stopper) -> Self {
            let watched = Arc::new(Watched {
                active: AtomicBool::new(false),
                thread: Mutex::new(0),
                pending: AtomicU32::new(0),
                serving: AtomicBool::new(false),
                stopper,
                requested: AtomicBool::new(false),
            });
            super::interrupts::watched().lock().unwrap_or_else(|e| e.into_inner()).push(Arc::clone(&watched));
            Registration(watched)
        }

        /// Marks an operation of this isolate running on the calling Ruby
        /// thread until the guard drops. GVL held.
        pub fn begin(&self) -> Active<'_> {
            let w = &*self.0;
            // SAFETY: GVL held.
            *w.thread.lock().unwrap_or_else(|e| e.into_inner()) = unsafe { rb_sys::rb_thread_current() } as usize;
            // A request V8 dropped (none is served while no JS runs, and a
            // Locker resets V8's interrupt flags) must not block new ones.
            w.requested.store(false, Ordering::SeqCst);
            w.pending.store(0, Ordering::SeqCst);
            w.active.store(true, Ordering::SeqCst);
            rusty_racer_runtime::wake_periodic();
            Active(w)
        }
    }

    impl Drop for Registration {
        fn drop(&mut self) {
            watched().lock().unwrap_or_else(|e| e.into_inner()).retain(|x| !Arc::ptr_eq(x, &self.0));
        }
    }

    /// An operation in progress (see `Registration::begin`).
    pub struct Active<'a>(&'a Watched);

    impl Drop for Active<'_> {
        fn drop(&mut self) {
            self.0.active.store(false, Ordering::SeqCst);
            *self.0.thread.lock().unwrap_or_else(|e| e.into_inner()) = 0;
        }
    }

    /// The V8 interrupt, on the thread running the isolate's JS. Must not
    /// unwind, and no JavaScript may run inside it (`without_js`).
    unsafe extern "C" fn serve(isolate: v8::UnsafeRawIsolatePtr, data: *mut c_void) {
        // SAFETY: `data` is the Arc the poller leaked for this request.
        let watched = unsafe { Arc::from_raw(data as *const Watched) };
        watched.requested.store(false, Ordering::SeqCst);
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let released = super::RELEASED.with(std::cell::Cell::get);
            // SAFETY: this thread's own Ruby thread; a racy read of its flags.
            let interrupted = unsafe { rb_sys::rb_thread_interrupted(rb_sys::rb_thread_current()) } != 0;
            if released && !interrupted {
                return; // other Ruby threads run already, and nothing is pending here
            }
            watched.serving.store(true, Ordering::SeqCst);
            // The exception is kept (marked) before the GVL may be released
            // again: a Ruby value on this stack is below what Ruby's GC scans.
            // (with_gvl keeps the exception of a non-local exit itself.)
            let served = rusty_racer_runtime::without_js(|| {
                super::with_gvl(|ruby| match super::check_interrupts() {
                    Ok(()) => false,
                    Err(e) => {
                        super::set_pending(ruby, e);
                        true
                    }
                })
            });
            watched.serving.store(false, Ordering::SeqCst);
            if !matches!(served, Ok(false)) {
                // SAFETY: the isolate is running on this thread (V8 calls us from it).
                rusty_racer_runtime::stop_isolate(&unsafe { v8::Isolate::from_raw_isolate_ptr(isolate) });
            }
        }));
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
    serve_interrupts(false)
}

/// Gives other Ruby threads a turn (as `Thread.pass` does), then serves
/// this thread's interrupts, as `check_interrupts`.
pub fn pass_turn() -> Result<(), Error> {
    serve_interrupts(true)
}

fn serve_interrupts(pass_turn: bool) -> Result<(), Error> {
    magnus::rb_sys::protect(|| {
        // SAFETY: called with the GVL held, inside rb_protect.
        unsafe {
            if pass_turn {
                rb_sys::rb_thread_schedule();
            }
            rb_sys::rb_thread_check_ints();
        }
        rb_sys::Qnil as rb_sys::VALUE
    })
    .map(|_| ())
}
