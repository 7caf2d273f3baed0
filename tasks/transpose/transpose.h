#ifndef TRANSPOSE_H
#define TRANSPOSE_H
#define ROWS 4
#define COLS 8
void transpose(const int in[ROWS][COLS], int out[COLS][ROWS]);
#endif
