#include "saxpy.h"

void saxpy(float a, const float x[N], float y[N]) {
  for (int i = 0; i < N; i++) {
#pragma HLS PIPELINE II=1
    y[i] = a * y[i] + x[i];
  }
}
