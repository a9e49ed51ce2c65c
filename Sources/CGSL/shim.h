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

#endif
