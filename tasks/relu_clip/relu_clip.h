#ifndef RELU_CLIP_H
#define RELU_CLIP_H
#include "ap_int.h"
#define N 64
void relu_clip(const ap_int<16> in[N], ap_uint<8> out[N]);
#endif
