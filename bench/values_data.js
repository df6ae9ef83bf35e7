// The data bench/values.rb and bench/values_mini_racer.py both build, and their checks.
const N = 10000;
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const nest = (i, depth) => (depth === 1 ? { v: i } : { v: i, next: nest(i, depth - 1) });
const DATA = {
  ints: range(N, (i) => i),
  floats: range(N, (i) => i + 0.5),
  ascii: range(N, (i) => "s" + i),
  nonascii: range(N, (i) => (i % 2 === 0 ? "é" : "日本") + i),
  objects: range(1000, (i) => Object.fromEntries(range(10, (k) => ["k" + k, i + k]))),
  nested: range(100, (i) => nest(i, 5)),
  binary: Uint8Array.from(range(1000000, (i) => i & 255)),
  map: new Map(range(N, (i) => ["k" + i, i])),
  set: new Set(range(N, (i) => i)),
};
// JSON cannot carry a binary buffer, a Map or a Set: the JSON hops send the
// bytes as an array of integers, a Map as an object and a Set as an array,
// and rebuild them on the other side.
const toJSONable = (x) =>
  x instanceof Uint8Array ? Array.from(x) : x instanceof Map ? Object.fromEntries(x) : x instanceof Set ? [...x] : x;
const REBUILD = { binary: (a) => Uint8Array.from(a), map: (o) => new Map(Object.entries(o)), set: (a) => new Set(a) };
const kind = (x) => Object.prototype.toString.call(x).slice(8, -1);
// "" when got is the same data as want (same kinds all the way down), else what differs.
function mismatch(want, got, path) {
  if (kind(want) !== kind(got)) return `${path}: expected ${kind(want)}, got ${kind(got)}`;
  if (Array.isArray(want) || want instanceof Uint8Array) {
    if (want.length !== got.length) return `${path}: expected length ${want.length}, got ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const m = mismatch(want[i], got[i], `${path}[${i}]`);
      if (m) return m;
    }
    return "";
  }
  if (want instanceof Map || want instanceof Set) {
    if (want.size !== got.size) return `${path}: expected size ${want.size}, got ${got.size}`;
    for (const [k, v] of want.entries()) {
      if (!got.has(k)) return `${path}: missing ${JSON.stringify(k)}`;
      const m = want instanceof Map ? mismatch(v, got.get(k), `${path}.get(${JSON.stringify(k)})`) : "";
      if (m) return m;
    }
    return "";
  }
  if (kind(want) === "Object") {
    const keys = Object.keys(want);
    if (keys.join() !== Object.keys(got).join()) return `${path}: expected keys ${keys}, got ${Object.keys(got)}`;
    for (const k of keys) {
      const m = mismatch(want[k], got[k], `${path}.${k}`);
      if (m) return m;
    }
    return "";
  }
  return Object.is(want, got) ? "" : `${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
}
function sink(x) { return 0 }
for (const [name, value] of Object.entries(DATA)) {
  const rebuild = REBUILD[name] || ((x) => x);
  globalThis["get_" + name] = () => value;
  globalThis["get_" + name + "_json"] = () => JSON.stringify(toJSONable(value));
  globalThis["sink_json_" + name] = (s) => { rebuild(JSON.parse(s)); return 0 };
  globalThis["check_" + name] = (x) => mismatch(value, x, name);
  globalThis["check_json_" + name] = (s) => mismatch(value, rebuild(JSON.parse(s)), name);
}
