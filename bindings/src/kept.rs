//! A V8 handle kept for a Ruby object (JSFunction, Script, Module): its
//! isolate's Core and its number there. Dropped (on whatever thread the GC
//! frees it) or disposed, it is only queued: the isolate releases the V8
//! handle at its next operation, under its lock, on its thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use magnus::{Error, Ruby};
use rusty_racer_runtime::HandleKind;

use crate::core::Core;
use crate::generated::ErrorClass;

pub struct KeptHandle {
    pub core: Arc<Core>,
    pub id: u32,
    kind: HandleKind,
    released: AtomicBool,
}

impl KeptHandle {
    pub fn new(core: Arc<Core>, kind: HandleKind, id: u32) -> Self {
        KeptHandle { core, id, kind, released: AtomicBool::new(false) }
    }

    /// Lets the V8 handle go now (idempotent).
    pub fn dispose(&self) {
        if !self.released.swap(true, Ordering::SeqCst) {
            if let Ok(runtime) = self.core.runtime.try_borrow() {
                if let Some(isolate) = runtime.as_ref() {
                    isolate.forget(self.kind, self.id);
                }
            }
        }
    }

    /// Disposed itself, or with its realm or isolate.
    pub fn is_disposed(&self) -> bool {
        if self.released.load(Ordering::SeqCst) || self.core.is_disposed() {
            return true;
        }
        let runtime = self.core.runtime.try_borrow();
        runtime.ok().and_then(|r| r.as_ref().map(|i| !i.is_kept(self.kind, self.id))).unwrap_or(false)
    }

    /// The DisposedError of a handle disposed by itself (the glue checks
    /// the isolate).
    pub fn check(&self, ruby: &Ruby, what: &str) -> Result<(), Error> {
        if self.released.load(Ordering::SeqCst) {
            return Err(ErrorClass::DisposedError.error(ruby, format!("the {what} has been disposed")));
        }
        Ok(())
    }

    /// Whether it belongs to the isolate of `core`.
    pub fn is_of(&self, core: &Core) -> bool {
        std::ptr::eq(Arc::as_ptr(&self.core), core)
    }
}

impl Drop for KeptHandle {
    fn drop(&mut self) {
        self.dispose();
    }
}
