//! The model's rules, checked without compiling anything: each malformed
//! IDL gives an error naming the file, the line, the class and the method.

fn load(class_yaml: &str) -> Result<rr_idl::Api, String> {
    let module = "module: M\ndoc: d\nerrors:\n  - { name: Error, parent: StandardError, doc: e }\n  - { name: WrongThreadError, parent: Error, doc: w }\n  - { name: DisposedError, parent: Error, doc: x }\nenums:\n  - { name: Mode, values: [a, b], doc: m }\n";
    rr_idl::load_sources(&[("idl/m.yaml".into(), module.into()), ("idl/k.yaml".into(), class_yaml.into())], "idl")
        .map_err(|e| e.to_string())
}

fn err(class_yaml: &str) -> String {
    match load(class_yaml) {
        Ok(_) => panic!("accepted:\n{class_yaml}"),
        Err(e) => e,
    }
}

#[test]
fn a_valid_class_loads_with_its_methods_mapped() {
    let api = load("class: K\ndoc: k\ndisposable: true\nmethods:\n  - name: disposed?\n    doc: d\n    threading: any\n    allow_disposed: true\n    returns: Boolean\n  - name: size=\n    doc: s\n    threading: owner\n    args:\n      - { name: n, type: Integer, default: 3 }\n      - { name: rest, type: Mode, splat: true }\n").unwrap();
    let k = api.class("K").unwrap();
    assert_eq!(k.methods[0].rust_name(), "is_disposed");
    assert_eq!(k.methods[1].rust_name(), "set_size");
    assert_eq!(k.methods[1].positional_range(), (0, None));
    assert_eq!(api.thread_safe_methods(), vec!["K#disposed?".to_string()]);
}

#[test]
fn positional_order_is_required_optional_splat() {
    let e = err("class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: owner\n    args:\n      - { name: a, type: Integer, default: 1 }\n      - { name: b, type: Integer }\n");
    assert!(e.starts_with("idl/k.yaml:4: M::K#f: argument `b`: positional arguments go required"), "{e}");
}

#[test]
fn owner_threading_needs_an_instance_method() {
    let e = err("class: K\ndoc: k\nmethods:\n  - name: new\n    doc: d\n    singleton: true\n    threading: owner\n    returns: K\n");
    assert!(e.contains("idl/k.yaml:4: M::K.new: `threading: owner` needs an instance method"), "{e}");
}

#[test]
fn threading_must_be_owner_or_any() {
    let e = err("class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: sometimes\n");
    assert!(e.contains("M::K#f: threading must be `owner` or `any`, not `sometimes`"), "{e}");
}

#[test]
fn enum_defaults_must_be_enum_values() {
    let e = err("class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: owner\n    kwargs:\n      - { name: mode, type: Mode, default: c }\n");
    assert!(e.contains("M::K#f: keyword `mode`: default: `:c` is not one of :a, :b"), "{e}");
}

#[test]
fn allow_disposed_needs_a_disposable_class() {
    let e =
        err("class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: owner\n    allow_disposed: true\n");
    assert!(e.contains("allow_disposed is only for methods of a disposable class"), "{e}");
}

#[test]
fn error_parents_are_declared_first() {
    let module = "module: M\ndoc: d\nerrors:\n  - { name: Child, parent: Base, doc: c }\n  - { name: Base, parent: StandardError, doc: b }\n";
    let e = rr_idl::load_sources(&[("idl/m.yaml".into(), module.into())], "idl").err().unwrap().to_string();
    assert!(e.contains("idl/m.yaml:4: M::Child: unknown parent error `Base`"), "{e}");
}

#[test]
fn owner_methods_need_a_wrong_thread_error() {
    let module = "module: M\ndoc: d\n";
    let class = "class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: owner\n";
    let e = rr_idl::load_sources(&[("idl/m.yaml".into(), module.into()), ("idl/k.yaml".into(), class.into())], "idl")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("declare an error named `WrongThreadError`"), "{e}");
}

#[test]
fn the_real_idl_declares_what_the_issue_lists() {
    let dir = std::path::Path::new(&manifest_dir()).join("../../idl");
    let api = rr_idl::load_dir(&dir, "idl").unwrap();
    let names = |c: &str| -> Vec<String> { api.class(c).unwrap().methods.iter().map(|m| m.name.clone()).collect() };
    assert_eq!(
        names("Isolate"),
        [
            "new",
            "context",
            "create_context",
            "perform_microtask_checkpoint",
            "heap_statistics",
            "low_memory_notification",
            "pump_message_loop",
            "write_heap_snapshot",
            "dynamic_import_resolver=",
            "dynamic_import_resolver",
            "terminate",
            "dispose",
            "disposed?"
        ]
    );
    assert_eq!(names("Snapshot"), ["new", "load", "warmup!", "dump", "size"]);
    assert_eq!(
        names("Context"),
        [
            "eval",
            "eval_void",
            "eval_await",
            "call",
            "call_void",
            "call_await",
            "attach",
            "attach_many",
            "id",
            "dispose",
            "disposed?",
            "reset",
            "compile",
            "compile_module",
            "import"
        ]
    );
    assert_eq!(
        names("Script"),
        ["run", "run_void", "cached_data", "cache_rejected?", "create_code_cache", "dispose", "disposed?"]
    );
    assert_eq!(
        names("Module"),
        [
            "instantiate",
            "evaluate",
            "namespace",
            "status",
            "graph_async?",
            "cached_data",
            "cache_rejected?",
            "create_code_cache",
            "url",
            "dispose",
            "disposed?"
        ]
    );
    let import = api.class("Context").unwrap().methods.iter().find(|m| m.name == "import").unwrap();
    assert_eq!(import.ruby.as_deref(), Some("gem/lib/rusty_racer/file_resolver.rb"));
    let errors: Vec<(String, String)> = api.module.errors.iter().map(|e| (e.name.clone(), e.parent.clone())).collect();
    for (name, parent) in [
        ("Error", "::RuntimeError"),
        ("EvalError", "Error"),
        ("ParseError", "EvalError"),
        ("RuntimeError", "EvalError"),
        ("ScriptTerminatedError", "EvalError"),
        ("V8OutOfMemoryError", "EvalError"),
        ("SnapshotError", "Error"),
        ("PlatformAlreadyInitialized", "Error"),
        ("DisposedError", "Error"),
        ("InternalError", "Error"),
        ("WrongThreadError", "Error"),
    ] {
        assert!(errors.contains(&(name.into(), parent.into())), "{name} < {parent}");
    }
    assert_eq!(
        api.thread_safe_methods(),
        ["Isolate#terminate", "Isolate#dispose", "Isolate#disposed?"].map(String::from).to_vec()
    );
}

/// This package's directory, read when the test runs: a test binary reused
/// from another checkout (a shared target dir) must still read this one.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

#[test]
fn value_classes_extend_a_core_class() {
    let load_module = |extra: &str| {
        let module =
            format!("module: M\ndoc: d\nerrors:\n  - {{ name: Error, parent: StandardError, doc: e }}\n{extra}");
        rr_idl::load_sources(&[("idl/m.yaml".into(), module)], "idl").map_err(|e| e.to_string())
    };
    let api = load_module("value_classes:\n  - { name: JSMap, parent: Hash, doc: a map }\n").unwrap();
    assert_eq!(api.module.value_classes[0].parent, "Hash");
    let e = load_module("value_classes:\n  - { name: JSMap, parent: Struct, doc: a map }\n").err().expect("refused");
    assert!(e.contains("M::JSMap: unknown parent `Struct` (one of Hash, Array, Object)"), "{e}");
    let e = load_module("value_classes:\n  - { name: Error, parent: Hash, doc: clash }\n").err().expect("refused");
    assert!(e.contains("class declared twice"), "{e}");
}

#[test]
fn ruby_methods_name_a_ruby_file_under_gem_lib() {
    let module = "module: M\ndoc: d\n";
    let class = "class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: any\n    ruby: lib/k.rb\n";
    let e = rr_idl::load_sources(&[("idl/m.yaml".into(), module.into()), ("idl/k.yaml".into(), class.into())], "idl")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("ruby: `lib/k.rb` must be a .rb file under gem/lib/"), "{e}");
}

#[test]
fn self_is_returned_by_instance_methods_only() {
    let module = "module: M\ndoc: d\n";
    let class = "class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: any\n    singleton: true\n    returns: self\n";
    let e = rr_idl::load_sources(&[("idl/m.yaml".into(), module.into()), ("idl/k.yaml".into(), class.into())], "idl")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("returns: `self` needs an instance method of a class"), "{e}");
    let arg = "class: K\ndoc: k\nmethods:\n  - name: f\n    doc: d\n    threading: any\n    args: [{ name: x, type: self }]\n";
    let e = rr_idl::load_sources(&[("idl/m.yaml".into(), module.into()), ("idl/k.yaml".into(), arg.into())], "idl")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("`self` is only a return type"), "{e}");
}
