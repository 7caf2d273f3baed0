#include "moving_avg.h"

void moving_avg(const int in[N], int out[N - WIN + 1]) {
  for (int i = 0; i < N - WIN + 1; i++) {
#pragma HLS PIPELINE II=1
    int sum = 0;
    for (int k = 0; k < WIN; k++) sum += in[i + k];
    out[i] = sum / (WIN - 1);
  }
}
