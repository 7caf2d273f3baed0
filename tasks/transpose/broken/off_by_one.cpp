#include "transpose.h"

void transpose(const int in[ROWS][COLS], int out[COLS][ROWS]) {
  for (int i = 0; i < ROWS; i++)
    for (int j = 0; j < COLS - 1; j++) {
#pragma HLS PIPELINE II=1
      out[j][i] = in[i][j];
    }
}
