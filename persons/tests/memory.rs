//! Measures the heap bytes per distinct key of `ExactCounter`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use persons::{ExactCounter, PersonKey};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::SeqCst);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::SeqCst);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::SeqCst);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn synthetic_key(i: u64) -> PersonKey {
    // Tag 4 (mobile) in the top nibble, a well-mixed 124-bit body.
    let v = u128::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    let v = (v ^ (v >> 61)) & ((1u128 << 124) - 1) | (4u128 << 124);
    PersonKey::from_bytes(v.to_be_bytes()).unwrap()
}

fn measure(n: u64, presize: bool) -> (f64, f64) {
    let before = LIVE.load(Ordering::SeqCst);
    let mut c = if presize {
        ExactCounter::with_capacity(n as usize)
    } else {
        ExactCounter::new()
    };
    for i in 0..n {
        c.add_row(&[synthetic_key(i)]);
    }
    let used = (LIVE.load(Ordering::SeqCst) - before) as f64;
    assert_eq!(c.distinct_keys(), n);
    let approx = c.approx_bytes() as f64;
    drop(c);
    (used / n as f64, approx / n as f64)
}

#[test]
fn bytes_per_key() {
    // Single test in this binary, so the allocation counter is not shared.
    // Key tables grow by half when 3/4 full, so they are 1/2 to 3/4 full:
    // 16-byte slots take 21.3 to 32 bytes per key, plus 4 bytes of parent.
    // The sizes are spread over a growth step.
    for (n, presize) in [
        (700_000u64, false),
        (900_000, false),
        (1_000_000, false),
        (1_000_000, true),
        (1_200_000, false),
    ] {
        let (real, approx) = measure(n, presize);
        println!(
            "n={n} presized={presize}: {real:.1} heap bytes/key (approx_bytes says {approx:.1})"
        );
        assert!(
            (real - approx).abs() / real < 0.05,
            "approx_bytes off: {real} vs {approx}"
        );
        assert!(real < 37.0, "{real}");
    }
}
