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

/// GSL's `mt_get` refill of the 624 words (gsl/rng/mt.c).
static inline void kfsim_mt_refill(kfsim_mt_state *state) {
    enum { N = 624, M = 397 };
    const unsigned long upper = 0x80000000UL, lower = 0x7fffffffUL;
    unsigned long *const mt = state->mt;
#define KFSIM_MT_MAGIC(y) (((y) & 0x1) ? 0x9908b0dfUL : 0)
    {
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
}

/// GSL's tempering of one MT19937 word.
static inline unsigned long kfsim_mt_temper(unsigned long k) {
    k ^= (k >> 11);
    k ^= (k << 7) & 0x9d2c5680UL;
    k ^= (k << 15) & 0xefc60000UL;
    k ^= (k >> 18);
    return k;
}

/// GSL's `mt_get` (gsl/rng/mt.c), the same code on the same state, inlined into the caller.
static inline unsigned long kfsim_mt_get(kfsim_mt_state *state) {
    if (state->mti >= 624) kfsim_mt_refill(state);
    return kfsim_mt_temper(state->mt[state->mti++]);
}

/// `gsl_rng_uniform_int` (gsl/rng/rng.c) for an MT19937 generator (minimum 0, maximum 0xffffffff),
/// inlined: the same draws from the same state. `n` is in 1...0xffffffff.
static inline unsigned long kfsim_mt_uniform_int(const gsl_rng *r, unsigned long n) {
    const unsigned long scale = 0xffffffffUL / n;
    unsigned long k;
    do { k = kfsim_mt_get((kfsim_mt_state *)r->state) / scale; } while (k >= n);
    return k;
}

/// Reservoir sampling's draws: `kfsim_mt_uniform_int(r, n)` for n = first, first + 1, ..., last in
/// order (the same numbers drawn, rejections included); returns the last n whose draw was 0, or 0 when
/// none was. `scales[n]` is `0xffffffff / n` for n < `count`. The state's position stays in a register
/// between draws. `last` is at most 0xffffffff.
static inline unsigned long kfsim_mt_reservoir(const gsl_rng *r, unsigned long first, unsigned long last,
                                               const unsigned long *scales, unsigned long count) {
    kfsim_mt_state *state = (kfsim_mt_state *)r->state;
    unsigned long picked = 0;
    int mti = state->mti;
    for (unsigned long n = first; n <= last; n++) {
        const unsigned long scale = n < count ? scales[n] : 0xffffffffUL / n, limit = n * scale;
        unsigned long x;
        do {
            if (mti >= 624) {
                kfsim_mt_refill(state);
                mti = 0;
            }
            x = kfsim_mt_temper(state->mt[mti++]);
        } while (x >= limit);
        if (x < scale) picked = n;
    }
    state->mti = mti;
    return picked;
}

#endif
