#include "histogram.h"

void histogram(const ap_uint<4> in[N], int hist[BINS]) {
  for (int b = 0; b < BINS; b++) hist[b] = 0;
  for (int i = 0; i < N; i++) {
#pragma HLS PIPELINE II=1
    hist[in[i]] += 1;
  }
}
