#ifndef CROSSBARKIT_CPREFETCH_H
#define CROSSBARKIT_CPREFETCH_H

/// Software prefetch for the pulse kernels (Swift has no prefetch primitive, and clang's
/// _mm_prefetch is a macro): asks the CPU to bring the cache line holding `address` into all
/// cache levels ahead of a read. A hint only; it never faults, whatever the address.
static inline void crossbar_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
