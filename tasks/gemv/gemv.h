#ifndef GEMV_H
#define GEMV_H
#define M 8
#define NCOL 16
void gemv(const float A[M][NCOL], const float x[NCOL], float y[M]);
#endif
