#include "saxpy.h"

void saxpy(float a, const float x[N], float y[N]) {
  for (int i = 0; i < N - 1; i++) {
#pragma HLS PIPELINE II=1
    y[i] = a * x[i] + y[i];
  }
}
