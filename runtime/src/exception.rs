//! Reading JS exceptions into `JsError`s, and the tag that marks an
//! exception as a host callback's error.

use crate::error::{ErrorKind, Failure, JsError};
use crate::isolate::Isolate;

const HOST_ERROR_KEY: &str = "rusty_racer.host_error";

impl Isolate {
    /// Marks `exception` as the JS side of host error `id`: if JS lets it
    /// escape, the operation fails with `ErrorKind::HostError(id)`.
    pub fn tag_host_error(scope: &v8::PinScope<'_, '_>, exception: v8::Local<v8::Value>, id: u32) {
        if let Ok(object) = v8::Local::<v8::Object>::try_from(exception) {
            let Some(name) = v8::String::new(scope, HOST_ERROR_KEY) else { return };
            let key = v8::Private::for_api(scope, Some(name));
            let value = v8::Integer::new_from_unsigned(scope, id);
            object.set_private(scope, key, value.into());
        }
    }
}

/// A JS Error of `message`, tagged with host error `host_error` if any.
pub(crate) fn error_value<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    message: &str,
    host_error: Option<u32>,
) -> v8::Local<'s, v8::Value> {
    let text = v8::String::new(scope, message).unwrap_or_else(|| v8::String::empty(scope));
    let exception = v8::Exception::error(scope, text);
    if let Some(id) = host_error {
        Isolate::tag_host_error(scope, exception, id);
    }
    exception
}

/// Throws a JS Error of `message` (see `error_value`).
pub fn throw_error(scope: &mut v8::PinScope<'_, '_>, message: &str, host_error: Option<u32>) {
    let exception = error_value(scope, message, host_error);
    scope.throw_exception(exception);
}

pub(crate) fn key<'s, E>(scope: &v8::PinScope<'s, '_>, name: &str) -> Result<v8::Local<'s, v8::Value>, Failure<E>> {
    v8::String::new(scope, name).map(Into::into).ok_or(Failure::Exception)
}

pub(crate) fn type_name(scope: &v8::PinScope<'_, '_>, value: v8::Local<v8::Value>) -> String {
    if value.is_null() {
        "null".into()
    } else {
        value.type_of(scope).to_rust_string_lossy(scope)
    }
}

/// A JS exception as a `JsError`: its string, and for Error objects the
/// stack frames recorded when it was created.
pub(crate) fn js_error(
    scope: &mut v8::PinScope<'_, '_>,
    exception: v8::Local<v8::Value>,
    message: Option<v8::Local<v8::Message>>,
    kind: ErrorKind,
) -> JsError {
    if let Ok(object) = v8::Local::<v8::Object>::try_from(exception) {
        if let Some(name) = v8::String::new(scope, HOST_ERROR_KEY) {
            let key = v8::Private::for_api(scope, Some(name));
            if let Some(id) =
                object.get_private(scope, key).filter(|v| v.is_uint32()).and_then(|v| v.uint32_value(scope))
            {
                return JsError::new(ErrorKind::HostError(id), "");
            }
        }
    }
    let text = {
        v8::tc_scope!(let tc, scope);
        exception.to_string(tc).map(|s| s.to_rust_string_lossy(tc))
    };
    // toString runs JS, which fails where the stack is used up (a deep
    // recursion through callbacks): V8's own message of a built-in error
    // ("Uncaught RangeError: Maximum call stack size exceeded") needs none.
    let text = text.unwrap_or_else(|| match message.filter(|_| exception.is_native_error()) {
        Some(m) => {
            let text = m.get(scope).to_rust_string_lossy(scope);
            text.strip_prefix("Uncaught ").map(str::to_string).unwrap_or(text)
        }
        None => "<a JavaScript exception whose toString() threw>".to_string(),
    });
    // Compiling fails with a SyntaxError, but also with a RangeError when
    // the stack is used up: that is no fault of the source.
    let kind = if kind == ErrorKind::Parse && !text.starts_with("SyntaxError") { ErrorKind::Runtime } else { kind };
    if kind == ErrorKind::Parse {
        let location = message.map(|m| {
            let file = m.get_script_resource_name(scope).map(|n| n.to_rust_string_lossy(scope)).unwrap_or_default();
            let line = m.get_line_number(scope).unwrap_or(0);
            format!(" at {file}:{line}")
        });
        return JsError::new(kind, format!("{text}{}", location.unwrap_or_default()));
    }
    let frames = v8::Exception::get_stack_trace(scope, exception)
        .map(|trace| frames_of(scope, trace).iter().map(Frame::ruby_style).collect())
        .unwrap_or_default();
    JsError { kind, message: text, frames, js_backtrace: Vec::new() }
}

/// One JS stack frame.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    function: String,
    file: String,
    line: usize,
    column: usize,
}

impl Frame {
    /// As in a Ruby backtrace: "file:line:column:in 'function'".
    pub(crate) fn ruby_style(&self) -> String {
        let Frame { function, file, line, column } = self;
        if function.is_empty() {
            format!("{file}:{line}:{column}")
        } else {
            format!("{file}:{line}:{column}:in '{function}'")
        }
    }

    /// As in a JS stack: "function (file:line:column)".
    pub(crate) fn js_style(&self) -> String {
        let Frame { function, file, line, column } = self;
        if function.is_empty() {
            format!("{file}:{line}:{column}")
        } else {
            format!("{function} ({file}:{line}:{column})")
        }
    }
}

pub(crate) fn frames_of(scope: &v8::PinScope<'_, '_>, trace: v8::Local<v8::StackTrace>) -> Vec<Frame> {
    (0..trace.get_frame_count())
        .filter_map(|i| trace.get_frame(scope, i))
        .map(|frame| Frame {
            function: frame.get_function_name(scope).map(|f| f.to_rust_string_lossy(scope)).unwrap_or_default(),
            file: frame
                .get_script_name_or_source_url(scope)
                .map(|n| n.to_rust_string_lossy(scope))
                .unwrap_or_else(|| "<anonymous>".into()),
            line: frame.get_line_number(),
            column: frame.get_column(),
        })
        .filter(|frame| frame.file != crate::realm_helpers::HELPERS_FILE)
        .collect()
}

/// The JS stack running now (innermost first), e.g. where a stop lands.
pub(crate) fn current_frames(scope: &v8::PinScope<'_, '_>) -> Vec<Frame> {
    v8::StackTrace::current_stack_trace(scope, 32).map(|trace| frames_of(scope, trace)).unwrap_or_default()
}
