//! JS calling Ruby: arguments marshalled to Ruby, the callable called with
//! the GVL held and under protection, the result marshalled back. A Ruby
//! exception becomes a JS Error (message kept) that JS can catch; if JS lets
//! it escape, the operation raises the original Ruby exception.

use magnus::{error::ErrorType, prelude::*, value::LazyId, Error, Exception, RArray, Ruby, Value};
use rusty_racer_runtime::{throw_error, to_host, v8, ContextId, Failure, HostFunctions, Resolution};

use crate::core::{Core, HostState};
use crate::gvl;
use crate::values::{to_js, RubyValues};

static CALL: LazyId = LazyId::new("call");

pub struct RubyHost {
    pub state: std::sync::Arc<HostState>,
    /// The Core that owns the isolate (set once it exists; `Arc::as_ptr`).
    /// JS calls the host only inside that Core's operations, so it is alive.
    pub core: std::cell::OnceCell<*const Core>,
}

enum Outcome<'s> {
    Value(v8::Local<'s, v8::Value>),
    /// A Ruby exception, turned into a JS Error with its message; `id` finds
    /// the original again (kept in HostState) if JS lets the error escape.
    /// Only plain data leaves the GVL section: a Ruby value held across a
    /// GVL release would sit below the stack Ruby's GC scans.
    Raised {
        message: String,
        id: Option<u32>,
    },
    /// A JS exception is already pending (a getter threw while converting).
    Pending,
    /// Ruby is unwinding (Thread#kill, exit, Interrupt, throw): kept to
    /// re-raise once V8 has unwound; the script is terminated.
    Interrupt,
    /// A message for a JS TypeError (a value that cannot be marshalled).
    TypeError(String),
}

impl HostFunctions for RubyHost {
    fn import(&self, specifier: &str, referrer_url: &str, ctx: ContextId) -> Resolution {
        match self.core.get() {
            Some(&core) => crate::es_module::dynamic_import(core, &self.state, specifier, referrer_url, ctx),
            None => Resolution::Throw { message: "rusty_racer: the isolate is not ready".into(), host_error: None },
        }
    }

    fn call<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        id: u32,
        args: &v8::FunctionCallbackArguments<'s>,
    ) -> Option<v8::Local<'s, v8::Value>> {
        let state = &self.state;
        let Some(&core) = self.core.get() else {
            throw_error(scope, "rusty_racer: the isolate is not ready", None);
            return None;
        };
        let (outcome, conflict) = guarded(state, |ruby, settle| {
            let called = (|| -> Result<Result<Value, Error>, Outcome<'s>> {
                let Some(callable) = state.callable(id) else {
                    return Err(Outcome::TypeError(format!(
                        "rusty_racer: host function {id} is gone (its context was reset or disposed)"
                    )));
                };
                // Up to SMALL arguments stay on this (machine) stack, which Ruby's
                // GC scans; more go into a Ruby Array so the GC sees each one.
                const SMALL: usize = 8;
                let count = args.length().max(0) as usize;
                let mut small = [ruby.qnil().as_value(); SMALL];
                let large: Option<RArray> = (count > SMALL).then(|| ruby.ary_new_capa(count));
                for i in 0..count {
                    let value = match to_host(scope, args.get(i as i32), &mut RubyValues::for_core(ruby, core)) {
                        Ok(v) => v,
                        Err(Failure::Host(e)) => return Err(raised(ruby, state, e)),
                        Err(Failure::Exception) => return Err(Outcome::Pending),
                        Err(Failure::Js(e)) => return Err(Outcome::TypeError(e.message)),
                    };
                    match large {
                        Some(array) => {
                            if let Err(e) = array.push(value) {
                                return Err(raised(ruby, state, e));
                            }
                        }
                        None => small[i] = value,
                    }
                }
                let result = match large {
                    // SAFETY: the slice is read by funcall before any Ruby code runs.
                    Some(array) => callable.funcall(LazyId::get_inner_with(&CALL, ruby), unsafe { array.as_slice() }),
                    None => callable.funcall(LazyId::get_inner_with(&CALL, ruby), &small[..count]),
                };
                std::hint::black_box(&small);
                Ok(result)
            })();
            settle(ruby);
            match called {
                Ok(Ok(value)) => match to_js(ruby, scope, state, value) {
                    Ok(js) => Outcome::Value(js),
                    Err(e) => raised(ruby, state, e),
                },
                Ok(Err(e)) => raised(ruby, state, e),
                Err(outcome) => outcome,
            }
        });
        if conflict {
            throw_error(scope, fiber::CONFLICT, None);
            return None;
        }
        match outcome {
            Ok(Outcome::Value(v)) => Some(v),
            Ok(Outcome::Pending) => None,
            Ok(Outcome::Interrupt) => {
                rusty_racer_runtime::stop_isolate(scope);
                None
            }
            Ok(Outcome::TypeError(message)) => {
                throw_error(scope, &message, None);
                None
            }
            Ok(Outcome::Raised { message, id }) => {
                throw_error(scope, &message, id);
                None
            }
            // A non-local exit (Thread#kill, throw, break): stop the script and
            // let the operation re-raise it once V8 has unwound.
            // (with_gvl already kept it as the pending interrupt.)
            Err(_) => {
                rusty_racer_runtime::stop_isolate(scope);
                None
            }
        }
    }
}

/// Runs Ruby for V8 (a callback, a module resolver): `f` with the GVL and
/// under protection. `f` calls Ruby, then `settle`, then makes what V8
/// gets. On a Fiber's stack the Ruby code may yield out of the Fiber,
/// leaving the operation suspended: the Fiber is held (its stack, with
/// V8's frames on it, must outlive them) until `f` returns. If it was
/// resumed inside a later operation (whose V8 frames and handle scopes now
/// sit above ours), `settle` parks it again until that one is done, and
/// the second value says so: the caller must fail its V8 call then. Err:
/// Ruby is unwinding (an exit, a kill), kept as the pending interrupt.
pub fn guarded<R>(state: &HostState, f: impl FnOnce(&Ruby, &dyn Fn(&Ruby)) -> R) -> (Result<R, Error>, bool) {
    let operation = rusty_racer_runtime::innermost_operation();
    let held = rusty_racer_runtime::on_fiber_stack() && gvl::with_gvl(|ruby| state.hold_current_fiber(ruby)).is_ok();
    let settle = |ruby: &Ruby| {
        while rusty_racer_runtime::innermost_operation() != operation {
            if let Err(e) = fiber::park_until_safe(ruby) {
                // Nothing safe is left (this is the thread's root Fiber,
                // which cannot yield): returning would corrupt V8's state.
                eprintln!(
                    "rusty_racer: Ruby code called from V8 (a callback or a module resolver) is returning while an \
                     operation begun inside it is suspended in a Fiber (or it was resumed inside another \
                     operation), and it cannot be suspended again ({e}); stopping the process rather than \
                     corrupting memory. Finish operations begun in Fibers before the callback that began them \
                     returns."
                );
                std::process::abort();
            }
        }
    };
    let outcome = gvl::with_gvl(|ruby| f(ruby, &settle));
    if held {
        let _ = gvl::with_gvl(|ruby| state.release_current_fiber(ruby));
    }
    (outcome, fiber::take_conflict())
}

/// What V8 is told when a Fiber suspended inside its call was resumed
/// inside another operation.
pub const FIBER_CONFLICT: &str = fiber::CONFLICT;

mod fiber {
    use std::cell::Cell;

    use magnus::{prelude::*, Error, RClass, Ruby, Value};

    pub const CONFLICT: &str = "rusty_racer: a Fiber suspended inside a callback of this isolate was resumed inside \
        another operation of the same isolate; it cannot continue there (V8's frames of that operation sit above its \
        own) and stays suspended: resume it after this operation returns";

    thread_local! {
        /// A parked Fiber just gave control back to the callback that resumed it.
        static CONFLICT_NOTED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn take_conflict() -> bool {
        CONFLICT_NOTED.with(|c| c.replace(false))
    }

    /// Yields back to whoever resumed this Fiber, noting why.
    pub fn park_until_safe(ruby: &Ruby) -> Result<(), Error> {
        CONFLICT_NOTED.with(|c| c.set(true));
        let fiber: RClass = ruby.class_object().const_get("Fiber")?;
        fiber.funcall::<_, _, Value>("yield", ()).map(|_| ())
    }
}

/// A resolver's Ruby exception, as the import's error: a StandardError is
/// thrown as a JS Error tagged with it (re-raised with its own class if JS
/// lets it escape); anything else stops the JS.
pub fn raised_from_import(ruby: &Ruby, state: &HostState, e: Error) -> Resolution {
    match raised(ruby, state, e) {
        Outcome::Raised { message, id } => Resolution::Throw { message, host_error: id },
        _ => Resolution::Stop,
    }
}

fn raised<'s>(ruby: &Ruby, state: &HostState, e: Error) -> Outcome<'s> {
    let exception = match e.error_type() {
        ErrorType::Exception(exception) => Some(*exception),
        // An error made in Rust (a value that cannot be marshalled, …): the
        // exception it stands for, so JS can catch it like any other.
        ErrorType::Error(class, message) => class.new_instance((ruby.str_new(message),)).ok(),
        ErrorType::Jump(_) => None,
    };
    // Only a StandardError becomes a JS exception JS may catch. Anything
    // else (exit, a signal, Thread#kill, throw/break, Timeout's own
    // exception, NoMemoryError) stops the JS at once and is raised once V8
    // has unwound.
    match exception {
        Some(exception) if exception.is_kind_of(ruby.exception_standard_error()) => match describe(ruby, exception) {
            Ok(message) => Outcome::Raised { message, id: state.add_host_error(ruby, exception).ok() },
            Err(interrupt) => {
                gvl::set_pending(ruby, interrupt);
                Outcome::Interrupt
            }
        },
        Some(exception) => {
            gvl::set_pending(ruby, Error::from(exception));
            Outcome::Interrupt
        }
        None => {
            gvl::set_pending(ruby, e);
            Outcome::Interrupt
        }
    }
}

/// The exception's message for JS: `message`, else `to_s`, else `inspect`,
/// else its class name. Each may raise a StandardError (then the next is
/// tried); anything else raised meanwhile (exit, a signal) is returned to
/// stop the JS, never turned into a message JS could catch.
fn describe(ruby: &Ruby, exception: Exception) -> Result<String, Error> {
    for method in ["message", "to_s", "inspect"] {
        match exception.funcall::<_, _, Value>(method, ()).and_then(|v| v.funcall::<_, _, String>("to_str", ())) {
            Ok(s) => return Ok(s),
            Err(e) if !is_standard_error(ruby, &e) => return Err(e),
            Err(_) => {}
        }
    }
    Ok(unsafe { exception.classname() }.into_owned())
}

fn is_standard_error(ruby: &Ruby, e: &Error) -> bool {
    match e.error_type() {
        ErrorType::Exception(exception) => exception.is_kind_of(ruby.exception_standard_error()),
        ErrorType::Error(class, _) => class.is_inherited(ruby.exception_standard_error()),
        ErrorType::Jump(_) => false,
    }
}
