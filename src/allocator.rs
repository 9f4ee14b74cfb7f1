//! The global allocator: mimalloc, called the way the standard library calls the system
//! allocator.
//!
//! The `mimalloc` crate's wrapper passes every request to `mi_malloc_aligned`, even with
//! the 1- to 8-byte alignment nearly every Rust type has. In mimalloc 3 that call takes
//! the plain fast path only while the current page of its size class has a free block;
//! otherwise, and for every request over 1 KiB, it goes through a generic path that
//! over-allocates (size + alignment - 1, so a larger size class) unless the block size
//! is a power of two. On 1,000 stacks that was 100,000 over-allocations and ~5% of all
//! instructions in aligned allocation and reallocation (callgrind).
//!
//! mimalloc aligns every block to 8 bytes and every block of 16 bytes or more to 16 (its
//! `MI_MAX_ALIGN_SIZE`; size classes below 128 bytes come in double words), so requests
//! with at most that alignment use `mi_malloc`, `mi_zalloc` and `mi_realloc`: the
//! condition is the one `std::alloc::System` uses before calling `malloc` (alignment at
//! most 16 and no larger than the size). Anything else keeps the aligned calls.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc's guaranteed alignment for blocks of at least this many bytes.
const MIN_ALIGN: usize = 16;

pub struct Allocator;

/// Bytes handed out and not yet freed, and the most of them since the last
/// [`stats::stage_mark`] (feature `heap-stats`). Requested sizes, before mimalloc rounds
/// them to its size classes: what the program holds, not what the process does.
#[cfg(feature = "heap-stats")]
pub mod stats {
    use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

    static LIVE: AtomicIsize = AtomicIsize::new(0);
    static PEAK: AtomicIsize = AtomicIsize::new(0);

    #[inline]
    pub(super) fn add(bytes: isize) {
        let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
        if bytes > 0 {
            PEAK.fetch_max(live, Relaxed);
        }
    }

    /// Live bytes now and the peak since the last mark; starts the next stage's peak.
    pub fn stage_mark() -> (usize, usize) {
        let live = LIVE.load(Relaxed);
        let peak = PEAK.swap(live, Relaxed);
        (live.max(0) as usize, peak.max(0) as usize)
    }
}

#[inline]
fn count(_bytes: isize) {
    #[cfg(feature = "heap-stats")]
    stats::add(_bytes);
}

#[inline]
fn plain(align: usize, size: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

// SAFETY: every call forwards to mimalloc with the layout's size; blocks from the plain
// calls meet `plain`'s alignment (see the module comment), the others are asked for
// their alignment explicitly, and `mi_free` frees blocks from any of them.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        if plain(layout.align(), layout.size()) {
            mi::mi_malloc(layout.size()) as *mut u8
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        if plain(layout.align(), layout.size()) {
            mi::mi_zalloc(layout.size()) as *mut u8
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        mi::mi_free(ptr as *mut c_void)
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        if plain(layout.align(), new_size) {
            mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
        } else {
            mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
        }
    }
}

/// mimalloc 3's `mi_option_purge_delay` (the position in its header's `mi_option_e`; the
/// `sys` crate binds options only under a feature that pulls in more than this).
const PURGE_DELAY: std::ffi::c_int = 15;

/// How long mimalloc keeps a page it no longer uses before giving it back to the OS.
///
/// mimalloc 3 waits 1,000 ms: longer than a whole run on 10,000 stacks, so the pages
/// that the model's, the links' and the shared analyses' transients freed stayed
/// resident to the end. At 50 ms peak RSS on 10,000 stacks went from ~178 to ~164 MiB
/// (ten alternating runs each) for ~15% more page faults (43,500 -> 50,000) and ~2%
/// more time, most of it in the kernel; 100 ms kept ~9 MiB of the gain for ~0.5%, 10 ms
/// gained 2 MiB more for a third more faults (BENCHMARKS.md, "Third session of
/// 2026-11-28").
pub const PURGE_DELAY_MS: std::ffi::c_long = 50;

extern "C" {
    fn mi_option_set_default(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// Sets mimalloc's defaults; `MIMALLOC_PURGE_DELAY` and the other `MIMALLOC_*`
/// variables still override them. Call before the first allocation.
pub fn set_defaults() {
    // SAFETY: plain integers; mimalloc ignores an option it has already read.
    unsafe { mi_option_set_default(PURGE_DELAY, PURGE_DELAY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `PURGE_DELAY` names the purge delay in the mimalloc we link: no other option of
    /// mimalloc 3 defaults to 1,000. Fails if an upgrade moves the option.
    #[test]
    fn purge_delay_is_the_option_we_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set");
            return;
        }
        // SAFETY: reads an option; `set_defaults` is never called in the test process.
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, 1000);
    }

    /// Every size up to a few pages and every alignment up to 4 KiB: the block is
    /// aligned, writable to its end, keeps its bytes through a reallocation, and frees.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..300).chain([1000, 1024, 1500, 4096, 70_000]) {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                // SAFETY: a non-zero size; the block is used within its layout and freed once.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    std::ptr::write_bytes(p, 0xa5, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert!(!q.is_null());
                    assert_eq!(q as usize % align, 0, "realloc size {size} align {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xa5));
                    a.dealloc(q, Layout::from_size_align_unchecked(size * 3, align));
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }

    /// The counters follow what is handed out and freed, and a mark's peak includes a
    /// block held at the time. Other tests may use the allocator or take a mark meanwhile
    /// (a few hundred KiB at most), hence the margins.
    #[cfg(feature = "heap-stats")]
    #[test]
    fn stats_count_live_bytes_and_the_peak_between_marks() {
        const MIB: usize = 1 << 20;
        let a = Allocator;
        let layout = Layout::from_size_align(8 * MIB, 8).expect("layout");
        let (before, _) = stats::stage_mark();
        // SAFETY: a non-zero size; the block is freed below with the same layout.
        let p = unsafe { a.alloc(layout) };
        assert!(!p.is_null());
        let (held, peak) = stats::stage_mark();
        assert!(held.abs_diff(before + 8 * MIB) < MIB, "{before} -> {held}");
        assert!(peak + MIB > before + 8 * MIB);
        // SAFETY: `p` came from `alloc` with this layout.
        unsafe { a.dealloc(p, layout) };
        let (after, _) = stats::stage_mark();
        assert!(after.abs_diff(before) < MIB, "{before} -> {after}");
    }
}
