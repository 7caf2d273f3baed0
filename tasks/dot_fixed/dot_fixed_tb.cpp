#include <cmath>
#include <cstdio>
#include "dot_fixed.h"

int main() {
  in_t a[N], b[N];
  double ref = 0;
  for (int i = 0; i < N; i++) {
    a[i] = (i % 7) * 0.375 - 1.0;
    b[i] = (i % 5) * 0.5 - 0.75;
    ref += a[i].to_double() * b[i].to_double();
  }
  acc_t got = dot_fixed(a, b);
  double err = std::fabs(got.to_double() - ref);
  printf("dot = %f (reference %f, error %g)\n", got.to_double(), ref, err);
  return err < 1e-3 ? 0 : 1;
}
