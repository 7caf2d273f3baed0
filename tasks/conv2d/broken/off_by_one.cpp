#include "conv2d.h"

void conv2d(const int img[H][W], const int k[K][K], int out[OH][OW]) {
  for (int r = 0; r < OH; r++) {
    for (int c = 0; c < OW - 1; c++) {
#pragma HLS PIPELINE II=1
      int acc = 0;
      for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++) acc += img[r + i][c + j] * k[i][j];
      out[r][c] = acc;
    }
  }
}
