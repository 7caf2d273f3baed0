#include <cstdio>
#include "popcount.h"

static int ref_popcount(unsigned v) { int c = 0; while (v) { c += v & 1u; v >>= 1; } return c; }

int main() {
  const unsigned cases[] = {0u, 1u, 0x80000000u, 0xffffffffu, 0x12345678u, 0xdeadbeefu, 0x0f0f0f0fu, 0x80000001u};
  int errors = 0;
  for (unsigned v : cases) {
    int got = popcount(ap_uint<32>(v));
    if (got != ref_popcount(v)) { printf("popcount(0x%08x) = %d, expected %d\n", v, got, ref_popcount(v)); errors++; }
  }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
