//! Realms beyond the default one: made, disposed, and reset (a fresh
//! context under the same id). A realm that goes away takes the handles
//! the host kept in it (functions, scripts, modules) and its helpers, so
//! V8 can collect its context.

use crate::error::{ErrorKind, JsError};
use crate::isolate::{ContextId, Isolate};

/// Counts an operation as running in realm `id` while it lives (a realm
/// with one is not reset or disposed under it).
pub(crate) struct Busy<'a> {
    isolate: &'a Isolate,
    id: Option<ContextId>,
}

impl<'a> Busy<'a> {
    pub(crate) fn new(isolate: &'a Isolate, id: Option<ContextId>) -> Self {
        if let Some(id) = id {
            let mut busy = isolate.realm_busy.borrow_mut();
            if busy.len() <= id {
                busy.resize(id + 1, 0);
            }
            busy[id] += 1;
        }
        Busy { isolate, id }
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            if let Some(count) = self.isolate.realm_busy.borrow_mut().get_mut(id) {
                *count = count.saturating_sub(1);
            }
        }
    }
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

    /// Whether realm `ctx` exists and is not disposed.
    pub fn context_alive(&self, ctx: ContextId) -> bool {
        self.contexts.try_borrow().map(|c| c.get(ctx).is_some_and(Option::is_some)).unwrap_or(true)
    }

    /// Refuses to take realm `ctx` away while an operation runs in it (a
    /// callback of its own is on the stack) or promise jobs are running.
    fn check_idle(&self, ctx: ContextId, what: &str) -> Result<(), JsError> {
        if self.realm_busy.borrow().get(ctx).copied().unwrap_or(0) > 0 {
            return Err(refused(format!(
                "cannot {what} context {ctx} while an operation runs in it (from inside one of its own callbacks); \
                 {what} it after the operation returns"
            )));
        }
        if crate::microtasks::draining() {
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
            let fresh = v8::Context::new(scope, Default::default());
            crate::realm_helpers::install_helper(scope, fresh, ctx);
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
    crate::function::drop_realm(scope, old);
    crate::script::drop_realm(scope, ctx);
    crate::module::drop_realm(scope, ctx);
}
