#ifndef PREFIX_SUM_H
#define PREFIX_SUM_H
#define N 32
void prefix_sum(const int in[N], int out[N]);
#endif
