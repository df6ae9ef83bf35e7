//! `RustyRacer::JSFunction` (idl/js_function.yaml): a JS function kept in
//! its isolate's function table, called by id.

use std::sync::Arc;

use magnus::{gc, prelude::*, DataTypeFunctions, Error, Ruby, TypedData, Value};
use rr_glue::ThreadToken;
use rusty_racer_runtime::{v8, Failure, FunctionId, HandleKind};

use crate::core::{Core, HostState};
use crate::generated::{ErrorClass, JSFunctionApi};
use crate::gvl::RubyGate;
use crate::kept::KeptHandle;
use crate::values::{args_to_js, function_in, RubyValues};

#[derive(TypedData)]
#[magnus(class = "RustyRacer::JSFunction", mark, free_immediately, size)]
pub struct JSFunction {
    /// Shared with the Procs `to_proc` makes.
    handle: Arc<KeptHandle>,
}

impl DataTypeFunctions for JSFunction {
    fn mark(&self, marker: &gc::Marker) {
        // It may outlive the Isolate object: keep what the isolate holds alive.
        self.handle.core.state.mark(marker);
    }
}

impl JSFunction {
    pub fn new(core: Arc<Core>, id: FunctionId) -> Self {
        JSFunction { handle: Arc::new(KeptHandle::new(core, HandleKind::Function, id)) }
    }

    pub fn from_value(ruby: &Ruby, value: Value) -> Option<&'static JSFunction> {
        if !value.is_kind_of(<JSFunction as TypedData>::class(ruby)) {
            return None;
        }
        let obj = <magnus::typed_data::Obj<JSFunction> as magnus::TryConvert>::try_convert(value).ok()?;
        let r: &JSFunction = &obj;
        // SAFETY: the object is alive for the conversion that asked (it is
        // an argument or result the caller holds).
        Some(unsafe { &*(r as *const JSFunction) })
    }

    /// This function as a JS value in `scope`, which must be its isolate's.
    pub fn local<'s>(
        &self,
        ruby: &Ruby,
        scope: &v8::PinScope<'s, '_>,
        state: &HostState,
    ) -> Result<v8::Local<'s, v8::Value>, Error> {
        if !std::ptr::eq(Arc::as_ptr(&self.handle.core.state), state) {
            return Err(ErrorClass::Error
                .error(ruby, "cannot pass a RustyRacer::JSFunction to another isolate than the one it came from"));
        }
        function_in(scope, self.handle.id)
            .ok_or_else(|| ErrorClass::DisposedError.error(ruby, "the JS function is gone"))
    }
}

/// Calls through the handle a JSFunction shares with its Procs.
trait Call {
    fn call_with<R>(
        &self,
        ruby: &Ruby,
        args: &[Value],
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<Error>>,
    ) -> Result<R, Error>;
    fn call(&self, ruby: &Ruby, args: &[Value]) -> Result<Value, Error>;
}

impl Call for KeptHandle {
    fn call_with<R>(
        &self,
        ruby: &Ruby,
        args: &[Value],
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<Error>>,
    ) -> Result<R, Error> {
        let state = &self.core.state;
        self.core.with(ruby, |isolate| {
            isolate.call_function(&RubyGate, self.id, None, |scope| args_to_js(ruby, scope, state, args), convert)
        })
    }

    fn call(&self, ruby: &Ruby, args: &[Value]) -> Result<Value, Error> {
        self.call_with(ruby, args, |scope, value| {
            rusty_racer_runtime::to_host(scope, value, &mut RubyValues::new(ruby, &self.core))
        })
    }
}

impl JSFunctionApi for JSFunction {
    fn guard_owner_thread(&self) -> Option<ThreadToken> {
        self.handle.core.owner
    }

    fn guard_is_disposed(&self) -> bool {
        self.handle.core.is_disposed()
    }

    // idl/js_function.yaml JSFunction#call
    fn call(&self, ruby: &Ruby, args: &[Value]) -> Result<Value, Error> {
        self.handle.call(ruby, args)
    }

    // idl/js_function.yaml JSFunction#call_void
    fn call_void(&self, ruby: &Ruby, args: &[Value]) -> Result<(), Error> {
        self.handle.call_with(ruby, args, |_, _| Ok(()))
    }

    // idl/js_function.yaml JSFunction#name
    fn name(&self, ruby: &Ruby) -> Result<String, Error> {
        let KeptHandle { core, id, .. } = &*self.handle;
        core.with(ruby, |isolate| isolate.function_name(*id).map_err(Failure::Js))
    }

    // idl/js_function.yaml JSFunction#inspect
    fn inspect(&self, ruby: &Ruby) -> Result<String, Error> {
        if self.handle.core.is_disposed() {
            return Ok("#<RustyRacer::JSFunction (disposed)>".into());
        }
        let name = self.name(ruby)?;
        Ok(if name.is_empty() {
            "#<RustyRacer::JSFunction (anonymous)>".into()
        } else {
            format!("#<RustyRacer::JSFunction {name}>")
        })
    }

    // idl/js_function.yaml JSFunction#to_proc
    fn to_proc(&self, ruby: &Ruby) -> Result<Value, Error> {
        // The Proc shares the kept function (not this Ruby object) and keeps
        // the isolate's Ruby values alive through a hidden ivar, as this
        // object's mark does; the thread and disposed checks run per call.
        let handle = Arc::clone(&self.handle);
        let proc = ruby.proc_from_fn(move |ruby, args, _block| -> Result<Value, Error> {
            if handle.core.owner.is_some_and(|owner| owner != rr_glue::current_thread()) {
                return Err(ErrorClass::WrongThreadError.error(
                    ruby,
                    "RustyRacer::JSFunction#to_proc: called from a thread other than the isolate's owner",
                ));
            }
            if handle.core.is_disposed() {
                return Err(ErrorClass::DisposedError.error(ruby, "the Isolate of this JSFunction has been disposed"));
            }
            handle.call(ruby, args)
        });
        proc.ivar_set("__rr_isolate", self.handle.core.state.roots(ruby))?;
        Ok(proc.as_value())
    }
}
