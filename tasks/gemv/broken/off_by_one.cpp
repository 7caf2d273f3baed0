#include "gemv.h"

void gemv(const float A[M][NCOL], const float x[NCOL], float y[M]) {
  for (int i = 0; i < M; i++) {
    float acc = 0.0f;
    for (int j = 0; j < NCOL - 1; j++) {
#pragma HLS PIPELINE II=1
      acc += A[i][j] * x[j];
    }
    y[i] = acc;
  }
}
