#ifndef KFSIM_CSYSTEM_H
#define KFSIM_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int kfsim_exchange_paths(const char *a, const char *b);

#endif
