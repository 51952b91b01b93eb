// A parallel loop over [0, n) on the GEMM's thread pool, for the memory-bound passes that
// run between products in training (the optimizer's update, the batch gather). While the
// calling thread does such a pass alone, the pool's other threads only spin: splitting it
// gives that time back (measured: about a tenth of a training step on 2 cores).
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <stdatomic.h>

/// Chunks per thread: a few, so that a thread the OS delays leaves little for the other.
#define CHUNKS_PER_THREAD 4
/// Chunk boundaries fall on multiples of this (64 bytes of floats), so that threads share
/// at most one cache line per boundary (none when the array is 64-byte aligned).
#define ALIGN 16

typedef struct {
    nns_range_fn fn;
    void *ctx;
    long n, chunk, chunks;
    _Alignas(64) atomic_long next;
    _Alignas(64) atomic_long done;
    char pad[64 - sizeof(atomic_long)];
} loop_job;

static void loop_region(void *ctx, int tid, int nthreads) {
    (void)nthreads;
    loop_job *J = ctx;
    for (long c = atomic_fetch_add_explicit(&J->next, 1, memory_order_relaxed); c < J->chunks;
         c = atomic_fetch_add_explicit(&J->next, 1, memory_order_relaxed)) {
        long begin = c * J->chunk, end = begin + J->chunk < J->n ? begin + J->chunk : J->n;
        J->fn(J->ctx, begin, end);
        atomic_fetch_add_explicit(&J->done, 1, memory_order_release);
    }
    // The caller returns only when every chunk is done (a worker may still be in one).
    if (tid == 0) nns_pool_wait_at_least(&J->done, J->chunks);
}

void nns_parallel_for(long n, long grain, nns_range_fn fn, void *ctx) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    int threads = nns_threads_available();
    long most = n / grain; // threads that each get at least `grain` elements
    if (threads > most) threads = (int)most;
    if (threads <= 1) {
        fn(ctx, 0, n);
        return;
    }
    long chunks = (long)threads * CHUNKS_PER_THREAD;
    long chunk = (n + chunks - 1) / chunks;
    chunk = (chunk + ALIGN - 1) / ALIGN * ALIGN;
    loop_job J = {.fn = fn, .ctx = ctx, .n = n, .chunk = chunk, .chunks = (n + chunk - 1) / chunk};
    atomic_init(&J.next, 0);
    atomic_init(&J.done, 0);
    if (!nns_pool_run(loop_region, &J, threads)) fn(ctx, 0, n);
}
