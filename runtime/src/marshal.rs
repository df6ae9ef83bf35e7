//! The walk from a JS value to a host value. The host builds its own values
//! directly through `HostValues`: no intermediate tree, no JSON.
//!
//! An object reached twice becomes the same host value (cycles included):
//! containers are made and remembered before their children are walked.
//! The walk checks the machine stack it has left, polls the host and the
//! isolate's termination every so often (a 30-million-element sparse array
//! must still stop), and never holds a V8 string view across a host call.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use std::ffi::c_void;

use crate::error::{ErrorKind, Failure, JsError};
use crate::function::{self, FunctionId};
use crate::realm_helpers::entries_helper;

/// Builds host values as the walk meets JS values. Containers are created
/// first, remembered, then filled in place.
///
/// Contract: every `Value` handed to the walk stays valid (not collected,
/// not moved) until the walk returns; the walk keeps some in Rust memory.
pub trait HostValues {
    type Value: Copy;
    type Error;
    /// `undefined` and `null`.
    fn nil(&mut self) -> Result<Self::Value, Self::Error>;
    fn boolean(&mut self, value: bool) -> Result<Self::Value, Self::Error>;
    fn integer(&mut self, value: i64) -> Result<Self::Value, Self::Error>;
    /// A BigInt beyond 64 bits: its magnitude as little-endian 64-bit words.
    fn big_integer(&mut self, negative: bool, words: &[u64]) -> Result<Self::Value, Self::Error>;
    fn float(&mut self, value: f64) -> Result<Self::Value, Self::Error>;
    /// A string of `len` bytes of UTF-8 that `fill` writes into the buffer
    /// it is given (exactly `len` bytes long); `fill` returns the bytes written.
    fn string(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Result<Self::Value, Self::Error>;
    /// A property name (the same names recur: the walk caches them).
    fn key(&mut self, name: &str) -> Result<Self::Value, Self::Error>;
    /// Bytes (an ArrayBuffer or a view's window), like `string`.
    fn binary(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Result<Self::Value, Self::Error>;
    /// A Date, in milliseconds since the epoch (NaN for an invalid Date).
    fn date(&mut self, epoch_ms: f64) -> Result<Self::Value, Self::Error>;
    /// A JS function kept in the isolate's function table under `id`.
    fn function(&mut self, id: FunctionId) -> Result<Self::Value, Self::Error>;
    fn new_array(&mut self, len: usize) -> Result<Self::Value, Self::Error>;
    fn array_push(&mut self, array: Self::Value, item: Self::Value) -> Result<(), Self::Error>;
    /// Replaces item `index` (already pushed) of an array the walk made.
    fn array_store(&mut self, array: Self::Value, index: u32, item: Self::Value) -> Result<(), Self::Error>;
    /// Appends several items at once (immediates, or values the host keeps).
    fn array_extend(&mut self, array: Self::Value, items: &[Self::Value]) -> Result<(), Self::Error> {
        items.iter().try_for_each(|item| self.array_push(array, *item))
    }
    /// A plain object's container (`keys` own enumerable properties).
    fn new_hash(&mut self, keys: usize) -> Result<Self::Value, Self::Error>;
    /// A Map's container.
    fn new_map(&mut self) -> Result<Self::Value, Self::Error>;
    /// Sets a key of a hash or a map.
    fn hash_set(&mut self, hash: Self::Value, key: Self::Value, value: Self::Value) -> Result<(), Self::Error>;
    /// Sets a fresh hash's keys from alternating keys and values, at once.
    fn hash_fill(&mut self, hash: Self::Value, pairs: &[Self::Value]) -> Result<(), Self::Error> {
        for pair in pairs.chunks_exact(2) {
            self.hash_set(hash, pair[0], pair[1])?;
        }
        Ok(())
    }
    /// Sets a fresh Map's entries from alternating keys and values, at once
    /// (two keys JS tells apart may be equal to the host: the last wins).
    fn map_fill(&mut self, map: Self::Value, pairs: &[Self::Value]) -> Result<(), Self::Error> {
        for pair in pairs.chunks_exact(2) {
            self.hash_set(map, pair[0], pair[1])?;
        }
        Ok(())
    }
    /// `value` waits in the walk's memory until the walk stores it: the
    /// host keeps it alive and in place until the walk ends.
    fn hold(&mut self, value: Self::Value) -> Self::Value {
        value
    }
    fn new_set(&mut self) -> Result<Self::Value, Self::Error>;
    /// A Symbol, by its description (None: it has none). By default its
    /// printable form ("Symbol(x)"), so one symbol inside a large object
    /// never fails the whole result.
    fn symbol(&mut self, description: Option<&str>) -> Result<Self::Value, Self::Error> {
        let text = format!("Symbol({})", description.unwrap_or(""));
        self.string(text.len(), &mut |buf| {
            buf.copy_from_slice(text.as_bytes());
            text.len()
        })
    }
    fn set_add(&mut self, set: Self::Value, item: Self::Value) -> Result<(), Self::Error>;
    /// Adds items to a fresh Set, in order.
    fn set_fill(&mut self, set: Self::Value, items: &[Self::Value]) -> Result<(), Self::Error> {
        items.iter().try_for_each(|item| self.set_add(set, *item))
    }
    /// The walk filled containers after Maps or Sets took them as keys or
    /// items: the host re-hashes the Maps and Sets it made.
    fn rehash(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Called every `POLL_EVERY` steps of a long walk: the host serves its
    /// own interrupts here; an error stops the walk.
    fn poll(&mut self) -> Result<(), Self::Error>;
    /// Whether the host has an interrupt waiting that `poll` would serve
    /// (asked inside `Array::Iterate`, where `poll` may not run: it must
    /// run no host code).
    fn interrupt_pending(&self) -> bool {
        false
    }
}

unsafe extern "C" {
    /// `v8::Array::Iterate(Local<Context>, IterationCallback, void*)`: the
    /// crate does not wrap it, the archive exports it. Returns Maybe<void>.
    #[link_name = "_ZN2v85Array7IterateENS_5LocalINS_7ContextEEEPFNS0_14CallbackResultEjNS1_INS_5ValueEEEPvES7_"]
    pub(crate) fn v8_array_iterate(
        array: *const v8::Array,
        context: v8::Local<v8::Context>,
        callback: extern "C" fn(u32, v8::Local<v8::Value>, *mut c_void) -> i32,
        data: *mut c_void,
    ) -> bool;
}

/// Runs `Array::Iterate` over `array` with `callback`; false when V8
/// reports an exception (a getter of an element threw). Each callback runs
/// its body under `without_js` (a finalizer run by a Ruby allocation there
/// cannot re-enter an isolate); getters V8 itself runs are not inside it.
pub(crate) fn iterate(
    scope: &v8::PinScope<'_, '_>,
    array: v8::Local<'_, v8::Array>,
    callback: extern "C" fn(u32, v8::Local<v8::Value>, *mut c_void) -> i32,
    data: *mut c_void,
) -> bool {
    let context = scope.get_current_context();
    // SAFETY: live handles of the current isolate; the callbacks only read
    // V8 values (no V8 allocation) and never unwind.
    unsafe { v8_array_iterate(&*array, context, callback, data) }
}

/// Whether an `Array::Iterate` callback's element came by V8's fast path,
/// where no JS runs: that path passes each element in a slot on its own
/// stack frame, just above the callback's (elements read with `Get`, as
/// getters need, are in handle scope blocks, off the stack). A hole or a
/// double element of the fast path fails the test too; that costs speed
/// (the element is treated as possibly read by a getter), never exactness.
#[inline]
fn on_fast_path(element: v8::Local<'_, v8::Value>) -> bool {
    const NEAR: usize = 64 * 1024;
    let here = 0u8;
    let here = std::hint::black_box(&here) as *const u8 as usize;
    let slot = &*element as *const v8::Value as usize;
    slot > here && slot - here < NEAR
}

/// Longest JS array marshalled (2**27 elements: 1 GiB of Ruby references).
pub const MAX_ARRAY_LENGTH: u32 = 1 << 27;

/// Deepest nesting walked, whatever the stack allows.
pub const MAX_DEPTH: usize = 10_000;
/// Machine stack the walk leaves free (for the host's frames that follow).
const STACK_RESERVE: usize = 64 * 1024;
/// Steps between polls of the host and the termination flag.
pub(crate) const POLL_EVERY: u32 = 4096;

/// Converts `value`. Getters and proxy traps run; if one throws (or the
/// isolate is terminated meanwhile), the result is `Failure::Exception`
/// with the exception pending in `scope`.
pub fn to_host<'s, H: HostValues>(
    scope: &v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
    host: &mut H,
) -> Result<H::Value, Failure<H::Error>> {
    // Primitives need none of the walk's tables.
    if let Some(out) = primitive(host, value) {
        return out.map_err(Failure::Host);
    }
    let mut walk = Walk {
        scope,
        host,
        depth: 0,
        steps: 0,
        seen: Seen::default(),
        keys: Seen::default(),
        entries: None,
        spare_slots: Vec::new(),
        spare_done: Vec::new(),
        text: Text::default(),
        tape_root_array: value.is_array(),
    };
    // (An array's first run of primitives decides: see `container`.)
    if !value.is_array() {
        if let Some(out) = walk.tape(value)? {
            return Ok(out);
        }
    }
    walk.walk(value)
}

/// A number, boolean or nil as a host value, or None for anything else.
/// Reads only (no V8 call that allocates), so Iterate callbacks use it too.
#[inline]
pub(crate) fn primitive<H: HostValues>(
    host: &mut H,
    value: v8::Local<'_, v8::Value>,
) -> Option<Result<H::Value, H::Error>> {
    if value.is_int32() {
        // SAFETY: checked just above.
        return Some(host.integer(i64::from(unsafe { v8::Local::<v8::Int32>::cast_unchecked(value) }.value())));
    }
    if value.is_number() {
        // SAFETY: checked just above.
        return Some(number(host, unsafe { v8::Local::<v8::Number>::cast_unchecked(value) }.value()));
    }
    if value.is_null_or_undefined() {
        return Some(host.nil());
    }
    if value.is_boolean() {
        return Some(host.boolean(value.is_true()));
    }
    None
}

/// Counts a step of a long walk outside V8's frames; every `POLL_EVERY`
/// steps it polls the host (Ruby's interrupts) and the termination:
/// `Err(Some)` is the host's error, `Err(None)` a stop request.
pub(crate) fn count_step<H: HostValues>(
    steps: &mut u32,
    host: &mut H,
    isolate: &v8::Isolate,
) -> Result<(), Option<H::Error>> {
    *steps += 1;
    if *steps % POLL_EVERY == 0 {
        host.poll().map_err(Some)?;
        if crate::termination::stop_requested(isolate) {
            return Err(None);
        }
    }
    Ok(())
}

/// Integral numbers within ±2**53 become integers (JS has no separate
/// type); -0, fractions, NaN, the infinities and larger values stay floats.
pub(crate) fn number<H: HostValues>(host: &mut H, f: f64) -> Result<H::Value, H::Error> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if f.fract() == 0.0 && f.abs() <= EXACT && !(f == 0.0 && f.is_sign_negative()) {
        host.integer(f as i64)
    } else {
        host.float(f)
    }
}

/// Items appended to a host array in batches (one `array_extend` per
/// `BATCH` instead of a push each), each held by the host while it waits.
struct Appender<V> {
    out: V,
    batch: Vec<V>,
}

impl<V: Copy> Appender<V> {
    const BATCH: usize = 256;

    fn new(out: V) -> Self {
        Appender { out, batch: Vec::with_capacity(Self::BATCH) }
    }

    fn push<H: HostValues<Value = V>>(&mut self, host: &mut H, item: V) -> Result<(), H::Error> {
        self.batch.push(host.hold(item));
        if self.batch.len() == Self::BATCH {
            return self.flush(host);
        }
        Ok(())
    }

    fn flush<H: HostValues<Value = V>>(&mut self, host: &mut H) -> Result<(), H::Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let appended = host.array_extend(self.out, &self.batch);
        self.batch.clear();
        appended
    }
}

/// A hasher for V8's identity hashes, which are random already.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_i32(&mut self, i: i32) {
        self.0 = i as u32 as u64;
    }
}

/// JS heap objects already converted, by identity hash (chained on the
/// rare collision), with their host values.
pub(crate) struct Seen<'s, T, V> {
    heads: HashMap<i32, usize, BuildHasherDefault<IdentityHasher>>,
    entries: Vec<(v8::Local<'s, T>, V, usize)>,
}

impl<T, V> Default for Seen<'_, T, V> {
    fn default() -> Self {
        Seen { heads: HashMap::default(), entries: Vec::new() }
    }
}

const NONE: usize = usize::MAX;

impl<'s, T: PartialEq, V: Copy> Seen<'s, T, V> {
    fn get(&self, hash: i32, object: v8::Local<'s, T>) -> Option<V> {
        let mut i = *self.heads.get(&hash)?;
        while i != NONE {
            let (seen, value, next) = &self.entries[i];
            // Identity for objects, contents for strings.
            if **seen == *object {
                return Some(*value);
            }
            i = *next;
        }
        None
    }

    pub(crate) fn insert(&mut self, hash: i32, object: v8::Local<'s, T>, value: V) {
        let next = self.heads.insert(hash, self.entries.len()).unwrap_or(NONE);
        self.entries.push((object, value, next));
    }
}

pub(crate) struct Walk<'a, 's, 'i, H: HostValues> {
    pub(crate) scope: &'a v8::PinScope<'s, 'i>,
    pub(crate) host: &'a mut H,
    depth: usize,
    steps: u32,
    pub(crate) seen: Seen<'s, v8::Object, H::Value>,
    keys: Seen<'s, v8::String, H::Value>,
    /// The realm's entries helper, once looked up (Some(None): it has none).
    entries: Option<Option<v8::Local<'s, v8::Function>>>,
    spare_slots: Vec<Vec<Option<H::Value>>>,
    spare_done: Vec<Vec<H::Value>>,
    /// Scratch for strings read inside `Array::Iterate`.
    text: Text,
    /// Whether the next array is the root, for which the tape is tried.
    tape_root_array: bool,
}

impl<'s, H: HostValues> Walk<'_, 's, '_, H> {
    pub(crate) fn walk(&mut self, value: v8::Local<'s, v8::Value>) -> Result<H::Value, Failure<H::Error>> {
        if let Some(out) = primitive(self.host, value) {
            return out.map_err(Failure::Host);
        }
        if value.is_string() {
            // SAFETY: checked just above.
            return self.string(unsafe { v8::Local::cast_unchecked(value) });
        }
        if value.is_big_int() {
            return self.big_int(value);
        }
        if value.is_symbol() {
            return self.symbol(value);
        }
        let Ok(object) = v8::Local::<v8::Object>::try_from(value) else {
            // Nothing else is a primitive; say what it was rather than fail.
            let text = value.to_rust_string_lossy(self.scope);
            return self.text(&text);
        };
        let hash = object.get_identity_hash().get();
        if let Some(known) = self.seen.get(hash, object) {
            return Ok(known);
        }
        self.tick()?;
        self.descend()?;
        let out = self.container(value, object, hash);
        self.depth -= 1;
        out
    }

    /// Counts a step; every so often polls the host and the termination.
    pub(crate) fn tick(&mut self) -> Result<(), Failure<H::Error>> {
        count_step(&mut self.steps, self.host, self.scope).map_err(|e| e.map_or(Failure::Exception, Failure::Host))
    }

    fn descend(&mut self) -> Result<(), Failure<H::Error>> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        if crate::stack::remaining() < STACK_RESERVE {
            return Err(too_deep("nested too deeply for the machine stack left here"));
        }
        self.depth += 1;
        Ok(())
    }

    fn remember(&mut self, hash: i32, object: v8::Local<'s, v8::Object>, out: H::Value) -> H::Value {
        self.seen.insert(hash, object, out);
        out
    }

    fn container(
        &mut self,
        value: v8::Local<'s, v8::Value>,
        object: v8::Local<'s, v8::Object>,
        hash: i32,
    ) -> Result<H::Value, Failure<H::Error>> {
        let host = |r: Result<H::Value, H::Error>| r.map_err(Failure::Host);
        if value.is_array() {
            // SAFETY: checked just above.
            let array: v8::Local<v8::Array> = unsafe { v8::Local::cast_unchecked(value) };
            let len = array.length();
            if len > MAX_ARRAY_LENGTH {
                // A sparse `a.length = 2**32 - 1` is billions of nils in Ruby:
                // say so instead of exhausting memory.
                return Err(Failure::Js(JsError::new(
                    ErrorKind::Marshal,
                    format!("cannot marshal an array of {len} elements to Ruby (the limit is {MAX_ARRAY_LENGTH})"),
                )));
            }
            let out = host(self.host.new_array(len as usize))?;
            // (Its run holds no container: the array is remembered after it.)
            let (start, stopped_at) = self.known_prefix(array, out)?;
            // A root array that starts with an object (read by V8's fast
            // path: the tape's helper may read it again) goes by the tape.
            if std::mem::take(&mut self.tape_root_array) && len > 0 && start == 0 && stopped_at.is_none() {
                if let Some(laid) = self.tape(value)? {
                    return Ok(laid);
                }
            }
            self.remember(hash, object, out);
            let start = match stopped_at {
                Some(element) => {
                    let item = v8::Local::new(self.scope, &element);
                    let item = self.walk(item)?;
                    self.host.array_push(out, item).map_err(Failure::Host)?;
                    start + 1
                }
                None => start,
            };
            self.push_items(array.into(), start..len, out)?;
            return Ok(out);
        }
        if value.is_function() {
            // SAFETY: checked just above.
            let id = function::keep(self.scope, unsafe { v8::Local::cast_unchecked(value) });
            let out = host(self.host.function(id))?;
            return Ok(self.remember(hash, object, out));
        }
        if value.is_date() {
            // SAFETY: checked just above.
            let date: v8::Local<v8::Date> = unsafe { v8::Local::cast_unchecked(value) };
            let out = host(self.host.date(date.value_of()))?;
            return Ok(self.remember(hash, object, out));
        }
        if value.is_array_buffer_view() {
            // SAFETY: checked just above.
            let view: v8::Local<v8::ArrayBufferView> = unsafe { v8::Local::cast_unchecked(value) };
            let out = host(self.host.binary(view.byte_length(), &mut |buf| view.copy_contents(buf)))?;
            return Ok(self.remember(hash, object, out));
        }
        if value.is_array_buffer() || value.is_shared_array_buffer() {
            let store = if value.is_array_buffer() {
                // SAFETY: checked just above.
                unsafe { v8::Local::<v8::ArrayBuffer>::cast_unchecked(value) }.get_backing_store()
            } else {
                // SAFETY: checked just above.
                unsafe { v8::Local::<v8::SharedArrayBuffer>::cast_unchecked(value) }.get_backing_store()
            };
            let out = host(self.host.binary(store.byte_length(), &mut |buf| {
                let Some(data) = store.data() else { return 0 };
                let n = buf.len().min(store.byte_length());
                // SAFETY: the store holds byte_length bytes and outlives this copy.
                unsafe { std::ptr::copy_nonoverlapping(data.as_ptr() as *const u8, buf.as_mut_ptr(), n) };
                n
            }))?;
            return Ok(self.remember(hash, object, out));
        }
        if value.is_map() {
            // SAFETY: checked just above.
            let pairs = unsafe { v8::Local::<v8::Map>::cast_unchecked(value) }.as_array(self.scope);
            let out = host(self.host.new_map())?;
            self.remember(hash, object, out);
            return self.filled(pairs, out, Layout::Map);
        }
        if value.is_set() {
            // SAFETY: checked just above.
            let items = unsafe { v8::Local::<v8::Set>::cast_unchecked(value) }.as_array(self.scope);
            let out = host(self.host.new_set())?;
            self.remember(hash, object, out);
            return self.filled(items, out, Layout::Items);
        }
        if is_proxy_of_array(self.scope, value) {
            return self.proxied_array(object, hash);
        }
        self.object(object, hash)
    }

    /// A Proxy whose target is an array, read as an array (as `Array.isArray`
    /// and `JSON.stringify` see it): `length`, then each index, through its traps.
    fn proxied_array(&mut self, object: v8::Local<'s, v8::Object>, hash: i32) -> Result<H::Value, Failure<H::Error>> {
        let key = v8::String::new(self.scope, "length").ok_or(Failure::Exception)?;
        let len = object.get(self.scope, key.into()).ok_or(Failure::Exception)?;
        let len = len.uint32_value(self.scope).ok_or(Failure::Exception)?.min(MAX_ARRAY_LENGTH);
        let out = self.host.new_array(len as usize).map_err(Failure::Host)?;
        self.remember(hash, object, out);
        self.push_items(object, 0..len, out)?;
        Ok(out)
    }

    /// Walks items `range` of `array` (an array, or a Proxy of one) onto `out`.
    fn push_items(
        &mut self,
        array: v8::Local<'s, v8::Object>,
        range: std::ops::Range<u32>,
        out: H::Value,
    ) -> Result<(), Failure<H::Error>> {
        for i in range {
            let item = array.get_index(self.scope, i).ok_or(Failure::Exception)?;
            let item = self.walk(item)?;
            self.host.array_push(out, item).map_err(Failure::Host)?;
            self.tick()?;
        }
        Ok(())
    }

    /// Converts the array's leading run of numbers, booleans, nils and
    /// strings with V8's `Array::Iterate` (no property lookup per element,
    /// short strings read with flat copies; a long one is left as nil and
    /// converted after); returns where the run stopped (at the first
    /// object, a gap V8 skipped, or the end) and, when V8 may have run a
    /// getter to read it, the element it stopped at. A host interrupt
    /// pauses the run: it is served between iterations, and the next one
    /// resumes where it paused.
    ///
    /// V8 reads an array whose elements have no getters without running JS
    /// (its fast path, where reading an element again is harmless); any
    /// other array it reads with `Get` from index 0 on each time, getters
    /// included. Each element's getter must run once, so unless the
    /// elements came by the fast path, the run is never restarted (what
    /// is left is read by index) and what it stopped at is kept.
    fn known_prefix(
        &mut self,
        array: v8::Local<'s, v8::Array>,
        out: H::Value,
    ) -> Result<(u32, Option<v8::Global<v8::Value>>), Failure<H::Error>> {
        struct Run<'a, H: HostValues> {
            host: &'a mut H,
            isolate: &'a v8::Isolate,
            /// Where this iteration starts (the elements before are done).
            start: u32,
            index: u32,
            steps: u32,
            paused: bool,
            /// Whether V8 passed the element the run paused at by its fast path.
            fast: bool,
            failed: Option<H::Error>,
            /// The element the run stopped at, when it may not have come by the fast path.
            stopped_at: Option<v8::Global<v8::Value>>,
            /// Items not yet appended to the array.
            batch: Appender<H::Value>,
            text: &'a mut Text,
            /// The long strings and their indices (nil in the array until converted).
            long: &'a mut Vec<(u32, v8::Global<v8::Value>)>,
        }
        extern "C" fn each<H: HostValues>(index: u32, element: v8::Local<v8::Value>, data: *mut c_void) -> i32 {
            crate::termination::without_js(|| run_one::<H>(index, element, data))
        }
        fn run_one<H: HostValues>(index: u32, element: v8::Local<v8::Value>, data: *mut c_void) -> i32 {
            const BREAK: i32 = 1;
            const CONTINUE: i32 = 2;
            // SAFETY: `data` is the Run below, alive for the iteration.
            let run = unsafe { &mut *(data as *mut Run<H>) };
            if index < run.start {
                return CONTINUE;
            }
            if index != run.index {
                // V8's fast path over a sparse array skips its holes: the
                // rest is read by index.
                return BREAK;
            }
            // Only reads: the callback must not allocate on V8's heap (a
            // global handle is not on it).
            let item = if element.is_string() {
                // SAFETY: checked just above.
                let s: v8::Local<v8::String> = unsafe { v8::Local::cast_unchecked(element) };
                match run.text.utf8(run.isolate, s) {
                    Some(text) => text_value(run.host, text),
                    None => {
                        run.long.push((index, v8::Global::new(run.isolate, element)));
                        run.host.nil()
                    }
                }
            } else {
                let Some(item) = primitive(run.host, element) else {
                    if !on_fast_path(element) {
                        run.stopped_at = Some(v8::Global::new(run.isolate, element));
                    }
                    return BREAK;
                };
                item
            };
            if let Err(e) = item.and_then(|item| run.batch.push(run.host, item)) {
                run.failed = Some(e);
                return BREAK;
            }
            run.index = index + 1;
            run.steps += 1;
            // No host code runs inside the iteration (see `iterate`): a stop
            // request ends it, a host interrupt pauses it.
            if run.steps % POLL_EVERY == 0 {
                if crate::termination::stop_requested(run.isolate) {
                    return BREAK;
                }
                if run.host.interrupt_pending() {
                    run.paused = true;
                    run.fast = on_fast_path(element);
                    return BREAK;
                }
            }
            CONTINUE
        }
        let mut text = std::mem::take(&mut self.text);
        let mut long = Vec::new();
        let runs = (|| {
            let mut start = 0;
            loop {
                let mut run = Run {
                    host: &mut *self.host,
                    isolate: self.scope,
                    start,
                    index: start,
                    steps: 0,
                    paused: false,
                    fast: false,
                    failed: None,
                    stopped_at: None,
                    batch: Appender::new(out),
                    text: &mut text,
                    long: &mut long,
                };
                let ok = iterate(self.scope, array, each::<H>, &mut run as *mut Run<H> as *mut c_void);
                // What the last batch holds was converted: append it (the index is past it).
                if let Err(e) = run.batch.flush(run.host) {
                    run.failed.get_or_insert(e);
                }
                let (index, steps, paused, fast, failed, stopped_at) =
                    (run.index, run.steps, run.paused, run.fast, run.failed, run.stopped_at);
                self.steps = self.steps.wrapping_add(steps);
                match (failed, ok) {
                    (Some(e), _) => return Err(Failure::Host(e)),
                    (None, false) => return Err(Failure::Exception),
                    // The host's interrupts are served here, outside V8's iteration.
                    (None, true) => self.host.poll().map_err(Failure::Host)?,
                }
                if crate::termination::stop_requested(self.scope) {
                    return Err(Failure::Exception);
                }
                start = index;
                // (Another iteration would read from index 0 again.)
                if !paused || !fast {
                    return Ok((start, stopped_at));
                }
            }
        })();
        self.text = text;
        let prefix = runs?;
        for (index, element) in long {
            let item = v8::Local::new(self.scope, &element);
            let item = self.walk(item)?;
            self.host.array_store(out, index, item).map_err(Failure::Host)?;
            self.tick()?;
        }
        Ok(prefix)
    }

    fn object(&mut self, object: v8::Local<'s, v8::Object>, hash: i32) -> Result<H::Value, Failure<H::Error>> {
        let helper = *self.entries.get_or_insert_with(|| entries_helper(self.scope));
        let Some(helper) = helper else { return self.object_by_names(object, hash) };
        let undefined = v8::undefined(self.scope).into();
        let flat = helper.call(self.scope, undefined, &[object.into()]).ok_or(Failure::Exception)?;
        // (Anything but an array: the general walk reads it by property names.)
        let Ok(flat) = v8::Local::<v8::Array>::try_from(flat) else { return self.object_by_names(object, hash) };
        let out = self.host.new_hash(flat.length() as usize / 2).map_err(Failure::Host)?;
        self.remember(hash, object, out);
        self.filled(flat, out, Layout::Object)
    }

    /// Fills `out` from `flat` (laid out as `layout` says): what needs no V8
    /// call that allocates straight from V8's elements (primitives, strings
    /// and known names), the rest (new names, long strings, objects)
    /// afterwards by index, in order; then the container in one step.
    fn filled(
        &mut self,
        flat: v8::Local<'s, v8::Array>,
        out: H::Value,
        layout: Layout,
    ) -> Result<H::Value, Failure<H::Error>> {
        let mut len = flat.length();
        if len > MAX_ARRAY_LENGTH {
            // Only user code that took over the helper's array gets here.
            return Err(Failure::Js(JsError::new(
                ErrorKind::Marshal,
                format!("cannot marshal a container of {len} entries to Ruby (the limit is {MAX_ARRAY_LENGTH})"),
            )));
        }
        if layout != Layout::Items {
            len &= !1; // whole pairs only
        }
        // Scratch buffers are reused across the walk's containers (and levels).
        let mut slots = self.spare_slots.pop().unwrap_or_default();
        slots.clear();
        slots.resize(len as usize, None);
        let mut done = self.spare_done.pop().unwrap_or_default();
        done.clear();
        let filled = self.fill(flat, out, layout, &mut slots, &mut done);
        self.spare_slots.push(slots);
        self.spare_done.push(done);
        filled.map(|()| out)
    }

    fn fill(
        &mut self,
        flat: v8::Local<'s, v8::Array>,
        out: H::Value,
        layout: Layout,
        slots: &mut [Option<H::Value>],
        done: &mut Vec<H::Value>,
    ) -> Result<(), Failure<H::Error>> {
        self.read_known(flat, layout, slots)?;
        // Each value is held by the host until the container is filled.
        for (i, slot) in slots.iter().enumerate() {
            let value = match slot {
                Some(value) => *value,
                None => {
                    let item = flat.get_index(self.scope, i as u32).ok_or(Failure::Exception)?;
                    if layout == Layout::Object && i % 2 == 0 {
                        self.key(item)?
                    } else {
                        let value = self.walk(item)?;
                        self.host.hold(value)
                    }
                }
            };
            done.push(value);
            self.tick()?;
        }
        match layout {
            Layout::Object => self.host.hash_fill(out, done),
            Layout::Map => self.host.map_fill(out, done),
            Layout::Items => self.host.set_fill(out, done),
        }
        .map_err(Failure::Host)
    }

    /// Fills `slots` with the elements of `flat` that need no V8 call that
    /// allocates: numbers, booleans, nils and strings (Map keys as names),
    /// and an object's names already converted in this walk.
    fn read_known(
        &mut self,
        flat: v8::Local<'s, v8::Array>,
        layout: Layout,
        slots: &mut [Option<H::Value>],
    ) -> Result<(), Failure<H::Error>> {
        struct Read<'a, 's, H: HostValues> {
            host: &'a mut H,
            isolate: &'a v8::Isolate,
            keys: &'a Seen<'s, v8::String, H::Value>,
            layout: Layout,
            text: &'a mut Text,
            slots: &'a mut [Option<H::Value>],
            steps: u32,
            failed: Option<H::Error>,
        }
        extern "C" fn each<H: HostValues>(index: u32, element: v8::Local<v8::Value>, data: *mut c_void) -> i32 {
            crate::termination::without_js(|| read_one::<H>(index, element, data))
        }
        fn read_one<H: HostValues>(index: u32, element: v8::Local<v8::Value>, data: *mut c_void) -> i32 {
            const BREAK: i32 = 1;
            const CONTINUE: i32 = 2;
            // SAFETY: `data` is the Read below, alive for the iteration.
            let read = unsafe { &mut *(data as *mut Read<H>) };
            let Some(slot) = read.slots.get_mut(index as usize) else { return BREAK };
            read.steps += 1;
            // No host code runs inside the iteration (see `iterate`): a stop
            // request ends it, and the caller reports it; a host interrupt
            // ends it too, to be served, and the caller reads the rest.
            if read.steps % POLL_EVERY == 0
                && (crate::termination::stop_requested(read.isolate) || read.host.interrupt_pending())
            {
                return BREAK;
            }
            let is_key = index % 2 == 0 && read.layout != Layout::Items;
            if is_key && read.layout == Layout::Object && !element.is_string() {
                return CONTINUE; // a name to print: key() converts it
            }
            let item = if element.is_string() {
                // SAFETY: checked just above.
                let s: v8::Local<v8::String> = unsafe { v8::Local::cast_unchecked(element) };
                match (is_key, read.layout) {
                    // Hashing and comparing an (internalized) name allocates
                    // nothing; a new one is converted (and cached) later.
                    (true, Layout::Object) => {
                        *slot = read.keys.get(s.get_identity_hash().get(), s);
                        return CONTINUE;
                    }
                    // Map keys rarely recur: a frozen String, as a Hash
                    // keeps a String key, made at once.
                    (true, _) => match read.text.utf8(read.isolate, s) {
                        // SAFETY: utf8() writes valid UTF-8.
                        Some(text) => read.host.key(unsafe { std::str::from_utf8_unchecked(text) }),
                        None => return CONTINUE,
                    },
                    _ => match read.text.utf8(read.isolate, s) {
                        Some(text) => text_value(read.host, text).map(|s| read.host.hold(s)),
                        None => return CONTINUE,
                    },
                }
            } else {
                let Some(item) = primitive(read.host, element) else { return CONTINUE };
                item
            };
            match item {
                Ok(item) => *slot = Some(item),
                Err(e) => {
                    read.failed = Some(e);
                    return BREAK;
                }
            }
            CONTINUE
        }
        let mut text = std::mem::take(&mut self.text);
        let mut read = Read {
            host: &mut *self.host,
            isolate: self.scope,
            keys: &self.keys,
            layout,
            text: &mut text,
            slots,
            steps: 0,
            failed: None,
        };
        let ok = iterate(self.scope, flat, each::<H>, &mut read as *mut Read<H> as *mut c_void);
        let failed = read.failed.take();
        self.text = text;
        match failed {
            Some(e) => Err(Failure::Host(e)),
            None if !ok || crate::termination::stop_requested(self.scope) => Err(Failure::Exception),
            // (A pending interrupt is served here, outside the iteration.)
            None => self.host.poll().map_err(Failure::Host),
        }
    }

    /// The object's properties through V8's property-names API (a realm
    /// without the entries helper).
    fn object_by_names(&mut self, object: v8::Local<'s, v8::Object>, hash: i32) -> Result<H::Value, Failure<H::Error>> {
        let args =
            v8::GetPropertyNamesArgs { key_conversion: v8::KeyConversionMode::ConvertToString, ..Default::default() };
        let names = object.get_own_property_names(self.scope, args).ok_or(Failure::Exception)?;
        let count = names.length();
        let out = self.host.new_hash(count as usize).map_err(Failure::Host)?;
        self.remember(hash, object, out);
        for i in 0..count {
            let name = names.get_index(self.scope, i).ok_or(Failure::Exception)?;
            let item = object.get(self.scope, name).ok_or(Failure::Exception)?;
            let key = self.key(name)?;
            let item = self.walk(item)?;
            self.host.hash_set(out, key, item).map_err(Failure::Host)?;
            self.tick()?;
        }
        Ok(out)
    }

    /// A property name as a host key, cached: names recur across objects.
    pub(crate) fn key(&mut self, name: v8::Local<'s, v8::Value>) -> Result<H::Value, Failure<H::Error>> {
        let Ok(name) = v8::Local::<v8::String>::try_from(name) else {
            // ConvertToString gives strings; anything else is printed.
            let text = name.to_rust_string_lossy(self.scope);
            return self.host.key(&text).map_err(Failure::Host);
        };
        let hash = name.get_identity_hash().get();
        if let Some(known) = self.keys.get(hash, name) {
            return Ok(known);
        }
        let mut small = [0u8; 128];
        let len = name.utf8_length(self.scope);
        let mut large = Vec::new();
        let buf = if len <= small.len() {
            &mut small[..len]
        } else {
            large.resize(len, 0);
            &mut large[..]
        };
        let written = name.write_utf8_v2(self.scope, buf, v8::WriteFlags::kReplaceInvalidUtf8, None);
        // Lone surrogates were replaced, so this is valid UTF-8.
        let text = String::from_utf8_lossy(&buf[..written.min(len)]);
        let key = self.host.key(&text).map_err(Failure::Host)?;
        self.keys.insert(hash, name, key);
        Ok(key)
    }

    fn string(&mut self, s: v8::Local<'s, v8::String>) -> Result<H::Value, Failure<H::Error>> {
        let scope = self.scope;
        let len = s.utf8_length(scope);
        self.host
            .string(len, &mut |buf| s.write_utf8_v2(scope, buf, v8::WriteFlags::kReplaceInvalidUtf8, None))
            .map_err(Failure::Host)
    }

    fn text(&mut self, text: &str) -> Result<H::Value, Failure<H::Error>> {
        text_value(self.host, text.as_bytes()).map_err(Failure::Host)
    }

    fn big_int(&mut self, value: v8::Local<'s, v8::Value>) -> Result<H::Value, Failure<H::Error>> {
        // SAFETY: the caller checked is_big_int.
        let big: v8::Local<v8::BigInt> = unsafe { v8::Local::cast_unchecked(value) };
        let (i, lossless) = big.i64_value();
        if lossless {
            return self.host.integer(i).map_err(Failure::Host);
        }
        let mut words = vec![0u64; big.word_count()];
        let (negative, words) = big.to_words_array(&mut words);
        self.host.big_integer(negative, words).map_err(Failure::Host)
    }

    /// A Symbol, as the host takes it (see `HostValues::symbol`).
    fn symbol(&mut self, value: v8::Local<'s, v8::Value>) -> Result<H::Value, Failure<H::Error>> {
        // SAFETY: the caller checked is_symbol.
        let symbol: v8::Local<v8::Symbol> = unsafe { v8::Local::cast_unchecked(value) };
        let description = symbol.description(self.scope);
        let description = (!description.is_undefined()).then(|| description.to_rust_string_lossy(self.scope));
        self.host.symbol(description.as_deref()).map_err(Failure::Host)
    }
}

/// Whether `value` is a Proxy (of a Proxy …) of an array.
fn is_proxy_of_array(scope: &v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> bool {
    let mut value: v8::Local<v8::Value> = value;
    for _ in 0..64 {
        let Ok(proxy) = v8::Local::<v8::Proxy>::try_from(value) else { return value.is_array() };
        if proxy.is_revoked() {
            return false;
        }
        value = proxy.get_target(scope);
    }
    false
}

/// How the elements of a flat array fill a container.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// An object's property names and values, alternating.
    Object,
    /// A Map's keys (any value) and values, alternating.
    Map,
    /// A Set's items.
    Items,
}

/// Strings longer than this are read the usual way (not into scratch).
const SHORT_STRING: usize = 1 << 12;

/// Scratch for reading strings with V8's flat copies only: no allocation
/// on V8's heap (cons strings included), so `Array::Iterate` callbacks can.
#[derive(Default)]
struct Text {
    bytes: Vec<u8>,
    units: Vec<u16>,
    utf8: Vec<u8>,
}

impl Text {
    /// The string as UTF-8 (lone surrogates as U+FFFD, as `write_utf8_v2`
    /// with `kReplaceInvalidUtf8` gives it); None when it is long.
    fn utf8(&mut self, isolate: &v8::Isolate, s: v8::Local<v8::String>) -> Option<&[u8]> {
        let len = s.length();
        if len > SHORT_STRING {
            return None;
        }
        if s.is_onebyte() {
            self.bytes.resize(len, 0);
            s.write_one_byte_v2(isolate, 0, &mut self.bytes, v8::WriteFlags::empty());
            if self.bytes.is_ascii() {
                return Some(&self.bytes);
            }
            self.utf8.resize(len * 2, 0);
            let n = latin1_to_utf8(&self.bytes, &mut self.utf8);
            return Some(&self.utf8[..n]);
        }
        self.units.resize(len, 0);
        s.write_v2(isolate, 0, &mut self.units, v8::WriteFlags::empty());
        self.utf8.resize(len * 3, 0);
        let n = utf16_to_utf8(&self.units, &mut self.utf8);
        Some(&self.utf8[..n])
    }
}

/// A host string of this UTF-8 text.
fn text_value<H: HostValues>(host: &mut H, text: &[u8]) -> Result<H::Value, H::Error> {
    host.string(text.len(), &mut |buf| {
        buf.copy_from_slice(text);
        text.len()
    })
}

fn latin1_to_utf8(latin1: &[u8], out: &mut [u8]) -> usize {
    let mut n = 0;
    for &b in latin1 {
        if b < 0x80 {
            out[n] = b;
            n += 1;
        } else {
            out[n] = 0xC0 | (b >> 6);
            out[n + 1] = 0x80 | (b & 0x3F);
            n += 2;
        }
    }
    n
}

/// Writes `units` as UTF-8 into `out` (at least 3 bytes per unit), lone
/// surrogates as U+FFFD; returns the bytes written.
fn utf16_to_utf8(units: &[u16], out: &mut [u8]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < units.len() {
        let u = u32::from(units[i]);
        i += 1;
        if u < 0x80 {
            out[n] = u as u8;
            n += 1;
        } else if u < 0x800 {
            out[n] = 0xC0 | (u >> 6) as u8;
            out[n + 1] = 0x80 | (u & 0x3F) as u8;
            n += 2;
        } else if !(0xD800..0xE000).contains(&u) {
            out[n] = 0xE0 | (u >> 12) as u8;
            out[n + 1] = 0x80 | ((u >> 6) & 0x3F) as u8;
            out[n + 2] = 0x80 | (u & 0x3F) as u8;
            n += 3;
        } else if let Some(low) =
            units.get(i).map(|l| u32::from(*l)).filter(|l| u < 0xDC00 && (0xDC00..0xE000).contains(l))
        {
            // A high surrogate and the low one after it: one astral character.
            let c = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
            i += 1;
            out[n] = 0xF0 | (c >> 18) as u8;
            out[n + 1] = 0x80 | ((c >> 12) & 0x3F) as u8;
            out[n + 2] = 0x80 | ((c >> 6) & 0x3F) as u8;
            out[n + 3] = 0x80 | (c & 0x3F) as u8;
            n += 4;
        } else {
            out[n..n + 3].copy_from_slice("\u{FFFD}".as_bytes());
            n += 3;
        }
    }
    n
}

pub(crate) fn internal<E>(what: &str) -> Failure<E> {
    Failure::Js(JsError::new(ErrorKind::Usage, format!("internal error: {what} failed")))
}

pub(crate) fn too_deep<E>(why: &str) -> Failure<E> {
    Failure::Js(JsError::new(ErrorKind::Marshal, format!("cannot marshal a value to Ruby: it is {why}")))
}
