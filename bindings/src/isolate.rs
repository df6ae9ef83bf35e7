//! `RustyRacer::Isolate` (idl/isolate.yaml).

use std::cell::Cell;
use std::sync::Arc;

use magnus::{gc, prelude::*, typed_data::Obj, DataTypeFunctions, Error, Ruby, TypedData, Value};
use rr_glue::{Callable, Pairs, SymbolName, ThreadToken};
use rusty_racer_runtime::{self as runtime, IsolateOptions};

use crate::context::Context;
use crate::core::Core;
use crate::generated::{Conversions, ErrorClass, IsolateApi, Microtasks};
use crate::gvl::RubyGate;

#[derive(TypedData)]
#[magnus(class = "RustyRacer::Isolate", mark, free_immediately, size)]
pub struct Isolate {
    core: Arc<Core>,
    /// The default context, handed out as the same object every time.
    context: DefaultContext,
}

/// Set and read only on the owner thread (the glue checks), marked under the GVL.
struct DefaultContext(Cell<Option<Obj<Context>>>);

// SAFETY: see above; Ruby values are never touched off the GVL.
unsafe impl Send for DefaultContext {}

impl DataTypeFunctions for Isolate {
    fn mark(&self, marker: &gc::Marker) {
        self.core.state.mark(marker);
        if let Some(context) = self.context.0.get() {
            marker.mark(context);
        }
    }
}

/// A count or limit from Ruby, which must not be negative.
pub fn non_negative(ruby: &Ruby, method: &str, name: &str, value: i64) -> Result<u64, Error> {
    u64::try_from(value)
        .map_err(|_| Error::new(ruby.exception_arg_error(), format!("{method}: {name} must be >= 0 (got {value})")))
}

impl IsolateApi for Isolate {
    fn guard_owner_thread(&self) -> Option<ThreadToken> {
        self.core.owner
    }

    fn guard_is_disposed(&self) -> bool {
        self.core.is_disposed()
    }

    // idl/isolate.yaml Isolate.new
    fn new(
        ruby: &Ruby,
        timeout_ms: i64,
        memory_limit: i64,
        microtasks: Microtasks,
        host_namespace: Option<String>,
        snapshot: Option<Obj<crate::Snapshot>>,
        conversions: Conversions,
        thread_safe: bool,
    ) -> Result<Self, Error> {
        const METHOD: &str = "RustyRacer::Isolate.new";
        let timeout_ms = non_negative(ruby, METHOD, "timeout_ms", timeout_ms)?;
        let memory_limit = non_negative(ruby, METHOD, "memory_limit", memory_limit)? as usize;
        if let Some(ns) = &host_namespace {
            if runtime::parse_path(ns).is_none() {
                return Err(Error::new(
                    ruby.exception_arg_error(),
                    format!("{METHOD}: host_namespace must be a dotted path of JS identifiers (got {ns:?})"),
                ));
            }
        }
        let microtasks = match microtasks {
            Microtasks::Auto => runtime::Microtasks::Auto,
            Microtasks::Explicit => runtime::Microtasks::Explicit,
        };
        let snapshot = snapshot.map(|s| s.baked());
        let options = IsolateOptions { timeout_ms, memory_limit, microtasks, host_namespace, snapshot, thread_safe };
        let core = Core::new(ruby, options, conversions == Conversions::MiniRacer)?;
        Ok(Isolate { core, context: DefaultContext(Cell::new(None)) })
    }

    // idl/isolate.yaml Isolate#context
    fn context(&self, ruby: &Ruby) -> Result<Obj<Context>, Error> {
        if let Some(context) = self.context.0.get() {
            return Ok(context);
        }
        let context = ruby.obj_wrap(Context::new(Arc::clone(&self.core), 0));
        self.context.0.set(Some(context));
        Ok(context)
    }

    // idl/isolate.yaml Isolate#create_context
    fn create_context(&self, ruby: &Ruby) -> Result<Obj<Context>, Error> {
        let id = self.core.with(ruby, |isolate| isolate.new_context().map_err(runtime::Failure::Js))?;
        Ok(ruby.obj_wrap(Context::new(Arc::clone(&self.core), id)))
    }

    // idl/isolate.yaml Isolate#perform_microtask_checkpoint
    fn perform_microtask_checkpoint(&self, ruby: &Ruby) -> Result<(), Error> {
        self.core.with(ruby, |isolate| {
            isolate.perform_microtask_checkpoint(&RubyGate, 0, None).map_err(runtime::Failure::Js)
        })
    }

    // idl/isolate.yaml Isolate#heap_statistics
    fn heap_statistics(&self, ruby: &Ruby) -> Result<Pairs<SymbolName, i64>, Error> {
        let stats = self.core.with(ruby, |isolate| isolate.heap_statistics().map_err(runtime::Failure::Js))?;
        Ok(Pairs(stats.into_iter().map(|(name, n)| (SymbolName(name.into()), n as i64)).collect()))
    }

    // idl/isolate.yaml Isolate#low_memory_notification
    fn low_memory_notification(&self, ruby: &Ruby) -> Result<(), Error> {
        self.core.with(ruby, |isolate| isolate.low_memory_notification().map_err(runtime::Failure::Js))
    }

    // idl/isolate.yaml Isolate#pump_message_loop
    fn pump_message_loop(&self, ruby: &Ruby) -> Result<(), Error> {
        self.core.with(ruby, |isolate| isolate.pump_message_loop(&RubyGate).map_err(runtime::Failure::Js))
    }

    // idl/isolate.yaml Isolate#write_heap_snapshot
    fn write_heap_snapshot(&self, ruby: &Ruby, path_or_io: Value) -> Result<(), Error> {
        let snapshot = self.core.with(ruby, |isolate| isolate.heap_snapshot().map_err(runtime::Failure::Js))?;
        let json = ruby.str_from_slice(&snapshot);
        if path_or_io.respond_to("write", false)? {
            path_or_io.funcall::<_, _, Value>("write", (json,))?;
        } else {
            let path = magnus::RString::try_convert(path_or_io).map_err(|_| {
                Error::new(
                    ruby.exception_type_error(),
                    format!(
                        "RustyRacer::Isolate#write_heap_snapshot: path_or_io must be a path String or respond to \
                         write (got {})",
                        unsafe { path_or_io.classname() }
                    ),
                )
            })?;
            ruby.class_object()
                .const_get::<_, magnus::RClass>("File")?
                .funcall::<_, _, Value>("binwrite", (path, json))?;
        }
        Ok(())
    }

    // idl/isolate.yaml Isolate#terminate (any thread)
    fn terminate(&self, _: &Ruby) -> Result<(), Error> {
        self.core.stopper.stop();
        Ok(())
    }

    // idl/isolate.yaml Isolate#dispose (any thread)
    fn dispose(&self, ruby: &Ruby) -> Result<(), Error> {
        let here = self.core.owner.is_none_or(|owner| owner == rr_glue::current_thread());
        let inside = here && self.core.runtime.try_borrow().map_or(true, |r| r.as_ref().is_some_and(|i| i.is_busy()));
        if !here || (self.core.owner.is_none() && !inside) {
            // Another thread may be inside an operation (or waiting for a
            // thread-safe isolate's turn): stop it; the isolate is released
            // as the operation returns. If idle, it is released here.
            self.core.dispose_from_another_thread();
            return Ok(());
        }
        let Ok(slot) = self.core.runtime.try_borrow_mut() else {
            return Err(ErrorClass::Error.error(
                ruby,
                "RustyRacer::Isolate#dispose: cannot dispose an isolate while one of its operations is running \
                 (from inside its own callback); dispose it after the operation returns",
            ));
        };
        drop(slot);
        self.core.release_now();
        Ok(())
    }

    // idl/isolate.yaml Isolate#dynamic_import_resolver=
    fn set_dynamic_import_resolver(&self, _: &Ruby, resolver: Option<Callable>) -> Result<(), Error> {
        self.core.state.set_import_resolver(resolver.map(|c| c.0));
        Ok(())
    }

    // idl/isolate.yaml Isolate#dynamic_import_resolver
    fn dynamic_import_resolver(&self, ruby: &Ruby) -> Result<Value, Error> {
        Ok(self.core.state.import_resolver().unwrap_or_else(|| ruby.qnil().as_value()))
    }

    // idl/isolate.yaml Isolate#disposed? (any thread)
    fn is_disposed(&self, _: &Ruby) -> Result<bool, Error> {
        Ok(self.core.is_disposed())
    }
}
