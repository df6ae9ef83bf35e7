//! `RustyRacer::Context` (idl/context.yaml).

use std::sync::Arc;

use magnus::{gc, typed_data::Obj, DataTypeFunctions, Error, Ruby, TypedData, Value};
use rr_glue::{Binary, Callable, Pairs, ThreadToken};
use rusty_racer_runtime::{to_host, v8, CompileSettings, Compiled, ContextId, Failure, JsError};

use crate::core::Core;
use crate::es_module::Module;
use crate::generated::ContextApi;
use crate::gvl::RubyGate;
use crate::isolate::non_negative;
use crate::script::Script;
use crate::values::{args_to_js, RubyValues};

#[derive(TypedData)]
#[magnus(class = "RustyRacer::Context", mark, free_immediately, size)]
pub struct Context {
    core: Arc<Core>,
    id: ContextId,
}

impl DataTypeFunctions for Context {
    fn mark(&self, marker: &gc::Marker) {
        self.core.state.mark(marker);
    }
}

impl Context {
    pub fn new(core: Arc<Core>, id: ContextId) -> Self {
        Context { core, id }
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_with<R>(
        &self,
        ruby: &Ruby,
        method: &str,
        source: &str,
        filename: &str,
        timeout_ms: Option<i64>,
        settle: bool,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<Error>>,
    ) -> Result<R, Error> {
        let timeout = timeout_ms.map(|t| non_negative(ruby, method, "timeout_ms", t)).transpose()?;
        self.core
            .with(ruby, |isolate| isolate.eval_settled(&RubyGate, self.id, source, filename, timeout, settle, convert))
    }

    fn call_with<R>(
        &self,
        ruby: &Ruby,
        name: &str,
        args: &[Value],
        settle: bool,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<Error>>,
    ) -> Result<R, Error> {
        self.core.with(ruby, |isolate| {
            isolate.call_settled(
                &RubyGate,
                self.id,
                name,
                None,
                settle,
                |scope| args_to_js(ruby, scope, &self.core.state, args),
                convert,
            )
        })
    }

    fn attach_all(&self, ruby: &Ruby, entries: &[(String, Callable)]) -> Result<(), Error> {
        // Inside the operation: on a thread-safe isolate, another thread's
        // reset or running JS must not see the callables change midway.
        self.core.with(ruby, |isolate| {
            let mut ids = Vec::with_capacity(entries.len());
            for (path, callable) in entries {
                ids.push(self.core.state.add_callable(ruby, self.id, path, callable.0).map_err(Failure::Host)?);
            }
            let paths: Vec<(&str, u32)> = entries.iter().zip(ids).map(|((path, _), id)| (path.as_str(), id)).collect();
            isolate.attach(self.id, &paths).map_err(Failure::Js)
        })
    }
}

impl Context {
    /// Whether the realm is not disposed (its isolate aside).
    fn alive(&self) -> bool {
        self.core.runtime.try_borrow().map(|r| r.as_ref().is_none_or(|i| i.context_alive(self.id))).unwrap_or(true)
    }

    /// Compiles in this realm (`compile`: a script or a module) with the
    /// IDL's cache keywords.
    fn compiled(
        &self,
        ruby: &Ruby,
        cached_data: &Option<Binary>,
        produce_cache: bool,
        eager: bool,
        compile: impl FnOnce(&rusty_racer_runtime::Isolate, ContextId, &CompileSettings<'_>) -> Result<Compiled, JsError>,
    ) -> Result<Compiled, Error> {
        let settings =
            CompileSettings { cached_data: cached_data.as_ref().map(|b| b.0.as_slice()), produce_cache, eager };
        self.core.with(ruby, |isolate| compile(isolate, self.id, &settings).map_err(Failure::Js))
    }

    /// Takes the realm away (`dispose_context` or `reset_context`) and lets
    /// go of its attached callables.
    fn take_away(
        &self,
        ruby: &Ruby,
        reset: bool,
        how: impl FnOnce(&rusty_racer_runtime::Isolate, ContextId) -> Result<(), JsError>,
    ) -> Result<(), Error> {
        self.core.with(ruby, |isolate| how(isolate, self.id).map_err(Failure::Js))?;
        self.core.state.release_realm(ruby, self.id, reset);
        Ok(())
    }
}

impl ContextApi for Context {
    fn guard_owner_thread(&self) -> Option<ThreadToken> {
        self.core.owner
    }

    fn guard_is_disposed(&self) -> bool {
        self.core.is_disposed() || !self.alive()
    }

    // idl/context.yaml Context#eval
    fn eval(&self, ruby: &Ruby, source: String, filename: String, timeout_ms: Option<i64>) -> Result<Value, Error> {
        self.eval_with(ruby, "RustyRacer::Context#eval", &source, &filename, timeout_ms, false, |scope, value| {
            to_host(scope, value, &mut RubyValues::new(ruby, &self.core))
        })
    }

    // idl/context.yaml Context#eval_void
    fn eval_void(&self, ruby: &Ruby, source: String, filename: String, timeout_ms: Option<i64>) -> Result<(), Error> {
        self.eval_with(ruby, "RustyRacer::Context#eval_void", &source, &filename, timeout_ms, false, |_, _| Ok(()))
    }

    // idl/context.yaml Context#call
    fn call(&self, ruby: &Ruby, name: String, args: &[Value]) -> Result<Value, Error> {
        self.call_with(ruby, &name, args, false, |scope, value| {
            to_host(scope, value, &mut RubyValues::new(ruby, &self.core))
        })
    }

    // idl/context.yaml Context#call_void
    fn call_void(&self, ruby: &Ruby, name: String, args: &[Value]) -> Result<(), Error> {
        self.call_with(ruby, &name, args, false, |_, _| Ok(()))
    }

    // idl/context.yaml Context#eval_await
    fn eval_await(
        &self,
        ruby: &Ruby,
        source: String,
        filename: String,
        timeout_ms: Option<i64>,
    ) -> Result<Value, Error> {
        self.eval_with(ruby, "RustyRacer::Context#eval_await", &source, &filename, timeout_ms, true, |scope, value| {
            to_host(scope, value, &mut RubyValues::new(ruby, &self.core))
        })
    }

    // idl/context.yaml Context#call_await
    fn call_await(&self, ruby: &Ruby, name: String, args: &[Value]) -> Result<Value, Error> {
        self.call_with(ruby, &name, args, true, |scope, value| {
            to_host(scope, value, &mut RubyValues::new(ruby, &self.core))
        })
    }

    // idl/context.yaml Context#attach
    fn attach(&self, ruby: &Ruby, name: String, callable: Callable) -> Result<(), Error> {
        self.attach_all(ruby, &[(name, callable)])
    }

    // idl/context.yaml Context#attach_many
    fn attach_many(&self, ruby: &Ruby, functions: Pairs<String, Callable>) -> Result<(), Error> {
        self.attach_all(ruby, &functions.0)
    }

    // idl/context.yaml Context#compile
    fn compile(
        &self,
        ruby: &Ruby,
        source: String,
        filename: String,
        cached_data: Option<Binary>,
        produce_cache: bool,
        eager: bool,
    ) -> Result<Obj<Script>, Error> {
        let compiled = self.compiled(ruby, &cached_data, produce_cache, eager, |isolate, id, settings| {
            isolate.compile_script(id, &source, &filename, settings)
        })?;
        Ok(ruby.obj_wrap(Script::new(Arc::clone(&self.core), compiled)))
    }

    // idl/context.yaml Context#compile_module
    fn compile_module(
        &self,
        ruby: &Ruby,
        source: String,
        filename: String,
        cached_data: Option<Binary>,
        produce_cache: bool,
        eager: bool,
    ) -> Result<Obj<Module>, Error> {
        let compiled = self.compiled(ruby, &cached_data, produce_cache, eager, |isolate, id, settings| {
            isolate.compile_module(id, &source, &filename, settings)
        })?;
        Ok(Module::wrap(ruby, Arc::clone(&self.core), compiled))
    }

    // idl/context.yaml Context#id
    fn id(&self, _: &Ruby) -> Result<i64, Error> {
        Ok(self.id as i64)
    }

    // idl/context.yaml Context#dispose
    fn dispose(&self, ruby: &Ruby) -> Result<(), Error> {
        if self.core.is_disposed() || self.id == 0 || !self.alive() {
            return Ok(());
        }
        self.take_away(ruby, false, |isolate, id| isolate.dispose_context(id))
    }

    // idl/context.yaml Context#disposed?
    fn is_disposed(&self, _: &Ruby) -> Result<bool, Error> {
        Ok(self.guard_is_disposed())
    }

    // idl/context.yaml Context#reset
    fn reset(&self, ruby: &Ruby) -> Result<(), Error> {
        self.take_away(ruby, true, |isolate, id| isolate.reset_context(id))
    }
}
