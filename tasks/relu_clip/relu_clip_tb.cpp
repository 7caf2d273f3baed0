#include <cstdio>
#include "relu_clip.h"

int main() {
  ap_int<16> in[N];
  ap_uint<8> out[N];
  // The first inputs sit on the clipping boundaries.
  const int edge[6] = {255, 256, -1, 0, 1, 254};
  int raw[N];
  for (int i = 0; i < N; i++) { raw[i] = i < 6 ? edge[i] : i * 11 - 200; in[i] = raw[i]; out[i] = 7; }
  relu_clip(in, out);
  int errors = 0;
  for (int i = 0; i < N; i++) {
    int v = raw[i];
    int e = v < 0 ? 0 : (v > 255 ? 255 : v);
    if ((int)out[i] != e) { printf("out[%d] = %d, expected %d\n", i, (int)out[i], e); errors++; }
  }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
