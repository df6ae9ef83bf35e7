//! Realms beyond the default one: made, disposed, and reset (a fresh
//! context under the same id). A realm that goes away takes the handles
//! the host kept in it (functions, scripts, modules) and its helpers, so
//! V8 can collect its context.

use crate::error::{ErrorKind, JsError};
use crate::exception::throw_error;
use crate::isolate::{ContextId, Isolate};

/// An isolate slot: the operations running (or suspended) in each realm,
/// by id — counted where they start and where JS enters the host from a
/// realm (a call across realms runs there): a realm with one is not reset
/// or disposed under it.
#[derive(Default)]
pub(crate) struct RealmBusy(std::cell::RefCell<Vec<u32>>);

/// Counts realm `id` busy while it lives.
pub(crate) struct Busy {
    counts: Option<std::rc::Rc<RealmBusy>>,
    id: usize,
}

impl Busy {
    pub(crate) fn new(isolate: &v8::Isolate, id: Option<ContextId>) -> Self {
        let counts = id.and_then(|_| isolate.get_slot::<std::rc::Rc<RealmBusy>>().cloned());
        let id = id.unwrap_or(0);
        if let Some(counts) = &counts {
            let mut busy = counts.0.borrow_mut();
            if busy.len() <= id {
                busy.resize(id + 1, 0);
            }
            busy[id] += 1;
        }
        Busy { counts, id }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(counts) = &self.counts {
            if let Some(count) = counts.0.borrow_mut().get_mut(self.id) {
                *count = count.saturating_sub(1);
            }
        }
    }
}

fn busy(isolate: &v8::Isolate, ctx: ContextId) -> bool {
    isolate.get_slot::<std::rc::Rc<RealmBusy>>().is_some_and(|b| b.0.borrow().get(ctx).copied().unwrap_or(0) > 0)
}

fn refused(message: String) -> JsError {
    JsError::new(ErrorKind::Runtime, message)
}

impl Isolate {
    /// Realm `ctx`'s context, if it exists and is not disposed.
    pub(crate) fn context_local<'s>(
        &self,
        scope: &v8::PinScope<'s, '_, ()>,
        ctx: ContextId,
    ) -> Option<v8::Local<'s, v8::Context>> {
        self.contexts.borrow().get(ctx)?.as_ref().map(|c| v8::Local::new(scope, c))
    }

    /// Whether kept handle `id` is still there (not dropped with its realm).
    pub fn is_kept(&self, kind: crate::kept::HandleKind, id: u32) -> bool {
        use crate::kept::HandleKind;
        // Another thread's turn: kept, as far as can be told without waiting
        // (an operation on it finds out).
        let Some(_turn) = self.turn_if_free() else { return true };
        self.enter(|isolate, _| match kind {
            HandleKind::Function => crate::function::is_kept(isolate, id),
            HandleKind::Script => crate::script::realm_of(isolate, id).is_some(),
            HandleKind::Module => crate::module::realm_of(isolate, id).is_some(),
        })
        .unwrap_or(false)
    }

    /// Whether realm `ctx` exists and is not disposed (true while another
    /// thread holds a thread-safe isolate: an operation finds out).
    pub fn context_alive(&self, ctx: ContextId) -> bool {
        let Some(_turn) = self.turn_if_free() else { return true };
        self.contexts.try_borrow().map(|c| c.get(ctx).is_some_and(Option::is_some)).unwrap_or(true)
    }

    /// Refuses to take realm `ctx` away while an operation runs in it (a
    /// callback of its own is on the stack) or promise jobs are running.
    fn check_idle(&self, ctx: ContextId, what: &str) -> Result<(), JsError> {
        let (in_use, draining) = self.enter(|isolate, _| (busy(isolate, ctx), crate::microtasks::draining(isolate)))?;
        if in_use {
            return Err(refused(format!(
                "cannot {what} context {ctx} while an operation runs in it (from inside one of its own callbacks); \
                 {what} it after the operation returns"
            )));
        }
        if draining {
            return Err(refused(format!("cannot {what} context {ctx} while promise jobs run")));
        }
        Ok(())
    }

    /// Disposes extra realm `ctx` (idempotent; the default context's is a
    /// no-op): later use of it raises a Disposed error.
    pub fn dispose_context(&self, ctx: ContextId) -> Result<(), JsError> {
        if ctx == 0 || !self.context_alive(ctx) {
            return Ok(());
        }
        self.check_idle(ctx, "dispose")?;
        self.enter(|isolate, _| {
            v8::scope!(let scope, isolate);
            let old = self.contexts.borrow_mut().get_mut(ctx).and_then(Option::take);
            if let Some(old) = old {
                let old = v8::Local::new(scope, &old);
                crate::realm_helpers::remove_helper(scope, ctx);
                drop_realm_handles(scope, ctx, old);
            }
        })
    }

    /// Gives realm `ctx` a fresh context (from the isolate's snapshot, if
    /// it has one) under the same id: its globals, attached functions and
    /// the handles the host kept in it are gone; the host namespace is
    /// installed again.
    pub fn reset_context(&self, ctx: ContextId) -> Result<(), JsError> {
        if !self.context_alive(ctx) {
            return Err(refused(format!("cannot reset context {ctx}: it is unknown or disposed")));
        }
        self.check_idle(ctx, "reset")?;
        self.enter(|isolate, _| {
            v8::scope!(let scope, isolate);
            let fresh = self.fresh_context(scope, ctx, false);
            let old = self.contexts.borrow_mut().get_mut(ctx).and_then(|c| c.replace(v8::Global::new(scope, fresh)));
            if let Some(old) = old {
                let old = v8::Local::new(scope, &old);
                drop_realm_handles(scope, ctx, old);
            }
        })?;
        self.install_host_namespace(ctx)
    }
}

/// Drops what the host kept in realm `ctx` (whose context was `old`).
fn drop_realm_handles(scope: &mut v8::PinScope<'_, '_, ()>, ctx: ContextId, old: v8::Local<v8::Context>) {
    if let Some(handler) = scope.get_slot::<RejectHandler>() {
        let mut handler = handler.0.borrow_mut();
        if handler.as_ref().is_some_and(|(_, realm)| *realm == ctx) {
            *handler = None;
        }
    }
    crate::function::drop_realm(scope, old);
    crate::script::drop_realm(scope, ctx);
    crate::module::drop_realm(scope, ctx);
}

/// `NS.contextGlobal(id)`: that realm's `globalThis` (realms are
/// same-origin; an unknown or disposed id throws).
pub(crate) fn context_global<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let arg = args.get(0);
    let id = arg.is_number().then(|| arg.number_value(scope)).flatten().filter(|n| n.fract() == 0.0 && *n >= 0.0);
    let context = id.and_then(|id| crate::realm_helpers::context_by_id(scope, id as usize));
    match context {
        Some(context) => rv.set(context.global(scope).into()),
        None => {
            let shown = arg.to_rust_string_lossy(scope);
            throw_error(scope, &format!("unknown context {shown}"), None);
        }
    }
}

/// `NS.contextOf(value)`: the id of the realm that made an object or
/// function; undefined for primitives and realms gone.
pub(crate) fn context_of<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let Ok(object) = v8::Local::<v8::Object>::try_from(args.get(0)) else { return };
    let Some(context) = object.get_creation_context(scope) else { return };
    if let Some(id) = crate::realm_helpers::realm_of(scope, context) {
        rv.set(v8::Integer::new_from_unsigned(scope, id as u32).into());
    }
}

/// The isolate-wide handler of unhandled rejections, and its realm.
#[derive(Default)]
pub(crate) struct RejectHandler(std::cell::RefCell<Option<(v8::Global<v8::Function>, ContextId)>>);

/// `NS.setPromiseRejectHandler(fn | null)`.
pub(crate) fn set_promise_reject_handler<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s, v8::Value>,
) {
    let arg = args.get(0);
    let handler = match v8::Local::<v8::Function>::try_from(arg) {
        Ok(function) => {
            // From a realm gone (a stale function of a reset one): ignored.
            let Some(realm) = crate::realm_helpers::current_realm(scope) else { return };
            Some((v8::Global::new(scope, function), realm))
        }
        Err(_) if arg.is_null_or_undefined() => None,
        Err(_) => return throw_error(scope, "setPromiseRejectHandler takes a function or null", None),
    };
    if let Some(slot) = scope.get_slot::<RejectHandler>() {
        *slot.0.borrow_mut() = handler;
    }
}

/// V8's promise reject callback: calls the handler, if any, with
/// (event, contextId, promise, reason). A stop under way is never
/// swallowed: the handler does not run then, and a termination it meets
/// goes on.
pub(crate) extern "C" fn promise_rejected(message: v8::PromiseRejectMessage) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: V8 calls this on the isolate's thread, inside an operation.
        v8::callback_scope!(unsafe scope, &message);
        v8::scope!(let scope, scope);
        if scope.is_execution_terminating() {
            return;
        }
        let Some((handler, realm)) =
            scope.get_slot::<RejectHandler>().and_then(|h| h.0.borrow().as_ref().map(|(f, r)| (f.clone(), *r)))
        else {
            return;
        };
        let Some(context) = crate::realm_helpers::context_by_id(scope, realm) else { return };
        let handler = v8::Local::new(scope, &handler);
        let promise = message.get_promise();
        let event = message.get_event() as i32;
        let scope = &mut v8::ContextScope::new(scope, context);
        let from = promise
            .get_creation_context(scope)
            .and_then(|c| crate::realm_helpers::realm_of(scope, c))
            .map_or_else(|| v8::undefined(scope).into(), |id| v8::Integer::new_from_unsigned(scope, id as u32).into());
        let reason = message.get_value().unwrap_or_else(|| v8::undefined(scope).into());
        let args = [v8::Integer::new(scope, event).into(), from, promise.into(), reason];
        v8::tc_scope!(let tc, scope);
        let undefined = v8::undefined(tc).into();
        handler.call(tc, undefined, &args);
        if tc.has_terminated() || tc.is_execution_terminating() {
            // Let the stop go on past this callback.
            tc.terminate_execution();
        }
    }));
}
