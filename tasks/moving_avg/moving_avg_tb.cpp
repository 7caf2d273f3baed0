#include <cstdio>
#include "moving_avg.h"

int main() {
  int in[N], out[N - WIN + 1];
  for (int i = 0; i < N; i++) in[i] = (i * 29) % 41;
  for (int i = 0; i < N - WIN + 1; i++) out[i] = -1;
  moving_avg(in, out);
  int errors = 0;
  for (int i = 0; i < N - WIN + 1; i++) {
    int e = (in[i] + in[i + 1] + in[i + 2] + in[i + 3]) / 4;
    if (out[i] != e) { printf("out[%d] = %d, expected %d\n", i, out[i], e); errors++; }
  }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
