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

/// JS may use at most this much stack below the embedder's frame.
const JS_STACK: usize = 512 * 1024;
/// Left free above the bottom of the thread's stack (guard page, Ruby, Rust).
const MARGIN: usize = 96 * 1024;

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

/// Sets `isolate`'s stack limit for JS entered from the current frame.
pub fn set_for_current_thread(isolate: &mut v8::Isolate) {
    let here = &isolate as *const _ as usize;
    let limit = match STACK.with(|s| *s) {
        Some((bottom, _)) => here.saturating_sub(JS_STACK).max(bottom.saturating_add(MARGIN)).min(here),
        None => here.saturating_sub(JS_STACK),
    };
    // SAFETY: `v8::Isolate` is a transparent wrapper of the C++ isolate pointer.
    let raw: *mut c_void = unsafe { std::mem::transmute(isolate.as_raw_isolate_ptr()) };
    unsafe { v8_isolate_set_stack_limit(raw, limit) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn this_frame_is_on_the_thread_stack() {
        assert!(super::on_thread_stack());
    }

    #[test]
    fn the_thread_stack_is_below_us() {
        let here = 0u8;
        let (bottom, size) = super::thread_stack().expect("pthread_getattr_np");
        assert!((bottom..bottom + size).contains(&(&here as *const u8 as usize)));
    }
}
