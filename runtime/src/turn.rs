//! Thread-safe isolates: any thread may use one, one thread at a time. The
//! thread whose turn it is holds the isolate for its outermost operation
//! (operations nested in it, on the same thread, re-enter); V8's `Locker`
//! is taken inside the turn, so it never waits. The turn exists because
//! the Locker cannot be waited for with a way out: a host waits for the
//! turn with its own global lock released (Ruby's GVL: the holder may need
//! it for a callback) and can be woken to serve an interrupt.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

static NEXT_THREAD: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static THREAD: Cell<u64> = const { Cell::new(0) };
}

/// This thread's number (never reused, unlike OS thread ids).
fn this_thread() -> u64 {
    THREAD.with(|t| {
        if t.get() == 0 {
            t.set(NEXT_THREAD.fetch_add(1, Ordering::Relaxed));
        }
        t.get()
    })
}

#[derive(Default)]
struct Held {
    /// The holding thread (0: free).
    thread: u64,
    /// Its turns open (nested operations each take one).
    depth: u32,
}

#[derive(Default)]
pub struct Turn {
    held: Mutex<Held>,
    freed: Condvar,
    /// Which thread holds it, readable without the mutex (only the holder
    /// itself can find its own number here).
    holder: AtomicU64,
}

/// One open turn; the thread lets go when its last one drops.
pub struct TurnGuard<'a>(&'a Turn);

impl Turn {
    fn held(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this thread holds the turn.
    pub fn is_mine(&self) -> bool {
        self.holder.load(Ordering::Acquire) == this_thread()
    }

    fn grant<'a>(&'a self, held: &mut Held, me: u64) -> Option<TurnGuard<'a>> {
        if held.thread == 0 {
            held.thread = me;
            self.holder.store(me, Ordering::Release);
        }
        (held.thread == me).then(|| {
            held.depth += 1;
            TurnGuard(self)
        })
    }

    /// Takes the turn if it is free or already this thread's; never waits.
    pub fn try_take(&self) -> Option<TurnGuard<'_>> {
        let me = this_thread();
        self.grant(&mut self.held(), me)
    }

    /// Waits for the turn; None once `cancelled` is set (see `wake`).
    pub fn take_waiting(&self, cancelled: &AtomicBool) -> Option<TurnGuard<'_>> {
        self.wait(Some(cancelled))
    }

    /// Waits for the turn, however long.
    pub fn take(&self) -> TurnGuard<'_> {
        loop {
            if let Some(guard) = self.wait(None) {
                return guard;
            }
        }
    }

    fn wait(&self, cancelled: Option<&AtomicBool>) -> Option<TurnGuard<'_>> {
        let me = this_thread();
        let mut held = self.held();
        loop {
            if let Some(guard) = self.grant(&mut held, me) {
                return Some(guard);
            }
            if cancelled.is_some_and(|c| c.load(Ordering::SeqCst)) {
                return None;
            }
            held = self.freed.wait(held).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Makes a `take_waiting` with this `cancelled` return (any thread).
    pub fn wake(&self, cancelled: &AtomicBool) {
        cancelled.store(true, Ordering::SeqCst);
        let _held = self.held();
        self.freed.notify_all();
    }
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        let mut held = self.0.held();
        held.depth -= 1;
        if held.depth == 0 {
            held.thread = 0;
            self.0.holder.store(0, Ordering::Release);
            drop(held);
            self.0.freed.notify_one();
        }
    }
}
