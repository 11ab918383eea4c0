#include <stdlib.h>
#include "util.h"

static int cmp(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

void qsort_demo(int n) {
  unsigned *v = malloc(sizeof(unsigned) * (unsigned)n);
  for (int i = 0; i < n; i++) v[i] = square_sum((unsigned)i * 2654435761u, 7u);
  qsort(v, (size_t)n, sizeof *v, cmp);
  free(v);
}
