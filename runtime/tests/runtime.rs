//! The runtime without Ruby: eval, call, errors and backtraces,
//! termination and timeouts, host callbacks, and isolates used alternately
//! and dropped in any order. One test binary: each links ~100 MB of V8.

use std::rc::Rc;
use std::sync::Arc;

use rusty_racer_runtime::{
    object_from_template, object_template, to_host, v8, CompileSettings, Direct, ErrorKind, Failure, HostFunctions,
    HostValues, Isolate, IsolateOptions, JsError, ModuleStatus, Recipe, Resolution, Snapshot,
};

/// A host value tree, for checking what the walk produces.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Nil,
    Bool(bool),
    Int(i64),
    Big(bool, Vec<u64>),
    Float(f64),
    Str(String),
    Bin(Vec<u8>),
    Date(f64),
    Func(u32),
    Array(Vec<Val>),
    Hash(Vec<(Val, Val)>),
    Map(Vec<(Val, Val)>),
    Set(Vec<Val>),
    /// A container met again while resolving (a cycle), by arena index.
    Seen(usize),
}

/// Builds values in an arena (values are indices, as the trait wants Copy);
/// containers hold their children's indices.
#[derive(Default)]
struct Arena {
    values: Vec<Val>,
    children: Vec<Vec<usize>>,
}

impl Arena {
    fn put(&mut self, v: Val) -> Result<usize, ()> {
        self.values.push(v);
        self.children.push(Vec::new());
        Ok(self.values.len() - 1)
    }
    fn resolve(&self, i: usize) -> Val {
        self.resolve_in(i, &mut Vec::new())
    }
    fn resolve_in(&self, i: usize, path: &mut Vec<usize>) -> Val {
        if path.contains(&i) {
            return Val::Seen(i);
        }
        path.push(i);
        let kids: Vec<Val> = self.children[i].iter().map(|c| self.resolve_in(*c, path)).collect();
        path.pop();
        let pairs = || kids.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
        match &self.values[i] {
            Val::Array(_) => Val::Array(kids),
            Val::Hash(_) => Val::Hash(pairs()),
            Val::Map(_) => Val::Map(pairs()),
            Val::Set(_) => Val::Set(kids),
            other => other.clone(),
        }
    }
    fn fill(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Vec<u8> {
        let mut buf = vec![0; len];
        let n = fill(&mut buf);
        buf.truncate(n);
        buf
    }
}

impl HostValues for Arena {
    type Value = usize;
    type Error = ();
    fn nil(&mut self) -> Result<usize, ()> {
        self.put(Val::Nil)
    }
    fn boolean(&mut self, v: bool) -> Result<usize, ()> {
        self.put(Val::Bool(v))
    }
    fn integer(&mut self, v: i64) -> Result<usize, ()> {
        self.put(Val::Int(v))
    }
    fn big_integer(&mut self, negative: bool, words: &[u64]) -> Result<usize, ()> {
        self.put(Val::Big(negative, words.to_vec()))
    }
    fn float(&mut self, v: f64) -> Result<usize, ()> {
        self.put(Val::Float(v))
    }
    fn string(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Result<usize, ()> {
        let bytes = self.fill(len, fill);
        self.put(Val::Str(String::from_utf8(bytes).map_err(|_| ())?))
    }
    fn key(&mut self, name: &str) -> Result<usize, ()> {
        self.put(Val::Str(name.into()))
    }
    fn binary(&mut self, len: usize, fill: &mut dyn FnMut(&mut [u8]) -> usize) -> Result<usize, ()> {
        let bytes = self.fill(len, fill);
        self.put(Val::Bin(bytes))
    }
    fn date(&mut self, ms: f64) -> Result<usize, ()> {
        self.put(Val::Date(ms))
    }
    fn function(&mut self, id: u32) -> Result<usize, ()> {
        self.put(Val::Func(id))
    }
    fn new_array(&mut self, _: usize) -> Result<usize, ()> {
        self.put(Val::Array(vec![]))
    }
    fn array_push(&mut self, a: usize, item: usize) -> Result<(), ()> {
        self.children[a].push(item);
        Ok(())
    }
    fn array_store(&mut self, a: usize, index: u32, item: usize) -> Result<(), ()> {
        self.children[a][index as usize] = item;
        Ok(())
    }
    fn new_hash(&mut self, _: usize) -> Result<usize, ()> {
        self.put(Val::Hash(vec![]))
    }
    fn new_map(&mut self) -> Result<usize, ()> {
        self.put(Val::Map(vec![]))
    }
    fn hash_set(&mut self, h: usize, k: usize, v: usize) -> Result<(), ()> {
        self.children[h].extend([k, v]);
        Ok(())
    }
    fn new_set(&mut self) -> Result<usize, ()> {
        self.put(Val::Set(vec![]))
    }
    fn set_add(&mut self, s: usize, item: usize) -> Result<(), ()> {
        self.children[s].push(item);
        Ok(())
    }
    fn poll(&mut self) -> Result<(), ()> {
        Ok(())
    }
}

fn s(text: &str) -> Val {
    Val::Str(text.into())
}

/// Host functions for the tests: 0 doubles a number, 1 throws, 2 evals in
/// a nested isolate given through a thread-local.
struct TestHost;

thread_local! {
    static NESTED: std::cell::RefCell<Option<Rc<Isolate>>> = const { std::cell::RefCell::new(None) };
    /// Modules `import()` finds, by specifier.
    static IMPORTABLE: std::cell::RefCell<std::collections::HashMap<String, u32>> = std::cell::RefCell::default();
}

impl HostFunctions for TestHost {
    fn import(&self, specifier: &str, _referrer: &str, _ctx: usize) -> Resolution {
        IMPORTABLE.with(|m| m.borrow().get(specifier).copied()).map_or(Resolution::NotFound, Resolution::Module)
    }

    fn call<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        id: u32,
        args: &v8::FunctionCallbackArguments<'s>,
    ) -> Option<v8::Local<'s, v8::Value>> {
        match id {
            0 => {
                let n = args.get(0).number_value(scope)?;
                Some(v8::Number::new(scope, n * 2.0).into())
            }
            1 => {
                let message = v8::String::new(scope, "host says no")?;
                let exception = v8::Exception::error(scope, message);
                Isolate::tag_host_error(scope, exception, 7);
                scope.throw_exception(exception);
                None
            }
            _ => {
                let other = NESTED.with(|n| n.borrow().clone())?;
                let value = other
                    .eval(&Direct, 0, "6 * 7", "nested.js", None, |_, v| Ok::<_, Failure<()>>(v.int32_value(scope)));
                let n = value.ok().flatten()?;
                Some(v8::Integer::new(scope, n).into())
            }
        }
    }
}

/// Tests run one at a time: some count live isolates.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn isolate() -> Isolate {
    Isolate::new(IsolateOptions::default(), Rc::new(TestHost)).unwrap()
}

fn eval(iso: &Isolate, src: &str) -> Result<Val, JsError> {
    eval_in(iso, src, "test.js")
}

fn eval_in(iso: &Isolate, src: &str, file: &str) -> Result<Val, JsError> {
    let mut arena = Arena::default();
    let out = iso.eval(&Direct, 0, src, file, None, |scope, v| to_host(scope, v, &mut arena));
    match out {
        Ok(i) => Ok(arena.resolve(i)),
        Err(Failure::Js(e)) => Err(e),
        Err(Failure::Host(())) => panic!("host error"),
        Err(Failure::Exception) => panic!("unconverted exception"),
    }
}

#[test]
fn eval_marshals_values() {
    let _serial = serial();
    let iso = isolate();
    assert_eq!(eval(&iso, "1 + 1"), Ok(Val::Int(2)));
    assert_eq!(eval(&iso, "1.5"), Ok(Val::Float(1.5)));
    assert_eq!(eval(&iso, "2 ** 53"), Ok(Val::Int(1 << 53)));
    assert_eq!(eval(&iso, "2 ** 54"), Ok(Val::Float(2f64.powi(54))));
    assert_eq!(eval(&iso, "2n ** 70n"), Ok(Val::Big(false, vec![0, 64])));
    assert_eq!(eval(&iso, "-(2n ** 64n) - 1n"), Ok(Val::Big(true, vec![1, 1])));
    assert_eq!(eval(&iso, "-5n"), Ok(Val::Int(-5)));
    assert_eq!(eval(&iso, "-0"), Ok(Val::Float(-0.0)));
    assert_eq!(eval(&iso, "'h\u{e9}\u{1F600}\0'"), Ok(s("h\u{e9}\u{1F600}\0")));
    assert_eq!(eval(&iso, "'a\\uD800b'"), Ok(s("a\u{FFFD}b")), "a lone surrogate is replaced");
    assert_eq!(eval(&iso, "null"), Ok(Val::Nil));
    assert_eq!(eval(&iso, "undefined"), Ok(Val::Nil));
    assert_eq!(eval(&iso, "Symbol('x')"), Ok(s("Symbol(x)")));
    assert_eq!(eval(&iso, "[Symbol()]"), Ok(Val::Array(vec![s("Symbol()")])));
    assert_eq!(
        eval(&iso, "({a: 1, b: [true, 'x', , 2], 3: null})"),
        Ok(Val::Hash(vec![
            (s("3"), Val::Nil),
            (s("a"), Val::Int(1)),
            (s("b"), Val::Array(vec![Val::Bool(true), s("x"), Val::Nil, Val::Int(2)])),
        ]))
    );
    assert_eq!(eval(&iso, "new Date(5)"), Ok(Val::Date(5.0)));
    assert_eq!(
        eval(&iso, "new Map([[1, 'one'], ['k', [2]]])"),
        Ok(Val::Map(vec![(Val::Int(1), s("one")), (s("k"), Val::Array(vec![Val::Int(2)]))]))
    );
    assert_eq!(eval(&iso, "new Set([1, 'a'])"), Ok(Val::Set(vec![Val::Int(1), s("a")])));
    assert_eq!(eval(&iso, "new Uint8Array([1, 2, 255])"), Ok(Val::Bin(vec![1, 2, 255])));
    assert_eq!(eval(&iso, "new Uint16Array([1, 2, 3]).subarray(1, 2)"), Ok(Val::Bin(vec![2, 0])));
    assert_eq!(eval(&iso, "new Uint8Array([7, 8]).buffer"), Ok(Val::Bin(vec![7, 8])));
    assert_eq!(eval(&iso, "new DataView(new Uint8Array([7, 8, 9]).buffer, 1, 1)"), Ok(Val::Bin(vec![8])));
    assert_eq!(eval(&iso, "new Uint8Array(new SharedArrayBuffer(2))"), Ok(Val::Bin(vec![0, 0])));
    assert!(matches!(eval(&iso, "(function f() {})"), Ok(Val::Func(_))));
}

#[test]
fn shared_references_and_cycles_keep_their_shape() {
    let _serial = serial();
    let iso = isolate();
    let mut arena = Arena::default();
    let src = "const o = {n: 1}; const a = [o, o]; a.push(a); a";
    let out = iso.eval(&Direct, 0, src, "cycle.js", None, |scope, v| to_host(scope, v, &mut arena)).unwrap();
    let items = arena.children[out].clone();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0], items[1], "the same object is the same host value");
    assert_eq!(items[2], out, "the cycle points back at the array");
    assert_eq!(
        arena.resolve(out),
        Val::Array(vec![
            Val::Hash(vec![(s("n"), Val::Int(1))]),
            Val::Hash(vec![(s("n"), Val::Int(1))]),
            Val::Seen(out),
        ])
    );
}

#[test]
fn deep_nesting_and_throwing_getters_are_errors() {
    let _serial = serial();
    let iso = isolate();
    let e = eval(&iso, "let d = []; for (let i = 0; i < 100000; i++) d = [d]; d").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Marshal);
    assert!(e.message.contains("nested"), "{}", e.message);
    let e = eval(&iso, "({get x() { throw new Error('getter') }})").unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Runtime, "Error: getter"));
    let e = eval(&iso, "new Proxy({}, {ownKeys() { throw new TypeError('trap') }})").unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Runtime, "TypeError: trap"));
    assert_eq!(eval(&iso, "1"), Ok(Val::Int(1)), "usable afterwards");
}

#[test]
fn kept_functions_are_called_and_released() {
    let _serial = serial();
    let iso = isolate();
    let mut arena = Arena::default();
    let src = "function namedFn(a, b) { 'use strict'; return a * b + (this === undefined ? 1 : 0) } namedFn";
    let out = iso.eval(&Direct, 0, src, "f.js", None, |scope, v| to_host(scope, v, &mut arena)).unwrap();
    let Val::Func(id) = arena.resolve(out) else { panic!("not a function") };
    assert_eq!(iso.function_name(id).as_deref(), Ok("namedFn"));
    let got = iso.call_function(
        &Direct,
        id,
        None,
        |scope| {
            Ok::<_, Failure<()>>(
                [v8::Number::new(scope, 6.0).into(), v8::Number::new(scope, 7.0).into()].into_iter().collect(),
            )
        },
        |scope, v| Ok(v.number_value(scope).unwrap_or_default()),
    );
    assert_eq!(got.ok(), Some(43.0));
    assert_eq!(iso.kept_function_count(), 1);
    iso.forget(rusty_racer_runtime::HandleKind::Function, id);
    assert_eq!(iso.kept_function_count(), 0);
    let e = iso.function_name(id).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Disposed);
}

#[test]
fn errors_carry_messages_and_backtraces() {
    let _serial = serial();
    let iso = isolate();
    let e = eval_in(&iso, "throw new Error('boom')", "app.js").unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Runtime, "Error: boom"));
    assert_eq!(e.frames, vec!["app.js:1:7".to_string()]);
    let e = eval_in(&iso, "function fn() { throw new Error('x') }\nfn()", "app.js").unwrap_err();
    assert_eq!(e.frames, vec!["app.js:1:23:in 'fn'".to_string(), "app.js:2:1".to_string()]);
    let e = eval(&iso, "throw 42").unwrap_err();
    assert_eq!((e.message.as_str(), e.frames.len()), ("42", 0));
    let e = eval(&iso, "throw new Error('line1\\nline2')").unwrap_err();
    assert_eq!(e.message, "Error: line1\nline2");
    assert!(e.frames.iter().all(|f| !f.contains("line")), "{:?}", e.frames);
    let e = eval_in(&iso, "x = 1;\nlet y = ;", "boot.js").unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Parse, "SyntaxError: Unexpected token ';' at boot.js:2"));
    let e = eval(&iso, "({toString() { throw 1 }})")
        .map(|_| ())
        .and_then(|_| eval(&iso, "throw {toString() { throw 1 }}"))
        .unwrap_err();
    assert_eq!(e.message, "<a JavaScript exception whose toString() threw>");
}

#[test]
fn call_looks_up_dotted_paths_without_evaluating() {
    let _serial = serial();
    let iso = isolate();
    eval(&iso, "function add(a, b) { return a + b }; var math = {base: 10, addBase(x) { return this.base + x }}")
        .unwrap();
    let call = |path: &str, args: Vec<f64>| {
        let mut arena = Arena::default();
        iso.call(
            &Direct,
            0,
            path,
            None,
            |scope| Ok::<_, Failure<()>>(args.iter().map(|a| v8::Number::new(scope, *a).into()).collect()),
            |scope, v| to_host(scope, v, &mut arena),
        )
        .map(|i| arena.resolve(i))
    };
    assert!(matches!(call("add", vec![20.0, 22.0]), Ok(Val::Int(42))));
    assert!(matches!(call("math.addBase", vec![1.0]), Ok(Val::Int(11))));
    for (path, message) in [
        ("nope", "nope is not a function (it is undefined)"),
        ("math.nope.deeper", "math.nope.deeper is not a function (math.nope is undefined)"),
        ("add()", "\"add()\" is not a plain dotted path of identifiers"),
        ("globalThis.x = 1", "\"globalThis.x = 1\" is not a plain dotted path of identifiers"),
    ] {
        match call(path, vec![]) {
            Err(Failure::Js(e)) => assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Runtime, message)),
            other => panic!("{path}: {other:?}"),
        }
    }
    assert_eq!(eval(&iso, "typeof x"), Ok(Val::Str("undefined".into())), "nothing was evaluated");
}

#[test]
fn host_functions_attach_at_paths() {
    let _serial = serial();
    let iso = isolate();
    iso.attach(0, &[("twice", 0), ("ns.util.twice", 0), ("fail", 1)]).unwrap();
    assert_eq!(eval(&iso, "twice(21) + ns.util.twice(1)"), Ok(Val::Int(44)));
    assert_eq!(eval(&iso, "try { fail() } catch (e) { e.message }"), Ok(Val::Str("host says no".into())));
    assert_eq!(eval(&iso, "fail()").unwrap_err().kind, ErrorKind::HostError(7));
    eval(&iso, "var n = 5").unwrap();
    let e = iso.attach(0, &[("n.f", 0)]).unwrap_err();
    assert_eq!(e.message, "cannot attach n.f: n is number, not an object");
    assert_eq!(eval(&iso, "n"), Ok(Val::Int(5)), "left intact");
}

#[test]
fn terminate_and_timeouts_leave_the_isolate_usable() {
    let _serial = serial();
    let iso = isolate();
    iso.terminate(); // idle: must not poison the next operation
    assert_eq!(eval(&iso, "1"), Ok(Val::Int(1)));
    let mut arena = Arena::default();
    let e = iso.eval(&Direct, 0, "for (;;) {}", "loop.js", Some(50), |s, v| to_host(s, v, &mut arena)).unwrap_err();
    match e {
        Failure::Js(e) => {
            assert_eq!(
                (e.kind, e.message.as_str()),
                (ErrorKind::Terminated, "JavaScript timed out after 50 ms in loop.js:1:1")
            );
            assert_eq!(e.js_backtrace, ["loop.js:1:1"]);
        }
        _ => panic!(),
    }
    assert_eq!(eval(&iso, "2"), Ok(Val::Int(2)));
    let stopper = iso.stopper();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        stopper.stop();
    });
    let e = eval(&iso, "for (;;) {}").unwrap_err();
    killer.join().unwrap();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Terminated, "JavaScript was terminated in test.js:1:1"));
    assert_eq!(eval(&iso, "3"), Ok(Val::Int(3)));
}

#[test]
fn memory_limit_is_an_error_not_a_crash() {
    let _serial = serial();
    let iso = Isolate::new(IsolateOptions { memory_limit: 20 << 20, ..Default::default() }, Rc::new(TestHost)).unwrap();
    let e = eval(&iso, "const a = []; for (;;) a.push(new Array(10000).fill(1))").unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfMemory);
    assert_eq!(eval(&iso, "1 + 1"), Ok(Val::Int(2)));
    // WebAssembly memory is held to the limit too (V8 allocates it apart).
    let wasm = "try { new WebAssembly.Memory({ initial: 1600 }); 'made' } catch (e) { e.name }";
    assert_eq!(eval(&iso, wasm), Ok(s("RangeError")));
    assert_eq!(eval(&isolate(), wasm), Ok(s("made")));
}

#[test]
fn isolates_alternate_nest_and_drop_in_any_order() {
    let _serial = serial();
    let before = rusty_racer_runtime::live_isolate_count();
    let a = isolate();
    let b = Rc::new(isolate());
    let c = isolate();
    eval(&a, "var who = 'a'").unwrap();
    eval(&b, "var who = 'b'").unwrap();
    eval(&c, "var who = 'c'").unwrap();
    assert_eq!(eval(&a, "who"), Ok(Val::Str("a".into())));
    assert_eq!(eval(&b, "who"), Ok(Val::Str("b".into())));
    // a → b from a host callback, then back in a.
    NESTED.with(|n| *n.borrow_mut() = Some(Rc::clone(&b)));
    a.attach(0, &[("viaB", 2)]).unwrap();
    assert_eq!(eval(&a, "viaB() + 1"), Ok(Val::Int(43)));
    assert_eq!(eval(&a, "who"), Ok(Val::Str("a".into())));
    NESTED.with(|n| *n.borrow_mut() = None);
    assert!(rusty_racer_runtime::live_isolate_count() >= before + 3);
    drop(a); // first created, dropped first
    assert_eq!(eval(&c, "who"), Ok(Val::Str("c".into())));
    drop(b);
    let d = isolate();
    drop(c);
    assert_eq!(eval(&d, "1"), Ok(Val::Int(1)));
    drop(d);
    assert_eq!(rusty_racer_runtime::live_isolate_count(), before);
}

#[test]
fn realms_have_their_own_globals() {
    let _serial = serial();
    let iso = isolate();
    let other = iso.new_context().unwrap();
    assert_eq!(other, 1);
    let run = |ctx, src: &str| {
        let mut arena = Arena::default();
        iso.eval(&Direct, ctx, src, "realm.js", None, |s, v| to_host(s, v, &mut arena)).map(|i| arena.resolve(i)).ok()
    };
    run(0, "var where = 'default'");
    run(other, "var where = 'other'");
    assert_eq!(run(0, "where"), Some(Val::Str("default".into())));
    assert_eq!(run(other, "where"), Some(Val::Str("other".into())));
    assert!(matches!(
        iso.eval(&Direct, 7, "1", "x.js", None, |_, _| Ok::<_, Failure<()>>(())),
        Err(Failure::Js(JsError { kind: ErrorKind::Usage, .. }))
    ));
}

#[test]
fn paths_are_dotted_identifiers_only() {
    let _serial = serial();
    use rusty_racer_runtime::parse_path;
    assert_eq!(parse_path("math.addBase"), Some(vec!["math", "addBase"]));
    assert_eq!(parse_path("$a._b1"), Some(vec!["$a", "_b1"]));
    for bad in ["", "a.", ".a", "a..b", "a[0]", "f()", "a b", "1a", "a;b", "globalThis['x']"] {
        assert_eq!(parse_path(bad), None, "{bad}");
    }
}

#[test]
fn deep_recursion_is_a_range_error_on_small_thread_stacks() {
    let _serial = serial();
    // A 1 MiB stack, like a Ruby thread's: V8's own limit would not fit it.
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let iso = isolate();
            let e = eval(&iso, "function f(n) { return n == 0 ? 0 : 1 + f(n - 1) }; f(1e7)").unwrap_err();
            (e.message, eval(&iso, "f(1000)"))
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(outcome, ("RangeError: Maximum call stack size exceeded".to_string(), Ok(Val::Int(1000))));
}

#[test]
fn an_isolate_can_be_dropped_on_another_thread() {
    let _serial = serial();
    struct SendIt(Isolate);
    unsafe impl Send for SendIt {}
    let iso = SendIt(isolate());
    eval(&iso.0, "1").unwrap();
    std::thread::spawn(move || drop(iso)).join().unwrap();
}

#[test]
fn objects_from_templates_are_plain_objects() {
    let _serial = serial();
    let iso = isolate();
    let mut arena = Arena::default();
    let got = iso.call(
        &Direct,
        0,
        "JSON.stringify",
        None,
        |scope| {
            let names: [&[u8]; 3] = [b"a", b"b c", b"__proto__"];
            let template = object_template(scope, &names).expect("a template");
            let values = [
                v8::Number::new(scope, 1.0).into(),
                v8::String::new(scope, "x").unwrap().into(),
                v8::null(scope).into(),
            ];
            let first = object_from_template(scope.get_current_context(), template, &values).expect("an object");
            let again = object_template(scope, &names).expect("cached");
            let second = object_from_template(scope.get_current_context(), again, &values).expect("another");
            let pair = v8::Array::new_with_elements(scope, &[first.into(), second.into()]);
            Ok::<_, Failure<()>>([pair.into()].into_iter().collect())
        },
        |scope, v| to_host(scope, v, &mut arena),
    );
    let out = got.ok().map(|i| arena.resolve(i));
    assert_eq!(out, Some(s("[{\"a\":1,\"b c\":\"x\",\"__proto__\":null},{\"a\":1,\"b c\":\"x\",\"__proto__\":null}]")));
    iso.eval(&Direct, 0, "1", "x.js", None, |scope, _| {
        assert!(object_template(scope, &[b"0"]).is_none(), "array indices are elements");
        assert!(object_template(scope, &[b"a", b"a"]).is_none(), "names are unique");
        assert!(object_template(scope, &["\u{e9}".as_bytes()]).is_none(), "ASCII names only");
        assert!(object_template(scope, &[b"01", b"4294967295"]).is_some(), "not canonical indices");
        Ok::<_, Failure<()>>(())
    })
    .unwrap();
}

fn run_script(iso: &Isolate, id: u32) -> Result<Val, JsError> {
    let mut arena = Arena::default();
    match iso.run_script(&Direct, id, None, |scope, v| to_host(scope, v, &mut arena)) {
        Ok(i) => Ok(arena.resolve(i)),
        Err(Failure::Js(e)) => Err(e),
        Err(_) => panic!("unexpected failure"),
    }
}

fn namespace(iso: &Isolate, id: u32) -> Result<Val, JsError> {
    let mut arena = Arena::default();
    match iso.module_namespace(id, |scope, v| to_host(scope, v, &mut arena)) {
        Ok(i) => Ok(arena.resolve(i)),
        Err(Failure::Js(e)) => Err(e),
        Err(_) => panic!("unexpected failure"),
    }
}

#[test]
fn scripts_rerun_and_caches_round_trip_or_are_rejected() {
    let _s = serial();
    let iso = isolate();
    let source = "var runs = (globalThis.runs || 0) + 1; function f(x) { return x * 2 } runs";
    let produce = CompileSettings { produce_cache: true, ..Default::default() };
    let compiled = iso.compile_script(0, source, "s.js", &produce).unwrap();
    assert_eq!(run_script(&iso, compiled.id).unwrap(), Val::Int(1));
    assert_eq!(run_script(&iso, compiled.id).unwrap(), Val::Int(2));
    let cold = compiled.cached_data.expect("a cache");
    let warm = iso.script_code_cache(compiled.id).unwrap().expect("a warm cache");

    let other = isolate();
    let consume = |blob: &[u8], src: &str| {
        let settings = CompileSettings { cached_data: Some(blob), eager: true, ..Default::default() };
        other.compile_script(0, src, "s.js", &settings).unwrap()
    };
    let used = consume(&cold, source);
    assert!(!used.cache_rejected);
    assert_eq!(run_script(&other, used.id).unwrap(), Val::Int(1));
    assert!(!consume(&warm, source).cache_rejected);
    // Same length, other code: V8 alone would accept the cache.
    let edited = source.replace("x * 2", "x * 3");
    let refused = consume(&cold, &edited);
    assert!(refused.cache_rejected);
    run_script(&other, refused.id).unwrap();
    assert_eq!(eval(&other, "f(2)").unwrap(), Val::Int(6));
    for damaged in [&cold[..cold.len() / 2], &b"garbage"[..], &[]] {
        assert!(consume(damaged, source).cache_rejected);
    }
    let mut flipped = cold.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    assert!(consume(&flipped, source).cache_rejected);

    let error = iso.compile_script(0, "let = ;", "bad.js", &CompileSettings::default()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Parse);
    assert!(error.message.contains("bad.js:1"), "{}", error.message);
}

#[test]
fn modules_link_evaluate_and_import() {
    let _s = serial();
    let iso = isolate();
    let none = CompileSettings::default();
    let dep = iso.compile_module(0, "export let n = 40; export function two() { return 2 }", "dep.js", &none).unwrap();
    let main = iso
        .compile_module(
            0,
            "import { n, two } from './dep.js'; export const sum = n + two(); export const url = import.meta.url;",
            "main.js",
            &none,
        )
        .unwrap();
    assert_eq!(iso.module_status(main.id).unwrap(), ModuleStatus::Uninstantiated);
    assert!(iso.module_graph_async(main.id).is_err());
    assert!(iso.evaluate_module(&Direct, main.id, None).is_err());
    let mut asked = Vec::new();
    let mut resolver = |specifier: &str, referrer: &str| {
        asked.push((specifier.to_string(), referrer.to_string()));
        Resolution::Module(dep.id)
    };
    iso.instantiate_module(main.id, &mut resolver).unwrap();
    assert_eq!(asked, vec![("./dep.js".to_string(), "main.js".to_string())]);
    assert!(!iso.module_graph_async(main.id).unwrap());
    // Before evaluation a `let` binding is in its temporal dead zone.
    let early = namespace(&iso, dep.id).unwrap_err();
    assert!(early.message.contains("before initialization"), "{}", early.message);
    iso.evaluate_module(&Direct, main.id, None).unwrap();
    assert_eq!(iso.module_status(main.id).unwrap(), ModuleStatus::Evaluated);
    let Val::Hash(exports) = namespace(&iso, main.id).unwrap() else { panic!("not a hash") };
    assert_eq!(exports, vec![(s("sum"), Val::Int(42)), (s("url"), s("main.js"))]);

    let missing = iso.compile_module(0, "import './nowhere.js';", "m.js", &none).unwrap();
    let error = iso.instantiate_module(missing.id, &mut |_: &str, _: &str| Resolution::NotFound).unwrap_err();
    assert!(error.message.contains("\"./nowhere.js\" imported from m.js"), "{}", error.message);

    let lazy = iso.compile_module(0, "export default 7; await 0;", "<compile_module>", &none).unwrap();
    IMPORTABLE.with(|m| m.borrow_mut().insert("lazy".into(), lazy.id));
    let got = eval(&iso, "let got; import('lazy').then(ns => got = [ns.default]); 0").unwrap();
    assert_eq!(got, Val::Int(0));
    assert_eq!(eval(&iso, "got[0]").unwrap(), Val::Int(7));
    let rejected = eval(&iso, "let why; import('nope').catch(e => why = String(e)); 0").unwrap();
    assert_eq!(rejected, Val::Int(0));
    let Val::Str(why) = eval(&iso, "why").unwrap() else { panic!() };
    assert!(why.contains("\"nope\""), "{why}");

    let throws = iso.compile_module(0, "throw new Error('boom')", "t.js", &none).unwrap();
    iso.instantiate_module(throws.id, &mut |_: &str, _: &str| Resolution::NotFound).unwrap();
    for _ in 0..2 {
        let error = iso.evaluate_module(&Direct, throws.id, None).unwrap_err();
        assert!(error.message.contains("boom"), "{}", error.message);
    }
    assert_eq!(iso.module_status(throws.id).unwrap(), ModuleStatus::Errored);
}

#[test]
fn snapshots_bake_code_and_modules_and_refuse_bad_blobs() {
    let _s = serial();
    let baked = Snapshot::create(&Recipe {
        code: "globalThis.answer = 41; function inc(x) { return x + 1 }",
        ..Default::default()
    })
    .unwrap();
    let modules = vec![
        ("/lib.js".to_string(), "import { two } from './util.js'; globalThis.fromModule = two * 21;".to_string()),
        ("/util.js".to_string(), "export const two = await Promise.resolve(2);".to_string()),
    ];
    let with_modules =
        Snapshot::create(&Recipe { code: "globalThis.fromCode = 1", modules: &modules, entry: Some("/lib.js") })
            .unwrap();
    let boot = |snapshot: &Snapshot| {
        let options = IsolateOptions { snapshot: Some(snapshot.clone()), ..Default::default() };
        Isolate::new(options, Rc::new(TestHost)).unwrap()
    };
    // Isolates booted from different snapshots and from none live side by
    // side (they share V8's read-only heap).
    let plain = isolate();
    let one = boot(&baked);
    let two = boot(&with_modules);
    assert_eq!(
        eval(&two, "[fromCode, fromModule, typeof answer]").unwrap(),
        Val::Array(vec![Val::Int(1), Val::Int(42), s("undefined")])
    );
    assert_eq!(eval(&one, "[answer, typeof fromModule]").unwrap(), Val::Array(vec![Val::Int(41), s("undefined")]));
    assert_eq!(eval(&plain, "typeof answer").unwrap(), s("undefined"));
    drop((plain, one, two));
    let iso = boot(&baked);
    assert_eq!(eval(&iso, "inc(answer)").unwrap(), Val::Int(42));
    assert_eq!(eval(&iso, "typeof fromModule").unwrap(), s("undefined"));
    assert_eq!(eval(&boot(&with_modules), "fromModule").unwrap(), Val::Int(42));

    let warm = baked.warmed_up("inc(1); globalThis.leftover = 1").unwrap();
    let iso = boot(&warm);
    assert_eq!(eval(&iso, "[inc(answer), typeof leftover]").unwrap(), Val::Array(vec![Val::Int(42), s("undefined")]));

    let blob = warm.dump();
    assert_eq!(blob.len(), warm.size());
    let loaded = Snapshot::load(&blob).unwrap();
    assert_eq!(eval(&boot(&loaded), "inc(answer)").unwrap(), Val::Int(42));
    let mut flipped = blob.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    for bad in [&blob[..blob.len() / 2], &b""[..], &b"garbage"[..], &flipped[..]] {
        assert_eq!(Snapshot::load(bad).unwrap_err().kind, ErrorKind::Usage);
    }
    let error = Snapshot::create(&Recipe { code: "throw new Error('broken')", ..Default::default() }).unwrap_err();
    assert!(error.message.contains("broken"), "{}", error.message);
    let error = baked.warmed_up("nope(").unwrap_err();
    assert_eq!(error.kind, ErrorKind::Parse);
}

#[test]
fn thread_safe_isolates_take_turns_across_threads() {
    let _serial = serial();
    /// Shared as a host would: every use goes through the isolate's turn.
    struct Shared(Isolate);
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}
    let options = IsolateOptions { thread_safe: true, ..Default::default() };
    let iso = Arc::new(Shared(Isolate::new(options, Rc::new(TestHost)).unwrap()));
    eval(&iso.0, "globalThis.n = 0; function bump() { const m = n; for (let i = 0; i < 1e4; i++); n = m + 1 }")
        .unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let iso = Arc::clone(&iso);
            // Small stacks, as Ruby's threads have: each thread's own limit applies.
            std::thread::Builder::new()
                .stack_size(1 << 20)
                .spawn(move || {
                    for _ in 0..50 {
                        eval(&iso.0, "bump()").unwrap();
                    }
                    eval(&iso.0, "function f(n) { return n == 0 ? 0 : 1 + f(n - 1) }; f(1e7)").unwrap_err().message
                })
                .unwrap()
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), "RangeError: Maximum call stack size exceeded");
    }
    // 200 read-modify-writes, none lost: the operations never overlapped.
    assert_eq!(eval(&iso.0, "n").unwrap(), Val::Int(200));
    let turn = iso.0.turn().expect("a thread-safe isolate has a turn");
    let held = turn.try_take().expect("free while idle");
    let other = Arc::clone(&iso);
    let refused = std::thread::spawn(move || other.0.turn().unwrap().try_take().is_none()).join().unwrap();
    assert!(refused, "another thread cannot take a held turn");
    drop(held);
    assert!(isolate().turn().is_none(), "confined isolates have none");
}
