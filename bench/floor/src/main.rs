//! The floor for `bench/core.rb`: eval, call and a JS→host callback round
//! trip through the `v8` crate directly (same archive, no Ruby), each with a
//! lock, handle scope, context scope and TryCatch per operation as a careful
//! embedder would; plus isolate creation and first eval. Prints JSON.

use std::time::Instant;

fn host_identity(scope: &mut v8::PinScope, args: v8::FunctionCallbackArguments, mut rv: v8::ReturnValue<v8::Value>) {
    let _ = scope;
    rv.set(args.get(0));
}

fn per_op(n: u32, mut op: impl FnMut()) -> f64 {
    for _ in 0..n / 10 {
        op();
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..n {
            op();
        }
        best = best.min(t.elapsed().as_nanos() as f64 / f64::from(n));
    }
    best
}

fn new_isolate() -> v8::SharedIsolate {
    unsafe { v8::Isolate::new(Default::default()).try_into_shared() }.unwrap_or_else(|_| std::process::exit(1))
}

fn main() {
    v8::V8::set_flags_from_string("--stack-size=512");
    v8::V8::initialize_platform(v8::new_unprotected_default_platform(0, false).make_shared());
    v8::V8::initialize();
    let n: u32 = std::env::var("BENCH_N").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);

    let isolate = new_isolate();
    let context = {
        let mut locker = isolate.lock();
        v8::scope!(let scope, &mut *locker);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let f = v8::Function::new(scope, host_identity).unwrap();
        let name = v8::String::new(scope, "cb").unwrap();
        context.global(scope).set(scope, name.into(), f.into());
        let src =
            v8::String::new(scope, "function inc(x) { return x + 1 }; function viaCb(x) { return cb(x) }").unwrap();
        v8::Script::compile(scope, src, None).unwrap().run(scope).unwrap();
        v8::Global::new(scope, context)
    };

    let eval = per_op(n, || {
        let mut locker = isolate.lock();
        v8::scope!(let scope, &mut *locker);
        let context = v8::Local::new(scope, &context);
        let scope = &mut v8::ContextScope::new(scope, context);
        v8::tc_scope!(let tc, scope);
        let src = v8::String::new(tc, "1+1").unwrap();
        let v = v8::Script::compile(tc, src, None).unwrap().run(tc).unwrap();
        std::hint::black_box(v.int32_value(tc));
    });
    let call_fn = |name: &'static str| {
        per_op(n, || {
            let mut locker = isolate.lock();
            v8::scope!(let scope, &mut *locker);
            let context = v8::Local::new(scope, &context);
            let scope = &mut v8::ContextScope::new(scope, context);
            v8::tc_scope!(let tc, scope);
            let global = context.global(tc);
            let key = v8::String::new(tc, name).unwrap();
            let f: v8::Local<v8::Function> = global.get(tc, key.into()).unwrap().try_into().unwrap();
            let arg = v8::Number::new(tc, 1.0);
            let v = f.call(tc, global.into(), &[arg.into()]).unwrap();
            std::hint::black_box(v.int32_value(tc));
        })
    };
    let call = call_fn("inc");
    let callback = call_fn("viaCb");
    let create = per_op((n / 1000).max(50), || {
        let isolate = new_isolate();
        let mut locker = isolate.lock();
        v8::scope!(let scope, &mut *locker);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let src = v8::String::new(scope, "1+1").unwrap();
        let v = v8::Script::compile(scope, src, None).unwrap().run(scope).unwrap();
        std::hint::black_box(v.int32_value(scope));
    });
    println!("{{\"eval\": {eval:.1}, \"call\": {call:.1}, \"callback\": {callback:.1}, \"create\": {create:.1}}}");
}
