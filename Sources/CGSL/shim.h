#ifndef KFSIM_CGSL_SHIM_H
#define KFSIM_CGSL_SHIM_H

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_matrix.h>

/// GSL's generator types are mutable C globals, which Swift 6 strict concurrency refuses to read.
/// These accessors hand them over as plain function results.
static inline const gsl_rng_type *kfsim_rng_mt19937(void) { return gsl_rng_mt19937; }

/// The trust-region method of GSL's nonlinear least squares (a C global, handed over as a result).
static inline const gsl_multifit_nlinear_type *kfsim_nlinear_trust(void) { return gsl_multifit_nlinear_trust; }

/// Turns off GSL's default error handler (which aborts) so callers check return codes instead.
static inline void kfsim_gsl_disable_abort(void) { gsl_set_error_handler_off(); }

/// GSL's MT19937 state (gsl/rng/mt.c: `mt_state_t`).
typedef struct { unsigned long mt[624]; int mti; } kfsim_mt_state;

/// GSL's `mt_get` (gsl/rng/mt.c), the same code on the same state, inlined into the caller.
static inline unsigned long kfsim_mt_get(kfsim_mt_state *state) {
    enum { N = 624, M = 397 };
    const unsigned long upper = 0x80000000UL, lower = 0x7fffffffUL;
    unsigned long *const mt = state->mt;
#define KFSIM_MT_MAGIC(y) (((y) & 0x1) ? 0x9908b0dfUL : 0)
    if (state->mti >= N) {
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            unsigned long y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + M] ^ (y >> 1) ^ KFSIM_MT_MAGIC(y);
        }
        for (; kk < N - 1; kk++) {
            unsigned long y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + (M - N)] ^ (y >> 1) ^ KFSIM_MT_MAGIC(y);
        }
        {
            unsigned long y = (mt[N - 1] & upper) | (mt[0] & lower);
            mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ KFSIM_MT_MAGIC(y);
        }
        state->mti = 0;
    }
#undef KFSIM_MT_MAGIC
    unsigned long k = mt[state->mti];
    k ^= (k >> 11);
    k ^= (k << 7) & 0x9d2c5680UL;
    k ^= (k << 15) & 0xefc60000UL;
    k ^= (k >> 18);
    state->mti++;
    return k;
}

/// `gsl_rng_uniform_int` (gsl/rng/rng.c) for an MT19937 generator (minimum 0, maximum 0xffffffff),
/// inlined: the same draws from the same state. `n` is in 1...0xffffffff.
static inline unsigned long kfsim_mt_uniform_int(const gsl_rng *r, unsigned long n) {
    const unsigned long scale = 0xffffffffUL / n;
    unsigned long k;
    do { k = kfsim_mt_get((kfsim_mt_state *)r->state) / scale; } while (k >= n);
    return k;
}

/// Whether `kfsim_mt_uniform_int(r, n)` would return 0, drawing exactly what it draws: with
/// `scale = 0xffffffff / n`, k = x / scale is refused (and drawn again) when x >= n * scale, and is 0
/// when x < scale, so no second division is needed. `scale` is `0xffffffff / n` (the caller may keep
/// a table).
static inline int kfsim_mt_draws_zero(const gsl_rng *r, unsigned long n, unsigned long scale) {
    const unsigned long limit = n * scale;
    unsigned long x;
    do { x = kfsim_mt_get((kfsim_mt_state *)r->state); } while (x >= limit);
    return x < scale;
}

#endif
