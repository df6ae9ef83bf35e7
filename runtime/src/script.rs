//! Classic scripts compiled once and run again: kept (see `kept.rs`) with
//! the realm they were compiled in and their source's hash (for caches).

use std::cell::RefCell;

use v8::script_compiler::NoCacheReason;

use crate::cache::{self, CacheKind, CompileSettings, Compiled};
use crate::error::{ErrorKind, Failure, JsError};
use crate::isolate::{ContextId, Gate, Isolate, Realm};
use crate::kept::{HandleKind, Slab};

/// A script's number in its isolate's table.
pub type ScriptId = u32;

pub(crate) struct Kept {
    /// Bound to its realm afresh for each run: V8 fails a CHECK (and so
    /// aborts) running one bound script twice once it declared a
    /// top-level `let` or `const`.
    script: v8::Global<v8::UnboundScript>,
    ctx: ContextId,
    source_hash: u64,
}

/// The isolate slot holding the kept scripts.
pub(crate) type Table = RefCell<Slab<Kept>>;

pub(crate) fn realm_of(scope: &v8::Isolate, id: ScriptId) -> Option<ContextId> {
    Some(scope.get_slot::<Table>()?.borrow().get(id)?.ctx)
}

/// Drops the scripts of realm `ctx` (it went away).
pub(crate) fn drop_realm(isolate: &v8::Isolate, ctx: ContextId) {
    if let Some(table) = isolate.get_slot::<Table>() {
        table.borrow_mut().drop_where(|kept| kept.ctx == ctx);
    }
}

pub(crate) fn gone() -> JsError {
    JsError::new(ErrorKind::Disposed, "the script has been disposed (or its context was)")
}

/// Compiles `source` as a classic script; the second value tells whether a
/// given cache was rejected. `source_hash` (`cache::hash` of the source)
/// is what a given cache is checked against; without one it is unused.
pub(crate) fn compile<'s, E>(
    tc: &mut v8::PinScope<'s, '_>,
    source: &str,
    filename: &str,
    settings: &CompileSettings<'_>,
    source_hash: u64,
) -> Result<(v8::Local<'s, v8::UnboundScript>, bool), Failure<E>> {
    let code = cache::v8_string(tc, source, "source")?;
    let name = cache::v8_string(tc, filename, "filename")?;
    let origin = cache::origin(tc, name, false);
    let (mut src, options, refused) = cache::source(CacheKind::Script, code, &origin, source_hash, settings);
    let script = {
        v8::tc_scope!(let compile, tc);
        let unbound = v8::script_compiler::compile_unbound_script(compile, &mut src, options, NoCacheReason::NoReason);
        match unbound {
            Some(unbound) => unbound,
            None => return Err(cache::compile_failure(compile)),
        }
    };
    Ok((script, refused || cache::v8_rejected(&src, options)))
}

impl Isolate {
    /// Refuses to make a code cache inside an operation of this isolate
    /// (a host callback): V8's code-cache creation is not re-entrant.
    pub(crate) fn refuse_nested_cache(&self) -> Result<(), JsError> {
        if self.is_busy() {
            return Err(JsError::new(
                ErrorKind::Usage,
                "cannot produce a code cache inside a callback of this isolate (V8's code-cache creation is not \
                 re-entrant): produce it after the operation returns",
            ));
        }
        Ok(())
    }

    /// Compiles `source` as a classic script in `ctx` and keeps it.
    pub fn compile_script(
        &self,
        ctx: ContextId,
        source: &str,
        filename: &str,
        settings: &CompileSettings<'_>,
    ) -> Result<Compiled, JsError> {
        self.compiling(ctx, source, settings, |tc, source_hash| {
            let (script, cache_rejected) = compile(tc, source, filename, settings, source_hash)?;
            let cached_data = cache::produced(CacheKind::Script, settings, source_hash, || script.create_code_cache());
            let kept = Kept { script: v8::Global::new(tc, script), ctx, source_hash };
            let id = tc.get_slot::<Table>().ok_or_else(gone)?.borrow_mut().insert(kept);
            Ok(Compiled { id, cache_rejected, cached_data })
        })
    }

    /// Runs kept script `id` in its realm; `convert` turns the completion
    /// value into the host's (or skips it).
    pub fn run_script<G: Gate, R, E>(
        &self,
        gate: &G,
        id: ScriptId,
        timeout_ms: Option<u64>,
        convert: impl for<'s, 'i> FnOnce(&v8::PinScope<'s, 'i>, v8::Local<'s, v8::Value>) -> Result<R, Failure<E>>,
    ) -> Result<R, Failure<E>> {
        self.run(Realm::Kept(HandleKind::Script, id), timeout_ms, |tc, op| {
            let script = {
                let table = tc.get_slot::<Table>().ok_or_else(gone)?.borrow();
                v8::Local::new(tc, &table.get(id).ok_or_else(gone)?.script)
            };
            let script = script.bind_to_current_context(tc);
            let value = self.run_js(gate, tc, op, |tc| script.run(tc))?;
            convert(tc, value)
        })
    }

    /// A cache of kept script `id` with the functions compiled so far (run
    /// it first for a warm one); None when V8 cannot make one.
    pub fn script_code_cache(&self, id: ScriptId) -> Result<Option<Vec<u8>>, JsError> {
        self.refuse_nested_cache()?;
        self.run::<_, JsError>(Realm::Kept(HandleKind::Script, id), Some(0), |tc, _| {
            let (script, source_hash) = {
                let table = tc.get_slot::<Table>().ok_or_else(gone)?.borrow();
                let kept = table.get(id).ok_or_else(gone)?;
                (v8::Local::new(tc, &kept.script), kept.source_hash)
            };
            let bytes = script.create_code_cache();
            Ok(bytes.map(|b| cache::wrap(CacheKind::Script, source_hash, &b)))
        })
        .map_err(|f| f.into_js_error("making the code cache failed"))
    }
}
