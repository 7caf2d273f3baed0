#include "vadd.h"

void vadd(const int a[N], const int b[N], int c[N]) {
  for (int i = 0; i < N - 1; i++) {
#pragma HLS PIPELINE II=1
    c[i] = a[i] + b[i];
  }
}
