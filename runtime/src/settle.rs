//! Awaiting a promise from the host: its promise jobs and the platform's
//! due tasks run (through the gate, under the operation's deadline) until
//! it settles, or nothing is left that could settle it.

use crate::error::{ErrorKind, Failure, JsError};
use crate::isolate::{Gate, Isolate};
use std::time::Duration;

/// How long a promise may wait with no task run before it counts as one
/// nothing will settle.
const PATIENCE: Duration = Duration::from_millis(250);

/// The value `value` settles to: itself when it is no promise, else the
/// promise's value once fulfilled; a rejection is its error.
pub(crate) fn settled<'s, G: Gate, E>(
    isolate: &Isolate,
    gate: &G,
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
) -> Result<v8::Local<'s, v8::Value>, Failure<E>> {
    let Ok(promise) = v8::Local::<v8::Promise>::try_from(value) else { return Ok(value) };
    let platform = v8::V8::get_current_platform();
    let mut stuck = false;
    let mut waited = Duration::ZERO;
    gate.blocking(&isolate.stopper, &mut || {
        while promise.state() == v8::PromiseState::Pending && !isolate.stopping(scope) {
            crate::microtasks::drain(scope);
            if promise.state() != v8::PromiseState::Pending || isolate.stopping(scope) {
                break;
            }
            if !v8::Platform::pump_message_loop(&platform, scope, false) {
                // Work on V8's worker threads (async WebAssembly compilation)
                // posts its task when done: give it a moment before giving up.
                if waited >= PATIENCE {
                    stuck = true;
                    break;
                }
                let nap = (waited / 4).clamp(Duration::from_micros(200), Duration::from_millis(20));
                std::thread::sleep(nap);
                waited += nap;
            } else {
                waited = Duration::ZERO;
            }
        }
    });
    if isolate.stopping(scope) {
        return Err(Failure::Exception);
    }
    match promise.state() {
        v8::PromiseState::Fulfilled => Ok(promise.result(scope)),
        v8::PromiseState::Rejected => {
            promise.mark_as_handled();
            let reason = promise.result(scope);
            let message = v8::Exception::create_message(scope, reason);
            Err(Failure::Js(crate::exception::js_error(scope, reason, Some(message), ErrorKind::Runtime)))
        }
        v8::PromiseState::Pending => Err(Failure::Js(JsError::new(
            ErrorKind::Usage,
            if stuck {
                "promise still pending with nothing left to run (no promise job or platform task could settle it)"
            } else {
                "promise still pending"
            },
        ))),
    }
}
