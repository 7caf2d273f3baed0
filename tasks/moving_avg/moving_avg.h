#ifndef MOVING_AVG_H
#define MOVING_AVG_H
#define N 32
#define WIN 4
void moving_avg(const int in[N], int out[N - WIN + 1]);
#endif
