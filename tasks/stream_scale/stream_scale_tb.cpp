#include <cstdio>
#include "stream_scale.h"

int main() {
  hls::stream<int> in, out;
  for (int i = 0; i < N; i++) in.write(i * 5 - 30);
  stream_scale(in, out);
  int errors = 0;
  for (int i = 0; i < N; i++) {
    if (out.empty()) { printf("output stream ran dry at %d\n", i); return 1; }
    int v = out.read();
    if (v != (i * 5 - 30) * 3) { printf("out %d = %d, expected %d\n", i, v, (i * 5 - 30) * 3); errors++; }
  }
  if (!out.empty() || !in.empty()) { printf("streams not drained\n"); errors++; }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
