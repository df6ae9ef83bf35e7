use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Names a native thread for the owner-thread check. Tokens are never
/// reused, unlike OS thread ids. In Ruby 3.1 each Ruby `Thread` is one
/// native thread, so "owner thread" means the Ruby Thread too.
pub type ThreadToken = u64;

static NEXT: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static TOKEN: Cell<ThreadToken> = const { Cell::new(0) };
}

/// The calling thread's token: a thread-local read once assigned.
#[inline]
pub fn current_thread() -> ThreadToken {
    TOKEN.with(|t| {
        let v = t.get();
        if v != 0 {
            return v;
        }
        let v = NEXT.fetch_add(1, Ordering::Relaxed);
        t.set(v);
        v
    })
}
