#include "relu_clip.h"

void relu_clip(const ap_int<16> in[N], ap_uint<8> out[N]) {
  for (int i = 0; i < N; i++) {
#pragma HLS PIPELINE II=1
    ap_int<16> v = in[i];
    if (v < 0) out[i] = 0;
    else if (v > 255) out[i] = 255;
    else out[i] = v;
  }
}
