#ifndef NNS_KERNELS_H
#define NNS_KERNELS_H
#include <stddef.h>
#include "nns_gather.h"  /* batch gathering; included here so module caches see it */
#include "nns_columns.h" /* zero columns of a batch */
#include "nns_conv.h"    /* convolution and pooling windows, likewise */
#include "nns_reduce.h"  /* column sums (bias gradients), likewise */
#include "nns_optimizer.h" /* the optimizers' elementwise steps, likewise */

#ifdef __cplusplus
extern "C" {
#endif

/// Epilogue applied to each element of C after the product and the bias.
typedef enum {
    NNS_EPILOGUE_NONE = 0,
    NNS_EPILOGUE_RELU = 1,
} nns_epilogue;

/// C = alpha * op(A) * op(B) + beta * C, all row-major.
/// op(A) is M x K (A is K x M when trans_a), op(B) is K x N (B is N x K when trans_b).
/// lda/ldb/ldc are row strides in elements. beta == 0 means C is not read (may hold NaN).
void nns_sgemm(int trans_a, int trans_b, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc);

/// What a product also does with each finished tile of C while the tile is in the cache,
/// in this order (a NULL pointer skips the step). Both are the backward of a linear layer:
/// a separate pass over a batch-sized matrix costs more than the tile's share of the work.
typedef struct {
    /// C[i][j] = 0 unless gate[i*ldg + j] > 0: ∂C/∂z = ∂C/∂a ⊙ relu'(z), with gate the
    /// relu's output a (a > 0 exactly where z > 0).
    const float *gate;
    long ldg;
    /// update[i*ldu + j] += step * C[i][j]: the step w ← w − η·∂C/∂w (step = −η) on the
    /// weights whose gradient C is. update must not overlap A, B or C.
    float *update;
    long ldu;
    float step;
    /// With update: 1 when C itself is not wanted, only the step it makes. Kernels that
    /// apply the extras in registers then skip storing the finished tiles (storing a
    /// gradient nobody reads was 8% of a 2-thread MNIST epoch); C must still be m x n and
    /// writable (it holds partial sums when k spans several blocks), and what it holds
    /// afterwards is unspecified.
    int discard_c;
    /// When not NULL: row p of op(B) is row b_rows[p] of B, which is not transposed (ldb
    /// floats apart): a product over some of a matrix's rows reads them where they are,
    /// with no copy of its own (a linear layer's weights over a batch's nonzero inputs).
    const int *b_rows;
    /// When not NULL (with update): row i of C steps row update_rows[i] of update.
    const int *update_rows;
} nns_gemm_extras;

/// nns_sgemm, then `extras` (NULL: none) applied to the finished C.
void nns_sgemm_extras(int trans_a, int trans_b, long m, long n, long k,
                      float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc, const nns_gemm_extras *extras);

/// C = epilogue(op(A) * op(B) + bias), bias of length N broadcast over rows (may be NULL).
void nns_sgemm_bias(int trans_a, int trans_b, long m, long n, long k,
                    const float *a, long lda, const float *b, long ldb,
                    const float *bias, nns_epilogue epilogue, float *c, long ldc);

/// C = epilogue(A * B[b_rows] + bias): nns_sgemm_bias with A and B not transposed and the
/// k rows of B listed in b_rows, read where they are (see nns_gemm_extras.b_rows).
void nns_sgemm_rows_bias(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                         const int *b_rows, const float *bias, nns_epilogue epilogue, float *c, long ldc);

/// Threads used for large products (default: the number of online CPUs, or the
/// environment variable NNS_THREADS). Products below about 2^18 multiply-adds run on the
/// calling thread; after a helper thread was found descheduled mid-product twice within
/// 100 ms (an oversubscribed machine), products run on one thread for the next 200 ms; and
/// while the two cores are far apart, small work does (see nns_core_round_trip_ns).
void nns_set_threads(int threads);
int nns_get_threads(void);

/// The body of a parallel loop: handles elements [begin, end).
typedef void (*nns_range_fn)(void *ctx, long begin, long end);

/// Calls fn over [0, n) split into contiguous ranges (boundaries on multiples of 16) run on
/// the product's threads, each range at least `grain` elements long, and returns when all
/// are done; with one thread (or n < 2 * grain, or during a back-off) it is fn(ctx, 0, n).
/// Ranges may run concurrently, so fn must only touch its own elements.
void nns_parallel_for(long n, long grain, nns_range_fn fn, void *ctx);

/// The body of nns_parallel_for_slots: also told its thread's slot, for per-thread partial
/// results (a reduction's).
typedef void (*nns_slot_range_fn)(void *ctx, long begin, long end, int slot);

/// nns_parallel_for on at most `slots` threads, fn told which (0 ..< slots; ranges with the
/// same slot never run at the same time). nns_get_threads() slots are always enough.
void nns_parallel_for_slots(long n, long grain, int slots, nns_slot_range_fn fn, void *ctx);

/// The products' work since start-up, for benchmarks' FLOP rates (`NNS_STATS=1 nns FILE`
/// prints both after the script): the multiply-adds the products ran (m·n·k of every
/// product with k > 0 and alpha != 0, the convolutions' included), and those that linear
/// layers skipped over their input's zero columns in training (reported by the layer with
/// nns_count_skipped_multiply_adds; ZeroColumns.swift).
long long nns_multiply_adds_run(void);
long long nns_multiply_adds_skipped(void);
void nns_count_skipped_multiply_adds(long long madds);

/// The cache-line round trip between the calling thread and the products' first worker
/// thread, in nanoseconds, measured now (best of 4 blocks of 4 trips), or -1 when there is
/// no worker (one thread), the pool is in use, the worker does not join within 200 us, or
/// it ran on the caller's CPU (the trips then measure the scheduler, not the distance).
/// While it exceeds both 200 ns (NNS_FAR_NS overrides; 0 never) and 3 times the shortest
/// trip measured so far, work too small to repay moving its operands between the cores
/// runs on one thread (re-measured every 50 ms): on a VM whose two vCPUs sometimes sit on
/// different CCDs, a training step then runs as fast as it does on one thread instead of
/// slower.
long nns_core_round_trip_ns(void);

/// The threads a piece of work of `madds` multiply-adds may use now (probing the cores'
/// distance if due): the configured count, or 1 while products back off after repeated
/// stalls, or, below 2^24, while the cores are far apart (thread_policy.c).
int nns_threads_for_work(double madds);

/// Sets the round trip above which the cores count as far apart (0: never; -1: back to
/// NNS_FAR_NS or the default) and forgets the trips measured so far: the cores count as
/// near until a probe, the usual 50 ms from now, says otherwise. For tests.
void nns_set_far_cores_ns(long ns);

/// The shortest round trip recorded for this boot of the machine (0: none), which a new
/// process compares its trips with before it has measured a near one itself: the file
/// core-round-trip in $XDG_CACHE_HOME/nns (default ~/.cache/nns). The record function
/// writes it (atomically, by rename; never through a symlink or onto anything but a
/// regular file; silently not at all when that fails). For tests.
long nns_recorded_core_round_trip_ns(void);
void nns_record_core_round_trip_ns(long ns);

/// Has the threads go by `ns` as the cores' round trip, as if a probe had measured it now
/// (-1: a probe that measured nothing). For tests.
void nns_set_core_round_trip_ns(long ns);

/// Name of the microkernel chosen for this CPU ("avx512", "avx2+fma", "neon", "portable").
/// The environment variable NNS_KERNEL=portable|avx2|avx512 forces a kernel the CPU can run.
const char *nns_kernel_name(void);

/// The largest k block of the products (KC): NNS_KC when set, else the kernel's own for
/// this CPU's L1 data cache, whose size in bytes (0: unknown) goes to *l1d_bytes.
long nns_kernel_k_block(long *l1d_bytes);

/// Selects a microkernel by name ("portable", "avx2", "avx512", "neon"; "best" = the
/// automatic choice). Returns 0 on success, -1 if this CPU cannot run it (nothing changes).
/// For tests and benchmarks; not thread-safe against concurrent products.
int nns_set_kernel(const char *name);

/// Overrides the blocking and the schedule, for tests and benchmarks (0, or -1 for the
/// flags, restores the automatic choice): kc, mc and nc are the k, m and n cache blocks
/// (nc rounded up to the tile's width); a_in_place 1 forces the column-strip schedule (A
/// read where it is), 0 the packed loop nest; products below parallel_min multiply-adds
/// run on the calling thread. The environment variables NNS_KC, NNS_MC, NNS_NC,
/// NNS_A_IN_PLACE and NNS_PARALLEL_MIN set the same at start-up. Not thread-safe against
/// concurrent products.
void nns_set_tuning(long kc, long mc, long nc, int a_in_place, long parallel_min);

/// The calling core's limit, for benchmarks: returns the peak single-precision FMA rate
/// in GFLOP/s of the selected kernel's ISA (independent FMA chains, best of short passes
/// over about `seconds` of thread CPU time), stores the clock in GHz measured with a chain
/// of dependent register-to-register integer adds (one cycle each) in *ghz and the FLOPs
/// per cycle that the two imply (2 x lanes x FMA pipes, rounded to a power of two) in
/// *flops_per_cycle.
double nns_measure_peak(double seconds, double *ghz, double *flops_per_cycle);

#ifdef __cplusplus
}
#endif
#endif
