#include <cstdio>
#include "transpose.h"

int main() {
  int in[ROWS][COLS], out[COLS][ROWS];
  for (int i = 0; i < ROWS; i++) for (int j = 0; j < COLS; j++) in[i][j] = i * 100 + j;
  for (int j = 0; j < COLS; j++) for (int i = 0; i < ROWS; i++) out[j][i] = -1;
  transpose(in, out);
  int errors = 0;
  for (int i = 0; i < ROWS; i++)
    for (int j = 0; j < COLS; j++)
      if (out[j][i] != in[i][j]) { printf("out[%d][%d] = %d, expected %d\n", j, i, out[j][i], in[i][j]); errors++; }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
