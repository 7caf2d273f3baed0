/* A 64-tap FIR filter over a block of 1024 samples, written as a Merlin design space: each
 * pragma value is a knob (`auto{...}`) that `hlsseek space` lists and `--render` fills in. */
#pragma ACCEL kernel

void fir(int coeff[64], int in[1087], int out[1024])
{
  int n;
  int t;

#pragma ACCEL PIPELINE auto{__PIPE__L0}

#pragma ACCEL TILE FACTOR=auto{__TILE__L0}

#pragma ACCEL PARALLEL FACTOR=auto{__PARA__L0}
  for (n = 0; n < 1024; n++) {
    int acc = 0;

#pragma ACCEL PARALLEL reduction=acc FACTOR=auto{__PARA__L1}
    for (t = 0; t < 64; t++) {
      acc += coeff[t] * in[n + 63 - t];
    }
    out[n] = acc;
  }
}
