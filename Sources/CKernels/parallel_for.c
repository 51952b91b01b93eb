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

/// Most threads with a range of chunks of their own (more share the last ones' ranges).
#define MAX_RANGES 8

typedef struct {
    nns_range_fn fn;
    nns_slot_range_fn slot_fn; // instead of fn: also told the thread's slot
    void *ctx;
    long n, chunk, chunks;
    int ranges;
    // The next chunk of each thread's range.
    struct { _Alignas(64) atomic_long next; } range[MAX_RANGES];
    _Alignas(64) atomic_long done;
    char pad[64 - sizeof(atomic_long)];
} loop_job;

/// First chunk of range r.
static long range_start(const loop_job *J, int r) { return J->chunks * r / J->ranges; }

/// The next chunk for a thread now in range *r, or J->chunks when none is left. Thread t
/// takes the chunks of range t first, then helps with the others' in turn: the same
/// elements land on the same thread in every loop of the same size, as the products'
/// strips do (see claim_strip_item in sgemm.c), so that a pass over W's rows runs where
/// the products read and write those rows.
static long claim_chunk(loop_job *J, int *r, int *visited) {
    while (*visited < J->ranges) {
        long c = atomic_fetch_add_explicit(&J->range[*r].next, 1, memory_order_relaxed);
        if (c < range_start(J, *r + 1)) return c;
        *r = (*r + 1) % J->ranges;
        ++*visited;
    }
    return J->chunks;
}

static void loop_region(void *ctx, int tid, int nthreads) {
    (void)nthreads;
    loop_job *J = ctx;
    int r = tid % J->ranges, visited = 0;
    for (long c = claim_chunk(J, &r, &visited); c < J->chunks; c = claim_chunk(J, &r, &visited)) {
        long begin = c * J->chunk, end = begin + J->chunk < J->n ? begin + J->chunk : J->n;
        if (J->slot_fn) J->slot_fn(J->ctx, begin, end, tid);
        else J->fn(J->ctx, begin, end);
        atomic_fetch_add_explicit(&J->done, 1, memory_order_release);
    }
    // The caller returns only when every chunk is done (a worker may still be in one).
    if (tid == 0) nns_pool_wait_at_least(&J->done, J->chunks);
}

/// The loop of nns_parallel_for and nns_parallel_for_slots, on at most max_threads threads.
static void parallel_loop(long n, long grain, nns_range_fn fn, nns_slot_range_fn slot_fn, void *ctx,
                          int max_threads) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    int threads = nns_threads_available();
    if (threads > max_threads) threads = max_threads;
    long most = n / grain; // threads that each get at least `grain` elements
    if (threads > most) threads = (int)most;
    if (threads > 1) {
        long chunks = (long)threads * CHUNKS_PER_THREAD;
        long chunk = (n + chunks - 1) / chunks;
        chunk = (chunk + ALIGN - 1) / ALIGN * ALIGN;
        loop_job J = {.fn = fn, .slot_fn = slot_fn, .ctx = ctx, .n = n, .chunk = chunk,
                      .chunks = (n + chunk - 1) / chunk,
                      .ranges = threads < MAX_RANGES ? threads : MAX_RANGES};
        for (int r = 0; r < J.ranges; r++) atomic_init(&J.range[r].next, range_start(&J, r));
        atomic_init(&J.done, 0);
        if (nns_pool_run(loop_region, &J, threads)) return;
    }
    if (slot_fn) slot_fn(ctx, 0, n, 0);
    else fn(ctx, 0, n);
}

void nns_parallel_for(long n, long grain, nns_range_fn fn, void *ctx) {
    parallel_loop(n, grain, fn, NULL, ctx, 1 << 30);
}

void nns_parallel_for_slots(long n, long grain, int slots, nns_slot_range_fn fn, void *ctx) {
    parallel_loop(n, grain, NULL, fn, ctx, slots < 1 ? 1 : slots);
}
