#ifndef DOT_FIXED_H
#define DOT_FIXED_H
#include "ap_fixed.h"
#define N 32
typedef ap_fixed<16, 4> in_t;
typedef ap_fixed<32, 12> acc_t;
acc_t dot_fixed(const in_t a[N], const in_t b[N]);
#endif
