//! Plain data (objects and arrays of primitives, nested) read in one pass.
//!
//! A JIT-compiled helper of the realm walks the value once and lays it out
//! flat: `tape` holds, in order, primitives, strings, and a NODE marker per
//! container (its kind and size in `shapes`, and for an object where its
//! key set starts in `key_sets`: numbers into `names`, each distinct name
//! once; objects with the same keys share one) or a REF marker for one met
//! before (its number in `shapes`); anything that is not plain data (a Map,
//! a Date, a function, a class instance, …) is put on the tape as it is.
//! The walk converts the names once, then reads the tape with
//! `Array::Iterate`: numbers, booleans, nils, names and containers are built
//! right there; strings and the rest are noted and converted after, by
//! index, through the general walk.
//!
//! The helper is made when the realm is (before user code runs), so what it
//! uses (`Object.keys`, `Array.isArray`, the prototypes, `Map`) are the
//! realm's own. Getters and Proxy traps run in it in order: by key in an object,
//! by index in an array.

use std::ffi::c_void;

/// The helper: `(root) => [tape, shapes, objects, other, names, key_sets] | null` (null when
/// the value is too large to lay out; the walk then goes as usual), made
/// from the realm's intrinsics, with its two markers.
pub(crate) const TAPE_JS: &str = r#"((keys, isArray, getProto, objProto, arrProto, MapC, I32, push, pop, mget, mset) => {
  // If user code replaced a method the helper calls, it declines (null) and
  // the general walk, which calls no JS, reads the value instead.
  const MapP = MapC.prototype;
  const intact = () => arrProto.push === push && arrProto.pop === pop && MapP.get === mget && MapP.set === mset;
  const NODE = {}, REF = {}, LIMIT = 1 << 22, LONG = 1 << 16;
  // One call per item: a small function that tiers up by being called
  // often, instead of one long loop that depends on on-stack replacement
  // (which deopted, and then stayed unoptimized for the process: runs
  // alternated between 1.0 and 2.1 ms). Returns 1 for a value it put on
  // the tape as it is (not plain data), else 0.
  function visit(v, tape, shapes, objects, names, ids, seen, stack, sets) {
    if (v === null || typeof v !== "object") {
      tape.push(v);
      return typeof v === "function" || typeof v === "symbol" ? 1 : 0;
    }
    const id = seen.get(v);
    if (id !== undefined) { tape.push(REF); shapes.push(id); return 0; }
    const p = getProto(v);
    if (p === arrProto && isArray(v) && v.length <= LONG) {
      const n = v.length;
      seen.set(v, objects.length); objects.push(v);
      tape.push(NODE); shapes.push(2 * n + 1);
      return items(v, null, n, tape, stack);
    }
    if ((p === objProto || p === null) && !isArray(v)) {
      const k = keys(v), n = k.length;
      seen.set(v, objects.length); objects.push(v);
      tape.push(NODE); shapes.push(2 * n); shapes.push(keySet(k, n, names, ids, sets));
      return items(v, k, n, tape, stack);
    }
    tape.push(v);
    return 1;
  }
  // A container's items, read in order (getters run in key order): those
  // before its first object go straight onto the tape; from there on they
  // wait on the stack, turned around so the first pops first. Returns 1
  // when one put on the tape is not plain data.
  function items(v, k, n, tape, stack) {
    let other = 0;
    for (let i = 0; i < n; i++) {
      const x = k === null ? v[i] : v[k[i]];
      if (x !== null && typeof x === "object") {
        const base = stack.length;
        stack.push(x);
        for (let j = i + 1; j < n; j++) stack.push(k === null ? v[j] : v[k[j]]);
        for (let a = base, b = stack.length - 1; a < b; a++, b--) { const t = stack[a]; stack[a] = stack[b]; stack[b] = t; }
        return other;
      }
      tape.push(x);
      if (typeof x === "function" || typeof x === "symbol") other = 1;
    }
    return other;
  }
  // Where in sets.names the numbers of these keys start. Objects in a row
  // mostly share their keys: the last key set of each length is tried
  // first, so the names of most objects cost a comparison each.
  function keySet(k, n, names, ids, sets) {
    const last = sets.last[n];
    if (last !== undefined) {
      let same = true;
      for (let i = 0; i < n; i++) if (last.k[i] !== k[i]) { same = false; break; }
      if (same) return last.at;
    }
    const at = sets.names.length;
    for (let i = 0; i < n; i++) {
      let name = ids.get(k[i]);
      if (name === undefined) { name = names.length; names.push(k[i]); ids.set(k[i], name); }
      sets.names.push(name);
    }
    sets.last[n] = { k, at };
    return at;
  }
  let cold = true;
  const build = (root) => {
    if (!intact()) return null;
    if (cold) warm();
    const tape = [], shapes = [], objects = [], names = [], ids = new MapC(), seen = new MapC(), stack = [root];
    const sets = { names: [], last: [] };
    let other = 0;
    while (stack.length > 0) {
      if (tape.length > LIMIT) return null;
      other |= visit(stack.pop(), tape, shapes, objects, names, ids, seen, stack, sets);
    }
    // A container's items reach the tape together: the last may pass it.
    if (tape.length > LIMIT) return null;
    return [tape, new I32(shapes), objects, other === 1, names, new I32(sets.names)];
  };
  // Every branch runs first, so the compiled code has feedback for all: on
  // the realm's first walk, not when it is made (a reset must stay cheap).
  function warm() {
    cold = false;
    const shared = { s: "x" };
    const sample = { n: 1, f: 1.5, s: "s", a: [shared, shared, null, true], o: { p: [] }, g() {}, m: new MapC() };
    for (let i = 0; i < 8; i++) build(sample);
  }
  return [build, NODE, REF];
})(Object.keys, Array.isArray, Object.getPrototypeOf, Object.prototype, Array.prototype, Map, Int32Array,
   Array.prototype.push, Array.prototype.pop, Map.prototype.get, Map.prototype.set)"#;

/// Where a converted value goes.
#[derive(Clone, Copy)]
pub(crate) enum Slot {
    /// Entry `pos` of pending hash `hash` (keys at even, values at odd positions).
    Hash {
        hash: usize,
        pos: usize,
    },
    /// Index `index` of a host array.
    Array {
        index: u32,
    },
    Root,
}

/// An open container while the tape is read.
/// `depth` counts its ancestors (a parent may close before its last child,
/// so the stack's length is not the nesting).
enum Open<V> {
    /// `hash` indexes `Reader::hashes`; its entries so far are
    /// `Reader::open[start..]`; `left` entries (keys and values) to go;
    /// `pending` once one of them is converted after the tape.
    Hash {
        hash: usize,
        start: usize,
        left: u32,
        depth: usize,
        pending: bool,
        /// Where its key set starts in `Reader::key_sets`.
        keys_at: usize,
    },
    Array {
        array: V,
        next: u32,
        left: u32,
        depth: usize,
    },
}

/// A hash of the tape: its host value and, if some of its entries are
/// converted after the tape is read, its keys and values in order (None
/// until converted); empty otherwise (filled when it closed).
pub(crate) struct PendingHash<V> {
    pub(crate) hash: V,
    pub(crate) entries: Vec<Option<V>>,
}

/// The state of one tape read. `H` builds the values.
pub(crate) struct Reader<'a, 's, H: crate::marshal::HostValues> {
    pub(crate) host: &'a mut H,
    /// The host's property names, by the numbers on the tape.
    pub(crate) names: &'a [H::Value],
    pub(crate) node: v8::Local<'s, v8::Value>,
    pub(crate) reference: v8::Local<'s, v8::Value>,
    pub(crate) shapes: &'a [i32],
    /// The key sets: numbers into `names` (see `Open::Hash::keys_at`).
    pub(crate) key_sets: &'a [i32],
    pub(crate) isolate: &'a v8::Isolate,
    shape: usize,
    stack: Vec<Open<H::Value>>,
    /// Containers by number (REF).
    pub(crate) containers: Vec<H::Value>,
    pub(crate) hashes: Vec<PendingHash<H::Value>>,
    /// The entries of the open hashes, each a stretch (allocated once).
    open: Vec<Option<H::Value>>,
    scratch: Vec<H::Value>,
    /// Tape positions converted afterwards, and where each goes (arrays
    /// carry their host value).
    pub(crate) later: Vec<(u32, Slot, Option<H::Value>)>,
    pub(crate) root: Option<H::Value>,
    pub(crate) failed: Option<Failed<H::Error>>,
    steps: u32,
    pub(crate) max_depth: usize,
}

pub(crate) enum Failed<E> {
    Host(E),
    TooDeep,
    Stopped,
    Malformed,
}

impl<'a, 's, H: crate::marshal::HostValues> Reader<'a, 's, H> {
    pub(crate) fn new(
        host: &'a mut H,
        names: &'a [H::Value],
        node: v8::Local<'s, v8::Value>,
        reference: v8::Local<'s, v8::Value>,
        shapes: &'a [i32],
        key_sets: &'a [i32],
        isolate: &'a v8::Isolate,
        max_depth: usize,
    ) -> Self {
        Reader {
            host,
            names,
            node,
            reference,
            shapes,
            key_sets,
            isolate,
            shape: 0,
            stack: Vec::new(),
            containers: Vec::new(),
            hashes: Vec::new(),
            open: Vec::new(),
            scratch: Vec::new(),
            later: Vec::new(),
            root: None,
            failed: None,
            steps: 0,
            max_depth,
        }
    }

    /// Whether the whole value was read (every container closed).
    pub(crate) fn complete(&self) -> bool {
        self.failed.is_none() && self.stack.is_empty() && (self.root.is_some() || !self.later.is_empty())
    }

    fn next_shape(&mut self) -> Option<i32> {
        let s = *self.shapes.get(self.shape)?;
        self.shape += 1;
        Some(s)
    }

    /// Puts a value (or a hole to fill later, for tape position `index`) in
    /// the open container, closing those it completes.
    fn place(&mut self, index: u32, value: Option<H::Value>) -> Result<(), Failed<H::Error>> {
        match self.stack.last_mut() {
            None => match value {
                Some(v) => self.root = Some(v),
                None => self.later.push((index, Slot::Root, None)),
            },
            Some(Open::Hash { hash, start, left, pending, keys_at, .. }) => {
                // Its key first, from the key set.
                let nth = (self.open.len() - *start) / 2;
                let name = self.key_sets.get(*keys_at + nth).and_then(|n| self.names.get(*n as usize));
                self.open.push(Some(*name.ok_or(Failed::Malformed)?));
                *left -= 1;
                let (h, pos) = (*hash, self.open.len() - *start);
                self.open.push(value);
                if value.is_none() {
                    *pending = true;
                    self.later.push((index, Slot::Hash { hash: h, pos }, None));
                }
                *left -= 1;
            }
            Some(Open::Array { array, next, left, .. }) => {
                let (array, at) = (*array, *next);
                let item = match value {
                    Some(v) => v,
                    None => {
                        self.later.push((index, Slot::Array { index: at }, Some(array)));
                        self.host.nil().map_err(Failed::Host)?
                    }
                };
                self.host.array_push(array, item).map_err(Failed::Host)?;
                *next += 1;
                *left -= 1;
            }
        }
        self.close_done()
    }

    fn close_done(&mut self) -> Result<(), Failed<H::Error>> {
        while let Some(top) = self.stack.last() {
            let done = match top {
                Open::Hash { left, .. } | Open::Array { left, .. } => *left == 0,
            };
            if !done {
                break;
            }
            if let Some(Open::Hash { hash, start, pending, .. }) = self.stack.pop() {
                if pending {
                    self.hashes[hash].entries = self.open.drain(start..).collect();
                } else {
                    self.scratch.clear();
                    self.scratch.extend(self.open[start..].iter().flatten());
                    self.open.truncate(start);
                    self.host.hash_fill(self.hashes[hash].hash, &self.scratch).map_err(Failed::Host)?;
                }
            }
        }
        Ok(())
    }

    fn open(&mut self, index: u32, shape: i32) -> Result<(), Failed<H::Error>> {
        let depth = match self.stack.last() {
            Some(Open::Hash { depth, .. } | Open::Array { depth, .. }) => depth + 1,
            None => 0,
        };
        if depth >= self.max_depth {
            return Err(Failed::TooDeep);
        }
        let (is_array, n) = (shape & 1 == 1, (shape >> 1) as u32);
        let keys_at = if is_array { 0 } else { self.next_shape().ok_or(Failed::Malformed)? as usize };
        let value = if is_array {
            self.host.new_array(n as usize).map_err(Failed::Host)?
        } else {
            self.host.new_hash(n as usize).map_err(Failed::Host)?
        };
        self.containers.push(value);
        self.place(index, Some(value))?;
        if is_array {
            self.stack.push(Open::Array { array: value, next: 0, left: n, depth });
        } else {
            self.hashes.push(PendingHash { hash: value, entries: Vec::new() });
            let (hash, start) = (self.hashes.len() - 1, self.open.len());
            self.stack.push(Open::Hash { hash, start, left: 2 * n, depth, pending: false, keys_at });
        }
        // An empty container is complete at once.
        self.close_done()
    }

    fn read(&mut self, index: u32, element: v8::Local<'s, v8::Value>) -> Result<(), Failed<H::Error>> {
        self.steps += 1;
        // Ruby's interrupts wait until the iteration returns (see `iterate`).
        if self.steps % crate::marshal::POLL_EVERY == 0 && crate::termination::stop_requested(self.isolate) {
            return Err(Failed::Stopped);
        }
        let value = if let Some(value) = crate::marshal::primitive(self.host, element) {
            Some(value)
        } else if element.is_object() {
            if element.strict_equals(self.node) {
                let shape = self.next_shape().ok_or(Failed::Malformed)?;
                return self.open(index, shape);
            }
            if element.strict_equals(self.reference) {
                let id = self.next_shape().ok_or(Failed::Malformed)?;
                let known = *self.containers.get(id as usize).ok_or(Failed::Malformed)?;
                return self.place(index, Some(known));
            }
            None
        } else {
            None
        };
        let value = value.transpose().map_err(Failed::Host)?;
        self.place(index, value)
    }
}

/// Feeds `tape` to `reader` with `Array::Iterate`; false when V8 reports
/// an exception.
pub(crate) fn read_tape<'s, H: crate::marshal::HostValues>(
    scope: &v8::PinScope<'s, '_>,
    reader: &mut Reader<'_, 's, H>,
    tape: v8::Local<'s, v8::Array>,
) -> bool {
    extern "C" fn each<H: crate::marshal::HostValues>(
        index: u32,
        element: v8::Local<v8::Value>,
        data: *mut c_void,
    ) -> i32 {
        // SAFETY: `data` is the Reader below, alive for the iteration; the
        // element's lifetime is the iteration's, as the reader uses it.
        let reader = unsafe { &mut *(data as *mut Reader<H>) };
        let element = unsafe { std::mem::transmute::<v8::Local<v8::Value>, v8::Local<v8::Value>>(element) };
        match crate::termination::without_js(|| reader.read(index, element)) {
            Ok(()) => 2,
            Err(e) => {
                reader.failed = Some(e);
                1
            }
        }
    }
    crate::marshal::iterate(scope, tape, each::<H>, reader as *mut Reader<H> as *mut c_void)
}

use crate::error::Failure;
use crate::marshal::{HostValues, Walk, MAX_DEPTH};

impl<'s, H: HostValues> Walk<'_, 's, '_, H> {
    /// Plain data through the realm's tape helper (see tape.rs): None when it
    /// does not apply (the caller walks the value as usual).
    pub(crate) fn tape(&mut self, value: v8::Local<'s, v8::Value>) -> Result<Option<H::Value>, Failure<H::Error>> {
        if !value.is_object() || value.is_function() {
            return Ok(None);
        }
        if value.is_array() {
            // Arrays of numbers and of strings have faster paths of their own.
            // SAFETY: checked just above.
            let array: v8::Local<v8::Array> = unsafe { v8::Local::cast_unchecked(value) };
            if array.length() == 0 || !array.get_index(self.scope, 0).ok_or(Failure::Exception)?.is_object() {
                return Ok(None);
            }
        } else if value.is_date() || value.is_map() || value.is_set() || value.is_array_buffer_view() {
            return Ok(None);
        }
        let scope = self.scope;
        let (Some(build), Some(node), Some(reference)) = (
            crate::realm_helpers::helper(scope, |h| &h.tape),
            crate::realm_helpers::helper(scope, |h| &h.node),
            crate::realm_helpers::helper(scope, |h| &h.reference),
        ) else {
            return Ok(None);
        };
        let undefined = v8::undefined(scope).into();
        let laid = build.call(scope, undefined, &[value]).ok_or(Failure::Exception)?;
        let Ok(parts) = v8::Local::<v8::Array>::try_from(laid) else { return Ok(None) };
        let part = |i| parts.get_index(scope, i).ok_or(Failure::Exception);
        let (tape, shapes, objects, other, names, key_sets) =
            (part(0)?, part(1)?, part(2)?, part(3)?, part(4)?, part(5)?);
        let (Ok(tape), Ok(shapes), Ok(objects), Ok(names), Ok(key_sets)) = (
            v8::Local::<v8::Array>::try_from(tape),
            v8::Local::<v8::Int32Array>::try_from(shapes),
            v8::Local::<v8::Array>::try_from(objects),
            v8::Local::<v8::Array>::try_from(names),
            v8::Local::<v8::Int32Array>::try_from(key_sets),
        ) else {
            return Ok(None);
        };
        let mut name_values = Vec::with_capacity(names.length() as usize);
        for i in 0..names.length() {
            let name = names.get_index(scope, i).ok_or(Failure::Exception)?;
            name_values.push(self.key(name)?);
        }
        // SAFETY: the Int32Arrays' own windows, alive in this scope; read
        // before any JS runs again.
        let (shape_slice, key_set_slice) = unsafe { (int32s(shapes), int32s(key_sets)) };
        let mut reader =
            Reader::new(&mut *self.host, &name_values, node, reference, shape_slice, key_set_slice, scope, MAX_DEPTH);
        let iterated = read_tape(scope, &mut reader, tape);
        let complete = reader.complete();
        let (failed, containers, mut hashes, later, mut root) = (
            reader.failed.take(),
            std::mem::take(&mut reader.containers),
            std::mem::take(&mut reader.hashes),
            std::mem::take(&mut reader.later),
            reader.root.take(),
        );
        drop(reader);
        match failed {
            Some(Failed::Host(e)) => return Err(Failure::Host(e)),
            Some(Failed::TooDeep) => {
                return Err(crate::marshal::too_deep(&format!("nested deeper than {MAX_DEPTH} levels")));
            }
            Some(Failed::Stopped) => return Err(Failure::Exception),
            Some(Failed::Malformed) => return Ok(None),
            None if !iterated => return Err(Failure::Exception),
            None if !complete => return Ok(None),
            None => {}
        }
        self.host.poll().map_err(Failure::Host)?;
        if other.is_true() {
            // What the general walk meets may lead back to these containers.
            for (i, container) in containers.iter().enumerate() {
                let object = objects.get_index(scope, i as u32).ok_or(Failure::Exception)?;
                if let Ok(object) = v8::Local::<v8::Object>::try_from(object) {
                    self.seen.insert(object.get_identity_hash().get(), object, *container);
                }
            }
        }
        // Strings (and other primitives) first, then every hash is filled, and
        // only then the objects the general walk converts: a Map or Set it
        // builds may hold one of these containers as a key, and must see it
        // complete. (Entries still waiting for such an object are nil until
        // it is converted.)
        let mut objects_later = Vec::new();
        for (index, slot, array) in later {
            let item = tape.get_index(scope, index).ok_or(Failure::Exception)?;
            if item.is_object() {
                objects_later.push((item, slot, array));
                continue;
            }
            let value = self.walk(item)?;
            let value = self.host.hold(value);
            self.put(&mut hashes, &mut root, slot, array, value)?;
        }
        let nil = self.host.nil().map_err(Failure::Host)?;
        for pending in hashes.iter().filter(|h| !h.entries.is_empty()) {
            let entries: Vec<H::Value> = pending.entries.iter().map(|e| e.unwrap_or(nil)).collect();
            self.host.hash_fill(pending.hash, &entries).map_err(Failure::Host)?;
        }
        let rehash = !objects_later.is_empty();
        for (item, slot, array) in objects_later {
            let value = self.walk(item)?;
            match slot {
                // The hash is filled: set the entry (its key is at pos - 1).
                Slot::Hash { hash, pos } => {
                    let key = hashes[hash].entries[pos - 1].ok_or_else(|| crate::marshal::internal("tape key"))?;
                    self.host.hash_set(hashes[hash].hash, key, value).map_err(Failure::Host)?;
                }
                _ => self.put(&mut hashes, &mut root, slot, array, value)?,
            }
        }
        if rehash {
            self.host.rehash().map_err(Failure::Host)?;
        }
        Ok(root)
    }

    fn put(
        &mut self,
        hashes: &mut [PendingHash<H::Value>],
        root: &mut Option<H::Value>,
        slot: Slot,
        array: Option<H::Value>,
        value: H::Value,
    ) -> Result<(), Failure<H::Error>> {
        match slot {
            Slot::Hash { hash, pos } => hashes[hash].entries[pos] = Some(value),
            Slot::Array { index } => {
                if let Some(array) = array {
                    self.host.array_store(array, index, value).map_err(Failure::Host)?;
                }
            }
            Slot::Root => *root = Some(value),
        }
        self.tick()
    }
}

/// The elements of a (fresh, unshared) Int32Array.
///
/// # Safety
/// The slice is used while `array` is alive and before any JS runs again.
unsafe fn int32s<'a>(array: v8::Local<'a, v8::Int32Array>) -> &'a [i32] {
    let len = array.byte_length() / 4;
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller's promise; an Int32Array's window is 4-aligned.
    unsafe { std::slice::from_raw_parts(array.data() as *const i32, len) }
}
