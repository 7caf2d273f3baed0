#ifndef CONV2D_H
#define CONV2D_H
#define H 8
#define W 8
#define K 3
#define OH (H - K + 1)
#define OW (W - K + 1)
void conv2d(const int img[H][W], const int k[K][K], int out[OH][OW]);
#endif
