#include "popcount.h"

ap_uint<6> popcount(ap_uint<32> x) {
  ap_uint<6> count = 0;
  for (int i = 0; i < 32; i++) {
#pragma HLS UNROLL
    count += x[i];
  }
  return count;
}
