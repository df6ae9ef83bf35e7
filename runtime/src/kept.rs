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
    entries: Vec<Slot<E>>,
    free: Vec<u32>,
}

enum Slot<E> {
    Live(E),
    /// Dropped with its realm while the host still holds the number: not
    /// reused until the host forgets it (else forgetting it would drop
    /// whatever took the number).
    Dropped,
    Free,
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
                self.entries[id as usize] = Slot::Live(entry);
                id
            }
            None => {
                self.entries.push(Slot::Live(entry));
                (self.entries.len() - 1) as u32
            }
        }
    }

    pub(crate) fn get(&self, id: u32) -> Option<&E> {
        match self.entries.get(id as usize)? {
            Slot::Live(entry) => Some(entry),
            _ => None,
        }
    }

    pub(crate) fn get_mut(&mut self, id: u32) -> Option<&mut E> {
        match self.entries.get_mut(id as usize)? {
            Slot::Live(entry) => Some(entry),
            _ => None,
        }
    }

    /// The host forgot `id`: its number is free again.
    pub(crate) fn remove(&mut self, id: u32) -> Option<E> {
        let slot = self.entries.get_mut(id as usize)?;
        match std::mem::replace(slot, Slot::Free) {
            Slot::Free => None,
            Slot::Dropped => {
                self.free.push(id);
                None
            }
            Slot::Live(entry) => {
                self.free.push(id);
                Some(entry)
            }
        }
    }

    /// Drops the entries `gone` picks (their realm went away); their
    /// numbers stay taken until the host forgets them.
    pub(crate) fn drop_where(&mut self, mut gone: impl FnMut(&E) -> bool) -> Vec<u32> {
        let mut dropped = Vec::new();
        for (id, slot) in self.entries.iter_mut().enumerate() {
            if matches!(slot, Slot::Live(entry) if gone(entry)) {
                *slot = Slot::Dropped;
                dropped.push(id as u32);
            }
        }
        dropped
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.iter().filter(|s| matches!(s, Slot::Live(_))).count()
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
