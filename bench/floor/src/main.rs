//! The floor for `bench/core.rb`: eval, call and a JS→host callback round
//! trip through the `v8` crate directly (same archive, no Ruby), each with a
//! lock, handle scope, context scope and TryCatch per operation as a careful
//! embedder would; plus isolate creation and first eval. Prints JSON.
//! With `boot FILE…` it gives `bench/boot.rb` its floor instead: the same
//! boots, renders and fresh contexts through the v8 crate directly.
//! `BENCH_ONLY=eval|call|callback|create` times that operation alone (the
//! others print 0), so that callgrind can count one operation's
//! instructions: the difference between two runs of different `BENCH_N`,
//! divided by 5.1 times the difference of `BENCH_N`.

use std::time::Instant;

fn host_identity(scope: &mut v8::PinScope, args: v8::FunctionCallbackArguments, mut rv: v8::ReturnValue<v8::Value>) {
    let _ = scope;
    rv.set(args.get(0));
}

fn per_op(name: &str, n: u32, mut op: impl FnMut()) -> f64 {
    if std::env::var("BENCH_ONLY").is_ok_and(|only| only != name) {
        return 0.0;
    }
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("boot") {
        return boot::floor(&args[1..]);
    }
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

    let eval = per_op("eval", n, || {
        let mut locker = isolate.lock();
        v8::scope!(let scope, &mut *locker);
        let context = v8::Local::new(scope, &context);
        let scope = &mut v8::ContextScope::new(scope, context);
        v8::tc_scope!(let tc, scope);
        let src = v8::String::new(tc, "1+1").unwrap();
        let v = v8::Script::compile(tc, src, None).unwrap().run(tc).unwrap();
        std::hint::black_box(v.int32_value(tc));
    });
    let call_fn = |op: &str, name: &'static str| {
        per_op(op, n, || {
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
    let call = call_fn("call", "inc");
    let callback = call_fn("callback", "viaCb");
    let create = per_op("create", (n / 1000).max(50), || {
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

/// The floor for `bench/boot.rb`: V8's own cost of each way to get a context
/// with the libraries ready, then one render (`BOOT_USE`), medians in ms.
mod boot {
    fn median_ms(n: usize, mut op: impl FnMut()) -> f64 {
        op();
        let mut times: Vec<f64> = (0..n)
            .map(|_| {
                let t = std::time::Instant::now();
                op();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[n / 2]
    }

    fn run(scope: &mut v8::PinScope<'_, '_>, code: &str) {
        let src = v8::String::new(scope, code).unwrap();
        let value = v8::Script::compile(scope, src, None).unwrap().run(scope).unwrap();
        std::hint::black_box(value);
    }

    /// A snapshot baked after `library` ran, then warmed up with `warmup`
    /// as the gem's `Snapshot#warmup!` does (compiled code kept, the
    /// warm-up's heap thrown away).
    fn bake(library: &str, warmup: &str) -> &'static [u8] {
        let mut creator = v8::Isolate::snapshot_creator(None, None);
        {
            v8::scope!(let scope, &mut creator);
            let context = v8::Context::new(scope, Default::default());
            let scope = &mut v8::ContextScope::new(scope, context);
            run(scope, library);
            scope.set_default_context(context);
        }
        let plain = creator.create_blob(v8::FunctionCodeHandling::Keep).unwrap().to_vec();
        let mut creator = v8::Isolate::snapshot_creator_from_existing_snapshot(plain.into(), None, None);
        {
            v8::scope!(let scope, &mut creator);
            let warm = v8::Context::new(scope, Default::default());
            run(&mut v8::ContextScope::new(scope, warm), warmup);
            let fresh = v8::Context::new(scope, Default::default());
            scope.set_default_context(fresh);
        }
        Box::leak(creator.create_blob(v8::FunctionCodeHandling::Keep).unwrap().to_vec().into_boxed_slice())
    }

    fn isolate(snapshot: Option<&'static [u8]>) -> v8::OwnedIsolate {
        let params = v8::CreateParams::default();
        v8::Isolate::new(match snapshot {
            Some(blob) => params.snapshot_blob(blob.into()),
            None => params,
        })
    }

    /// A fresh context (from the snapshot, if the isolate has one), then
    /// `code` run in it.
    fn fresh_context(isolate: &mut v8::Isolate, code: &[&str]) {
        v8::scope!(let scope, isolate);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        for code in code {
            run(scope, code);
        }
    }

    pub fn floor(files: &[String]) {
        let library = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_else(|_| std::process::exit(2)))
            .collect::<Vec<_>>();
        let library = library.join(";\n");
        let render = std::env::var("BOOT_USE").unwrap_or_else(|_| std::process::exit(2));
        let render = render.as_str();
        let snapshot = bake(&library, render);
        let evaluated = median_ms(15, || fresh_context(&mut isolate(None), &[&library, render]));
        let booted = median_ms(15, || fresh_context(&mut isolate(Some(snapshot)), &[render]));
        let mut warm = isolate(Some(snapshot));
        let context_render = median_ms(51, || fresh_context(&mut warm, &[render]));
        let context_only = median_ms(51, || fresh_context(&mut warm, &[]));
        println!(
            "{{\"evaluated\": {evaluated:.4}, \"booted\": {booted:.4}, \"context_render\": {context_render:.4}, \
             \"context_only\": {context_only:.4}, \"snapshot_bytes\": {}}}",
            snapshot.len()
        );
    }
}
