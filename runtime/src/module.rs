//! ES modules: compiled and kept (see `kept.rs`) with their realm, URL and
//! unbound script (V8 hands that out only before evaluation, and a code
//! cache made later needs it), linked through a host resolver, evaluated
//! under the operation rules. `import()` and `import.meta` are served here.
//!
//! V8 aborts the process on several misuses (a namespace, evaluation or
//! `IsGraphAsync` before linking, `GetException` of a module that is not
//! errored, the unbound script after evaluation): each is checked first.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use v8::script_compiler::NoCacheReason;

use crate::cache::{self, CacheKind, CompileSettings, Compiled};
use crate::error::{ErrorKind, Failure, JsError};
use crate::exception::{error_value, js_error, throw_error};
use crate::isolate::{ContextId, Gate, HostSlot, Isolate, Realm};
use crate::kept::{HandleKind, Slab};

/// A module's number in its isolate's table.
pub type ModuleId = u32;

pub(crate) struct Kept {
    module: v8::Global<v8::Module>,
    unbound: v8::Global<v8::UnboundModuleScript>,
    ctx: ContextId,
    /// `import.meta.url`, and the referrer URL its imports are resolved from.
    url: String,
    source_hash: u64,
    /// Its evaluation was stopped (timeout, terminate, memory): V8 keeps
    /// it errored with no exception worth reporting.
    stopped: bool,
    /// Linked into a graph: V8 may still need its URL (import.meta, the
    /// referrer of imports) after the host lets go of it, so it stays kept
    /// until its realm goes.
    linked: bool,
}

/// The isolate slot holding the kept modules, findable by identity (V8
/// hands callbacks the module, not our number).
#[derive(Default)]
pub(crate) struct Modules {
    kept: Slab<Kept>,
    by_hash: HashMap<i32, Vec<ModuleId>>,
}

pub(crate) type Table = RefCell<Modules>;

impl Modules {
    fn id_of(&self, scope: &v8::PinScope<'_, '_>, module: v8::Local<v8::Module>) -> Option<ModuleId> {
        let ids = self.by_hash.get(&module.get_identity_hash().get())?;
        ids.iter().copied().find(|id| self.kept.get(*id).is_some_and(|k| v8::Local::new(scope, &k.module) == module))
    }
}

/// The realm kept module `id` was compiled in.
pub(crate) fn realm_of(isolate: &v8::Isolate, id: ModuleId) -> Option<ContextId> {
    Some(isolate.get_slot::<Table>()?.borrow().kept.get(id)?.ctx)
}

/// Drops kept module `id` (false: the table is in use up this stack).
pub(crate) fn release(isolate: &v8::Isolate, id: ModuleId) -> bool {
    let Some(table) = isolate.get_slot::<Table>() else { return true };
    let Ok(mut modules) = table.try_borrow_mut() else { return false };
    if modules.kept.get(id).is_some_and(|k| k.linked) {
        return true;
    }
    modules.kept.remove(id);
    modules.by_hash.values_mut().for_each(|ids| ids.retain(|i| *i != id));
    modules.by_hash.retain(|_, ids| !ids.is_empty());
    true
}

/// Drops the modules of realm `ctx` (it went away).
pub(crate) fn drop_realm(isolate: &v8::Isolate, ctx: ContextId) {
    let Some(table) = isolate.get_slot::<Table>() else { return };
    let mut modules = table.borrow_mut();
    let dropped = modules.kept.drop_where(|kept| kept.ctx == ctx);
    modules.by_hash.values_mut().for_each(|ids| ids.retain(|id| !dropped.contains(id)));
    modules.by_hash.retain(|_, ids| !ids.is_empty());
}

/// A module's place in V8's life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleStatus {
    Uninstantiated,
    Instantiating,
    Instantiated,
    Evaluating,
    Evaluated,
    Errored,
}

fn status_of(module: v8::Local<v8::Module>) -> ModuleStatus {
    match module.get_status() {
        v8::ModuleStatus::Uninstantiated => ModuleStatus::Uninstantiated,
        v8::ModuleStatus::Instantiating => ModuleStatus::Instantiating,
        v8::ModuleStatus::Instantiated => ModuleStatus::Instantiated,
        v8::ModuleStatus::Evaluating => ModuleStatus::Evaluating,
        v8::ModuleStatus::Evaluated => ModuleStatus::Evaluated,
        v8::ModuleStatus::Errored => ModuleStatus::Errored,
    }
}

/// What a resolver found for a specifier.
pub enum Resolution {
    Module(ModuleId),
    /// Nothing: the import fails naming the specifier and the referrer.
    NotFound,
    /// A JS Error with `message`; `host_error` tags it with the host's
    /// own exception (see `Isolate::tag_host_error`) to raise if it escapes.
    Throw {
        message: String,
        host_error: Option<u32>,
    },
    /// The host is unwinding (an exit, a kill): stop the JS.
    Stop,
}

/// Finds the module for `specifier` imported by the module at `referrer_url`.
pub type Resolver<'a> = dyn FnMut(&str, &str) -> Resolution + 'a;

/// The link in progress (V8's resolve callback cannot capture it).
#[derive(Default)]
struct Linking {
    /// A link is in progress (its resolver may be out, being called).
    active: Cell<bool>,
    resolver: Cell<Option<*mut Resolver<'static>>>,
    ctx: Cell<ContextId>,
}

/// How many module evaluations are on this isolate's stack.
#[derive(Default)]
struct Evaluations(Cell<u32>);

/// Whether a module's evaluation is on the stack: V8 fails a CHECK (and
/// aborts) when promise jobs run then and finish one of its async parts.
pub(crate) fn evaluation_running(isolate: &v8::Isolate) -> bool {
    isolate.get_slot::<Evaluations>().is_some_and(|e| e.0.get() > 0)
}

pub(crate) const JOBS_REFUSED: &str = "promise jobs cannot run while an ES module is being evaluated (from a \
    callback it called): V8 would abort the process; they run once the evaluation returns";

/// `module.evaluate(scope)`, counted (see `evaluation_running`).
fn evaluate_counted<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    module: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Value>> {
    let count = scope.get_slot::<Evaluations>().map(|e| e.0.get()).unwrap_or(0);
    if let Some(e) = scope.get_slot::<Evaluations>() {
        e.0.set(count + 1);
    }
    let value = module.evaluate(scope);
    if let Some(e) = scope.get_slot::<Evaluations>() {
        e.0.set(count);
    }
    value
}

/// Sets up modules on a new isolate.
pub(crate) fn install(isolate: &mut v8::Isolate) {
    isolate.set_slot(Table::default());
    isolate.set_slot(Evaluations::default());
    isolate.set_slot(Rc::new(Linking::default()));
    isolate.set_host_import_module_dynamically_callback(dynamic_import);
    isolate.set_host_initialize_import_meta_object_callback(import_meta);
}

pub(crate) fn gone() -> JsError {
    JsError::new(ErrorKind::Disposed, "the module has been disposed (or its context was)")
}

fn not_linked(what: &str) -> JsError {
    JsError::new(ErrorKind::Runtime, format!("the module is not instantiated: call #instantiate before {what}"))
}

/// Kept module `id` in `scope`, with what is known of it.
fn kept<'s>(scope: &v8::PinScope<'s, '_>, id: ModuleId) -> Result<(v8::Local<'s, v8::Module>, bool), JsError> {
    let table = scope.get_slot::<Table>().ok_or_else(gone)?.borrow();
    let kept = table.kept.get(id).ok_or_else(gone)?;
    Ok((v8::Local::new(scope, &kept.module), kept.stopped))
}

/// Marks every kept module V8 has linked (a link takes a whole graph).
fn note_linked(scope: &v8::PinScope<'_, '_>) {
    let Some(table) = scope.get_slot::<Table>() else { return };
    let mut modules = table.borrow_mut();
    let ids: Vec<ModuleId> = modules.by_hash.values().flatten().copied().collect();
    for id in ids {
        let linked = modules.kept.get(id).is_some_and(|k| {
            !k.linked && v8::Local::new(scope, &k.module).get_status() != v8::ModuleStatus::Uninstantiated
        });
        if linked {
            if let Some(k) = modules.kept.get_mut(id) {
                k.linked = true;
            }
        }
    }
}

fn note_stopped(scope: &v8::PinScope<'_, '_>, module: v8::Local<v8::Module>) {
    if let Some(table) = scope.get_slot::<Table>() {
        let mut modules = table.borrow_mut();
        if let Some(id) = modules.id_of(scope, module) {
            if let Some(kept) = modules.kept.get_mut(id) {
                kept.stopped = true;
            }
        }
    }
}

/// The error a JS value (a rejection, a module's exception) stands for.
fn error_of(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>) -> JsError {
    let message = v8::Exception::create_message(scope, value);
    js_error(scope, value, Some(message), ErrorKind::Runtime)
}

/// The error of an errored module: the one it threw, again.
/// The error of a module stopped while it (or a module it imports) ran.
fn stopped_error() -> JsError {
    JsError::new(
        ErrorKind::Runtime,
        "the module's evaluation was stopped (a timeout, terminate or the memory limit; or it threw null): it \
         stays errored",
    )
}

/// The error of an errored (or stopped) module: the one it threw, again.
fn errored(scope: &mut v8::PinScope<'_, '_>, module: v8::Local<v8::Module>, stopped: bool) -> JsError {
    if stopped || module.get_status() != v8::ModuleStatus::Errored {
        return stopped_error();
    }
    // A stop leaves V8's termination marker as the exception (null to us),
    // also in the modules it imports.
    let exception = module.get_exception();
    if exception.is_null() {
        return stopped_error();
    }
    error_of(scope, exception)
}

/// Links `module` in realm `ctx` through `resolver`. V8's callback finds
/// the resolver in the isolate for the length of the call; one link at a
/// time (a resolver that links again is refused).
fn link<E>(
    scope: &mut v8::PinScope<'_, '_>,
    module: v8::Local<v8::Module>,
    ctx: ContextId,
    resolver: &mut Resolver<'_>,
) -> Result<(), Failure<E>> {
    let linking = scope.get_slot::<Rc<Linking>>().cloned().ok_or_else(gone)?;
    if linking.active.get() {
        return Err(Failure::Js(JsError::new(
            ErrorKind::Runtime,
            "cannot instantiate a module while another is being linked (from inside a module resolver): return \
             the module and let the link in progress instantiate it",
        )));
    }
    struct Done(Rc<Linking>);
    impl Drop for Done {
        fn drop(&mut self) {
            self.0.resolver.set(None);
            self.0.active.set(false);
        }
    }
    // SAFETY: only the lifetime is erased; `Done` clears the pointer before
    // `resolver` goes out of scope, and V8 calls back only during the call.
    let erased: *mut Resolver<'static> = unsafe { std::mem::transmute(resolver as *mut Resolver<'_>) };
    linking.resolver.set(Some(erased));
    linking.active.set(true);
    linking.ctx.set(ctx);
    let _done = Done(Rc::clone(&linking));
    match module.instantiate_module(scope, resolve) {
        Some(true) => {
            note_linked(scope);
            Ok(())
        }
        _ => Err(Failure::Exception),
    }
}

/// V8's resolve callback: asks the resolver of the link in progress.
fn resolve<'s>(
    context: v8::Local<'s, v8::Context>,
    specifier: v8::Local<'s, v8::String>,
    _attributes: v8::Local<'s, v8::FixedArray>,
    referrer: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Module>> {
    // SAFETY: V8 calls this with the isolate entered and `context` current.
    v8::callback_scope!(unsafe scope, context);
    let found = catch_unwind(AssertUnwindSafe(|| resolved(scope, specifier, referrer)));
    match found {
        Ok(Ok(module)) => Some(module),
        Ok(Err(Some((message, host_error)))) => {
            throw_error(scope, &message, host_error);
            None
        }
        Ok(Err(None)) => {
            crate::termination::stop_isolate(scope);
            throw_error(scope, "rusty_racer: module resolution was stopped", None);
            None
        }
        Err(_) => {
            throw_error(scope, "rusty_racer: internal error while resolving a module", None);
            None
        }
    }
}

/// The module the resolver gives for `specifier`, or the error to throw
/// (None: stop).
fn resolved<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    specifier: v8::Local<'s, v8::String>,
    referrer: v8::Local<'s, v8::Module>,
) -> Result<v8::Local<'s, v8::Module>, Option<(String, Option<u32>)>> {
    let specifier = specifier.to_rust_string_lossy(scope);
    let referrer_url = url_of(scope, referrer).unwrap_or_default();
    let fail = |message: String| Err(Some((message, None)));
    let Some(linking) = scope.get_slot::<Rc<Linking>>().cloned() else { return fail("no link in progress".into()) };
    let Some(resolver) = linking.resolver.take() else { return fail("no link in progress".into()) };
    // SAFETY: set by `link`, which is on this stack; taken out meanwhile, so
    // a nested link sees none and the closure is never aliased.
    let resolution = unsafe { (*resolver)(&specifier, &referrer_url) };
    linking.resolver.set(Some(resolver));
    let id = match resolution {
        Resolution::Module(id) => id,
        Resolution::NotFound => {
            return fail(format!("cannot resolve module {specifier:?} imported from {referrer_url}"));
        }
        Resolution::Throw { message, host_error } => return Err(Some((message, host_error))),
        Resolution::Stop => return Err(None),
    };
    let table = scope.get_slot::<Table>().map(RefCell::borrow);
    let Some(kept) = table.as_ref().and_then(|t| t.kept.get(id)) else {
        return fail(format!("the module resolved for {specifier:?} has been disposed"));
    };
    if kept.ctx != linking.ctx.get() {
        return fail(format!(
            "the module resolved for {specifier:?} (imported from {referrer_url}) is from another realm than the \
             module importing it"
        ));
    }
    Ok(v8::Local::new(scope, &kept.module))
}

fn url_of(scope: &v8::PinScope<'_, '_>, module: v8::Local<v8::Module>) -> Option<String> {
    let modules = scope.get_slot::<Table>()?.borrow();
    let id = modules.id_of(scope, module)?;
    Some(modules.kept.get(id)?.url.clone())
}

/// `import.meta`: `url` is the module's.
extern "C" fn import_meta(context: v8::Local<v8::Context>, module: v8::Local<v8::Module>, meta: v8::Local<v8::Object>) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: V8 calls this with the isolate entered and `context` current.
        v8::callback_scope!(unsafe scope, context);
        v8::scope!(let scope, scope);
        let url = url_of(scope, module).unwrap_or_default();
        if let (Some(key), Some(value)) = (v8::String::new(scope, "url"), v8::String::new(scope, &url)) {
            meta.create_data_property(scope, key.into(), value.into());
        }
    }));
}

/// JS `import(specifier)`: the host resolves it in the importing realm;
/// the module is linked (its static imports through the same host),
/// evaluated, and the promise settled through V8 with its namespace.
fn dynamic_import<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _options: v8::Local<'s, v8::Data>,
    resource_name: v8::Local<'s, v8::Value>,
    specifier: v8::Local<'s, v8::String>,
    _attributes: v8::Local<'s, v8::FixedArray>,
) -> Option<v8::Local<'s, v8::Promise>> {
    catch_unwind(AssertUnwindSafe(|| import(scope, resource_name, specifier))).ok().flatten()
}

fn import<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    resource_name: v8::Local<'s, v8::Value>,
    specifier: v8::Local<'s, v8::String>,
) -> Option<v8::Local<'s, v8::Promise>> {
    let promise = v8::PromiseResolver::new(scope)?;
    let specifier = specifier.to_rust_string_lossy(scope);
    let referrer_url = resource_name.to_rust_string_lossy(scope);
    let ctx = crate::realm_helpers::current_realm(scope).unwrap_or(0);
    let host = scope.get_slot::<HostSlot>()?.0.clone();
    let settled = match host.import(&specifier, &referrer_url, ctx) {
        Resolution::Module(id) => load(scope, promise, id, &specifier, ctx, &*host),
        Resolution::NotFound => {
            let message = format!("cannot resolve module {specifier:?} imported from {referrer_url}");
            reject(scope, promise, &message, None)
        }
        Resolution::Throw { message, host_error } => reject(scope, promise, &message, host_error),
        Resolution::Stop => Err(()),
    };
    match settled {
        Ok(()) => Some(promise.get_promise(scope)),
        Err(()) => {
            // V8 needs an exception pending when no promise comes back.
            crate::termination::stop_isolate(scope);
            if !scope.is_execution_terminating() {
                throw_error(scope, "rusty_racer: the import was stopped", None);
            }
            None
        }
    }
}

/// Links, evaluates and settles: Err when the JS is being stopped.
fn load<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    promise: v8::Local<'s, v8::PromiseResolver>,
    id: ModuleId,
    specifier: &str,
    ctx: ContextId,
    host: &dyn crate::isolate::HostFunctions,
) -> Result<(), ()> {
    let found = {
        let mut table = scope.get_slot::<Table>().map(RefCell::borrow_mut);
        match table.as_mut().and_then(|t| t.kept.get_mut(id)) {
            None => Err(format!("the module resolved for {specifier:?} has been disposed")),
            Some(kept) if kept.ctx != ctx => {
                Err(format!("the module resolved for {specifier:?} is from another realm than the import() call"))
            }
            Some(kept) => {
                // A module compiled under a placeholder name is known by its specifier.
                if kept.url.starts_with('<') {
                    kept.url = specifier.to_string();
                }
                Ok((v8::Local::new(scope, &kept.module), kept.stopped))
            }
        }
    };
    let (module, stopped) = match found {
        Ok(found) => found,
        Err(message) => return reject(scope, promise, &message, None),
    };
    v8::tc_scope!(let tc, scope);
    match status_of(module) {
        ModuleStatus::Uninstantiated => {
            let mut resolver = |specifier: &str, referrer: &str| host.import(specifier, referrer, ctx);
            if let Err(failure) = link::<()>(tc, module, ctx, &mut resolver) {
                if let Failure::Js(e) = failure {
                    return reject(tc, promise, &e.message, None);
                }
                return settle_failed(tc, promise);
            }
        }
        // Evaluating it now would abort in V8.
        ModuleStatus::Instantiating => {
            let message = format!("cannot import {specifier:?} while it is being linked (from its module resolver)");
            return reject(tc, promise, &message, None);
        }
        // Its evaluation is further up this stack (a cycle through import()):
        // V8 aborts on evaluating it again. The promise's reactions run as
        // promise jobs, after that evaluation has finished.
        ModuleStatus::Evaluating => {
            promise.resolve(tc, module.get_module_namespace());
            return Ok(());
        }
        _ => {}
    }
    let stopped_below = status_of(module) == ModuleStatus::Errored && module.get_exception().is_null();
    if stopped || stopped_below {
        let error = errored(tc, module, stopped);
        return reject(tc, promise, &error.message, None);
    }
    let Some(evaluated) = evaluate_counted(tc, module) else {
        if tc.has_terminated() || tc.is_execution_terminating() {
            note_stopped(tc, module);
        }
        return settle_failed(tc, promise);
    };
    let namespace = module.get_module_namespace();
    let Ok(evaluation) = v8::Local::<v8::Promise>::try_from(evaluated) else {
        promise.resolve(tc, namespace);
        return Ok(());
    };
    match evaluation.state() {
        v8::PromiseState::Fulfilled => {
            promise.resolve(tc, namespace);
        }
        v8::PromiseState::Rejected => {
            evaluation.mark_as_handled();
            let reason = evaluation.result(tc);
            promise.reject(tc, reason);
        }
        // Top-level await: settled once the evaluation is (through V8's
        // own `then`, whatever JS did to Promise.prototype.then).
        v8::PromiseState::Pending => {
            let data = v8::Array::new_with_elements(tc, &[promise.into(), namespace]);
            let fulfilled = v8::Function::builder(on_fulfilled).data(data.into()).build(tc).ok_or(())?;
            let rejected = v8::Function::builder(on_rejected).data(data.into()).build(tc).ok_or(())?;
            evaluation.then2(tc, fulfilled, rejected);
        }
    }
    Ok(())
}

/// After a failed link or evaluation (caught in `tc`): reject with the
/// exception, or Err when the JS is being stopped.
fn settle_failed(
    tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
    promise: v8::Local<v8::PromiseResolver>,
) -> Result<(), ()> {
    if tc.has_terminated() || tc.is_execution_terminating() {
        return Err(());
    }
    let exception = tc.exception().unwrap_or_else(|| v8::undefined(tc).into());
    tc.reset();
    promise.reject(tc, exception);
    Ok(())
}

/// Rejects with a new Error of `message`.
fn reject<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    promise: v8::Local<'s, v8::PromiseResolver>,
    message: &str,
    host_error: Option<u32>,
) -> Result<(), ()> {
    let reason = error_value(scope, message, host_error);
    promise.reject(scope, reason);
    Ok(())
}

/// The resolver and namespace a pending evaluation settles.
fn settled_parts<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: &v8::FunctionCallbackArguments<'s>,
) -> Option<(v8::Local<'s, v8::PromiseResolver>, v8::Local<'s, v8::Value>)> {
    let data = v8::Local::<v8::Array>::try_from(args.data()).ok()?;
    let promise = data.get_index(scope, 0).filter(|p| p.is_promise())?;
    // SAFETY: a PromiseResolver is its promise (V8 makes one a JSPromise),
    // and this one is the resolver `load` put there.
    let promise = unsafe { v8::Local::<v8::PromiseResolver>::cast_unchecked(promise) };
    Some((promise, data.get_index(scope, 1)?))
}

fn on_fulfilled<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _: v8::ReturnValue<'s, v8::Value>,
) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if let Some((promise, namespace)) = settled_parts(scope, &args) {
            promise.resolve(scope, namespace);
        }
    }));
}

fn on_rejected<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _: v8::ReturnValue<'s, v8::Value>,
) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if let Some((promise, _)) = settled_parts(scope, &args) {
            promise.reject(scope, args.get(0));
        }
    }));
}

impl Isolate {
    /// Compiles `source` as an ES module in `ctx` and keeps it; `filename`
    /// is its URL (`import.meta.url`, the referrer of its imports).
    pub fn compile_module(
        &self,
        ctx: ContextId,
        source: &str,
        filename: &str,
        settings: &CompileSettings<'_>,
    ) -> Result<Compiled, JsError> {
        self.compiling(ctx, source, settings, |tc, source_hash| {
            let code = cache::v8_string(tc, source, "source")?;
            let name = cache::v8_string(tc, filename, "filename")?;
            let origin = cache::origin(tc, name, true);
            let (mut src, options, refused) = cache::source(CacheKind::Module, code, &origin, source_hash, settings);
            let module = {
                v8::tc_scope!(let compile, tc);
                match v8::script_compiler::compile_module2(compile, &mut src, options, NoCacheReason::NoReason) {
                    Some(module) => module,
                    None => return Err(cache::compile_failure(compile)),
                }
            };
            let cache_rejected = refused || cache::v8_rejected(&src, options);
            let unbound = module.get_unbound_module_script(tc);
            let cached_data = cache::produced(CacheKind::Module, settings, source_hash, || unbound.create_code_cache());
            let kept = Kept {
                module: v8::Global::new(tc, module),
                unbound: v8::Global::new(tc, unbound),
                ctx,
                url: filename.to_string(),
                source_hash,
                stopped: false,
                linked: false,
            };
            let mut modules = tc.get_slot::<Table>().ok_or_else(gone)?.borrow_mut();
            let id = modules.kept.insert(kept);
            modules.by_hash.entry(module.get_identity_hash().get()).or_default().push(id);
            Ok(Compiled { id, cache_rejected, cached_data })
        })
    }

    /// Links kept module `id` and its imports, asking `resolver` for each
    /// specifier. Does nothing to a module linked already.
    pub fn instantiate_module(&self, id: ModuleId, resolver: &mut Resolver<'_>) -> Result<(), JsError> {
        self.run::<(), JsError>(Realm::Kept(HandleKind::Module, id), Some(0), |tc, _| {
            let (module, _) = kept(tc, id)?;
            match status_of(module) {
                ModuleStatus::Uninstantiated => {}
                ModuleStatus::Instantiating => {
                    return Err(Failure::Js(JsError::new(
                        ErrorKind::Runtime,
                        "the module is being instantiated already (from inside its own module resolver)",
                    )));
                }
                _ => return Ok(()),
            }
            let ctx = realm_of(tc, id).ok_or_else(gone)?;
            link(tc, module, ctx, resolver)
        })
        .map_err(|f| f.into_js_error("instantiating failed"))
    }

    /// Evaluates kept module `id` (once; again reports how it went). Its
    /// top-level await settles with the operation's promise jobs; a
    /// rejection by then is the error.
    pub fn evaluate_module<G: Gate>(&self, gate: &G, id: ModuleId, timeout_ms: Option<u64>) -> Result<(), JsError> {
        self.run::<(), JsError>(Realm::Kept(HandleKind::Module, id), timeout_ms, |tc, op| {
            let (module, stopped) = kept(tc, id)?;
            if stopped {
                return Err(errored(tc, module, stopped).into());
            }
            match status_of(module) {
                ModuleStatus::Uninstantiated | ModuleStatus::Instantiating => {
                    return Err(not_linked("#evaluate").into())
                }
                ModuleStatus::Errored => return Err(errored(tc, module, stopped).into()),
                // V8 aborts on evaluating a module whose evaluation is on the stack.
                ModuleStatus::Evaluating => {
                    return Err(JsError::new(
                        ErrorKind::Runtime,
                        "the module is being evaluated (#evaluate was called from inside its own evaluation)",
                    )
                    .into());
                }
                _ => {}
            }
            let value = match self.run_js(gate, tc, op, |tc| evaluate_counted(tc, module)) {
                Ok(value) => value,
                Err(failure) => {
                    if self.stopping(tc) {
                        note_stopped(tc, module);
                    }
                    return Err(failure);
                }
            };
            if let Ok(promise) = v8::Local::<v8::Promise>::try_from(value) {
                if promise.state() == v8::PromiseState::Rejected {
                    promise.mark_as_handled();
                    let reason = promise.result(tc);
                    return Err(error_of(tc, reason).into());
                }
            }
            Ok(())
        })
        .map_err(|f| f.into_js_error("evaluating failed"))
    }

    /// The namespace object of kept module `id`, through `convert`.
    pub fn module_namespace<R, E>(
        &self,
        id: ModuleId,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.run(Realm::Kept(HandleKind::Module, id), None, |tc, _| {
            let (module, stopped) = kept(tc, id)?;
            match status_of(module) {
                ModuleStatus::Uninstantiated | ModuleStatus::Instantiating => Err(not_linked("#namespace").into()),
                ModuleStatus::Errored => Err(errored(tc, module, stopped).into()),
                _ if stopped => Err(errored(tc, module, stopped).into()),
                _ => {
                    let namespace = module.get_module_namespace();
                    convert(tc, namespace)
                }
            }
        })
    }

    /// Kept module `id`'s URL (its filename, or the specifier `import()`
    /// loaded it by when that was a placeholder like "<compile_module>").
    pub fn module_url(&self, id: ModuleId) -> Result<String, JsError> {
        self.enter(|isolate, _| {
            let table = isolate.get_slot::<Table>().ok_or_else(gone)?.borrow();
            Ok(table.kept.get(id).ok_or_else(gone)?.url.clone())
        })?
    }

    pub fn module_status(&self, id: ModuleId) -> Result<ModuleStatus, JsError> {
        self.run::<_, JsError>(Realm::Kept(HandleKind::Module, id), Some(0), |tc, _| Ok(status_of(kept(tc, id)?.0)))
            .map_err(|f| f.into_js_error("reading the status failed"))
    }

    /// Whether the graph below kept module `id` has top-level await.
    pub fn module_graph_async(&self, id: ModuleId) -> Result<bool, JsError> {
        self.run::<_, JsError>(Realm::Kept(HandleKind::Module, id), Some(0), |tc, _| {
            let (module, _) = kept(tc, id)?;
            match status_of(module) {
                ModuleStatus::Uninstantiated | ModuleStatus::Instantiating => Err(not_linked("#graph_async?").into()),
                _ => Ok(module.is_graph_async()),
            }
        })
        .map_err(|f| f.into_js_error("reading the graph failed"))
    }

    /// A cache of kept module `id` with the functions compiled so far.
    pub fn module_code_cache(&self, id: ModuleId) -> Result<Option<Vec<u8>>, JsError> {
        self.refuse_nested_cache()?;
        self.run::<_, JsError>(Realm::Kept(HandleKind::Module, id), Some(0), |tc, _| {
            let (unbound, source_hash) = {
                let table = tc.get_slot::<Table>().ok_or_else(gone)?.borrow();
                let kept = table.kept.get(id).ok_or_else(gone)?;
                (v8::Local::new(tc, &kept.unbound), kept.source_hash)
            };
            Ok(unbound.create_code_cache().map(|b| cache::wrap(CacheKind::Module, source_hash, &b)))
        })
        .map_err(|f| f.into_js_error("making the code cache failed"))
    }
}
