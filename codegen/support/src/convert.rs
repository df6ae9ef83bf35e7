//! Typed conversions for IDL types, both ways. An argument of the wrong type
//! raises TypeError `Class#method: name must be <expected> (got <what>)`.

use magnus::{
    block::Proc, prelude::*, rb_sys::AsRawValue, typed_data::Obj, Error, Float, Integer, RArray, RHash, RString, Ruby,
    Symbol, TypedData, Value,
};

/// A value of an IDL type as an argument.
pub trait FromArg: Sized {
    /// What the argument must be, as it reads after "must be": "a String".
    fn expected(ruby: &Ruby) -> String;
    /// The converted value, or what was given instead.
    fn from_arg(ruby: &Ruby, value: Value) -> Result<Self, Mismatch>;
}

/// Why an argument was refused: the wrong type (TypeError), the right
/// type out of range (RangeError), or a value the type does not list (a
/// Symbol outside an enum: ArgumentError). Each holds a description of
/// what was given.
#[derive(Debug)]
pub enum Mismatch {
    Type(String),
    Range(String),
    Value(String),
    /// A String in the wrong encoding (EncodingError).
    Encoding(String),
}

impl From<String> for Mismatch {
    fn from(got: String) -> Self {
        Mismatch::Type(got)
    }
}

impl Mismatch {
    /// The same mismatch, found inside a container (`what` describes where).
    fn within(self, what: impl FnOnce(String) -> String) -> Mismatch {
        match self {
            Mismatch::Type(got) => Mismatch::Type(what(got)),
            Mismatch::Range(got) => Mismatch::Range(what(got)),
            Mismatch::Value(got) => Mismatch::Value(what(got)),
            Mismatch::Encoding(got) => Mismatch::Encoding(what(got)),
        }
    }
}

/// A value of an IDL type as a return value.
pub trait IntoRuby {
    fn into_ruby(self, ruby: &Ruby) -> Value;
}

/// Converts argument `name` of `method`, or raises TypeError naming both.
#[inline]
pub fn arg<T: FromArg>(ruby: &Ruby, method: &str, name: &str, value: Value) -> Result<T, Error> {
    match T::from_arg(ruby, value) {
        Ok(v) => Ok(v),
        Err(got) => Err(type_error::<T>(ruby, method, name, got)),
    }
}

/// An optional argument: converted if given, else `default()`.
#[inline]
pub fn arg_or<T: FromArg>(
    ruby: &Ruby,
    method: &str,
    name: &str,
    value: Option<Value>,
    default: impl FnOnce() -> T,
) -> Result<T, Error> {
    match value {
        Some(v) => arg(ruby, method, name, v),
        None => Ok(default()),
    }
}

/// A required keyword (`keywords` has checked it was given).
#[inline]
pub fn required_keyword<T: FromArg>(ruby: &Ruby, method: &str, name: &str, value: Option<Value>) -> Result<T, Error> {
    match value {
        Some(v) => arg(ruby, method, name, v),
        None => Err(Error::new(ruby.exception_arg_error(), format!("{method}: missing keyword: :{name}"))),
    }
}

#[cold]
fn type_error<T: FromArg>(ruby: &Ruby, method: &str, name: &str, got: Mismatch) -> Error {
    let (class, got) = match got {
        Mismatch::Type(got) => (ruby.exception_type_error(), got),
        Mismatch::Range(got) => (ruby.exception_range_error(), got),
        Mismatch::Value(got) => (ruby.exception_arg_error(), got),
        Mismatch::Encoding(got) => (ruby.exception_encoding_error(), got),
    };
    Error::new(class, format!("{method}: {name} must be {} (got {got})", T::expected(ruby)))
}

/// Converts the splat `name` of `method`: each element, named `name[i]`.
pub fn rest<T: FromArg>(ruby: &Ruby, method: &str, name: &str, values: &[Value]) -> Result<Vec<T>, Error> {
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        match T::from_arg(ruby, *value) {
            Ok(v) => out.push(v),
            Err(got) => return Err(type_error::<T>(ruby, method, &format!("{name}[{i}]"), got)),
        }
    }
    Ok(out)
}

/// IDL `Binary`: the bytes of a String; returned as an ASCII-8BIT String.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binary(pub Vec<u8>);

/// IDL `Symbol`: the symbol's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolName(pub String);

/// IDL `Callable`: a value that responds to `call`. It is kept alive by the
/// caller's arguments only for the duration of the call: mark it to keep it.
#[derive(Clone, Copy)]
pub struct Callable(pub Value);

/// IDL `Hash[K, V]`, in the Hash's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Pairs<K, V>(pub Vec<(K, V)>);

#[cold]
fn class_of(value: Value) -> String {
    value.class().inspect()
}

impl FromArg for String {
    fn expected(_: &Ruby) -> String {
        "a String".into()
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let s = RString::from_value(value).ok_or_else(|| class_of(value))?;
        s.to_string()
            .map_err(|_| "a String that is not valid in its encoding or not convertible to UTF-8".to_string().into())
    }
}

impl FromArg for Binary {
    fn expected(_: &Ruby) -> String {
        "a binary (ASCII-8BIT) String".into()
    }
    #[inline]
    fn from_arg(ruby: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let s = RString::from_value(value).ok_or_else(|| class_of(value))?;
        // Text is not bytes: a UTF-8 String read back from a file in text
        // mode has lost what a binary one keeps.
        if s.enc_get() != ruby.ascii8bit_encindex() {
            return Err(Mismatch::Encoding(format!(
                "a {} String",
                magnus::encoding::RbEncoding::from(s.enc_get()).name()
            )));
        }
        // SAFETY: the slice is copied before any Ruby code can run.
        Ok(Binary(unsafe { s.as_slice() }.to_vec()))
    }
}

impl FromArg for i64 {
    fn expected(_: &Ruby) -> String {
        "an Integer".into()
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let i = Integer::from_value(value).ok_or_else(|| class_of(value))?;
        i.to_i64().map_err(|_| Mismatch::Range(format!("{}, outside the 64-bit range", value.inspect())))
    }
}

impl FromArg for f64 {
    fn expected(_: &Ruby) -> String {
        "a Float or an Integer".into()
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        if let Some(f) = Float::from_value(value) {
            return Ok(f.to_f64());
        }
        if Integer::from_value(value).is_none() {
            return Err(class_of(value).into());
        }
        f64::try_convert(value).map_err(|_| Mismatch::Range(format!("{}, too large for a Float", value.inspect())))
    }
}

impl FromArg for bool {
    fn expected(_: &Ruby) -> String {
        "true or false".into()
    }
    #[inline]
    fn from_arg(ruby: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let raw = value.as_raw();
        if raw == ruby.qtrue().as_raw() {
            Ok(true)
        } else if raw == ruby.qfalse().as_raw() {
            Ok(false)
        } else {
            Err(class_of(value).into())
        }
    }
}

impl FromArg for SymbolName {
    fn expected(_: &Ruby) -> String {
        "a Symbol".into()
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let sym = Symbol::from_value(value).ok_or_else(|| class_of(value))?;
        sym.name().map(|n| SymbolName(n.into_owned())).map_err(|_| "a Symbol with an invalid name".to_string().into())
    }
}

impl FromArg for Value {
    fn expected(_: &Ruby) -> String {
        "any object".into()
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        Ok(value)
    }
}

impl FromArg for Callable {
    fn expected(_: &Ruby) -> String {
        "callable (respond to #call)".into()
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        if Proc::from_value(value).is_some() || value.respond_to("call", false).unwrap_or(false) {
            Ok(Callable(value))
        } else {
            Err(format!("{}, which does not respond to #call", class_of(value)).into())
        }
    }
}

impl<T: FromArg> FromArg for Option<T> {
    fn expected(ruby: &Ruby) -> String {
        format!("nil or {}", T::expected(ruby))
    }
    #[inline]
    fn from_arg(ruby: &Ruby, value: Value) -> Result<Self, Mismatch> {
        if value.is_nil() {
            Ok(None)
        } else {
            T::from_arg(ruby, value).map(Some)
        }
    }
}

impl<T: FromArg> FromArg for Vec<T> {
    fn expected(ruby: &Ruby) -> String {
        format!("an Array whose elements are each {}", T::expected(ruby))
    }
    #[inline]
    fn from_arg(ruby: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let array = RArray::from_value(value).ok_or_else(|| class_of(value))?;
        let mut out = Vec::with_capacity(array.len());
        for (i, item) in array.into_iter().enumerate() {
            out.push(
                T::from_arg(ruby, item).map_err(|m| m.within(|got| format!("an Array whose element {i} is {got}")))?,
            );
        }
        Ok(out)
    }
}

impl<K: FromArg, V: FromArg> FromArg for Pairs<K, V> {
    fn expected(ruby: &Ruby) -> String {
        format!("a Hash whose keys are each {} and values each {}", K::expected(ruby), V::expected(ruby))
    }
    #[inline]
    fn from_arg(ruby: &Ruby, value: Value) -> Result<Self, Mismatch> {
        let hash = RHash::from_value(value).ok_or_else(|| class_of(value))?;
        let mut out = Vec::with_capacity(hash.len());
        let mut bad = None;
        let _ = hash.foreach(|k: Value, v: Value| {
            let pair = K::from_arg(ruby, k)
                .map_err(|m| m.within(|got| format!("a Hash with a key that is {got}")))
                .and_then(|k| {
                    V::from_arg(ruby, v)
                        .map(|v| (k, v))
                        .map_err(|m| m.within(|got| format!("a Hash with a value that is {got}")))
                });
            match pair {
                Ok(pair) => {
                    out.push(pair);
                    Ok(magnus::r_hash::ForEach::Continue)
                }
                Err(e) => {
                    bad = Some(e);
                    Ok(magnus::r_hash::ForEach::Stop)
                }
            }
        });
        match bad {
            Some(e) => Err(e),
            None => Ok(Pairs(out)),
        }
    }
}

impl<T: TypedData> FromArg for Obj<T> {
    fn expected(ruby: &Ruby) -> String {
        format!("a {}", T::class(ruby).inspect())
    }
    #[inline]
    fn from_arg(_: &Ruby, value: Value) -> Result<Self, Mismatch> {
        Obj::<T>::try_convert(value).map_err(|_| class_of(value).into())
    }
}

impl IntoRuby for () {
    fn into_ruby(self, ruby: &Ruby) -> Value {
        ruby.qnil().as_value()
    }
}

macro_rules! into_ruby_via_into_value {
    ($($t:ty),*) => {$(
        impl IntoRuby for $t {
            #[inline]
            fn into_ruby(self, ruby: &Ruby) -> Value {
                ruby.into_value(self)
            }
        }
    )*};
}
into_ruby_via_into_value!(bool, i64, f64, String, Value, RHash, RArray);

impl IntoRuby for Binary {
    fn into_ruby(self, ruby: &Ruby) -> Value {
        ruby.str_from_slice(&self.0).as_value()
    }
}

impl IntoRuby for SymbolName {
    fn into_ruby(self, ruby: &Ruby) -> Value {
        ruby.to_symbol(&self.0).as_value()
    }
}

impl IntoRuby for Callable {
    fn into_ruby(self, _: &Ruby) -> Value {
        self.0
    }
}

impl<T: TypedData> IntoRuby for Obj<T> {
    fn into_ruby(self, _: &Ruby) -> Value {
        self.as_value()
    }
}

impl<T: IntoRuby> IntoRuby for Option<T> {
    fn into_ruby(self, ruby: &Ruby) -> Value {
        match self {
            Some(v) => v.into_ruby(ruby),
            None => ruby.qnil().as_value(),
        }
    }
}

impl<T: IntoRuby> IntoRuby for Vec<T> {
    fn into_ruby(self, ruby: &Ruby) -> Value {
        let array = ruby.ary_new_capa(self.len());
        for item in self {
            // push only fails on a frozen array, and this one is new.
            let _ = array.push(item.into_ruby(ruby));
        }
        array.as_value()
    }
}

impl<K: IntoRuby, V: IntoRuby> IntoRuby for Pairs<K, V> {
    fn into_ruby(self, ruby: &Ruby) -> Value {
        let hash = ruby.hash_new();
        for (k, v) in self.0 {
            // aset only fails on a frozen hash, and this one is new.
            let _ = hash.aset(k.into_ruby(ruby), v.into_ruby(ruby));
        }
        hash.as_value()
    }
}
