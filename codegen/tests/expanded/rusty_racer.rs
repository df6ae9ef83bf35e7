// Generated from idl/*.yaml by rr-idl: the expansion of `rr_idl_macros::idl!`.
// Do not edit: run bin/generate. Committed so every API change is a reviewable diff.

/// The Ruby module's name.
pub const MODULE_NAME: &str = "RustyRacer";
/// The module's error classes, created once by `define_errors`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// `RustyRacer::Error` < `::RuntimeError`: Base class of every error rusty_racer raises itself. A Ruby
    /// ::RuntimeError, so code that rescues RuntimeError (as written for
    /// upstream rusty_racer) keeps working.
    Error,
    /// `RustyRacer::EvalError` < `Error`: JavaScript could not be run to completion; the subclasses say why.
    EvalError,
    /// `RustyRacer::ParseError` < `EvalError`: The source has a syntax error. The message names the file and line,
    /// e.g. "SyntaxError: Unexpected token ';' at boot.js:1".
    ParseError,
    /// `RustyRacer::RuntimeError` < `EvalError`: JavaScript threw. The message is the exception's string ("Error: boom",
    /// or "42" for `throw 42`); the backtrace holds the JS frames as
    /// "file:line:column" or "file:line:column:in 'function'".
    RuntimeError,
    /// `RustyRacer::ScriptTerminatedError` < `EvalError`: The script was stopped by Isolate#terminate, a timeout or a Ruby
    /// interrupt. The message names the function it was stopped in
    /// ("JavaScript timed out after 50 ms in spin (app.js:3:11)"), and the
    /// backtrace holds those frames.
    ScriptTerminatedError,
    /// `RustyRacer::V8OutOfMemoryError` < `EvalError`: The script exceeded the isolate's memory limit.
    V8OutOfMemoryError,
    /// `RustyRacer::SnapshotError` < `Error`: A startup snapshot could not be created or loaded.
    SnapshotError,
    /// `RustyRacer::PlatformAlreadyInitialized` < `Error`: V8 flags or platform settings were changed after V8 started; they freeze at startup.
    PlatformAlreadyInitialized,
    /// `RustyRacer::DisposedError` < `Error`: The isolate (or the context that belongs to it) has been disposed.
    DisposedError,
    /// `RustyRacer::InternalError` < `Error`: Something failed inside rusty_racer or V8 that is not the script's fault; please report it.
    InternalError,
    /// `RustyRacer::WrongThreadError` < `Error`: An isolate, or anything it handed out, was used from a thread other
    /// than the one that created the isolate. Only Isolate#terminate,
    /// #dispose and #disposed? may be called from any thread, unless the
    /// isolate was made with `thread_safe: true`.
    WrongThreadError,
}
static ERROR_CLASSES: ::std::sync::OnceLock<
    ::std::vec::Vec<::rr_glue::magnus::value::Opaque<::rr_glue::magnus::ExceptionClass>>,
> = ::std::sync::OnceLock::new();
impl ErrorClass {
    /// The Ruby class (StandardError before `define_errors` ran).
    pub fn class(
        self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::rr_glue::magnus::ExceptionClass {
        match ERROR_CLASSES.get().and_then(|c| c.get(self as usize)) {
            Some(class) => ruby.get_inner(*class),
            None => ruby.exception_standard_error(),
        }
    }
    /// An error of this class with `message`.
    pub fn error(
        self,
        ruby: &::rr_glue::magnus::Ruby,
        message: impl Into<::std::borrow::Cow<'static, str>>,
    ) -> ::rr_glue::magnus::Error {
        ::rr_glue::magnus::Error::new(self.class(ruby), message)
    }
}
/// Creates the error classes under `module`, parents first (pinned: they never move).
pub fn define_errors(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    if ERROR_CLASSES.get().is_some() {
        return Ok(());
    }
    let mut classes: ::std::vec::Vec<::rr_glue::magnus::ExceptionClass> = ::std::vec::Vec::with_capacity(
        11usize,
    );
    let class = module.define_error("Error", ruby.exception_runtime_error())?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("EvalError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("ParseError", classes[1usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("RuntimeError", classes[1usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("ScriptTerminatedError", classes[1usize])?;
    class
        .funcall::<
            _,
            _,
            ::rr_glue::magnus::Value,
        >("attr_reader", (ruby.to_symbol("js_backtrace"),))?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("V8OutOfMemoryError", classes[1usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("SnapshotError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("PlatformAlreadyInitialized", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("DisposedError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("InternalError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("WrongThreadError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let _ = ERROR_CLASSES
        .set(classes.into_iter().map(::rr_glue::magnus::value::Opaque::from).collect());
    Ok(())
}
/// When promise jobs run: :auto after each eval or call returns to Ruby,
/// :explicit only when the embedder runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Microtasks {
    Auto,
    Explicit,
}
impl Microtasks {
    /// The Ruby symbol's name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Explicit => "explicit",
        }
    }
}
impl ::rr_glue::FromArg for Microtasks {
    fn expected(_: &::rr_glue::magnus::Ruby) -> ::std::string::String {
        "one of :auto, :explicit".into()
    }
    fn from_arg(
        ruby: &::rr_glue::magnus::Ruby,
        value: ::rr_glue::magnus::Value,
    ) -> ::std::result::Result<Self, ::rr_glue::Mismatch> {
        let ::rr_glue::SymbolName(name) = ::rr_glue::FromArg::from_arg(ruby, value)?;
        match name.as_str() {
            "auto" => Ok(Self::Auto),
            "explicit" => Ok(Self::Explicit),
            _ => Err(::rr_glue::Mismatch::Value(::std::format!(":{name}"))),
        }
    }
}
impl ::rr_glue::IntoRuby for Microtasks {
    fn into_ruby(self, ruby: &::rr_glue::magnus::Ruby) -> ::rr_glue::magnus::Value {
        ::rr_glue::IntoRuby::into_ruby(::rr_glue::SymbolName(self.name().into()), ruby)
    }
}
/// How JS values come back to Ruby (Isolate.new(conversions:)). :exact
/// is rusty_racer's mapping. :mini_racer follows mini_racer where it
/// differs: a Symbol becomes a Ruby Symbol of its description, a Map a
/// plain Hash, a Set an Array; everything else as :exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversions {
    Exact,
    MiniRacer,
}
impl Conversions {
    /// The Ruby symbol's name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::MiniRacer => "mini_racer",
        }
    }
}
impl ::rr_glue::FromArg for Conversions {
    fn expected(_: &::rr_glue::magnus::Ruby) -> ::std::string::String {
        "one of :exact, :mini_racer".into()
    }
    fn from_arg(
        ruby: &::rr_glue::magnus::Ruby,
        value: ::rr_glue::magnus::Value,
    ) -> ::std::result::Result<Self, ::rr_glue::Mismatch> {
        let ::rr_glue::SymbolName(name) = ::rr_glue::FromArg::from_arg(ruby, value)?;
        match name.as_str() {
            "exact" => Ok(Self::Exact),
            "mini_racer" => Ok(Self::MiniRacer),
            _ => Err(::rr_glue::Mismatch::Value(::std::format!(":{name}"))),
        }
    }
}
impl ::rr_glue::IntoRuby for Conversions {
    fn into_ruby(self, ruby: &::rr_glue::magnus::Ruby) -> ::rr_glue::magnus::Value {
        ::rr_glue::IntoRuby::into_ruby(::rr_glue::SymbolName(self.name().into()), ruby)
    }
}
/// Where an ES module is in V8's life cycle (Module#status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleStatus {
    Uninstantiated,
    Instantiating,
    Instantiated,
    Evaluating,
    Evaluated,
    Errored,
}
impl ModuleStatus {
    /// The Ruby symbol's name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Uninstantiated => "uninstantiated",
            Self::Instantiating => "instantiating",
            Self::Instantiated => "instantiated",
            Self::Evaluating => "evaluating",
            Self::Evaluated => "evaluated",
            Self::Errored => "errored",
        }
    }
}
impl ::rr_glue::FromArg for ModuleStatus {
    fn expected(_: &::rr_glue::magnus::Ruby) -> ::std::string::String {
        "one of :uninstantiated, :instantiating, :instantiated, :evaluating, :evaluated, :errored"
            .into()
    }
    fn from_arg(
        ruby: &::rr_glue::magnus::Ruby,
        value: ::rr_glue::magnus::Value,
    ) -> ::std::result::Result<Self, ::rr_glue::Mismatch> {
        let ::rr_glue::SymbolName(name) = ::rr_glue::FromArg::from_arg(ruby, value)?;
        match name.as_str() {
            "uninstantiated" => Ok(Self::Uninstantiated),
            "instantiating" => Ok(Self::Instantiating),
            "instantiated" => Ok(Self::Instantiated),
            "evaluating" => Ok(Self::Evaluating),
            "evaluated" => Ok(Self::Evaluated),
            "errored" => Ok(Self::Errored),
            _ => Err(::rr_glue::Mismatch::Value(::std::format!(":{name}"))),
        }
    }
}
impl ::rr_glue::IntoRuby for ModuleStatus {
    fn into_ruby(self, ruby: &::rr_glue::magnus::Ruby) -> ::rr_glue::magnus::Value {
        ::rr_glue::IntoRuby::into_ruby(::rr_glue::SymbolName(self.name().into()), ruby)
    }
}
/// The module functions of `RustyRacer`, implemented by `crate::RustyRacer`.
///
/// rusty_racer embeds the V8 JavaScript engine in Ruby. Create an
/// RustyRacer::Isolate (a V8 heap confined to the thread that made it, or
/// shared by any threads in turn with `thread_safe: true`), take its default Context and eval or call JavaScript there; values are
/// marshalled both ways and Ruby callables can be attached as JS functions.
pub trait RustyRacerApi {
    /// `RustyRacer.pending_transfer_count() -> Integer` (any thread)
    ///
    /// How many buffer tokens (from the host namespace's transferOut and
    /// shareOut) are waiting, neither imported nor dropped, process-wide.
    #[allow(clippy::too_many_arguments)]
    fn pending_transfer_count(
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
    /// `RustyRacer.cached_data_version_tag() -> Integer` (any thread)
    ///
    /// V8's code-cache version tag, a non-zero Integer that changes with
    /// V8's version and flags: store it beside a cache and drop the cache
    /// when it differs. (A cache of another V8 is also rejected by itself.)
    #[allow(clippy::too_many_arguments)]
    fn cached_data_version_tag(
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
    /// `RustyRacer.live_isolate_count() -> Integer` (any thread)
    ///
    /// How many isolates exist in this process and are not yet disposed.
    #[allow(clippy::too_many_arguments)]
    fn live_isolate_count(
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
    /// `RustyRacer.leaked_isolate_count() -> Integer` (any thread)
    ///
    /// How many garbage-collected isolates are not released yet. A collected
    /// isolate is released where it is collected (on any thread, also after
    /// its owner thread has ended) unless that thread is inside another
    /// isolate's operation; then it waits until an operation finishes outside
    /// any. Those still waiting when the process exits are leaked.
    #[allow(clippy::too_many_arguments)]
    fn leaked_isolate_count(
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
}
/// Defines the module with its errors, constants and functions (not its classes).
pub fn define_top_module(
    ruby: &::rr_glue::magnus::Ruby,
) -> ::std::result::Result<::rr_glue::magnus::RModule, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let module = ruby.define_module("RustyRacer")?;
    define_errors(ruby, module)?;
    module.define_class("JSMap", ruby.class_hash())?;
    module
        .define_module_function(
            "pending_transfer_count",
            ::rr_glue::magnus::function!(__rr_module_s_pending_transfer_count, - 1),
        )?;
    module
        .define_module_function(
            "cached_data_version_tag",
            ::rr_glue::magnus::function!(__rr_module_s_cached_data_version_tag, - 1),
        )?;
    module
        .define_module_function(
            "live_isolate_count",
            ::rr_glue::magnus::function!(__rr_module_s_live_isolate_count, - 1),
        )?;
    module
        .define_module_function(
            "leaked_isolate_count",
            ::rr_glue::magnus::function!(__rr_module_s_leaked_isolate_count, - 1),
        )?;
    Ok(module)
}
/// Defines everything: the module, then each class.
pub fn init(
    ruby: &::rr_glue::magnus::Ruby,
) -> ::std::result::Result<::rr_glue::magnus::RModule, ::rr_glue::magnus::Error> {
    let module = define_top_module(ruby)?;
    define_context(ruby, module)?;
    define_isolate(ruby, module)?;
    define_j_s_function(ruby, module)?;
    define_module(ruby, module)?;
    define_platform(ruby, module)?;
    define_script(ruby, module)?;
    define_snapshot(ruby, module)?;
    Ok(module)
}
///Glue for `RustyRacer.pending_transfer_count`.
fn __rr_module_s_pending_transfer_count(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer.pending_transfer_count";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::RustyRacer as RustyRacerApi>::pending_transfer_count(ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer.cached_data_version_tag`.
fn __rr_module_s_cached_data_version_tag(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer.cached_data_version_tag";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::RustyRacer as RustyRacerApi>::cached_data_version_tag(ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer.live_isolate_count`.
fn __rr_module_s_live_isolate_count(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer.live_isolate_count";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::RustyRacer as RustyRacerApi>::live_isolate_count(ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer.leaked_isolate_count`.
fn __rr_module_s_leaked_isolate_count(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer.leaked_isolate_count";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::RustyRacer as RustyRacerApi>::leaked_isolate_count(ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
/// `RustyRacer::Context`, implemented by `crate::Context`.
///
/// A JavaScript realm (global object) inside an isolate. Confined to the
/// isolate's thread; disposed with its isolate.
pub trait ContextApi: Sized + ::rr_glue::magnus::TypedData {
    /// The thread that owns this object (for `threading: owner`
    /// methods); None when any thread may use it.
    fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
    /// Whether this object is disposed (checked before every method not marked allow_disposed).
    fn guard_is_disposed(&self) -> bool;
    /// `Context#eval(source, filename: "<eval>", timeout_ms: nil) -> Object` (owner thread)
    ///
    /// Runs source as a classic script and returns its completion value, marshalled to Ruby.
    ///
    /// Raises: ParseError, RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn eval(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        source: ::std::string::String,
        filename: ::std::string::String,
        timeout_ms: ::std::option::Option<i64>,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Context#eval_void(source, filename: "<eval>", timeout_ms: nil) -> nil` (owner thread)
    ///
    /// Runs source for its effect and returns nil; the completion value is never marshalled.
    ///
    /// Raises: ParseError, RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn eval_void(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        source: ::std::string::String,
        filename: ::std::string::String,
        timeout_ms: ::std::option::Option<i64>,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Context#eval_await(source, filename: "<eval>", timeout_ms: nil) -> Object` (owner thread)
    ///
    /// Like #eval, but when the completion value is a promise, runs its
    /// promise jobs and due platform tasks until it settles: a fulfilled
    /// value is returned, marshalled; a rejection raises RuntimeError with
    /// the JS error and its frames; a promise nothing left can settle raises
    /// Error ("promise still pending with nothing left to run"). The time
    /// limit covers the whole wait. Other values are returned as they are.
    ///
    ///
    /// Raises: ParseError, RuntimeError, ScriptTerminatedError, V8OutOfMemoryError, Error.
    #[allow(clippy::too_many_arguments)]
    fn eval_await(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        source: ::std::string::String,
        filename: ::std::string::String,
        timeout_ms: ::std::option::Option<i64>,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Context#call(name, *args) -> Object` (owner thread)
    ///
    /// Calls the function at a dotted path ("add", "math.addBase") with the
    /// arguments marshalled to JS; `this` is the object holding it. The path
    /// is looked up, never evaluated; an unknown path raises RuntimeError.
    ///
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        name: ::std::string::String,
        args: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Context#call_void(name, *args) -> nil` (owner thread)
    ///
    /// Like #call, but returns nil without marshalling the result.
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn call_void(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        name: ::std::string::String,
        args: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Context#call_await(name, *args) -> Object` (owner thread)
    ///
    /// Like #call, awaiting a returned promise as #eval_await does.
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError, Error.
    #[allow(clippy::too_many_arguments)]
    fn call_await(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        name: ::std::string::String,
        args: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Context#attach(name, callable) -> nil` (owner thread)
    ///
    /// Makes a Ruby callable available to JS at a dotted path, creating
    /// missing intermediate objects. JS arguments are marshalled to Ruby and
    /// the result back; a Ruby exception becomes a JS exception.
    ///
    ///
    /// Raises: RuntimeError.
    #[allow(clippy::too_many_arguments)]
    fn attach(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        name: ::std::string::String,
        callable: ::rr_glue::Callable,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Context#attach_many(functions) -> nil` (owner thread)
    ///
    /// Attaches several callables (path => callable) in one operation.
    ///
    /// Raises: RuntimeError.
    #[allow(clippy::too_many_arguments)]
    fn attach_many(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        functions: ::rr_glue::Pairs<::std::string::String, ::rr_glue::Callable>,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Context#id() -> Integer` (owner thread)
    ///
    /// The context's number within its isolate; the default context is 0.
    #[allow(clippy::too_many_arguments)]
    fn id(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
    /// `Context#dispose() -> nil` (owner thread)
    ///
    /// Disposes an extra realm (Isolate#create_context): its globals, attached
    /// callables and the scripts, modules and functions it handed out go
    /// away; later use raises DisposedError. Idempotent; a no-op for the
    /// default context. Refused (RuntimeError) while an operation runs in it.
    ///
    ///
    /// Raises: RuntimeError.
    #[allow(clippy::too_many_arguments)]
    fn dispose(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Context#disposed?() -> Boolean` (owner thread)
    ///
    /// Whether this realm (or its isolate) has been disposed.
    #[allow(clippy::too_many_arguments)]
    fn is_disposed(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
    /// `Context#reset() -> nil` (owner thread)
    ///
    /// Gives this realm a fresh global (from the isolate's snapshot, if it
    /// booted from one), keeping its id: runtime globals, attached callables
    /// (released: what they captured becomes collectable) and the scripts,
    /// modules and functions it handed out are dropped (their later use
    /// raises DisposedError); the host namespace is installed again.
    /// Refused with RuntimeError, the realm untouched, while an operation
    /// runs in it (from inside one of its callbacks) or promise jobs run,
    /// and when it is disposed.
    ///
    ///
    /// Raises: RuntimeError.
    #[allow(clippy::too_many_arguments)]
    fn reset(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Context#compile(source, filename: "<compile>", cached_data: nil, produce_cache: false, eager: false) -> Script` (owner thread)
    ///
    /// Compiles source as a classic script, to run (again) with Script#run.
    /// A syntax error raises ParseError here, naming file and line.
    ///
    ///
    /// Raises: ParseError, EncodingError.
    #[allow(clippy::too_many_arguments)]
    fn compile(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        source: ::std::string::String,
        filename: ::std::string::String,
        cached_data: ::std::option::Option<::rr_glue::Binary>,
        produce_cache: bool,
        eager: bool,
    ) -> ::std::result::Result<
        ::rr_glue::magnus::typed_data::Obj<crate::Script>,
        ::rr_glue::magnus::Error,
    >;
    /// `Context#compile_module(source, filename: "<compile_module>", cached_data: nil, produce_cache: false, eager: false) -> Module` (owner thread)
    ///
    /// Compiles source as an ES module; link it with Module#instantiate and
    /// run it with Module#evaluate. `filename` is its URL (import.meta.url,
    /// and the referrer its imports are resolved against).
    ///
    ///
    /// Raises: ParseError, EncodingError.
    #[allow(clippy::too_many_arguments)]
    fn compile_module(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        source: ::std::string::String,
        filename: ::std::string::String,
        cached_data: ::std::option::Option<::rr_glue::Binary>,
        produce_cache: bool,
        eager: bool,
    ) -> ::std::result::Result<
        ::rr_glue::magnus::typed_data::Obj<crate::Module>,
        ::rr_glue::magnus::Error,
    >;
}
///Defines `RustyRacer::Context` under `module`.
pub fn define_context(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Context", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("eval", ::rr_glue::magnus::method!(__rr_context_eval, - 1))?;
    class
        .define_method(
            "eval_void",
            ::rr_glue::magnus::method!(__rr_context_eval_void, - 1),
        )?;
    class
        .define_method(
            "eval_await",
            ::rr_glue::magnus::method!(__rr_context_eval_await, - 1),
        )?;
    class.define_method("call", ::rr_glue::magnus::method!(__rr_context_call, - 1))?;
    class
        .define_method(
            "call_void",
            ::rr_glue::magnus::method!(__rr_context_call_void, - 1),
        )?;
    class
        .define_method(
            "call_await",
            ::rr_glue::magnus::method!(__rr_context_call_await, - 1),
        )?;
    class.define_method("attach", ::rr_glue::magnus::method!(__rr_context_attach, - 1))?;
    class
        .define_method(
            "attach_many",
            ::rr_glue::magnus::method!(__rr_context_attach_many, - 1),
        )?;
    class.define_method("id", ::rr_glue::magnus::method!(__rr_context_id, - 1))?;
    class
        .define_method(
            "dispose",
            ::rr_glue::magnus::method!(__rr_context_dispose, - 1),
        )?;
    class
        .define_method(
            "disposed?",
            ::rr_glue::magnus::method!(__rr_context_is_disposed, - 1),
        )?;
    class.define_method("reset", ::rr_glue::magnus::method!(__rr_context_reset, - 1))?;
    class
        .define_method(
            "compile",
            ::rr_glue::magnus::method!(__rr_context_compile, - 1),
        )?;
    class
        .define_method(
            "compile_module",
            ::rr_glue::magnus::method!(__rr_context_compile_module, - 1),
        )?;
    Ok(class)
}
///The owner-thread and disposed checks of `RustyRacer::Context` methods.
#[inline]
#[allow(unused_variables)]
fn __rr_context_guard(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    method: &str,
    owner: bool,
    disposed: bool,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    if owner
        && <crate::Context as ContextApi>::guard_owner_thread(rb_self)
            .is_some_and(|t| t != ::rr_glue::current_thread())
    {
        return Err(
            ::rr_glue::wrong_thread(
                ErrorClass::WrongThreadError.class(ruby),
                method,
                "Isolate#terminate, Isolate#dispose, Isolate#disposed?",
            ),
        );
    }
    if disposed && <crate::Context as ContextApi>::guard_is_disposed(rb_self) {
        return Err(
            ::rr_glue::disposed(
                ErrorClass::DisposedError.class(ruby),
                method,
                "this Context (or its Isolate)",
            ),
        );
    }
    Ok(())
}
///Glue for `RustyRacer::Context#eval`.
fn __rr_context_eval(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#eval";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["source"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let [kw_filename, kw_timeout_ms] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["filename", "timeout_ms"],
        [false, false],
    )?;
    let filename: ::std::string::String = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "filename",
        kw_filename,
        || ::std::string::String::from("<eval>"),
    )?;
    let timeout_ms: ::std::option::Option<i64> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || ::std::option::Option::None,
    )?;
    let source: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "source",
        call.args[0usize],
    )?;
    let result = <crate::Context as ContextApi>::eval(
        rb_self,
        ruby,
        source,
        filename,
        timeout_ms,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#eval_void`.
fn __rr_context_eval_void(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#eval_void";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["source"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let [kw_filename, kw_timeout_ms] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["filename", "timeout_ms"],
        [false, false],
    )?;
    let filename: ::std::string::String = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "filename",
        kw_filename,
        || ::std::string::String::from("<eval>"),
    )?;
    let timeout_ms: ::std::option::Option<i64> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || ::std::option::Option::None,
    )?;
    let source: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "source",
        call.args[0usize],
    )?;
    let result = <crate::Context as ContextApi>::eval_void(
        rb_self,
        ruby,
        source,
        filename,
        timeout_ms,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#eval_await`.
fn __rr_context_eval_await(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#eval_await";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["source"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let [kw_filename, kw_timeout_ms] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["filename", "timeout_ms"],
        [false, false],
    )?;
    let filename: ::std::string::String = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "filename",
        kw_filename,
        || ::std::string::String::from("<eval>"),
    )?;
    let timeout_ms: ::std::option::Option<i64> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || ::std::option::Option::None,
    )?;
    let source: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "source",
        call.args[0usize],
    )?;
    let result = <crate::Context as ContextApi>::eval_await(
        rb_self,
        ruby,
        source,
        filename,
        timeout_ms,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#call`.
fn __rr_context_call(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#call";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["name", "args"],
        1usize,
        ::std::option::Option::None,
    )?;
    let name: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "name",
        call.args[0usize],
    )?;
    let args: &[::rr_glue::magnus::Value] = &call.args[1usize.min(call.args.len())..];
    let result = <crate::Context as ContextApi>::call(rb_self, ruby, name, args)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#call_void`.
fn __rr_context_call_void(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#call_void";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["name", "args"],
        1usize,
        ::std::option::Option::None,
    )?;
    let name: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "name",
        call.args[0usize],
    )?;
    let args: &[::rr_glue::magnus::Value] = &call.args[1usize.min(call.args.len())..];
    let result = <crate::Context as ContextApi>::call_void(rb_self, ruby, name, args)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#call_await`.
fn __rr_context_call_await(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#call_await";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["name", "args"],
        1usize,
        ::std::option::Option::None,
    )?;
    let name: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "name",
        call.args[0usize],
    )?;
    let args: &[::rr_glue::magnus::Value] = &call.args[1usize.min(call.args.len())..];
    let result = <crate::Context as ContextApi>::call_await(rb_self, ruby, name, args)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#attach`.
fn __rr_context_attach(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#attach";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["name", "callable"],
        2usize,
        ::std::option::Option::Some(2usize),
    )?;
    let name: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "name",
        call.args[0usize],
    )?;
    let callable: ::rr_glue::Callable = ::rr_glue::arg(
        ruby,
        METHOD,
        "callable",
        call.args[1usize],
    )?;
    let result = <crate::Context as ContextApi>::attach(rb_self, ruby, name, callable)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#attach_many`.
fn __rr_context_attach_many(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#attach_many";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["functions"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let functions: ::rr_glue::Pairs<::std::string::String, ::rr_glue::Callable> = ::rr_glue::arg(
        ruby,
        METHOD,
        "functions",
        call.args[0usize],
    )?;
    let result = <crate::Context as ContextApi>::attach_many(rb_self, ruby, functions)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#id`.
fn __rr_context_id(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#id";
    __rr_context_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Context as ContextApi>::id(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#dispose`.
fn __rr_context_dispose(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#dispose";
    __rr_context_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Context as ContextApi>::dispose(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#disposed?`.
fn __rr_context_is_disposed(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#disposed?";
    __rr_context_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Context as ContextApi>::is_disposed(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#reset`.
fn __rr_context_reset(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#reset";
    __rr_context_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Context as ContextApi>::reset(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#compile`.
fn __rr_context_compile(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#compile";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["source"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let [kw_filename, kw_cached_data, kw_produce_cache, kw_eager] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["filename", "cached_data", "produce_cache", "eager"],
        [false, false, false, false],
    )?;
    let filename: ::std::string::String = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "filename",
        kw_filename,
        || ::std::string::String::from("<compile>"),
    )?;
    let cached_data: ::std::option::Option<::rr_glue::Binary> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "cached_data",
        kw_cached_data,
        || ::std::option::Option::None,
    )?;
    let produce_cache: bool = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "produce_cache",
        kw_produce_cache,
        || false,
    )?;
    let eager: bool = ::rr_glue::arg_or(ruby, METHOD, "eager", kw_eager, || false)?;
    let source: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "source",
        call.args[0usize],
    )?;
    let result = <crate::Context as ContextApi>::compile(
        rb_self,
        ruby,
        source,
        filename,
        cached_data,
        produce_cache,
        eager,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Context#compile_module`.
fn __rr_context_compile_module(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Context,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Context#compile_module";
    __rr_context_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["source"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let [kw_filename, kw_cached_data, kw_produce_cache, kw_eager] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["filename", "cached_data", "produce_cache", "eager"],
        [false, false, false, false],
    )?;
    let filename: ::std::string::String = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "filename",
        kw_filename,
        || ::std::string::String::from("<compile_module>"),
    )?;
    let cached_data: ::std::option::Option<::rr_glue::Binary> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "cached_data",
        kw_cached_data,
        || ::std::option::Option::None,
    )?;
    let produce_cache: bool = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "produce_cache",
        kw_produce_cache,
        || false,
    )?;
    let eager: bool = ::rr_glue::arg_or(ruby, METHOD, "eager", kw_eager, || false)?;
    let source: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "source",
        call.args[0usize],
    )?;
    let result = <crate::Context as ContextApi>::compile_module(
        rb_self,
        ruby,
        source,
        filename,
        cached_data,
        produce_cache,
        eager,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_context_impl_is(_: &crate::Context)
where
    crate::Context: ContextApi,
{}
/// `RustyRacer::Isolate`, implemented by `crate::Isolate`.
///
/// One V8 heap with its own JavaScript state. By default it runs JavaScript
/// on the Ruby thread that created it and on no other: every method except
/// #terminate, #dispose and #disposed? (and those of what it hands out)
/// raises WrongThreadError from another thread. Made with
/// `thread_safe: true`, any thread may use it and what it hands out, one
/// thread at a time: an operation waits (without the GVL, and
/// interruptibly) while another thread's runs.
pub trait IsolateApi: Sized + ::rr_glue::magnus::TypedData {
    /// The thread that owns this object (for `threading: owner`
    /// methods); None when any thread may use it.
    fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
    /// Whether this object is disposed (checked before every method not marked allow_disposed).
    fn guard_is_disposed(&self) -> bool;
    /// `Isolate.new(timeout_ms: 0, memory_limit: 0, microtasks: :auto, host_namespace: nil, snapshot: nil, conversions: :exact, thread_safe: false) -> Isolate` (any thread)
    ///
    /// Creates an isolate owned by the calling thread.
    ///
    /// Raises: InternalError, SnapshotError.
    #[allow(clippy::too_many_arguments)]
    fn new(
        ruby: &::rr_glue::magnus::Ruby,
        timeout_ms: i64,
        memory_limit: i64,
        microtasks: Microtasks,
        host_namespace: ::std::option::Option<::std::string::String>,
        snapshot: ::std::option::Option<
            ::rr_glue::magnus::typed_data::Obj<crate::Snapshot>,
        >,
        conversions: Conversions,
        thread_safe: bool,
    ) -> ::std::result::Result<Self, ::rr_glue::magnus::Error>;
    /// `Isolate#context() -> Context` (owner thread)
    ///
    /// The isolate's default context (always the same object; its id is 0).
    #[allow(clippy::too_many_arguments)]
    fn context(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::rr_glue::magnus::typed_data::Obj<crate::Context>,
        ::rr_glue::magnus::Error,
    >;
    /// `Isolate#create_context() -> Context` (owner thread)
    ///
    /// A new realm in this isolate: its own globalThis (and built-ins),
    /// sharing the heap. Its id is greater than 0. Realms are same-origin:
    /// objects passed between them are reachable from both, so a realm is
    /// not an isolation boundary.
    ///
    ///
    /// Raises: Error.
    #[allow(clippy::too_many_arguments)]
    fn create_context(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::rr_glue::magnus::typed_data::Obj<crate::Context>,
        ::rr_glue::magnus::Error,
    >;
    /// `Isolate#perform_microtask_checkpoint() -> nil` (owner thread)
    ///
    /// Runs the queued promise jobs now, in the default context, under the
    /// isolate's timeout_ms. With `microtasks: :explicit` nothing else runs
    /// them; with :auto they also run after each outermost eval or call.
    /// May be called from inside a callback.
    ///
    ///
    /// Raises: ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn perform_microtask_checkpoint(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#heap_statistics() -> Hash[Symbol, Integer]` (owner thread)
    ///
    /// V8's heap figures in bytes (and the native and detached context
    /// counts): :used_heap_size, :total_heap_size, :total_physical_size,
    /// :heap_size_limit, :malloced_memory, :peak_malloced_memory,
    /// :external_memory, :number_of_native_contexts, :number_of_detached_contexts.
    #[allow(clippy::too_many_arguments)]
    fn heap_statistics(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::rr_glue::Pairs<::rr_glue::SymbolName, i64>,
        ::rr_glue::magnus::Error,
    >;
    /// `Isolate#low_memory_notification() -> nil` (owner thread)
    ///
    /// Runs a full garbage collection now.
    #[allow(clippy::too_many_arguments)]
    fn low_memory_notification(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#pump_message_loop() -> nil` (owner thread)
    ///
    /// Runs the platform tasks that are due (FinalizationRegistry cleanups,
    /// for one) without waiting for more, then the promise jobs; nothing
    /// when idle. Under the isolate's timeout_ms.
    ///
    ///
    /// Raises: ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn pump_message_loop(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#write_heap_snapshot(path_or_io) -> nil` (owner thread)
    ///
    /// Writes a heap snapshot that Chrome DevTools opens (.heapsnapshot
    /// JSON) to a file path, or to an IO (anything responding to #write).
    #[allow(clippy::too_many_arguments)]
    fn write_heap_snapshot(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        path_or_io: ::rr_glue::magnus::Value,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#dynamic_import_resolver=(resolver) -> nil` (owner thread)
    ///
    /// Serves JS import(): called as resolver.call(specifier, referrer_url,
    /// context) with the realm import() ran in, it returns a Module of that
    /// context (merely compiled is enough: it is linked through the same
    /// resolver, and evaluated) or nil, which rejects the import. nil here
    /// removes it (import() then rejects).
    #[allow(clippy::too_many_arguments)]
    fn set_dynamic_import_resolver(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        resolver: ::std::option::Option<::rr_glue::Callable>,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#dynamic_import_resolver() -> Object` (owner thread)
    ///
    /// The resolver import() uses, or nil.
    #[allow(clippy::too_many_arguments)]
    fn dynamic_import_resolver(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Isolate#terminate() -> nil` (any thread)
    ///
    /// Stops the JavaScript this isolate is running; the running eval or call
    /// raises ScriptTerminatedError and the isolate stays usable. Safe from
    /// any thread; does nothing when the isolate is idle or disposed.
    #[allow(clippy::too_many_arguments)]
    fn terminate(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#dispose() -> nil` (any thread)
    ///
    /// Releases V8's memory now. Idempotent. Later use of the isolate or its
    /// contexts raises DisposedError; disposing from inside one of its own
    /// callbacks raises Error. From another thread while JS runs, the running
    /// operation is stopped and the isolate released as it returns.
    ///
    ///
    /// Raises: Error.
    #[allow(clippy::too_many_arguments)]
    fn dispose(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Isolate#disposed?() -> Boolean` (any thread)
    ///
    /// Whether #dispose has been called.
    #[allow(clippy::too_many_arguments)]
    fn is_disposed(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacer::Isolate` under `module`.
pub fn define_isolate(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Isolate", ruby.class_object())?;
    class.undef_default_alloc_func();
    class
        .define_singleton_method(
            "new",
            ::rr_glue::magnus::method!(__rr_isolate_s_new, - 1),
        )?;
    class
        .define_method(
            "context",
            ::rr_glue::magnus::method!(__rr_isolate_context, - 1),
        )?;
    class
        .define_method(
            "create_context",
            ::rr_glue::magnus::method!(__rr_isolate_create_context, - 1),
        )?;
    class
        .define_method(
            "perform_microtask_checkpoint",
            ::rr_glue::magnus::method!(__rr_isolate_perform_microtask_checkpoint, - 1),
        )?;
    class
        .define_method(
            "heap_statistics",
            ::rr_glue::magnus::method!(__rr_isolate_heap_statistics, - 1),
        )?;
    class
        .define_method(
            "low_memory_notification",
            ::rr_glue::magnus::method!(__rr_isolate_low_memory_notification, - 1),
        )?;
    class
        .define_method(
            "pump_message_loop",
            ::rr_glue::magnus::method!(__rr_isolate_pump_message_loop, - 1),
        )?;
    class
        .define_method(
            "write_heap_snapshot",
            ::rr_glue::magnus::method!(__rr_isolate_write_heap_snapshot, - 1),
        )?;
    class
        .define_method(
            "dynamic_import_resolver=",
            ::rr_glue::magnus::method!(__rr_isolate_set_dynamic_import_resolver, - 1),
        )?;
    class
        .define_method(
            "dynamic_import_resolver",
            ::rr_glue::magnus::method!(__rr_isolate_dynamic_import_resolver, - 1),
        )?;
    class
        .define_method(
            "terminate",
            ::rr_glue::magnus::method!(__rr_isolate_terminate, - 1),
        )?;
    class
        .define_method(
            "dispose",
            ::rr_glue::magnus::method!(__rr_isolate_dispose, - 1),
        )?;
    class
        .define_method(
            "disposed?",
            ::rr_glue::magnus::method!(__rr_isolate_is_disposed, - 1),
        )?;
    Ok(class)
}
///The owner-thread and disposed checks of `RustyRacer::Isolate` methods.
#[inline]
#[allow(unused_variables)]
fn __rr_isolate_guard(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    method: &str,
    owner: bool,
    disposed: bool,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    if owner
        && <crate::Isolate as IsolateApi>::guard_owner_thread(rb_self)
            .is_some_and(|t| t != ::rr_glue::current_thread())
    {
        return Err(
            ::rr_glue::wrong_thread(
                ErrorClass::WrongThreadError.class(ruby),
                method,
                "Isolate#terminate, Isolate#dispose, Isolate#disposed?",
            ),
        );
    }
    if disposed && <crate::Isolate as IsolateApi>::guard_is_disposed(rb_self) {
        return Err(
            ::rr_glue::disposed(
                ErrorClass::DisposedError.class(ruby),
                method,
                "this Isolate",
            ),
        );
    }
    Ok(())
}
///Glue for `RustyRacer::Isolate.new`.
fn __rr_isolate_s_new(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: ::rr_glue::magnus::RClass,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate.new";
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let [kw_timeout_ms, kw_memory_limit, kw_microtasks, kw_host_namespace, kw_snapshot,
    kw_conversions, kw_thread_safe] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        [
            "timeout_ms",
            "memory_limit",
            "microtasks",
            "host_namespace",
            "snapshot",
            "conversions",
            "thread_safe",
        ],
        [false, false, false, false, false, false, false],
    )?;
    let timeout_ms: i64 = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || 0i64,
    )?;
    let memory_limit: i64 = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "memory_limit",
        kw_memory_limit,
        || 0i64,
    )?;
    let microtasks: Microtasks = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "microtasks",
        kw_microtasks,
        || Microtasks::Auto,
    )?;
    let host_namespace: ::std::option::Option<::std::string::String> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "host_namespace",
        kw_host_namespace,
        || ::std::option::Option::None,
    )?;
    let snapshot: ::std::option::Option<
        ::rr_glue::magnus::typed_data::Obj<crate::Snapshot>,
    > = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "snapshot",
        kw_snapshot,
        || ::std::option::Option::None,
    )?;
    let conversions: Conversions = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "conversions",
        kw_conversions,
        || Conversions::Exact,
    )?;
    let thread_safe: bool = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "thread_safe",
        kw_thread_safe,
        || false,
    )?;
    let result = <crate::Isolate as IsolateApi>::new(
        ruby,
        timeout_ms,
        memory_limit,
        microtasks,
        host_namespace,
        snapshot,
        conversions,
        thread_safe,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(ruby.obj_wrap_as(result, rb_self), ruby))
}
///Glue for `RustyRacer::Isolate#context`.
fn __rr_isolate_context(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#context";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::context(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#create_context`.
fn __rr_isolate_create_context(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#create_context";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::create_context(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#perform_microtask_checkpoint`.
fn __rr_isolate_perform_microtask_checkpoint(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#perform_microtask_checkpoint";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::perform_microtask_checkpoint(
        rb_self,
        ruby,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#heap_statistics`.
fn __rr_isolate_heap_statistics(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#heap_statistics";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::heap_statistics(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#low_memory_notification`.
fn __rr_isolate_low_memory_notification(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#low_memory_notification";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::low_memory_notification(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#pump_message_loop`.
fn __rr_isolate_pump_message_loop(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#pump_message_loop";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::pump_message_loop(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#write_heap_snapshot`.
fn __rr_isolate_write_heap_snapshot(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#write_heap_snapshot";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["path_or_io"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let path_or_io: ::rr_glue::magnus::Value = ::rr_glue::arg(
        ruby,
        METHOD,
        "path_or_io",
        call.args[0usize],
    )?;
    let result = <crate::Isolate as IsolateApi>::write_heap_snapshot(
        rb_self,
        ruby,
        path_or_io,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#dynamic_import_resolver=`.
fn __rr_isolate_set_dynamic_import_resolver(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#dynamic_import_resolver=";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["resolver"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let resolver: ::std::option::Option<::rr_glue::Callable> = ::rr_glue::arg(
        ruby,
        METHOD,
        "resolver",
        call.args[0usize],
    )?;
    let result = <crate::Isolate as IsolateApi>::set_dynamic_import_resolver(
        rb_self,
        ruby,
        resolver,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#dynamic_import_resolver`.
fn __rr_isolate_dynamic_import_resolver(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#dynamic_import_resolver";
    __rr_isolate_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::dynamic_import_resolver(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#terminate`.
fn __rr_isolate_terminate(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#terminate";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::terminate(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#dispose`.
fn __rr_isolate_dispose(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#dispose";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::dispose(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Isolate#disposed?`.
fn __rr_isolate_is_disposed(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Isolate,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Isolate#disposed?";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Isolate as IsolateApi>::is_disposed(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_isolate_impl_is(_: &crate::Isolate)
where
    crate::Isolate: IsolateApi,
{}
/// `RustyRacer::JSFunction`, implemented by `crate::JSFunction`.
///
/// A JavaScript function returned to Ruby (from eval, call or a callback's
/// arguments). Calling it runs the function in the realm it came from, with
/// `this` undefined, under the same threading, timeout and error rules as
/// Context#call. It belongs to its isolate: after the isolate is disposed it
/// raises DisposedError. An unreachable JSFunction lets V8 collect the
/// function (released on the isolate's thread at its next operation).
pub trait JSFunctionApi: Sized + ::rr_glue::magnus::TypedData {
    /// The thread that owns this object (for `threading: owner`
    /// methods); None when any thread may use it.
    fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
    /// Whether this object is disposed (checked before every method not marked allow_disposed).
    fn guard_is_disposed(&self) -> bool;
    /// `JSFunction#call(*args) -> Object` (owner thread)
    ///
    /// Calls the function with the arguments marshalled to JS and returns its result, marshalled to Ruby.
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        args: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `JSFunction#call_void(*args) -> nil` (owner thread)
    ///
    /// Like #call, but returns nil without marshalling the result.
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn call_void(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        args: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `JSFunction#name() -> String` (owner thread)
    ///
    /// The function's `name` ("" for an anonymous function).
    #[allow(clippy::too_many_arguments)]
    fn name(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::std::string::String, ::rr_glue::magnus::Error>;
    /// `JSFunction#inspect() -> String` (owner thread)
    ///
    /// "#<RustyRacer::JSFunction name>" ("(disposed)" once its isolate is gone).
    #[allow(clippy::too_many_arguments)]
    fn inspect(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::std::string::String, ::rr_glue::magnus::Error>;
    /// `JSFunction#to_proc() -> Object` (owner thread)
    ///
    /// A Proc that calls the function (so `array.map(&fn)` works).
    #[allow(clippy::too_many_arguments)]
    fn to_proc(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacer::JSFunction` under `module`.
pub fn define_j_s_function(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("JSFunction", ruby.class_object())?;
    class.undef_default_alloc_func();
    class
        .define_method("call", ::rr_glue::magnus::method!(__rr_j_s_function_call, - 1))?;
    class
        .define_method(
            "call_void",
            ::rr_glue::magnus::method!(__rr_j_s_function_call_void, - 1),
        )?;
    class
        .define_method("name", ::rr_glue::magnus::method!(__rr_j_s_function_name, - 1))?;
    class
        .define_method(
            "inspect",
            ::rr_glue::magnus::method!(__rr_j_s_function_inspect, - 1),
        )?;
    class
        .define_method(
            "to_proc",
            ::rr_glue::magnus::method!(__rr_j_s_function_to_proc, - 1),
        )?;
    Ok(class)
}
///The owner-thread and disposed checks of `RustyRacer::JSFunction` methods.
#[inline]
#[allow(unused_variables)]
fn __rr_j_s_function_guard(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::JSFunction,
    method: &str,
    owner: bool,
    disposed: bool,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    if owner
        && <crate::JSFunction as JSFunctionApi>::guard_owner_thread(rb_self)
            .is_some_and(|t| t != ::rr_glue::current_thread())
    {
        return Err(
            ::rr_glue::wrong_thread(
                ErrorClass::WrongThreadError.class(ruby),
                method,
                "Isolate#terminate, Isolate#dispose, Isolate#disposed?",
            ),
        );
    }
    if disposed && <crate::JSFunction as JSFunctionApi>::guard_is_disposed(rb_self) {
        return Err(
            ::rr_glue::disposed(
                ErrorClass::DisposedError.class(ruby),
                method,
                "this JSFunction (or its Isolate)",
            ),
        );
    }
    Ok(())
}
///Glue for `RustyRacer::JSFunction#call`.
fn __rr_j_s_function_call(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::JSFunction,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::JSFunction#call";
    __rr_j_s_function_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["args"],
        0usize,
        ::std::option::Option::None,
    )?;
    let args: &[::rr_glue::magnus::Value] = &call.args[0usize.min(call.args.len())..];
    let result = <crate::JSFunction as JSFunctionApi>::call(rb_self, ruby, args)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::JSFunction#call_void`.
fn __rr_j_s_function_call_void(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::JSFunction,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::JSFunction#call_void";
    __rr_j_s_function_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["args"],
        0usize,
        ::std::option::Option::None,
    )?;
    let args: &[::rr_glue::magnus::Value] = &call.args[0usize.min(call.args.len())..];
    let result = <crate::JSFunction as JSFunctionApi>::call_void(rb_self, ruby, args)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::JSFunction#name`.
fn __rr_j_s_function_name(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::JSFunction,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::JSFunction#name";
    __rr_j_s_function_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::JSFunction as JSFunctionApi>::name(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::JSFunction#inspect`.
fn __rr_j_s_function_inspect(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::JSFunction,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::JSFunction#inspect";
    __rr_j_s_function_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::JSFunction as JSFunctionApi>::inspect(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::JSFunction#to_proc`.
fn __rr_j_s_function_to_proc(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::JSFunction,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::JSFunction#to_proc";
    __rr_j_s_function_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::JSFunction as JSFunctionApi>::to_proc(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_j_s_function_impl_is(_: &crate::JSFunction)
where
    crate::JSFunction: JSFunctionApi,
{}
/// `RustyRacer::Module`, implemented by `crate::Module`.
///
/// An ES module compiled by Context#compile_module: link it with
/// #instantiate (a block resolves each import), run it with #evaluate, read
/// its exports with #namespace. Confined to the isolate's thread; disposed
/// with its isolate or by #dispose.
pub trait ModuleApi: Sized + ::rr_glue::magnus::TypedData {
    /// The thread that owns this object (for `threading: owner`
    /// methods); None when any thread may use it.
    fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
    /// Whether this object is disposed (checked before every method not marked allow_disposed).
    fn guard_is_disposed(&self) -> bool;
    /// `Module#instantiate(&block) -> self` (owner thread)
    ///
    /// Links the module and everything it imports: the block is called with
    /// each import's specifier and the URL (filename) of the module importing
    /// it, and returns a Module of the same context, or nil (the link then
    /// fails naming both). A module linked already is left alone. Returns self.
    ///
    ///
    /// Raises: RuntimeError, TypeError.
    #[allow(clippy::too_many_arguments)]
    fn instantiate(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        block: ::rr_glue::magnus::block::Proc,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Module#evaluate(timeout_ms: nil) -> nil` (owner thread)
    ///
    /// Runs the module (once: again, it reports how that went). With
    /// microtasks :auto its top-level await settles before this returns, and
    /// a rejection raises (the module is then :errored).
    ///
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        timeout_ms: ::std::option::Option<i64>,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Module#namespace() -> Object` (owner thread)
    ///
    /// The module's exports as a Hash (name => value). Reading a binding
    /// before evaluation raises RuntimeError ("... before initialization");
    /// an errored module raises its error.
    ///
    ///
    /// Raises: RuntimeError.
    #[allow(clippy::too_many_arguments)]
    fn namespace(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Module#status() -> ModuleStatus` (owner thread)
    ///
    /// Where the module is in V8's life cycle.
    #[allow(clippy::too_many_arguments)]
    fn status(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<ModuleStatus, ::rr_glue::magnus::Error>;
    /// `Module#graph_async?() -> Boolean` (owner thread)
    ///
    /// Whether the module or anything it imports has top-level await. Only
    /// once instantiated (RuntimeError before).
    ///
    ///
    /// Raises: RuntimeError.
    #[allow(clippy::too_many_arguments)]
    fn is_graph_async(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
    /// `Module#cached_data() -> Binary?` (owner thread)
    ///
    /// As Script#cached_data.
    #[allow(clippy::too_many_arguments)]
    fn cached_data(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::std::option::Option<::rr_glue::Binary>,
        ::rr_glue::magnus::Error,
    >;
    /// `Module#cache_rejected?() -> Boolean` (owner thread)
    ///
    /// As Script#cache_rejected?.
    #[allow(clippy::too_many_arguments)]
    fn is_cache_rejected(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
    /// `Module#create_code_cache() -> Binary?` (owner thread)
    ///
    /// A cache made now, including the functions that ran (also after an
    /// error); nil when V8 cannot make one. Not from inside a callback.
    ///
    ///
    /// Raises: Error.
    #[allow(clippy::too_many_arguments)]
    fn create_code_cache(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::std::option::Option<::rr_glue::Binary>,
        ::rr_glue::magnus::Error,
    >;
    /// `Module#url() -> String` (owner thread)
    ///
    /// The module's URL (its filename, or the specifier import() loaded it by).
    #[allow(clippy::too_many_arguments)]
    fn url(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::std::string::String, ::rr_glue::magnus::Error>;
    /// `Module#dispose() -> nil` (owner thread)
    ///
    /// Lets V8 free the module once nothing imports it; using it afterwards raises DisposedError.
    #[allow(clippy::too_many_arguments)]
    fn dispose(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Module#disposed?() -> Boolean` (owner thread)
    ///
    /// Whether #dispose was called, or its realm or isolate was disposed.
    #[allow(clippy::too_many_arguments)]
    fn is_disposed(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacer::Module` under `module`.
pub fn define_module(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Module", ruby.class_object())?;
    class.undef_default_alloc_func();
    class
        .define_method(
            "instantiate",
            ::rr_glue::magnus::method!(__rr_module_instantiate, - 1),
        )?;
    class
        .define_method(
            "evaluate",
            ::rr_glue::magnus::method!(__rr_module_evaluate, - 1),
        )?;
    class
        .define_method(
            "namespace",
            ::rr_glue::magnus::method!(__rr_module_namespace, - 1),
        )?;
    class.define_method("status", ::rr_glue::magnus::method!(__rr_module_status, - 1))?;
    class
        .define_method(
            "graph_async?",
            ::rr_glue::magnus::method!(__rr_module_is_graph_async, - 1),
        )?;
    class
        .define_method(
            "cached_data",
            ::rr_glue::magnus::method!(__rr_module_cached_data, - 1),
        )?;
    class
        .define_method(
            "cache_rejected?",
            ::rr_glue::magnus::method!(__rr_module_is_cache_rejected, - 1),
        )?;
    class
        .define_method(
            "create_code_cache",
            ::rr_glue::magnus::method!(__rr_module_create_code_cache, - 1),
        )?;
    class.define_method("url", ::rr_glue::magnus::method!(__rr_module_url, - 1))?;
    class
        .define_method("dispose", ::rr_glue::magnus::method!(__rr_module_dispose, - 1))?;
    class
        .define_method(
            "disposed?",
            ::rr_glue::magnus::method!(__rr_module_is_disposed, - 1),
        )?;
    Ok(class)
}
///The owner-thread and disposed checks of `RustyRacer::Module` methods.
#[inline]
#[allow(unused_variables)]
fn __rr_module_guard(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    method: &str,
    owner: bool,
    disposed: bool,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    if owner
        && <crate::Module as ModuleApi>::guard_owner_thread(rb_self)
            .is_some_and(|t| t != ::rr_glue::current_thread())
    {
        return Err(
            ::rr_glue::wrong_thread(
                ErrorClass::WrongThreadError.class(ruby),
                method,
                "Isolate#terminate, Isolate#dispose, Isolate#disposed?",
            ),
        );
    }
    if disposed && <crate::Module as ModuleApi>::guard_is_disposed(rb_self) {
        return Err(
            ::rr_glue::disposed(
                ErrorClass::DisposedError.class(ruby),
                method,
                "this Module (or its Isolate)",
            ),
        );
    }
    Ok(())
}
///Glue for `RustyRacer::Module#instantiate`.
fn __rr_module_instantiate(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self_obj: ::rr_glue::magnus::typed_data::Obj<crate::Module>,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#instantiate";
    let rb_self: &crate::Module = &rb_self_obj;
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let block = ::rr_glue::required_block(ruby, METHOD)?;
    let result = <crate::Module as ModuleApi>::instantiate(rb_self, ruby, block)?;
    let () = result;
    Ok(::rr_glue::magnus::value::ReprValue::as_value(rb_self_obj))
}
///Glue for `RustyRacer::Module#evaluate`.
fn __rr_module_evaluate(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#evaluate";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let [kw_timeout_ms] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["timeout_ms"],
        [false],
    )?;
    let timeout_ms: ::std::option::Option<i64> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || ::std::option::Option::None,
    )?;
    let result = <crate::Module as ModuleApi>::evaluate(rb_self, ruby, timeout_ms)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#namespace`.
fn __rr_module_namespace(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#namespace";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::namespace(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#status`.
fn __rr_module_status(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#status";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::status(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#graph_async?`.
fn __rr_module_is_graph_async(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#graph_async?";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::is_graph_async(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#cached_data`.
fn __rr_module_cached_data(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#cached_data";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::cached_data(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#cache_rejected?`.
fn __rr_module_is_cache_rejected(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#cache_rejected?";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::is_cache_rejected(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#create_code_cache`.
fn __rr_module_create_code_cache(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#create_code_cache";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::create_code_cache(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#url`.
fn __rr_module_url(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#url";
    __rr_module_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::url(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#dispose`.
fn __rr_module_dispose(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#dispose";
    __rr_module_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::dispose(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Module#disposed?`.
fn __rr_module_is_disposed(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Module,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Module#disposed?";
    __rr_module_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Module as ModuleApi>::is_disposed(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_module_impl_is(_: &crate::Module)
where
    crate::Module: ModuleApi,
{}
/// `RustyRacer::Platform`, implemented by `crate::Platform`.
///
/// Process-wide V8 settings. V8 starts (and its flags freeze) with the first
/// Isolate; settings made before that apply to every isolate.
pub trait PlatformApi: Sized + ::rr_glue::magnus::TypedData {
    /// `Platform.set_flags!(*flags) -> nil` (any thread)
    ///
    /// Sets V8 flags for when V8 starts: each Symbol or String `name` becomes
    /// `--name`, each `name: value` pair `--name=value` (true: `--name`,
    /// false: `--no-name`). `:single_threaded` also picks V8's single-threaded
    /// platform (no worker threads: isolates keep working in forked
    /// children). Raises PlatformAlreadyInitialized once V8 has started, and
    /// ArgumentError for a flag with a NUL byte or over 256 characters.
    ///
    ///
    /// Raises: PlatformAlreadyInitialized.
    #[allow(clippy::too_many_arguments)]
    fn set_flags_bang(
        ruby: &::rr_glue::magnus::Ruby,
        flags: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Platform.initialized?() -> Boolean` (any thread)
    ///
    /// Whether V8 has started in this process.
    #[allow(clippy::too_many_arguments)]
    fn is_initialized(
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacer::Platform` under `module`.
pub fn define_platform(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Platform", ruby.class_object())?;
    class.undef_default_alloc_func();
    class
        .define_singleton_method(
            "set_flags!",
            ::rr_glue::magnus::method!(__rr_platform_s_set_flags_bang, - 1),
        )?;
    class
        .define_singleton_method(
            "initialized?",
            ::rr_glue::magnus::method!(__rr_platform_s_is_initialized, - 1),
        )?;
    Ok(class)
}
///Glue for `RustyRacer::Platform.set_flags!`.
fn __rr_platform_s_set_flags_bang(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: ::rr_glue::magnus::RClass,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Platform.set_flags!";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["flags"],
        0usize,
        ::std::option::Option::None,
    )?;
    let flags: &[::rr_glue::magnus::Value] = &call.args[0usize.min(call.args.len())..];
    let result = <crate::Platform as PlatformApi>::set_flags_bang(ruby, flags)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Platform.initialized?`.
fn __rr_platform_s_is_initialized(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: ::rr_glue::magnus::RClass,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Platform.initialized?";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Platform as PlatformApi>::is_initialized(ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_platform_impl_is(_: &crate::Platform)
where
    crate::Platform: PlatformApi,
{}
/// `RustyRacer::Script`, implemented by `crate::Script`.
///
/// A classic script compiled once (Context#compile) and run any number of
/// times in the context it was compiled in. Top-level const, let and class
/// declarations stay visible to later evals and scripts. Confined to the
/// isolate's thread; disposed with its isolate or by #dispose.
pub trait ScriptApi: Sized + ::rr_glue::magnus::TypedData {
    /// The thread that owns this object (for `threading: owner`
    /// methods); None when any thread may use it.
    fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
    /// Whether this object is disposed (checked before every method not marked allow_disposed).
    fn guard_is_disposed(&self) -> bool;
    /// `Script#run(timeout_ms: nil) -> Object` (owner thread)
    ///
    /// Runs the script and returns its completion value, marshalled to Ruby.
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        timeout_ms: ::std::option::Option<i64>,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Script#run_void(timeout_ms: nil) -> nil` (owner thread)
    ///
    /// Runs the script for its effect and returns nil; the completion value is never marshalled.
    ///
    /// Raises: RuntimeError, ScriptTerminatedError, V8OutOfMemoryError.
    #[allow(clippy::too_many_arguments)]
    fn run_void(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        timeout_ms: ::std::option::Option<i64>,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Script#cached_data() -> Binary?` (owner thread)
    ///
    /// The cache made at compile time (a binary String), or nil without produce_cache.
    #[allow(clippy::too_many_arguments)]
    fn cached_data(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::std::option::Option<::rr_glue::Binary>,
        ::rr_glue::magnus::Error,
    >;
    /// `Script#cache_rejected?() -> Boolean` (owner thread)
    ///
    /// Whether the cached_data given to compile was refused (stale, foreign or damaged); false when none was given.
    #[allow(clippy::too_many_arguments)]
    fn is_cache_rejected(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
    /// `Script#create_code_cache() -> Binary?` (owner thread)
    ///
    /// A cache made now, holding the functions compiled so far: after #run it
    /// includes the inner functions that ran (a warm cache). nil when V8
    /// cannot make one. Not from inside a callback of this isolate (V8's
    /// code-cache creation is not re-entrant).
    ///
    ///
    /// Raises: Error.
    #[allow(clippy::too_many_arguments)]
    fn create_code_cache(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::std::option::Option<::rr_glue::Binary>,
        ::rr_glue::magnus::Error,
    >;
    /// `Script#dispose() -> nil` (owner thread)
    ///
    /// Lets V8 free the script; using it afterwards raises DisposedError.
    #[allow(clippy::too_many_arguments)]
    fn dispose(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Script#disposed?() -> Boolean` (owner thread)
    ///
    /// Whether #dispose was called, or its realm or isolate was disposed.
    #[allow(clippy::too_many_arguments)]
    fn is_disposed(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacer::Script` under `module`.
pub fn define_script(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Script", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("run", ::rr_glue::magnus::method!(__rr_script_run, - 1))?;
    class
        .define_method(
            "run_void",
            ::rr_glue::magnus::method!(__rr_script_run_void, - 1),
        )?;
    class
        .define_method(
            "cached_data",
            ::rr_glue::magnus::method!(__rr_script_cached_data, - 1),
        )?;
    class
        .define_method(
            "cache_rejected?",
            ::rr_glue::magnus::method!(__rr_script_is_cache_rejected, - 1),
        )?;
    class
        .define_method(
            "create_code_cache",
            ::rr_glue::magnus::method!(__rr_script_create_code_cache, - 1),
        )?;
    class
        .define_method("dispose", ::rr_glue::magnus::method!(__rr_script_dispose, - 1))?;
    class
        .define_method(
            "disposed?",
            ::rr_glue::magnus::method!(__rr_script_is_disposed, - 1),
        )?;
    Ok(class)
}
///The owner-thread and disposed checks of `RustyRacer::Script` methods.
#[inline]
#[allow(unused_variables)]
fn __rr_script_guard(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    method: &str,
    owner: bool,
    disposed: bool,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    if owner
        && <crate::Script as ScriptApi>::guard_owner_thread(rb_self)
            .is_some_and(|t| t != ::rr_glue::current_thread())
    {
        return Err(
            ::rr_glue::wrong_thread(
                ErrorClass::WrongThreadError.class(ruby),
                method,
                "Isolate#terminate, Isolate#dispose, Isolate#disposed?",
            ),
        );
    }
    if disposed && <crate::Script as ScriptApi>::guard_is_disposed(rb_self) {
        return Err(
            ::rr_glue::disposed(
                ErrorClass::DisposedError.class(ruby),
                method,
                "this Script (or its Isolate)",
            ),
        );
    }
    Ok(())
}
///Glue for `RustyRacer::Script#run`.
fn __rr_script_run(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#run";
    __rr_script_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let [kw_timeout_ms] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["timeout_ms"],
        [false],
    )?;
    let timeout_ms: ::std::option::Option<i64> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || ::std::option::Option::None,
    )?;
    let result = <crate::Script as ScriptApi>::run(rb_self, ruby, timeout_ms)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Script#run_void`.
fn __rr_script_run_void(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#run_void";
    __rr_script_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let [kw_timeout_ms] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["timeout_ms"],
        [false],
    )?;
    let timeout_ms: ::std::option::Option<i64> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "timeout_ms",
        kw_timeout_ms,
        || ::std::option::Option::None,
    )?;
    let result = <crate::Script as ScriptApi>::run_void(rb_self, ruby, timeout_ms)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Script#cached_data`.
fn __rr_script_cached_data(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#cached_data";
    __rr_script_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Script as ScriptApi>::cached_data(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Script#cache_rejected?`.
fn __rr_script_is_cache_rejected(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#cache_rejected?";
    __rr_script_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Script as ScriptApi>::is_cache_rejected(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Script#create_code_cache`.
fn __rr_script_create_code_cache(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#create_code_cache";
    __rr_script_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Script as ScriptApi>::create_code_cache(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Script#dispose`.
fn __rr_script_dispose(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#dispose";
    __rr_script_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Script as ScriptApi>::dispose(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Script#disposed?`.
fn __rr_script_is_disposed(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Script,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Script#disposed?";
    __rr_script_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Script as ScriptApi>::is_disposed(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_script_impl_is(_: &crate::Script)
where
    crate::Script: ScriptApi,
{}
/// `RustyRacer::Snapshot`, implemented by `crate::Snapshot`.
///
/// A startup snapshot: a V8 heap baked after running code (and evaluating
/// ES modules), for isolates to boot from with `Isolate.new(snapshot:)`.
/// Dump it to bytes to store it and load it back, in this process or
/// another with the same V8 and V8 flags. Not tied to a thread.
pub trait SnapshotApi: Sized + ::rr_glue::magnus::TypedData {
    /// `Snapshot.new(code = "", modules: nil, entry: nil) -> Snapshot` (any thread)
    ///
    /// Bakes a heap after running code in a fresh context (its completion
    /// value is ignored) and then, with `modules:`, compiling every module
    /// (specifier => source), linking the entry (relative specifiers resolve
    /// against the importer's) and evaluating it, promise jobs included.
    /// Baked globals and functions are there in every new context of an
    /// isolate booted from it. A JS error raises SnapshotError with its
    /// message.
    ///
    ///
    /// Raises: SnapshotError.
    #[allow(clippy::too_many_arguments)]
    fn new(
        ruby: &::rr_glue::magnus::Ruby,
        code: ::std::string::String,
        modules: ::std::option::Option<
            ::rr_glue::Pairs<::std::string::String, ::std::string::String>,
        >,
        entry: ::std::option::Option<::std::string::String>,
    ) -> ::std::result::Result<Self, ::rr_glue::magnus::Error>;
    /// `Snapshot.load(blob) -> Snapshot` (any thread)
    ///
    /// A snapshot from the bytes #dump gave. An empty, truncated, damaged or
    /// foreign blob (another V8, other V8 flags) raises SnapshotError; V8 never
    /// sees it.
    ///
    ///
    /// Raises: SnapshotError, EncodingError.
    #[allow(clippy::too_many_arguments)]
    fn load(
        ruby: &::rr_glue::magnus::Ruby,
        blob: ::rr_glue::Binary,
    ) -> ::std::result::Result<Self, ::rr_glue::magnus::Error>;
    /// `Snapshot#warmup!(code) -> self` (any thread)
    ///
    /// Runs code in a throwaway context of this snapshot so the functions it
    /// calls are baked compiled; the heap state it leaves is discarded. A JS
    /// error raises SnapshotError and leaves the snapshot unchanged.
    ///
    ///
    /// Raises: SnapshotError.
    #[allow(clippy::too_many_arguments)]
    fn warmup_bang(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        code: ::std::string::String,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Snapshot#dump() -> Binary` (any thread)
    ///
    /// The snapshot as a binary String (for Snapshot.load).
    #[allow(clippy::too_many_arguments)]
    fn dump(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::rr_glue::Binary, ::rr_glue::magnus::Error>;
    /// `Snapshot#size() -> Integer` (any thread)
    ///
    /// The byte size of #dump.
    #[allow(clippy::too_many_arguments)]
    fn size(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacer::Snapshot` under `module`.
pub fn define_snapshot(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Snapshot", ruby.class_object())?;
    class.undef_default_alloc_func();
    class
        .define_singleton_method(
            "new",
            ::rr_glue::magnus::method!(__rr_snapshot_s_new, - 1),
        )?;
    class
        .define_singleton_method(
            "load",
            ::rr_glue::magnus::method!(__rr_snapshot_s_load, - 1),
        )?;
    class
        .define_method(
            "warmup!",
            ::rr_glue::magnus::method!(__rr_snapshot_warmup_bang, - 1),
        )?;
    class.define_method("dump", ::rr_glue::magnus::method!(__rr_snapshot_dump, - 1))?;
    class.define_method("size", ::rr_glue::magnus::method!(__rr_snapshot_size, - 1))?;
    Ok(class)
}
///Glue for `RustyRacer::Snapshot.new`.
fn __rr_snapshot_s_new(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: ::rr_glue::magnus::RClass,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Snapshot.new";
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["code"],
        0usize,
        ::std::option::Option::Some(1usize),
    )?;
    let [kw_modules, kw_entry] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["modules", "entry"],
        [false, false],
    )?;
    let modules: ::std::option::Option<
        ::rr_glue::Pairs<::std::string::String, ::std::string::String>,
    > = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "modules",
        kw_modules,
        || ::std::option::Option::None,
    )?;
    let entry: ::std::option::Option<::std::string::String> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "entry",
        kw_entry,
        || ::std::option::Option::None,
    )?;
    let code: ::std::string::String = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "code",
        call.args.get(0usize).copied(),
        || ::std::string::String::from(""),
    )?;
    let result = <crate::Snapshot as SnapshotApi>::new(ruby, code, modules, entry)?;
    Ok(::rr_glue::IntoRuby::into_ruby(ruby.obj_wrap_as(result, rb_self), ruby))
}
///Glue for `RustyRacer::Snapshot.load`.
fn __rr_snapshot_s_load(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: ::rr_glue::magnus::RClass,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Snapshot.load";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["blob"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let blob: ::rr_glue::Binary = ::rr_glue::arg(
        ruby,
        METHOD,
        "blob",
        call.args[0usize],
    )?;
    let result = <crate::Snapshot as SnapshotApi>::load(ruby, blob)?;
    Ok(::rr_glue::IntoRuby::into_ruby(ruby.obj_wrap_as(result, rb_self), ruby))
}
///Glue for `RustyRacer::Snapshot#warmup!`.
fn __rr_snapshot_warmup_bang(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self_obj: ::rr_glue::magnus::typed_data::Obj<crate::Snapshot>,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Snapshot#warmup!";
    let rb_self: &crate::Snapshot = &rb_self_obj;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["code"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let code: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "code",
        call.args[0usize],
    )?;
    let result = <crate::Snapshot as SnapshotApi>::warmup_bang(rb_self, ruby, code)?;
    let () = result;
    Ok(::rr_glue::magnus::value::ReprValue::as_value(rb_self_obj))
}
///Glue for `RustyRacer::Snapshot#dump`.
fn __rr_snapshot_dump(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Snapshot,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Snapshot#dump";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Snapshot as SnapshotApi>::dump(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacer::Snapshot#size`.
fn __rr_snapshot_size(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Snapshot,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacer::Snapshot#size";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Snapshot as SnapshotApi>::size(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_snapshot_impl_is(_: &crate::Snapshot)
where
    crate::Snapshot: SnapshotApi,
{}
#[allow(dead_code)]
fn __rr_top_module_impl_is(_: &crate::RustyRacer)
where
    crate::RustyRacer: RustyRacerApi,
{}
