// A persistent worker pool for the GEMM. Training calls small products thousands of
// times a second, so workers are created once and, between jobs, spin briefly (the next
// product usually follows within microseconds) before sleeping on a condition variable.
// Work inside a job is claimed dynamically (see sgemm.c), so a worker that is not
// scheduled in time (the machine may be oversubscribed) delays nobody: the caller does
// the work alone, and a late worker finds the job closed. Spin loops yield after a while.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#define NNS_MAX_THREADS 64
// Spin budgets are in time, not in pause instructions: a pause takes from ~10 cycles
// (Haswell) to ~140 (Skylake and later), so a count meant 0.06 ms on one CPU and 1 ms on
// another. A waiting thread yields its core every YIELD_NS (so that on a machine with more
// runnable threads than cores the spinner gives way), and an idle worker sleeps after
// SLEEP_NS without a job (training calls products microseconds apart, so it rarely does).
#define SLEEP_NS 300000L
#define YIELD_NS 20000L
/// Pauses between clock reads (a vDSO call of ~20 ns: noise against 64 pauses).
#define SPINS_PER_CHECK 64

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// Spin-wait bookkeeping: call spin_tick after each failed check; it pauses, yields the
/// core every YIELD_NS, and returns the nanoseconds spent since the first call.
typedef struct { long start, last_yield, elapsed; int spins; } spinner;

static long spin_tick(spinner *s) {
    cpu_relax();
    if (++s->spins % SPINS_PER_CHECK) return s->elapsed;
    long now = nns_monotonic_ns();
    if (!s->start) s->start = s->last_yield = now;
    if (now - s->last_yield >= YIELD_NS) {
        sched_yield();
        s->last_yield = now;
    }
    return s->elapsed = now - s->start;
}

static struct {
    pthread_mutex_t lock;      // protects sleeping workers' wait on `wake`
    pthread_cond_t wake;
    pthread_mutex_t busy;      // held by the caller owning the pool during a job
    int workers;               // worker threads created (tids 1..workers)
    atomic_uint generation;    // bumped once per job
    atomic_int open;           // 1 while the current job accepts helpers
    atomic_int joined;         // workers inside the current job
    int sleepers;
    nns_parallel_fn fn;
    void *ctx;
    int nthreads;
    // generation at each worker's creation: a worker that starts late must not mistake
    // the job it was created for as already seen
    unsigned start_generation[NNS_MAX_THREADS];
} pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .busy = PTHREAD_MUTEX_INITIALIZER,
};

static void *worker_main(void *arg) {
    int tid = (int)(long)arg;
    unsigned seen = pool.start_generation[tid];
    for (;;) {
        unsigned g;
        spinner sp = {0};
        while ((g = atomic_load_explicit(&pool.generation, memory_order_acquire)) == seen
               && spin_tick(&sp) < SLEEP_NS) {
        }
        if (g == seen) {
            pthread_mutex_lock(&pool.lock);
            while ((g = atomic_load(&pool.generation)) == seen) {
                pool.sleepers++;
                pthread_cond_wait(&pool.wake, &pool.lock);
                pool.sleepers--;
            }
            pthread_mutex_unlock(&pool.lock);
        }
        seen = g;
        // Join, then check the job is still open (seq_cst on both sides: either the
        // owner sees us joined and waits, or we see the job closed and keep out).
        atomic_fetch_add(&pool.joined, 1);
        if (atomic_load(&pool.open) && tid < pool.nthreads) pool.fn(pool.ctx, tid, pool.nthreads);
        atomic_fetch_sub(&pool.joined, 1);
    }
    return NULL;
}

// Called with pool.busy held. Workers start with every signal blocked (they inherit the
// creating thread's mask), so a Ctrl-C always lands on a thread that can act on it: one
// delivered to a worker would leave the REPL's prompt waiting for a key.
static int ensure_workers(int wanted) {
    // Every job passes through here: keep the signal-mask system calls to the rare case of
    // actually creating a worker.
    if (pool.workers >= wanted || pool.workers >= NNS_MAX_THREADS - 1) return pool.workers + 1;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    while (pool.workers < wanted && pool.workers < NNS_MAX_THREADS - 1) {
        pthread_t th;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pool.start_generation[pool.workers + 1] = atomic_load(&pool.generation);
        int err = pthread_create(&th, &attr, worker_main, (void *)(long)(pool.workers + 1));
        pthread_attr_destroy(&attr);
        if (err != 0) break;
        pool.workers++;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return pool.workers + 1;
}

int nns_pool_run(nns_parallel_fn fn, void *ctx, int nthreads) {
    if (nthreads <= 1) return 0;
    if (pthread_mutex_trylock(&pool.busy) != 0) return 0;
    int available = ensure_workers(nthreads - 1);
    if (available < 2) {
        pthread_mutex_unlock(&pool.busy);
        return 0;
    }
    pool.fn = fn;
    pool.ctx = ctx;
    pool.nthreads = nthreads < available ? nthreads : available;
    atomic_store(&pool.open, 1);
    pthread_mutex_lock(&pool.lock);
    atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
    if (pool.sleepers > 0) pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);

    // fn returns only when all of the job's work is done, whoever did it.
    fn(ctx, 0, pool.nthreads);

    atomic_store(&pool.open, 0);
    spinner sp = {0};
    while (atomic_load(&pool.joined) > 0) spin_tick(&sp);
    pthread_mutex_unlock(&pool.busy);
    return 1;
}

int nns_pool_wait_at_least(atomic_long *counter, long target) {
    spinner sp = {0};
    long waited = 0;
    while (atomic_load_explicit(counter, memory_order_acquire) < target) waited = spin_tick(&sp);
    // No work item takes a millisecond; a wait that long is a descheduled thread.
    return waited > 1000000L;
}

// ---- the distance between the cores (nns_core_round_trip_ns) ----

/// How long the caller waits for the worker to join a probe (it may be asleep).
#define PROBE_JOIN_NS 200000L
enum { PROBE_BLOCKS = 4, PROBE_TRIPS = 4 };

/// A trip longer than this is not the cores' distance but a thread waiting for a CPU:
/// the probe gives up.
#define PROBE_TRIP_MAX_NS 10000L

/// turn: 0 until the worker arrives (1), -1 once the caller gave up (the worker came too
/// late, or a trip took too long); in between the caller sets it to 2i and the worker
/// answers 2i + 1, trip i = 1, 2, ...
typedef struct {
    _Alignas(64) atomic_long turn;
    _Alignas(64) long trip_ns;
    int worker_cpu; // where the worker answered the last trip
} probe_job;

static void probe_region(void *ctx, int tid, int nthreads) {
    (void)nthreads;
    probe_job *P = ctx;
    const long trips = PROBE_BLOCKS * PROBE_TRIPS;
    if (tid == 1) {
        long t = 0;
        if (!atomic_compare_exchange_strong(&P->turn, &t, 1)) return; // given up on
        for (long i = 1; i <= trips; i++) {
            spinner sp = {0};
            while ((t = atomic_load_explicit(&P->turn, memory_order_acquire)) != 2 * i) {
                if (t < 0) return;
                spin_tick(&sp);
            }
            if (i == trips) P->worker_cpu = sched_getcpu();
            // Not a store: one must not overwrite the caller's -1, and then wait for ever.
            if (!atomic_compare_exchange_strong(&P->turn, &t, 2 * i + 1)) return;
        }
        return;
    }
    if (tid != 0) return;
    // While the caller waits (yielding now and then), a worker woken on its CPU, as the
    // scheduler often wakes it even with the other CPU idle, usually moves over.
    spinner sp = {0};
    while (atomic_load(&P->turn) == 0) {
        if (spin_tick(&sp) > PROBE_JOIN_NS) {
            long expected = 0;
            if (atomic_compare_exchange_strong(&P->turn, &expected, -1)) return;
        }
    }
    // The best block: an interrupt or a preemption in one block does not count.
    long best = -1, i = 1;
    for (int b = 0; b < PROBE_BLOCKS; b++) {
        long start = nns_monotonic_ns();
        for (int q = 0; q < PROBE_TRIPS; q++, i++) {
            atomic_store_explicit(&P->turn, 2 * i, memory_order_release);
            spinner wait = {0};
            while (atomic_load_explicit(&P->turn, memory_order_acquire) != 2 * i + 1) {
                if (spin_tick(&wait) > PROBE_TRIP_MAX_NS) { // the worker lost its CPU
                    atomic_store_explicit(&P->turn, -1, memory_order_release);
                    return;
                }
            }
        }
        long trip = (nns_monotonic_ns() - start) / PROBE_TRIPS;
        if (best < 0 || trip < best) best = trip;
    }
    // On one CPU the trips measure how fast the two threads trade it, not a distance.
    P->trip_ns = P->worker_cpu == sched_getcpu() || best > PROBE_TRIP_MAX_NS ? -1 : best;
}

long nns_core_round_trip_ns(void) {
    if (nns_config_get()->threads < 2) return -1;
    probe_job P = {.trip_ns = -1, .worker_cpu = -1};
    atomic_init(&P.turn, 0);
    if (!nns_pool_run(probe_region, &P, 2)) return -1;
    return P.trip_ns;
}
