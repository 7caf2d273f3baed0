/* A minimal PolyBench-style header written for hlsseek's examples: the same macro names as
 * PolyBench/C (POLYBENCH_1D/2D, POLYBENCH_LOOP_BOUND, DATA_TYPE) so kernels read unchanged. */
#ifndef POLYBENCH_H
#define POLYBENCH_H

#ifndef POLYBENCH_PADDING_FACTOR
#define POLYBENCH_PADDING_FACTOR 0
#endif

#define POLYBENCH_C99_SELECT(x, y) x
#define POLYBENCH_LOOP_BOUND(x, y) x
#define POLYBENCH_1D(var, dim1, ddim1) var[POLYBENCH_C99_SELECT(dim1, ddim1) + POLYBENCH_PADDING_FACTOR]
#define POLYBENCH_2D(var, dim1, dim2, ddim1, ddim2) \
    var[POLYBENCH_C99_SELECT(dim1, ddim1) + POLYBENCH_PADDING_FACTOR][POLYBENCH_C99_SELECT(dim2, ddim2) + POLYBENCH_PADDING_FACTOR]

#endif
