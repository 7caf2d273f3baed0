#ifndef FIR_H
#define FIR_H
#include "ap_fixed.h"
#define N 64
#define TAPS 8
typedef ap_fixed<16, 8> data_t;
typedef ap_fixed<16, 2> coef_t;
typedef ap_fixed<40, 16> acc_t;
static const coef_t COEF[TAPS] = {0.0625, 0.125, 0.25, 0.5, 0.5, 0.25, 0.125, 0.0625};
void fir(const data_t x[N], data_t y[N]);
#endif
