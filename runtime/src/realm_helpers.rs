//! Each realm's JS helpers, compiled when the realm is made (before user
//! code runs) from the realm's own intrinsics: the entries of an object, a
//! Set from an array, a Map's entries set from a flat array, and the tape of
//! plain data (tape.rs). The marshalling walk calls them instead of one V8
//! API call per property or item.

use std::cell::RefCell;

/// The per-realm JS helper that lists an object's own enumerable string
/// properties as `[key, value, key, value, …]`: `Object.keys` takes V8's
/// enum-cache fast path (the C++ property-names API does not), the reads
/// are JIT-compiled, and the pairs are then read with `Array::Iterate`.
/// `Object.keys` is captured when the realm is made, before user code runs.
/// Pairs are stored by index, not pushed: a getter or Proxy trap run
/// meanwhile may replace `Array.prototype.push` (the captured `push`
/// through `Reflect.apply` took a third longer).
const ENTRIES_JS: &str = "((keys) => (o) => { \
    const k = keys(o), out = []; let n = 0; \
    for (let i = 0; i < k.length; i++) { const key = k[i]; out[n++] = key; out[n++] = o[key]; } return out; })\
    (Object.keys)";

/// Builds a Set from an array with the realm's own `Set` and its `add`
/// (captured when the realm is made): one call instead of an API call per
/// item. `new Set(items)` (V8's fast path) only while `add` and the array
/// iterator are the realm's own data properties (read as descriptors, so
/// no getter runs): it would call replaced ones.
const NEW_SET_JS: &str = "((S, add, apply, desc, arrProto, itSym, iter, iterProto, next) => { \
    const own = (o, k) => { const d = desc(o, k); return d === undefined ? undefined : d.value; }; \
    return (items) => { \
    if (own(S.prototype, 'add') === add && own(arrProto, itSym) === iter && own(iterProto, 'next') === next) \
      return new S(items); \
    const s = new S(); for (let i = 0; i < items.length; i++) apply(add, s, [items[i]]); return s; }; })\
    (Set, Set.prototype.add, Reflect.apply, Reflect.getOwnPropertyDescriptor, Array.prototype, Symbol.iterator, \
     Array.prototype[Symbol.iterator], Object.getPrototypeOf([][Symbol.iterator]()), \
     Object.getPrototypeOf([][Symbol.iterator]()).next)";
/// Sets a Map's entries from `[key, value, key, value, …]` with the realm's
/// own `Map.prototype.set` (captured): a JIT-compiled loop instead of an
/// API call, and a C++ → JS entry, per entry.
const FILL_MAP_JS: &str = "((set, apply) => (m, flat) => { \
    for (let i = 0; i + 1 < flat.length; i += 2) apply(set, m, [flat[i], flat[i + 1]]); })\
    (Map.prototype.set, Reflect.apply)";

/// The helpers' script name: their frames are left out of the stacks
/// users see.
pub(crate) const HELPERS_FILE: &str = "rusty_racer:helpers";

/// A realm's helpers.
pub(crate) struct RealmHelpers {
    /// The realm's number (`ContextId`).
    pub(crate) id: usize,
    pub(crate) context: v8::Global<v8::Context>,
    pub(crate) entries: v8::Global<v8::Function>,
    pub(crate) new_set: v8::Global<v8::Function>,
    pub(crate) fill_map: v8::Global<v8::Function>,
    pub(crate) tape: v8::Global<v8::Function>,
}

/// Each realm's helpers (an isolate slot), and each realm's context by id
/// (kept apart: a realm whose helpers failed to install keeps its id).
#[derive(Default)]
pub(crate) struct Helpers(RefCell<Vec<RealmHelpers>>, RefCell<Vec<(usize, v8::Global<v8::Context>)>>);

/// Makes `context`'s helpers (when the realm is created, before user code).
/// `wasm_limit`: the isolate's memory_limit, which WebAssembly memory is
/// then held to (0: none; see wasm_memory.rs). `may_cache`: the isolate
/// runs no JS yet (it is being made), so the helpers' code cache may be
/// made here.
pub(crate) fn install_helper(
    scope: &mut v8::PinScope<'_, '_, ()>,
    context: v8::Local<v8::Context>,
    id: usize,
    wasm_limit: usize,
    may_cache: bool,
) {
    // The realms of an isolate are same-origin: each may reach the others'
    // objects (V8 refuses access across differing security tokens).
    if let Some(token) = v8::String::new_from_utf8(scope, b"rusty_racer", v8::NewStringType::Internalized) {
        context.set_security_token(token.into());
    }
    if let Some(helpers) = scope.get_slot::<Helpers>() {
        let mut ids = helpers.1.borrow_mut();
        ids.retain(|(i, _)| *i != id);
        ids.push((id, v8::Global::new(scope, context)));
    }
    let scope = &mut v8::ContextScope::new(scope, context);
    crate::wasm_memory::limit_in_realm(scope, wasm_limit, may_cache);
    // One script makes them all: [entries, newSet, tape, fillMap].
    let source = format!("[{ENTRIES_JS}, {NEW_SET_JS}, {}, {FILL_MAP_JS}]", crate::tape::TAPE_JS);
    let parts = (|| {
        let made = run_helper_script(scope, &source, may_cache)?;
        let parts = v8::Local::<v8::Array>::try_from(made).ok()?;
        (0..4).map(|i| parts.get_index(scope, i)).collect::<Option<Vec<_>>>()
    })();
    let Some(parts) = parts else { return };
    let function = |scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>| {
        v8::Local::<v8::Function>::try_from(value).ok().map(|f| v8::Global::new(scope, f))
    };
    let (Some(entries), Some(new_set), Some(tape), Some(fill_map)) =
        (function(scope, parts[0]), function(scope, parts[1]), function(scope, parts[2]), function(scope, parts[3]))
    else {
        return;
    };
    let context = v8::Global::new(scope, context);
    if let Some(helpers) = scope.get_slot::<Helpers>() {
        let mut helpers = helpers.0.borrow_mut();
        helpers.retain(|h| h.id != id);
        helpers.push(RealmHelpers { id, context, entries, new_set, fill_map, tape });
    }
}

/// The helper scripts' code caches (by source hash), made by the first
/// realm of the process that compiles each and taken by every later one:
/// V8 then deserializes them instead of parsing them again (perf: their
/// compile was 11% of `Isolate.new` + a first eval).
static CODE_CACHES: std::sync::Mutex<Vec<(u64, std::sync::Arc<[u8]>)>> = std::sync::Mutex::new(Vec::new());

/// Runs one of the gem's own scripts in the current realm (named
/// HELPERS_FILE, so its frames stay out of the stacks users see); None
/// once it threw. Its code cache is used when there is one, and made when
/// there is none and `may_cache` (V8's cache creation is not re-entrant: only
/// a new isolate's first realm, before any of its JS ran, makes one).
pub(crate) fn run_helper_script<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    source: &str,
    may_cache: bool,
) -> Option<v8::Local<'s, v8::Value>> {
    use v8::script_compiler::{compile, CompileOptions, NoCacheReason, Source};
    let code = v8::String::new(scope, source)?;
    let name = v8::String::new(scope, HELPERS_FILE)?;
    let origin = crate::cache::origin(scope, name, false);
    let key = crate::cache::hash(source.as_bytes());
    let caches = || CODE_CACHES.lock().unwrap_or_else(|e| e.into_inner());
    let cached = caches().iter().find(|(k, _)| *k == key).map(|(_, bytes)| std::sync::Arc::clone(bytes));
    // `cached` outlives the Source that borrows its bytes (declared after it).
    let (mut source, options) = match &cached {
        Some(bytes) => (
            Source::new_with_cached_data(code, Some(&origin), v8::CachedData::new(bytes)),
            CompileOptions::ConsumeCodeCache,
        ),
        None => (Source::new(code, Some(&origin)), CompileOptions::NoCompileOptions),
    };
    let script = compile(scope, &mut source, options, NoCacheReason::NoReason);
    if crate::cache::v8_rejected(&source, options) {
        caches().retain(|(k, _)| *k != key);
    }
    let script = script?;
    if cached.is_none() && may_cache {
        if let Some(bytes) = script.get_unbound_script(scope).create_code_cache() {
            let mut caches = caches();
            if !caches.iter().any(|(k, _)| *k == key) {
                caches.push((key, std::sync::Arc::from(&bytes[..])));
            }
        }
    }
    script.run(scope)
}

/// Drops realm `id`'s helpers (it is disposed or reset).
pub(crate) fn remove_helper(isolate: &v8::Isolate, id: usize) {
    if let Some(helpers) = isolate.get_slot::<Helpers>() {
        helpers.0.borrow_mut().retain(|h| h.id != id);
        helpers.1.borrow_mut().retain(|(i, _)| *i != id);
    }
}

/// The number of the current context (None: not a realm of ours).
pub(crate) fn current_realm(scope: &v8::PinScope<'_, '_>) -> Option<usize> {
    realm_of(scope, scope.get_current_context())
}

/// The number of `context` (None: not a realm of ours, or one gone).
pub(crate) fn realm_of(scope: &v8::PinScope<'_, '_, ()>, context: v8::Local<v8::Context>) -> Option<usize> {
    let ids = scope.get_slot::<Helpers>()?.1.try_borrow().ok()?;
    ids.iter().find(|(_, c)| *c == context).map(|(id, _)| *id)
}

/// Whether the isolate has more than one realm.
pub(crate) fn several_realms(scope: &v8::PinScope<'_, '_, ()>) -> bool {
    scope.get_slot::<Helpers>().and_then(|h| h.1.try_borrow().ok().map(|ids| ids.len() > 1)).unwrap_or(true)
}

/// Realm `id`'s context (None: unknown or gone).
pub(crate) fn context_by_id<'s>(scope: &v8::PinScope<'s, '_, ()>, id: usize) -> Option<v8::Local<'s, v8::Context>> {
    let ids = scope.get_slot::<Helpers>()?.1.try_borrow().ok()?;
    ids.iter().find(|(i, _)| *i == id).map(|(_, c)| v8::Local::new(scope, c))
}

/// One of the current realm's helpers (None: the realm has none).
pub(crate) fn helper<'s, T>(
    scope: &v8::PinScope<'s, '_>,
    which: impl Fn(&RealmHelpers) -> &v8::Global<T>,
) -> Option<v8::Local<'s, T>> {
    let current = scope.get_current_context();
    let helpers = scope.get_slot::<Helpers>()?.0.borrow();
    let found = helpers.iter().find(|h| h.context == current)?;
    Some(v8::Local::new(scope, which(found)))
}

/// The current realm's entries helper, if it has one.
pub(crate) fn entries_helper<'s>(scope: &v8::PinScope<'s, '_>) -> Option<v8::Local<'s, v8::Function>> {
    helper(scope, |h| &h.entries)
}

/// A new Set of the current realm holding `items`: Some(None) when it
/// threw (the stack ran out, or the isolate is stopping), None when the
/// realm has no helper.
pub fn new_set<'s>(
    scope: &v8::PinScope<'s, '_>,
    items: v8::Local<'s, v8::Array>,
) -> Option<Option<v8::Local<'s, v8::Object>>> {
    let make = helper(scope, |h| &h.new_set)?;
    let undefined = v8::undefined(scope).into();
    Some(make.call(scope, undefined, &[items.into()]).and_then(|s| v8::Local::<v8::Object>::try_from(s).ok()))
}

/// Sets `map`'s entries from `flat` (alternating keys and values) in the
/// current realm: Some(false) when it threw (the stack ran out, or the
/// isolate is stopping), None when the realm has no helper.
pub fn fill_map<'s>(
    scope: &v8::PinScope<'s, '_>,
    map: v8::Local<'s, v8::Map>,
    flat: &[v8::Local<'s, v8::Value>],
) -> Option<bool> {
    let fill = helper(scope, |h| &h.fill_map)?;
    if flat.is_empty() {
        return Some(true);
    }
    let undefined = v8::undefined(scope).into();
    let flat = v8::Array::new_with_elements(scope, flat);
    Some(fill.call(scope, undefined, &[map.into(), flat.into()]).is_some())
}

/// Some realm of the isolate (the first made), to enter where no context
/// is at hand (a V8 interrupt).
pub(crate) fn any_context<'s>(scope: &v8::PinScope<'s, '_, ()>) -> Option<v8::Local<'s, v8::Context>> {
    let helpers = scope.get_slot::<Helpers>()?.0.try_borrow().ok()?;
    helpers.first().map(|h| v8::Local::new(scope, &h.context))
}
