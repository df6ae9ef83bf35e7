//! One lazily started thread that terminates isolates whose operation ran
//! past its deadline. An operation registers a deadline and gets a guard;
//! dropping the guard cancels it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::termination::Stopper;

struct Entry {
    deadline: Instant,
    stopper: Stopper,
    fired: Arc<AtomicBool>,
}

struct Watchdog {
    entries: Mutex<Vec<Entry>>,
    wake: Condvar,
}

static WATCHDOG: OnceLock<Option<Arc<Watchdog>>> = OnceLock::new();

/// The watchdog, started on first use (None if no thread could be spawned).
fn watchdog() -> Option<&'static Arc<Watchdog>> {
    WATCHDOG
        .get_or_init(|| {
            let dog = Arc::new(Watchdog { entries: Mutex::new(Vec::new()), wake: Condvar::new() });
            let thread_dog = Arc::clone(&dog);
            std::thread::Builder::new()
                .name("rusty_racer-watchdog".into())
                .spawn(move || thread_dog.run())
                .ok()
                .map(|_| dog)
        })
        .as_ref()
}

impl Watchdog {
    fn run(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            entries.retain(|e| {
                if e.deadline <= now {
                    e.fired.store(true, Ordering::SeqCst);
                    e.stopper.stop();
                    false
                } else {
                    true
                }
            });
            let next = entries.iter().map(|e| e.deadline).min();
            entries = match next {
                Some(d) => match self.wake.wait_timeout(entries, d.saturating_duration_since(Instant::now())) {
                    Ok((guard, _)) => guard,
                    Err(poisoned) => poisoned.into_inner().0,
                },
                None => self.wake.wait(entries).unwrap_or_else(|poisoned| poisoned.into_inner()),
            };
        }
    }
}

/// A registered deadline; dropping it unregisters.
pub struct Deadline {
    fired: Arc<AtomicBool>,
}

impl Deadline {
    /// Whether the watchdog terminated the isolate for this deadline.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        let Some(dog) = watchdog() else { return };
        let mut entries = dog.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|e| !Arc::ptr_eq(&e.fired, &self.fired));
    }
}

/// Terminates `handle`'s isolate after `timeout` unless the guard is dropped
/// first. Without a watchdog thread (none could be spawned) it never fires.
pub fn arm(stopper: &Stopper, timeout: Duration) -> Deadline {
    let fired = Arc::new(AtomicBool::new(false));
    let Some(dog) = watchdog() else { return Deadline { fired } };
    // A deadline past what Instant can hold never fires.
    let Some(deadline) = Instant::now().checked_add(timeout) else { return Deadline { fired } };
    let mut entries = dog.entries.lock().unwrap_or_else(|e| e.into_inner());
    entries.push(Entry { deadline, stopper: stopper.clone(), fired: Arc::clone(&fired) });
    dog.wake.notify_one();
    Deadline { fired }
}
