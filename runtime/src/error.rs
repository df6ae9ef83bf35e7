use std::fmt;

/// Why JavaScript did not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A syntax error: the message names the file and line.
    Parse,
    /// JS threw; `frames` holds its stack.
    Runtime,
    /// Stopped by `terminate` or a timeout.
    Terminated,
    /// The heap limit was reached.
    OutOfMemory,
    /// JS threw the error a host callback raised (and did not catch it);
    /// the number is the one the host gave `HostFunctions::throw_host_error`.
    HostError(u32),
    /// The operation could not start (busy, a bad path, …).
    Usage,
    /// What it needs was disposed (a realm, a script, a module, …).
    Disposed,
    /// A value could not be converted (nested too deeply, …).
    Marshal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JsError {
    pub kind: ErrorKind,
    pub message: String,
    /// "file:line:column" or "file:line:column:in 'function'", innermost first.
    pub frames: Vec<String>,
    /// For a termination: the JS stack where it landed, innermost first,
    /// as "function (file:line:column)" (or "file:line:column").
    pub js_backtrace: Vec<String>,
}

impl JsError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        JsError { kind, message: message.into(), frames: Vec::new(), js_backtrace: Vec::new() }
    }
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsError {}

/// What an operation that runs host code can fail with: JavaScript's side,
/// or an error of the host's own (`E`), passed through untouched.
#[derive(Debug)]
pub enum Failure<E> {
    Js(JsError),
    Host(E),
    /// A JS exception is pending in the scope (a getter threw during a walk):
    /// the operation turns it into `Js` from its TryCatch.
    Exception,
}

impl Failure<JsError> {
    /// The error of an operation whose host side is the runtime itself:
    /// `what` says what failed when V8 left no exception to read.
    pub(crate) fn into_js_error(self, what: &str) -> JsError {
        match self {
            Failure::Js(e) | Failure::Host(e) => e,
            Failure::Exception => JsError::new(ErrorKind::Runtime, what),
        }
    }
}

impl<E> From<JsError> for Failure<E> {
    fn from(e: JsError) -> Self {
        Failure::Js(e)
    }
}
