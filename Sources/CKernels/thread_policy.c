// How many threads a piece of parallel work gets right now: the configured count, or one
// while the machine is oversubscribed (stalls in quick succession) or, for work too small
// to pay for moving its operands between the cores, while the two cores sit far apart.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

long nns_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

// ---- back-off after stalls ----
//
// When the caller had to wait long for work a worker had claimed, that worker was
// descheduled mid-item (measured: one such wait costs a whole scheduler time slice, 4-12
// ms, for a 240 us product). A lone stall is the OS running something else for a moment,
// and single-threading for a while would cost far more than it saved (measured: 3 stalls
// in 4 epochs of MNIST turned 28% of the products single-threaded). Stalls in quick
// succession mean an oversubscribed machine: then products run on one thread for
// a while (nns_config.backoff_ns) before trying again, and a stall right after that
// backs off again at once.
static _Atomic long g_single_thread_until_ns;
/// When the latest stall happened, or the latest back-off ended (whichever is later).
static _Atomic long g_last_stall_ns;
/// Two stalls closer than this in time mean an oversubscribed machine.
#define STALL_WINDOW_NS 100000000L

void nns_note_stall(long backoff_ns) {
    long now = nns_monotonic_ns();
    long last = atomic_exchange(&g_last_stall_ns, now);
    if (backoff_ns > 0 && last > 0 && now - last < STALL_WINDOW_NS) {
        atomic_store(&g_single_thread_until_ns, now + backoff_ns);
        atomic_store(&g_last_stall_ns, now + backoff_ns);
    }
}

// ---- cores far apart ----
//
// On a VM the hypervisor moves the two vCPUs, for seconds at a time, between cores that
// share an L3 (a cache-line round trip of 56-110 ns, bench/pingpong.c) and cores on
// different CCDs (270-380 ns). A training step hands its batch-sized operands between the
// threads at every product, and with the cores far apart that costs more than the second
// thread gains (measured on a 2-vCPU Zen 4, one MNIST epoch each, in the same far phase:
// 0.537 s on 2 threads, 0.464 s on 1; near, 0.30 and 0.45 s). So every PROBE_INTERVAL_NS
// the first thread that asks measures the round trip to the pool's worker. While the
// cores are far apart, work below FAR_PARALLEL_MIN multiply-adds runs on one thread:
// every product of an MNIST training step (the largest, 256 x 64 x 784, is 12.8 M), and
// the passes between products. Larger products still split: their operands are small
// against their arithmetic (1024^3 moves 12 MB for 1 G multiply-adds; an MNIST step's
// weight gradient 1 MB for 12.8 M).
//
// Far means a trip over nns_config.far_ns (200 ns) and over FAR_RATIO times the shortest
// trip measured so far. On the Zen 4 the probe's trips (the best block) were 57-67 ns at
// best and 72-80 at the median of 200 probes near, 217-238 and 267-320 far (bench/
// pingpong.c's averages: 50-95 and 320-370 ns). The ratio keeps machines whose cores are
// never near from counting as far: on a 2-vCPU Xeon the trip was 150-270 ns throughout,
// and two threads trained 1.4x as fast as one (bench/README.md, "The same Xeon, the next
// night"). It also means that a process that begins with the cores far apart has nothing
// to compare with until it sees them near: no absolute trip tells the Zen 4's far cores
// (217 ns and up) from the Xeon's. So the shortest trip is recorded for the machine's boot
// (recorded_round_trip.c), and a short run (a benchmark's, a script's) starts from what
// earlier ones measured. Since a training step's shared buffers rotate (RotatingBuffers),
// two threads far apart train about as fast as one, so the rule now neither helps nor
// hurts there (100 runs, default against NNS_FAR_NS=0: mean epochs 0.238 and 0.237 s;
// bench/README.md, "Lines both cores read").
#define PROBE_INTERVAL_NS 50000000L
/// After a probe that measured nothing (most often: the worker, asleep after a while on one
/// thread, woke on the caller's CPU), the threads split work as usual, which moves the
/// worker to the other CPU, and the next probe comes this soon.
#define PROBE_RETRY_NS 2000000L
#define FAR_PARALLEL_MIN (1L << 24)
#define FAR_RATIO 3

static _Atomic long g_next_probe_ns;
static _Atomic int g_far;
/// The shortest round trip measured so far (0: none yet).
static _Atomic long g_nearest_ns;
/// The threshold in ns (nns_config.far_ns unless set by nns_set_far_cores_ns; 0: never far).
static _Atomic long g_far_ns = -1;

static pthread_once_t g_recorded_once = PTHREAD_ONCE_INIT;
static _Atomic long g_recorded_ns;

static void load_recorded(void) { atomic_store(&g_recorded_ns, nns_recorded_core_round_trip_ns()); }

static long far_threshold_ns(void) {
    long ns = atomic_load_explicit(&g_far_ns, memory_order_relaxed);
    return ns >= 0 ? ns : nns_config_get()->far_ns;
}

/// Takes a probe's round trip (-1: it measured nothing) as the cores' distance until the
/// next probe.
static void note_round_trip(long trip, long now, int record) {
    long nearest = atomic_load_explicit(&g_nearest_ns, memory_order_relaxed);
    if (record && nearest == 0) {
        pthread_once(&g_recorded_once, load_recorded);
        nearest = atomic_load(&g_recorded_ns);
    }
    if (trip > 0 && (nearest == 0 || trip < nearest)) {
        nearest = trip;
        if (record) nns_record_core_round_trip_ns(trip); // rare: a shorter trip than any before
    }
    atomic_store_explicit(&g_nearest_ns, nearest, memory_order_relaxed); // one prober at a time
    long threshold = far_threshold_ns();
    int far = trip > threshold && trip > FAR_RATIO * nearest;
    atomic_store_explicit(&g_far, far, memory_order_relaxed);
    atomic_store_explicit(&g_next_probe_ns, now + (trip < 0 ? PROBE_RETRY_NS : PROBE_INTERVAL_NS),
                          memory_order_relaxed);
}

/// Whether the cores are far apart, probing anew when the last probe is old (one thread
/// probes; the others go on with the previous answer).
static int cores_far(long now) {
    if (far_threshold_ns() <= 0) return 0;
    long next = atomic_load_explicit(&g_next_probe_ns, memory_order_relaxed);
    if (now >= next &&
        atomic_compare_exchange_strong(&g_next_probe_ns, &next, now + PROBE_INTERVAL_NS))
        note_round_trip(nns_core_round_trip_ns(), now, 1);
    return atomic_load_explicit(&g_far, memory_order_relaxed);
}

int nns_threads_for_work(double madds) {
    int threads = nns_config_get()->threads;
    if (threads <= 1) return threads;
    long now = nns_monotonic_ns();
    if (now < atomic_load(&g_single_thread_until_ns)) return 1;
    if (madds < (double)FAR_PARALLEL_MIN && cores_far(now)) return 1;
    return threads;
}

int nns_threads_available(void) { return nns_threads_for_work(0); }

void nns_set_far_cores_ns(long ns) {
    atomic_store(&g_far_ns, ns < 0 ? -1 : ns);
    atomic_store(&g_far, 0);
    atomic_store(&g_nearest_ns, 0);
    atomic_store(&g_next_probe_ns, nns_monotonic_ns() + PROBE_INTERVAL_NS);
}

void nns_set_core_round_trip_ns(long ns) { note_round_trip(ns, nns_monotonic_ns(), 0); }
