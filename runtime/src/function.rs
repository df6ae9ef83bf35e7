//! JS functions handed to the host (`HostValues::function`): kept as
//! Globals in a per-isolate table, called by id, and released on the owner
//! thread under the lock once the host forgets them (from any thread).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{ErrorKind, Failure, JsError};
use crate::isolate::{Gate, Isolate, Realm};

/// A function's number in its isolate's table.
pub type FunctionId = u32;

struct Kept {
    function: v8::Global<v8::Function>,
    /// The realm it was handed out in: calls run there.
    context: v8::Global<v8::Context>,
}

/// The isolate slot holding the kept functions.
pub(crate) struct FunctionTable {
    entries: Vec<Option<Kept>>,
    free: Vec<FunctionId>,
    /// Ids the host forgot, from any thread; released at the next lock.
    forgotten: Arc<Forgotten>,
}

/// Ids the host let go of (from any thread), and a flag read on every
/// operation without taking the lock.
#[derive(Default)]
pub(crate) struct Forgotten {
    pub(crate) any: AtomicBool,
    ids: Mutex<Vec<FunctionId>>,
}

pub(crate) type Table = RefCell<FunctionTable>;

impl FunctionTable {
    pub(crate) fn new(forgotten: Arc<Forgotten>) -> Table {
        RefCell::new(FunctionTable { entries: Vec::new(), free: Vec::new(), forgotten })
    }

    /// Releases what the host forgot. Called with the isolate locked.
    pub(crate) fn release_forgotten(&mut self) {
        self.forgotten.any.store(false, Ordering::SeqCst);
        let ids = std::mem::take(&mut *self.forgotten.ids.lock().unwrap_or_else(|e| e.into_inner()));
        for id in ids {
            if let Some(slot) = self.entries.get_mut(id as usize) {
                if slot.take().is_some() {
                    self.free.push(id);
                }
            }
        }
    }

    /// How many functions are kept.
    pub(crate) fn len(&self) -> usize {
        self.entries.len() - self.free.len()
    }
}

/// Keeps `function` (handed out in the current context) and returns its id.
pub(crate) fn keep(scope: &v8::PinScope<'_, '_>, function: v8::Local<v8::Function>) -> FunctionId {
    let context = scope.get_current_context();
    let kept = Kept { function: v8::Global::new(scope, function), context: v8::Global::new(scope, context) };
    let Some(table) = scope.get_slot::<Table>() else { return FunctionId::MAX };
    let mut table = table.borrow_mut();
    match table.free.pop() {
        Some(id) => {
            table.entries[id as usize] = Some(kept);
            id
        }
        None => {
            table.entries.push(Some(kept));
            (table.entries.len() - 1) as FunctionId
        }
    }
}

/// The kept function `id`, if it is still kept.
pub fn function_local<'s>(scope: &v8::PinScope<'s, '_>, id: FunctionId) -> Option<v8::Local<'s, v8::Function>> {
    let table = scope.get_slot::<Table>()?.borrow();
    let kept = table.entries.get(id as usize)?.as_ref()?;
    Some(v8::Local::new(scope, &kept.function))
}

/// The realm function `id` was handed out in.
pub(crate) fn context_of<'s>(scope: &v8::PinScope<'s, '_, ()>, id: FunctionId) -> Option<v8::Local<'s, v8::Context>> {
    let table = scope.get_slot::<Table>()?.borrow();
    let kept = table.entries.get(id as usize)?.as_ref()?;
    Some(v8::Local::new(scope, &kept.context))
}

fn gone(id: FunctionId) -> JsError {
    JsError::new(ErrorKind::Usage, format!("JS function {id} is no longer kept by this isolate"))
}

impl Isolate {
    /// Calls kept function `id` with `this` undefined, in its realm.
    pub fn call_function<G: Gate, R, E>(
        &self,
        gate: &G,
        id: FunctionId,
        timeout_ms: Option<u64>,
        args: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>) -> Result<Vec<v8::Local<'s, v8::Value>>, Failure<E>>,
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

    /// Lets function `id` go: any thread, no lock (released at the next
    /// operation, on the thread that holds the lock).
    pub fn forget_function(&self, id: FunctionId) {
        self.forgotten.ids.lock().unwrap_or_else(|e| e.into_inner()).push(id);
        self.forgotten.any.store(true, Ordering::SeqCst);
    }

    /// How many JS functions the host holds (released ones excluded).
    pub fn kept_function_count(&self) -> usize {
        self.enter(|isolate, _| {
            let table = isolate.get_slot::<Table>().map(RefCell::borrow_mut);
            table.map_or(0, |mut t| {
                t.release_forgotten();
                t.len()
            })
        })
        .unwrap_or(0)
    }
}
