// Per-thread scratch buffers that outlive a call: training runs the same products and
// convolutions thousands of times, so each thread keeps its buffers (one per use, so that
// a convolution's columns and the GEMM's packing inside it never share one) and only
// grows them.
#include "gemm_internal.h"
#include <pthread.h>
#include <stdlib.h>

typedef struct { float *data; size_t cap; } scratch_slot;
typedef struct { scratch_slot slots[NNS_SCRATCH_SLOTS]; } scratch_set;

static pthread_key_t g_key;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void free_set(void *p) {
    scratch_set *s = p;
    for (int i = 0; i < NNS_SCRATCH_SLOTS; i++) free(s->slots[i].data);
    free(s);
}

static void make_key(void) { pthread_key_create(&g_key, free_set); }

float *nns_thread_scratch(nns_scratch_slot slot, size_t floats) {
    pthread_once(&g_once, make_key);
    scratch_set *s = pthread_getspecific(g_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s) return NULL;
        pthread_setspecific(g_key, s);
    }
    scratch_slot *b = &s->slots[slot];
    if (b->cap < floats) {
        free(b->data);
        size_t bytes = (floats * sizeof(float) + 63) & ~(size_t)63;
        b->data = aligned_alloc(64, bytes);
        b->cap = b->data ? floats : 0;
    }
    return b->data;
}
