//! Dotted paths of JS identifiers (`call`, `attach`), and their names.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// Whether `path` is a plain dotted path of JS identifiers (no allocation).
pub fn is_plain_path(path: &str) -> bool {
    path.split('.').all(is_identifier)
}

fn is_identifier(part: &str) -> bool {
    let mut chars = part.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// Splits a plain dotted path of JS identifiers ("math.addBase"). Anything
/// else (brackets, calls, spaces, empty parts) is refused, so a path is
/// looked up, never evaluated.
pub fn parse_path(path: &str) -> Option<Vec<&str>> {
    is_plain_path(path).then(|| path.split('.').collect())
}

/// The internalized property names of `call` paths, made once per isolate:
/// a fresh (not internalized) name string cost more than the JS it looked
/// up, as V8 internalizes it again at every `Get` (callgrind: ~1,700 of a
/// call's ~9,400 instructions).
#[derive(Default)]
pub(crate) struct PathNames {
    paths: RefCell<HashMap<Box<str>, Rc<[v8::Global<v8::String>]>, BuildHasherDefault<Fnv>>>,
}

/// Paths kept at most; the table starts again when it is full (paths built
/// from data would otherwise grow it without bound).
const MAX_PATHS: usize = 1024;

impl PathNames {
    /// The names of `path`, if it was seen before (then it is plain).
    pub(crate) fn known(&self, path: &str) -> Option<Rc<[v8::Global<v8::String>]>> {
        self.paths.borrow().get(path).cloned()
    }

    /// The names of plain path `path`, made and kept.
    pub(crate) fn make(&self, scope: &v8::PinScope<'_, '_>, path: &str) -> Option<Rc<[v8::Global<v8::String>]>> {
        let mut names = Vec::new();
        for part in path.split('.') {
            let name = v8::String::new_from_utf8(scope, part.as_bytes(), v8::NewStringType::Internalized)?;
            names.push(v8::Global::new(scope, name));
        }
        let names: Rc<[v8::Global<v8::String>]> = names.into();
        let mut paths = self.paths.borrow_mut();
        if paths.len() >= MAX_PATHS {
            paths.clear();
        }
        paths.insert(path.into(), names.clone());
        Some(names)
    }

    /// Drops every name (before the isolate goes).
    pub(crate) fn clear(&self) {
        self.paths.borrow_mut().clear();
    }
}

/// FNV-1a: paths are short, and SipHash's setup costs more than the bytes.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = hash;
    }
}
