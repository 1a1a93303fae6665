//! Zero-filled arrays for the key tables, taken from the kernel already zeroed.
//!
//! A key table starts as hundreds of megabytes of zeros, and every time it grows a new one
//! does. The kernel zeroes each fresh page anyway; writing zeros over them again (what
//! [`written_zeros`](super::key_table::written_zeros) does) was a second pass over every
//! byte, about a third of the cost of growing. A large array here is an anonymous mapping
//! that the kernel backs with huge pages where it can, mapped writable up front by writing
//! one byte per page, so its pages are zeroed once and never go through the shared zero page
//! (see `written_zeros` for why that matters).

use std::ops::{Deref, DerefMut};

/// Element types whose all-zero bytes are their `Default` value.
///
/// # Safety
/// Implement only for plain integers and arrays of them.
pub(super) unsafe trait ZeroIsDefault: Copy + Default {}

// SAFETY: an array of integers; all-zero bytes are zeros.
unsafe impl ZeroIsDefault for [u32; 4] {}

/// Below this many bytes an array is an ordinary, written-zero `Vec`: a mapping costs a
/// system call or three and rounds up to whole pages.
#[cfg(target_os = "linux")]
const MAP_MIN_BYTES: usize = 4 << 20;

/// The smallest page size: touching one byte in every such span maps every page.
#[cfg(target_os = "linux")]
const PAGE_BYTES: usize = 4096;

/// A fixed-length array of zeros ([`ZeroIsDefault`]).
pub(super) struct Zeroed<T: ZeroIsDefault> {
    storage: Storage<T>,
}

enum Storage<T> {
    Heap(Vec<T>),
    /// An anonymous private mapping of `len` elements, unmapped on drop.
    #[cfg(target_os = "linux")]
    Mapped {
        ptr: std::ptr::NonNull<T>,
        len: usize,
    },
}

// SAFETY: a `Mapped` array is owned memory like a `Vec`'s: sending or sharing it is as safe
// as sending or sharing its elements.
unsafe impl<T: ZeroIsDefault + Send> Send for Zeroed<T> {}
// SAFETY: as above; `&Zeroed` only hands out `&[T]`.
unsafe impl<T: ZeroIsDefault + Sync> Sync for Zeroed<T> {}

impl<T: ZeroIsDefault> Zeroed<T> {
    /// `n` zeros.
    pub(super) fn new(n: usize) -> Self {
        #[cfg(target_os = "linux")]
        if n * std::mem::size_of::<T>() >= MAP_MIN_BYTES {
            if let Some(mapped) = Self::mapped(n) {
                return mapped;
            }
        }
        Zeroed {
            storage: Storage::Heap(super::key_table::written_zeros(n)),
        }
    }

    /// `n` zeros in a mapping of their own; `None` if the kernel refuses one.
    #[cfg(target_os = "linux")]
    fn mapped(n: usize) -> Option<Self> {
        let bytes = n * std::mem::size_of::<T>();
        // SAFETY: a fresh anonymous mapping; no existing memory is touched.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        // SAFETY: the range is the mapping just made; advice changes how the kernel backs
        // it, never its contents (zeros). Both are hints: an older kernel that lacks one
        // leaves the pages to be faulted in on first touch, as zeros all the same.
        unsafe {
            libc::madvise(ptr, bytes, libc::MADV_HUGEPAGE);
        }
        // One written byte per page maps it writable (zeroed by the kernel, once). Not
        // `MADV_POPULATE_WRITE`: that holds the address space's lock while it fills the whole
        // range, so another core's table, mapped or unmapped meanwhile, waited for it; a
        // fault takes only its own mapping's lock.
        for at in (0..bytes).step_by(PAGE_BYTES) {
            // SAFETY: `at` lies within the mapping just made, which is writable; the byte
            // written is the zero it already holds.
            unsafe { ptr.cast::<u8>().add(at).write_volatile(0) };
        }
        let ptr = std::ptr::NonNull::new(ptr.cast::<T>())?;
        Some(Zeroed {
            storage: Storage::Mapped { ptr, len: n },
        })
    }

    /// Bytes held, for the memory budget.
    pub(super) fn heap_bytes(&self) -> usize {
        match &self.storage {
            Storage::Heap(v) => v.capacity() * std::mem::size_of::<T>(),
            #[cfg(target_os = "linux")]
            Storage::Mapped { len, .. } => len * std::mem::size_of::<T>(),
        }
    }
}

impl<T: ZeroIsDefault> Deref for Zeroed<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.storage {
            Storage::Heap(v) => v,
            // SAFETY: the mapping holds `len` initialised (zero, i.e. default) elements, is
            // aligned to a page, and lives as long as `self`.
            #[cfg(target_os = "linux")]
            Storage::Mapped { ptr, len } => unsafe {
                std::slice::from_raw_parts(ptr.as_ptr(), *len)
            },
        }
    }
}

impl<T: ZeroIsDefault> DerefMut for Zeroed<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.storage {
            Storage::Heap(v) => v,
            // SAFETY: as in `deref`; `&mut self` makes the borrow unique.
            #[cfg(target_os = "linux")]
            Storage::Mapped { ptr, len } => unsafe {
                std::slice::from_raw_parts_mut(ptr.as_ptr(), *len)
            },
        }
    }
}

impl<T: ZeroIsDefault> Drop for Zeroed<T> {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Storage::Mapped { ptr, len } = self.storage {
            // SAFETY: the mapping made in `mapped`, unmapped once; no slice of it outlives
            // `self`.
            unsafe {
                libc::munmap(ptr.as_ptr().cast(), len * std::mem::size_of::<T>());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_mapped_arrays_start_as_zeros_and_keep_what_is_written() {
        // The last size is over MAP_MIN_BYTES, so it is mapped (on Linux).
        for n in [0, 3, 1000, (8 << 20) / 16 + 3] {
            let mut z: Zeroed<[u32; 4]> = Zeroed::new(n);
            assert_eq!(z.len(), n);
            assert!(z.iter().all(|s| *s == [0; 4]));
            if n > 0 {
                z[n - 1] = [1, 2, 3, 4];
                z[n / 2][0] = 9;
                assert_eq!(z[n - 1], [1, 2, 3, 4]);
                assert_eq!(z[n / 2], [9, 0, 0, 0]);
                assert_eq!(z.iter().filter(|s| **s != [0; 4]).count(), 2);
            }
            assert!(z.heap_bytes() >= n * 16);
        }
    }
}
