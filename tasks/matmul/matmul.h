#ifndef MATMUL_H
#define MATMUL_H
#define DIM 8
void matmul(const int A[DIM][DIM], const int B[DIM][DIM], int C[DIM][DIM]);
#endif
