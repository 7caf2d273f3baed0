#include <cstdio>
#include "fir.h"

int main() {
  data_t x[N], y[N];
  unsigned s = 12345;
  for (int i = 0; i < N; i++) { s = s * 1103515245u + 12345u; x[i] = ((int)(s >> 16) % 2000) / 100.0 - 10.0; y[i] = 99; }
  fir(x, y);
  int errors = 0;
  for (int n = 0; n < N; n++) {
    acc_t acc = 0;
    for (int k = 0; k < TAPS; k++) if (n - k >= 0) acc += COEF[k] * x[n - k];
    data_t expect = acc;
    if (y[n] != expect) { printf("y[%d] = %f, expected %f\n", n, y[n].to_double(), expect.to_double()); errors++; }
  }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
