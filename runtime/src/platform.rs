use std::sync::Once;

static INIT: Once = Once::new();

/// Starts V8 once per process, lazily, before the first isolate.
///
/// The platform is the unprotected default one: Ruby threads exist before V8
/// starts, and the PKU-protected platform only lets threads created after
/// `V8::initialize` run JS. Flags are set first because they freeze at init.
pub fn initialize() {
    INIT.call_once(|| {
        // Ruby threads get ~1 MiB machine stacks and Ruby/Rust frames sit
        // below V8's entry: keep JS well inside them (V8's default is 984 KB).
        v8::V8::set_flags_from_string("--stack-size=512");
        // Turboshaft's loop unrolling drops the interrupt check from some
        // unrolled loops (`while (true) { a[0] = new Array(1000) }`), which
        // then ignore terminate, timeouts and the heap limit for good.
        // Without it those loops stop; no cost showed on our benchmarks.
        v8::V8::set_flags_from_string("--no-turboshaft-loop-unrolling");
        if let Ok(extra) = std::env::var("RUSTY_RACER_V8_FLAGS") {
            v8::V8::set_flags_from_string(&extra);
        }
        let platform = v8::new_unprotected_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform);
        v8::V8::initialize();
    });
}
