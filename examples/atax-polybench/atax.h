#ifndef ATAX_H
#define ATAX_H

#if !defined(MINI_DATASET) && !defined(LARGE_DATASET)
#define SMALL_DATASET
#endif

#ifdef SMALL_DATASET
#define M 116
#define N 124
#endif
#ifdef LARGE_DATASET
#define M 1900
#define N 2100
#endif

#define _PB_M POLYBENCH_LOOP_BOUND(M, m)
#define _PB_N POLYBENCH_LOOP_BOUND(N, n)

#ifndef DATA_TYPE_IS_FLOAT
#define DATA_TYPE_IS_DOUBLE
#endif
#ifdef DATA_TYPE_IS_DOUBLE
#define DATA_TYPE double
#define SCALAR_VAL(x) x
#else
#define DATA_TYPE float
#define SCALAR_VAL(x) x##f
#endif

#endif
