//! `RustyRacer::Module` (idl/module.yaml): an ES module kept in its
//! isolate, and the Ruby side of module resolution (a resolver block, the
//! isolate's dynamic import resolver).

use std::sync::Arc;

use magnus::{block::Proc, gc, prelude::*, typed_data::Obj, DataTypeFunctions, Error, Ruby, TypedData, Value};
use rr_glue::{Binary, ThreadToken};
use rusty_racer_runtime::{to_host, Compiled, Failure, HandleKind, ModuleStatus as Status, Resolution};

use crate::core::{Core, HostState};
use crate::generated::{ErrorClass, ModuleApi, ModuleStatus};
use crate::gvl::RubyGate;
use crate::host;
use crate::isolate::non_negative;
use crate::kept::KeptHandle;
use crate::values::RubyValues;

#[derive(TypedData)]
#[magnus(class = "RustyRacer::Module", mark, free_immediately, size)]
pub struct Module {
    handle: KeptHandle,
    cached_data: Option<Vec<u8>>,
    cache_rejected: bool,
}

impl DataTypeFunctions for Module {
    fn mark(&self, marker: &gc::Marker) {
        self.handle.core.state.mark(marker);
    }
}

impl Module {
    /// A Module object for `compiled`.
    pub fn wrap(ruby: &Ruby, core: Arc<Core>, compiled: Compiled) -> Obj<Module> {
        ruby.obj_wrap(Module {
            handle: KeptHandle::new(core, HandleKind::Module, compiled.id),
            cached_data: compiled.cached_data,
            cache_rejected: compiled.cache_rejected,
        })
    }

    fn with<R>(
        &self,
        ruby: &Ruby,
        op: impl FnOnce(&rusty_racer_runtime::Isolate, u32) -> Result<R, rusty_racer_runtime::JsError>,
    ) -> Result<R, Error> {
        self.handle.check(ruby, "module")?;
        let KeptHandle { core, id, .. } = &self.handle;
        core.with(ruby, |isolate| op(isolate, *id).map_err(Failure::Js))
    }
}

/// What a Ruby resolver's answer means for the link: a Module of this
/// isolate, nil, or an error raised from the import (the Ruby exception
/// kept to re-raise with its own class if JS lets it escape).
pub fn resolution(ruby: &Ruby, core: &Core, answer: Result<Value, Error>) -> Resolution {
    let error = match answer {
        Ok(value) if value.is_nil() => return Resolution::NotFound,
        Ok(value) => match <Obj<Module> as magnus::TryConvert>::try_convert(value) {
            Ok(module) if !module.handle.is_of(core) => ErrorClass::Error.error(
                ruby,
                "the module resolver returned a RustyRacer::Module of another isolate than the importing one",
            ),
            Ok(module) if module.handle.is_disposed() => {
                ErrorClass::DisposedError.error(ruby, "the module resolver returned a disposed RustyRacer::Module")
            }
            Ok(module) => return Resolution::Module(module.handle.id),
            Err(_) => Error::new(
                ruby.exception_type_error(),
                format!("module resolver must return a RustyRacer::Module or nil (got {})", unsafe {
                    value.classname()
                }),
            ),
        },
        Err(e) => e,
    };
    host::raised_from_import(ruby, &core.state, error)
}

/// Asks a Ruby resolver (`ask` calls it) from inside V8, as a callback is
/// called (see `host::guarded`: a Fiber switch inside it is safe).
fn ask_ruby(state: &HostState, ask: impl FnOnce(&Ruby) -> Resolution) -> Resolution {
    let (answer, conflict) = host::guarded(state, |ruby, settle| {
        let answer = ask(ruby);
        settle(ruby);
        answer
    });
    if conflict {
        return Resolution::Throw { message: host::FIBER_CONFLICT.into(), host_error: None };
    }
    answer.unwrap_or(Resolution::Stop)
}

/// `import()`'s resolver: `resolver.call(specifier, referrer_url, context)`.
pub fn dynamic_import(
    core: *const Core,
    state: &HostState,
    specifier: &str,
    referrer_url: &str,
    ctx: usize,
) -> Resolution {
    ask_ruby(state, |ruby| {
        // SAFETY: JS calls the host only inside this Core's operations.
        let core_ref = unsafe { &*core };
        let Some(resolver) = state.import_resolver() else {
            return Resolution::Throw {
                message: format!("cannot import {specifier:?}: no RustyRacer::Isolate#dynamic_import_resolver is set"),
                host_error: None,
            };
        };
        // SAFETY: as above; the Context object takes its own reference.
        let shared = unsafe {
            Arc::increment_strong_count(core);
            Arc::from_raw(core)
        };
        let context = ruby.obj_wrap(crate::context::Context::new(shared, ctx));
        let answer = resolver.funcall("call", (specifier, referrer_url, context));
        resolution(ruby, core_ref, answer)
    })
}

impl ModuleApi for Module {
    fn guard_owner_thread(&self) -> Option<ThreadToken> {
        self.handle.core.owner
    }

    fn guard_is_disposed(&self) -> bool {
        self.handle.core.is_disposed()
    }

    // idl/module.yaml Module#instantiate
    fn instantiate(&self, ruby: &Ruby, block: Proc) -> Result<(), Error> {
        let core = &self.handle.core;
        let mut resolver = |specifier: &str, referrer_url: &str| {
            ask_ruby(&core.state, |ruby| resolution(ruby, core, block.call::<_, Value>((specifier, referrer_url))))
        };
        self.with(ruby, |isolate, id| isolate.instantiate_module(id, &mut resolver))
    }

    // idl/module.yaml Module#evaluate
    fn evaluate(&self, ruby: &Ruby, timeout_ms: Option<i64>) -> Result<(), Error> {
        let timeout =
            timeout_ms.map(|t| non_negative(ruby, "RustyRacer::Module#evaluate", "timeout_ms", t)).transpose()?;
        self.with(ruby, |isolate, id| isolate.evaluate_module(&RubyGate, id, timeout))
    }

    // idl/module.yaml Module#namespace
    fn namespace(&self, ruby: &Ruby) -> Result<Value, Error> {
        self.handle.check(ruby, "module")?;
        let KeptHandle { core, id, .. } = &self.handle;
        core.with(ruby, |isolate| {
            isolate.module_namespace(*id, |scope, value| to_host(scope, value, &mut RubyValues::new(ruby, core)))
        })
    }

    // idl/module.yaml Module#status
    fn status(&self, ruby: &Ruby) -> Result<ModuleStatus, Error> {
        let status = self.with(ruby, |isolate, id| isolate.module_status(id))?;
        Ok(match status {
            Status::Uninstantiated => ModuleStatus::Uninstantiated,
            Status::Instantiating => ModuleStatus::Instantiating,
            Status::Instantiated => ModuleStatus::Instantiated,
            Status::Evaluating => ModuleStatus::Evaluating,
            Status::Evaluated => ModuleStatus::Evaluated,
            Status::Errored => ModuleStatus::Errored,
        })
    }

    // idl/module.yaml Module#graph_async?
    fn is_graph_async(&self, ruby: &Ruby) -> Result<bool, Error> {
        self.with(ruby, |isolate, id| isolate.module_graph_async(id))
    }

    // idl/module.yaml Module#cached_data
    fn cached_data(&self, ruby: &Ruby) -> Result<Option<Binary>, Error> {
        self.handle.check(ruby, "module")?;
        Ok(self.cached_data.clone().map(Binary))
    }

    // idl/module.yaml Module#cache_rejected?
    fn is_cache_rejected(&self, ruby: &Ruby) -> Result<bool, Error> {
        self.handle.check(ruby, "module")?;
        Ok(self.cache_rejected)
    }

    // idl/module.yaml Module#create_code_cache
    fn create_code_cache(&self, ruby: &Ruby) -> Result<Option<Binary>, Error> {
        Ok(self
            .with(ruby, |isolate, id| isolate.module_code_cache(id).or_else(crate::script::none_if_realm_gone))?
            .map(Binary))
    }

    // idl/module.yaml Module#url
    fn url(&self, ruby: &Ruby) -> Result<String, Error> {
        self.with(ruby, |isolate, id| isolate.module_url(id))
    }

    // idl/module.yaml Module#dispose
    fn dispose(&self, _: &Ruby) -> Result<(), Error> {
        self.handle.dispose();
        Ok(())
    }

    // idl/module.yaml Module#disposed?
    fn is_disposed(&self, _: &Ruby) -> Result<bool, Error> {
        Ok(self.handle.is_disposed())
    }
}
