//! Arity, keyword and block checks. Every message starts with the method,
//! e.g. `RustyRacer::Context#eval: missing argument source (given 0, expected 1..)`.

use magnus::{block::Proc, prelude::*, Error, ExceptionClass, RHash, Ruby, Symbol, Value};

/// The positional arguments and, when the method takes keywords and the
/// caller passed some, their Hash (Ruby 3 semantics: a Hash passed without
/// keyword syntax stays positional).
pub struct Positional<'a> {
    pub args: &'a [Value],
    pub keywords: Option<RHash>,
}

#[inline]
pub fn positional(args: &[Value], takes_keywords: bool) -> Positional<'_> {
    // SAFETY: called on a Ruby thread inside a method call, as the glue does.
    if takes_keywords && unsafe { rb_sys::rb_keyword_given_p() } != 0 {
        if let Some((last, rest)) = args.split_last() {
            if let Some(hash) = RHash::from_value(*last) {
                return Positional { args: rest, keywords: Some(hash) };
            }
        }
    }
    Positional { args, keywords: None }
}

/// `names` lists the positional parameters in order (the splat last).
#[inline]
pub fn check_arity(
    ruby: &Ruby,
    method: &str,
    given: usize,
    names: &[&str],
    required: usize,
    max: Option<usize>,
) -> Result<(), Error> {
    if given >= required && max.is_none_or(|m| given <= m) {
        return Ok(());
    }
    arity_error(ruby, method, given, names, required, max)
}

#[cold]
fn arity_error(
    ruby: &Ruby,
    method: &str,
    given: usize,
    names: &[&str],
    required: usize,
    max: Option<usize>,
) -> Result<(), Error> {
    let expected = match max {
        Some(m) if m == required => required.to_string(),
        Some(m) => format!("{required}..{m}"),
        None => format!("{required}+"),
    };
    if given < required {
        let name = names.get(given).copied().unwrap_or("argument");
        return Err(Error::new(
            ruby.exception_arg_error(),
            format!("{method}: missing argument {name} (given {given}, expected {expected})"),
        ));
    }
    if max.is_some_and(|m| given > m) {
        return Err(Error::new(
            ruby.exception_arg_error(),
            format!("{method}: too many arguments (given {given}, expected {expected})"),
        ));
    }
    Ok(())
}

/// Picks the declared keywords out of `hash`; unknown or missing ones raise
/// ArgumentError.
pub fn keywords<const N: usize>(
    ruby: &Ruby,
    method: &str,
    hash: Option<RHash>,
    names: [&str; N],
    required: [bool; N],
) -> Result<[Option<Value>; N], Error> {
    let mut found: [Option<Value>; N] = [None; N];
    let mut unknown = Vec::new();
    if let Some(hash) = hash {
        hash.foreach(|key: Value, value: Value| {
            let slot = Symbol::from_value(key)
                .and_then(|s| s.name().ok())
                .and_then(|name| names.iter().position(|n| *n == name));
            match slot {
                Some(i) => found[i] = Some(value),
                None => unknown.push(key.inspect()),
            }
            Ok(magnus::r_hash::ForEach::Continue)
        })?;
    }
    if !unknown.is_empty() {
        let s = if unknown.len() == 1 { "" } else { "s" };
        let mut message = format!("{method}: unknown keyword{s}: {}", unknown.join(", "));
        if N > 0 {
            let known: Vec<String> = names.iter().map(|n| format!(":{n}")).collect();
            message.push_str(&format!(" (known: {})", known.join(", ")));
        }
        return Err(Error::new(ruby.exception_arg_error(), message));
    }
    let missing: Vec<String> =
        (0..N).filter(|&i| required[i] && found[i].is_none()).map(|i| format!(":{}", names[i])).collect();
    if !missing.is_empty() {
        let s = if missing.len() == 1 { "" } else { "s" };
        return Err(Error::new(
            ruby.exception_arg_error(),
            format!("{method}: missing keyword{s}: {}", missing.join(", ")),
        ));
    }
    Ok(found)
}

/// The block, if the caller gave one.
pub fn block(ruby: &Ruby, _method: &str) -> Result<Option<Proc>, Error> {
    if ruby.block_given() {
        ruby.block_proc().map(Some)
    } else {
        Ok(None)
    }
}

/// The block; without one, ArgumentError.
pub fn required_block(ruby: &Ruby, method: &str) -> Result<Proc, Error> {
    block(ruby, method)?.ok_or_else(|| Error::new(ruby.exception_arg_error(), format!("{method}: a block is required")))
}

pub fn wrong_thread(class: ExceptionClass, method: &str, thread_safe: &str) -> Error {
    Error::new(
        class,
        format!(
            "{method}: called from a thread that does not own it. An isolate and everything it hands out \
             are confined to the thread that created the isolate; only {thread_safe} may be called from \
             any thread (an isolate made with thread_safe: true may be used from any thread)"
        ),
    )
}

/// `what` says what was disposed, e.g. "this Isolate" or "the Isolate of this Context".
pub fn disposed(class: ExceptionClass, method: &str, what: &str) -> Error {
    Error::new(class, format!("{method}: {what} has been disposed"))
}
