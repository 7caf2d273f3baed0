#include <cstdio>
#include "conv2d.h"

int main() {
  int img[H][W], k[K][K], out[OH][OW];
  for (int r = 0; r < H; r++) for (int c = 0; c < W; c++) img[r][c] = (r * 13 + c * 7) % 17 - 8;
  for (int i = 0; i < K; i++) for (int j = 0; j < K; j++) k[i][j] = (i * 3 + j) % 5 - 2;
  for (int r = 0; r < OH; r++) for (int c = 0; c < OW; c++) out[r][c] = 4242;
  conv2d(img, k, out);
  int errors = 0;
  for (int r = 0; r < OH; r++)
    for (int c = 0; c < OW; c++) {
      int e = 0;
      for (int i = 0; i < K; i++) for (int j = 0; j < K; j++) e += img[r + i][c + j] * k[i][j];
      if (out[r][c] != e) { printf("out[%d][%d] = %d, expected %d\n", r, c, out[r][c], e); errors++; }
    }
  printf("%s: %d errors\n", errors ? "FAIL" : "PASS", errors);
  return errors ? 1 : 0;
}
