#ifndef POPCOUNT_H
#define POPCOUNT_H
#include "ap_int.h"
ap_uint<6> popcount(ap_uint<32> x);
#endif
