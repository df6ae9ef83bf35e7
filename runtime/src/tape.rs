//! Plain data (objects and arrays of primitives, nested) read in one pass.
//!
//! A JIT-compiled helper of the realm walks the value once and lays it out
//! flat, as numbers the walk reads straight from memory: `codes` (an
//! Int32Array) holds a code per item in order (nil, false, true, a number,
//! the next of `rest`, an array with its length, an object with its key
//! count and where its key set starts in `key_sets` (numbers into `names`,
//! each distinct name once; objects with the same keys share one), or the
//! number of a container met before); numbers go to `nums` (a
//! Float64Array), and strings and anything that is not plain data (a Map, a
//! Date, a function, a class instance, …) to `rest` as they are. The walk
//! converts the names once and builds numbers, booleans, nils, names and
//! containers as it reads the codes, with no call into V8; the items of
//! `rest` are noted and converted after, by index, through the general walk.
//!
//! The helper is made when the realm is (before user code runs), so what it
//! uses (`Array.isArray`, the prototypes, `Map`, `Set`, the typed
//! arrays' `set`) are the realm's own. Getters and Proxy traps run in it in
//! order: by key in an object (its keys as `for-in` gives them: a key a
//! getter deletes before it is read is left out), by index in an array.

/// The helper: `(root) => [tape, nums, rest, objects, names] | null`
/// (null when the value is too large to lay out; the walk then goes as
/// usual), made from the realm's intrinsics. `tape` (an Int32Array) is a
/// header of `HEADER` counts (codes, whether `rest` holds anything that is
/// not plain data, and the lengths of `rest`, `nums` and `names`), then the
/// codes, then the key sets; `nums` is null when empty. The walk reads only
/// the parts the header says it needs (a read by index through the API
/// is a property lookup each, which small values felt).
pub(crate) const TAPE_JS: &str = r#"((isArray, getProto, objProto, arrProto, MapC, SetC, I32, F64, setAll, apply, push, pop, mget, mset, mhas, sadd, ownGetter) => {
  // If user code replaced a method the helper calls, it declines (null) and
  // the general walk, which calls no JS, reads the value instead.
  const MapP = MapC.prototype, SetP = SetC.prototype, setSize = ownGetter(SetP, "size");
  // (It reads properties a user getter may stand in for: one that throws
  // makes it decline too.)
  const intact = () => {
    try {
      return unchanged();
    } catch (e) {
      return false;
    }
  };
  const unchanged = () => {
    if (arrProto.push !== push || arrProto.pop !== pop || MapP.get !== mget || MapP.set !== mset || MapP.has !== mhas) return false;
    if (SetP.add !== sadd || ownGetter(SetP, "size") !== setSize) return false;
    for (const _ in objProto) return false;
    return true;
  };
  const LIMIT = 1 << 22, LONG = 1 << 16;
  // The codes (tape.rs reads them): 0 nil, 1 false, 2 true, 3 the next of
  // nums, 8 an int32 (then its value; -0 is not one), 4 the next of rest,
  // 5 an array (then its length), 6 an object (then its key count and key
  // set), 7 a container met before (then its number).
  // A primitive or a function onto the tape; 1 for one that is not plain data.
  function put(x, codes, nums, rest) {
    if (typeof x === "number") {
      if ((x | 0) === x && (x !== 0 || 1 / x > 0)) codes.push(8, x); else { codes.push(3); nums.push(x); }
      return 0;
    }
    if (x === undefined || x === null) { codes.push(0); return 0; }
    if (x === true) { codes.push(2); return 0; }
    if (x === false) { codes.push(1); return 0; }
    codes.push(4); rest.push(x);
    return typeof x === "function" || typeof x === "symbol" ? 1 : 0;
  }
  // Whether v was met before in this walk. Until the first object met
  // twice, the objects met are only added to a Set (one hash operation
  // each, its size telling a repeat); from then on a Map numbers them, made
  // from the containers so far (sets.byId).
  function met(v, seen, objects, sets) {
    if (sets.byId === null) {
      const before = seen.size;
      seen.add(v);
      if (seen.size !== before) return false;
      const byId = new MapC();
      for (let i = 0; i < objects.length; i++) byId.set(objects[i], i);
      sets.byId = byId;
      return true;
    }
    return sets.byId.has(v);
  }
  // Gives container v the next number.
  function number(v, objects, sets) {
    if (sets.byId !== null) sets.byId.set(v, objects.length);
    objects.push(v);
  }
  // One call per item: a small function that tiers up by being called
  // often, instead of one long loop that depends on on-stack replacement
  // (which deopted, and then stayed unoptimized for the process: runs
  // alternated between 1.0 and 2.1 ms). Returns 1 for a value it put on
  // the tape as it is (not plain data), else 0.
  function visit(v, codes, nums, rest, objects, names, ids, seen, stack, sets) {
    if (v === null || typeof v !== "object") return put(v, codes, nums, rest);
    if (met(v, seen, objects, sets)) {
      const id = sets.byId.get(v);
      // (Only containers have numbers: anything else is put as it is again.)
      if (id !== undefined) { codes.push(7, id); return 0; }
    }
    const p = getProto(v);
    if (p === arrProto && isArray(v) && v.length <= LONG) {
      const n = v.length;
      number(v, objects, sets);
      codes.push(5, n);
      return items(v, n, codes, nums, rest, stack);
    }
    if ((p === objProto || p === null) && !isArray(v)) {
      number(v, objects, sets);
      // for-in, not Object.keys and a load per key: V8 compiles the load of
      // the key for-in gives to a field load (a megamorphic keyed load took
      // twice as long). Its keys are the own enumerable ones, in the same
      // order, as the prototype has none (intact() checks); getters run in
      // key order. Items before the first object go onto the tape, the rest
      // onto the stack; the count and key set are filled in after.
      // The keys go to one scratch array for the whole walk (a new small
      // array per object grew on its first push: a runtime call each).
      const at = codes.length, k = sets.scratch;
      codes.push(6, 0, 0);
      let base = -1, other = 0, n = 0;
      for (const key in v) {
        k[n++] = key;
        const x = v[key];
        if (base >= 0) stack.push(x);
        else if (x !== null && typeof x === "object") { base = stack.length; stack.push(x); }
        else other |= put(x, codes, nums, rest);
      }
      codes[at + 1] = n; codes[at + 2] = keySet(k, n, names, ids, sets);
      if (base >= 0) reverse(stack, base);
      return other;
    }
    codes.push(4); rest.push(v);
    return 1;
  }
  // An array's items, read in order (getters run by index): those before
  // its first object go straight onto the tape; from there on they wait on
  // the stack, turned around so the first pops first. Returns 1 when one
  // put on the tape is not plain data.
  function items(v, n, codes, nums, rest, stack) {
    let other = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x !== null && typeof x === "object") {
        const base = stack.length;
        stack.push(x);
        for (let j = i + 1; j < n; j++) stack.push(v[j]);
        reverse(stack, base);
        return other;
      }
      other |= put(x, codes, nums, rest);
    }
    return other;
  }
  function reverse(stack, base) {
    for (let a = base, b = stack.length - 1; a < b; a++, b--) { const t = stack[a]; stack[a] = stack[b]; stack[b] = t; }
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
    const at = sets.names.length, own = [];
    for (let i = 0; i < n; i++) {
      let name = ids.get(k[i]);
      if (name === undefined) { name = names.length; names.push(k[i]); ids.set(k[i], name); }
      sets.names.push(name);
      own.push(k[i]);
    }
    sets.last[n] = { k: own, at };
    return at;
  }
  // A typed array of these numbers, filled as an array-like (set does not
  // call the array's iterator, which user code can replace).
  const typed = (T, a) => { const t = new T(a.length); apply(setAll, t, [a]); return t; };
  let cold = true;
  const build = (root) => {
    if (!intact()) return null;
    if (cold) warm();
    const codes = [], nums = [], rest = [], objects = [], names = [], ids = new MapC(), seen = new SetC(), stack = [root];
    const sets = { names: [], last: [], scratch: [], byId: null };
    let other = 0;
    while (stack.length > 0) {
      if (codes.length > LIMIT) return null;
      other |= visit(stack.pop(), codes, nums, rest, objects, names, ids, seen, stack, sets);
    }
    // A container's items reach the tape together: the last may pass it.
    // And getters ran meanwhile: one may have replaced what the walk used.
    if (codes.length > LIMIT || !intact()) return null;
    const n = codes.length, keySets = sets.names, tape = new I32(5 + n + keySets.length);
    tape[0] = n; tape[1] = other; tape[2] = rest.length; tape[3] = nums.length; tape[4] = names.length;
    apply(setAll, tape, [codes, 5]);
    apply(setAll, tape, [keySets, 5 + n]);
    return [tape, nums.length > 0 ? typed(F64, nums) : null, rest, objects, names];
  };
  // Every branch runs first, so the compiled code has feedback for all: on
  // the realm's first walk, not when it is made (a reset must stay cheap).
  function warm() {
    cold = false;
    const shared = { s: "x" };
    const sample = { n: 1, f: 1.5, s: "s", a: [shared, shared, null, true, false, undefined], o: { p: [] }, g() {}, m: new MapC() };
    for (let i = 0; i < 8; i++) build(sample);
  }
  return build;
})(Array.isArray, Object.getPrototypeOf, Object.prototype, Array.prototype, Map, Set, Int32Array, Float64Array,
   Object.getPrototypeOf(Int32Array.prototype).set, Reflect.apply,
   Array.prototype.push, Array.prototype.pop, Map.prototype.get, Map.prototype.set, Map.prototype.has, Set.prototype.add,
   ((gopd) => (o, k) => { const d = gopd(o, k); return d === undefined ? undefined : d.get; })(Object.getOwnPropertyDescriptor))"#;

/// The codes of the tape (see `TAPE_JS`).
mod code {
    pub(super) const NIL: i32 = 0;
    pub(super) const FALSE: i32 = 1;
    pub(super) const TRUE: i32 = 2;
    pub(super) const NUMBER: i32 = 3;
    pub(super) const REST: i32 = 4;
    pub(super) const ARRAY: i32 = 5;
    pub(super) const OBJECT: i32 = 6;
    pub(super) const SEEN: i32 = 7;
    pub(super) const INT32: i32 = 8;
}

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
/// converted after the tape is read, its keys and values in order (nil
/// until converted); empty otherwise (filled when it closed).
pub(crate) struct PendingHash<V> {
    pub(crate) hash: V,
    pub(crate) entries: Vec<V>,
}

/// The state of one tape read. `H` builds the values.
pub(crate) struct Reader<'a, H: crate::marshal::HostValues> {
    pub(crate) host: &'a mut H,
    /// The host's property names, by the numbers on the tape.
    pub(crate) names: &'a [H::Value],
    pub(crate) codes: &'a [i32],
    pub(crate) nums: &'a [f64],
    /// The key sets: numbers into `names` (see `Open::Hash::keys_at`).
    pub(crate) key_sets: &'a [i32],
    pub(crate) isolate: &'a v8::Isolate,
    /// The next code, number and item of `rest` to read.
    at: usize,
    num_at: usize,
    rest_at: u32,
    stack: Vec<Open<H::Value>>,
    /// Containers by number (REF).
    pub(crate) containers: Vec<H::Value>,
    pub(crate) hashes: Vec<PendingHash<H::Value>>,
    /// The entries of the open hashes, each a stretch (allocated once).
    open: Vec<H::Value>,
    /// Items of `rest` converted afterwards, and where each goes (arrays
    /// carry their host value).
    pub(crate) later: Vec<(u32, Slot, Option<H::Value>)>,
    pub(crate) root: Option<H::Value>,
    steps: u32,
    pub(crate) max_depth: usize,
}

pub(crate) enum Failed<E> {
    Host(E),
    TooDeep,
    Stopped,
    Malformed,
}

impl<'a, H: crate::marshal::HostValues> Reader<'a, H> {
    pub(crate) fn new(
        host: &'a mut H,
        names: &'a [H::Value],
        codes: &'a [i32],
        nums: &'a [f64],
        key_sets: &'a [i32],
        isolate: &'a v8::Isolate,
        max_depth: usize,
    ) -> Self {
        Reader {
            host,
            names,
            codes,
            nums,
            key_sets,
            isolate,
            at: 0,
            num_at: 0,
            rest_at: 0,
            stack: Vec::new(),
            containers: Vec::new(),
            hashes: Vec::new(),
            open: Vec::new(),
            later: Vec::new(),
            root: None,
            steps: 0,
            max_depth,
        }
    }

    /// Whether the whole tape was read: every container closed, every
    /// number and each of the `rest_len` items of `rest` used.
    pub(crate) fn complete(&self, rest_len: u32) -> bool {
        self.stack.is_empty()
            && self.num_at == self.nums.len()
            && self.rest_at == rest_len
            && (self.root.is_some() || !self.later.is_empty())
    }

    fn next_code(&mut self) -> Result<i32, Failed<H::Error>> {
        let c = *self.codes.get(self.at).ok_or(Failed::Malformed)?;
        self.at += 1;
        Ok(c)
    }

    /// Puts a value (or a hole to fill later, for item `index` of `rest`) in
    /// the open container, closing those it completes.
    fn place(&mut self, index: u32, value: Option<H::Value>) -> Result<(), Failed<H::Error>> {
        match self.stack.last_mut() {
            // The tape holds one value at its top level.
            None if self.root.is_some() || !self.later.is_empty() => return Err(Failed::Malformed),
            None => match value {
                Some(v) => self.root = Some(v),
                None => self.later.push((index, Slot::Root, None)),
            },
            Some(Open::Hash { hash, start, left, pending, keys_at, .. }) => {
                // Its key first, from the key set.
                let nth = (self.open.len() - *start) / 2;
                let name = self.key_sets.get(*keys_at + nth).and_then(|n| self.names.get(*n as usize));
                self.open.push(*name.ok_or(Failed::Malformed)?);
                *left -= 1;
                let (h, pos) = (*hash, self.open.len() - *start);
                match value {
                    Some(v) => self.open.push(v),
                    None => {
                        // A nil until the entry is converted.
                        *pending = true;
                        self.later.push((index, Slot::Hash { hash: h, pos }, None));
                        self.open.push(self.host.nil().map_err(Failed::Host)?);
                    }
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
                    self.host.hash_fill(self.hashes[hash].hash, &self.open[start..]).map_err(Failed::Host)?;
                    self.open.truncate(start);
                }
            }
        }
        Ok(())
    }

    fn open(&mut self, is_array: bool) -> Result<(), Failed<H::Error>> {
        let depth = match self.stack.last() {
            Some(Open::Hash { depth, .. } | Open::Array { depth, .. }) => depth + 1,
            None => 0,
        };
        if depth >= self.max_depth {
            return Err(Failed::TooDeep);
        }
        let n = u32::try_from(self.next_code()?).map_err(|_| Failed::Malformed)?;
        let keys_at = if is_array { 0 } else { self.next_code()? as usize };
        let value = if is_array {
            self.host.new_array(n as usize).map_err(Failed::Host)?
        } else {
            self.host.new_hash(n as usize).map_err(Failed::Host)?
        };
        self.containers.push(value);
        self.place(0, Some(value))?;
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

    /// Reads the whole tape, polling the host and the termination every
    /// so often (no V8 frame is below it: Ruby's interrupts are served).
    pub(crate) fn run(&mut self) -> Result<(), Failed<H::Error>> {
        while self.at < self.codes.len() {
            crate::marshal::count_step(&mut self.steps, self.host, self.isolate)
                .map_err(|e| e.map_or(Failed::Stopped, Failed::Host))?;
            let value = match self.next_code()? {
                code::NIL => self.host.nil(),
                code::FALSE => self.host.boolean(false),
                code::TRUE => self.host.boolean(true),
                code::NUMBER => {
                    let f = *self.nums.get(self.num_at).ok_or(Failed::Malformed)?;
                    self.num_at += 1;
                    crate::marshal::number(self.host, f)
                }
                code::INT32 => {
                    let n = self.next_code()?;
                    self.host.integer(i64::from(n))
                }
                code::REST => {
                    let index = self.rest_at;
                    self.rest_at += 1;
                    self.place(index, None)?;
                    continue;
                }
                code::ARRAY => {
                    self.open(true)?;
                    continue;
                }
                code::OBJECT => {
                    self.open(false)?;
                    continue;
                }
                code::SEEN => {
                    let id = self.next_code()?;
                    let known = *self.containers.get(id as usize).ok_or(Failed::Malformed)?;
                    self.place(0, Some(known))?;
                    continue;
                }
                _ => return Err(Failed::Malformed),
            };
            let value = value.map_err(Failed::Host)?;
            self.place(0, Some(value))?;
        }
        Ok(())
    }
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
        // (An array comes here only when its first element is an object:
        // arrays of numbers and of strings have faster paths of their own.)
        if value.is_date() || value.is_map() || value.is_set() || value.is_array_buffer_view() {
            return Ok(None);
        }
        let scope = self.scope;
        let Some(build) = crate::realm_helpers::helper(scope, |h| &h.tape) else {
            return Ok(None);
        };
        let undefined = v8::undefined(scope).into();
        let laid = build.call(scope, undefined, &[value]).ok_or(Failure::Exception)?;
        let Ok(parts) = v8::Local::<v8::Array>::try_from(laid) else { return Ok(None) };
        let part = |i| parts.get_index(scope, i).ok_or(Failure::Exception);
        let Ok(tape) = v8::Local::<v8::Int32Array>::try_from(part(0)?) else { return Ok(None) };
        let mut small: [Small; 2] = Default::default();
        let [small_tape, small_nums] = &mut small;
        // The header's counts, copied out: the tape's window is taken once
        // the names are converted (which may run JS).
        let (codes_len, other, rest_len, nums_len, names_len) = {
            // SAFETY: the typed array's own window, alive in this scope, read at once.
            let header = unsafe { elements::<i32>(tape.into(), small_tape) };
            let Some(&[codes_len, other, rest_len, nums_len, names_len]) = header.get(..HEADER) else {
                return Ok(None);
            };
            (codes_len, other, rest_len, nums_len, names_len)
        };
        let (Ok(codes_len), Ok(rest_len), Ok(nums_len), Ok(names_len)) =
            (usize::try_from(codes_len), u32::try_from(rest_len), usize::try_from(nums_len), u32::try_from(names_len))
        else {
            return Ok(None);
        };
        // Only what the header says is there is asked for.
        let nums = if nums_len > 0 {
            let Ok(nums) = v8::Local::<v8::Float64Array>::try_from(part(1)?) else { return Ok(None) };
            Some(nums)
        } else {
            None
        };
        let array = |i, wanted: bool| -> Result<Option<v8::Local<v8::Array>>, Failure<H::Error>> {
            if !wanted {
                return Ok(None);
            }
            Ok(v8::Local::<v8::Array>::try_from(part(i)?).ok())
        };
        let (rest, objects, names) = (array(2, rest_len > 0)?, array(3, other != 0)?, array(4, names_len > 0)?);
        let found = |part: Option<v8::Local<v8::Array>>, len| part.map_or(len == 0, |p| p.length() == len);
        if nums.map_or(0, |n| n.length()) != nums_len
            || !found(rest, rest_len)
            || !found(names, names_len)
            || (other != 0) != objects.is_some()
        {
            return Ok(None);
        }
        let mut name_values = Vec::with_capacity(names_len as usize);
        if let Some(names) = names {
            for i in 0..names_len {
                let name = names.get_index(scope, i).ok_or(Failure::Exception)?;
                name_values.push(self.key(name)?);
            }
        }
        // SAFETY: the typed arrays' own windows, fresh and unshared (no user
        // code ever holds them), alive in this scope; no JS runs from here
        // until the reader is done with them.
        let (tape, nums) = unsafe {
            (elements::<i32>(tape.into(), small_tape), nums.map_or(&[][..], |n| elements::<f64>(n.into(), small_nums)))
        };
        let Some((codes, key_sets)) = tape.get(HEADER..).and_then(|t| t.split_at_checked(codes_len)) else {
            return Ok(None);
        };
        let mut reader = Reader::new(&mut *self.host, &name_values, codes, nums, key_sets, scope, MAX_DEPTH);
        // No JS may run while the reader holds the typed arrays' windows:
        // Ruby code run by an interrupt or a GC meanwhile that would enter
        // an isolate gets an error instead (JS could detach a backing store
        // the reader holds a window of).
        let read = crate::termination::without_js(|| reader.run());
        let complete = reader.complete(rest_len);
        let (containers, mut hashes, later, mut root) = (
            std::mem::take(&mut reader.containers),
            std::mem::take(&mut reader.hashes),
            std::mem::take(&mut reader.later),
            reader.root.take(),
        );
        drop(reader);
        match read.err() {
            Some(Failed::Host(e)) => return Err(Failure::Host(e)),
            Some(Failed::TooDeep) => {
                return Err(crate::marshal::too_deep(&format!("nested deeper than {MAX_DEPTH} levels")));
            }
            Some(Failed::Stopped) => return Err(Failure::Exception),
            Some(Failed::Malformed) => return Ok(None),
            None if !complete => return Ok(None),
            None => {}
        }
        self.host.poll().map_err(Failure::Host)?;
        if let Some(objects) = objects {
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
            let item = rest.ok_or_else(|| crate::marshal::internal("tape rest"))?;
            let item = item.get_index(scope, index).ok_or(Failure::Exception)?;
            if item.is_object() {
                objects_later.push((item, slot, array));
                continue;
            }
            let value = self.walk(item)?;
            let value = self.host.hold(value);
            self.put(&mut hashes, &mut root, slot, array, value)?;
        }
        for pending in hashes.iter().filter(|h| !h.entries.is_empty()) {
            self.host.hash_fill(pending.hash, &pending.entries).map_err(Failure::Host)?;
        }
        let rehash = !objects_later.is_empty();
        for (item, slot, array) in objects_later {
            let value = self.walk(item)?;
            match slot {
                // The hash is filled: set the entry (its key is at pos - 1).
                Slot::Hash { hash, pos } => {
                    let key = *hashes[hash].entries.get(pos - 1).ok_or_else(|| crate::marshal::internal("tape key"))?;
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
            Slot::Hash { hash, pos } => hashes[hash].entries[pos] = value,
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

/// The counts before the codes on the tape (see `TAPE_JS`).
const HEADER: usize = 5;

/// Room for a typed array small enough for V8 to keep on its heap, whose
/// elements `elements` copies out (aligned for any element type). The
/// archive's V8 keeps none there (`v8_typed_array_max_size_in_heap` is 0),
/// so this is empty and the window is always the backing store's.
type Small = [f64; v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP / 8];
const _: () = assert!(v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP % 8 == 0);

/// The elements of a fresh, unshared typed array of `T`: copied into
/// `small` when V8 keeps them on its heap, else its backing store's window.
///
/// # Safety
/// `T` is the array's element type; the slice is used while `array` is
/// alive and before any JS runs again.
unsafe fn elements<'a, T>(array: v8::Local<'a, v8::ArrayBufferView>, small: &'a mut Small) -> &'a [T] {
    // SAFETY: `small` is plain memory of its own size.
    let storage =
        unsafe { std::slice::from_raw_parts_mut(small.as_mut_ptr() as *mut u8, std::mem::size_of::<Small>()) };
    // SAFETY: a live view; the span is in `storage` or the backing store.
    let (data, size) = unsafe { array.get_contents_raw_parts(storage) };
    let len = size / std::mem::size_of::<T>();
    if len == 0 || data.is_null() {
        return &[];
    }
    // SAFETY: the caller's promise; both places are aligned to the elements.
    unsafe { std::slice::from_raw_parts(data as *const T, len) }
}
