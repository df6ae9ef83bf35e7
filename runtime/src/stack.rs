//! The JS stack limit, set from the running thread's real stack.
//!
//! V8 derives each thread's limit from `--stack-size` below the top of the
//! thread's stack, which goes wrong on stacks it does not expect (Ruby's
//! threads). The crate does not wrap `Isolate::SetStackLimit`, but the
//! archive exports it; each outermost operation sets the limit from the
//! current stack pointer and the thread's stack bounds.

use std::cell::Cell;
use std::ffi::c_void;

unsafe extern "C" {
    #[link_name = "_ZN2v87Isolate13SetStackLimitEm"]
    fn v8_isolate_set_stack_limit(isolate: *mut c_void, limit: usize);
}

/// Left free above the bottom of the thread's stack (guard page, and the
/// Ruby and Rust frames a host callback near the limit still needs).
const MARGIN: usize = 128 * 1024;
/// When the thread's bounds are unknown: JS may use this much below us.
const FALLBACK_JS_STACK: usize = 256 * 1024;

thread_local! {
    /// This thread's stack bounds, looked up once (for the main thread glibc
    /// reads /proc/self/maps, which is slow).
    static STACK: Option<(usize, usize)> = thread_stack();
}

/// This thread's stack as (lowest address, size), if the OS says.
pub fn thread_stack() -> Option<(usize, usize)> {
    // SAFETY: plain libc queries on the calling thread's attributes.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut base: *mut c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let ok = libc::pthread_attr_getstack(&attr, &mut base, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        ok.then_some((base as usize, size))
    }
}

thread_local! {
    /// Fiber stacks met on this thread, as (lowest address, size): Ruby's
    /// fiber pool reuses them, so each is looked up in /proc once.
    static FIBER_STACKS: std::cell::RefCell<Vec<(usize, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Fiber stacks remembered per thread (older ones are looked up again).
const FIBER_STACKS_KEPT: usize = 64;

/// Why JS cannot run on the current stack.
pub struct ForeignStack;

fn here() -> usize {
    let here = 0u8;
    &here as *const u8 as usize
}

fn is_main_thread() -> bool {
    // SAFETY: plain syscalls.
    unsafe { libc::getpid() == libc::gettid() }
}

/// The mapping of this process holding `addr`, as (lowest address, size).
fn mapping_of(addr: usize) -> Option<(usize, usize)> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let (start, end) = line.split(' ').next()?.split_once('-')?;
        let (start, end) = (usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?);
        (start..end).contains(&addr).then_some((start, end - start))
    })
}

/// The stack limit for JS on the stack in use: the lowest address of that
/// stack plus a margin. On the thread's own stack that is the same for
/// every call. On the main thread a Fiber's stack (Fiber, Enumerator) is
/// found in the process's mappings: its limit then follows that stack. On
/// other threads V8 cannot run JS on a Fiber's stack (its check that JS
/// runs on the thread's stack fails and aborts): `ForeignStack`.
pub fn in_use() -> Result<StackInUse, ForeignStack> {
    let here = here();
    let thread = |limit| StackInUse { limit, fiber: (0, 0) };
    match STACK.with(|s| *s) {
        Some((bottom, size)) if (bottom..bottom + size).contains(&here) => Ok(thread(bottom.saturating_add(MARGIN))),
        None => Ok(thread(here.saturating_sub(FALLBACK_JS_STACK))),
        Some(_) if !is_main_thread() => Err(ForeignStack),
        Some(_) => {
            let known = FIBER_STACKS.with(|f| f.borrow().iter().copied().find(|(b, s)| (*b..b + s).contains(&here)));
            let (bottom, size) = match known {
                Some(stack) => stack,
                None => {
                    let stack = mapping_of(here).ok_or(ForeignStack)?;
                    FIBER_STACKS.with(|f| {
                        let mut f = f.borrow_mut();
                        if f.len() == FIBER_STACKS_KEPT {
                            f.remove(0);
                        }
                        f.push(stack);
                    });
                    stack
                }
            };
            // A small fiber stack still leaves JS a little room.
            let margin = MARGIN.min(size / 4);
            Ok(StackInUse { limit: bottom.saturating_add(margin), fiber: (bottom + size, bottom) })
        }
    }
}

/// Whether the current frame is on a stack other than the thread's own
/// (a Fiber's).
pub fn on_fiber_stack() -> bool {
    let here = here();
    STACK.with(|s| s.is_some_and(|(bottom, size)| !(bottom..bottom + size).contains(&here)))
}

/// The stack an operation runs on: its JS limit, and for a Fiber's stack
/// its bounds as (start, lowest address) for V8 (else (0, 0)).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct StackInUse {
    pub limit: usize,
    fiber: (usize, usize),
}

thread_local! {
    /// The Fiber stack V8 is told it runs on (see the wraps below), or (0, 0).
    static FIBER_BOUNDS: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

impl StackInUse {
    /// Makes V8 see this stack as the thread's: its checks that JS runs on
    /// the thread's stack (`Isolate::IsOnCentralStack`, which aborts the
    /// process when it fails) read the stack's start and reserved limit.
    pub fn enter(&self, isolate: &mut v8::Isolate) {
        FIBER_BOUNDS.with(|b| b.set(self.fiber));
        set_limit(isolate, self.limit);
    }

    /// Tells V8 (through the wraps) which stack this thread runs on now,
    /// whatever isolate ran last; returns what was told before, for the
    /// operation to put back when it ends.
    pub fn claim_bounds(&self) -> (usize, usize) {
        FIBER_BOUNDS.with(|b| b.replace(self.fiber))
    }
}

/// Puts back the bounds `StackInUse::claim_bounds` returned.
pub fn restore_bounds(bounds: (usize, usize)) {
    FIBER_BOUNDS.with(|b| b.set(bounds));
}

// V8 reads the thread's stack bounds through these two (uncached calls
// into platform-posix from the rest of V8). The extension and the runtime
// tests link with `--wrap` for both (bindings/build.rs, runtime/build.rs): on a Fiber's stack
// the Fiber's bounds are returned.
unsafe extern "C" {
    fn __real__ZN2v84base5Stack13GetStackStartEv() -> usize;
    fn __real__ZN2v84base5Stack21GetReservedStackLimitEv() -> usize;
}

/// The Fiber stack V8 was told of, if the caller runs on it now (an
/// operation that ran on a Fiber leaves the bounds set; they apply only
/// while the stack in use is that Fiber's).
fn fiber_in_use() -> Option<(usize, usize)> {
    let (start, lowest) = FIBER_BOUNDS.with(Cell::get);
    let here = here();
    (start != 0 && (lowest..start).contains(&here)).then_some((start, lowest))
}

/// `v8::base::Stack::GetStackStart()`, wrapped.
#[unsafe(no_mangle)]
pub extern "C" fn __wrap__ZN2v84base5Stack13GetStackStartEv() -> usize {
    match fiber_in_use() {
        Some((start, _)) => start,
        // SAFETY: the wrapped function itself.
        None => unsafe { __real__ZN2v84base5Stack13GetStackStartEv() },
    }
}

/// `v8::base::Stack::GetReservedStackLimit()`, wrapped.
#[unsafe(no_mangle)]
pub extern "C" fn __wrap__ZN2v84base5Stack21GetReservedStackLimitEv() -> usize {
    match fiber_in_use() {
        Some((_, lowest)) => lowest,
        // SAFETY: the wrapped function itself.
        None => unsafe { __real__ZN2v84base5Stack21GetReservedStackLimitEv() },
    }
}

/// Sets `isolate`'s stack limit to `limit`.
pub fn set_limit(isolate: &mut v8::Isolate, limit: usize) {
    // SAFETY: `v8::Isolate` is a transparent wrapper of the C++ isolate pointer.
    let raw: *mut c_void = unsafe { std::mem::transmute(isolate.as_raw_isolate_ptr()) };
    unsafe { v8_isolate_set_stack_limit(raw, limit) };
}

/// Machine stack left below the current frame on this thread (usize::MAX
/// when the thread's bounds are unknown or this is not its stack).
#[inline]
pub fn remaining() -> usize {
    let here = 0u8;
    let here = &here as *const u8 as usize;
    STACK.with(|s| match *s {
        Some((bottom, size)) if (bottom..bottom + size).contains(&here) => here - bottom,
        // A Fiber's stack, as found when its operation began.
        Some(_) => FIBER_STACKS
            .with(|f| f.borrow().iter().copied().find(|(b, s)| (*b..b + s).contains(&here)))
            .map_or(usize::MAX, |(bottom, _)| here - bottom),
        None => usize::MAX,
    })
}
