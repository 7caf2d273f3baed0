#include <cstdio>
#include "matmul.h"

int main() {
  int A[DIM][DIM], B[DIM][DIM], C[DIM][DIM];
  for (int i = 0; i < DIM; i++)
    for (int j = 0; j < DIM; j++) { A[i][j] = (i * 3 + j * 5) % 11 - 5; B[i][j] = (i * 7 + j) % 13 - 6; C[i][j] = 777; }
  matmul(A, B, C);
  int errors = 0;
  for (int i = 0; i < DIM; i++)
    for (int j = 0; j < DIM; j++) {
      int e = 0;
      for (int k = 0; k < DIM; k++) e += A[i][k] * B[k][j];
      if (C[i][j] != e) { printf("C[%d][%d] = %d, expected %d\n", i, j, C[i][j], e); errors++; }
    }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
