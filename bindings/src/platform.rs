//! `RustyRacer::Platform` (idl/platform.yaml).

use magnus::{prelude::*, r_hash::ForEach, DataTypeFunctions, Error, RHash, Ruby, Symbol, TypedData, Value};
use rusty_racer_runtime::{self as runtime, FlagError};

use crate::generated::{ErrorClass, PlatformApi};

/// Never instantiated: the class only has singleton methods.
#[derive(TypedData)]
#[magnus(class = "RustyRacer::Platform")]
pub struct Platform;

impl DataTypeFunctions for Platform {}

const SET_FLAGS: &str = "RustyRacer::Platform.set_flags!";

/// `name`, a Symbol or String, as V8 spells a flag: "--name".
fn flag_name(ruby: &Ruby, value: Value) -> Result<String, Error> {
    let name = if let Some(symbol) = Symbol::from_value(value) {
        symbol.name()?.into_owned()
    } else if let Some(string) = magnus::RString::from_value(value) {
        string.to_string()?
    } else {
        return Err(Error::new(
            ruby.exception_type_error(),
            format!("{SET_FLAGS}: a flag must be a Symbol, a String or a Hash (got {})", unsafe { value.classname() }),
        ));
    };
    Ok(if name.starts_with("--") { name } else { format!("--{name}") })
}

impl PlatformApi for Platform {
    // idl/platform.yaml Platform.set_flags! (any thread)
    fn set_flags_bang(ruby: &Ruby, flags: &[Value]) -> Result<(), Error> {
        let mut out = Vec::new();
        for &value in flags {
            let Some(pairs) = RHash::from_value(value) else {
                out.push(flag_name(ruby, value)?);
                continue;
            };
            let mut failed = None;
            pairs.foreach(|key: Value, v: Value| {
                let flag = match flag_name(ruby, key) {
                    Ok(flag) => flag,
                    Err(e) => {
                        failed = Some(e);
                        return Ok(ForEach::Stop);
                    }
                };
                if v.is_kind_of(ruby.class_true_class()) {
                    out.push(flag);
                } else if v.is_kind_of(ruby.class_false_class()) {
                    out.push(format!("--no-{}", &flag[2..]));
                } else {
                    out.push(format!("{flag}={}", v.to_r_string()?.to_string()?));
                }
                Ok(ForEach::Continue)
            })?;
            if let Some(e) = failed {
                return Err(e);
            }
        }
        runtime::set_flags(&out).map_err(|e| match e {
            FlagError::AlreadyStarted => ErrorClass::PlatformAlreadyInitialized.error(
                ruby,
                format!("{SET_FLAGS}: V8 has started (its flags froze with the first isolate); set flags before creating one"),
            ),
            FlagError::Invalid(message) => Error::new(ruby.exception_arg_error(), format!("{SET_FLAGS}: {message}")),
        })
    }

    // idl/platform.yaml Platform.initialized? (any thread)
    fn is_initialized(_: &Ruby) -> Result<bool, Error> {
        Ok(runtime::initialized())
    }
}
