//! Compiling scripts and modules, with bytecode caches.
//!
//! A cache handed to the host is V8's code cache behind a header of ours
//! (`sealed.rs`): what it is (script or module), V8's version tag, a hash of the source
//! and one of V8's bytes. V8 checks only the source's *length* (a stale
//! cache of an edited file of the same length would run the old code) and,
//! in release builds, no checksum of its payload (a flipped byte reaches
//! its deserializer). A blob whose header does not match is rejected here,
//! before V8 sees it, and the source is compiled normally.

use v8::script_compiler::{CompileOptions, Source};

use crate::error::{ErrorKind, Failure, JsError};
use crate::exception::js_error;

const MAGIC: &[u8; 6] = b"RRCODE";

/// What a cache was made from: a cache of one is refused by the other.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheKind {
    Script = b'S' as isize,
    Module = b'M' as isize,
}

/// How to compile: the cache to consume, whether to produce one, and
/// whether to compile every function now.
#[derive(Clone, Copy, Default)]
pub struct CompileSettings<'a> {
    pub cached_data: Option<&'a [u8]>,
    pub produce_cache: bool,
    pub eager: bool,
}

/// A script or module compiled and kept: its number, and what became of
/// the caches.
#[derive(Debug)]
pub struct Compiled {
    pub id: u32,
    /// A cache was given and not used (stale, foreign or damaged).
    pub cache_rejected: bool,
    /// The cache produced at compile time (`produce_cache`).
    pub cached_data: Option<Vec<u8>>,
}

/// V8's code-cache version tag (it changes with V8's version and flags).
pub fn cached_data_version_tag() -> u32 {
    crate::platform::initialize();
    v8::script_compiler::cached_data_version_tag()
}

/// A fast 64-bit hash (multiply-rotate over 8-byte words): it detects
/// edits and damage, and is no defence against forgery.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |h: u64, word: u64| (h ^ word).wrapping_mul(K).rotate_left(31);
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        h = mix(h, u64::from_le_bytes(w));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    h = mix(h, u64::from_le_bytes(tail));
    h ^ (h >> 29)
}

/// V8's cache `bytes` with our header (`sealed.rs`).
pub(crate) fn wrap(kind: CacheKind, source_hash: u64, bytes: &[u8]) -> Vec<u8> {
    crate::sealed::seal(MAGIC, kind as u8, Some(source_hash), bytes)
}

/// V8's bytes inside `blob`, if it is a whole cache of `kind` for the
/// source hashed to `source_hash`, made by this V8 with these flags.
fn unwrap(kind: CacheKind, source_hash: u64, blob: &[u8]) -> Option<&[u8]> {
    crate::sealed::unseal(MAGIC, kind as u8, Some(source_hash), blob).ok()
}

/// The source to compile with its origin and cache, and the options that
/// go with them; `rejected` when the given cache was refused here. V8
/// aborts on a consume without data and on any other bit beside consume
/// or eager, so eager is dropped while consuming.
pub(crate) fn source<'a>(
    kind: CacheKind,
    code: v8::Local<'_, v8::String>,
    origin: &v8::ScriptOrigin<'_>,
    source_hash: u64,
    settings: &CompileSettings<'a>,
) -> (Source, CompileOptions, bool) {
    match settings.cached_data.map(|blob| unwrap(kind, source_hash, blob)) {
        Some(Some(payload)) => {
            // The payload outlives the Source: both end with the compile call.
            let data = v8::CachedData::new(payload);
            (Source::new_with_cached_data(code, Some(origin), data), CompileOptions::ConsumeCodeCache, false)
        }
        rejected => {
            let options = if settings.eager { CompileOptions::EagerCompile } else { CompileOptions::NoCompileOptions };
            (Source::new(code, Some(origin)), options, rejected.is_some())
        }
    }
}

/// Whether V8 refused the cache it was given.
pub(crate) fn v8_rejected(source: &Source, options: CompileOptions) -> bool {
    options.contains(CompileOptions::ConsumeCodeCache) && source.get_cached_data().is_none_or(|c| c.rejected())
}

/// A V8 string of `text`, or the RangeError of one too long for V8.
pub(crate) fn v8_string<'s>(
    scope: &v8::PinScope<'s, '_>,
    text: &str,
    what: &str,
) -> Result<v8::Local<'s, v8::String>, JsError> {
    v8::String::new(scope, text)
        .ok_or_else(|| JsError::new(ErrorKind::Runtime, format!("RangeError: the {what} is too long for V8")))
}

/// The origin of a script or module named `filename`.
pub(crate) fn origin<'s>(
    scope: &v8::PinScope<'s, '_>,
    filename: v8::Local<'s, v8::String>,
    is_module: bool,
) -> v8::ScriptOrigin<'s> {
    v8::ScriptOrigin::new(scope, filename.into(), 0, 0, false, 0, None, false, false, is_module, None)
}

/// What failed compiling (`compile` caught it): a SyntaxError as
/// `ErrorKind::Parse` naming file and line, or a termination.
pub(crate) fn compile_failure<E>(
    compile: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
) -> Failure<E> {
    if compile.has_terminated() || compile.is_execution_terminating() {
        return Failure::Exception;
    }
    let exception = compile.exception();
    let message = compile.message();
    Failure::Js(match exception {
        Some(e) => js_error(compile, e, message, ErrorKind::Parse),
        None => JsError::new(ErrorKind::Parse, "SyntaxError"),
    })
}

/// The cache `make` produces (V8's bytes behind our header), when
/// `settings` ask for one at compile time.
pub(crate) fn produced(
    kind: CacheKind,
    settings: &CompileSettings<'_>,
    source_hash: u64,
    make: impl FnOnce() -> Option<v8::UniqueRef<v8::CachedData<'static>>>,
) -> Option<Vec<u8>> {
    settings.produce_cache.then(make).flatten().map(|bytes| wrap(kind, source_hash, &bytes))
}

impl crate::isolate::Isolate {
    /// Runs `compile` (given the source's hash) as an operation in realm
    /// `ctx`; a cache to produce inside a callback is refused first.
    pub(crate) fn compiling(
        &self,
        ctx: crate::isolate::ContextId,
        source: &str,
        settings: &CompileSettings<'_>,
        compile: impl for<'s, 'i> FnOnce(&mut v8::PinScope<'s, 'i>, u64) -> Result<Compiled, Failure<JsError>>,
    ) -> Result<Compiled, JsError> {
        if settings.produce_cache {
            self.refuse_nested_cache()?;
        }
        let source_hash = hash(source.as_bytes());
        self.run::<Compiled, JsError>(crate::isolate::Realm::Id(ctx), None, |tc, _| compile(tc, source_hash))
            .map_err(|f| f.into_js_error("compiling failed"))
    }
}
