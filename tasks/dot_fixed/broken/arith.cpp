#include "dot_fixed.h"

acc_t dot_fixed(const in_t a[N], const in_t b[N]) {
  acc_t acc = 0;
  for (int i = 0; i < N; i++) {
#pragma HLS PIPELINE II=1
    acc += a[i] + b[i];
  }
  return acc;
}
