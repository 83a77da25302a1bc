#ifndef CROSSBARKIT_COPENBLAS_SHIM_H
#define CROSSBARKIT_COPENBLAS_SHIM_H
// The only C headers CrossbarKit uses for linear algebra. Swift code never imports this
// module directly except Sources/CrossbarKit/Linalg/BLAS.swift.
#include <cblas.h>
#include <lapacke.h>
#endif
