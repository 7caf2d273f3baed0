#ifndef VADD_H
#define VADD_H
#define N 64
void vadd(const int a[N], const int b[N], int c[N]);
#endif
