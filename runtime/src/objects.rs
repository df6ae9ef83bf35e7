//! Plain objects built in one step from a host's key set and values, with
//! V8's `DictionaryTemplate` (the archive exports it; the crate does not
//! wrap it): one call per object instead of a property store (and a map
//! transition) per key, and the instances share a cached map.
//!
//! Templates are cached per isolate by their names. Names that are array
//! indices ("0", "42"), repeated or not ASCII are not declared: such key
//! sets get `None` and the caller defines the properties one by one.

use std::cell::RefCell;
use std::collections::HashMap;

/// libc++'s `std::string_view` and `std::span` (pointer, then length).
#[repr(C)]
struct StrView {
    data: *const u8,
    len: usize,
}

#[repr(C)]
struct Span<T> {
    data: *const T,
    len: usize,
}

// `object_from_template` hands V8 a slice of `Local`s as `MaybeLocal`s.
const _: () = assert!(size_of::<v8::Local<v8::Value>>() == size_of::<*const v8::Value>());

unsafe extern "C" {
    #[link_name = "_ZN2v818DictionaryTemplate3NewEPNS_7IsolateENSt4__Cr4spanIKNS3_17basic_string_viewIcNS3_11char_traitsIcEEEELm18446744073709551615EEE"]
    fn dictionary_template_new(isolate: *mut std::ffi::c_void, names: Span<StrView>) -> *const v8::Data;
    #[link_name = "_ZN2v818DictionaryTemplate11NewInstanceENS_5LocalINS_7ContextEEENSt4__Cr4spanINS_10MaybeLocalINS_5ValueEEELm18446744073709551615EEE"]
    fn dictionary_template_new_instance(
        template: *const v8::Data,
        context: v8::Local<v8::Context>,
        values: Span<*const v8::Value>,
    ) -> *const v8::Object;
}

/// Most key sets kept per isolate (then the cache starts over).
const MAX_TEMPLATES: usize = 4096;
/// Most names in one template (larger objects are built key by key).
pub const MAX_TEMPLATE_NAMES: usize = 64;

/// The isolate slot: templates by their names, joined with NUL.
#[derive(Default)]
pub(crate) struct Templates(RefCell<HashMap<Box<[u8]>, v8::Global<v8::Data>>>);

/// A template for objects with exactly `names` (in order), or None when
/// they cannot all be declared: an array index, a repeat, too many, or a
/// name that is not ASCII (V8 reads declared names as Latin-1).
pub fn object_template<'s>(scope: &v8::PinScope<'s, '_>, names: &[&[u8]]) -> Option<v8::Local<'s, v8::Data>> {
    if names.len() > MAX_TEMPLATE_NAMES {
        return None;
    }
    let mut key = Vec::with_capacity(names.iter().map(|n| n.len() + 1).sum());
    for (i, name) in names.iter().enumerate() {
        if !name.is_ascii() || is_array_index(name) || name.contains(&0) || names[..i].contains(name) {
            return None;
        }
        key.extend_from_slice(name);
        key.push(0);
    }
    let cache = scope.get_slot::<Templates>()?;
    if let Some(known) = cache.0.borrow().get(key.as_slice()) {
        return Some(v8::Local::new(scope, known));
    }
    let views: Vec<StrView> = names.iter().map(|n| StrView { data: n.as_ptr(), len: n.len() }).collect();
    let isolate: &v8::Isolate = scope;
    // SAFETY: the isolate is entered and locked (we hold a scope of it);
    // `views` outlives the call, which copies (internalizes) each name.
    let raw = unsafe {
        let ptr: *mut std::ffi::c_void = std::mem::transmute(isolate.as_raw_isolate_ptr());
        dictionary_template_new(ptr, Span { data: views.as_ptr(), len: views.len() })
    };
    // SAFETY: V8 returned a handle in the current HandleScope (or null).
    let template: v8::Local<v8::Data> = unsafe { std::mem::transmute(std::ptr::NonNull::new(raw as *mut v8::Data)?) };
    let mut cache = cache.0.borrow_mut();
    if cache.len() >= MAX_TEMPLATES {
        cache.clear();
    }
    cache.insert(key.into_boxed_slice(), v8::Global::new(scope, template));
    Some(template)
}

/// A new object of `template` with `values` (one per declared name, in
/// order), in `context` (the caller's current one, looked up once per walk).
pub fn object_from_template<'s>(
    context: v8::Local<'s, v8::Context>,
    template: v8::Local<'s, v8::Data>,
    values: &[v8::Local<'s, v8::Value>],
) -> Option<v8::Local<'s, v8::Object>> {
    // A `Local` is a `#[repr(C)]` non-null pointer, so the slice already is
    // the span of `MaybeLocal<Value>` V8 reads (no copy per object).
    let values = Span { data: values.as_ptr() as *const *const v8::Value, len: values.len() };
    // SAFETY: `template` is a DictionaryTemplate of this isolate and
    // `values` has one entry per declared name (V8 checks the count).
    let raw = unsafe { dictionary_template_new_instance(&*template, context, values) };
    // SAFETY: V8 returned a handle in the current HandleScope (or null).
    Some(unsafe {
        std::mem::transmute::<std::ptr::NonNull<v8::Object>, v8::Local<'s, v8::Object>>(std::ptr::NonNull::new(
            raw as *mut v8::Object,
        )?)
    })
}

/// Whether `name` is a canonical array index ("0", "7", "4294967294"):
/// V8 keeps those as elements, which a template cannot declare.
fn is_array_index(name: &[u8]) -> bool {
    match name {
        [] => false,
        [b'0'] => true,
        [b'0', ..] => false,
        digits if digits.len() <= 10 && digits.iter().all(u8::is_ascii_digit) => {
            std::str::from_utf8(digits).ok().and_then(|d| d.parse::<u64>().ok()).is_some_and(|n| n < u32::MAX as u64)
        }
        _ => false,
    }
}
