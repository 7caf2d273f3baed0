#ifndef STREAM_SCALE_H
#define STREAM_SCALE_H
#include "hls_stream.h"
#define N 16
void stream_scale(hls::stream<int> &in, hls::stream<int> &out);
#endif
