#include "prefix_sum.h"

void prefix_sum(const int in[N], int out[N]) {
  int acc = 0;
  for (int i = 0; i < N; i++) {
#pragma HLS PIPELINE II=1
    out[i] = acc;
    acc += in[i];
  }
}
