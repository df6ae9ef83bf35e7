//! `RustyRacer::Snapshot` (idl/snapshot.yaml): a startup snapshot, held as
//! checked V8 bytes (no isolate, no Ruby values: any thread may use it).

use std::sync::Mutex;

use magnus::{DataTypeFunctions, Error, Ruby, TypedData};
use rr_glue::{Binary, Pairs};
use rusty_racer_runtime::{self as runtime, JsError, Recipe};

use crate::generated::{ErrorClass, SnapshotApi};

#[derive(TypedData)]
#[magnus(class = "RustyRacer::Snapshot", free_immediately, size)]
pub struct Snapshot {
    /// Replaced by warmup!.
    baked: Mutex<runtime::Snapshot>,
}

impl DataTypeFunctions for Snapshot {}

fn snapshot_error(ruby: &Ruby, e: JsError) -> Error {
    ErrorClass::SnapshotError.error(ruby, e.message)
}

impl Snapshot {
    /// The snapshot to boot an isolate from.
    pub fn baked(&self) -> runtime::Snapshot {
        self.baked.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Bakes without the GVL (the JS runs in a child process); a Ruby
/// interrupt meanwhile kills the bake and is raised.
fn baking<R: Send>(bake: impl FnOnce() -> R) -> Result<R, Error> {
    crate::gvl::without_gvl(bake, &runtime::cancel_baking)
}

impl SnapshotApi for Snapshot {
    // idl/snapshot.yaml Snapshot.new
    fn new(
        ruby: &Ruby,
        code: String,
        modules: Option<Pairs<String, String>>,
        entry: Option<String>,
    ) -> Result<Self, Error> {
        let modules = modules.map(|m| m.0).unwrap_or_default();
        if entry.is_none() && !modules.is_empty() {
            return Err(Error::new(
                ruby.exception_arg_error(),
                "RustyRacer::Snapshot.new: modules: needs entry: (the module to evaluate)",
            ));
        }
        let recipe = Recipe { code: &code, modules: &modules, entry: entry.as_deref() };
        let baked = baking(|| runtime::Snapshot::create(&recipe))?.map_err(|e| snapshot_error(ruby, e))?;
        Ok(Snapshot { baked: Mutex::new(baked) })
    }

    // idl/snapshot.yaml Snapshot.load
    fn load(ruby: &Ruby, blob: Binary) -> Result<Self, Error> {
        let baked = runtime::Snapshot::load(&blob.0).map_err(|e| snapshot_error(ruby, e))?;
        Ok(Snapshot { baked: Mutex::new(baked) })
    }

    // idl/snapshot.yaml Snapshot#warmup!
    fn warmup_bang(&self, ruby: &Ruby, code: String) -> Result<(), Error> {
        let base = self.baked();
        let warm = baking(|| base.warmed_up(&code))?.map_err(|e| snapshot_error(ruby, e))?;
        *self.baked.lock().unwrap_or_else(|e| e.into_inner()) = warm;
        Ok(())
    }

    // idl/snapshot.yaml Snapshot#dump
    fn dump(&self, _: &Ruby) -> Result<Binary, Error> {
        Ok(Binary(self.baked().dump()))
    }

    // idl/snapshot.yaml Snapshot#size
    fn size(&self, _: &Ruby) -> Result<i64, Error> {
        Ok(self.baked().size() as i64)
    }
}
