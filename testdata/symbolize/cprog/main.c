/* Test program for the DWARF symbolizer: gcc -g -O2 inlines the static
 * helpers, so addresses in main/work map to inline chains. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static inline unsigned mix(unsigned h, unsigned v) {
  h ^= v;
  h *= 16777619u;
  return h;
}

static unsigned hash_str(const char *s) {
  unsigned h = 2166136261u;
  while (*s) h = mix(h, (unsigned char)*s++);
  return h;
}

struct node { struct node *next; unsigned key; char name[24]; };

static struct node *push(struct node *head, unsigned key) {
  struct node *n = malloc(sizeof *n);
  n->next = head;
  n->key = key;
  snprintf(n->name, sizeof n->name, "k%u", key);
  return n;
}

__attribute__((noinline)) unsigned work(int rounds) {
  struct node *head = NULL;
  unsigned acc = 0;
  for (int i = 0; i < rounds; i++) {
    head = push(head, clamp_add(acc, (unsigned)i));
    acc = mix(acc, hash_str(head->name));
    acc += square_sum(head->key, (unsigned)i);
  }
  while (head) { struct node *n = head->next; acc ^= head->key; free(head); head = n; }
  return acc;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1000;
  unsigned r = work(rounds);
  qsort_demo(rounds);
  printf("%u\n", r);
  return 0;
}
