#include <cstdio>
#include "vadd.h"

int main() {
  int a[N], b[N], c[N];
  for (int i = 0; i < N; i++) { a[i] = i * 7 - 100; b[i] = 3 * i + 1; c[i] = -12345; }
  vadd(a, b, c);
  int errors = 0;
  for (int i = 0; i < N; i++) {
    if (c[i] != a[i] + b[i]) { printf("mismatch at %d: %d != %d\n", i, c[i], a[i] + b[i]); errors++; }
  }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
