//! The one background thread of the process, started on first use. It
//! stops isolates whose operation ran past its deadline, terminates stops
//! whose interrupt did not land (`Stopper::force`), and runs the host's
//! periodic job (the Ruby binding's interrupt poll) while the host says it
//! is needed.
//!
//! After `fork` only the forking thread exists in the child: every entry
//! point checks the process id and starts a new thread in a new child.

use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::termination::{Stopper, FORCE_AFTER};

enum Action {
    /// An operation's time limit: stop, and say so through `fired`.
    Timeout(Arc<AtomicBool>),
    /// Terminate directly unless stop `serial` landed meanwhile.
    Force(u64),
}

struct Entry {
    deadline: Instant,
    stopper: Stopper,
    action: Action,
}

/// A job the host runs on this thread every `every` while it returns true;
/// `wake_periodic` starts it again.
#[derive(Clone, Copy)]
pub struct Periodic {
    pub job: fn() -> bool,
    pub every: Duration,
}

struct State {
    entries: Vec<Entry>,
    /// When the thread wakes next by itself (None: not until notified). An
    /// entry due later needs no wake-up: the thread looks again by then.
    /// (A wake-up per operation cost more than the operation.)
    wakes_at: Option<Instant>,
}

/// The periodic job is to run (it asked to go on, or was woken). Read by
/// the host on every operation, so an atomic rather than under the lock.
static TICKING: AtomicBool = AtomicBool::new(false);

struct Watchdog {
    state: Mutex<State>,
    wake: Condvar,
    /// The `FORKS` count of the process it runs in.
    pid: u32,
}

/// This process's watchdog (leaked: one per process, a forked child makes
/// its own), and the lock under which one is started.
static CURRENT: AtomicPtr<Watchdog> = AtomicPtr::new(std::ptr::null_mut());
static STARTING: Mutex<()> = Mutex::new(());
/// The host's periodic job, carried into forked children.
static PERIODIC: OnceLock<Periodic> = OnceLock::new();

/// Bumped in every forked child (a `pthread_atfork` handler): cheaper to
/// check per operation than the process id (getpid is a system call).
static FORKS: AtomicU32 = AtomicU32::new(0);

extern "C" fn forked_child() {
    FORKS.fetch_add(1, Ordering::SeqCst);
}

/// The watchdog of this process, started on first use (and again in a
/// forked child). None if no thread could be spawned.
fn watchdog() -> Option<&'static Watchdog> {
    let pid = FORKS.load(Ordering::Acquire);
    let current = CURRENT.load(Ordering::Acquire);
    // SAFETY: set below from a leaked Box, never freed.
    if let Some(dog) = unsafe { current.as_ref() }.filter(|d| d.pid == pid) {
        return Some(dog);
    }
    let _starting = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    static AT_FORK: std::sync::Once = std::sync::Once::new();
    // SAFETY: registers a handler that only bumps an atomic.
    AT_FORK.call_once(|| unsafe {
        libc::pthread_atfork(None, None, Some(forked_child));
    });
    // SAFETY: as above.
    if let Some(dog) = unsafe { CURRENT.load(Ordering::Acquire).as_ref() }.filter(|d| d.pid == pid) {
        return Some(dog);
    }
    // In a forked child the parent's entries belong to operations that are
    // not running here: a new watchdog starts empty.
    let dog: &'static Watchdog = Box::leak(Box::new(Watchdog {
        state: Mutex::new(State { entries: Vec::new(), wakes_at: None }),
        wake: Condvar::new(),
        pid,
    }));
    std::thread::Builder::new().name("rusty_racer-watchdog".into()).spawn(move || dog.run()).ok()?;
    CURRENT.store(dog as *const Watchdog as *mut Watchdog, Ordering::Release);
    Some(dog)
}

impl Watchdog {
    fn run(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut next_tick = Instant::now();
        loop {
            let now = Instant::now();
            let mut forced = Vec::new();
            state.entries.retain(|e| {
                if e.deadline > now {
                    return true;
                }
                match &e.action {
                    Action::Timeout(fired) => {
                        fired.store(true, Ordering::SeqCst);
                        let serial = e.stopper.request();
                        forced.push(Entry {
                            deadline: now + FORCE_AFTER,
                            stopper: e.stopper.clone(),
                            action: Action::Force(serial),
                        });
                    }
                    Action::Force(serial) => e.stopper.force(*serial),
                }
                false
            });
            state.entries.extend(forced);
            let periodic = PERIODIC.get().copied().filter(|_| TICKING.load(Ordering::SeqCst));
            if let Some(periodic) = periodic.filter(|_| now >= next_tick) {
                // Without the lock: the job may stop isolates (which
                // schedules a Force here).
                drop(state);
                if !(periodic.job)() {
                    // Asked to stop. Whoever needs it again sets its flag
                    // and then wakes us if TICKING is false: either that
                    // wake sees the false, or this second run sees the flag.
                    TICKING.store(false, Ordering::SeqCst);
                    if (periodic.job)() {
                        TICKING.store(true, Ordering::SeqCst);
                    }
                }
                state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                next_tick = Instant::now() + periodic.every;
                continue;
            }
            let next_deadline = state.entries.iter().map(|e| e.deadline).min();
            let next = match (periodic.is_some(), next_deadline) {
                (true, Some(d)) => Some(d.min(next_tick)),
                (true, None) => Some(next_tick),
                (false, d) => d,
            };
            state.wakes_at = next;
            state = match next {
                Some(at) => match self.wake.wait_timeout(state, at.saturating_duration_since(Instant::now())) {
                    Ok((guard, _)) => guard,
                    Err(poisoned) => poisoned.into_inner().0,
                },
                None => self.wake.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner()),
            };
        }
    }

    fn add(&self, entry: Entry) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let sooner = state.wakes_at.is_none_or(|at| entry.deadline < at);
        state.entries.push(entry);
        if sooner {
            state.wakes_at = Some(Instant::now());
            self.wake.notify_one();
        }
    }
}

/// A registered deadline; dropping it unregisters.
pub struct Deadline {
    fired: Arc<AtomicBool>,
}

impl Deadline {
    /// Whether the watchdog stopped the isolate for this deadline.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        let Some(dog) = watchdog() else { return };
        let mut state = dog.state.lock().unwrap_or_else(|e| e.into_inner());
        state.entries.retain(|e| !matches!(&e.action, Action::Timeout(f) if Arc::ptr_eq(f, &self.fired)));
    }
}

/// Stops `stopper`'s isolate after `timeout` unless the guard is dropped
/// first. Without a watchdog thread (none could be spawned) it never fires.
pub fn arm(stopper: &Stopper, timeout: Duration) -> Deadline {
    let fired = Arc::new(AtomicBool::new(false));
    let Some(dog) = watchdog() else { return Deadline { fired } };
    // A deadline past what Instant can hold never fires.
    let Some(deadline) = Instant::now().checked_add(timeout) else { return Deadline { fired } };
    dog.add(Entry { deadline, stopper: stopper.clone(), action: Action::Timeout(Arc::clone(&fired)) });
    Deadline { fired }
}

/// Terminates directly `FORCE_AFTER` from now unless stop `serial` lands.
pub(crate) fn force_later(stopper: &Stopper, serial: u64) {
    match watchdog() {
        Some(dog) => dog.add(Entry {
            deadline: Instant::now() + FORCE_AFTER,
            stopper: stopper.clone(),
            action: Action::Force(serial),
        }),
        None => {
            stopper.handle.terminate_execution();
        }
    }
}

/// Installs the host's periodic job (the first call's stays).
pub fn set_periodic(periodic: Periodic) {
    let _ = PERIODIC.set(periodic);
}

/// Runs the periodic job again (it stopped by returning false). One atomic
/// read when it is running already (and in the same process).
pub fn wake_periodic() {
    if TICKING.load(Ordering::SeqCst) && started_here() {
        return;
    }
    let Some(dog) = watchdog() else { return };
    let _state = dog.state.lock().unwrap_or_else(|e| e.into_inner());
    TICKING.store(true, Ordering::SeqCst);
    dog.wake.notify_one();
}

/// Whether this process's watchdog thread exists (not only a parent's).
fn started_here() -> bool {
    // SAFETY: a leaked Box, never freed.
    unsafe { CURRENT.load(Ordering::Acquire).as_ref() }.is_some_and(|d| d.pid == FORKS.load(Ordering::Acquire))
}
