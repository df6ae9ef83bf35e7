//! The heap limit: near it, the running JS is stopped and given room to
//! unwind; the operation then fails with `ErrorKind::OutOfMemory`, the
//! garbage is collected and the limit re-armed. Installed on every isolate:
//! without a `memory_limit`, V8's own ceiling would otherwise abort the
//! process.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{ErrorKind, JsError};
use crate::isolate::Isolate;
use crate::termination::Stopper;

/// Room given past the limit so the stopped JS can unwind: enough for the
/// largest single allocation V8 makes on the heap (an array of 2**27
/// elements, 1 GiB, copied while its elements change kind).
const UNWIND_ROOM: usize = 2 << 30;

/// State of the near-heap-limit callback; boxed so its address is stable.
pub(crate) struct OomState {
    pub(crate) stopper: Stopper,
    pub(crate) hit: AtomicBool,
    /// The ArrayBuffer budget, if any: a refused buffer makes V8 collect
    /// all garbage, which calls us although the heap is fine.
    pub(crate) budget: Option<std::sync::Arc<BufferBudget>>,
    /// The limit was raised for such a buffer and is to be re-armed.
    raised: AtomicBool,
    /// The limit to re-arm (V8's initial one), once the callback has run.
    initial: AtomicUsize,
}

impl OomState {
    pub(crate) fn new(stopper: Stopper, budget: Option<std::sync::Arc<BufferBudget>>) -> Box<Self> {
        Box::new(OomState {
            stopper,
            hit: AtomicBool::new(false),
            budget,
            raised: AtomicBool::new(false),
            initial: AtomicUsize::new(0),
        })
    }

    pub(crate) fn install(&self, isolate: &mut v8::Isolate) {
        isolate.add_near_heap_limit_callback(near_heap_limit, self as *const OomState as *mut c_void);
    }
}

/// Near the heap limit: stop the script and give it room to unwind.
unsafe extern "C" fn near_heap_limit(data: *mut c_void, current: usize, initial: usize) -> usize {
    // SAFETY: `data` is the isolate's boxed OomState, alive as long as the isolate.
    let state = unsafe { &*(data as *const OomState) };
    let _ = state.initial.compare_exchange(0, initial, Ordering::SeqCst, Ordering::SeqCst);
    if state.budget.as_ref().is_some_and(|b| b.refused.swap(false, Ordering::SeqCst)) {
        // Not the heap's doing: let the buffer fail with its RangeError.
        state.raised.store(true, Ordering::SeqCst);
        return current.saturating_add(UNWIND_ROOM.max(current));
    }
    state.hit.store(true, Ordering::SeqCst);
    state.stopper.stop();
    current.saturating_add(UNWIND_ROOM.max(current))
}

impl Isolate {
    /// Whether the heap limit stopped the running operation (clears it).
    pub(crate) fn take_out_of_memory(&self) -> bool {
        self.oom.hit.swap(false, Ordering::SeqCst)
    }

    /// The same, for a nested operation: the outermost one recovers.
    pub(crate) fn out_of_memory_pending(&self) -> bool {
        self.oom.hit.load(Ordering::SeqCst)
    }

    /// At the end of an outermost operation: the heap limit back where it
    /// was if a refused buffer raised it.
    pub(crate) fn rearm_heap_limit(&self, isolate: &mut v8::Isolate) {
        // A buffer refused in this operation says nothing of later ones.
        if let Some(budget) = &self.oom.budget {
            budget.refused.store(false, Ordering::SeqCst);
        }
        // The limit was hit but the operation was not stopped by it (its JS
        // finished before the stop landed): recover all the same, so the
        // raised limit and the flag do not outlive it.
        if self.oom.hit.swap(false, Ordering::SeqCst) {
            self.recover_from_out_of_memory(isolate);
        } else if self.oom.raised.swap(false, Ordering::SeqCst) {
            self.rearm(isolate);
        }
    }

    /// After an out-of-memory stop, with the stopped JS unwound: collects
    /// its garbage and puts the limit back where it was.
    pub(crate) fn recover_from_out_of_memory(&self, isolate: &mut v8::Isolate) {
        isolate.low_memory_notification();
        self.oom.raised.store(false, Ordering::SeqCst);
        self.rearm(isolate);
    }

    fn rearm(&self, isolate: &mut v8::Isolate) {
        let initial = self.oom.initial.load(Ordering::SeqCst);
        isolate.remove_near_heap_limit_callback(near_heap_limit, initial);
        self.oom.install(isolate);
    }

    pub(crate) fn out_of_memory_error(&self) -> JsError {
        let mb = |bytes: usize| bytes.div_ceil(1 << 20);
        let message = if self.options.memory_limit > 0 {
            format!("JavaScript ran out of memory (the isolate's memory_limit of {} MB)", mb(self.options.memory_limit))
        } else {
            let initial = self.oom.initial.load(Ordering::SeqCst);
            format!(
                "JavaScript ran out of memory (V8's heap limit of {} MB; set memory_limit to choose one)",
                mb(initial)
            )
        };
        JsError::new(ErrorKind::OutOfMemory, message)
    }
}

/// ArrayBuffer memory of an isolate with a `memory_limit`: the buffers alive
/// at once may hold up to that many bytes (apart from the JS heap, which has
/// the same limit); an allocation past it fails in JS with a RangeError
/// ("Array buffer allocation failed"). Shared by V8 across threads.
pub(crate) struct BufferBudget {
    limit: usize,
    used: AtomicUsize,
    /// A buffer was refused since the heap-limit callback last looked.
    refused: AtomicBool,
    /// Contexts being made: their buffers (a snapshot's, deserialized)
    /// are counted but never refused, as V8 aborts on a refusal there.
    making_context: AtomicUsize,
}

const BUFFER_ALIGN: usize = 16;

fn buffer_layout(len: usize) -> Option<std::alloc::Layout> {
    std::alloc::Layout::from_size_align(len.max(1), BUFFER_ALIGN).ok()
}

impl BufferBudget {
    fn reserve(&self, len: usize) -> bool {
        let reserved = self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                let lifted = self.making_context.load(Ordering::SeqCst) > 0;
                used.checked_add(len).filter(|total| lifted || *total <= self.limit)
            })
            .is_ok();
        if reserved {
            // V8 retries a refused buffer after collecting garbage: once it
            // fits, a later heap-limit call is the heap's again.
            self.refused.store(false, Ordering::SeqCst);
        }
        reserved
    }

    fn allocate(&self, len: usize, zeroed: bool) -> *mut c_void {
        let Some(layout) = buffer_layout(len) else { return std::ptr::null_mut() };
        if !self.reserve(len) {
            self.refused.store(true, Ordering::SeqCst);
            return std::ptr::null_mut();
        }
        // SAFETY: a non-zero size and a valid alignment.
        let data = unsafe {
            if zeroed {
                std::alloc::alloc_zeroed(layout)
            } else {
                std::alloc::alloc(layout)
            }
        };
        if data.is_null() {
            self.used.fetch_sub(len, Ordering::SeqCst);
        }
        data.cast()
    }
}

unsafe extern "C" fn budget_allocate(budget: &BufferBudget, len: usize) -> *mut c_void {
    budget.allocate(len, true)
}

unsafe extern "C" fn budget_allocate_uninitialized(budget: &BufferBudget, len: usize) -> *mut c_void {
    budget.allocate(len, false)
}

unsafe extern "C" fn budget_free(budget: &BufferBudget, data: *mut c_void, len: usize) {
    if data.is_null() {
        return;
    }
    if let Some(layout) = buffer_layout(len) {
        // SAFETY: allocated by `allocate` with the same length (V8 passes it back).
        unsafe { std::alloc::dealloc(data.cast(), layout) };
        budget.used.fetch_sub(len, Ordering::SeqCst);
    }
}

unsafe extern "C" fn budget_drop(budget: *const BufferBudget) {
    // SAFETY: the Arc given to `new_rust_allocator` in `budget_allocator`.
    drop(unsafe { std::sync::Arc::from_raw(budget) });
}

static BUDGET_VTABLE: v8::RustAllocatorVtable<BufferBudget> = v8::RustAllocatorVtable {
    allocate: budget_allocate,
    allocate_uninitialized: budget_allocate_uninitialized,
    free: budget_free,
    drop: budget_drop,
};

impl BufferBudget {
    pub(crate) fn new(limit: usize) -> std::sync::Arc<Self> {
        std::sync::Arc::new(BufferBudget {
            limit,
            used: AtomicUsize::new(0),
            refused: AtomicBool::new(false),
            making_context: AtomicUsize::new(0),
        })
    }

    /// An ArrayBuffer allocator that keeps the buffers within the budget.
    pub(crate) fn allocator(self: &std::sync::Arc<Self>) -> v8::UniqueRef<v8::Allocator> {
        let handle = std::sync::Arc::into_raw(std::sync::Arc::clone(self));
        // SAFETY: the vtable's functions expect exactly this handle; V8 calls
        // `drop` once, when the allocator goes.
        unsafe { v8::new_rust_allocator(handle, &BUDGET_VTABLE) }
    }
}

impl Isolate {
    /// A new context for realm `id` (from the isolate's snapshot, if any)
    /// with its helpers, before user code runs: its deserialized buffers
    /// are not refused, and its WebAssembly is held to the memory limit.
    /// `first`: the isolate's first realm, made before any JS of it ran.
    pub(crate) fn fresh_context<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_, ()>,
        id: crate::isolate::ContextId,
        first: bool,
    ) -> v8::Local<'s, v8::Context> {
        let budget = self.oom.budget.as_ref();
        if let Some(b) = budget {
            b.making_context.fetch_add(1, Ordering::SeqCst);
        }
        let context = v8::Context::new(scope, Default::default());
        crate::realm_helpers::install_helper(scope, context, id, self.options.memory_limit, first);
        if let Some(b) = budget {
            b.making_context.fetch_sub(1, Ordering::SeqCst);
        }
        context
    }

    /// V8's heap statistics, by name (bytes, and context counts).
    pub fn heap_statistics(&self) -> Result<Vec<(&'static str, usize)>, JsError> {
        self.enter(|isolate, _| {
            let s = isolate.get_heap_statistics();
            vec![
                ("used_heap_size", s.used_heap_size()),
                ("total_heap_size", s.total_heap_size()),
                ("total_physical_size", s.total_physical_size()),
                ("heap_size_limit", s.heap_size_limit()),
                ("malloced_memory", s.malloced_memory()),
                ("peak_malloced_memory", s.peak_malloced_memory()),
                ("external_memory", s.external_memory()),
                ("number_of_native_contexts", s.number_of_native_contexts()),
                ("number_of_detached_contexts", s.number_of_detached_contexts()),
            ]
        })
    }

    /// A full garbage collection, as V8 does under memory pressure.
    pub fn low_memory_notification(&self) -> Result<(), JsError> {
        self.enter(|isolate, _| isolate.low_memory_notification())
    }

    /// The heap as a `.heapsnapshot` (the JSON Chrome DevTools reads).
    pub fn heap_snapshot(&self) -> Result<Vec<u8>, JsError> {
        self.enter(|isolate, _| {
            let mut out = Vec::new();
            isolate.take_heap_snapshot(|chunk| {
                out.extend_from_slice(chunk);
                true
            });
            out
        })
    }
}
