// Three streaming stages under DATAFLOW: read, scale, write. The top's interval is set by the
// slowest stage, not by the sum of the stages.
#include <ap_int.h>
#include <hls_stream.h>

typedef ap_int<16> sample_t;
typedef ap_int<32> wide_t;
#define LEN 512

static void read_in(const sample_t in[LEN], hls::stream<sample_t> &s) {
read_loop:
    for (int i = 0; i < LEN; i++) {
#pragma HLS PIPELINE II=1
        s.write(in[i]);
    }
}

static void scale(hls::stream<sample_t> &in, hls::stream<wide_t> &out, sample_t gain) {
scale_loop:
    for (int i = 0; i < LEN; i++) {
#pragma HLS PIPELINE II=1
        out.write((wide_t)in.read() * gain);
    }
}

static void write_out(hls::stream<wide_t> &s, wide_t out[LEN]) {
write_loop:
    for (int i = 0; i < LEN; i++) {
#pragma HLS PIPELINE II=1
        out[i] = s.read();
    }
}

void stages(const sample_t in[LEN], wide_t out[LEN], sample_t gain) {
#pragma HLS DATAFLOW
    hls::stream<sample_t> a("a");
    hls::stream<wide_t> b("b");
#pragma HLS STREAM variable=a depth=8
    read_in(in, a);
    scale(a, b, gain);
    write_out(b, out);
}
