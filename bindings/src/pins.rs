//! Ruby values a marshalling walk keeps in Rust memory (its identity map
//! and key cache), pinned for the walk: marked with `rb_gc_mark`, so the GC
//! neither frees nor moves them (`GC.compact` may run inside a callback
//! that a getter calls mid-walk).
//!
//! One registered root marks every open walk's list. Walks on different
//! threads interleave (a callback may switch threads), so each walk owns a
//! slot rather than a stretch of one shared stack. Used with the GVL held.

use std::cell::UnsafeCell;

use magnus::{
    rb_sys::{AsRawValue, FromRawValue},
    value::Lazy,
    Value,
};

/// One walk's values; `open` while the walk runs (a closed slot keeps its
/// allocation for the next walk).
struct Slot {
    open: bool,
    values: Vec<Value>,
}

/// Boxed, so a walk keeps its slot's address while other walks add slots.
struct Slots(UnsafeCell<Vec<Box<Slot>>>);

// SAFETY: touched only with the GVL held (walks, and the GC's mark phase).
unsafe impl Sync for Slots {}

static SLOTS: Slots = Slots(UnsafeCell::new(Vec::new()));

/// Marks every open walk's values (the GC calls it with the GVL held, while
/// no walk is mid-push).
unsafe extern "C" fn mark_all(_: *mut std::ffi::c_void) {
    // SAFETY: see above.
    for slot in unsafe { &*SLOTS.0.get() }.iter().filter(|s| s.open) {
        for value in &slot.values {
            // SAFETY: a live object pinned by a walk.
            unsafe { rb_sys::rb_gc_mark(value.as_raw()) };
        }
    }
}

struct DataType(rb_sys::rb_data_type_t);
// SAFETY: a constant description, only read.
unsafe impl Sync for DataType {}

static ROOT_TYPE: DataType = DataType(rb_sys::rb_data_type_t {
    wrap_struct_name: c"rusty_racer pins".as_ptr(),
    function: rb_sys::rb_data_type_struct__bindgen_ty_1 {
        dmark: Some(mark_all),
        dfree: None,
        dsize: None,
        dcompact: None,
        reserved: [std::ptr::null_mut(); 1],
    },
    parent: std::ptr::null(),
    data: std::ptr::null_mut(),
    flags: 0,
});

/// A hidden object (no class) whose mark function marks every walk's list,
/// registered as a GC root once.
static ROOT: Lazy<Value> = Lazy::new(|_| {
    // SAFETY: GVL held (Lazy is forced by a walk); a classless typed data object.
    // The data pointer must not be NULL: Ruby skips the mark function of a
    // data object without data.
    let data = &SLOTS as *const Slots as *mut std::ffi::c_void;
    unsafe { Value::from_raw(rb_sys::rb_data_typed_object_wrap(0, data, &ROOT_TYPE.0)) }
});

/// A closed slot keeps at most this many values' room.
const KEEP_AT_MOST: usize = 1 << 16;

/// A walk's pinned values; unpinned when dropped.
pub struct Pins {
    slot: Option<std::ptr::NonNull<Slot>>,
}

impl Pins {
    pub fn new() -> Self {
        Pins { slot: None }
    }

    /// Pins `value` until this walk ends. GVL held.
    #[inline]
    pub fn pin(&mut self, ruby: &magnus::Ruby, value: Value) {
        if moves(value) {
            self.values(ruby).push(value);
        }
    }

    /// Pins both halves of each pair (a Hash's keys and values) until this
    /// walk ends. GVL held.
    pub fn pin_pairs(&mut self, ruby: &magnus::Ruby, pairs: &[(Value, Value)]) {
        let values = self.values(ruby);
        values.reserve(pairs.len() * 2);
        for &(k, v) in pairs {
            if moves(k) {
                values.push(k);
            }
            if moves(v) {
                values.push(v);
            }
        }
    }

    /// This walk's list, its slot opened on first use.
    #[inline]
    fn values(&mut self, ruby: &magnus::Ruby) -> &mut Vec<Value> {
        let mut slot = match self.slot {
            Some(slot) => slot,
            None => self.open(ruby),
        };
        // SAFETY: GVL held; the slot is boxed (its address stays) and only
        // this walk touches it while open; the reference lives only as long
        // as `&mut self`.
        unsafe { &mut slot.as_mut().values }
    }

    #[cold]
    fn open(&mut self, ruby: &magnus::Ruby) -> std::ptr::NonNull<Slot> {
        let _ = ruby.get_inner(&ROOT); // registers the root on first use
                                       // SAFETY: GVL held; no other reference into SLOTS is live.
        let slots = unsafe { &mut *SLOTS.0.get() };
        let slot = match slots.iter().position(|s| !s.open) {
            Some(free) => free,
            None => {
                slots.push(Box::new(Slot { open: false, values: Vec::new() }));
                slots.len() - 1
            }
        };
        slots[slot].open = true;
        let slot = std::ptr::NonNull::from(&mut *slots[slot]);
        self.slot = Some(slot);
        slot
    }
}

/// Whether the GC may free or move `value`: immediates (Fixnums, flonums,
/// nil, true, false, static Symbols) never do.
#[inline]
fn moves(value: Value) -> bool {
    !rb_sys::SPECIAL_CONST_P(value.as_raw())
}

impl Drop for Pins {
    fn drop(&mut self) {
        if let Some(mut slot) = self.slot {
            // SAFETY: GVL held (a walk ends on its thread, holding it); the
            // slot is boxed and never freed.
            let slot = unsafe { slot.as_mut() };
            slot.open = false;
            slot.values.clear();
            if slot.values.capacity() > KEEP_AT_MOST {
                slot.values = Vec::new();
            }
        }
    }
}
