//! The walk from a JS value to a host value. The host builds its own values
//! directly through `HostValues`: no intermediate tree, no JSON.

use crate::error::{ErrorKind, Failure, JsError};

/// Builds host values as the walk meets JS values. Containers are created
/// first and filled in place, so a host with a moving or conservative GC
/// never holds children only in Rust memory.
pub trait HostValues {
    type Value: Copy;
    type Error;
    fn undefined(&mut self) -> Result<Self::Value, Self::Error>;
    fn null(&mut self) -> Result<Self::Value, Self::Error>;
    fn boolean(&mut self, value: bool) -> Result<Self::Value, Self::Error>;
    fn integer(&mut self, value: i64) -> Result<Self::Value, Self::Error>;
    /// A BigInt outside 64 bits, in decimal.
    fn big_integer(&mut self, decimal: &str) -> Result<Self::Value, Self::Error>;
    fn float(&mut self, value: f64) -> Result<Self::Value, Self::Error>;
    fn string(&mut self, value: &str) -> Result<Self::Value, Self::Error>;
    /// A Date, in milliseconds since the epoch.
    fn date(&mut self, epoch_ms: f64) -> Result<Self::Value, Self::Error>;
    fn new_array(&mut self, len: usize) -> Result<Self::Value, Self::Error>;
    fn array_push(&mut self, array: Self::Value, item: Self::Value) -> Result<(), Self::Error>;
    fn new_hash(&mut self) -> Result<Self::Value, Self::Error>;
    fn hash_set(&mut self, hash: Self::Value, key: &str, value: Self::Value) -> Result<(), Self::Error>;
    /// A value this walk does not marshal yet (a function, a symbol).
    fn unsupported(&mut self, what: &str) -> Result<Self::Value, Self::Error>;
}

/// Deepest nesting walked before giving up (keeps the native stack safe).
const MAX_DEPTH: usize = 512;

/// Converts `value`. Getters and proxy traps run; if one throws, the result
/// is `Failure::Exception` with the exception pending in `scope`.
pub fn to_host<'s, H: HostValues>(
    scope: &v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
    host: &mut H,
) -> Result<H::Value, Failure<H::Error>> {
    let mut path = Vec::new();
    walk(scope, value, host, &mut path)
}

fn walk<'s, H: HostValues>(
    scope: &v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
    host: &mut H,
    path: &mut Vec<v8::Local<'s, v8::Object>>,
) -> Result<H::Value, Failure<H::Error>> {
    if value.is_int32() {
        let i = value.int32_value(scope).unwrap_or_default();
        return host.integer(i64::from(i)).map_err(Failure::Host);
    }
    if value.is_string() {
        return host.string(&value.to_rust_string_lossy(scope)).map_err(Failure::Host);
    }
    if value.is_undefined() {
        return host.undefined().map_err(Failure::Host);
    }
    if value.is_null() {
        return host.null().map_err(Failure::Host);
    }
    if value.is_boolean() {
        return host.boolean(value.is_true()).map_err(Failure::Host);
    }
    if value.is_number() {
        let f = value.number_value(scope).unwrap_or(f64::NAN);
        // Integral numbers come back as integers (JS has no separate type);
        // -0, fractions, NaN and the infinities stay floats.
        let exact = f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 && !(f == 0.0 && f.is_sign_negative());
        return if exact { host.integer(f as i64) } else { host.float(f) }.map_err(Failure::Host);
    }
    if value.is_big_int() {
        let big: v8::Local<v8::BigInt> = value.try_into().map_err(|_| internal("BigInt cast"))?;
        let (i, lossless) = big.i64_value();
        return if lossless {
            host.integer(i).map_err(Failure::Host)
        } else {
            let decimal = value.to_rust_string_lossy(scope);
            host.big_integer(&decimal).map_err(Failure::Host)
        };
    }
    if value.is_date() {
        let date: v8::Local<v8::Date> = value.try_into().map_err(|_| internal("Date cast"))?;
        return host.date(date.value_of()).map_err(Failure::Host);
    }
    if value.is_function() {
        return host.unsupported("function").map_err(Failure::Host);
    }
    if value.is_symbol() {
        return host.unsupported("symbol").map_err(Failure::Host);
    }
    let Ok(object) = v8::Local::<v8::Object>::try_from(value) else {
        return host.unsupported("value").map_err(Failure::Host);
    };
    if path.iter().any(|seen| seen.strict_equals(value)) {
        return Err(Failure::Js(JsError::new(ErrorKind::Runtime, "cannot marshal a cyclic structure to Ruby")));
    }
    if path.len() >= MAX_DEPTH {
        return Err(Failure::Js(JsError::new(
            ErrorKind::Runtime,
            format!("cannot marshal a structure nested deeper than {MAX_DEPTH} levels to Ruby"),
        )));
    }
    path.push(object);
    let out =
        if value.is_array() { walk_array(scope, object, host, path) } else { walk_object(scope, object, host, path) };
    path.pop();
    out
}

fn walk_array<'s, H: HostValues>(
    scope: &v8::PinScope<'s, '_>,
    object: v8::Local<'s, v8::Object>,
    host: &mut H,
    path: &mut Vec<v8::Local<'s, v8::Object>>,
) -> Result<H::Value, Failure<H::Error>> {
    let array: v8::Local<v8::Array> = object.try_into().map_err(|_| internal("Array cast"))?;
    let len = array.length();
    let out = host.new_array(len as usize).map_err(Failure::Host)?;
    for i in 0..len {
        let item = array.get_index(scope, i).ok_or(Failure::Exception)?;
        let item = walk(scope, item, host, path)?;
        host.array_push(out, item).map_err(Failure::Host)?;
    }
    Ok(out)
}

fn walk_object<'s, H: HostValues>(
    scope: &v8::PinScope<'s, '_>,
    object: v8::Local<'s, v8::Object>,
    host: &mut H,
    path: &mut Vec<v8::Local<'s, v8::Object>>,
) -> Result<H::Value, Failure<H::Error>> {
    let args =
        v8::GetPropertyNamesArgs { key_conversion: v8::KeyConversionMode::ConvertToString, ..Default::default() };
    let names = object.get_own_property_names(scope, args).ok_or(Failure::Exception)?;
    let out = host.new_hash().map_err(Failure::Host)?;
    for i in 0..names.length() {
        let key = names.get_index(scope, i).ok_or(Failure::Exception)?;
        let item = object.get(scope, key).ok_or(Failure::Exception)?;
        let item = walk(scope, item, host, path)?;
        host.hash_set(out, &key.to_rust_string_lossy(scope), item).map_err(Failure::Host)?;
    }
    Ok(out)
}

fn internal<E>(what: &str) -> Failure<E> {
    Failure::Js(JsError::new(ErrorKind::Usage, format!("internal error: {what} failed")))
}
