//! Promise jobs. V8's queue is always explicit; the runtime drains it at
//! the end of an outermost operation (`Microtasks::Auto`) or when the host
//! asks, inside the operation so its deadline and stops apply.

use crate::error::{Failure, JsError};
use crate::isolate::{ContextId, Gate, Isolate, Realm};

/// Runs the queued promise jobs. A job's exception goes to its promise (an
/// unhandled rejection is dropped, as V8 does); a pending exception of the
/// operation stays in the operation's TryCatch.
pub(crate) fn drain(scope: &mut v8::PinScope<'_, '_>) {
    v8::tc_scope!(let jobs, scope);
    jobs.perform_microtask_checkpoint();
}

/// Drops the jobs a stopped operation left, so that a self-requeueing job
/// cannot outlive its operation: the first job to run is terminated at
/// once, and V8 empties its queue when a job is terminated.
pub(crate) fn discard(scope: &mut v8::PinScope<'_, '_>) {
    scope.terminate_execution();
    drain(scope);
    scope.cancel_terminate_execution();
}

impl Isolate {
    /// Runs the queued promise jobs now (for `Microtasks::Explicit`, or
    /// from a callback), under the operation rules (`timeout_ms` as for
    /// eval) in context `ctx`.
    pub fn perform_microtask_checkpoint<G: Gate>(
        &self,
        gate: &G,
        ctx: ContextId,
        timeout_ms: Option<u64>,
    ) -> Result<(), JsError> {
        let outcome = self.run::<(), ()>(Realm::Id(ctx), timeout_ms, |tc, _| {
            gate.blocking(&self.stopper, &mut || drain(tc));
            if self.stopping(tc) {
                return Err(Failure::Exception);
            }
            Ok(())
        });
        outcome.map_err(|f| match f {
            Failure::Js(e) => e,
            Failure::Host(()) | Failure::Exception => JsError::new(crate::ErrorKind::Runtime, "microtasks failed"),
        })
    }
}

impl Isolate {
    /// Runs the platform tasks that are due for this isolate (such as
    /// FinalizationRegistry cleanups) without waiting for more, then the
    /// promise jobs, under the isolate's timeout.
    pub fn pump_message_loop<G: Gate>(&self, gate: &G) -> Result<(), JsError> {
        let platform = v8::V8::get_current_platform();
        let outcome = self.run::<(), ()>(Realm::Id(0), None, |tc, _| {
            gate.blocking(&self.stopper, &mut || {
                while !tc.is_execution_terminating() && v8::Platform::pump_message_loop(&platform, tc, false) {}
                if !tc.is_execution_terminating() {
                    drain(tc);
                }
            });
            if self.stopping(tc) {
                return Err(Failure::Exception);
            }
            Ok(())
        });
        outcome.map_err(|f| match f {
            Failure::Js(e) => e,
            Failure::Host(()) | Failure::Exception => JsError::new(crate::ErrorKind::Runtime, "platform tasks failed"),
        })
    }
}
