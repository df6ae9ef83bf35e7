//! `RustyRacer::Script` (idl/script.yaml): a classic script kept in its
//! isolate, run by id.

use std::sync::Arc;

use magnus::{gc, DataTypeFunctions, Error, Ruby, TypedData, Value};
use rr_glue::{Binary, ThreadToken};
use rusty_racer_runtime::{to_host, v8, Compiled, Failure, HandleKind};

use crate::core::Core;
use crate::generated::ScriptApi;
use crate::gvl::RubyGate;
use crate::isolate::non_negative;
use crate::kept::KeptHandle;
use crate::values::RubyValues;

#[derive(TypedData)]
#[magnus(class = "RustyRacer::Script", mark, free_immediately, size)]
pub struct Script {
    handle: KeptHandle,
    cached_data: Option<Vec<u8>>,
    cache_rejected: bool,
}

impl DataTypeFunctions for Script {
    fn mark(&self, marker: &gc::Marker) {
        self.handle.core.state.mark(marker);
    }
}

impl Script {
    pub fn new(core: Arc<Core>, compiled: Compiled) -> Self {
        Script {
            handle: KeptHandle::new(core, HandleKind::Script, compiled.id),
            cached_data: compiled.cached_data,
            cache_rejected: compiled.cache_rejected,
        }
    }

    fn run_with<R>(
        &self,
        ruby: &Ruby,
        method: &str,
        timeout_ms: Option<i64>,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<Error>>,
    ) -> Result<R, Error> {
        self.handle.check(ruby, "script")?;
        let timeout = timeout_ms.map(|t| non_negative(ruby, method, "timeout_ms", t)).transpose()?;
        let KeptHandle { core, id, .. } = &self.handle;
        core.with(ruby, |isolate| isolate.run_script(&RubyGate, *id, timeout, convert))
    }
}

/// A cache of a script or module dropped with its realm is nil.
pub fn none_if_realm_gone(e: rusty_racer_runtime::JsError) -> Result<Option<Vec<u8>>, rusty_racer_runtime::JsError> {
    if e.kind == rusty_racer_runtime::ErrorKind::Disposed {
        return Ok(None);
    }
    Err(e)
}

impl ScriptApi for Script {
    fn guard_owner_thread(&self) -> Option<ThreadToken> {
        self.handle.core.owner
    }

    fn guard_is_disposed(&self) -> bool {
        self.handle.core.is_disposed()
    }

    // idl/script.yaml Script#run
    fn run(&self, ruby: &Ruby, timeout_ms: Option<i64>) -> Result<Value, Error> {
        self.run_with(ruby, "RustyRacer::Script#run", timeout_ms, |scope, value| {
            to_host(scope, value, &mut RubyValues::new(ruby, &self.handle.core))
        })
    }

    // idl/script.yaml Script#run_void
    fn run_void(&self, ruby: &Ruby, timeout_ms: Option<i64>) -> Result<(), Error> {
        self.run_with(ruby, "RustyRacer::Script#run_void", timeout_ms, |_, _| Ok(()))
    }

    // idl/script.yaml Script#cached_data
    fn cached_data(&self, ruby: &Ruby) -> Result<Option<Binary>, Error> {
        self.handle.check(ruby, "script")?;
        Ok(self.cached_data.clone().map(Binary))
    }

    // idl/script.yaml Script#cache_rejected?
    fn is_cache_rejected(&self, ruby: &Ruby) -> Result<bool, Error> {
        self.handle.check(ruby, "script")?;
        Ok(self.cache_rejected)
    }

    // idl/script.yaml Script#create_code_cache
    fn create_code_cache(&self, ruby: &Ruby) -> Result<Option<Binary>, Error> {
        self.handle.check(ruby, "script")?;
        let KeptHandle { core, id, .. } = &self.handle;
        let bytes =
            core.with(ruby, |isolate| isolate.script_code_cache(*id).or_else(none_if_realm_gone).map_err(Failure::Js))?;
        Ok(bytes.map(Binary))
    }

    // idl/script.yaml Script#dispose
    fn dispose(&self, _: &Ruby) -> Result<(), Error> {
        self.handle.dispose();
        Ok(())
    }

    // idl/script.yaml Script#disposed?
    fn is_disposed(&self, _: &Ruby) -> Result<bool, Error> {
        Ok(self.handle.is_disposed())
    }
}
