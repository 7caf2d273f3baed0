// Dense matrix multiply C = A * B with Vitis HLS pragmas: the inner product loop is pipelined,
// the k dimension of A and the row dimension of B are partitioned to feed an unroll by 4.
#define N 64
#define UF 4

typedef float data_t;

void gemm(const data_t A[N][N], const data_t B[N][N], data_t C[N][N]) {
#pragma HLS INTERFACE mode=m_axi port=A bundle=gmem0 depth=4096
#pragma HLS INTERFACE mode=m_axi port=B bundle=gmem1 depth=4096
#pragma HLS INTERFACE mode=m_axi port=C bundle=gmem0 depth=4096
    data_t a_buf[N][N];
    data_t b_buf[N][N];
#pragma HLS ARRAY_PARTITION variable=a_buf type=cyclic factor=UF dim=2
#pragma HLS ARRAY_PARTITION variable=b_buf type=cyclic factor=UF dim=1

load_a:
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
#pragma HLS PIPELINE II=1
            a_buf[i][j] = A[i][j];
            b_buf[i][j] = B[i][j];
        }

rows:
    for (int i = 0; i < N; i++) {
    cols:
        for (int j = 0; j < N; j++) {
            data_t acc = 0;
        dot:
            for (int k = 0; k < N; k++) {
#pragma HLS PIPELINE II=1
#pragma HLS UNROLL factor=UF
                acc += a_buf[i][k] * b_buf[k][j];
            }
            C[i][j] = acc;
        }
    }
}
