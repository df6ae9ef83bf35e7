//! Promise jobs. V8's queue is always explicit; the runtime drains it at
//! the end of an outermost operation (`Microtasks::Auto`) or when the host
//! asks, inside the operation so its deadline and stops apply.

use crate::error::{ErrorKind, Failure, JsError};
use crate::isolate::{ContextId, Gate, Isolate, Realm};

/// Runs the queued promise jobs. A job's exception goes to its promise (an
/// unhandled rejection is dropped, as V8 does); a pending exception of the
/// operation stays in the operation's TryCatch.
pub(crate) fn drain(scope: &mut v8::PinScope<'_, '_>) {
    v8::tc_scope!(let jobs, scope);
    let count = |isolate: &v8::Isolate, by: i32| {
        if let Some(d) = isolate.get_slot::<Draining>() {
            d.0.set(d.0.get().saturating_add_signed(by));
        }
    };
    count(jobs, 1);
    jobs.perform_microtask_checkpoint();
    count(jobs, -1);
}

/// An isolate slot: its promise-job drains running now (a job's callback
/// may ask for something that must not happen under one).
#[derive(Default)]
pub(crate) struct Draining(std::cell::Cell<u32>);

/// Whether this isolate's promise jobs are running.
pub(crate) fn draining(isolate: &v8::Isolate) -> bool {
    isolate.get_slot::<Draining>().is_some_and(|d| d.0.get() > 0)
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
        self.run_tasks(gate, ctx, timeout_ms, "microtasks failed", drain)
    }

    /// Runs the platform tasks that are due for this isolate (such as
    /// FinalizationRegistry cleanups) without waiting for more, then the
    /// promise jobs, under the isolate's timeout.
    pub fn pump_message_loop<G: Gate>(&self, gate: &G) -> Result<(), JsError> {
        let platform = v8::V8::get_current_platform();
        self.run_tasks(gate, 0, None, "platform tasks failed", |tc| {
            while !tc.is_execution_terminating() && v8::Platform::pump_message_loop(&platform, tc, false) {}
            if !tc.is_execution_terminating() {
                drain(tc);
            }
        })
    }

    /// Runs `tasks` (JS that V8's queues hold, not a script) as an
    /// operation: through the gate, under the deadline, a stop meanwhile
    /// failing it like a stopped script.
    fn run_tasks<G: Gate>(
        &self,
        gate: &G,
        ctx: ContextId,
        timeout_ms: Option<u64>,
        what: &str,
        mut tasks: impl for<'s, 'i> FnMut(&mut v8::PinScope<'s, 'i>),
    ) -> Result<(), JsError> {
        self.run::<(), JsError>(Realm::Id(ctx), timeout_ms, |tc, _| {
            if crate::module::evaluation_running(tc) {
                return Err(Failure::Js(JsError::new(ErrorKind::Usage, crate::module::JOBS_REFUSED)));
            }
            gate.blocking(&self.stopper, &mut || tasks(tc));
            if self.stopping(tc) {
                return Err(Failure::Exception);
            }
            Ok(())
        })
        .map_err(|f| f.into_js_error(what))
    }
}
