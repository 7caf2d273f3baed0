#include <cstdio>
#include "histogram.h"

int main() {
  ap_uint<4> in[N];
  int hist[BINS], expect[BINS] = {0};
  for (int b = 0; b < BINS; b++) hist[b] = -1;
  for (int i = 0; i < N; i++) { in[i] = (i * i + 3 * i) % 16; expect[(i * i + 3 * i) % 16]++; }
  histogram(in, hist);
  int errors = 0;
  for (int b = 0; b < BINS; b++)
    if (hist[b] != expect[b]) { printf("bin %d: %d, expected %d\n", b, hist[b], expect[b]); errors++; }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
