//! WebAssembly memory under `memory_limit`. V8 allocates wasm memories
//! outside the ArrayBuffer allocator and has no per-isolate limit for them
//! (`--wasm-max-mem-pages` is process-wide), so each realm of a limited
//! isolate gets, before user code runs, a `WebAssembly` whose ways to make
//! or grow a memory check the isolate's budget first and throw a
//! `RangeError` beyond it:
//! - `new WebAssembly.Memory(…)` refuses an initial size past what is left,
//!   and caps the maximum at what is left;
//! - `Memory#grow` refuses growth past what is left;
//! - modules (`new WebAssembly.Module`, `compile`, `instantiate` from
//!   bytes) have the maximum of the memories they declare capped at what is
//!   left when they are compiled (a module needing more is refused), so
//!   `memory.grow` inside wasm returns -1 there;
//! - exported memories of new instances count from then on.
//!
//! What is counted is the current size of the live memories the wrappers
//! saw, isolate-wide (apart from ArrayBuffers, which the allocator counts).
//! Growth inside wasm of several memories at once, or of a memory a module
//! keeps unexported, can go past the limit by at most the caps given.

/// Installs the wrappers in the current realm (nothing without WebAssembly).
/// `(limit, live)`: the budget in bytes, and the isolate's array of WeakRefs
/// to the memories counted (shared by its realms).
const WRAP_JS: &str = r#"((limit, live) => {
  const W = globalThis.WebAssembly;
  if (typeof W !== "object" || W === null) return;
  const PAGE = 65536, R = Reflect, apply = R.apply, construct = R.construct, define = Object.defineProperty;
  const M = W.Memory, Mod = W.Module, Inst = W.Instance, compile = W.compile, instantiate = W.instantiate;
  const grow = M.prototype.grow, bufferOf = Object.getOwnPropertyDescriptor(M.prototype, "buffer").get;
  const abLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const sabLength = typeof SharedArrayBuffer === "function"
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get : abLength;
  const WR = WeakRef, deref = WR.prototype.deref, then = Promise.prototype.then, reject = Promise.reject.bind(Promise);
  const splice = Array.prototype.splice, push = Array.prototype.push, isView = ArrayBuffer.isView;
  const U8 = Uint8Array, values = Object.values, RangeErr = RangeError;
  const size = (m) => { const b = apply(bufferOf, m, []); try { return apply(abLength, b, []) } catch { return apply(sabLength, b, []) } };
  const used = () => {
    let n = 0;
    for (let i = live.length - 1; i >= 0; i--) {
      const m = apply(deref, live[i], []);
      if (m === undefined) apply(splice, live, [i, 1]); else n += size(m);
    }
    return n;
  };
  const pagesLeft = () => Math.max(0, Math.floor((limit - used()) / PAGE));
  const refuse = (what, pages) => new RangeErr(`${what}: ${pages * PAGE} more bytes of WebAssembly memory would exceed ` +
    `the isolate's memory_limit (${limit} bytes)`);
  const count = (m) => { for (const r of live) if (apply(deref, r, []) === m) return; apply(push, live, [new WR(m)]) };
  const countExports = (instance) => {
    if (instance !== null && typeof instance === "object" && typeof instance.exports === "object")
      for (const v of values(instance.exports)) if (v instanceof M) count(v);
    return instance;
  };
  const same = (wrapper, original, name, length) => {
    wrapper.prototype = original.prototype;
    define(original.prototype, "constructor", { value: wrapper, writable: true, configurable: true });
    define(wrapper, "name", { value: name }); define(wrapper, "length", { value: length });
    define(W, name, { value: wrapper, writable: true, configurable: true });
  };
  function Memory(descriptor) {
    if (new.target === undefined) return apply(M, undefined, [descriptor]);
    if (typeof descriptor !== "object" || descriptor === null) return construct(M, [descriptor], new.target);
    const left = pagesLeft();
    const initial = Number(descriptor.initial !== undefined ? descriptor.initial : descriptor.minimum);
    if (initial > left) throw refuse("WebAssembly.Memory", initial);
    const asked = descriptor.maximum === undefined ? Infinity : Number(descriptor.maximum);
    const d = { initial, maximum: Math.max(initial, Math.min(asked, left)), shared: descriptor.shared };
    if (descriptor.address !== undefined) d.address = descriptor.address;
    const m = construct(M, [d], new.target);
    count(m);
    return m;
  }
  same(Memory, M, "Memory", 1);
  define(M.prototype, "grow", { value: { grow(delta) {
    const pages = Number(delta);
    if (pages > pagesLeft()) throw refuse("WebAssembly.Memory.prototype.grow", pages);
    return apply(grow, this, [delta]);
  } }.grow, writable: true, configurable: true });
  // LEB128 of a non-negative integer (< 2**53).
  const leb = (n, out) => { do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 128; out.push(b) } while (n > 0) };
  // The module's bytes with each declared memory's maximum capped at what
  // is left (a memory needing more refused); other bytes as they are.
  const capped = (source) => {
    let bytes;
    if (isView(source)) bytes = new U8(source.buffer, source.byteOffset, source.byteLength);
    else if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && source instanceof SharedArrayBuffer)) bytes = new U8(source);
    else return source; // V8 says what is wrong with it
    if (bytes.length < 8) return source;
    let at = 8, memory = -1, end = 0;
    const read = () => { let n = 0, scale = 1, b; do { if (at >= bytes.length) return NaN; b = bytes[at++]; n += (b & 127) * scale; scale *= 128 } while (b & 128); return n };
    while (at < bytes.length) {
      const start = at, id = bytes[at++], length = read();
      if (Number.isNaN(length)) return source;
      if (id === 5) { memory = start; end = at + length; break }
      at += length;
    }
    if (memory < 0) return source;
    const left = pagesLeft(), content = [];
    let entries = read();
    leb(entries, content);
    for (; entries > 0; entries--) {
      const flags = bytes[at++], min = read(), max = flags & 1 ? read() : Infinity;
      if (Number.isNaN(min) || Number.isNaN(max)) return source;
      if (min > left) throw refuse("WebAssembly.Module", min);
      content.push(flags | 1); leb(min, content); leb(Math.max(min, Math.min(max, left)), content);
    }
    if (at !== end) return source;
    const header = [5]; leb(content.length, header);
    const out = new U8(memory + header.length + content.length + (bytes.length - end));
    out.set(bytes.subarray(0, memory), 0);
    out.set(header, memory); out.set(content, memory + header.length);
    out.set(bytes.subarray(end), memory + header.length + content.length);
    return out;
  };
  function Module(bytes) {
    if (new.target === undefined) return apply(Mod, undefined, [bytes]);
    return construct(Mod, [capped(bytes)], new.target);
  }
  same(Module, Mod, "Module", 1);
  function Instance(module, imports) {
    if (new.target === undefined) return apply(Inst, undefined, [module, imports]);
    return countExports(construct(Inst, [module, imports], new.target));
  }
  same(Instance, Inst, "Instance", 1);
  define(W, "compile", { value: { compile(bytes) {
    try { return apply(compile, W, [capped(bytes)]) } catch (e) { return reject(e) }
  } }.compile, writable: true, configurable: true });
  define(W, "instantiate", { value: { instantiate(source, imports) {
    if (source instanceof Mod) return apply(then, apply(instantiate, W, [source, imports]), [countExports]);
    let bytes;
    try { bytes = capped(source) } catch (e) { return reject(e) }
    return apply(then, apply(instantiate, W, [bytes, imports]), [(r) => { countExports(r.instance !== undefined ? r.instance : r); return r }]);
  } }.instantiate, writable: true, configurable: true });
})"#;

/// The isolate's live wasm memories (an isolate slot): WeakRefs, shared by
/// its realms.
struct Live(v8::Global<v8::Array>);

/// Gives the current realm the wrappers for `limit` bytes (0: none). A
/// failure leaves the realm's WebAssembly as it is.
pub(crate) fn limit_in_realm(scope: &mut v8::PinScope<'_, '_>, limit: usize) {
    if limit == 0 {
        return;
    }
    let live = match scope.get_slot::<Live>() {
        Some(live) => v8::Local::new(scope, &live.0),
        None => {
            let array = v8::Array::new(scope, 0);
            let global = v8::Global::new(scope, array);
            scope.set_slot(Live(global));
            array
        }
    };
    v8::tc_scope!(let tc, scope);
    let scope = tc;
    let installed = (|| {
        let source = v8::String::new(scope, WRAP_JS)?;
        let name = v8::String::new(scope, crate::realm_helpers::HELPERS_FILE)?;
        let origin = v8::ScriptOrigin::new(scope, name.into(), 0, 0, false, 0, None, false, false, false, None);
        let wrap = v8::Script::compile(scope, source, Some(&origin))?.run(scope)?;
        let wrap = v8::Local::<v8::Function>::try_from(wrap).ok()?;
        let undefined = v8::undefined(scope).into();
        let limit = v8::Number::new(scope, limit as f64).into();
        wrap.call(scope, undefined, &[limit, live.into()])
    })();
    let _ = installed;
}
