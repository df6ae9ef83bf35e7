//! A confined isolate's V8 thread state, parked on its thread between
//! operations.
//!
//! Each operation takes the isolate's `v8::Locker`. A top-level Locker
//! initialises V8's per-thread state when it is made (stack guard, handle
//! scope blocks) and frees it when it goes: perf put that at about a fifth
//! of a `Context#call`. A Locker made inside an `Unlocker` is not top-level:
//! it restores the state the Unlocker archived, and archives it again when
//! it goes, both lazily (nothing is copied while no other thread takes the
//! lock). So the isolate's thread keeps one Locker + Unlocker pair, made
//! once: between operations the lock is free (another thread may take it;
//! V8 then archives this thread's state for real), and each operation's
//! Locker is a cheap nested one.
//!
//! The pair is undone on its thread when the isolate goes. From any other
//! thread it is left as it is: V8 frees the archived state with the
//! isolate, and a Locker that runs where its thread's state is not parked is
//! simply a top-level one again. A misidentified thread therefore costs
//! speed, never correctness.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};

unsafe extern "C" {
    // The crate's own C++ shims (src/binding.cc), not wrapped for this use.
    fn v8__Locker__CONSTRUCT(buf: *mut RawLocker, isolate: *mut c_void);
    fn v8__Locker__DESTRUCT(this: *mut RawLocker);
    fn v8__Unlocker__CONSTRUCT(buf: *mut RawUnlocker, isolate: *mut c_void);
    fn v8__Unlocker__DESTRUCT(this: *mut RawUnlocker);
}

/// Storage of a `v8::Locker` (two flags and the isolate; the crate's sizes,
/// checked by a static_assert in its binding.cc).
#[repr(C)]
struct RawLocker([usize; 2]);
/// Storage of a `v8::Unlocker` (the isolate).
#[repr(C)]
struct RawUnlocker([usize; 1]);

thread_local! {
    static THREAD: Cell<u64> = const { Cell::new(0) };
}
static NEXT_THREAD: AtomicU64 = AtomicU64::new(1);

/// This thread's number (never reused, unlike thread ids of dead threads).
fn this_thread() -> u64 {
    THREAD.with(|t| {
        if t.get() == 0 {
            t.set(NEXT_THREAD.fetch_add(1, Ordering::Relaxed));
        }
        t.get()
    })
}

pub(crate) struct Park {
    locker: Box<RawLocker>,
    unlocker: Box<RawUnlocker>,
    thread: u64,
}

impl Park {
    /// Parks `isolate`'s thread state on this thread.
    ///
    /// # Safety
    /// `isolate` is live, and no thread holds its lock or will while this
    /// runs; this thread has not entered it.
    pub(crate) unsafe fn new(isolate: *mut c_void) -> Park {
        let mut locker = Box::new(RawLocker([0; 2]));
        let mut unlocker = Box::new(RawUnlocker([0; 1]));
        // SAFETY: the caller's promise; the Unlocker archives this thread's
        // state (lazily) and releases the lock the Locker took.
        unsafe {
            v8__Locker__CONSTRUCT(&mut *locker, isolate);
            v8__Unlocker__CONSTRUCT(&mut *unlocker, isolate);
        }
        Park { locker, unlocker, thread: this_thread() }
    }

    /// Undoes the pair on its own thread (the state is freed as a top-level
    /// Locker frees it); elsewhere leaves the state to the isolate's disposal.
    ///
    /// # Safety
    /// The isolate is live and not locked by this thread, and no operation of
    /// it is open.
    pub(crate) unsafe fn release(mut self) {
        if self.thread != this_thread() {
            return;
        }
        // SAFETY: made by `new` on this thread, destroyed in reverse order:
        // the Unlocker relocks and restores, the Locker frees and unlocks.
        unsafe {
            v8__Unlocker__DESTRUCT(&mut *self.unlocker);
            v8__Locker__DESTRUCT(&mut *self.locker);
        }
    }
}
