#include "stream_scale.h"

void stream_scale(hls::stream<int> &in, hls::stream<int> &out) {
  for (int i = 0; i < N - 1; i++) {
#pragma HLS PIPELINE II=1
    int v = in.read();
    out.write(v * 3);
  }
}
