#include "fir.h"

void fir(const data_t x[N], data_t y[N]) {
  for (int n = 0; n < N; n++) {
#pragma HLS PIPELINE II=1
    acc_t acc = 0;
    for (int k = 0; k < TAPS - 1; k++) {
      if (n - k >= 0) acc += COEF[k] * x[n - k];
    }
    y[n] = acc;
  }
}
