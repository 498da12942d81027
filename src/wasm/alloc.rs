//! The wasm heap: power-of-two size classes, each with a free list.
//!
//! Why not the default (dlmalloc): parsing and validating allocate one small
//! block per string and per array or object, and in the wasm build every
//! dlmalloc call (with its bin search, splitting and coalescing) was a fifth
//! to a quarter of a validation's time. Here an allocation is a pop from its
//! class's list and a free a push, and the code is a fraction of dlmalloc's.
//!
//! The trade-off: a block is rounded up to a power of two and memory freed
//! to one class is reused only by that class (wasm memory never shrinks
//! anyway), so the heap can reach about twice the peak of live data.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_grow;
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// Smallest block: 2^4 = 16 bytes (covers the alignment of every type here).
const MIN_CLASS: usize = 4;
/// Classes 2^4 .. 2^31 bytes.
const CLASSES: usize = 32 - MIN_CLASS;
const PAGE: usize = 65536;

struct Heap {
    /// Head of each class's free list; a free block holds the next pointer.
    free: [*mut u8; CLASSES],
    /// Unused tail of the last grown memory region.
    next: usize,
    end: usize,
}

pub struct SizeClasses(UnsafeCell<Heap>);

// wasm32 without threads: one thread touches the heap.
unsafe impl Sync for SizeClasses {}

#[global_allocator]
static HEAP: SizeClasses = SizeClasses(UnsafeCell::new(Heap { free: [null_mut(); CLASSES], next: 0, end: 0 }));

/// The class of a block big enough for `layout` (size and alignment).
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    (usize::BITS - (size - 1).leading_zeros()) as usize - MIN_CLASS
}

unsafe impl GlobalAlloc for SizeClasses {
    #[cfg_attr(agoralia_speed, optimize(speed))]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = &mut *self.0.get();
        let c = class(layout);
        if c >= CLASSES {
            return null_mut();
        }
        let head = heap.free[c];
        // Free blocks are only known to be 16-aligned: an over-aligned request
        // (none in this crate today) always gets a freshly carved block.
        if !head.is_null() && layout.align() <= 16 {
            heap.free[c] = *(head as *mut *mut u8);
            return head;
        }
        // Carve a new block from the current region (sizes are multiples of
        // 16, so `next` stays 16-aligned unless a type asks for more).
        let size = 1usize << (c + MIN_CLASS);
        let align = layout.align().max(16);
        let start = (heap.next + align - 1) & !(align - 1);
        // Checked: near the top of the 4 GiB address space `start + size`
        // wraps, and a wrapped sum would hand out memory past the end.
        if start.checked_add(size).is_none_or(|end| end > heap.end) || start == 0 {
            let pages = (size + align + PAGE - 1) / PAGE;
            let base = memory_grow(0, pages);
            if base == usize::MAX {
                return null_mut();
            }
            let base = base * PAGE;
            // A new region that does not continue the old one starts afresh.
            if base != heap.end {
                heap.next = base;
            }
            heap.end = base + pages * PAGE;
            return self.alloc(layout);
        }
        heap.next = start + size;
        start as *mut u8
    }

    #[cfg_attr(agoralia_speed, optimize(speed))]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let heap = &mut *self.0.get();
        let c = class(layout);
        *(ptr as *mut *mut u8) = heap.free[c];
        heap.free[c] = ptr;
    }

    #[cfg_attr(agoralia_speed, optimize(speed))]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        // Same class: the block already has room (growing strings and vectors
        // mostly double, so this is the common case for shrinks and small growth).
        if class(new) == class(layout) {
            return ptr;
        }
        let p = self.alloc(new);
        if !p.is_null() {
            core::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        p
    }
}
