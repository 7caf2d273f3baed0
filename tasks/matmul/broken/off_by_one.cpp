#include "matmul.h"

void matmul(const int A[DIM][DIM], const int B[DIM][DIM], int C[DIM][DIM]) {
  for (int i = 0; i < DIM; i++) {
    for (int j = 0; j < DIM; j++) {
#pragma HLS PIPELINE II=1
      int acc = 0;
      for (int k = 0; k < DIM - 1; k++) acc += A[i][k] * B[k][j];
      C[i][j] = acc;
    }
  }
}
