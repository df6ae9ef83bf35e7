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
//! - `new WebAssembly.Instance`/`instantiate` of a compiled module refuse
//!   one whose declared memories need more than is left.
//!
//! What is counted, per realm (apart from ArrayBuffers, which the allocator
//! counts), is the current size of the live memories the wrappers saw, and
//! the declared pages of instances that keep their memory unexported.
//! Growth inside wasm, each memory capped at what was left when it was made,
//! can go past the limit; memories that are garbage count until V8 collects
//! them. The count is per realm so that a reset realm takes it along (a
//! shared one kept every old realm alive).

/// Installs the wrappers in the current realm (nothing without WebAssembly).
/// Called with the budget in bytes.
const WRAP_JS: &str = r#"((limit) => {
  const W = globalThis.WebAssembly;
  if (typeof W !== "object" || W === null) return;
  try {
  const PAGE = 65536, R = Reflect, apply = R.apply, construct = R.construct, define = Object.defineProperty;
  const getter = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
  const M = W.Memory, Mod = W.Module, Inst = W.Instance, compile = W.compile, instantiate = W.instantiate;
  const grow = M.prototype.grow, bufferOf = getter(M.prototype, "buffer"), exportsOf = getter(Inst.prototype, "exports");
  const abLength = getter(ArrayBuffer.prototype, "byteLength");
  const sabLength = typeof SharedArrayBuffer === "function" ? getter(SharedArrayBuffer.prototype, "byteLength") : abLength;
  const TA = Object.getPrototypeOf(Uint8Array.prototype);
  const taBuffer = getter(TA, "buffer"), taOffset = getter(TA, "byteOffset"), taLength = getter(TA, "byteLength");
  const dvBuffer = getter(DataView.prototype, "buffer"), dvOffset = getter(DataView.prototype, "byteOffset"),
    dvLength = getter(DataView.prototype, "byteLength");
  const WR = WeakRef, deref = WR.prototype.deref, then = Promise.prototype.then, reject = Promise.reject.bind(Promise);
  const keysOf = R.ownKeys, U8 = Uint8Array, RangeErr = RangeError, isView = ArrayBuffer.isView, Big = BigInt;
  const WM = WeakMap, wmGet = WM.prototype.get, wmSet = WM.prototype.set;
  // This realm's memories (WeakRefs), and instances whose memory is not
  // exported with the pages it reserves. Kept in this realm only, so a
  // reset realm and what it counted go together.
  const memories = [], hidden = [], declared = new WM();
  const bytesOf = (b) => { try { return apply(abLength, b, []) } catch { return apply(sabLength, b, []) } };
  const used = () => {
    let n = 0, keep = 0;
    for (let i = 0; i < memories.length; i++) {
      const m = apply(deref, memories[i], []);
      if (m !== undefined) { memories[keep++] = memories[i]; n += bytesOf(apply(bufferOf, m, [])) }
    }
    memories.length = keep; keep = 0;
    for (let i = 0; i < hidden.length; i += 2) {
      if (apply(deref, hidden[i], []) !== undefined) { hidden[keep++] = hidden[i]; hidden[keep++] = hidden[i + 1]; n += hidden[i + 1] * PAGE }
    }
    hidden.length = keep;
    return n;
  };
  const pagesLeft = () => Math.max(0, Math.floor((limit - used()) / PAGE));
  const refuse = (what, pages) => new RangeErr(`${what}: ${pages * PAGE} more bytes of WebAssembly memory would exceed ` +
    `the isolate's memory_limit (${limit} bytes)`);
  const counted = (m) => { for (let i = 0; i < memories.length; i++) if (apply(deref, memories[i], []) === m) return true; return false };
  const count = (m) => { if (!counted(m)) memories[memories.length] = new WR(m) };
  // An instance's exported memories count from now on; a module's own
  // memory it does not export counts by the pages it declared.
  const countInstance = (instance, pages) => {
    let exported = false;
    const ex = apply(exportsOf, instance, []);
    for (const k of keysOf(ex)) { const v = ex[k]; if (v instanceof M) { count(v); exported = true } }
    if (pages > 0 && !exported) { hidden[hidden.length] = new WR(instance); hidden[hidden.length] = pages }
    return instance;
  };
  const same = (wrapper, original, name, length) => {
    for (const k of keysOf(original)) {
      if (k !== "prototype" && k !== "name" && k !== "length") define(wrapper, k, Object.getOwnPropertyDescriptor(original, k));
    }
    wrapper.prototype = original.prototype;
    define(original.prototype, "constructor", { value: wrapper, writable: true, configurable: true });
    define(wrapper, "name", { value: name }); define(wrapper, "length", { value: length });
    define(W, name, { value: wrapper, writable: true, configurable: true });
  };
  function Memory(descriptor) {
    if (new.target === undefined) return apply(M, undefined, [descriptor]);
    if ((typeof descriptor !== "object" && typeof descriptor !== "function") || descriptor === null) {
      return construct(M, [descriptor], new.target);
    }
    const left = pagesLeft(), big = descriptor.address === "i64";
    const initial = Number(descriptor.initial !== undefined ? descriptor.initial : descriptor.minimum);
    if (initial > left) throw refuse("WebAssembly.Memory", initial);
    const asked = descriptor.maximum === undefined ? Infinity : Number(descriptor.maximum);
    const maximum = Math.max(initial, Math.min(asked, left));
    const d = { initial: big ? Big(initial) : initial, maximum: big ? Big(maximum) : maximum, shared: descriptor.shared };
    if (descriptor.address !== undefined) d.address = descriptor.address;
    const m = construct(M, [d], new.target);
    count(m);
    return m;
  }
  same(Memory, M, "Memory", 1);
  define(M.prototype, "grow", { value: { grow(delta) {
    const pages = Number(delta);
    if (pages > pagesLeft()) throw refuse("WebAssembly.Memory.prototype.grow", pages);
    return apply(grow, this, [typeof delta === "bigint" ? Big(pages) : pages]);
  } }.grow, writable: true, configurable: true });
  // LEB128 of a non-negative integer (< 2**53).
  const leb = (n, out) => { do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 128; out[out.length] = b } while (n > 0) };
  // The bytes of a module's source (read through the intrinsics, whatever
  // the object claims), or null for what is not a buffer or view.
  const sourceBytes = (source) => {
    if ((typeof source !== "object" && typeof source !== "function") || source === null) return null;
    if (isView(source)) {
      try { return new U8(apply(taBuffer, source, []), apply(taOffset, source, []), apply(taLength, source, [])) } catch {}
      try { return new U8(apply(dvBuffer, source, []), apply(dvOffset, source, []), apply(dvLength, source, [])) } catch {}
      return null;
    }
    try { apply(abLength, source, []); return new U8(source) } catch {}
    try { apply(sabLength, source, []); return new U8(source) } catch {}
    return null;
  };
  // [bytes, pages]: the module with each memory it declares capped at
  // what is left (one needing more is refused), and the pages they need.
  const capped = (source) => {
    const bytes = sourceBytes(source);
    if (bytes === null || bytes.length < 8) return [source, 0];
    let at = 8, memory = -1, end = 0;
    const read = () => { let n = 0, scale = 1, b; do { if (at >= bytes.length) return NaN; b = bytes[at++]; n += (b & 127) * scale; scale *= 128 } while (b & 128); return n };
    while (at < bytes.length) {
      const start = at, id = bytes[at++], length = read();
      if (Number.isNaN(length) || at + length > bytes.length) return [source, 0];
      if (id === 5) { memory = start; end = at + length; break }
      at += length;
    }
    if (memory < 0) return [source, 0];
    const left = pagesLeft(), content = [];
    let entries = read(), pages = 0;
    if (Number.isNaN(entries)) return [source, 0];
    leb(entries, content);
    for (; entries > 0; entries--) {
      if (at >= end) return [source, 0];
      const flags = bytes[at++], min = read(), max = flags & 1 ? read() : Infinity;
      if (Number.isNaN(min) || Number.isNaN(max)) return [source, 0];
      if (flags & 8) throw new RangeErr("WebAssembly.Module: a memory with a custom page size cannot be held to the isolate's memory_limit");
      if (min > left) throw refuse("WebAssembly.Module", min);
      pages += min;
      if ((flags & 2) && !(flags & 1)) { content[content.length] = flags; leb(min, content); continue } // invalid: V8 says so
      content[content.length] = flags | 1; leb(min, content); leb(Math.max(min, Math.min(max, left)), content);
    }
    if (at !== end) return [source, 0];
    const header = [5]; leb(content.length, header);
    const out = new U8(memory + header.length + content.length + (bytes.length - end));
    out.set(bytes.subarray(0, memory), 0);
    out.set(header, memory); out.set(content, memory + header.length);
    out.set(bytes.subarray(end), memory + header.length + content.length);
    return [out, pages];
  };
  const remember = (module, pages) => { if (pages > 0) apply(wmSet, declared, [module, pages]); return module };
  const reserve = (module, what) => {
    const pages = apply(wmGet, declared, [module]) || 0;
    if (pages > pagesLeft()) throw refuse(what, pages);
    return pages;
  };
  function Module(bytes, ...rest) {
    if (new.target === undefined) return apply(Mod, undefined, [bytes, ...rest]);
    const [source, pages] = capped(bytes);
    return remember(construct(Mod, [source, ...rest], new.target), pages);
  }
  same(Module, Mod, "Module", 1);
  function Instance(module, ...rest) {
    if (new.target === undefined) return apply(Inst, undefined, [module, ...rest]);
    const pages = reserve(module, "WebAssembly.Instance");
    return countInstance(construct(Inst, [module, ...rest], new.target), pages);
  }
  same(Instance, Inst, "Instance", 1);
  define(W, "compile", { value: { compile(bytes, ...rest) {
    let source, pages;
    try { [source, pages] = capped(bytes) } catch (e) { return reject(e) }
    return apply(then, apply(compile, W, [source, ...rest]), [(m) => remember(m, pages)]);
  } }.compile, writable: true, configurable: true });
  define(W, "instantiate", { value: { instantiate(source, imports, ...rest) {
    if (source instanceof Mod) {
      let pages;
      try { pages = reserve(source, "WebAssembly.instantiate") } catch (e) { return reject(e) }
      return apply(then, apply(instantiate, W, [source, imports, ...rest]), [(i) => countInstance(i, pages)]);
    }
    let bytes, pages;
    try { [bytes, pages] = capped(source) } catch (e) { return reject(e) }
    return apply(then, apply(instantiate, W, [bytes, imports, ...rest]), [(r) => {
      remember(r.module, pages); countInstance(r.instance, pages); return r;
    }]);
  } }.instantiate, writable: true, configurable: true });
  } catch (e) {
    // Not held to the limit, so not there at all.
    try { delete globalThis.WebAssembly } catch {}
  }
})"#;

/// Gives the current realm the wrappers for `limit` bytes (0: none). A
/// realm whose wrappers cannot be installed gets no WebAssembly at all.
pub(crate) fn limit_in_realm(scope: &mut v8::PinScope<'_, '_>, limit: usize, may_cache: bool) {
    if limit == 0 {
        return;
    }
    v8::tc_scope!(let tc, scope);
    let scope = tc;
    let installed = (|| {
        let wrap = crate::realm_helpers::run_helper_script(scope, WRAP_JS, may_cache)?;
        let wrap = v8::Local::<v8::Function>::try_from(wrap).ok()?;
        let undefined = v8::undefined(scope).into();
        let limit = v8::Number::new(scope, limit as f64).into();
        wrap.call(scope, undefined, &[limit])
    })();
    if installed.is_none() {
        // Failed closed: without its wrappers, the realm has no WebAssembly.
        let global = scope.get_current_context().global(scope);
        if let Some(key) = v8::String::new(scope, "WebAssembly") {
            let _ = global.delete(scope, key.into());
        }
    }
}
