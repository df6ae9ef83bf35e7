//! Values between Ruby and JS: `RubyValues` builds Ruby objects as the
//! runtime's walk meets JS values; `to_js` converts Ruby values to JS.

use magnus::{
    rb_sys::AsRawValue, value::ReprValue, Error, Float, Integer, RArray, RHash, RString, Ruby, Symbol, Value,
};
use rusty_racer_runtime::{v8, HostValues};

use crate::generated::ErrorClass;

/// Builds Ruby values directly (no intermediate tree). Containers are made
/// first and filled in place, so every value is reachable by the GC.
pub struct RubyValues<'r> {
    pub ruby: &'r Ruby,
}

impl HostValues for RubyValues<'_> {
    type Value = Value;
    type Error = Error;

    fn undefined(&mut self) -> Result<Value, Error> {
        Ok(self.ruby.qnil().as_value())
    }
    fn null(&mut self) -> Result<Value, Error> {
        Ok(self.ruby.qnil().as_value())
    }
    fn boolean(&mut self, value: bool) -> Result<Value, Error> {
        Ok(self.ruby.into_value(value))
    }
    fn integer(&mut self, value: i64) -> Result<Value, Error> {
        Ok(self.ruby.integer_from_i64(value).as_value())
    }
    fn big_integer(&mut self, decimal: &str) -> Result<Value, Error> {
        self.ruby.module_kernel().funcall("Integer", (decimal,))
    }
    fn float(&mut self, value: f64) -> Result<Value, Error> {
        Ok(self.ruby.float_from_f64(value).as_value())
    }
    fn string(&mut self, value: &str) -> Result<Value, Error> {
        Ok(self.ruby.str_new(value).as_value())
    }
    fn date(&mut self, epoch_ms: f64) -> Result<Value, Error> {
        if !epoch_ms.is_finite() {
            return Ok(self.ruby.qnil().as_value());
        }
        let ms = epoch_ms as i64;
        let (secs, ms_rem) = (ms.div_euclid(1000), ms.rem_euclid(1000));
        self.ruby.time_nano_new(secs, ms_rem * 1_000_000).map(|t| t.as_value())
    }
    fn new_array(&mut self, len: usize) -> Result<Value, Error> {
        Ok(self.ruby.ary_new_capa(len).as_value())
    }
    fn array_push(&mut self, array: Value, item: Value) -> Result<(), Error> {
        RArray::from_value(array).map_or(Ok(()), |a| a.push(item))
    }
    fn new_hash(&mut self) -> Result<Value, Error> {
        Ok(self.ruby.hash_new().as_value())
    }
    fn hash_set(&mut self, hash: Value, key: &str, value: Value) -> Result<(), Error> {
        RHash::from_value(hash).map_or(Ok(()), |h| h.aset(self.ruby.str_new(key), value))
    }
    fn unsupported(&mut self, _what: &str) -> Result<Value, Error> {
        Ok(self.ruby.qnil().as_value())
    }
}

/// Deepest Ruby nesting converted before giving up.
const MAX_DEPTH: usize = 512;

/// Converts a Ruby value to JS: nil, booleans, Integer, Float, String
/// (UTF-8), Symbol (as a string), Array, Hash (String/Symbol keys), Time.
pub fn to_js<'s>(ruby: &Ruby, scope: &v8::PinScope<'s, '_>, value: Value) -> Result<v8::Local<'s, v8::Value>, Error> {
    let mut path = Vec::new();
    convert(ruby, scope, value, &mut path)
}

fn convert<'s>(
    ruby: &Ruby,
    scope: &v8::PinScope<'s, '_>,
    value: Value,
    path: &mut Vec<Value>,
) -> Result<v8::Local<'s, v8::Value>, Error> {
    if value.is_nil() {
        return Ok(v8::null(scope).into());
    }
    if let Some(i) = Integer::from_value(value) {
        return Ok(match i.to_i64() {
            Ok(n) if n.unsigned_abs() <= 1 << 53 => v8::Number::new(scope, n as f64).into(),
            Ok(n) => v8::BigInt::new_from_i64(scope, n).into(),
            Err(_) => {
                let decimal: String = value.funcall("to_s", ())?;
                big_int(scope, &decimal).ok_or_else(|| cannot(ruby, "an Integer this large", &decimal))?
            }
        });
    }
    if let Some(f) = Float::from_value(value) {
        return Ok(v8::Number::new(scope, f.to_f64()).into());
    }
    if value.is_kind_of(ruby.class_true_class()) {
        return Ok(v8::Boolean::new(scope, true).into());
    }
    if value.is_kind_of(ruby.class_false_class()) {
        return Ok(v8::Boolean::new(scope, false).into());
    }
    if let Some(s) = RString::from_value(value) {
        let text = s.to_string().map_err(|_| cannot(ruby, "a String that is not valid in its encoding", ""))?;
        return string(ruby, scope, &text);
    }
    if let Some(sym) = Symbol::from_value(value) {
        return string(ruby, scope, &sym.name()?);
    }
    if value.is_kind_of(ruby.class_time()) {
        let ms: f64 = value.funcall::<_, _, f64>("to_f", ())? * 1000.0;
        return v8::Date::new(scope, ms.floor()).map(Into::into).ok_or_else(|| cannot(ruby, "this Time", ""));
    }
    let array = RArray::from_value(value);
    let hash = RHash::from_value(value);
    if array.is_none() && hash.is_none() {
        return Err(cannot(ruby, &format!("a {}", unsafe { value.classname() }), ""));
    }
    if path.iter().any(|seen| seen.as_raw() == value.as_raw()) {
        return Err(ErrorClass::Error.error(ruby, "cannot marshal a cyclic structure to JavaScript"));
    }
    if path.len() >= MAX_DEPTH {
        return Err(ErrorClass::Error
            .error(ruby, format!("cannot marshal a structure nested deeper than {MAX_DEPTH} levels to JavaScript")));
    }
    path.push(value);
    let out = if let Some(array) = array {
        let js = v8::Array::new(scope, array.len() as i32);
        for (i, item) in array.into_iter().enumerate() {
            let item = convert(ruby, scope, item, path)?;
            js.set_index(scope, i as u32, item);
        }
        js.into()
    } else {
        let js = v8::Object::new(scope);
        let mut failed = None;
        if let Some(hash) = hash {
            hash.foreach(|k: Value, v: Value| {
                let key = match Symbol::from_value(k) {
                    Some(sym) => sym.name().map(|n| n.into_owned()),
                    None => match RString::from_value(k) {
                        Some(s) => s.to_string(),
                        None => k.funcall("to_s", ()),
                    },
                };
                let pair = key.and_then(|key| Ok((string(ruby, scope, &key)?, convert(ruby, scope, v, path)?)));
                match pair {
                    Ok((key, item)) => {
                        js.set(scope, key, item);
                        Ok(magnus::r_hash::ForEach::Continue)
                    }
                    Err(e) => {
                        failed = Some(e);
                        Ok(magnus::r_hash::ForEach::Stop)
                    }
                }
            })?;
        }
        if let Some(e) = failed {
            path.pop();
            return Err(e);
        }
        js.into()
    };
    path.pop();
    Ok(out)
}

fn string<'s>(ruby: &Ruby, scope: &v8::PinScope<'s, '_>, text: &str) -> Result<v8::Local<'s, v8::Value>, Error> {
    v8::String::new(scope, text).map(Into::into).ok_or_else(|| cannot(ruby, "a String this long", ""))
}

fn big_int<'s>(scope: &v8::PinScope<'s, '_>, decimal: &str) -> Option<v8::Local<'s, v8::Value>> {
    let negative = decimal.starts_with('-');
    let digits = decimal.trim_start_matches('-');
    // Little-endian base-2^64 words from the decimal digits.
    let mut words: Vec<u64> = vec![0];
    for d in digits.bytes() {
        let mut carry = u128::from(d.checked_sub(b'0')?);
        for w in words.iter_mut() {
            let v = u128::from(*w) * 10 + carry;
            *w = v as u64;
            carry = v >> 64;
        }
        if carry > 0 {
            words.push(carry as u64);
        }
    }
    v8::BigInt::new_from_words(scope, negative, &words).map(Into::into)
}

fn cannot(ruby: &Ruby, what: &str, detail: &str) -> Error {
    let detail = if detail.is_empty() { String::new() } else { format!(" ({detail})") };
    ErrorClass::Error.error(ruby, format!("cannot marshal {what} to JavaScript{detail}"))
}
