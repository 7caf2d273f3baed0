#include <cstdio>
#include "prefix_sum.h"

// Prints the outputs; the verifier compares them with golden.txt.
int main() {
  int in[N], out[N];
  for (int i = 0; i < N; i++) { in[i] = (i * 37) % 23 - 11; out[i] = 0; }
  prefix_sum(in, out);
  for (int i = 0; i < N; i++) printf("%d\n", out[i]);
  return 0;
}
