#ifndef UTIL_H
#define UTIL_H
static inline unsigned clamp_add(unsigned a, unsigned b) {
  unsigned s = a + b;
  return s < a ? ~0u : s;
}
static inline unsigned square_sum(unsigned a, unsigned b) {
  return clamp_add(a * a, b * b);
}
void qsort_demo(int n);
#endif
