// Generated from codegen/tests/fixture/idl/*.yaml by rr-idl: the expansion of `rr_idl_macros::idl!`.
// Do not edit: run bin/generate. Committed so every API change is a reviewable diff.

/// The Ruby module's name.
pub const MODULE_NAME: &str = "RustyRacerFixture";
/// The module's error classes, created once by `define_errors`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// `RustyRacerFixture::Error` < `StandardError`: Base class of the fixture's errors.
    Error,
    /// `RustyRacerFixture::WidgetError` < `Error`: Raised by Widget#fail!.
    WidgetError,
    /// `RustyRacerFixture::DisposedError` < `Error`: A disposed Widget was used.
    DisposedError,
    /// `RustyRacerFixture::WrongThreadError` < `Error`: A Widget was used from a thread other than the one that created it.
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
        4usize,
    );
    let class = module.define_error("Error", ruby.exception_standard_error())?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("WidgetError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("DisposedError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let class = module.define_error("WrongThreadError", classes[0usize])?;
    ::rr_glue::magnus::gc::register_mark_object(class);
    classes.push(class);
    let _ = ERROR_CLASSES
        .set(classes.into_iter().map(::rr_glue::magnus::value::Opaque::from).collect());
    Ok(())
}
/// How a Widget works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Fast,
    Safe,
}
impl Mode {
    /// The Ruby symbol's name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Fast => "fast",
            Self::Safe => "safe",
        }
    }
}
impl ::rr_glue::FromArg for Mode {
    fn expected(_: &::rr_glue::magnus::Ruby) -> ::std::string::String {
        "one of :fast, :safe".into()
    }
    fn from_arg(
        ruby: &::rr_glue::magnus::Ruby,
        value: ::rr_glue::magnus::Value,
    ) -> ::std::result::Result<Self, ::rr_glue::Mismatch> {
        let ::rr_glue::SymbolName(name) = ::rr_glue::FromArg::from_arg(ruby, value)?;
        match name.as_str() {
            "fast" => Ok(Self::Fast),
            "safe" => Ok(Self::Safe),
            _ => Err(::rr_glue::Mismatch::Value(::std::format!(":{name}"))),
        }
    }
}
impl ::rr_glue::IntoRuby for Mode {
    fn into_ruby(self, ruby: &::rr_glue::magnus::Ruby) -> ::rr_glue::magnus::Value {
        ::rr_glue::IntoRuby::into_ruby(::rr_glue::SymbolName(self.name().into()), ruby)
    }
}
/// The module functions of `RustyRacerFixture`, implemented by `crate::RustyRacerFixture`.
///
/// A fixture extension that uses every feature of the IDL generator, so
/// the generated glue can be tested through a real Ruby extension.
pub trait RustyRacerFixtureApi {
    /// `RustyRacerFixture.add(a, b) -> Integer` (any thread)
    ///
    /// Adds two Integers (the generated side of the glue benchmark).
    #[allow(clippy::too_many_arguments)]
    fn add(
        ruby: &::rr_glue::magnus::Ruby,
        a: i64,
        b: i64,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
    /// `RustyRacerFixture.echo(value) -> Object` (any thread)
    ///
    /// Returns its argument untouched.
    #[allow(clippy::too_many_arguments)]
    fn echo(
        ruby: &::rr_glue::magnus::Ruby,
        value: ::rr_glue::magnus::Value,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `RustyRacerFixture.reverse_bytes(data) -> Binary` (any thread)
    ///
    /// Returns the bytes reversed, as an ASCII-8BIT String.
    #[allow(clippy::too_many_arguments)]
    fn reverse_bytes(
        ruby: &::rr_glue::magnus::Ruby,
        data: ::rr_glue::Binary,
    ) -> ::std::result::Result<::rr_glue::Binary, ::rr_glue::magnus::Error>;
    /// `RustyRacerFixture.flip(mode) -> Mode` (any thread)
    ///
    /// Returns the other Mode.
    #[allow(clippy::too_many_arguments)]
    fn flip(
        ruby: &::rr_glue::magnus::Ruby,
        mode: Mode,
    ) -> ::std::result::Result<Mode, ::rr_glue::magnus::Error>;
    /// `RustyRacerFixture.invert(table) -> Hash[Integer, String]` (any thread)
    ///
    /// Swaps keys and values.
    #[allow(clippy::too_many_arguments)]
    fn invert(
        ruby: &::rr_glue::magnus::Ruby,
        table: ::rr_glue::Pairs<::std::string::String, i64>,
    ) -> ::std::result::Result<
        ::rr_glue::Pairs<i64, ::std::string::String>,
        ::rr_glue::magnus::Error,
    >;
    /// `RustyRacerFixture.shout(text) -> String?` (any thread)
    ///
    /// Upcases a String, or returns nil for nil.
    #[allow(clippy::too_many_arguments)]
    fn shout(
        ruby: &::rr_glue::magnus::Ruby,
        text: ::std::option::Option<::std::string::String>,
    ) -> ::std::result::Result<
        ::std::option::Option<::std::string::String>,
        ::rr_glue::magnus::Error,
    >;
    /// `RustyRacerFixture.describe(flag, ratio, sym, list, nested) -> String` (any thread)
    ///
    /// Describes typed values as Rust sees them (Debug format), to check conversions.
    #[allow(clippy::too_many_arguments)]
    fn describe(
        ruby: &::rr_glue::magnus::Ruby,
        flag: bool,
        ratio: f64,
        sym: ::rr_glue::SymbolName,
        list: ::std::vec::Vec<i64>,
        nested: ::std::vec::Vec<
            ::std::vec::Vec<::std::option::Option<::std::string::String>>,
        >,
    ) -> ::std::result::Result<::std::string::String, ::rr_glue::magnus::Error>;
    /// `RustyRacerFixture.symbols(names) -> Array[Symbol]` (any thread)
    ///
    /// Returns the given names as Symbols.
    #[allow(clippy::too_many_arguments)]
    fn symbols(
        ruby: &::rr_glue::magnus::Ruby,
        names: ::std::vec::Vec<::std::string::String>,
    ) -> ::std::result::Result<
        ::std::vec::Vec<::rr_glue::SymbolName>,
        ::rr_glue::magnus::Error,
    >;
}
/// Defines the module with its errors, constants and functions (not its classes).
pub fn define_top_module(
    ruby: &::rr_glue::magnus::Ruby,
) -> ::std::result::Result<::rr_glue::magnus::RModule, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let module = ruby.define_module("RustyRacerFixture")?;
    define_errors(ruby, module)?;
    module.const_set("ANSWER", ::rr_glue::IntoRuby::into_ruby(42i64, ruby))?;
    module
        .const_set(
            "GREETING",
            ::rr_glue::IntoRuby::into_ruby(::std::string::String::from("hello"), ruby),
        )?;
    module
        .define_module_function(
            "add",
            ::rr_glue::magnus::function!(__rr_module_s_add, - 1),
        )?;
    module
        .define_module_function(
            "echo",
            ::rr_glue::magnus::function!(__rr_module_s_echo, - 1),
        )?;
    module
        .define_module_function(
            "reverse_bytes",
            ::rr_glue::magnus::function!(__rr_module_s_reverse_bytes, - 1),
        )?;
    module
        .define_module_function(
            "flip",
            ::rr_glue::magnus::function!(__rr_module_s_flip, - 1),
        )?;
    module
        .define_module_function(
            "invert",
            ::rr_glue::magnus::function!(__rr_module_s_invert, - 1),
        )?;
    module
        .define_module_function(
            "shout",
            ::rr_glue::magnus::function!(__rr_module_s_shout, - 1),
        )?;
    module
        .define_module_function(
            "describe",
            ::rr_glue::magnus::function!(__rr_module_s_describe, - 1),
        )?;
    module
        .define_module_function(
            "symbols",
            ::rr_glue::magnus::function!(__rr_module_s_symbols, - 1),
        )?;
    Ok(module)
}
/// Defines everything: the module, then each class.
pub fn init(
    ruby: &::rr_glue::magnus::Ruby,
) -> ::std::result::Result<::rr_glue::magnus::RModule, ::rr_glue::magnus::Error> {
    let module = define_top_module(ruby)?;
    define_widget(ruby, module)?;
    Ok(module)
}
///Glue for `RustyRacerFixture.add`.
fn __rr_module_s_add(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.add";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["a", "b"],
        2usize,
        ::std::option::Option::Some(2usize),
    )?;
    let a: i64 = ::rr_glue::arg(ruby, METHOD, "a", call.args[0usize])?;
    let b: i64 = ::rr_glue::arg(ruby, METHOD, "b", call.args[1usize])?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::add(ruby, a, b)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.echo`.
fn __rr_module_s_echo(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.echo";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["value"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let value: ::rr_glue::magnus::Value = ::rr_glue::arg(
        ruby,
        METHOD,
        "value",
        call.args[0usize],
    )?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::echo(ruby, value)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.reverse_bytes`.
fn __rr_module_s_reverse_bytes(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.reverse_bytes";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["data"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let data: ::rr_glue::Binary = ::rr_glue::arg(
        ruby,
        METHOD,
        "data",
        call.args[0usize],
    )?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::reverse_bytes(
        ruby,
        data,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.flip`.
fn __rr_module_s_flip(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.flip";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["mode"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let mode: Mode = ::rr_glue::arg(ruby, METHOD, "mode", call.args[0usize])?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::flip(ruby, mode)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.invert`.
fn __rr_module_s_invert(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.invert";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["table"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let table: ::rr_glue::Pairs<::std::string::String, i64> = ::rr_glue::arg(
        ruby,
        METHOD,
        "table",
        call.args[0usize],
    )?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::invert(
        ruby,
        table,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.shout`.
fn __rr_module_s_shout(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.shout";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["text"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let text: ::std::option::Option<::std::string::String> = ::rr_glue::arg(
        ruby,
        METHOD,
        "text",
        call.args[0usize],
    )?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::shout(ruby, text)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.describe`.
fn __rr_module_s_describe(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.describe";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["flag", "ratio", "sym", "list", "nested"],
        5usize,
        ::std::option::Option::Some(5usize),
    )?;
    let flag: bool = ::rr_glue::arg(ruby, METHOD, "flag", call.args[0usize])?;
    let ratio: f64 = ::rr_glue::arg(ruby, METHOD, "ratio", call.args[1usize])?;
    let sym: ::rr_glue::SymbolName = ::rr_glue::arg(
        ruby,
        METHOD,
        "sym",
        call.args[2usize],
    )?;
    let list: ::std::vec::Vec<i64> = ::rr_glue::arg(
        ruby,
        METHOD,
        "list",
        call.args[3usize],
    )?;
    let nested: ::std::vec::Vec<
        ::std::vec::Vec<::std::option::Option<::std::string::String>>,
    > = ::rr_glue::arg(ruby, METHOD, "nested", call.args[4usize])?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::describe(
        ruby,
        flag,
        ratio,
        sym,
        list,
        nested,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture.symbols`.
fn __rr_module_s_symbols(
    ruby: &::rr_glue::magnus::Ruby,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture.symbols";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["names"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let names: ::std::vec::Vec<::std::string::String> = ::rr_glue::arg(
        ruby,
        METHOD,
        "names",
        call.args[0usize],
    )?;
    let result = <crate::RustyRacerFixture as RustyRacerFixtureApi>::symbols(
        ruby,
        names,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
/// `RustyRacerFixture::Widget`, implemented by `crate::Widget`.
///
/// A disposable fixture object confined to the thread that created it.
pub trait WidgetApi: Sized + ::rr_glue::magnus::TypedData {
    /// The thread that owns this object (for `threading: owner`
    /// methods); None when any thread may use it.
    fn guard_owner_thread(&self) -> ::std::option::Option<::rr_glue::ThreadToken>;
    /// Whether this object is disposed (checked before every method not marked allow_disposed).
    fn guard_is_disposed(&self) -> bool;
    /// `Widget.new(name, size = 1, *tags, mode: :fast, label: nil, ratio: 1.5, strict: false) -> Widget` (any thread)
    ///
    /// Makes a Widget.
    #[allow(clippy::too_many_arguments)]
    fn new(
        ruby: &::rr_glue::magnus::Ruby,
        name: ::std::string::String,
        size: i64,
        tags: ::std::vec::Vec<::std::string::String>,
        mode: Mode,
        label: ::std::option::Option<::std::string::String>,
        ratio: f64,
        strict: bool,
    ) -> ::std::result::Result<Self, ::rr_glue::magnus::Error>;
    /// `Widget#settings() -> Hash[Symbol, Object]` (owner thread)
    ///
    /// Every setting, to check that defaults were applied.
    #[allow(clippy::too_many_arguments)]
    fn settings(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<
        ::rr_glue::Pairs<::rr_glue::SymbolName, ::rr_glue::magnus::Value>,
        ::rr_glue::magnus::Error,
    >;
    /// `Widget#add(a, b) -> Integer` (owner thread)
    ///
    /// Adds two Integers (the generated side of the owner-method benchmark).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        a: i64,
        b: i64,
    ) -> ::std::result::Result<i64, ::rr_glue::magnus::Error>;
    /// `Widget#each_tag(&block) -> Array[Object]` (owner thread)
    ///
    /// Yields each tag and returns what the block returned.
    #[allow(clippy::too_many_arguments)]
    fn each_tag(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        block: ::rr_glue::magnus::block::Proc,
    ) -> ::std::result::Result<
        ::std::vec::Vec<::rr_glue::magnus::Value>,
        ::rr_glue::magnus::Error,
    >;
    /// `Widget#transform(value, &block) -> Object` (owner thread)
    ///
    /// Passes value through the block when one is given.
    #[allow(clippy::too_many_arguments)]
    fn transform(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        value: ::rr_glue::magnus::Value,
        block: ::std::option::Option<::rr_glue::magnus::block::Proc>,
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Widget#label=(label) -> nil` (owner thread)
    ///
    /// Sets or clears the label.
    #[allow(clippy::too_many_arguments)]
    fn set_label(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        label: ::std::option::Option<::std::string::String>,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Widget#configure(depth:, verbose: false) -> String` (owner thread)
    ///
    /// Takes a required keyword and an optional one.
    #[allow(clippy::too_many_arguments)]
    fn configure(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        depth: i64,
        verbose: bool,
    ) -> ::std::result::Result<::std::string::String, ::rr_glue::magnus::Error>;
    /// `Widget#same_name?(other) -> Boolean` (owner thread)
    ///
    /// Whether another Widget has the same name.
    #[allow(clippy::too_many_arguments)]
    fn is_same_name(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        other: ::rr_glue::magnus::typed_data::Obj<crate::Widget>,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
    /// `Widget#call_with(callable, *rest) -> Object` (owner thread)
    ///
    /// Calls a callable with the remaining arguments.
    #[allow(clippy::too_many_arguments)]
    fn call_with(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        callable: ::rr_glue::Callable,
        rest: &[::rr_glue::magnus::Value],
    ) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error>;
    /// `Widget#ping() -> String` (any thread)
    ///
    /// Answers "pong" from any thread.
    #[allow(clippy::too_many_arguments)]
    fn ping(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<::std::string::String, ::rr_glue::magnus::Error>;
    /// `Widget#fail!(message) -> nil` (owner thread)
    ///
    /// Raises WidgetError with the message.
    ///
    /// Raises: WidgetError.
    #[allow(clippy::too_many_arguments)]
    fn fail_bang(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
        message: ::std::string::String,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Widget#dispose() -> nil` (owner thread)
    ///
    /// Disposes the Widget; later calls raise DisposedError. Idempotent.
    #[allow(clippy::too_many_arguments)]
    fn dispose(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<(), ::rr_glue::magnus::Error>;
    /// `Widget#disposed?() -> Boolean` (any thread)
    ///
    /// Whether dispose was called.
    #[allow(clippy::too_many_arguments)]
    fn is_disposed(
        &self,
        ruby: &::rr_glue::magnus::Ruby,
    ) -> ::std::result::Result<bool, ::rr_glue::magnus::Error>;
}
///Defines `RustyRacerFixture::Widget` under `module`.
pub fn define_widget(
    ruby: &::rr_glue::magnus::Ruby,
    module: ::rr_glue::magnus::RModule,
) -> ::std::result::Result<::rr_glue::magnus::RClass, ::rr_glue::magnus::Error> {
    use ::rr_glue::magnus::prelude::*;
    let class = module.define_class("Widget", ruby.class_object())?;
    class.undef_default_alloc_func();
    class
        .define_singleton_method(
            "new",
            ::rr_glue::magnus::method!(__rr_widget_s_new, - 1),
        )?;
    class
        .define_method(
            "settings",
            ::rr_glue::magnus::method!(__rr_widget_settings, - 1),
        )?;
    class.define_method("add", ::rr_glue::magnus::method!(__rr_widget_add, - 1))?;
    class
        .define_method(
            "each_tag",
            ::rr_glue::magnus::method!(__rr_widget_each_tag, - 1),
        )?;
    class
        .define_method(
            "transform",
            ::rr_glue::magnus::method!(__rr_widget_transform, - 1),
        )?;
    class
        .define_method(
            "label=",
            ::rr_glue::magnus::method!(__rr_widget_set_label, - 1),
        )?;
    class
        .define_method(
            "configure",
            ::rr_glue::magnus::method!(__rr_widget_configure, - 1),
        )?;
    class
        .define_method(
            "same_name?",
            ::rr_glue::magnus::method!(__rr_widget_is_same_name, - 1),
        )?;
    class
        .define_method(
            "call_with",
            ::rr_glue::magnus::method!(__rr_widget_call_with, - 1),
        )?;
    class.define_method("ping", ::rr_glue::magnus::method!(__rr_widget_ping, - 1))?;
    class
        .define_method("fail!", ::rr_glue::magnus::method!(__rr_widget_fail_bang, - 1))?;
    class
        .define_method("dispose", ::rr_glue::magnus::method!(__rr_widget_dispose, - 1))?;
    class
        .define_method(
            "disposed?",
            ::rr_glue::magnus::method!(__rr_widget_is_disposed, - 1),
        )?;
    Ok(class)
}
///The owner-thread and disposed checks of `RustyRacerFixture::Widget` methods.
#[inline]
#[allow(unused_variables)]
fn __rr_widget_guard(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    method: &str,
    owner: bool,
    disposed: bool,
) -> ::std::result::Result<(), ::rr_glue::magnus::Error> {
    if owner
        && <crate::Widget as WidgetApi>::guard_owner_thread(rb_self)
            .is_some_and(|t| t != ::rr_glue::current_thread())
    {
        return Err(
            ::rr_glue::wrong_thread(
                ErrorClass::WrongThreadError.class(ruby),
                method,
                "Widget#ping, Widget#disposed?",
            ),
        );
    }
    if disposed && <crate::Widget as WidgetApi>::guard_is_disposed(rb_self) {
        return Err(
            ::rr_glue::disposed(
                ErrorClass::DisposedError.class(ruby),
                method,
                "this Widget",
            ),
        );
    }
    Ok(())
}
///Glue for `RustyRacerFixture::Widget.new`.
fn __rr_widget_s_new(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: ::rr_glue::magnus::RClass,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget.new";
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["name", "size", "tags"],
        1usize,
        ::std::option::Option::None,
    )?;
    let [kw_mode, kw_label, kw_ratio, kw_strict] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["mode", "label", "ratio", "strict"],
        [false, false, false, false],
    )?;
    let mode: Mode = ::rr_glue::arg_or(ruby, METHOD, "mode", kw_mode, || Mode::Fast)?;
    let label: ::std::option::Option<::std::string::String> = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "label",
        kw_label,
        || ::std::option::Option::None,
    )?;
    let ratio: f64 = ::rr_glue::arg_or(ruby, METHOD, "ratio", kw_ratio, || 1.5f64)?;
    let strict: bool = ::rr_glue::arg_or(ruby, METHOD, "strict", kw_strict, || false)?;
    let name: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "name",
        call.args[0usize],
    )?;
    let size: i64 = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "size",
        call.args.get(1usize).copied(),
        || 1i64,
    )?;
    let tags: ::std::vec::Vec<::std::string::String> = ::rr_glue::rest(
        ruby,
        METHOD,
        "tags",
        &call.args[2usize.min(call.args.len())..],
    )?;
    let result = <crate::Widget as WidgetApi>::new(
        ruby,
        name,
        size,
        tags,
        mode,
        label,
        ratio,
        strict,
    )?;
    Ok(::rr_glue::IntoRuby::into_ruby(ruby.obj_wrap_as(result, rb_self), ruby))
}
///Glue for `RustyRacerFixture::Widget#settings`.
fn __rr_widget_settings(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#settings";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Widget as WidgetApi>::settings(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#add`.
fn __rr_widget_add(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#add";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["a", "b"],
        2usize,
        ::std::option::Option::Some(2usize),
    )?;
    let a: i64 = ::rr_glue::arg(ruby, METHOD, "a", call.args[0usize])?;
    let b: i64 = ::rr_glue::arg(ruby, METHOD, "b", call.args[1usize])?;
    let result = <crate::Widget as WidgetApi>::add(rb_self, ruby, a, b)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#each_tag`.
fn __rr_widget_each_tag(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#each_tag";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
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
    let result = <crate::Widget as WidgetApi>::each_tag(rb_self, ruby, block)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#transform`.
fn __rr_widget_transform(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#transform";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["value"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let value: ::rr_glue::magnus::Value = ::rr_glue::arg(
        ruby,
        METHOD,
        "value",
        call.args[0usize],
    )?;
    let block = ::rr_glue::block(ruby, METHOD)?;
    let result = <crate::Widget as WidgetApi>::transform(rb_self, ruby, value, block)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#label=`.
fn __rr_widget_set_label(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#label=";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["label"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let label: ::std::option::Option<::std::string::String> = ::rr_glue::arg(
        ruby,
        METHOD,
        "label",
        call.args[0usize],
    )?;
    let result = <crate::Widget as WidgetApi>::set_label(rb_self, ruby, label)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#configure`.
fn __rr_widget_configure(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#configure";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, true);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let [kw_depth, kw_verbose] = ::rr_glue::keywords(
        ruby,
        METHOD,
        call.keywords,
        ["depth", "verbose"],
        [true, false],
    )?;
    let depth: i64 = ::rr_glue::required_keyword(ruby, METHOD, "depth", kw_depth)?;
    let verbose: bool = ::rr_glue::arg_or(
        ruby,
        METHOD,
        "verbose",
        kw_verbose,
        || false,
    )?;
    let result = <crate::Widget as WidgetApi>::configure(rb_self, ruby, depth, verbose)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#same_name?`.
fn __rr_widget_is_same_name(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#same_name?";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["other"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let other: ::rr_glue::magnus::typed_data::Obj<crate::Widget> = ::rr_glue::arg(
        ruby,
        METHOD,
        "other",
        call.args[0usize],
    )?;
    let result = <crate::Widget as WidgetApi>::is_same_name(rb_self, ruby, other)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#call_with`.
fn __rr_widget_call_with(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#call_with";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["callable", "rest"],
        1usize,
        ::std::option::Option::None,
    )?;
    let callable: ::rr_glue::Callable = ::rr_glue::arg(
        ruby,
        METHOD,
        "callable",
        call.args[0usize],
    )?;
    let rest: &[::rr_glue::magnus::Value] = &call.args[1usize.min(call.args.len())..];
    let result = <crate::Widget as WidgetApi>::call_with(rb_self, ruby, callable, rest)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#ping`.
fn __rr_widget_ping(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#ping";
    __rr_widget_guard(ruby, rb_self, METHOD, false, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Widget as WidgetApi>::ping(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#fail!`.
fn __rr_widget_fail_bang(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#fail!";
    __rr_widget_guard(ruby, rb_self, METHOD, true, true)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &["message"],
        1usize,
        ::std::option::Option::Some(1usize),
    )?;
    let message: ::std::string::String = ::rr_glue::arg(
        ruby,
        METHOD,
        "message",
        call.args[0usize],
    )?;
    let result = <crate::Widget as WidgetApi>::fail_bang(rb_self, ruby, message)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#dispose`.
fn __rr_widget_dispose(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#dispose";
    __rr_widget_guard(ruby, rb_self, METHOD, true, false)?;
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Widget as WidgetApi>::dispose(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
///Glue for `RustyRacerFixture::Widget#disposed?`.
fn __rr_widget_is_disposed(
    ruby: &::rr_glue::magnus::Ruby,
    rb_self: &crate::Widget,
    args: &[::rr_glue::magnus::Value],
) -> ::std::result::Result<::rr_glue::magnus::Value, ::rr_glue::magnus::Error> {
    const METHOD: &str = "RustyRacerFixture::Widget#disposed?";
    let call = ::rr_glue::positional(args, false);
    ::rr_glue::check_arity(
        ruby,
        METHOD,
        call.args.len(),
        &[],
        0usize,
        ::std::option::Option::Some(0usize),
    )?;
    let result = <crate::Widget as WidgetApi>::is_disposed(rb_self, ruby)?;
    Ok(::rr_glue::IntoRuby::into_ruby(result, ruby))
}
#[allow(dead_code)]
fn __rr_widget_impl_is(_: &crate::Widget)
where
    crate::Widget: WidgetApi,
{}
#[allow(dead_code)]
fn __rr_top_module_impl_is(_: &crate::RustyRacerFixture)
where
    crate::RustyRacerFixture: RustyRacerFixtureApi,
{}
