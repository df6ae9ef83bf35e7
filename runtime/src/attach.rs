//! Host functions made callable from JS at dotted paths.

use v8::MapFnTo;

use crate::error::{ErrorKind, Failure, JsError};
use crate::exception::{key, throw_error, type_name};
use crate::isolate::{ContextId, HostSlot, Isolate, Realm};
use crate::path::parse_path;
use crate::termination::{stop_now, stop_requested};

impl Isolate {
    /// Makes host function `id` callable from JS at each dotted path
    /// (relative to `globalThis`), creating missing intermediate objects.
    /// Paths are all checked before anything is attached.
    pub fn attach(&self, ctx: ContextId, entries: &[(&str, u32)]) -> Result<(), JsError> {
        let mut parsed = Vec::with_capacity(entries.len());
        for (path, id) in entries {
            let parts = parse_path(path).ok_or_else(|| {
                JsError::new(
                    ErrorKind::Runtime,
                    format!("cannot attach {path:?}: not a plain dotted path of identifiers"),
                )
            })?;
            parsed.push((*path, parts, *id));
        }
        self.run::<(), JsError>(Realm::Id(ctx), Some(0), |tc, _| {
            for (path, parts, id) in &parsed {
                let (last, parents) = parts.split_last().unwrap_or((&"", &[]));
                let holder = holder_at(tc, parents, path)?;
                let data = v8::Integer::new_from_unsigned(tc, *id);
                let function =
                    v8::Function::builder(host_trampoline).data(data.into()).build(tc).ok_or(Failure::Exception)?;
                let name = v8::String::new(tc, last).ok_or(Failure::Exception)?;
                function.set_name(name);
                set_checked(tc, holder, name.into(), function.into(), path, path)?;
            }
            Ok(())
        })
        .map_err(|f| f.into_js_error("attach failed"))
    }

    /// Installs the host namespace (`IsolateOptions::host_namespace`, a
    /// dotted path: its objects are created) in context `ctx`, holding the
    /// gem's helpers: `drainMicrotasks()` runs the queued promise jobs.
    pub(crate) fn install_host_namespace(&self, ctx: ContextId) -> Result<(), JsError> {
        let Some(namespace) = self.options.host_namespace.clone() else { return Ok(()) };
        let parts = parse_path(&namespace).ok_or_else(|| {
            JsError::new(ErrorKind::Usage, format!("host_namespace {namespace:?} is not a dotted path of identifiers"))
        })?;
        self.run::<(), JsError>(Realm::Id(ctx), Some(0), |tc, _| {
            let holder = holder_at(tc, &parts, &namespace)?;
            let helpers: [(&str, v8::FunctionCallback); 9] = [
                ("drainMicrotasks", drain_microtasks.map_fn_to()),
                ("contextGlobal", crate::realm::context_global.map_fn_to()),
                ("contextOf", crate::realm::context_of.map_fn_to()),
                ("setPromiseRejectHandler", crate::realm::set_promise_reject_handler.map_fn_to()),
                ("transferOut", crate::transfer::transfer_out.map_fn_to()),
                ("transferIn", crate::transfer::transfer_in.map_fn_to()),
                ("shareOut", crate::transfer::share_out.map_fn_to()),
                ("shareIn", crate::transfer::share_in.map_fn_to()),
                ("transferDrop", crate::transfer::transfer_drop.map_fn_to()),
            ];
            for (name, callback) in helpers {
                let function = v8::Function::builder_raw(callback).build(tc).ok_or(Failure::Exception)?;
                let key = v8::String::new(tc, name).ok_or(Failure::Exception)?;
                function.set_name(key);
                set_checked(tc, holder, key.into(), function.into(), &namespace, &format!("{namespace}.{name}"))?;
            }
            Ok(())
        })
        .map_err(|f| f.into_js_error("installing the host namespace failed"))
    }
}

/// The object at `parts` under `globalThis`, creating the missing ones.
fn holder_at<'s, E>(
    tc: &mut v8::PinScope<'s, '_>,
    parts: &[&str],
    path: &str,
) -> Result<v8::Local<'s, v8::Object>, Failure<E>> {
    let mut holder = tc.get_current_context().global(tc);
    for (i, part) in parts.iter().enumerate() {
        let key = key(tc, part)?;
        let next = holder.get(tc, key).ok_or(Failure::Exception)?;
        holder = if next.is_undefined() {
            let created = v8::Object::new(tc);
            set_checked(tc, holder, key, created.into(), path, &parts[..=i].join("."))?;
            created
        } else {
            next.try_into().map_err(|_| {
                let so_far = parts[..=i].join(".");
                JsError::new(
                    ErrorKind::Runtime,
                    format!("cannot attach {path}: {so_far} is {}, not an object", type_name(tc, next)),
                )
            })?
        };
    }
    Ok(holder)
}

/// `drainMicrotasks()` of the host namespace.
fn drain_microtasks<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s, v8::Value>,
) {
    if crate::module::evaluation_running(scope) {
        return throw_error(scope, crate::module::JOBS_REFUSED, None);
    }
    crate::microtasks::drain(scope);
}

/// `holder[key] = value`, checked: a frozen holder or a non-writable
/// property ignores the assignment silently in sloppy mode.
fn set_checked<E>(
    tc: &v8::PinScope<'_, '_>,
    holder: v8::Local<v8::Object>,
    key: v8::Local<v8::Value>,
    value: v8::Local<v8::Value>,
    path: &str,
    target: &str,
) -> Result<(), Failure<E>> {
    holder.set(tc, key, value).ok_or(Failure::Exception)?;
    let now = holder.get(tc, key).ok_or(Failure::Exception)?;
    if now.strict_equals(value) {
        return Ok(());
    }
    let message =
        format!("cannot attach {path}: {target} cannot be assigned (a frozen object or a read-only property)");
    Err(Failure::Js(JsError::new(ErrorKind::Runtime, message)))
}

fn host_trampoline<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    // JS that is being stopped does not reach the host again.
    if stop_requested(scope) {
        stop_now(scope);
        return;
    }
    // The realm JS enters the host from stays in use meanwhile (with one
    // realm, the operation's own count has it).
    let _busy = crate::realm_helpers::several_realms(scope)
        .then(|| crate::realm::Busy::new(scope, crate::realm_helpers::current_realm(scope)));
    // A panic must not unwind into V8's C++ frames: it would abort.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let id = args.data().uint32_value(scope)?;
        let host = scope.get_slot::<HostSlot>()?.0.clone();
        Some(host.call(scope, id, &args))
    }));
    // Stopped meanwhile (Isolate#terminate or a timeout while the host ran,
    // a Ruby exit or kill): no more JS runs.
    if stop_requested(scope) {
        stop_now(scope);
        return;
    }
    match outcome {
        Ok(Some(Some(value))) => rv.set(value),
        Ok(Some(None)) => {}
        Ok(None) | Err(_) => throw_error(scope, "rusty_racer: internal error in a host function", None),
    }
}
