#ifndef KFSIM_CSYSTEM_H
#define KFSIM_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int kfsim_exchange_paths(const char *a, const char *b);

/// Tunes the process heap for a simulation's allocation pattern (call once, first thing): large
/// tables come from the heap rather than from fresh mappings, freed memory is kept for reuse, the heap
/// grows 64 MiB at a time, and that first 64 MiB asks for transparent huge pages (MADV_HUGEPAGE, honoured
/// where the kernel's THP mode is `madvise` or `always`). A short run then takes about a quarter of
/// the page faults it would (each a kernel entry that costs about a microsecond in a VM).
void kfsim_tune_heap(void);

#endif
