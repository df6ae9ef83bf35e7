//! V8 handles the host holds by number (functions, scripts, modules): kept
//! as Globals in per-isolate tables, and released on the owner thread under
//! the lock once the host forgets them (which it may do from any thread, a
//! GC finalizer's).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// What a kept handle is; each kind has its own table and numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleKind {
    Function,
    Script,
    Module,
}

/// Entries by number, reusing the numbers of removed ones.
pub(crate) struct Slab<E> {
    entries: Vec<Option<E>>,
    free: Vec<u32>,
}

impl<E> Default for Slab<E> {
    fn default() -> Self {
        Slab { entries: Vec::new(), free: Vec::new() }
    }
}

impl<E> Slab<E> {
    pub(crate) fn insert(&mut self, entry: E) -> u32 {
        match self.free.pop() {
            Some(id) => {
                self.entries[id as usize] = Some(entry);
                id
            }
            None => {
                self.entries.push(Some(entry));
                (self.entries.len() - 1) as u32
            }
        }
    }

    pub(crate) fn get(&self, id: u32) -> Option<&E> {
        self.entries.get(id as usize)?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, id: u32) -> Option<&mut E> {
        self.entries.get_mut(id as usize)?.as_mut()
    }

    pub(crate) fn remove(&mut self, id: u32) -> Option<E> {
        let entry = self.entries.get_mut(id as usize)?.take();
        if entry.is_some() {
            self.free.push(id);
        }
        entry
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len() - self.free.len()
    }
}

/// Handles the host let go of (from any thread), and a flag read on every
/// operation without taking the lock.
#[derive(Default)]
pub(crate) struct Forgotten {
    pub(crate) any: AtomicBool,
    ids: Mutex<Vec<(HandleKind, u32)>>,
}

impl Forgotten {
    pub(crate) fn push(&self, kind: HandleKind, id: u32) {
        self.ids.lock().unwrap_or_else(|e| e.into_inner()).push((kind, id));
        self.any.store(true, Ordering::SeqCst);
    }

    pub(crate) fn take(&self) -> Vec<(HandleKind, u32)> {
        self.any.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.ids.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
