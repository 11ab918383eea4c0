/* 32-bit test program: linked without libc (no i386 libc here), so it brings its own _start. */
static inline int sq(int x) { return x * x; }
__attribute__((noinline)) int acc(int n) { int s = 0; for (int i = 0; i < n; i++) s += sq(i); return s; }
void _start(void) { volatile int r = acc(10); (void)r; for (;;) {} }
