// The GEMM driver and the public product API. Two schedules:
//
// Blocked (GotoBLAS/BLIS loop nest), for large A:
//   for jc in N by NC:
//     for pc in K by KC:
//       pack B[pc, jc] into NR-wide panels   (shared by the threads)
//       for ic in M by MC:
//         pack A[ic, pc] into MR-tall panels  (by the thread that claimed the m block)
//         tiles (jr, ir) of this block, jr-major
//   Threads share B's panels and take whole m blocks, claiming items (see gemm_walk).
//   Sharing each m block's tiles too made the threads wait for each other at every
//   block's packing and read each other's A: 1024^3 on 2 threads ran at 1.2-1.5x one
//   thread, where OpenBLAS doubled (measured on a Golden Cove-class Xeon, bench/kernel-ab
//   with AB_THREADS=2: whole m blocks 1.1-1.3x at the median pair, 1024^3 and the
//   10000x784x256 evaluation of an MNIST layer, the others level).
//
// Column strips, for a batch-sized A (one MC block) read where it is: see strips_walk.
//
// The microkernel applies alpha/beta on the first k block and the bias/ReLU epilogue on
// the last, so C is written once per k block and the epilogue costs no extra pass.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include "gemm_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// ---- the loop nest ----

/// Most threads whose strip items get ranges of their own (more share one counter).
#define NNS_STRIP_RANGES 8

typedef struct {
    const nns_kernel_desc *kd;
    int trans_a, trans_b;
    long m, n, k;
    float alpha, beta;
    const float *a; long lda;
    const float *b; long ldb;
    const int *b_rows;  // op(B)'s rows as rows of B, or NULL (see nns_gemm_extras)
    float *c; long ldc;
    const float *bias; int relu;
    const nns_gemm_extras *extras; // NULL: none
    int a_in_place;   // strips schedule, A read where it is (a ragged last panel is packed)
    long row_groups;  // strips schedule: row-panel groups per column strip
    int ranges;       // strips schedule: ranges of items, one per thread (claim_strip_item)
    int stalled;      // the caller waited long for work claimed by a worker
    long kc_block, mc_block, nc_block;
    float *bp, *ap;   // shared packing buffers (blocked schedule: ap is the caller's A block)
    long b_regions;   // blocked schedule: k blocks of packed B held at once (see b_region)
    /// Blocked schedule: k blocks finished of each m block (counted on over n blocks).
    struct kdone { _Alignas(64) atomic_long n; } *kdone;
    // The counters each get their own cache line so that claiming work does not evict
    // the read-only fields above from the other thread's L1.
    _Alignas(64) atomic_long next; // next work ticket to claim
    _Alignas(64) atomic_long done; // work items finished
    _Alignas(64) atomic_long packed; // blocked schedule: panels of B packed
    // The next item of each of the strips schedule's ranges.
    struct { _Alignas(64) atomic_long next; } range[NNS_STRIP_RANGES];
} gemm_job;

/// Blocked schedule on several threads: fewest work items (m blocks x k blocks) per thread.
#define BLOCKED_ITEMS_PER_THREAD 8

// Work is a sequence of phases (pack B/A panels, compute tiles, pack, compute, ...). Every
// participating thread walks the same sequence and claims global tickets; a ticket of
// phase q runs only once all earlier tickets are done, which orders the phases without a
// barrier that would wait for a thread the OS has not scheduled.
static inline long claim(gemm_job *J) { return atomic_fetch_add_explicit(&J->next, 1, memory_order_relaxed); }

/// Adds a thread's finished items of a phase to the shared count, once per phase: it is
/// only read at phase boundaries, and a locked add on a line the other core is polling
/// costs a cache-line transfer each time (measured: one add per item of 4 tiles was 4% of
/// an MNIST epoch on 2 threads).
static inline void report_done(gemm_job *J, long finished) {
    if (finished) atomic_fetch_add_explicit(&J->done, finished, memory_order_release);
}

/// Floats of one k block of the packed B of an n block: kc_block x (nc rounded up to NR).
static long b_block_floats(const gemm_job *J) {
    return J->kc_block * ((J->nc_block + J->kd->nr - 1) / J->kd->nr * J->kd->nr);
}

/// Where the packed B of the k block at pc goes: the blocked schedule keeps b_regions k
/// blocks of B at once, in turn.
static float *b_region(const gemm_job *J, long pc) {
    return J->bp + pc / J->kc_block % J->b_regions * b_block_floats(J);
}

/// Packs panel jp of k block pc (kc deep) of the n block at jc into the shared buffer.
static void pack_b_item(const gemm_job *J, long jc, long pc, long kc, long jp) {
    const int NR = J->kd->nr;
    long j = jc + jp * NR;
    int nr = J->n - j < NR ? (int)(J->n - j) : NR;
    const float *src = J->trans_b ? J->b + j * J->ldb + pc : J->b + pc * J->ldb + j;
    float *dst = b_region(J, pc) + jp * NR * kc;
    J->kd->pack_b(J->trans_b, kc, nr, src, J->ldb, dst);
}

/// Packs row panel ip of the m block at ic, k block at pc, into the thread's A buffer.
static void pack_a_item(const gemm_job *J, float *ap, long ic, long pc, long kc, long ip) {
    const int MR = J->kd->mr;
    long i = ic + ip * MR;
    int mr = J->m - i < MR ? (int)(J->m - i) : MR;
    const float *src = J->trans_a ? J->a + pc * J->lda + i : J->a + i * J->lda + pc;
    float *dst = ap + ip * MR * kc;
    if (J->kd->pack_a) J->kd->pack_a(J->trans_a, kc, mr, src, J->lda, dst);
    else nns_pack_a_generic(J->trans_a, kc, mr, MR, src, J->lda, dst);
}

// ---- rows gathered or stepped by index (nns_gemm_extras.b_rows, update_rows) ----
// The x86 kernels do both themselves (packing_b_rows, nns_tile_epilogue.update_rows); these
// serve the others, and strips narrower than a tile.

/// Packs nr columns (from b) of the kc rows listed in `rows` into a zero-padded kc x NR
/// panel: B not transposed, its rows gathered as they are packed.
static NNS_INLINE_LOOPS void pack_b_rows(const float *b, long ldb, const int *rows, long kc, int nr, int NR,
                                         float *dst) {
    for (long p = 0; p < kc; p++) {
        const float *restrict s = b + rows[p] * ldb;
        float *restrict d = dst + p * NR;
        for (int c = 0; c < nr; c++) d[c] = s[c];
        for (int c = nr; c < NR; c++) d[c] = 0.0f;
    }
}

/// The extras of a finished tile (mr x nr of C at row i, column j), while it is in L1.
/// Written as selects and plain loops over restrict rows so that they vectorise: a branch
/// per element on the gate mispredicts half the time (measured: 20% of an MNIST epoch).
static NNS_INLINE_LOOPS void finish_tile(const gemm_job *J, long i, long j, long mr, long nr) {
    const nns_gemm_extras *x = J->extras;
    if (x->gate) {
        for (long r = 0; r < mr; r++) {
            float *restrict c = J->c + (i + r) * J->ldc + j;
            const float *restrict g = x->gate + (i + r) * x->ldg + j;
            for (long s = 0; s < nr; s++) {
                float v = c[s]; // loaded either way, which lets the select vectorise
                c[s] = g[s] > 0.0f ? v : 0.0f;
            }
        }
    }
    if (x->update) {
        // Rounded as the optimizer's own step rounds w − η·g (no fused multiply-add), so
        // that training gives the same weights whichever of the two takes the step.
#pragma clang fp contract(off)
        const float step = x->step;
        for (long r = 0; r < mr; r++) {
            float *restrict u = x->update + (x->update_rows ? x->update_rows[i + r] : i + r) * x->ldu + j;
            const float *restrict c = J->c + (i + r) * J->ldc + j;
            for (long s = 0; s < nr; s++) u[s] = u[s] + step * c[s];
        }
    }
}

/// Points the tile epilogue at the tile's part of the extras when the kernel applies them
/// itself, in registers before C is stored (applying them afterwards to the tile just
/// stored was 12% of an MNIST epoch's profile, more than the separate passes it replaced);
/// returns 1 when the caller must run finish_tile after the kernel instead.
static inline int place_extras(const gemm_job *J, long i, long j, nns_tile_epilogue *e) {
    const nns_gemm_extras *x = J->extras;
    if (!J->kd->extras_in_epilogue) return 1;
    if (x->gate) { e->gate = x->gate + i * x->ldg + j; e->ldg = x->ldg; }
    if (x->update) {
        e->update = x->update_rows ? x->update + j : x->update + i * x->ldu + j;
        e->update_rows = x->update_rows ? x->update_rows + i : NULL;
        e->ldu = x->ldu;
        e->step = x->step;
        e->discard_c = x->discard_c;
    }
    return 0;
}

static void tile(const gemm_job *J, const float *ap, const float *bp, long jc, long kc,
                 long ic, long jp, long ip, const nns_tile_epilogue *epi, int last) {
    const int MR = J->kd->mr, NR = J->kd->nr;
    long i = ic + ip * MR, j = jc + jp * NR;
    int mr = J->m - i < MR ? (int)(J->m - i) : MR;
    int nr = J->n - j < NR ? (int)(J->n - j) : NR;
    nns_tile_epilogue e = *epi;
    if (last && J->bias) e.bias = J->bias + j;
    int after = last && J->extras && place_extras(J, i, j, &e);
    J->kd->kernel(kc, ap + ip * MR * kc, 1, MR, bp + jp * NR * kc, J->c + i * J->ldc + j,
                  J->ldc, mr, nr, &e);
    if (after) finish_tile(J, i, j, mr, nr);
}

/// The m block at ic, k block at pc, on this thread: its A packed into `ap`, B from the
/// shared packed n block.
static void m_block(const gemm_job *J, float *ap, long jc, long pc, long ic) {
    const int MR = J->kd->mr, NR = J->kd->nr;
    long nc = J->n - jc < J->nc_block ? J->n - jc : J->nc_block;
    long np = (nc + NR - 1) / NR;
    long mc = J->m - ic < J->mc_block ? J->m - ic : J->mc_block;
    long mp = (mc + MR - 1) / MR;
    long kc = J->k - pc < J->kc_block ? J->k - pc : J->kc_block;
    int last = pc + kc >= J->k;
    nns_tile_epilogue epi = {
        .alpha = J->alpha, .beta = pc == 0 ? J->beta : 1.0f, .bias = NULL, .relu = last && J->relu,
    };
    for (long ip = 0; ip < mp; ip++) pack_a_item(J, ap, ic, pc, kc, ip);
    const float *bp = b_region(J, pc);
    for (long jp = 0; jp < np; jp++)
        for (long ip = 0; ip < mp; ip++) tile(J, ap, bp, jc, kc, ic, jp, ip, &epi, last);
}

/// Runs the loop nest on this thread, doing the work items it claims. Per n block and k
/// block: the panels of B, then the m blocks, each item one m block whose A the claiming
/// thread packs for itself. Nothing waits for a whole phase of the other threads' work
/// except where data demands it: the m blocks of a k block for its B (`packed`, a count
/// of B's panels that grows in order: each k block's packing waits for the one before),
/// each m block for its own previous k block (`kdone`: it adds onto that C), and B's
/// packing for every m block that read the region it overwrites (with two regions, the k
/// block before last; every m block of the previous n block).
/// Returns the total number of work items.
static long gemm_walk(gemm_job *J, float *ap, int caller) {
    const int NR = J->kd->nr;
    long t = claim(J), start = 0, packs = 0;
    long kblocks = (J->k + J->kc_block - 1) / J->kc_block;
    long mblocks = (J->m + J->mc_block - 1) / J->mc_block;
    int stalled = 0;
    for (long jc = 0, jb = 0; jc < J->n; jc += J->nc_block, jb++) {
        long nc = J->n - jc < J->nc_block ? J->n - jc : J->nc_block;
        long np = (nc + NR - 1) / NR;
        long previous_n_block = start; // items before this n block
        for (long q = 0; q < kblocks; q++) {
            long pc = q * J->kc_block, kc = J->k - pc < J->kc_block ? J->k - pc : J->kc_block;
            long end = start + np;
            if (t < end) {
                if (jb > 0) stalled |= nns_pool_wait_at_least(&J->done, previous_n_block);
                stalled |= nns_pool_wait_at_least(&J->packed, packs);
                if (q >= J->b_regions) // the m blocks of k block q - b_regions read this region
                    for (long ib = 0; ib < mblocks; ib++)
                        stalled |= nns_pool_wait_at_least(&J->kdone[ib].n, jb * kblocks + q - J->b_regions + 1);
                long finished = 0;
                for (; t < end; t = claim(J), finished++) pack_b_item(J, jc, pc, kc, t - start);
                if (finished) atomic_fetch_add_explicit(&J->packed, finished, memory_order_release);
                report_done(J, finished);
            }
            start = end;
            packs += np;
            end = start + mblocks;
            if (t < end) {
                stalled |= nns_pool_wait_at_least(&J->packed, packs);
                long finished = 0;
                for (; t < end; t = claim(J), finished++) {
                    long ib = t - start, order = jb * kblocks + q;
                    stalled |= nns_pool_wait_at_least(&J->kdone[ib].n, order);
                    m_block(J, ap, jc, pc, ib * J->mc_block);
                    atomic_store_explicit(&J->kdone[ib].n, order + 1, memory_order_release);
                }
                report_done(J, finished);
            }
            start = end;
        }
    }
    if (stalled && caller) J->stalled = 1;
    return start;
}

static void gemm_region(void *ctx, int tid, int nthreads) {
    (void)nthreads;
    gemm_job *J = ctx;
    float *ap = tid == 0 ? J->ap : nns_thread_scratch(NNS_SCRATCH_GEMM, (size_t)(J->kc_block * J->mc_block));
    long total = ap ? gemm_walk(J, ap, tid == 0) : 0;
    // The caller returns only when every item is done (workers may still be finishing).
    if (tid == 0 && nns_pool_wait_at_least(&J->done, total)) J->stalled = 1;
}

// ---- column strips: the schedule for A read in place (a training batch) ----
//
// Each work item is a strip of NR columns of C (or a group of its row panels when there
// are few strips): the thread packs that strip of B one k block at a time into its own
// small buffer and runs the microkernel down the rows. Items share nothing but the
// read-only A, so there are no phases to wait for, only the final count.

/// Floats of a thread's private strip buffer (one kc x NR panel of B).
static long strip_buffer_floats(const gemm_job *J) { return J->kc_block * J->kd->nr; }

/// First item of range r of the strips schedule's `items`.
static long range_start(const gemm_job *J, long items, int r) { return items * r / J->ranges; }

/// The next strips item for thread `tid`, or `items` when none is left. A thread claims
/// from its own range of items first, then from the others' in turn. The ranges follow
/// the data: item u is row group u / np (the row groups in order), strip u % np, so thread
/// t gets the same rows (or strips) of C in every product of a step and of the next. In a
/// training step that keeps each half of W1 and of the activations in one core's cache:
/// the forward's strips of W's rows, relu' and δ for those units, the weight gradient's
/// row group and its step on those rows (measured: the two cores taking arbitrary items
/// moved ~1 MB between their caches each step, and with the cores on different CCDs, a
/// 330 ns round trip, two threads trained slower than one).
static long claim_strip_item(gemm_job *J, long items, int *r, int *visited) {
    while (*visited < J->ranges) {
        long u = atomic_fetch_add_explicit(&J->range[*r].next, 1, memory_order_relaxed);
        if (u < range_start(J, items, *r + 1)) return u;
        *r = (*r + 1) % J->ranges;
        ++*visited;
    }
    return items;
}

static void strips_walk(gemm_job *J, float *bbuf, int tid) {
    const nns_kernel_desc *kd = J->kd;
    const int MR = kd->mr, NR = kd->nr;
    long np = (J->n + NR - 1) / NR, mp = (J->m + MR - 1) / MR;
    long groups = J->row_groups, items = np * groups;
    long ragged = J->m % MR ? mp - 1 : mp; // first packed panel (the ragged one, if any)
    long finished = 0;
    int r = tid % J->ranges, visited = 0;
    for (long u = claim_strip_item(J, items, &r, &visited); u < items;
         u = claim_strip_item(J, items, &r, &visited), finished++) {
        long jp = u % np, g = u / np;
        long ip0 = mp * g / groups, ip1 = mp * (g + 1) / groups;
        long j = jp * NR;
        int nr = J->n - j < NR ? (int)(J->n - j) : NR;
        for (long pc = 0; pc < J->k; pc += J->kc_block) {
            long kc = J->k - pc < J->kc_block ? J->k - pc : J->kc_block;
            int last = pc + kc >= J->k;
            const float *src = J->trans_b ? J->b + j * J->ldb + pc : J->b_rows ? J->b + j : J->b + pc * J->ldb + j;
            // The first tile packs B as it goes when the kernel can (see gemm_internal.h).
            int packing = !J->trans_b && nr == NR && kd->kernel_packing_b && (!J->b_rows || kd->packing_b_rows);
            if (!packing && J->b_rows) pack_b_rows(J->b + j, J->ldb, J->b_rows + pc, kc, nr, NR, bbuf);
            else if (!packing) kd->pack_b(J->trans_b, kc, nr, src, J->ldb, bbuf);
            nns_tile_epilogue e = {
                .alpha = J->alpha, .beta = pc == 0 ? J->beta : 1.0f,
                .bias = last && J->bias ? J->bias + j : NULL, .relu = last && J->relu,
                .b_rows = packing && J->b_rows ? J->b_rows + pc : NULL,
            };
            // The extras, placed once per strip at row 0 and moved down with each tile
            // (copying the epilogue per tile cost 0.5-1% of the batch-sized products).
            int after = last && J->extras && place_extras(J, 0, j, &e);
            const float *gate0 = e.gate;
            float *update0 = e.update;
            const int *rows0 = e.update_rows;
            for (long ip = ip0; ip < ip1; ip++) {
                long i = ip * MR;
                int mr = J->m - i < MR ? (int)(J->m - i) : MR;
                const float *a;
                long rs_a, cs_a;
                if (ip >= ragged) {
                    a = J->ap + pc * MR; rs_a = 1; cs_a = MR; // whole-k panel, see gemm()
                } else if (J->trans_a) {
                    a = J->a + pc * J->lda + i; rs_a = 1; cs_a = J->lda;
                } else {
                    a = J->a + i * J->lda + pc; rs_a = J->lda; cs_a = 1;
                }
                float *ct = J->c + i * J->ldc + j;
                if (gate0) e.gate = gate0 + i * e.ldg;
                if (rows0) e.update_rows = rows0 + i; // the rows listed: update stays at the column
                else if (update0) e.update = update0 + i * e.ldu;
                if (packing && ip == ip0)
                    kd->kernel_packing_b(kc, a, rs_a, cs_a, src, J->ldb, bbuf, ct, J->ldc, mr, &e);
                else kd->kernel(kc, a, rs_a, cs_a, bbuf, ct, J->ldc, mr, nr, &e);
                if (after) finish_tile(J, i, j, mr, nr);
            }
        }
    }
    report_done(J, finished);
}

static void strips_region(void *ctx, int tid, int nthreads) {
    (void)nthreads;
    gemm_job *J = ctx;
    float *bbuf = tid == 0 ? J->bp : nns_thread_scratch(NNS_SCRATCH_GEMM, (size_t)strip_buffer_floats(J));
    if (bbuf) strips_walk(J, bbuf, tid);
    if (tid == 0 &&
        nns_pool_wait_at_least(&J->done, J->row_groups * ((J->n + J->kd->nr - 1) / J->kd->nr)))
        J->stalled = 1;
}

/// C = beta*C (+ bias, ReLU) when there is no product to add (k == 0 or alpha == 0).
static void scale_only(long m, long n, float beta, float *c, long ldc, const float *bias, int relu) {
    for (long i = 0; i < m; i++) {
        float *cr = c + i * ldc;
        for (long j = 0; j < n; j++) {
            float v = beta == 0.0f ? 0.0f : beta * cr[j];
            if (bias) v += bias[j];
            if (relu && v < 0.0f) v = 0.0f;
            cr[j] = v;
        }
    }
}

static int run_parallel(nns_parallel_fn fn, gemm_job *J, int nthreads, long backoff_ns) {
    if (!nns_pool_run(fn, J, nthreads)) return 0;
    if (J->stalled) nns_note_stall(backoff_ns);
    return 1;
}

/// Sets J's k, m and n blocks for its kernel (J->kd) and sizes.
static void choose_blocks(gemm_job *J, const nns_config *cfg) {
    // Balanced blocks: with KC = 512, k = 784 runs as 2 x 392 rather than 512 + 272,
    // rounded up to 16 floats when that stays within KC (400 + 384; with KC = 256, 3 x 208
    // + 160 rather than 4 x 196), so that every block starts a cache line into each row
    // of a 64-byte-aligned operand: the transposing pack of the forward's Wᵀ then loads
    // whole lines with no tail (measured, bench/kernel-ab on a Xeon: 64x784x256 forward
    // 1.007-1.014x call for call with the AVX-512 kernel, level with AVX2).
    long KC = cfg->kc > 0 ? cfg->kc : nns_kernel_kc(J->kd, cfg), MC = cfg->mc > 0 ? cfg->mc : J->kd->mc;
    long kblocks = (J->k + KC - 1) / KC;
    J->kc_block = (J->k + kblocks - 1) / kblocks;
    long aligned_kc = (J->kc_block + 15) / 16 * 16;
    if (kblocks > 1 && aligned_kc <= KC) J->kc_block = aligned_kc; // one block starts at 0 anyway
    // An A block of MC x KC floats is what the kernel keeps in L2; with a short k as many
    // more rows fit. The weight gradient of a batch of 64 (256 x 64 x 784) is then one
    // block, read in place by the column strips: no phase boundaries for two threads to
    // wait at (measured: 2-thread GFLOP/s of the 10th-percentile call 166-169 -> 169-189).
    // A tuned MC (NNS_MC) is taken as it is.
    if (cfg->mc <= 0 && J->kc_block < KC) MC = MC * KC / J->kc_block;
    long mblocks = (J->m + MC - 1) / MC;
    J->mc_block = ((J->m + mblocks - 1) / mblocks + J->kd->mr - 1) / J->kd->mr * J->kd->mr;
    long NR = J->kd->nr, NC = cfg->nc > 0 ? (cfg->nc + NR - 1) / NR * NR : J->kd->nc;
    J->nc_block = J->n < NC ? J->n : NC;
}

// Work counters (nns_multiply_adds_run): one relaxed add per product, on the caller.
static _Atomic long long g_multiply_adds_run, g_multiply_adds_skipped;

long long nns_multiply_adds_run(void) { return atomic_load_explicit(&g_multiply_adds_run, memory_order_relaxed); }
long long nns_multiply_adds_skipped(void) { return atomic_load_explicit(&g_multiply_adds_skipped, memory_order_relaxed); }
void nns_count_skipped_multiply_adds(long long madds) {
    atomic_fetch_add_explicit(&g_multiply_adds_skipped, madds, memory_order_relaxed);
}

/// The product, on the pool's threads when `parallel` (else the caller's alone); a_in_place
/// as in nns_sgemm_on.
static void gemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                 const float *a, long lda, const float *b, long ldb, float beta, float *c,
                 long ldc, const float *bias, int relu, int parallel, int a_in_place,
                 const nns_gemm_extras *extras) {
    if (m <= 0 || n <= 0) return;
    const nns_config *cfg = nns_config_get();
    const nns_kernel_desc *kd = cfg->kernel;
    gemm_job J = {
        .kd = kd, .trans_a = trans_a != 0, .trans_b = trans_b != 0, .m = m, .n = n, .k = k,
        .alpha = alpha, .beta = beta, .a = a, .lda = lda, .b = b, .ldb = ldb, .c = c,
        .ldc = ldc, .bias = bias, .relu = relu,
        .extras = extras && (extras->gate || extras->update) ? extras : NULL,
        .b_rows = extras && !trans_b ? extras->b_rows : NULL,
    };
    // Gathered rows of B, or rows of the update, take the column strips, which read A in
    // place and pack B strip by strip (the gathered rows' packer, or the update's steps
    // after each tile).
    if (J.b_rows || (J.extras && J.extras->update_rows)) a_in_place = 1;
    if (k <= 0 || alpha == 0.0f) {
        scale_only(m, n, beta, c, ldc, bias, relu);
        if (J.extras) finish_tile(&J, 0, 0, m, n);
        return;
    }
    atomic_fetch_add_explicit(&g_multiply_adds_run, (long long)m * n * k, memory_order_relaxed);
    choose_blocks(&J, cfg);

    // A read in place saves the packing pass; measured no slower when op(A) is a single
    // MC block (a training batch), but with a row stride that is a multiple of 2 KB the
    // MR rows collide in the same L1 sets (1024^3: 59 vs 97 GFLOP/s), so pack then, and
    // pack large A so each block sits contiguously in L2.
    int aliasing = (lda * (long)sizeof(float)) % 2048 == 0;
    J.a_in_place = a_in_place >= 0 ? a_in_place
                 : cfg->a_in_place >= 0 ? cfg->a_in_place : (m <= J.mc_block && !aliasing);
    if (!J.a_in_place && m > J.mc_block && kd->blocked) {
        J.kd = kd = kd->blocked;
        choose_blocks(&J, cfg);
    }
    const int MR = kd->mr, NR = kd->nr;
    long tiles = ((m + MR - 1) / MR) * ((n + NR - 1) / NR);
    int nthreads = (double)m * n * k < (double)cfg->parallel_min_madds || tiles < 2
        ? 1 : (parallel ? nns_threads_for_work((double)m * n * k) : 1);
    if (nthreads > tiles) nthreads = (int)tiles;
    if (!J.a_in_place && nthreads > 1 && cfg->mc <= 0) {
        // Each thread takes whole m blocks: have enough of them that the last one claimed
        // leaves the others little to wait for.
        long kblocks = (k + J.kc_block - 1) / J.kc_block;
        long wanted = (BLOCKED_ITEMS_PER_THREAD * nthreads + kblocks - 1) / kblocks;
        if ((m + J.mc_block - 1) / J.mc_block < wanted) {
            long rows = ((m + wanted - 1) / wanted + MR - 1) / MR * MR;
            J.mc_block = rows < J.mc_block ? rows : J.mc_block;
        }
    }

    long bp_floats, ap_floats;
    if (J.a_in_place) { // strips: the caller's strip buffer, then the ragged A panel over all k
        bp_floats = strip_buffer_floats(&J);
        ap_floats = m % MR ? MR * k : 0;
    } else {
        // One thread packs each k block of B where the one before was (it is done with
        // it); several keep two, so that one thread can pack the next while the others
        // finish their m blocks (measured, 256x784x256 on one thread: two regions 0.91x
        // as fast as one, the 1.2 MB of B they take together falling out of L2).
        J.b_regions = nthreads > 1 && k > J.kc_block ? 2 : 1;
        bp_floats = J.b_regions * b_block_floats(&J);
        ap_floats = J.kc_block * J.mc_block + (m + J.mc_block - 1) / J.mc_block * 16; // + kdone
    }
    float *buf = nns_thread_scratch(NNS_SCRATCH_GEMM, (size_t)(bp_floats + ap_floats + 32));
    if (!buf) { // out of memory: nothing sensible left but the unblocked loop
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                double s = 0;
                for (long p = 0; p < k; p++)
                    s += (double)(trans_a ? a[p * lda + i] : a[i * lda + p]) *
                         (trans_b ? b[j * ldb + p] : b[(J.b_rows ? J.b_rows[p] : p) * ldb + j]);
                float v = alpha * (float)s + (beta == 0.0f ? 0.0f : beta * c[i * ldc + j]);
                if (bias) v += bias[j];
                if (relu && v < 0.0f) v = 0.0f;
                c[i * ldc + j] = v;
            }
        if (J.extras) finish_tile(&J, 0, 0, m, n);
        return;
    }
    J.bp = buf;
    J.ap = buf + ((bp_floats + 15) & ~15L);
    if (!J.a_in_place) {
        long mblocks = (m + J.mc_block - 1) / J.mc_block;
        J.kdone = (struct kdone *)(J.ap + ((J.kc_block * J.mc_block + 15) & ~15L));
        for (long b = 0; b < mblocks; b++) atomic_init(&J.kdone[b].n, 0);
    }

    atomic_init(&J.next, 0);
    atomic_init(&J.done, 0);
    atomic_init(&J.packed, 0);

    if (J.a_in_place) {
        long mp = (m + MR - 1) / MR, np = (n + NR - 1) / NR;
        if (m % MR) { // the kernel reads MR rows: pack the ragged last panel, all of k
            long i = (mp - 1) * MR;
            const float *src = trans_a ? a + i : a + i * lda;
            nns_pack_a_generic(trans_a, k, (int)(m - i), MR, src, lda, J.ap);
        }
        // Split rows only when there are too few strips to share (every row group packs
        // its own copy of the strip of B, so use as few as possible), or when the product
        // steps weights that the forward product split by strips (W's m rows are its n
        // columns): then each thread steps the same rows of W as its forward strips read
        // (see claim_strip_item). The forward of a layer too narrow for that (MNIST's
        // 256 -> 32) split by batch rows, and its weight gradient takes strips like any
        // product: each thread then reads the activations its own forward strips wrote
        // (measured, 32x64x256 in 2-thread MNIST steps, the two splits alternating within
        // a run: 13.9-15.9 us as strips against 18.8-20.6 us as row groups).
        int forward_in_strips = (m + NR - 1) / NR >= 2L * nthreads;
        // (A weight gradient stepping the rows update_rows lists is Wᵀ's: C's columns are
        // W's rows then, and the strips split them as the forward's did.)
        int steps_forward_strips = J.extras && J.extras->update && !J.extras->update_rows && forward_in_strips;
        long groups = np >= 2L * nthreads && !steps_forward_strips ? 1 : nthreads;
        J.row_groups = groups < mp ? groups : mp;
        J.ranges = nthreads < NNS_STRIP_RANGES ? nthreads : 1;
        for (int r = 0; r < J.ranges; r++)
            atomic_init(&J.range[r].next, range_start(&J, np * J.row_groups, r));
        if (nthreads > 1 && run_parallel(strips_region, &J, nthreads, cfg->backoff_ns)) return;
        strips_region(&J, 0, 1);
        return;
    }
    if (nthreads > 1 && run_parallel(gemm_region, &J, nthreads, cfg->backoff_ns)) return;
    gemm_region(&J, 0, 1);
}

void nns_sgemm(int trans_a, int trans_b, long m, long n, long k,
               float alpha, const float *a, long lda, const float *b, long ldb,
               float beta, float *c, long ldc) {
    gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL, 0, 1, -1, NULL);
}

void nns_sgemm_extras(int trans_a, int trans_b, long m, long n, long k,
                      float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc, const nns_gemm_extras *extras) {
    gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL, 0, 1, -1, extras);
}

void nns_sgemm_rows_bias(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                         const int *b_rows, const float *bias, nns_epilogue epilogue, float *c, long ldc) {
    nns_gemm_extras rows = {.b_rows = b_rows};
    gemm(0, 0, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc, bias, epilogue == NNS_EPILOGUE_RELU, 1, -1, &rows);
}

void nns_sgemm_on(int trans_a, int trans_b, long m, long n, long k, float alpha,
                  const float *a, long lda, const float *b, long ldb, float beta,
                  float *c, long ldc, int relu, int parallel, int a_in_place) {
    gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, NULL, relu, parallel, a_in_place, NULL);
}

void nns_sgemm_bias(int trans_a, int trans_b, long m, long n, long k,
                    const float *a, long lda, const float *b, long ldb,
                    const float *bias, nns_epilogue epilogue, float *c, long ldc) {
    gemm(trans_a, trans_b, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc, bias,
         epilogue == NNS_EPILOGUE_RELU, 1, -1, NULL);
}
