// Internal interfaces of the GEMM: microkernel descriptors, packing, thread pool.
// Layout conventions (all row-major):
//  - a packed A panel holds MR rows of op(A) for kc columns, element (r, p) at [p*MR + r],
//    rows past the matrix edge are zero;
//  - a packed B panel holds NR columns of op(B) for kc rows, element (p, c) at [p*NR + c],
//    columns past the matrix edge are zero.
// The microkernels read A through general strides (rs_a, cs_a) so that A can be used
// in place when it is already laid out well (see sgemm.c), and B always packed.
#ifndef NNS_GEMM_INTERNAL_H
#define NNS_GEMM_INTERNAL_H
#include <stdatomic.h>
#include <stddef.h>

/// For functions whose loops run a few floats at a time (panel edges, image rows): keeps
/// the compiler from turning each such loop into a memcpy/memset call, which costs more
/// than the loop (measured: 13% of a small convolution in the calls).
#if defined(__clang__)
#define NNS_INLINE_LOOPS __attribute__((no_builtin("memcpy", "memmove", "memset")))
#else
#define NNS_INLINE_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

/// What a microkernel does with its MR x NR tile of alpha*A*B once the k loop ends:
/// v = alpha*acc (+ beta*C unless beta == 0) (+ bias[j]) (then max(v, 0) if relu)
/// (then 0 unless gate[r][j] > 0); C = v (unless discard_c); then update[r][j] += step*v
/// (a multiply, then an add: no FMA). The gate and update are nns_gemm_extras, on the last
/// k block only, and only for kernels whose descriptor sets extras_in_epilogue.
typedef struct {
    float alpha;
    float beta;
    const float *bias; // already offset to the tile's first column, or NULL
    int relu;
    const float *gate; // already offset to the tile, or NULL
    long ldg;
    float *update;     // already offset to the tile, or NULL
    long ldu;
    float step;
    int discard_c;     // C is not stored (see nns_gemm_extras); set only with update
    /// Not NULL: row r of the tile steps row update_rows[r] of update (offset to the tile's
    /// column only then), see nns_gemm_extras.update_rows.
    const int *update_rows;
    /// For packing kernels whose descriptor sets packing_b_rows: not NULL, row p of B is at
    /// b + b_rows[p] * ldb (see nns_gemm_extras.b_rows).
    const int *b_rows;
} nns_tile_epilogue;

/// The row of the weights that row r of the tile steps.
static inline __attribute__((always_inline)) float *nns_update_row(const nns_tile_epilogue *epi, int r) {
    return epi->update + (epi->update_rows ? (long)epi->update_rows[r] : (long)r) * epi->ldu;
}

/// Called by a microkernel before its k loop: asks for the lines its epilogue will touch,
/// so that the loads (beta != 0) and the stores' ownership requests overlap the FMAs
/// instead of stalling the epilogue (C rows of a large product sit in L3 or memory):
/// the C tile's (unless discarded with beta = 0: then it is neither read nor stored) and
/// the weights' that an update steps.
static inline __attribute__((always_inline)) void
nns_prefetch_tile(const int MR, const int NR, int mr, const float *c, long ldc,
                  const nns_tile_epilogue *epi) {
    const int c_untouched = epi->discard_c && epi->beta == 0.0f;
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < mr) {
            if (!c_untouched) {
                __builtin_prefetch(c + r * ldc, 0, 3);
                __builtin_prefetch(c + r * ldc + NR - 1, 0, 3);
            }
            if (epi->update) {
                __builtin_prefetch(nns_update_row(epi, r), 0, 3);
                __builtin_prefetch(nns_update_row(epi, r) + NR - 1, 0, 3);
            }
        }
    }
}

/// Computes one tile: mr <= MR valid rows, nr <= NR valid columns are stored to c.
/// A element (r, p) is a[r*rs_a + p*cs_a] for r < MR (callers guarantee MR readable rows);
/// B is a packed panel (kc x NR).
typedef void (*nns_microkernel)(long kc, const float *a, long rs_a, long cs_a,
                                const float *b, float *c, long ldc, int mr, int nr,
                                const nns_tile_epilogue *epi);

/// A microkernel that also packs B: computes a full-width tile (nr = NR) reading op(B) = B
/// (not transposed) where it is, rows ldb apart, and stores the kc x NR panel it read to
/// b_dst for the next tiles. Packing this way costs no pass of its own: B's loads from
/// L2 overlap the tile's multiply-adds (measured: the separate pass was 8-17% of the
/// batch-sized products, dA1 and dW2 in bench/matmul.sh).
typedef void (*nns_microkernel_packing_b)(long kc, const float *a, long rs_a, long cs_a,
                                          const float *b, long ldb, float *b_dst, float *c,
                                          long ldc, int mr, const nns_tile_epilogue *epi);

/// Packs kc x nr of op(B) (top-left element at b; trans selects B stored N x K) into a
/// zero-padded kc x NR panel.
typedef void (*nns_pack_b)(int trans, long kc, int nr, const float *b, long ldb, float *dst);

/// Packs mr <= MR rows of op(A) (top-left element at a) for kc columns into a zero-padded
/// MR-tall panel.
typedef void (*nns_pack_a)(int trans, long kc, int mr, const float *a, long lda, float *dst);

/// The vector code a pass outside the GEMM (column sums, zero columns, optimizer steps)
/// runs: that of the products' kernel (see nns_kernel_desc.family).
typedef enum { NNS_FAMILY_PORTABLE, NNS_FAMILY_AVX2, NNS_FAMILY_AVX512 } nns_family;

typedef struct nns_kernel_desc {
    const char *name;
    int mr, nr;        // register tile
    int kc, mc, nc;    // cache blocking
    /// KC on cores whose L1d holds a kc x NR panel of B at kc = kc_wide_l1 with room to
    /// spare (L1D_WIDE bytes or more); 0: kc everywhere. See nns_kernel_kc.
    int kc_wide_l1;
    nns_microkernel kernel;
    nns_pack_b pack_b;
    nns_pack_a pack_a; // NULL: nns_pack_a_generic
    nns_microkernel_packing_b kernel_packing_b; // NULL: pack_b, then kernel
    int extras_in_epilogue; // 0: the driver applies gate and update after the kernel
    /// kernel_packing_b reads B's rows through the epilogue's b_rows when it is set.
    int packing_b_rows;
    /// The kernel and blocking for products whose A spans several MC blocks (the blocked
    /// schedule, with A packed), when they differ from the batch-sized products'; NULL: this.
    const struct nns_kernel_desc *blocked;
    /// The vector code the passes between products run with this kernel (portable: 0).
    nns_family family;
} nns_kernel_desc;

// Kernels available in this build (NULL-free only when the ISA is compiled in).
extern const nns_kernel_desc nns_kernel_portable;
#if defined(__x86_64__) || defined(__i386__)
extern const nns_kernel_desc nns_kernel_avx2;
extern const nns_kernel_desc nns_kernel_avx512;
#endif
#if defined(__aarch64__)
extern const nns_kernel_desc nns_kernel_neon;
#endif

/// Settings read once from the CPU and the environment (dispatch.c).
typedef struct {
    const nns_kernel_desc *_Atomic kernel; // switchable at run time by nns_set_kernel
    _Atomic int threads;
    /// Below this many multiply-adds (m*n*k) a product runs on one thread
    /// (NNS_PARALLEL_MIN overrides; measured, see bench/matmul.sh).
    long parallel_min_madds;
    /// Tuning hooks: NNS_A_IN_PLACE=0/1 (-1 = heuristic), NNS_KC / NNS_MC / NNS_NC (0 =
    /// kernel's).
    int a_in_place;
    long kc, mc, nc;
    /// This core's L1 data cache in bytes (0: unknown), read once at start-up.
    long l1d_bytes;
    /// After two stalled parallel products in quick succession (an oversubscribed
    /// machine), run single-threaded this long (NNS_BACKOFF_MS overrides; 0 disables).
    long backoff_ns;
    /// A cache-line round trip between the cores longer than this (and than 3 times the
    /// shortest seen) means they are far apart (different CCDs): small work then runs on
    /// one thread (thread_policy.c; NNS_FAR_NS overrides; 0 disables).
    long far_ns;
} nns_config;

const nns_config *nns_config_get(void);

/// L1d size from which a kernel's kc_wide_l1 applies.
#define L1D_WIDE (48L * 1024)

/// The k block for kernel `kd` on this CPU, before any NNS_KC override.
static inline long nns_kernel_kc(const nns_kernel_desc *kd, const nns_config *cfg) {
    return kd->kc_wide_l1 > 0 && cfg->l1d_bytes >= L1D_WIDE ? kd->kc_wide_l1 : kd->kc;
}

/// Generic panel packers (scalar), usable by every kernel.
void nns_pack_b_generic(int trans, long kc, int nr, int NR, const float *b, long ldb, float *dst);
void nns_pack_a_generic(int trans, long kc, int mr, int MR, const float *a, long lda, float *dst);

#if defined(__x86_64__) || defined(__i386__)
/// AVX2 transposing packer for trans_b (NR a multiple of 8); only call when AVX2 is present.
void nns_pack_b_trans_avx2(long kc, int nr, int NR, const float *b, long ldb, float *dst);
/// The same with AVX-512 (NR a multiple of 16).
void nns_pack_b_trans_avx512(long kc, int nr, int NR, const float *b, long ldb, float *dst);
/// AVX2 packer for 8-row panels of A (either layout; not transposed: 8 x 8 register transposes).
void nns_pack_a8_avx2(int trans, long kc, int mr, const float *a, long lda, float *dst);
/// AVX-512 packer for 12-row panels of A (either layout; not transposed: 16 x 16 register
/// transposes with four zero rows).
void nns_pack_a12_avx512(int trans, long kc, int mr, const float *a, long lda, float *dst);
/// AVX2 packer for 6-row panels of A (either layout).
void nns_pack_a6_avx2(int trans, long kc, int mr, const float *a, long lda, float *dst);
/// AVX2 copying packer for B not transposed (NR a multiple of 8).
void nns_pack_b_copy_avx2(long kc, int nr, int NR, const float *b, long ldb, float *dst);
#endif

// ---- per-thread scratch ----

/// What a thread's scratch buffer is for: each use has its own, so that nested users (the
/// GEMM's packing inside a convolution) never overwrite each other's.
typedef enum {
    NNS_SCRATCH_GEMM = 0,          // the GEMM's packed panels
    NNS_SCRATCH_CONV_COLUMNS,      // one image's patches as columns
    NNS_SCRATCH_CONV_GRADIENT,     // ∂C/∂columns of one image
    NNS_SCRATCH_CONV_PARTIALS,     // the caller's per-chunk ∂C/∂W and ∂C/∂b sums
    NNS_SCRATCH_SLOTS
} nns_scratch_slot;

/// The calling thread's buffer for `slot`, at least `floats` long and 64-byte aligned (its
/// contents are kept only while it does not grow), or NULL when memory runs out.
float *nns_thread_scratch(nns_scratch_slot slot, size_t floats);

/// C = alpha·op(A)·op(B) + beta·C (then max(·, 0) when relu), on the pool's threads when
/// `parallel`, else on the calling thread alone (for work already split over the threads).
/// a_in_place: 1 reads A where it is (the column-strip schedule), 0 packs it, -1 chooses
/// as nns_sgemm does.
void nns_sgemm_on(int trans_a, int trans_b, long m, long n, long k, float alpha,
                  const float *a, long lda, const float *b, long ldb, float beta,
                  float *c, long ldc, int relu, int parallel, int a_in_place);

// ---- thread pool ----
typedef void (*nns_parallel_fn)(void *ctx, int tid, int nthreads);

/// Offers fn(ctx, tid, nthreads) to up to nthreads - 1 workers and runs it on the caller
/// (tid 0). fn must claim its work dynamically and return on the caller only once all of
/// it is done: workers may join late or not at all. Returns 0, without running fn, if
/// the pool is busy (used by another thread) or unavailable; the caller then runs alone.
int nns_pool_run(nns_parallel_fn fn, void *ctx, int nthreads);

/// Spins (politely) until *counter >= target. Returns 1 if the wait took over a
/// millisecond (a sign that whoever owes the work was descheduled), else 0.
int nns_pool_wait_at_least(atomic_long *counter, long target);

/// nns_threads_for_work (nns_kernels.h) for a memory-bound pass between products.
int nns_threads_available(void);

/// Starts a back-off after a stall that followed another closely (thread_policy.c).
void nns_note_stall(long backoff_ns);

/// CLOCK_MONOTONIC in nanoseconds.
long nns_monotonic_ns(void);

// ---- vector code of the passes between products ----

/// The family a kernel name stands for ("avx512"; "avx2+fma" or "avx2"; anything else:
/// portable), or -1 when this CPU cannot run it: the `_isa` test entry points take names.
int nns_family_of(const char *isa);

/// The selected kernel's family: those passes follow NNS_KERNEL too.
nns_family nns_selected_family(void);

#endif
