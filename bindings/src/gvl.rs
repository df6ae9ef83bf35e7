//! Releasing the GVL while JavaScript runs, and taking it back for Ruby
//! callbacks. The only place that conjures a `Ruby` handle.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use magnus::{Error, Ruby};
use rusty_racer_runtime::{v8, Gate};

thread_local! {
    /// Whether this thread released the GVL for JS and has not taken it back.
    static RELEASED: Cell<bool> = const { Cell::new(false) };
    /// An interrupt Ruby delivered (Thread#kill, Thread#raise, Timeout) while
    /// JS ran: raised once the operation has unwound V8.
    static PENDING: RefCell<Option<Error>> = const { RefCell::new(None) };
}

/// The Gate for the runtime: runs JS without the GVL, with an unblocking
/// function that terminates the isolate, so Thread#kill and Timeout stop JS.
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
        unsafe extern "C" fn unblock(data: *mut c_void) {
            // SAFETY: `data` is the handle below; IsolateHandle is thread-safe.
            let handle = unsafe { &*(data as *const v8::IsolateHandle) };
            handle.terminate_execution();
        }
        let mut call = Call { work, panic: None };
        let call_ptr = &mut call as *mut Call as *mut c_void;
        let handle_ptr = handle as *const v8::IsolateHandle as *mut c_void;
        // Ruby may raise (deliver an interrupt) around the blocking region:
        // protect, so no longjmp crosses these frames or V8's.
        let outcome = magnus::rb_sys::protect(|| {
            // SAFETY: `run` touches no Ruby; `unblock` only terminates V8.
            unsafe { rb_sys::rb_thread_call_without_gvl(Some(run), call_ptr, Some(unblock), handle_ptr) };
            rb_sys::Qnil as rb_sys::VALUE
        });
        if let Some(panic) = call.panic.take() {
            resume_unwind(panic);
        }
        if let Err(e) = outcome {
            handle.terminate_execution();
            set_pending(e);
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
        call.protect = protected.err();
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

/// Keeps an interrupt to raise once the operation has unwound.
pub fn set_pending(e: Error) {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_none() {
            *p = Some(e);
        }
    });
}

pub fn take_pending() -> Option<Error> {
    PENDING.with(|p| p.borrow_mut().take())
}
