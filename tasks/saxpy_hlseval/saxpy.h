#ifndef SAXPY_H
#define SAXPY_H
#define N 32
void saxpy(float a, const float x[N], float y[N]);
#endif
