#define _GNU_SOURCE
#include "csystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int kfsim_exchange_paths(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

void kfsim_tune_heap(void) {
#if defined(__GLIBC__)
    enum { MiB = 1 << 20, defaultTopPad = 128 * 1024 };
    if (!mallopt(M_MMAP_THRESHOLD, 256 * MiB) || !mallopt(M_TRIM_THRESHOLD, 512 * MiB) || !mallopt(M_TOP_PAD, 64 * MiB)) return;
    // Grow the heap now (by the top pad) and mark the new part for huge pages.
    void *probe = malloc(MiB);
    // Later growth (and every thread's arena, in sweeps) in glibc's usual steps again.
    mallopt(M_TOP_PAD, defaultTopPad);
    if (probe == NULL) return;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t from = ((uintptr_t)probe + page - 1) & ~(page - 1), to = (uintptr_t)sbrk(0);
    free(probe);
#ifdef MADV_HUGEPAGE
    // Only when the block came from the brk heap just grown (not a mapping of its own).
    if (to > from && to - from <= 128 * MiB) madvise((void *)from, to - from, MADV_HUGEPAGE);
#endif
#endif
}
