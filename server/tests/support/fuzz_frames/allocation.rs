//! The global allocator, noting the largest single allocation an input
//! caused.

/// The system allocator, noting the largest single allocation made since
/// it was last asked: a few bytes that make a decoder reserve a lot are a
/// finding of their own (shown, not failed on).
pub(super) struct Largest;

pub(super) static LARGEST: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let ptr = unsafe { std::alloc::System.alloc(layout) };
        if !ptr.is_null() {
            LARGEST.fetch_max(layout.size(), std::sync::atomic::Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let ptr = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        if !ptr.is_null() {
            LARGEST.fetch_max(new_size, std::sync::atomic::Ordering::Relaxed);
        }
        ptr
    }
}

#[global_allocator]
pub(super) static ALLOCATOR: Largest = Largest;

pub(super) fn take_largest() -> usize {
    LARGEST.swap(0, std::sync::atomic::Ordering::Relaxed)
}
