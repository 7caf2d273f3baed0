#ifndef HISTOGRAM_H
#define HISTOGRAM_H
#include "ap_int.h"
#define N 128
#define BINS 16
void histogram(const ap_uint<4> in[N], int hist[BINS]);
#endif
