#ifndef KFSIM_CSYSTEM_H
#define KFSIM_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int kfsim_exchange_paths(const char *a, const char *b);

/// Tunes the process heap for a simulation's allocation pattern (call once, first thing, before any
/// thread starts): large tables come from the heap rather than from fresh mappings, freed memory is kept
/// for reuse (up to 512 MiB unreturned: peak memory of big runs is a few percent higher), and the heap
/// grows by 64 MiB at once, asking for transparent huge pages there (MADV_HUGEPAGE, honoured where the
/// kernel's THP mode is `madvise` or `always`); later growth, and thread arenas, use glibc's usual
/// steps. A short run then takes about a quarter of the page faults it would (each a kernel entry that
/// costs about a microsecond in a VM). Does nothing outside glibc.
void kfsim_tune_heap(void);

#endif
