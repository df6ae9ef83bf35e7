//! JS functions handed to the host (`HostValues::function`): kept (see
//! `kept.rs`) with the realm they came from, and called by id.

use std::cell::RefCell;

use crate::error::{ErrorKind, Failure, JsError};
use crate::isolate::{Gate, Isolate, Realm};
use crate::kept::Slab;

/// A function's number in its isolate's table.
pub type FunctionId = u32;

pub(crate) struct Kept {
    function: v8::Global<v8::Function>,
    /// The realm it was handed out in: calls run there.
    context: v8::Global<v8::Context>,
}

/// The isolate slot holding the kept functions.
pub(crate) type Table = RefCell<Slab<Kept>>;

pub(crate) fn is_kept(isolate: &v8::Isolate, id: FunctionId) -> bool {
    isolate.get_slot::<Table>().is_some_and(|t| t.borrow().get(id).is_some())
}

/// Drops the functions handed out in realm `context` (it went away).
pub(crate) fn drop_realm(scope: &v8::PinScope<'_, '_, ()>, context: v8::Local<v8::Context>) {
    if let Some(table) = scope.get_slot::<Table>() {
        table.borrow_mut().drop_where(|kept| v8::Local::new(scope, &kept.context) == context);
    }
}

/// Keeps `function` (handed out in the current context) and returns its id.
pub(crate) fn keep(scope: &v8::PinScope<'_, '_>, function: v8::Local<v8::Function>) -> FunctionId {
    let context = scope.get_current_context();
    let kept = Kept { function: v8::Global::new(scope, function), context: v8::Global::new(scope, context) };
    let Some(table) = scope.get_slot::<Table>() else { return FunctionId::MAX };
    table.borrow_mut().insert(kept)
}

/// The kept function `id`, if it is still kept.
pub fn function_local<'s>(scope: &v8::PinScope<'s, '_>, id: FunctionId) -> Option<v8::Local<'s, v8::Function>> {
    let table = scope.get_slot::<Table>()?.borrow();
    Some(v8::Local::new(scope, &table.get(id)?.function))
}

/// The realm function `id` was handed out in.
pub(crate) fn context_of<'s>(scope: &v8::PinScope<'s, '_, ()>, id: FunctionId) -> Option<v8::Local<'s, v8::Context>> {
    let table = scope.get_slot::<Table>()?.borrow();
    Some(v8::Local::new(scope, &table.get(id)?.context))
}

pub(crate) fn gone(id: FunctionId) -> JsError {
    JsError::new(ErrorKind::Disposed, format!("JS function {id} is gone (its context was disposed or reset)"))
}

impl Isolate {
    /// Calls kept function `id` with `this` undefined, in its realm.
    pub fn call_function<G: Gate, R, E>(
        &self,
        gate: &G,
        id: FunctionId,
        timeout_ms: Option<u64>,
        args: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>) -> Result<crate::Args<'s>, Failure<E>>,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.run(Realm::Of(id), timeout_ms, |tc, op| {
            let function = function_local(tc, id).ok_or_else(|| gone(id))?;
            let args = args(tc)?;
            let receiver = v8::undefined(tc).into();
            let value = self.run_js(gate, tc, op, |tc| function.call(tc, receiver, &args))?;
            convert(tc, value)
        })
    }

    /// The `name` of kept function `id` ("" for an anonymous one).
    pub fn function_name(&self, id: FunctionId) -> Result<String, JsError> {
        self.run::<String, ()>(Realm::Of(id), Some(0), |tc, _| {
            let function = function_local(tc, id).ok_or_else(|| gone(id))?;
            // A callable Proxy has no name: V8 gives undefined, typed as a string.
            let name: v8::Local<v8::Value> = function.get_name(tc).into();
            Ok(match v8::Local::<v8::String>::try_from(name) {
                Ok(name) => name.to_rust_string_lossy(tc),
                Err(_) => String::new(),
            })
        })
        .map_err(|f| match f {
            Failure::Js(e) => e,
            _ => gone(id),
        })
    }

    /// How many JS functions the host holds (released ones excluded).
    pub fn kept_function_count(&self) -> usize {
        self.enter(|isolate, _| {
            self.release_forgotten(isolate);
            isolate.get_slot::<Table>().map_or(0, |t| t.borrow().len())
        })
        .unwrap_or(0)
    }
}
