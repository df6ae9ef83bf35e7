//! `RustyRacer` module functions (idl/rusty_racer.yaml).

use magnus::{Error, Ruby};

use crate::generated::RustyRacerApi;

pub struct RustyRacer;

impl RustyRacerApi for RustyRacer {
    // idl/rusty_racer.yaml RustyRacer.live_isolate_count
    fn live_isolate_count(_: &Ruby) -> Result<i64, Error> {
        Ok(rusty_racer_runtime::live_isolate_count() as i64)
    }

    // idl/rusty_racer.yaml RustyRacer.pending_transfer_count
    fn pending_transfer_count(_: &Ruby) -> Result<i64, Error> {
        Ok(rusty_racer_runtime::pending_transfer_count() as i64)
    }

    // idl/rusty_racer.yaml RustyRacer.cached_data_version_tag
    fn cached_data_version_tag(_: &Ruby) -> Result<i64, Error> {
        Ok(rusty_racer_runtime::cached_data_version_tag() as i64)
    }

    // idl/rusty_racer.yaml RustyRacer.leaked_isolate_count
    fn leaked_isolate_count(_: &Ruby) -> Result<i64, Error> {
        Ok(crate::core::buried_count() as i64)
    }
}
