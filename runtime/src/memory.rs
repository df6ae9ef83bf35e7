//! The heap limit: near it, the running JS is stopped and given room to
//! unwind; the operation then fails with `ErrorKind::OutOfMemory`.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::isolate::Isolate;
use crate::termination::Stopper;

/// State of the near-heap-limit callback; boxed so its address is stable.
pub(crate) struct OomState {
    pub(crate) stopper: Stopper,
    pub(crate) hit: AtomicBool,
}

/// Near the heap limit: stop the script and give it room to unwind.
pub(crate) unsafe extern "C" fn near_heap_limit(data: *mut c_void, current: usize, _initial: usize) -> usize {
    // SAFETY: `data` is the isolate's boxed OomState, alive as long as the isolate.
    let state = unsafe { &*(data as *const OomState) };
    state.hit.store(true, Ordering::SeqCst);
    state.stopper.stop();
    current.saturating_mul(2)
}

impl Isolate {
    pub(crate) fn restore_heap_limit(&self, isolate: &mut v8::Isolate) {
        if let Some(oom) = &self.oom {
            isolate.remove_near_heap_limit_callback(near_heap_limit, self.options.memory_limit);
            let data = &**oom as *const OomState as *mut c_void;
            isolate.add_near_heap_limit_callback(near_heap_limit, data);
        }
    }
}
