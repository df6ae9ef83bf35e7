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
    /// The threads waiting, first come first served: a free turn goes to
    /// the first, so a thread that keeps coming back cannot starve them.
    queue: std::collections::VecDeque<u64>,
}

#[derive(Default)]
pub struct Turn {
    held: Mutex<Held>,
    freed: Condvar,
    /// Which thread holds it, readable without the mutex (only the holder
    /// itself can find its own number here).
    holder: AtomicU64,
}

/// One open turn; the thread lets go when its last one drops. Not Send:
/// it must be dropped on the thread that holds the turn.
pub struct TurnGuard<'a>(&'a Turn, std::marker::PhantomData<*const ()>);

impl Turn {
    fn held(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this thread holds the turn.
    pub fn is_mine(&self) -> bool {
        self.holder.load(Ordering::Acquire) == this_thread()
    }

    /// Whether some thread holds the turn.
    pub fn is_held(&self) -> bool {
        self.holder.load(Ordering::Acquire) != 0
    }

    /// The turn for `me` if it holds it, or if it is free and nobody
    /// waits before `me`.
    fn grant<'a>(&'a self, held: &mut Held, me: u64) -> Option<TurnGuard<'a>> {
        if held.thread == 0 && held.queue.front().is_none_or(|first| *first == me) {
            if held.queue.front() == Some(&me) {
                held.queue.pop_front();
            }
            held.thread = me;
            self.holder.store(me, Ordering::Release);
        }
        (held.thread == me).then(|| {
            held.depth += 1;
            TurnGuard(self, std::marker::PhantomData)
        })
    }

    /// Takes the turn if it is free or already this thread's; never waits.
    pub fn try_take(&self) -> Option<TurnGuard<'_>> {
        let me = this_thread();
        self.grant(&mut self.held(), me)
    }

    /// Waits for the turn; Ok(None) once `cancelled` is set (see `wake`).
    pub fn take_waiting(&self, cancelled: &AtomicBool) -> Result<Option<TurnGuard<'_>>, Deadlock> {
        self.wait(Some(cancelled))
    }

    /// Waits for the turn, however long (unless that would be forever).
    pub fn take(&self) -> Result<TurnGuard<'_>, Deadlock> {
        loop {
            if let Some(guard) = self.wait(None)? {
                return Ok(guard);
            }
        }
    }

    fn wait(&self, cancelled: Option<&AtomicBool>) -> Result<Option<TurnGuard<'_>>, Deadlock> {
        let me = this_thread();
        if let Some(guard) = self.try_take() {
            return Ok(Some(guard));
        }
        let _waiting = Waiting::register(self, me)?;
        let mut held = self.held();
        held.queue.push_back(me);
        loop {
            if let Some(guard) = self.grant(&mut held, me) {
                return Ok(Some(guard));
            }
            if cancelled.is_some_and(|c| c.load(Ordering::SeqCst)) {
                // Out of the line; the next in it may be able to go now.
                held.queue.retain(|t| *t != me);
                drop(held);
                self.freed.notify_all();
                return Ok(None);
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

/// Waiting would never end: the turn's holder waits (maybe through others)
/// for a turn this thread holds, as when two threads are each in a
/// callback of one isolate that uses the other's.
#[derive(Debug)]
pub struct Deadlock;

impl std::fmt::Display for Deadlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "deadlock: the thread-safe isolate is held by a thread that is waiting for an isolate this thread \
             holds (each is inside a callback that needs the other's isolate); this operation is refused so \
             the other can finish",
        )
    }
}

/// The threads waiting for a turn, and for which: read to find a cycle.
static WAITING: Mutex<Vec<(u64, usize)>> = Mutex::new(Vec::new());

/// This thread's entry in WAITING while it waits.
struct Waiting(u64);

impl Waiting {
    /// Registers `me` as waiting for `turn`, unless that closes a cycle.
    fn register(turn: &Turn, me: u64) -> Result<Waiting, Deadlock> {
        let mut waiting = WAITING.lock().unwrap_or_else(|e| e.into_inner());
        let mut holder = turn.holder.load(Ordering::Acquire);
        // A chain of waits longer than the threads waiting is a stale read.
        for _ in 0..=waiting.len() {
            if holder == me {
                return Err(Deadlock);
            }
            let Some(&(_, next)) = waiting.iter().find(|(t, _)| *t == holder) else { break };
            // SAFETY: a registered turn outlives its waiter's entry (the
            // waiter borrows it while it waits).
            holder = unsafe { &*(next as *const Turn) }.holder.load(Ordering::Acquire);
        }
        waiting.push((me, turn as *const Turn as usize));
        Ok(Waiting(me))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING.lock().unwrap_or_else(|e| e.into_inner()).retain(|(t, _)| *t != self.0);
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
            // Every waiter looks: only the first in line takes it.
            self.0.freed.notify_all();
        }
    }
}
