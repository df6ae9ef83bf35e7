//! The runtime without Ruby: eval, call, errors and backtraces,
//! termination and timeouts, host callbacks, and isolates used alternately
//! and dropped in any order. One test binary: each links ~100 MB of V8.

use std::rc::Rc;

use rusty_racer_runtime::{
    to_host, v8, Direct, ErrorKind, Failure, HostFunctions, HostValues, Isolate, IsolateOptions, JsError,
};

/// A host value tree, for checking what the walk produces.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Undefined,
    Null,
    Bool(bool),
    Int(i64),
    Big(String),
    Float(f64),
    Str(String),
    Date(f64),
    Array(Vec<Val>),
    Hash(Vec<(String, Val)>),
    Unsupported(String),
}

/// Builds `Val`s in an arena (values are indices, as the trait wants Copy).
#[derive(Default)]
struct Arena(Vec<Val>);

impl Arena {
    fn put(&mut self, v: Val) -> Result<usize, ()> {
        self.0.push(v);
        Ok(self.0.len() - 1)
    }
    fn resolve(&self, i: usize) -> Val {
        match &self.0[i] {
            Val::Array(items) => Val::Array(
                items.iter().map(|v| if let Val::Int(i) = v { self.resolve(*i as usize) } else { v.clone() }).collect(),
            ),
            Val::Hash(items) => Val::Hash(
                items
                    .iter()
                    .map(|(k, v)| (k.clone(), if let Val::Int(i) = v { self.resolve(*i as usize) } else { v.clone() }))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

impl HostValues for Arena {
    type Value = usize;
    type Error = ();
    fn undefined(&mut self) -> Result<usize, ()> {
        self.put(Val::Undefined)
    }
    fn null(&mut self) -> Result<usize, ()> {
        self.put(Val::Null)
    }
    fn boolean(&mut self, v: bool) -> Result<usize, ()> {
        self.put(Val::Bool(v))
    }
    fn integer(&mut self, v: i64) -> Result<usize, ()> {
        self.put(Val::Int(v))
    }
    fn big_integer(&mut self, d: &str) -> Result<usize, ()> {
        self.put(Val::Big(d.into()))
    }
    fn float(&mut self, v: f64) -> Result<usize, ()> {
        self.put(Val::Float(v))
    }
    fn string(&mut self, v: &str) -> Result<usize, ()> {
        self.put(Val::Str(v.into()))
    }
    fn date(&mut self, ms: f64) -> Result<usize, ()> {
        self.put(Val::Date(ms))
    }
    fn new_array(&mut self, _: usize) -> Result<usize, ()> {
        self.put(Val::Array(vec![]))
    }
    fn array_push(&mut self, a: usize, item: usize) -> Result<(), ()> {
        if let Val::Array(items) = &mut self.0[a] {
            items.push(Val::Int(item as i64))
        }
        Ok(())
    }
    fn new_hash(&mut self) -> Result<usize, ()> {
        self.put(Val::Hash(vec![]))
    }
    fn hash_set(&mut self, h: usize, k: &str, v: usize) -> Result<(), ()> {
        if let Val::Hash(items) = &mut self.0[h] {
            items.push((k.into(), Val::Int(v as i64)))
        }
        Ok(())
    }
    fn unsupported(&mut self, what: &str) -> Result<usize, ()> {
        self.put(Val::Unsupported(what.into()))
    }
}

/// Host functions for the tests: 0 doubles a number, 1 throws, 2 evals in
/// a nested isolate given through a thread-local.
struct TestHost;

thread_local! {
    static NESTED: std::cell::RefCell<Option<Rc<Isolate>>> = const { std::cell::RefCell::new(None) };
}

impl HostFunctions for TestHost {
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
                let value =
                    other.eval(&Direct, 0, "6 * 7", "nested.js", 0, |_, v| Ok::<_, Failure<()>>(v.int32_value(scope)));
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
    let out = iso.eval(&Direct, 0, src, file, 0, |scope, v| to_host(scope, v, &mut arena));
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
    assert_eq!(eval(&iso, "2n ** 70n"), Ok(Val::Big("1180591620717411303424".into())));
    assert_eq!(eval(&iso, "-0"), Ok(Val::Float(-0.0)));
    assert_eq!(eval(&iso, "'h\u{e9}'"), Ok(Val::Str("h\u{e9}".into())));
    assert_eq!(eval(&iso, "null"), Ok(Val::Null));
    assert_eq!(eval(&iso, "undefined"), Ok(Val::Undefined));
    assert_eq!(
        eval(&iso, "({a: 1, b: [true, 'x'], 3: null})"),
        Ok(Val::Hash(vec![
            ("3".into(), Val::Null),
            ("a".into(), Val::Int(1)),
            ("b".into(), Val::Array(vec![Val::Bool(true), Val::Str("x".into())])),
        ]))
    );
    assert_eq!(eval(&iso, "new Date(5)"), Ok(Val::Date(5.0)));
    assert_eq!(eval(&iso, "(function f() {})"), Ok(Val::Unsupported("function".into())));
}

#[test]
fn cycles_and_throwing_getters_are_errors() {
    let _serial = serial();
    let iso = isolate();
    let e = eval(&iso, "const o = {}; o.self = o; o").unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Runtime, "cannot marshal a cyclic structure to Ruby"));
    let e = eval(&iso, "({get x() { throw new Error('getter') }})").unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Runtime, "Error: getter"));
    assert_eq!(eval(&iso, "1"), Ok(Val::Int(1)), "usable afterwards");
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
            0,
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
    let e = iso.eval(&Direct, 0, "for (;;) {}", "loop.js", 50, |s, v| to_host(s, v, &mut arena)).unwrap_err();
    match e {
        Failure::Js(e) => {
            assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Terminated, "JavaScript timed out after 50 ms"))
        }
        _ => panic!(),
    }
    assert_eq!(eval(&iso, "2"), Ok(Val::Int(2)));
    let handle = iso.thread_safe_handle();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        handle.terminate_execution();
    });
    let e = eval(&iso, "for (;;) {}").unwrap_err();
    killer.join().unwrap();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Terminated, "JavaScript was terminated"));
    assert_eq!(eval(&iso, "3"), Ok(Val::Int(3)));
}

#[test]
fn memory_limit_is_an_error_not_a_crash() {
    let _serial = serial();
    let iso = Isolate::new(IsolateOptions { memory_limit: 20 << 20, ..Default::default() }, Rc::new(TestHost)).unwrap();
    let e = eval(&iso, "const a = []; for (;;) a.push(new Array(10000).fill(1))").unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfMemory);
    assert_eq!(eval(&iso, "1 + 1"), Ok(Val::Int(2)));
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
        iso.eval(&Direct, ctx, src, "realm.js", 0, |s, v| to_host(s, v, &mut arena)).map(|i| arena.resolve(i)).ok()
    };
    run(0, "var where = 'default'");
    run(other, "var where = 'other'");
    assert_eq!(run(0, "where"), Some(Val::Str("default".into())));
    assert_eq!(run(other, "where"), Some(Val::Str("other".into())));
    assert!(matches!(
        iso.eval(&Direct, 7, "1", "x.js", 0, |_, _| Ok::<_, Failure<()>>(())),
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
