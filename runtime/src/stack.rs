//! The JS stack limit, set from the running thread's real stack.
//!
//! V8 derives each thread's limit from `--stack-size` below the top of the
//! thread's stack, which goes wrong on stacks it does not expect (Ruby's
//! threads). The crate does not wrap `Isolate::SetStackLimit`, but the
//! archive exports it; each outermost operation sets the limit from the
//! current stack pointer and the thread's stack bounds.

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

/// Whether the current frame is on this thread's own stack (not a Fiber's).
/// V8 aborts the process if JS overflows or is interrupted on another stack.
pub fn on_thread_stack() -> bool {
    let here = 0u8;
    let here = &here as *const u8 as usize;
    STACK.with(|s| s.is_none_or(|(bottom, size)| (bottom..bottom + size).contains(&here)))
}

/// The stack limit for JS on this thread: the thread's own stack less a
/// margin (the same for every call, so it is set once per thread).
pub fn limit_for_current_thread() -> usize {
    match STACK.with(|s| *s) {
        Some((bottom, _)) => bottom.saturating_add(MARGIN),
        None => {
            let here = 0u8;
            (&here as *const u8 as usize).saturating_sub(FALLBACK_JS_STACK)
        }
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
        _ => usize::MAX,
    })
}
