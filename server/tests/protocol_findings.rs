//! What the frame fuzzer found in the protocol layer, as the smallest
//! failing test; now refused before yrs' decoders run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, noting the largest allocation made.
struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let ptr = unsafe { System.realloc(ptr, layout, new_size) };
        if !ptr.is_null() {
            LARGEST.fetch_max(new_size, Ordering::Relaxed);
        }
        ptr
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

/// Each payload starts with a count (of clients or entries) and holds
/// nothing else. yrs' decoders reserve a hash map for that many entries
/// before reading any (`try_reserve`: a count too large to allocate is an
/// error, but anything the machine can allocate is allocated, and the map's
/// control bytes written). `protocol::decode_frame` runs them on every
/// payload before anything else looks at it, so 7 or 8 bytes from any
/// connection, even a viewer's, cost about 0.4 s of CPU and 256–512 MB
/// (2^28 entries, measured in release on this machine; 2^29 for a state
/// vector: 0.8 s, 512 MB), and a room handles its frames one at a time.
///
/// Expected: a count larger than the bytes that follow could hold is
/// refused before anything is reserved (every entry takes at least one
/// byte; the gate's own decoder, `plan::admission::decode`, already never
/// allocates more than its input can fill). Actual: hundreds of megabytes
/// reserved, per frame.
#[test]
fn a_frame_of_a_few_bytes_reserves_no_more_than_it_could_fill() {
    let frames: [(&str, &[u8]); 4] = [
        (
            "sync step 1 (state vector of 2^28 clients)",
            &[0, 0, 5, 0x80, 0x80, 0x80, 0x80, 0x01],
        ),
        (
            "sync step 2 (update of 2^28 clients)",
            &[0, 1, 5, 0x80, 0x80, 0x80, 0x80, 0x01],
        ),
        ("update (2^28 clients)", &[0, 2, 5, 0x80, 0x80, 0x80, 0x80, 0x01]),
        ("awareness (2^28 entries)", &[1, 5, 0x80, 0x80, 0x80, 0x80, 0x01]),
    ];
    let mut failures = Vec::new();
    for (name, frame) in frames {
        LARGEST.store(0, Ordering::Relaxed);
        let refused = server::collab::protocol::decode_frame(frame).is_err();
        let largest = LARGEST.load(Ordering::Relaxed);
        assert!(refused, "{name} was accepted");
        if largest > 1 << 20 {
            failures.push(format!(
                "{name}: {} bytes reserved for a {}-byte frame",
                largest,
                frame.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
