//! Buffers across isolates and threads: an ArrayBuffer's memory is handed
//! over by token (the source buffer detached), a SharedArrayBuffer's
//! shared. The registry is process-wide; a token is used once (imported or
//! dropped). Tokens are random (53 bits, as many as a JS number holds
//! exactly): JS of another isolate cannot guess its way to a buffer meant
//! for someone else. V8's backing stores keep their allocator alive, so
//! memory moved out outlives the isolate that made it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Transfer,
    Share,
}

/// A backing store waiting in the registry.
struct Waiting(Kind, v8::SharedRef<v8::BackingStore>);

// SAFETY: a backing store is memory plus an atomically counted owner
// (std::shared_ptr); the registry hands each to one isolate at a time.
unsafe impl Send for Waiting {}

static REGISTRY: Mutex<Option<HashMap<u64, Waiting>>> = Mutex::new(None);
/// Mixed into tokens should the kernel's random source fail.
static FALLBACK: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);

/// A random token in 1..2^53.
fn random_token() -> u64 {
    let mut bytes = [0u8; 8];
    // SAFETY: getrandom writes at most `bytes.len()` bytes into the buffer.
    let got = unsafe { libc::getrandom(bytes.as_mut_ptr().cast(), bytes.len(), 0) };
    let mut token = u64::from_le_bytes(bytes);
    if got != bytes.len() as isize {
        let time =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        token = crate::cache::hash(&(FALLBACK.fetch_add(1, Ordering::Relaxed) ^ time).to_le_bytes());
    }
    (token & ((1 << 53) - 1)).max(1)
}

fn put(waiting: Waiting) -> u64 {
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let map = registry.get_or_insert_with(HashMap::new);
    let mut token = random_token();
    while map.contains_key(&token) {
        token = random_token();
    }
    map.insert(token, waiting);
    token
}

fn take(token: u64, kind: Kind) -> Option<v8::SharedRef<v8::BackingStore>> {
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let map = registry.as_mut()?;
    if map.get(&token).is_none_or(|w| w.0 != kind) {
        return None;
    }
    map.remove(&token).map(|w| w.1)
}

/// Tokens not yet imported or dropped.
pub fn pending_transfer_count() -> usize {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map_or(0, HashMap::len)
}

/// A token argument: a positive integer (0 for anything else).
fn token_of(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<v8::Value>) -> u64 {
    if !value.is_number() {
        return 0;
    }
    match value.number_value(scope) {
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => n as u64,
        _ => 0,
    }
}

fn set_token(scope: &mut v8::PinScope<'_, '_>, rv: &mut v8::ReturnValue<'_, v8::Value>, token: u64) {
    rv.set(v8::Number::new(scope, token as f64).into());
}

/// `NS.transferOut(bufferOrView)`: detaches the ArrayBuffer and returns
/// its token (0 for anything else: SharedArrayBuffers, non-buffers,
/// buffers V8 cannot detach).
pub(crate) fn transfer_out<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let arg = args.get(0);
    let buffer = if let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(arg) {
        view.buffer(scope)
    } else {
        v8::Local::<v8::ArrayBuffer>::try_from(arg).ok()
    };
    let Some(buffer) = buffer.filter(|b| b.is_detachable()) else { return set_token(scope, &mut rv, 0) };
    let store = buffer.get_backing_store();
    if buffer.detach(None) != Some(true) {
        return set_token(scope, &mut rv, 0);
    }
    let token = put(Waiting(Kind::Transfer, store));
    set_token(scope, &mut rv, token);
}

/// `NS.transferIn(token)`: an ArrayBuffer over the memory transferred out
/// (undefined for an unknown or used token).
pub(crate) fn transfer_in<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let token = token_of(scope, args.get(0));
    if let Some(store) = take(token, Kind::Transfer) {
        rv.set(v8::ArrayBuffer::with_backing_store(scope, &store).into());
    }
}

/// `NS.shareOut(sharedArrayBuffer)`: a token for another isolate to share
/// the memory with (0 for anything else).
pub(crate) fn share_out<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let Ok(shared) = v8::Local::<v8::SharedArrayBuffer>::try_from(args.get(0)) else {
        return set_token(scope, &mut rv, 0);
    };
    let token = put(Waiting(Kind::Share, shared.get_backing_store()));
    set_token(scope, &mut rv, token);
}

/// `NS.shareIn(token)`: a SharedArrayBuffer over the shared memory.
pub(crate) fn share_in<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let token = token_of(scope, args.get(0));
    if let Some(store) = take(token, Kind::Share) {
        rv.set(v8::SharedArrayBuffer::with_backing_store(scope, &store).into());
    }
}

/// `NS.transferDrop(token)`: releases an unused token; whether it was one.
pub(crate) fn transfer_drop<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s, v8::Value>,
) {
    let token = token_of(scope, args.get(0));
    let dropped = REGISTRY.lock().unwrap_or_else(|e| e.into_inner()).as_mut().and_then(|m| m.remove(&token));
    rv.set(v8::Boolean::new(scope, dropped.is_some()).into());
}
