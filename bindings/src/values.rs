//! Values between Ruby and JS. `RubyValues` builds Ruby objects as the
//! runtime's walk meets JS values; `ToJs` walks Ruby values into JS. Both
//! keep shared references and cycles (an object reached twice is converted
//! once), check the depth and the machine stack they have left, and make
//! every Ruby allocation whose size comes from the other side under
//! protection, so a Ruby exception never unwinds through V8 or the walk.

use std::collections::{hash_map::Entry, HashMap};
use std::sync::Arc;

use magnus::{
    prelude::*,
    rb_sys::{protect, AsRawValue, FromRawValue},
    value::{Lazy, LazyId},
    Error, RClass, RModule, Ruby, Value,
};
use rb_sys::{ruby_value_type as T, VALUE};
use rusty_racer_runtime::{
    fill_map, function_local, new_set, object_from_template, object_template, stack_remaining, v8, Args, Failure,
    FunctionId, HostValues, MAX_DEPTH, MAX_TEMPLATE_NAMES,
};

use crate::core::{Core, HostState};
use crate::generated::ErrorClass;
use crate::js_function::JSFunction;
use crate::pins::Pins;

/// Allocations above this size (in bytes or elements) are made under
/// `rb_protect`: their size comes from JS, and Ruby may refuse them.
const PROTECTED_SIZE: usize = 64 * 1024;
/// Machine stack left free by `ToJs` (for the frames that follow it).
const STACK_RESERVE: usize = 64 * 1024;

static JS_MAP: Lazy<RClass> = Lazy::new(|ruby| {
    let module: RModule = ruby.class_object().const_get("RustyRacer").expect("RustyRacer is defined");
    module.const_get("JSMap").expect("RustyRacer::JSMap is defined by gem/lib/rusty_racer.rb")
});
static SET: Lazy<RClass> =
    Lazy::new(|ruby| ruby.class_object().const_get("Set").expect("Set is loaded by gem/lib/rusty_racer.rb"));
static ADD: LazyId = LazyId::new("add");
static SET_TABLE: LazyId = LazyId::new("@hash");
static TO_STR: LazyId = LazyId::new("to_str");
static TO_TIME: LazyId = LazyId::new("to_time");
static ENCODE: LazyId = LazyId::new("encode");

fn raw(v: Value) -> VALUE {
    v.as_raw()
}

fn val(v: VALUE) -> Value {
    // SAFETY: every VALUE here comes from Ruby and is alive.
    unsafe { Value::from_raw(v) }
}

/// Whether Ruby hashes `key` in C (no Ruby method runs, nothing raises).
fn hashed_in_c(key: VALUE) -> bool {
    // SAFETY: a live value; its header gives its type.
    rb_sys::SPECIAL_CONST_P(key)
        || matches!(
            unsafe { rb_sys::RB_BUILTIN_TYPE(key) },
            T::RUBY_T_STRING | T::RUBY_T_FLOAT | T::RUBY_T_BIGNUM | T::RUBY_T_SYMBOL
        )
}

/// `hash[key] = value` for a Hash this walk made and a marshalled key.
/// Hashing most keys runs only C; a Set's (`Set#hash`, `#eql?` are Ruby
/// methods up to 3.4), or a container's that may hold one, runs Ruby code,
/// where an interrupt may raise: those go through `rb_protect`.
fn hash_insert(hash: VALUE, key: VALUE, value: VALUE) -> Result<(), Error> {
    if hashed_in_c(key) {
        // SAFETY: see above: no Ruby code runs, so nothing can raise.
        unsafe { rb_sys::rb_hash_aset(hash, key, value) };
        return Ok(());
    }
    // SAFETY: inside rb_protect; what it raises comes back as Err.
    protect(|| unsafe { rb_sys::rb_hash_aset(hash, key, value) }).map(|_| ())
}

/// Runs a raw Ruby allocation, protected when `size` is large.
fn alloc(size: usize, f: impl FnOnce() -> VALUE) -> Result<Value, Error> {
    if size < PROTECTED_SIZE {
        Ok(val(f()))
    } else {
        protect(f).map(val)
    }
}

/// The encoding indices marshalling checks (looked up once).
struct Indices {
    utf8: i32,
    usascii: i32,
    binary: i32,
}

fn indices() -> &'static Indices {
    static INDICES: std::sync::OnceLock<Indices> = std::sync::OnceLock::new();
    // SAFETY: plain lookups, with the GVL held (the first call is in a walk).
    INDICES.get_or_init(|| unsafe {
        Indices {
            utf8: rb_sys::rb_utf8_encindex(),
            usascii: rb_sys::rb_usascii_encindex(),
            binary: rb_sys::rb_ascii8bit_encindex(),
        }
    })
}

fn utf8_index() -> i32 {
    indices().utf8
}

/// Valid UTF-8 Strings up to this many bytes are decoded here (`short_text`);
/// longer ones by V8, whose decoder's setup then matters less.
const SHORT_TEXT: usize = 64;

/// A String's bytes.
///
/// # Safety
/// `s` is a String, and the slice is used before any Ruby code runs.
unsafe fn string_bytes<'a>(s: VALUE) -> &'a [u8] {
    unsafe {
        let len = rb_sys::RSTRING_LEN(s) as usize;
        if len == 0 {
            return &[];
        }
        std::slice::from_raw_parts(rb_sys::RSTRING_PTR(s) as *const u8, len)
    }
}

/// Builds Ruby values directly (no intermediate tree).
pub struct RubyValues<'r> {
    pub ruby: &'r Ruby,
    /// The isolate JS functions are handed out from (an `Arc<Core>`'s
    /// pointer: alive while its operation runs).
    core: *const Core,
    pins: Pins,
    /// The Maps and Sets made (kept by `pins` too), for `rehash`.
    hashed: Vec<Value>,
    /// The Set last added to and its table (see `set_table`).
    last_set: Option<(VALUE, Option<VALUE>)>,
    /// When Ruby's interrupts were last served (see `interrupt_pending`).
    polled: std::cell::Cell<Option<std::time::Instant>>,
}

/// How long a walk inside `Array::Iterate` keeps the GVL from other Ruby
/// threads before it pauses to let them in: Ruby's own time slice.
const TURN: std::time::Duration = std::time::Duration::from_millis(100);

impl<'r> RubyValues<'r> {
    pub fn new(ruby: &'r Ruby, core: &'r Arc<Core>) -> Self {
        Self::for_core(ruby, Arc::as_ptr(core))
    }

    /// For `core`, from `Arc::as_ptr` of a Core whose operation is running.
    pub fn for_core(ruby: &'r Ruby, core: *const Core) -> Self {
        RubyValues { ruby, core, pins: Pins::new(), hashed: Vec::new(), last_set: None, polled: Default::default() }
    }

    /// Whether values come back as mini_racer makes them.
    fn mini_racer(&self) -> bool {
        // SAFETY: the Core outlives the operation (see `core`).
        unsafe { (*self.core).mini_racer_values }
    }

    fn core_arc(&self) -> Arc<Core> {
        // SAFETY: `core` came from Arc::as_ptr of a Core kept alive by the
        // running operation; this takes one more reference to it.
        unsafe {
            Arc::increment_strong_count(self.core);
            Arc::from_raw(self.core)
        }
    }

    /// The Hash a Set made by `new_set` keeps its items in as keys (set.rb's
    /// `@hash`, Ruby 3.1 to 3.4), pinned; None where Set keeps none (items
    /// then go through `Set#add`). One Hash insert instead of a Ruby method
    /// call per item.
    fn set_table(&mut self, set: Value) -> Option<VALUE> {
        match self.last_set {
            Some((known, table)) if known == raw(set) => return table,
            _ => {}
        }
        // SAFETY: `set` is a Set this walk made (class Set exactly); reading
        // an instance variable runs no Ruby code.
        let table = unsafe {
            rb_sys::rb_ivar_get(
                raw(set),
                magnus::rb_sys::AsRawId::as_raw(LazyId::get_inner_with(&SET_TABLE, self.ruby)),
            )
        };
        // SAFETY: `table` is a live Ruby object; its header gives its class.
        let plain = !rb_sys::SPECIAL_CONST_P(table)
            && unsafe {
                rb_sys::RB_TYPE_P(table, T::RUBY_T_HASH)
                    && (*(table as *const rb_sys::RBasic)).klass == rb_sys::rb_cHash
            };
        let table = plain.then(|| raw(self.kept(val(table))));
        self.last_set = Some((raw(set), table));
        table
    }

    /// A container or key the walk remembers: pinned until it ends.
    fn kept(&mut self, value: Value) -> Value {
        self.pins.pin(self.ruby, value);
        value
    }

    /// Whether other Ruby threads are owed a turn: some exist, and the walk
    /// has held the GVL a time slice since it last served interrupts (the
    /// first ask starts the clock). Ruby's own flag for a waiting thread is
    /// not public.
    fn turn_due(&self) -> bool {
        // SAFETY: reads the thread count (GVL held).
        if unsafe { rb_sys::rb_thread_alone() } != 0 {
            return false;
        }
        let now = std::time::Instant::now();
        match self.polled.get() {
            Some(polled) => now.duration_since(polled) >= TURN,
            None => {
                self.polled.set(Some(now));
                false
            }
        }
    }

    fn filled(
        &mut self,
        len: usize,
        fill: &mut dyn FnMut(&mut [u8]) -> usize,
        new: unsafe extern "C" fn(*const std::ffi::c_char, std::ffi::c_long) -> VALUE,
    ) -> Result<Value, Error> {
        let Ok(clen) = std::ffi::c_long::try_from(len) else {
            return Err(ErrorClass::Error.error(self.ruby, "cannot marshal a string this long to Ruby"));
        };
        // SAFETY: a NULL pointer makes an uninitialised string of `len` bytes.
        let s = alloc(len, || unsafe { new(std::ptr::null(), clen) })?;
        // SAFETY: the string's buffer holds `len` bytes; nothing else sees it yet.
        let written = unsafe {
            let buf = std::slice::from_raw_parts_mut(rb_sys::RSTRING_PTR(raw(s)) as *mut u8, len);
            fill(buf).min(len)
        };
        if written != len {
            // SAFETY: shrinking the length of a fresh string.
            unsafe { rb_sys::rb_str_set_len(raw(s), written as std::ffi::c_long) };
        }
        Ok(s)
    }
}

impl HostValues for RubyValues<'_> {
    type Value = Value;
    type Error = Error;

    fn nil(&mut self) -> Result<Value, Error> {
        Ok(self.ruby.qnil().as_value())
    }
    fn boolean(&mut self, value: bool) -> Result<Value, Error> {
        Ok(self.ruby.into_value(value))
    }
    fn integer(&mut self, value: i64) -> Result<Value, Error> {
        Ok(self.ruby.integer_from_i64(value).as_value())
    }
    fn big_integer(&mut self, negative: bool, words: &[u64]) -> Result<Value, Error> {
        let mut flags = rb_sys::INTEGER_PACK_LSWORD_FIRST | rb_sys::INTEGER_PACK_NATIVE_BYTE_ORDER;
        if negative {
            flags |= rb_sys::INTEGER_PACK_NEGATIVE;
        }
        // SAFETY: `words` holds words.len() 8-byte words; linear time.
        alloc(words.len() * 8, || unsafe {
            rb_sys::rb_integer_unpack(words.as_ptr().cast(), words.len() as _, 8, 0, flags as i32)
        })
    }
    fn float(&mut self, value: f64) -> Result<Value, Error> {
        let float = self.ruby.float_from_f64(value).as_value();
        // A heap Float (not a flonum) may wait in the walk's memory.
        Ok(if rb_sys::FLONUM_P(raw(float)) { float } else { self.kept(float) })
    }
    fn string(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Result<Value, Error> {
        let s = self.filled(len, fill, rb_sys::rb_str_new)?;
        // SAFETY: a fresh String: tagging it UTF-8 in its flags is what
        // rb_enc_associate_index does, without the lookups.
        unsafe {
            let basic = raw(s) as *mut rb_sys::RBasic;
            let mask = rb_sys::ruby_encoding_consts::RUBY_ENCODING_MASK as VALUE;
            let shift = rb_sys::ruby_encoding_consts::RUBY_ENCODING_SHIFT as u32;
            (*basic).flags = ((*basic).flags & !mask) | ((utf8_index() as VALUE) << shift);
        }
        Ok(s)
    }
    fn key(&mut self, name: &str) -> Result<Value, Error> {
        // A frozen, interned String: the same object for every occurrence.
        // SAFETY: valid UTF-8 of the given length.
        let key = alloc(name.len(), || unsafe {
            rb_sys::rb_enc_interned_str(name.as_ptr().cast(), name.len() as _, rb_sys::rb_utf8_encoding())
        })?;
        Ok(self.kept(key))
    }
    fn binary(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Result<Value, Error> {
        let s = self.filled(len, fill, rb_sys::rb_str_new)?;
        Ok(self.kept(s))
    }
    fn date(&mut self, epoch_ms: f64) -> Result<Value, Error> {
        if !epoch_ms.is_finite() {
            return Err(Error::new(self.ruby.exception_range_error(), "cannot marshal an invalid Date to Ruby"));
        }
        let ms = epoch_ms as i64;
        let (secs, ms_rem) = (ms.div_euclid(1000), ms.rem_euclid(1000));
        let time = self.ruby.time_nano_new(secs, ms_rem * 1_000_000)?.as_value();
        Ok(self.kept(time))
    }
    fn function(&mut self, id: FunctionId) -> Result<Value, Error> {
        let function = self.ruby.obj_wrap(JSFunction::new(self.core_arc(), id)).as_value();
        Ok(self.kept(function))
    }
    fn new_array(&mut self, len: usize) -> Result<Value, Error> {
        // Capacity beyond what is likely filled is left to growth: a sparse
        // array of length 2**32 - 1 must not ask Ruby for 32 GB up front.
        let capa = len.min(1 << 20) as std::ffi::c_long;
        // SAFETY: plain allocation.
        let array = alloc(capa as usize, || unsafe { rb_sys::rb_ary_new_capa(capa) })?;
        Ok(self.kept(array))
    }
    fn array_push(&mut self, array: Value, item: Value) -> Result<(), Error> {
        // SAFETY: `array` is an Array this walk made. Growing a large one
        // may fail (NoMemoryError): protected then.
        let len = unsafe { rb_sys::RARRAY_LEN(raw(array)) } as usize;
        alloc(len, || unsafe { rb_sys::rb_ary_push(raw(array), raw(item)) }).map(|_| ())
    }
    fn array_extend(&mut self, array: Value, items: &[Value]) -> Result<(), Error> {
        let len = unsafe { rb_sys::RARRAY_LEN(raw(array)) } as usize;
        // SAFETY: `array` is an Array this walk made; the items are alive.
        alloc(len + items.len(), || unsafe {
            rb_sys::rb_ary_cat(raw(array), items.as_ptr() as *const VALUE, items.len() as _)
        })
        .map(|_| ())
    }
    fn array_store(&mut self, array: Value, index: u32, item: Value) -> Result<(), Error> {
        // SAFETY: `array` is an Array this walk made, with `index` pushed.
        unsafe { rb_sys::rb_ary_store(raw(array), index as _, raw(item)) };
        Ok(())
    }
    fn new_hash(&mut self, _keys: usize) -> Result<Value, Error> {
        Ok(self.kept(self.ruby.hash_new().as_value()))
    }
    fn hash_fill(&mut self, hash: Value, pairs: &[Value]) -> Result<(), Error> {
        // SAFETY: `hash` is a fresh Hash this walk made; `pairs` alternate
        // keys (unique property names) and values, all alive (pinned).
        // One step sizes the table once (no ar -> st conversion midway).
        unsafe {
            rb_sys::rb_hash_bulk_insert((pairs.len() & !1) as _, pairs.as_ptr() as *const VALUE, raw(hash));
        }
        Ok(())
    }
    fn hold(&mut self, value: Value) -> Value {
        self.kept(value)
    }
    fn new_map(&mut self) -> Result<Value, Error> {
        if self.mini_racer() {
            let hash = self.new_hash(0)?;
            self.hashed.push(hash); // keys may be containers still being filled
            return Ok(hash);
        }
        let class = self.ruby.get_inner(&JS_MAP);
        // SAFETY: JSMap is a Hash subclass: Hash's allocator, no initialize needed.
        let map = val(unsafe { rb_sys::rb_obj_alloc(raw(class.as_value())) });
        self.hashed.push(map);
        Ok(self.kept(map))
    }
    fn hash_set(&mut self, hash: Value, key: Value, value: Value) -> Result<(), Error> {
        hash_insert(raw(hash), raw(key), raw(value))
    }
    fn map_fill(&mut self, map: Value, pairs: &[Value]) -> Result<(), Error> {
        // SAFETY: `map` is a Hash this walk made; `pairs` alternate keys and
        // values, all alive (pinned). Duplicate keys keep the last value.
        let insert = || unsafe {
            rb_sys::rb_hash_bulk_insert((pairs.len() & !1) as _, pairs.as_ptr() as *const VALUE, raw(map));
            rb_sys::Qnil as VALUE
        };
        if pairs.iter().step_by(2).all(|key| hashed_in_c(raw(*key))) {
            insert();
            return Ok(());
        }
        // A key's #hash or #eql? may raise (a deep Array nests too far).
        protect(insert).map(|_| ())
    }
    fn new_set(&mut self) -> Result<Value, Error> {
        if self.mini_racer() {
            return self.new_array(0);
        }
        let set = self.ruby.get_inner(&SET).new_instance(())?;
        self.hashed.push(set);
        Ok(self.kept(set))
    }
    fn set_add(&mut self, set: Value, item: Value) -> Result<(), Error> {
        if self.mini_racer() {
            return self.array_push(set, item);
        }
        if let Some(table) = self.set_table(set) {
            // What `Set#add` does.
            return hash_insert(table, raw(item), rb_sys::Qtrue as VALUE);
        }
        set.funcall::<_, _, Value>(LazyId::get_inner_with(&ADD, self.ruby), (item,)).map(|_| ())
    }
    fn set_fill(&mut self, set: Value, items: &[Value]) -> Result<(), Error> {
        if self.mini_racer() {
            return self.array_extend(set, items);
        }
        items.iter().try_for_each(|item| self.set_add(set, *item))
    }
    fn rehash(&mut self) -> Result<(), Error> {
        for container in std::mem::take(&mut self.hashed) {
            let method = if container.is_kind_of(self.ruby.get_inner(&SET)) { "reset" } else { "rehash" };
            container.funcall::<_, _, Value>(method, ())?;
        }
        Ok(())
    }
    fn symbol(&mut self, description: Option<&str>) -> Result<Value, Error> {
        let mini_racer = self.mini_racer();
        let description = description.unwrap_or("");
        let text = if mini_racer { description.to_string() } else { format!("Symbol({description})") };
        let string = self.string(text.len(), &mut |buf| {
            buf.copy_from_slice(text.as_bytes());
            text.len()
        })?;
        if !mini_racer {
            return Ok(string);
        }
        // SAFETY: a fresh UTF-8 String; interning it calls no user code.
        let symbol = alloc(text.len(), || unsafe { rb_sys::rb_str_intern(raw(string)) })?;
        Ok(self.kept(symbol))
    }
    fn poll(&mut self) -> Result<(), Error> {
        // A walk holds the GVL: other threads get a turn once per time slice
        // (Ruby's timer asks for one only after a thread has waited a slice).
        let due = self.turn_due();
        self.polled.set(Some(std::time::Instant::now()));
        if due {
            return crate::gvl::pass_turn();
        }
        crate::gvl::check_interrupts()
    }
    fn interrupt_pending(&self) -> bool {
        // SAFETY: reads the current thread's interrupt flags (GVL held); runs no Ruby code.
        let interrupted = unsafe { rb_sys::rb_thread_interrupted(rb_sys::rb_thread_current()) != 0 };
        interrupted || self.turn_due()
    }
}

/// Converts Ruby values to JS for one operation (arguments of a call, or a
/// callback's result). Shared and cyclic Ruby graphs keep their identity.
pub struct ToJs<'a, 's, 'i> {
    ruby: &'a Ruby,
    scope: &'a v8::PinScope<'s, 'i>,
    /// The isolate whose JSFunctions may be passed back.
    state: &'a HostState,
    depth: usize,
    /// Hashes, Sets and binary strings converted, by Ruby object.
    seen: HashMap<VALUE, v8::Local<'s, v8::Value>, Fast>,
    /// Arrays converted (None while their elements are, unless a cycle
    /// reached them meanwhile), by Ruby object.
    arrays: HashMap<VALUE, Option<v8::Local<'s, v8::Array>>, Fast>,
    /// Property names converted, by frozen String or Symbol.
    keys: HashMap<VALUE, v8::Local<'s, v8::Name>, Fast>,
    /// Plain objects converted (None while their values are, unless a
    /// cycle reached them meanwhile), by Ruby Hash.
    objects: HashMap<VALUE, Option<v8::Local<'s, v8::Object>>, Fast>,
    /// Object templates by key set (the keys' addresses), and a scratch
    /// buffer to look them up without allocating.
    templates: HashMap<Vec<VALUE>, Option<v8::Local<'s, v8::Data>>, Fast>,
    key_set: Vec<VALUE>,
    /// Emptied buffers for a Hash's pairs and values, used again by the
    /// next Hash (nested ones take their own).
    pair_vecs: Vec<Vec<(Value, Value)>>,
    value_vecs: Vec<Vec<v8::Local<'s, v8::Value>>>,
    /// What the maps above are keyed by, and what waits in Rust memory
    /// (a Hash's pairs), pinned for the conversion: Ruby code it runs
    /// (`to_str`, `to_time`, …) may run the GC, even `GC.compact`, and a
    /// freed address must not be taken for an object already seen.
    pins: Pins,
    /// The current context, looked up at the first object made from a template.
    context: Option<v8::Local<'s, v8::Context>>,
    /// See `enter`.
    stack_floor: Option<usize>,
    /// The template last used for each small key count, with its key set:
    /// Hashes in a row mostly share keys, so most lookups are a comparison.
    last_templates: [Option<(Vec<VALUE>, Option<v8::Local<'s, v8::Data>>)>; LAST_TEMPLATES],
}

/// Key counts below this have a last-used template (`ToJs::last_templates`).
const LAST_TEMPLATES: usize = 16;

/// A Fixnum, flonum, nil, true or false as a JS value (None for anything
/// else): no table of the walk is needed for them.
#[inline]
fn immediate<'s>(scope: &v8::PinScope<'s, '_>, v: VALUE) -> Option<v8::Local<'s, v8::Value>> {
    if rb_sys::FIXNUM_P(v) {
        // SAFETY: a Fixnum.
        let n = unsafe { rb_sys::FIX2LONG(v) };
        return Some(if let Ok(small) = i32::try_from(n) {
            // (A Smi where it fits: no double conversion and check.)
            v8::Integer::new(scope, small).into()
        } else if n.unsigned_abs() <= 1 << 53 {
            v8::Number::new(scope, n as f64).into()
        } else {
            v8::BigInt::new_from_i64(scope, n).into()
        });
    }
    if rb_sys::FLONUM_P(v) {
        // SAFETY: a Float.
        return Some(v8::Number::new(scope, unsafe { rb_sys::NUM2DBL(v) }).into());
    }
    if v == rb_sys::Qnil as VALUE {
        return Some(v8::null(scope).into());
    }
    if v == rb_sys::Qtrue as VALUE {
        return Some(v8::Boolean::new(scope, true).into());
    }
    if v == rb_sys::Qfalse as VALUE {
        return Some(v8::Boolean::new(scope, false).into());
    }
    None
}

/// The arguments of a call as JS values. The walk's tables are made only
/// for an argument that needs them (numbers, nil and booleans do not:
/// making and dropping them was ~2% of a one-argument call).
pub fn args_to_js<'s>(
    ruby: &Ruby,
    scope: &v8::PinScope<'s, '_>,
    state: &HostState,
    args: &[Value],
) -> Result<Args<'s>, Failure<Error>> {
    let mut walk = None;
    args.iter()
        .map(|&value| match immediate(scope, raw(value)) {
            Some(js) => Ok(js),
            None => walk.get_or_insert_with(|| ToJs::new(ruby, scope, state)).convert(value).map_err(Failure::Host),
        })
        .collect()
}

impl Drop for ToJs<'_, '_, '_> {
    fn drop(&mut self) {
        spare::give(&spare::ARRAYS, std::mem::take(&mut self.arrays));
        spare::give(&spare::KEYS, std::mem::take(&mut self.keys));
        spare::give(&spare::OBJECTS, std::mem::take(&mut self.objects));
    }
}

impl<'a, 's, 'i> ToJs<'a, 's, 'i> {
    pub fn new(ruby: &'a Ruby, scope: &'a v8::PinScope<'s, 'i>, state: &'a HostState) -> Self {
        ToJs {
            ruby,
            scope,
            state,
            depth: 0,
            seen: HashMap::default(),
            arrays: spare::take(&spare::ARRAYS),
            keys: spare::take(&spare::KEYS),
            objects: spare::take(&spare::OBJECTS),
            templates: HashMap::default(),
            key_set: Vec::new(),
            pair_vecs: Vec::new(),
            value_vecs: Vec::new(),
            pins: Pins::new(),
            context: None,
            stack_floor: None,
            last_templates: Default::default(),
        }
    }

    /// Converts `value`: nil, booleans, Integer (BigInt beyond 2**53),
    /// Float, String (binary → Uint8Array), Symbol, Array, Hash, JSMap →
    /// Map, Set, Time (or `to_time`) → Date, JSFunction, `to_str` objects.
    pub fn convert(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let scope = self.scope;
        let v = raw(value);
        if let Some(js) = immediate(scope, v) {
            return Ok(js);
        }
        if rb_sys::STATIC_SYM_P(v) {
            return self.symbol(value).map(Into::into);
        }
        // SAFETY: not a special constant: a heap object.
        match unsafe { rb_sys::RB_BUILTIN_TYPE(v) } {
            T::RUBY_T_STRING => self.string(value),
            T::RUBY_T_FLOAT => Ok(v8::Number::new(scope, unsafe { rb_sys::NUM2DBL(v) }).into()),
            T::RUBY_T_BIGNUM => self.big_int(value),
            T::RUBY_T_SYMBOL => self.symbol(value).map(Into::into),
            T::RUBY_T_ARRAY => self.array(value),
            T::RUBY_T_HASH => self.hash(value),
            _ => self.object(value),
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        if self.depth >= MAX_DEPTH {
            return Err(ErrorClass::Error.error(
                self.ruby,
                format!("cannot marshal a value to JavaScript: it is nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        // The lowest address the walk may reach, found at its first
        // container (a thread-local lookup) and compared after: the walk
        // stays on one stack (Ruby code it calls returns to it).
        let marker = 0u8;
        let here = std::ptr::addr_of!(marker) as usize;
        let floor = *self.stack_floor.get_or_insert_with(|| match stack_remaining() {
            usize::MAX => 0,
            left => (here - left.min(here)).saturating_add(STACK_RESERVE),
        });
        if here < floor {
            return Err(ErrorClass::Error.error(
                self.ruby,
                "cannot marshal a value to JavaScript: it is nested too deeply for the machine stack left here",
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn array(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let v = raw(value);
        self.pins.pin(self.ruby, value);
        // SAFETY: an Array.
        let len = unsafe { rb_sys::RARRAY_LEN(v) } as usize;
        match self.arrays.get(&v) {
            Some(Some(known)) => return Ok((*known).into()),
            // Reached again while its elements are converted (a cycle): the
            // JS array must exist now, and is filled in place afterwards.
            Some(None) => {
                let js = v8::Array::new(self.scope, i32::try_from(len).unwrap_or(i32::MAX));
                self.arrays.insert(v, Some(js));
                return Ok(js.into());
            }
            None => {}
        }
        self.enter()?;
        self.arrays.insert(v, None);
        let mut items = Vec::with_capacity(len);
        let mut i = 0;
        // The length is read again each time: a `to_str` may change the array.
        while i < unsafe { rb_sys::RARRAY_LEN(v) } as usize {
            // SAFETY: index within the length.
            let item = val(unsafe { rb_sys::RARRAY_AREF(v, i as isize) });
            items.push(self.convert(item)?);
            i += 1;
        }
        self.depth -= 1;
        let js = match self.arrays.get(&v) {
            Some(Some(early)) => {
                let early = *early;
                for (i, item) in items.into_iter().enumerate() {
                    early.set_index(self.scope, i as u32, item);
                }
                early
            }
            // One step, no per-element property store.
            _ => v8::Array::new_with_elements(self.scope, &items),
        };
        self.arrays.insert(v, Some(js));
        Ok(js.into())
    }

    fn hash(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let v = raw(value);
        // SAFETY: a Hash: its class is read from its header (a plain Hash,
        // the common case, needs no ancestry walk).
        let plain = unsafe { (*(v as *const rb_sys::RBasic)).klass == rb_sys::rb_cHash };
        let is_map = !plain && value.is_kind_of(self.ruby.get_inner(&JS_MAP));
        // (Maps are remembered in `seen`, plain objects in `objects`.)
        if let Some(known) = is_map.then(|| self.seen.get(&v)).flatten() {
            return Ok(*known);
        }
        match self.objects.entry(v) {
            Entry::Occupied(mut met) => {
                return Ok(match *met.get() {
                    Some(known) => known.into(),
                    // Reached again while its values are converted (a cycle):
                    // the object must exist now, and gets its properties after.
                    None => {
                        let early = v8::Object::new(self.scope);
                        met.insert(Some(early));
                        early.into()
                    }
                });
            }
            Entry::Vacant(new) if !is_map => {
                new.insert(None);
            }
            Entry::Vacant(_) => {}
        }
        self.enter()?;
        self.pins.pin(self.ruby, value);
        let mut pairs = self.pair_vecs.pop().unwrap_or_default();
        hash_pairs(v, &mut pairs);
        self.pins.pin_pairs(self.ruby, &pairs);
        if is_map {
            let map = v8::Map::new(self.scope);
            self.seen.insert(v, map.into());
            let mut flat = self.value_vecs.pop().unwrap_or_default();
            for (k, item) in pairs.drain(..) {
                flat.push(self.map_key(k)?);
                flat.push(self.convert(item)?);
            }
            match fill_map(self.scope, map, &flat) {
                Some(true) => {}
                Some(false) => return Err(self.threw_building("a Map")),
                // A realm without the helper: entry by entry through the API.
                None => {
                    for entry in flat.chunks_exact(2) {
                        map.set(self.scope, entry[0], entry[1]);
                    }
                }
            }
            flat.clear();
            self.value_vecs.push(flat);
            self.pair_vecs.push(pairs);
            self.depth -= 1;
            return Ok(map.into());
        }
        let template = self.template_for(&pairs)?;
        let mut values = self.value_vecs.pop().unwrap_or_default();
        for (_, item) in &pairs {
            values.push(self.convert(*item)?);
        }
        self.depth -= 1;
        let early = self.objects.get(&v).copied().flatten();
        let object = match (early, template) {
            (None, Some(template)) => {
                let context = *self.context.get_or_insert_with(|| self.scope.get_current_context());
                object_from_template(context, template, &values).ok_or_else(|| {
                    ErrorClass::InternalError.error(self.ruby, "V8 could not instantiate an object template")
                })?
            }
            (early, _) => {
                // Key by key: a cycle made the object early, or its keys
                // cannot be declared in a template.
                let object = early.unwrap_or_else(|| v8::Object::new(self.scope));
                for ((k, _), item) in pairs.iter().zip(&values) {
                    let name = self.key(*k)?;
                    object.create_data_property(self.scope, name, *item);
                }
                object
            }
        };
        pairs.clear();
        values.clear();
        self.pair_vecs.push(pairs);
        self.value_vecs.push(values);
        self.objects.insert(v, Some(object));
        Ok(object.into())
    }

    /// The object template for these keys (Strings and Symbols whose names
    /// V8 can declare), looked up once per key set and operation.
    fn template_for(&mut self, pairs: &[(Value, Value)]) -> Result<Option<v8::Local<'s, v8::Data>>, Error> {
        if pairs.is_empty() || pairs.len() > MAX_TEMPLATE_NAMES {
            return Ok(None);
        }
        let last = self.last_templates.get(pairs.len());
        if let Some(Some((keys, template))) = last {
            if keys.iter().zip(pairs).all(|(k, (key, _))| *k == raw(*key)) {
                return Ok(*template);
            }
        }
        self.key_set.clear();
        self.key_set.extend(pairs.iter().map(|(k, _)| raw(*k)));
        if let Some(known) = self.templates.get(self.key_set.as_slice()).copied() {
            self.remember_last(known);
            return Ok(known);
        }
        let mut names: Vec<Text<'static>> = Vec::with_capacity(pairs.len());
        let mut declarable = true;
        for (k, _) in pairs {
            let text = if let Some(s) = magnus::RString::from_value(*k) {
                self.text_of(s, true).ok()
            } else if magnus::Symbol::from_value(*k).is_some() {
                // SAFETY: a Symbol; its name is a frozen String.
                magnus::RString::from_value(val(unsafe { rb_sys::rb_sym2str(raw(*k)) }))
                    .and_then(|s| self.text_of(s, true).ok())
            } else {
                None
            };
            match text {
                Some(text) if text.ascii => names.push(text),
                _ => {
                    declarable = false;
                    break;
                }
            }
        }
        let template = if declarable {
            let names: Vec<&[u8]> = names.iter().map(|t| &*t.bytes).collect();
            object_template(self.scope, &names)
        } else {
            None
        };
        // Frozen keys (Hash String keys, Symbols) are the same objects for
        // the whole operation, so their addresses identify the key set.
        if pairs.iter().all(|(k, _)| k.is_frozen()) {
            self.templates.insert(self.key_set.clone(), template);
            self.remember_last(template);
        }
        Ok(template)
    }

    /// Makes `template` (of the key set in `key_set`, all frozen) the first
    /// tried for its key count.
    fn remember_last(&mut self, template: Option<v8::Local<'s, v8::Data>>) {
        if let Some(last) = self.last_templates.get_mut(self.key_set.len()) {
            match last {
                Some((keys, known)) => {
                    keys.clear();
                    keys.extend_from_slice(&self.key_set);
                    *known = template;
                }
                None => *last = Some((self.key_set.clone(), template)),
            }
        }
    }

    /// A Hash key as a property name: String, Symbol or Integer.
    fn key(&mut self, key: Value) -> Result<v8::Local<'s, v8::Name>, Error> {
        let k = raw(key);
        if let Some(known) = self.keys.get(&k) {
            return Ok(*known);
        }
        let name: v8::Local<v8::Name> = if rb_sys::FIXNUM_P(k) || magnus::Integer::from_value(key).is_some() {
            let text: String = key.funcall("to_s", ())?;
            return self.internalized(text.as_bytes(), false);
        } else if let Some(sym) = magnus::Symbol::from_value(key) {
            self.symbol(sym.as_value())?
        } else if let Some(s) = magnus::RString::from_value(key) {
            let text = self.text_of(s, true)?;
            self.internalized(&text.bytes, text.ascii)?
        } else {
            let class = unsafe { key.classname() }.into_owned();
            return Err(Error::new(
                self.ruby.exception_type_error(),
                format!(
                    "cannot marshal a Hash key of class {class} to a JavaScript property name (String, Symbol and \
                     Integer keys are; use RustyRacer::JSMap for keys of any type)"
                ),
            ));
        };
        // Frozen keys (Hash string keys, Symbols) are the same object each time.
        if key.is_frozen() {
            self.keys.insert(k, name);
        }
        Ok(name)
    }

    /// A realm helper threw while it built a container (the stack ran out
    /// near its end, or the isolate is stopping): the value is not passed
    /// half-built.
    fn threw_building(&self, what: &str) -> Error {
        ErrorClass::Error.error(
            self.ruby,
            format!("cannot marshal {what} to JavaScript: V8 threw while building it (the stack ran out, or the isolate is stopping)"),
        )
    }

    /// A Map key. An ASCII String is made internalized at once: `Map#set`
    /// internalizes string keys, which copied a plain one again.
    fn map_key(&mut self, key: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let k = raw(key);
        // SAFETY: a live value; a String's encoding and code range are read
        // from it (the code range is cached after the first scan).
        let ascii = !rb_sys::SPECIAL_CONST_P(k)
            && unsafe { rb_sys::RB_BUILTIN_TYPE(k) } == T::RUBY_T_STRING
            && [indices().utf8, indices().usascii].contains(&unsafe { rb_sys::ENCODING_GET(k) })
            && unsafe { rb_sys::rb_enc_str_coderange(k) }
                == rb_sys::ruby_coderange_type::RUBY_ENC_CODERANGE_7BIT as i32;
        if ascii {
            // SAFETY: a String, read at once (no Ruby code runs meanwhile).
            let bytes = unsafe { string_bytes(k) };
            if let Some(made) = v8::String::new_from_one_byte(self.scope, bytes, v8::NewStringType::Internalized) {
                return Ok(made.into());
            }
        }
        self.convert(key)
    }

    fn internalized(&self, bytes: &[u8], ascii: bool) -> Result<v8::Local<'s, v8::Name>, Error> {
        let made = if ascii {
            v8::String::new_from_one_byte(self.scope, bytes, v8::NewStringType::Internalized)
        } else {
            v8::String::new_from_utf8(self.scope, bytes, v8::NewStringType::Internalized)
        };
        made.map(Into::into).ok_or_else(|| ErrorClass::Error.error(self.ruby, "cannot marshal a String this long"))
    }

    fn symbol(&mut self, value: Value) -> Result<v8::Local<'s, v8::Name>, Error> {
        let sym = raw(value);
        if let Some(known) = self.keys.get(&sym) {
            return Ok(*known);
        }
        // SAFETY: a Symbol; its name is a frozen String.
        let name = val(unsafe { rb_sys::rb_sym2str(sym) });
        let Some(s) = magnus::RString::from_value(name) else {
            return Err(ErrorClass::InternalError.error(self.ruby, "a Symbol without a name"));
        };
        let text = self.text_of(s, true)?;
        let out = self.internalized(&text.bytes, text.ascii)?;
        self.keys.insert(sym, out);
        Ok(out)
    }

    fn string(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let v = raw(value);
        // SAFETY: a String.
        let enc = unsafe { rb_sys::ENCODING_GET(v) };
        if enc == indices().binary {
            return self.bytes(value);
        }
        if enc == indices().utf8 || enc == indices().usascii {
            // The common case, without a copy: the bytes are read into V8 at
            // once (no Ruby code runs in between).
            // SAFETY: a String; its code range is cached after the first scan.
            let range = unsafe { rb_sys::rb_enc_str_coderange(v) };
            let made = if range == rb_sys::ruby_coderange_type::RUBY_ENC_CODERANGE_7BIT as i32 {
                let bytes = unsafe { string_bytes(v) };
                v8::String::new_from_one_byte(self.scope, bytes, v8::NewStringType::Normal)
            } else if range == rb_sys::ruby_coderange_type::RUBY_ENC_CODERANGE_VALID as i32 {
                let bytes = unsafe { string_bytes(v) };
                if bytes.len() <= SHORT_TEXT {
                    self.short_text(bytes)
                } else {
                    v8::String::new_from_utf8(self.scope, bytes, v8::NewStringType::Normal)
                }
            } else {
                None
            };
            if let Some(made) = made {
                return Ok(made.into());
            }
        }
        let Some(s) = magnus::RString::from_value(value) else { unreachable!("checked T_STRING") };
        let text = self.text_of(s, false)?;
        let made = if text.ascii {
            v8::String::new_from_one_byte(self.scope, &text.bytes, v8::NewStringType::Normal)
        } else {
            v8::String::new_from_utf8(self.scope, &text.bytes, v8::NewStringType::Normal)
        };
        made.map(Into::into).ok_or_else(|| ErrorClass::Error.error(self.ruby, "cannot marshal a String this long"))
    }

    /// Short valid UTF-8 text as a V8 string, decoded here to Latin-1 or
    /// UTF-16: V8's UTF-8 decoder sets up and scans before it decodes, and
    /// for short strings that was most of the cost (perf of passing 10k
    /// short non-ASCII strings: 43% in `Utf8DecoderBase`).
    /// `bytes` are a UTF-8 String's whose code range Ruby found valid (the
    /// decoding stays in bounds whatever they are).
    fn short_text(&mut self, bytes: &[u8]) -> Option<v8::Local<'s, v8::String>> {
        // Latin-1 first, straight from the bytes (text up to U+00FF is
        // ASCII bytes and two-byte sequences led by 0xC2 or 0xC3).
        let mut latin1 = [0u8; SHORT_TEXT];
        let (mut from, mut to) = (0, 0);
        while from < bytes.len() {
            let b = bytes[from];
            if b < 0x80 {
                latin1[to] = b;
                from += 1;
            } else if (b == 0xC2 || b == 0xC3) && from + 1 < bytes.len() {
                latin1[to] = ((b & 0x1F) << 6) | (bytes[from + 1] & 0x3F);
                from += 2;
            } else {
                return self.wide_text(bytes, &latin1[..to], from);
            }
            to += 1;
        }
        v8::String::new_from_one_byte(self.scope, &latin1[..to], v8::NewStringType::Normal)
    }

    /// The rest of `short_text`: `done` is the Latin-1 decoded of `bytes`
    /// before `from`; the rest is decoded to UTF-16 (valid UTF-8, so each
    /// sequence is whole).
    fn wide_text(&mut self, bytes: &[u8], done: &[u8], mut from: usize) -> Option<v8::Local<'s, v8::String>> {
        // At most one UTF-16 unit per byte.
        let mut units = [0u16; SHORT_TEXT];
        for (to, &b) in units.iter_mut().zip(done) {
            *to = u16::from(b);
        }
        let mut to = done.len();
        // In bounds even for text that is not valid UTF-8 after all.
        let next = |i: usize| bytes.get(i).map_or(0, |b| u32::from(b & 0x3F));
        while from < bytes.len() {
            if to + 2 > SHORT_TEXT {
                return v8::String::new_from_utf8(self.scope, bytes, v8::NewStringType::Normal);
            }
            let b = u32::from(bytes[from]);
            let (code, len) = match b {
                0..=0x7F => (b, 1),
                0xC0..=0xDF => ((b & 0x1F) << 6 | next(from + 1), 2),
                0xE0..=0xEF => ((b & 0x0F) << 12 | next(from + 1) << 6 | next(from + 2), 3),
                _ => ((b & 0x07) << 18 | next(from + 1) << 12 | next(from + 2) << 6 | next(from + 3), 4),
            };
            if code >= 0x1_0000 {
                let astral = code - 0x1_0000;
                units[to] = 0xD800 | (astral >> 10) as u16;
                units[to + 1] = 0xDC00 | (astral & 0x3FF) as u16;
                to += 2;
            } else {
                units[to] = code as u16;
                to += 1;
            }
            from += len;
        }
        v8::String::new_from_two_byte(self.scope, &units[..to], v8::NewStringType::Normal)
    }

    /// A String's text as UTF-8: UTF-8 and US-ASCII as they are, other
    /// encodings transcoded; invalid text raises EncodingError naming the
    /// encoding. A binary String is accepted (as a key or Symbol name)
    /// when it is valid UTF-8.
    fn text_of(&self, s: magnus::RString, binary_as_utf8: bool) -> Result<Text<'static>, Error> {
        let v = raw(s.as_value());
        // SAFETY: a String.
        let (enc, range) = unsafe { (rb_sys::ENCODING_GET(v), rb_sys::rb_enc_str_coderange(v)) };
        let seven_bit = range == rb_sys::ruby_coderange_type::RUBY_ENC_CODERANGE_7BIT as i32;
        let broken = range == rb_sys::ruby_coderange_type::RUBY_ENC_CODERANGE_BROKEN as i32;
        let (utf8, usascii, binary) = (indices().utf8, indices().usascii, indices().binary);
        // SAFETY: the bytes are copied before any Ruby code runs.
        let bytes = || unsafe { s.as_slice() }.to_vec();
        if enc == binary {
            if !binary_as_utf8 {
                unreachable!("binary strings become Uint8Arrays");
            }
            return match std::str::from_utf8(unsafe { s.as_slice() }) {
                Ok(_) => Ok(Text { bytes: bytes().into(), ascii: seven_bit }),
                Err(_) => Err(Error::new(
                    self.ruby.exception_encoding_error(),
                    "cannot marshal a binary (ASCII-8BIT) name that is not valid UTF-8 to JavaScript",
                )),
            };
        }
        if broken {
            let name: String = s
                .funcall::<_, _, Value>("encoding", ())
                .and_then(|e| e.funcall("to_s", ()))
                .unwrap_or_else(|_| "its encoding".into());
            return Err(Error::new(
                self.ruby.exception_encoding_error(),
                format!("cannot marshal a String to JavaScript: invalid byte sequence in {name}"),
            ));
        }
        // (Only ASCII-compatible encodings have a 7-bit code range.)
        if enc == utf8 || enc == usascii || seven_bit {
            return Ok(Text { bytes: bytes().into(), ascii: seven_bit });
        }
        let converted: magnus::RString = s.funcall(LazyId::get_inner_with(&ENCODE, self.ruby), ("UTF-8",))?;
        Ok(Text { bytes: unsafe { converted.as_slice() }.to_vec().into(), ascii: false })
    }

    /// A binary String as a Uint8Array with its bytes.
    fn bytes(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let v = raw(value);
        self.pins.pin(self.ruby, value);
        if let Some(known) = self.seen.get(&v) {
            return Ok(*known);
        }
        let Some(s) = magnus::RString::from_value(value) else { unreachable!("checked T_STRING") };
        // SAFETY: copied at once.
        let data = unsafe { s.as_slice() };
        let mut copy = Vec::new();
        if copy.try_reserve_exact(data.len()).is_err() {
            return Err(ErrorClass::Error.error(self.ruby, "cannot marshal a binary String this large"));
        }
        copy.extend_from_slice(data);
        let len = copy.len();
        let store = v8::ArrayBuffer::new_backing_store_from_vec(copy).make_shared();
        let buffer = v8::ArrayBuffer::with_backing_store(self.scope, &store);
        let view = v8::Uint8Array::new(self.scope, buffer, 0, len)
            .ok_or_else(|| ErrorClass::Error.error(self.ruby, "cannot marshal a binary String this large"))?;
        self.seen.insert(v, view.into());
        Ok(view.into())
    }

    fn big_int(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let v = raw(value);
        // SAFETY: a Bignum; rb_absint_size is its magnitude's size in bytes.
        let bytes = unsafe { rb_sys::rb_absint_size(v, std::ptr::null_mut()) };
        let mut words = vec![0u64; (bytes as usize).div_ceil(8).max(1)];
        let flags = rb_sys::INTEGER_PACK_LSWORD_FIRST | rb_sys::INTEGER_PACK_NATIVE_BYTE_ORDER;
        // SAFETY: `words` holds words.len() 8-byte words; linear time.
        let sign =
            unsafe { rb_sys::rb_integer_pack(v, words.as_mut_ptr().cast(), words.len() as _, 8, 0, flags as i32) };
        v8::BigInt::new_from_words(self.scope, sign < 0, &words).map(Into::into).ok_or_else(|| {
            Error::new(self.ruby.exception_range_error(), "cannot marshal an Integer this large to a JavaScript BigInt")
        })
    }

    fn object(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let ruby = self.ruby;
        if let Some(function) = JSFunction::from_value(ruby, value) {
            return function.local(ruby, self.scope, self.state);
        }
        if value.is_kind_of(ruby.class_time()) {
            return self.time(value);
        }
        if value.is_kind_of(ruby.get_inner(&SET)) {
            return self.set(value);
        }
        if value.respond_to(LazyId::get_inner_with(&TO_STR, ruby), false)? {
            let s: Value = value.funcall(LazyId::get_inner_with(&TO_STR, ruby), ())?;
            // A fresh String may be remembered (a binary one): kept alive so
            // its address names it for the whole conversion.
            self.pins.pin(ruby, s);
            if magnus::RString::from_value(s).is_some() {
                return self.string(s);
            }
        }
        if value.respond_to(LazyId::get_inner_with(&TO_TIME, ruby), false)? {
            let t: Value = value.funcall(LazyId::get_inner_with(&TO_TIME, ruby), ())?;
            if t.is_kind_of(ruby.class_time()) {
                return self.time(t);
            }
        }
        let class = unsafe { value.classname() }.into_owned();
        Err(Error::new(ruby.exception_type_error(), format!("cannot marshal an object of class {class} to JavaScript")))
    }

    fn set(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        let v = raw(value);
        match self.objects.get(&v) {
            Some(Some(known)) => return Ok((*known).into()),
            // Reached again while its items are converted (a cycle).
            Some(None) => {
                let early = v8::Set::new(self.scope);
                self.objects.insert(v, Some(early.into()));
                return Ok(early.into());
            }
            None => {}
        }
        self.enter()?;
        self.pins.pin(self.ruby, value);
        self.objects.insert(v, None);
        let items: magnus::RArray = value.funcall("to_a", ())?;
        self.pins.pin(self.ruby, items.as_value());
        let items = raw(items.as_value());
        // SAFETY: an Array (pinned); its length is read again each time (a
        // `to_str` may change it).
        let mut converted = Vec::with_capacity(unsafe { rb_sys::RARRAY_LEN(items) } as usize);
        let mut i = 0;
        while i < unsafe { rb_sys::RARRAY_LEN(items) } as isize {
            // SAFETY: index within the length.
            converted.push(self.convert(val(unsafe { rb_sys::RARRAY_AREF(items, i) }))?);
            i += 1;
        }
        self.depth -= 1;
        let early = self.objects.get(&v).copied().flatten().and_then(|o| v8::Local::<v8::Set>::try_from(o).ok());
        let set: v8::Local<v8::Object> = match early {
            Some(set) => {
                for item in converted {
                    set.add(self.scope, item);
                }
                set.into()
            }
            None => {
                let array = v8::Array::new_with_elements(self.scope, &converted);
                match new_set(self.scope, array) {
                    Some(Some(set)) => set,
                    Some(None) => return Err(self.threw_building("a Set")),
                    // A realm without the helper: item by item through the API.
                    None => {
                        let set = v8::Set::new(self.scope);
                        for item in converted {
                            set.add(self.scope, item);
                        }
                        set.into()
                    }
                }
            }
        };
        self.objects.insert(v, Some(set));
        Ok(set.into())
    }

    fn time(&mut self, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
        // Through protected calls: a Time beyond what Ruby's timespec holds
        // raises (rb_time_timespec would longjmp through V8's frames).
        let secs: i64 = value.funcall("to_i", ())?;
        let nsec: i64 = value.funcall("nsec", ())?;
        let ms = (secs as f64) * 1000.0 + (nsec / 1_000_000) as f64;
        v8::Date::new(self.scope, ms).filter(|d| d.value_of().is_finite()).map(Into::into).ok_or_else(|| {
            Error::new(self.ruby.exception_range_error(), "cannot marshal this Time to a JavaScript Date")
        })
    }
}

/// A hasher for object addresses (aligned, distinct): one multiply per
/// address, so a key set (a slice of them) is hashed word by word.
#[derive(Default)]
pub struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(29) ^ (n >> 3)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type Fast = std::hash::BuildHasherDefault<AddressHasher>;

/// The identity maps of `ToJs`, kept empty per thread between conversions
/// so the next starts with their capacity (perf of passing 500 nested
/// hashes: a fifth of the time went to growing and hashing maps). A nested
/// conversion (in a callback) makes fresh ones.
mod spare {
    use std::cell::Cell;
    use std::collections::HashMap;

    use rb_sys::VALUE;
    use rusty_racer_runtime::v8;

    use super::Fast;

    /// A map of Locals with no Locals in it: the lifetime is only a name.
    pub type Map<T> = HashMap<VALUE, T, Fast>;
    pub type Spare<T> = std::thread::LocalKey<Cell<Option<Map<T>>>>;

    thread_local! {
        pub static ARRAYS: Cell<Option<Map<Option<v8::Local<'static, v8::Array>>>>> = const { Cell::new(None) };
        pub static KEYS: Cell<Option<Map<v8::Local<'static, v8::Name>>>> = const { Cell::new(None) };
        pub static OBJECTS: Cell<Option<Map<Option<v8::Local<'static, v8::Object>>>>> = const { Cell::new(None) };
    }

    /// Larger maps are let go rather than kept for the thread's life.
    const KEEP_AT_MOST: usize = 1 << 16;

    /// This thread's spare map (empty), or a new one.
    pub fn take<'s, T: 's, U>(spare: &'static Spare<U>) -> Map<T> {
        let map = spare.with(Cell::take).unwrap_or_default();
        debug_assert!(map.is_empty());
        // SAFETY: `T` and `U` are the same type of Local under two lifetimes
        // (see the callers); the map is empty, so no Local outlives its scope.
        unsafe { std::mem::transmute::<Map<U>, Map<T>>(map) }
    }

    /// Empties `map` and keeps it as this thread's spare.
    pub fn give<T, U>(spare: &'static Spare<U>, mut map: Map<T>) {
        if map.capacity() > KEEP_AT_MOST {
            return;
        }
        map.clear();
        // SAFETY: as in `take`: emptied, and the same type but for the lifetime.
        spare.with(|s| s.set(Some(unsafe { std::mem::transmute::<Map<T>, Map<U>>(map) })));
    }
}

/// A Hash's pairs, in order.
fn hash_pairs(hash: VALUE, pairs: &mut Vec<(Value, Value)>) {
    unsafe extern "C" fn each(key: VALUE, value: VALUE, pairs: VALUE) -> std::ffi::c_int {
        // SAFETY: `pairs` is the Vec below, alive for the iteration.
        let pairs = unsafe { &mut *(pairs as *mut Vec<(Value, Value)>) };
        pairs.push((val(key), val(value)));
        0 // ST_CONTINUE
    }
    // SAFETY: a Hash.
    pairs.reserve(unsafe { rb_sys::RHASH_SIZE(hash) });
    // SAFETY: `each` only pushes (no Ruby call, so no raise mid-iteration).
    unsafe { rb_sys::rb_hash_foreach(hash, Some(each), pairs as *mut Vec<(Value, Value)> as VALUE) };
}

/// UTF-8 text ready for V8, and whether it is all ASCII.
struct Text<'a> {
    bytes: std::borrow::Cow<'a, [u8]>,
    ascii: bool,
}

/// Converts `value` for an operation of the isolate `state` belongs to.
pub fn to_js<'s>(
    ruby: &Ruby,
    scope: &v8::PinScope<'s, '_>,
    state: &HostState,
    value: Value,
) -> Result<v8::Local<'s, v8::Value>, Error> {
    match immediate(scope, raw(value)) {
        Some(js) => Ok(js),
        None => ToJs::new(ruby, scope, state).convert(value),
    }
}

/// The kept JS function `id` of `scope`'s isolate.
pub fn function_in<'s>(scope: &v8::PinScope<'s, '_>, id: FunctionId) -> Option<v8::Local<'s, v8::Value>> {
    function_local(scope, id).map(Into::into)
}
