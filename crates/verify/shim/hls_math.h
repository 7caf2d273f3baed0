// hls_math.h shim written for hlsseek (not Xilinx's): enough of the hls:: math namespace for
// C simulation. Floating-point arguments go to <cmath>; ap_fixed/ap_int arguments go through
// double and are converted back to their own type.
#ifndef HLSSEEK_HLS_MATH_SHIM_H
#define HLSSEEK_HLS_MATH_SHIM_H

#include <cmath>
#include <cstdlib>
#include "ap_fixed.h"
#include "ap_int.h"

namespace hls {
namespace hlsseek_detail {
inline double to_d(double x) { return x; }
inline double to_d(float x) { return x; }
inline double to_d(int x) { return x; }
inline double to_d(long x) { return (double)x; }
inline double to_d(long long x) { return (double)x; }
inline double to_d(unsigned x) { return x; }
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
double to_d(const ap_fixed<W, I, Q, O, N>& x) { return x.to_double(); }
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
double to_d(const ap_ufixed<W, I, Q, O, N>& x) { return x.to_double(); }
template <int W> double to_d(const ap_int<W>& x) { return x.to_double(); }
template <int W> double to_d(const ap_uint<W>& x) { return x.to_double(); }
}  // namespace hlsseek_detail

#define HLSSEEK_UNARY(name)                                                        \
  inline float name(float x) { return std::name(x); }                             \
  inline double name(double x) { return std::name(x); }                           \
  template <typename T> T name(const T& x) { return T(std::name(hlsseek_detail::to_d(x))); }

HLSSEEK_UNARY(sqrt)
HLSSEEK_UNARY(exp)
HLSSEEK_UNARY(log)
HLSSEEK_UNARY(log2)
HLSSEEK_UNARY(log10)
HLSSEEK_UNARY(sin)
HLSSEEK_UNARY(cos)
HLSSEEK_UNARY(tan)
HLSSEEK_UNARY(asin)
HLSSEEK_UNARY(acos)
HLSSEEK_UNARY(atan)
HLSSEEK_UNARY(sinh)
HLSSEEK_UNARY(cosh)
HLSSEEK_UNARY(tanh)
HLSSEEK_UNARY(floor)
HLSSEEK_UNARY(ceil)
HLSSEEK_UNARY(round)
HLSSEEK_UNARY(trunc)
HLSSEEK_UNARY(fabs)
#undef HLSSEEK_UNARY

inline float abs(float x) { return std::fabs(x); }
inline double abs(double x) { return std::fabs(x); }
inline int abs(int x) { return std::abs(x); }
template <typename T> T abs(const T& x) { return x < 0 ? T(-x) : x; }

inline float rsqrt(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float recip(float x) { return 1.0f / x; }
inline double recip(double x) { return 1.0 / x; }

inline float pow(float x, float y) { return std::pow(x, y); }
inline double pow(double x, double y) { return std::pow(x, y); }
template <typename T> T pow(const T& x, const T& y) {
  return T(std::pow(hlsseek_detail::to_d(x), hlsseek_detail::to_d(y)));
}
inline float atan2(float y, float x) { return std::atan2(y, x); }
inline double atan2(double y, double x) { return std::atan2(y, x); }
template <typename T> T atan2(const T& y, const T& x) {
  return T(std::atan2(hlsseek_detail::to_d(y), hlsseek_detail::to_d(x)));
}
template <typename T> T min(const T& a, const T& b) { return a < b ? a : b; }
template <typename T> T max(const T& a, const T& b) { return a < b ? b : a; }
inline float fmod(float x, float y) { return std::fmod(x, y); }
inline double fmod(double x, double y) { return std::fmod(x, y); }
}  // namespace hls

#endif
