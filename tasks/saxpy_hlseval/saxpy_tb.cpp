#include <cmath>
#include <cstdio>
#include "saxpy.h"

int main() {
  float x[N], y[N], e[N];
  const float a = 1.5f;
  for (int i = 0; i < N; i++) { x[i] = i * 0.25f - 3.0f; y[i] = 2.0f - i * 0.125f; e[i] = a * x[i] + y[i]; }
  saxpy(a, x, y);
  int errors = 0;
  for (int i = 0; i < N; i++)
    if (std::fabs(y[i] - e[i]) > 1e-5f) { printf("y[%d] = %f, expected %f\n", i, y[i], e[i]); errors++; }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
