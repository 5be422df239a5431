package org.inertia.kernels.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;

/**
 * Float32 GEMM, C ← α·A·B + β·C with A m×k, B k×n, C m×n, each given as (segment, element offset,
 * row stride, column stride) so any view and either transpose flag is just a choice of strides.
 *
 * <p>Goto/BLIS blocking, loops outermost first: KC-deep slices of k; MC-row blocks of A, packed once per
 * slice into MR-row panels (A is packed exactly once when m ≤ MC, which matters because packing A is a
 * transposing scatter while packing B is plain vector copies); NC-column blocks of B, packed into NR-column
 * panels that stay in L2; then for each A panel (MR×KC floats, stays in L1) the {@link GemmMicroKernel}
 * sweeps the B panels. The register tile MR×NR and the block sizes come from {@link GemmBlocking}, chosen
 * once from the machine's vector registers and caches. Packing reads any strides, zero-pads edge panels and lets
 * the micro-kernel see only contiguous data. β is applied by the first k slice only (later slices
 * accumulate with β = 1), so β = 0 never reads C.
 *
 * <p>Large products are split across threads, by rows (by columns, one part per thread, when C is short and
 * wide), each task running the whole blocked algorithm on its own part with its own per-thread buffers, so
 * tasks never wait on each other. A row split with enough rows is cut into small blocks (about eight per
 * thread) taken by whichever thread is free, so a thread on a slow or preempted vCPU does not hold the
 * others up. It shares one packed B, packed by all threads first, unless B is small enough
 * ({@link #PRIVATE_B_MAX}) for each thread to pack its own copy into its own L2 on the first block it takes.
 */
public final class GemmF32 {
    /** Depth of a packed k slice of the chosen blocking (the slice boundary shows in rounding bounds). */
    public static final int KC = GemmBlocking.CHOSEN.kc();
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;
    /**
     * A row-split product whose packed B is at most this many bytes (half the L2) has every task pack all of
     * B itself: the panels then stay in the task's own L2, where a shared packing leaves half of them in the
     * other core's (n = 256, 2 threads on Zen 3: 213 µs against 231 shared). Larger B is packed once and
     * shared.
     */
    public static final long PRIVATE_B_MAX = VectorMachine.CURRENT.l2Bytes() / 2;
    /**
     * A row split hands out blocks of rows to whichever thread is free, aiming at this many blocks per thread.
     * With a block per thread (static halves), a thread whose vCPU runs slowly holds the call up for its whole
     * share: on the 2-vCPU development guest one vCPU at times runs at half speed, and n = 512 on 2 threads then
     * ran at 1-thread speed (about 90 GFLOP/s, each thread doing half) where OpenBLAS, interleaved call by call
     * in the same process, kept about 140. With small blocks the fast thread takes about two thirds of them.
     */
    private static final int DYNAMIC_BLOCKS_PER_THREAD = 8;
    /**
     * The least multiply-adds in a dynamic row block (3·2^20: 32 rows of the MLP's 256×784×128, about 50 µs
     * of one thread), so the per-block costs (packing A's rows, streaming B's panels once more) stay small:
     * with blocks of 16 rows the 2-thread MLP training step at batch 256 ran 0.85-0.93x and the LSTM step
     * slower than with one part per thread.
     */
    private static final long MIN_BLOCK_FMAS = 3L << 20;
    /**
     * A row split over a per-thread (private) packed B uses small dynamic blocks from this many multiply-adds;
     * smaller products keep one part per thread.
     */
    private static final long SMALL_BLOCKS_MIN_FMAS = 1L << 26;
    /**
     * A row split over one shared packed B uses small dynamic blocks from this many multiply-adds: a model's
     * layer, such as the MLP's forward product 256×784×128 (2^24.6, B 401 KB), gets 32-row blocks instead of
     * static halves. On the 2-vCPU guest the two threads' speeds drift apart for seconds at a time; in seven
     * A/B runs inside one JVM, steps by turns (bench/RESULTS.md, part 11), the 2-thread MLP step with these
     * blocks was 3-10 % faster by the mean step (0.6-4 % by the median; faster in 58-66 % of the rounds), and
     * as fast in the one quiet run. Smaller products keep static halves or mc-row blocks.
     */
    private static final long SHARED_B_BLOCKS_MIN_FMAS = 1L << 24;
    /**
     * The largest shared packed B over which a row split still uses small dynamic blocks. Every block streams
     * all of B's panels once more (4/rows bytes per multiply-add), which is cheap while B stays in the L3 and
     * not when it comes from memory: the LSTM's weight gradient, C 512×128 = Aᵀ·B with k = 50,176 (B 25.7 MB
     * packed), ran at 0.77× on 2 threads in 32-row blocks against mc-row blocks (p50 90 against 117 GFLOP/s,
     * interleaved call by call). A larger B gets mc-row blocks. A quarter of the L3 leaves room for the A
     * blocks, C and the other thread.
     */
    static final long SMALL_BLOCKS_MAX_SHARED_B = VectorMachine.CURRENT.l3Bytes() / 4;

    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** Per-thread packing buffers, reused across calls and grown for a larger blocking. */
    private static final class Buffers {
        MemorySegment b = MemorySegment.NULL;
        float[] a = new float[0];
        float[] tile = new float[0];
        /** One B panel being assembled (kc·NR floats). */
        float[] stage = new float[0];
        /** Contiguous runs of kc floats read out of an operand: one B column, or the MR rows of an A panel. */
        float[] run = new float[0];

        /** The calling thread's scratch for a whole packed B shared by a parallel product's tasks. */
        MemorySegment shared = MemorySegment.NULL;
        /** This thread's own copy of a small packed B, and the call it was packed for. */
        private MemorySegment own = MemorySegment.NULL;
        private PackedB ownPacked;
        private Object ownCall;

        /**
         * This thread's packed copy of B for the parallel call {@code call}: packed (all of it, on this
         * thread) the first time this thread asks within the call, then reused for its later blocks.
         */
        PackedB privateB(Object call, GemmBlocking bl, int k, int n, Operand b) {
            if (ownCall != call) {
                long bytes = PackedB.bytes(bl, k, n);
                if (own.byteSize() < bytes) {
                    own = Arena.ofAuto().allocate(bytes, 64);
                }
                ownCall = null; // a failed packing leaves no stale match
                ownPacked = new PackedB(bl, k, n, b, own, 1, (tasks, body) -> body.accept(0));
                ownCall = call;
            }
            return ownPacked;
        }

        MemorySegment shared(GemmBlocking bl, int k, int n) {
            long bytes = PackedB.bytes(bl, k, n);
            if (shared.byteSize() < bytes) {
                shared = Arena.ofAuto().allocate(bytes, 64);
            }
            return shared;
        }

        /** Grows the buffers to hold a kc×mc block of A and a kc×nc block of B in panels of the tile's shape. */
        Buffers fit(GemmTile t, int kc, int mc, int nc) {
            long nb = (long) kc * roundUp(nc, t.nr());
            long na = (long) kc * roundUp(mc, t.mr);
            // Native and 64-byte aligned, so no vector load of a panel splits a cache line (a float[]'s data
            // starts 16 bytes into the object, and where the object lands varies from run to run and GC to
            // GC). Freed by the GC with the thread's buffers.
            if (b.byteSize() < nb * 4) {
                b = Arena.ofAuto().allocate(nb * 4, 64);
            }
            if (a.length < na) {
                a = new float[(int) na];
            }
            if (tile.length < t.mr * t.nr()) {
                tile = new float[t.mr * t.nr()];
            }
            if (stage.length < kc * t.nr()) {
                stage = new float[kc * t.nr()];
            }
            if (run.length < kc * t.mr) {
                run = new float[kc * t.mr];
            }
            return this;
        }
    }

    /** Whether this machine has 256-bit vectors, for moving one 8-float k step of a transposed A panel at once. */
    private static final boolean WIDE_256 = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Runs {@code tasks} tasks, possibly concurrently; returns when all are done. */
    @FunctionalInterface
    public interface Parallel {
        /**
         * Runs {@code body.accept(i)} for every i in [0, tasks) and returns when all are done.
         *
         * @param tasks the number of tasks; >= 0
         * @param body the task for each index
         */
        void run(int tasks, IntConsumer body);
    }

    /**
     * A strided float32 matrix operand: element (i, j) is at element offset {@code off + i·rs + j·cs}.
     *
     * @param seg the memory, float32
     * @param off element offset of element (0, 0)
     * @param rs element stride between rows
     * @param cs element stride between columns
     */
    public record Operand(MemorySegment seg, long off, long rs, long cs) {
    }

    private GemmF32() {
    }

    /**
     * C ← α·A·B + β·C (A m×k, B k×n, C m×n). With {@code threads > 1} and a large enough product the
     * work is split into {@code threads} tasks handed to {@code parallel}. C must not overlap A or B.
     *
     * @param m rows of A and C; >= 0
     * @param n columns of B and C; >= 0
     * @param k columns of A and rows of B; >= 0
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param b the matrix B
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C
     * @param threads the number of tasks to split a large product into; >= 1
     * @param parallel runs the tasks when {@code threads > 1}
     */
    public static void gemm(int m, int n, int k, float alpha, Operand a, Operand b, float beta, Operand c,
            int threads, Parallel parallel) {
        gemm(GemmBlocking.CHOSEN, m, n, k, alpha, a, b, beta, c, threads, parallel);
    }

    /**
     * {@link #gemm(int, int, int, float, Operand, Operand, float, Operand, int, Parallel)} with a given blocking.
     *
     * @param bl the blocking to use
     * @param m rows of A and C; >= 0
     * @param n columns of B and C; >= 0
     * @param k columns of A and rows of B; >= 0
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param b the matrix B
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C
     * @param threads the number of tasks to split a large product into; >= 1
     * @param parallel runs the tasks when {@code threads > 1}
     */
    public static void gemm(GemmBlocking bl, int m, int n, int k, float alpha, Operand a, Operand b, float beta,
            Operand c, int threads, Parallel parallel) {
        int tileMr = bl.tile().mr;
        int tileNr = bl.tile().nr();
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c);
            return;
        }
        long fmas = (long) m * n * k;
        if (k == 1 && b.cs() == 1 && c.cs() == 1) {
            // An outer product (e.g. an LSTM's input projection of one feature per step): no packing and no
            // register tiles, whose per-tile costs dwarf one multiply-add per element.
            outer(m, n, alpha, a, b, beta, c, threads, parallel);
            return;
        }
        if (threads <= 1 || fmas < PARALLEL_MIN_FMAS) {
            blocked(bl, 0, m, 0, n, k, alpha, a, b, beta, c);
            return;
        }
        // Split so that the packing each task repeats is the smaller: by rows, every task packs all of B
        // (k×n, plain vector copies) and its own rows of A; by columns, every task packs all of A (m×k,
        // a transposing scatter that costs about twice as much per element) and its own columns of B.
        // So short, wide C (e.g. a recurrent step's [64, 4H] gates) is split by columns. Either way each
        // task keeps whole register tiles.
        boolean byCols = (m < 4 * tileMr * threads || 2L * m < n) && n > m && n >= 2 * tileNr;
        int unit = byCols ? tileNr : tileMr;
        int extent = byCols ? n : m;
        int units = (extent + unit - 1) / unit;
        int tasks = Math.min(threads, units);
        if (byCols) {
            parallel.run(tasks, t -> {
                int lo = Math.min(extent, (int) ((long) units * t / tasks) * unit);
                int hi = Math.min(extent, (int) ((long) units * (t + 1) / tasks) * unit);
                blocked(bl, 0, m, lo, hi, k, alpha, a, b, beta, c);
            });
            return;
        }
        int blockRows = dynamicBlockRows(bl, m, n, k, threads, SMALL_BLOCKS_MIN_FMAS);
        boolean dynamic = blockRows > 0;
        if (PackedB.bytes(bl, k, n) <= PRIVATE_B_MAX) { // small B: each thread packs its own copy into its L2
            if (dynamic) {
                // Each thread packs B on the first block it takes in this call, then keeps taking blocks.
                Object call = new Object();
                parallel.run(ceilDiv(m, blockRows), t -> blocked(bl, t * blockRows, Math.min(m, (t + 1) * blockRows),
                        0, n, k, alpha, a, null, BUFFERS.get().privateB(call, bl, k, n, b), beta, c));
                return;
            }
            parallel.run(tasks, t -> {
                int lo = Math.min(m, (int) ((long) units * t / tasks) * tileMr);
                int hi = Math.min(m, (int) ((long) units * (t + 1) / tasks) * tileMr);
                blocked(bl, lo, hi, 0, n, k, alpha, a, b, beta, c);
            });
            return;
        }
        // Larger B: pack it once, the tasks sharing the panels, into the calling thread's scratch (packing it
        // in every task had two 4 MiB copies of B compete for the shared L3).
        PackedB shared = new PackedB(bl, k, n, b, BUFFERS.get().shared(bl, k, n), threads, parallel);
        // Below the small-block size, still mc-row blocks handed out dynamically when there are enough of them.
        int sharedRows = dynamicBlockRows(bl, m, n, k, threads, SHARED_B_BLOCKS_MIN_FMAS);
        int rows = sharedRows > 0 && PackedB.bytes(bl, k, n) <= SMALL_BLOCKS_MAX_SHARED_B ? sharedRows
                : ceilDiv(m, bl.mc()) >= 2 * threads ? bl.mc() : 0;
        if (rows > 0) {
            parallel.run(ceilDiv(m, rows), t -> blocked(bl, t * rows, Math.min(m, (t + 1) * rows), 0, n, k, alpha,
                    a, null, shared, beta, c));
            return;
        }
        parallel.run(tasks, t -> {
            int lo = Math.min(m, (int) ((long) units * t / tasks) * tileMr);
            int hi = Math.min(m, (int) ((long) units * (t + 1) / tasks) * tileMr);
            blocked(bl, lo, hi, 0, n, k, alpha, a, null, shared, beta, c);
        });
    }

    /**
     * The rows of each block when a row split of m rows is handed out dynamically: about
     * {@code DYNAMIC_BLOCKS_PER_THREAD} blocks per thread, whole MR-row panels, each at least
     * {@code MIN_BLOCK_FMAS} multiply-adds and at most mc rows; 0 for a product below {@code minFmas}
     * ({@code SMALL_BLOCKS_MIN_FMAS} over private copies of B, {@code SHARED_B_BLOCKS_MIN_FMAS} over a
     * shared one), or when that gives fewer than two blocks per thread (then each thread takes one fixed
     * share).
     */
    private static int dynamicBlockRows(GemmBlocking bl, int m, int n, int k, int threads, long minFmas) {
        if ((long) m * n * k < minFmas) {
            return 0;
        }
        int tileMr = bl.tile().mr;
        int panels = ceilDiv(m, tileMr);
        long panelFmas = (long) tileMr * n * k;
        int minPanels = (int) Math.min(panels, (MIN_BLOCK_FMAS + panelFmas - 1) / panelFmas);
        int blockPanels = Math.clamp(ceilDiv(panels, DYNAMIC_BLOCKS_PER_THREAD * threads), minPanels,
                Math.max(minPanels, bl.mc() / tileMr));
        int blockRows = blockPanels * tileMr;
        return ceilDiv(m, blockRows) >= 2 * threads ? blockRows : 0;
    }

    /** The k = 1 product by {@link #rankOne}, its rows split over the pool when large enough. */
    private static void outer(int m, int n, float alpha, Operand a, Operand b, float beta, Operand c, int threads,
            Parallel parallel) {
        int tasks = threads <= 1 || (long) m * n < PARALLEL_MIN_FMAS ? 1 : Math.min(threads, m);
        if (tasks == 1) {
            rankOne(0, m, n, alpha, a, b, beta, c);
        } else {
            parallel.run(tasks, t -> rankOne((int) ((long) m * t / tasks), (int) ((long) m * (t + 1) / tasks),
                    n, alpha, a, b, beta, c));
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * B (k×n) packed once into the panels {@link #gemm} would pack on every call, for many products with the
     * same B: a recurrent weight used at every time step. A snapshot: later writes to B are not seen. The
     * panels are native memory freed by {@link #close()}; using a closed PackedB throws.
     */
    public static final class PackedB implements AutoCloseable {
        private final GemmBlocking blocking;
        private final int k;
        private final int n;
        /** n rounded up to whole NR-column panels: one k slice of depth kc holds kc·nPadded floats. */
        private final long nPadded;
        private final Arena arena;
        final MemorySegment panels;

        private PackedB(GemmBlocking blocking, int k, int n, Operand b) {
            this.blocking = blocking;
            this.k = k;
            this.n = n;
            this.nPadded = (long) roundUp(Math.max(n, 1), blocking.tile().nr());
            this.arena = Arena.ofShared();
            this.panels = arena.allocate(bytes(blocking, k, n), 64);
            packColumns(0, n, b);
        }

        /**
         * Packs B into {@code memory} (at least {@link #bytes} long, not owned: closing does nothing), the
         * NR-column panels split between up to {@code threads} tasks.
         */
        PackedB(GemmBlocking blocking, int k, int n, Operand b, MemorySegment memory, int threads,
                Parallel parallel) {
            this.blocking = blocking;
            this.k = k;
            this.n = n;
            int nr = blocking.tile().nr();
            this.nPadded = (long) roundUp(Math.max(n, 1), nr);
            this.arena = null;
            this.panels = memory;
            int units = (n + nr - 1) / nr;
            int tasks = Math.max(1, Math.min(threads, units));
            parallel.run(tasks, t -> packColumns(Math.min(n, (int) ((long) units * t / tasks) * nr),
                    Math.min(n, (int) ((long) units * (t + 1) / tasks) * nr), b));
        }

        /** Bytes of the panels of a k×n B. */
        static long bytes(GemmBlocking blocking, int k, int n) {
            return Math.max(4L, 4L * k * roundUp(Math.max(n, 1), blocking.tile().nr()));
        }

        /** Packs the panels of columns [j0, j1) (j0 a multiple of NR) for every k slice. */
        private void packColumns(int j0, int j1, Operand b) {
            if (j1 <= j0) {
                return;
            }
            Buffers buf = BUFFERS.get().fit(blocking.tile(), Math.min(blocking.kc(), k), 0, 0);
            for (int pc = 0; pc < k; pc += blocking.kc()) {
                int kc = Math.min(blocking.kc(), k - pc);
                packB(blocking.tile().nr(), b, pc, kc, j0, j1 - j0, panels.asSlice(4L * offset(pc, j0, kc)),
                        buf.stage, buf.run);
            }
        }

        /** Element offset of the panels of columns [jc, …) in the k slice starting at pc (of depth kc). */
        long offset(int pc, int jc, int kc) {
            return pc * nPadded + (long) jc * kc;
        }

        /**
         * Rows of B.
         *
         * @return the row count of B
         */
        public int k() {
            return k;
        }

        /**
         * Columns of B.
         *
         * @return the column count of B
         */
        public int n() {
            return n;
        }

        /**
         * Whether {@link #close()} has run.
         *
         * @return true once closed
         */
        public boolean isClosed() {
            return arena != null && !arena.scope().isAlive();
        }

        @Override
        public void close() {
            if (arena != null && arena.scope().isAlive()) {
                arena.close();
            }
        }
    }

    /**
     * Packs B (k×n) once for {@link #gemm(int, int, int, float, Operand, PackedB, float, Operand, int, Parallel)}.
     *
     * @param k rows of B; >= 0
     * @param n columns of B; >= 0
     * @param b the matrix B
     * @return the packed B; the caller closes it
     */
    public static PackedB pack(int k, int n, Operand b) {
        return new PackedB(GemmBlocking.CHOSEN, k, n, b);
    }

    /**
     * C ← α·A·B + β·C with B packed beforehand; the same result, bit for bit, as the unpacked call (the
     * packing and the order of every FMA are the same). Large products are split by rows only, since each
     * task reads B's panels where they are.
     *
     * @param m rows of A and C; >= 0
     * @param n columns of B and C; >= 0
     * @param k columns of A and rows of B; >= 0
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param b B, packed by {@link #pack}
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C
     * @param threads the number of tasks to split a large product into; >= 1
     * @param parallel runs the tasks when {@code threads > 1}
     */
    public static void gemm(int m, int n, int k, float alpha, Operand a, PackedB b, float beta, Operand c,
            int threads, Parallel parallel) {
        if (b.isClosed()) {
            throw new IllegalStateException("packed B operand is closed");
        }
        if (b.k != k || b.n != n) {
            throw new IllegalArgumentException("packed B is " + b.k + "x" + b.n + " but the product needs " + k + "x" + n);
        }
        GemmBlocking bl = b.blocking;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c);
            return;
        }
        if (k == 1 && c.cs() == 1) {
            // With k = 1 the panels hold B's one row, each NR columns contiguous after the last: the outer
            // product's row loop, with the tile path's operations and bits (a recurrent layer's per-step
            // input term for one input feature).
            outer(m, n, alpha, a, new Operand(b.panels, 0, b.nPadded, 1), beta, c, threads, parallel);
            return;
        }
        int tileMr = bl.tile().mr;
        int units = (m + tileMr - 1) / tileMr;
        int tasks = Math.min(threads, units);
        if (tasks <= 1 || (long) m * n * k < PARALLEL_MIN_FMAS) {
            blocked(bl, 0, m, 0, n, k, alpha, a, null, b, beta, c);
            return;
        }
        int blockRows = dynamicBlockRows(bl, m, n, k, tasks, SMALL_BLOCKS_MIN_FMAS);
        if (blockRows > 0 && PackedB.bytes(bl, k, n) <= SMALL_BLOCKS_MAX_SHARED_B) {
            parallel.run(ceilDiv(m, blockRows), t -> blocked(bl, t * blockRows, Math.min(m, (t + 1) * blockRows), 0,
                    n, k, alpha, a, null, b, beta, c));
            return;
        }
        parallel.run(tasks, t -> {
            int lo = Math.min(m, (int) ((long) units * t / tasks) * tileMr);
            int hi = Math.min(m, (int) ((long) units * (t + 1) / tasks) * tileMr);
            blocked(bl, lo, hi, 0, n, k, alpha, a, null, b, beta, c);
        });
    }

    /**
     * C[t] ← α·A[t]·B[t] + β·C[t] for t in [0, batch), where operand t starts {@code t·batchStride}
     * elements after operand 0 (a stride of 0 broadcasts). Small products are spread across the batch;
     * large ones each use all threads.
     *
     * @param batch the number of products; >= 0
     * @param m rows of A and C; >= 0
     * @param n columns of B and C; >= 0
     * @param k columns of A and rows of B; >= 0
     * @param alpha the scale α of the product
     * @param a the matrix A
     * @param aBatch element distance between consecutive A matrices; 0 broadcasts one A
     * @param b the matrix B
     * @param bBatch element distance between consecutive B matrices; 0 broadcasts one B
     * @param beta the scale β of C; C is not read when β = 0
     * @param c the output C
     * @param cBatch element distance between consecutive C matrices
     * @param threads the number of tasks to split a large product into; >= 1
     * @param parallel runs the tasks when {@code threads > 1}
     */
    public static void gemmBatched(int batch, int m, int n, int k, float alpha, Operand a, long aBatch, Operand b,
            long bBatch, float beta, Operand c, long cBatch, int threads, Parallel parallel) {
        if (threads > 1 && batch > 1 && (long) m * n * k < 8 * PARALLEL_MIN_FMAS) {
            parallel.run(batch, t -> gemm(m, n, k, alpha, shift(a, t * aBatch), shift(b, t * bBatch), beta,
                    shift(c, t * cBatch), 1, parallel));
        } else {
            for (int t = 0; t < batch; t++) {
                gemm(m, n, k, alpha, shift(a, t * aBatch), shift(b, t * bBatch), beta, shift(c, t * cBatch),
                        threads, parallel);
            }
        }
    }

    private static Operand shift(Operand o, long by) {
        return new Operand(o.seg(), o.off() + by, o.rs(), o.cs());
    }

    /** The sequential blocked product for rows [i0, i1) and columns [j0, j1) of C. */
    private static void blocked(GemmBlocking bl, int i0, int i1, int j0, int j1, int k, float alpha, Operand a,
            Operand b, float beta, Operand c) {
        blocked(bl, i0, i1, j0, j1, k, alpha, a, b, null, beta, c);
    }

    /** The blocked product, with B's panels taken from {@code pre} when it is not null (then b is unused). */
    private static void blocked(GemmBlocking bl, int i0, int i1, int j0, int j1, int k, float alpha, Operand a,
            Operand b, PackedB pre, float beta, Operand c) {
        GemmTile shape = bl.tile();
        int tileMr = shape.mr;
        int tileNr = shape.nr();
        int kcMax = bl.kc();
        int mcMax = bl.mc();
        int ncMax = bl.nc();
        Buffers buf = BUFFERS.get().fit(shape, Math.min(kcMax, k), Math.min(mcMax, i1 - i0),
                pre == null ? Math.min(ncMax, j1 - j0) : 0);
        // Goto's loop order: a kc×nc block of B packed once per k slice (or taken from pre), an mc×kc block
        // of A packed inside it to stay in L2, and the micro-kernel sweeping the A block's MR-row panels
        // with one kc×NR panel of B held in L1.
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            float betaHere = pc == 0 ? beta : 1f;
            for (int jc = j0; jc < j1; jc += ncMax) {
                int nc = Math.min(ncMax, j1 - jc);
                MemorySegment bSeg = buf.b;
                long bBlock = 0;
                if (pre == null) {
                    packB(tileNr, b, pc, kc, jc, nc, bSeg, buf.stage, buf.run);
                } else { // the block's panels were packed once, in the same layout
                    bSeg = pre.panels;
                    bBlock = pre.offset(pc, jc, kc);
                }
                for (int ic = i0; ic < i1; ic += mcMax) {
                    int mc = Math.min(mcMax, i1 - ic);
                    for (int ir = 0; ir < mc; ir += tileMr) {
                        packA(shape, a, ic + ir, Math.min(tileMr, mc - ir), pc, kc, buf.a, ir * kc, buf.run);
                    }
                    for (int jr = 0; jr < nc; jr += tileNr) {
                        int nr = Math.min(tileNr, nc - jr);
                        long bPanel = bBlock + (long) jr * kc;
                        for (int ir = 0; ir < mc; ir += tileMr) {
                            int mr = Math.min(tileMr, mc - ir);
                            long cOff = c.off() + (ic + ir) * c.rs() + (jc + jr) * c.cs();
                            GemmMicroKernel.tile(shape, kc, buf.a, ir * kc, bSeg, bPanel, alpha, betaHere, c.seg(),
                                    cOff, c.rs(), c.cs(), mr, nr, buf.tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs B[pc:pc+kc, jc:jc+nc] into NR-column panels: panel q holds (p, j) at q·NR·kc + p·NR + j, zero
     * columns past nc. Row-major B is plain vector copies; a full panel of transposed B goes through registers
     * ({@link PanelTranspose#columns}). Otherwise each panel is assembled in the
     * {@code stage} array and copied out in bulk: transposed B (a weight stored [n, k], as in x·Wᵀ) reads each
     * column's kc values with one bulk copy, so no loop does a bounds-checked native read per element.
     */
    private static void packB(int tileNr, Operand b, int pc, int kc, int jc, int nc, MemorySegment dst, float[] stage,
            float[] run) {
        MemorySegment seg = b.seg();
        long rs = b.rs();
        long cs = b.cs();
        int lanes = GemmMicroKernel.L;
        for (int jr = 0; jr < nc; jr += tileNr) {
            int nr = Math.min(tileNr, nc - jr);
            long base = (long) jr * kc;
            long src = b.off() + pc * rs + (jc + jr) * cs;
            if (nr == tileNr && cs == 1) { // a full panel of row-major B: plain vector copies
                copyRows(seg, 4 * src, 4 * rs, kc, tileNr, dst, 4L * base);
                continue;
            }
            if (nr == tileNr && rs == 1 && tileNr % 8 == 0 && PanelTranspose.AVAILABLE) {
                // a full panel of transposed B: 8×8 blocks through registers
                PanelTranspose.columns(seg, 4 * src, 4 * cs, kc, tileNr, dst, 4L * base);
                continue;
            }
            int size = kc * tileNr;
            if (cs == 1) { // a partial panel of row-major B: one bulk copy per row, zero padding
                for (int p = 0; p < kc; p++) {
                    int d = p * tileNr;
                    MemorySegment.copy(seg, FL, (src + p * rs) * 4, stage, d, nr);
                    java.util.Arrays.fill(stage, d + nr, d + tileNr, 0f);
                }
            } else if (rs == 1) { // transposed B: column j is kc adjacent floats
                for (int j = 0; j < nr; j++) {
                    MemorySegment.copy(seg, FL, (src + j * cs) * 4, run, 0, kc);
                    for (int p = 0, d = j; p < kc; p++, d += tileNr) {
                        stage[d] = run[p];
                    }
                }
                for (int j = nr; j < tileNr; j++) {
                    for (int p = 0, d = j; p < kc; p++, d += tileNr) {
                        stage[d] = 0f;
                    }
                }
            } else { // any other strides: element by element along the smaller stride
                java.util.Arrays.fill(stage, 0, size, 0f);
                if (rs <= cs) {
                    for (int j = 0; j < nr; j++) {
                        long s = src + j * cs;
                        for (int p = 0; p < kc; p++) {
                            stage[p * tileNr + j] = seg.getAtIndex(FL, s + p * rs);
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        long s = src + p * rs;
                        for (int j = 0; j < nr; j++) {
                            stage[p * tileNr + j] = seg.getAtIndex(FL, s + j * cs);
                        }
                    }
                }
            }
            MemorySegment.copy(stage, 0, dst, FL, 4L * base, size);
        }
    }

    /**
     * One full panel of row-major B: kc rows of {@code tileNr} floats, row p read at byte
     * {@code src + p·rowBytes} and written at {@code dst + 4p·tileNr}. A method of its own so that C2 inlines
     * the Vector API calls (inside the whole of packB it did not, and every vector was boxed: 45 µs instead
     * of 8 for a 256×256 B).
     */
    private static void copyRows(MemorySegment seg, long src, long rowBytes, int kc, int tileNr, MemorySegment dst,
            long d) {
        long panelRow = 4L * tileNr;
        if (tileNr == 2 * GemmMicroKernel.L) { // the AVX2 tile's two vectors, unrolled
            long second = 4L * GemmMicroKernel.L;
            for (int p = 0; p < kc; p++, src += rowBytes, d += panelRow) {
                FloatVector x = FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, src, NATIVE);
                FloatVector y = FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, src + second, NATIVE);
                x.intoMemorySegment(dst, d, NATIVE);
                y.intoMemorySegment(dst, d + second, NATIVE);
            }
            return;
        }
        for (int p = 0; p < kc; p++, src += rowBytes, d += panelRow) {
            for (int v = 0; v < tileNr; v += GemmMicroKernel.L) {
                FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, src + 4L * v, NATIVE)
                        .intoMemorySegment(dst, d + 4L * v, NATIVE);
            }
        }
    }

    /**
     * Packs A[ir:ir+mr, pc:pc+kc] into one MR-row panel: (i, p) at at + p·MR + i, zero rows below mr.
     * A full 4-row panel of row-major A goes through registers ({@link PanelTranspose#rows4}). Other row-major
     * panels copy each row's kc floats out in bulk into {@code run}, then spread them MR apart with an array
     * loop (AVX2 has no scatter instruction; the Vector API's emulated one, and a native read per element,
     * each cost more than the whole product at small sizes).
     */
    private static void packA(GemmTile shape, Operand a, int ir, int mr, int pc, int kc, float[] dst, int at,
            float[] run) {
        int tileMr = shape.mr;
        MemorySegment seg = a.seg();
        long rs = a.rs();
        long cs = a.cs();
        long src = a.off() + ir * rs + pc * cs;
        if (cs == 1 && mr == 4 && tileMr == 4 && PanelTranspose.AVAILABLE) {
            PanelTranspose.rows4(seg, 4 * src, 4 * rs, kc, dst, at); // 4×8 blocks through registers
        } else if (cs == 1) {
            // The panel's rows out in bulk, row i at i·kc of run, then interleaved: each k step's MR values are
            // written together, so the stores go forward contiguously.
            for (int i = 0; i < mr; i++) {
                MemorySegment.copy(seg, FL, (src + i * rs) * 4, run, i * kc, kc);
            }
            java.util.Arrays.fill(run, mr * kc, tileMr * kc, 0f);
            switch (tileMr) { // a constant MR for each inlined copy, so C2 unrolls the inner loop
                case 4 -> interleave(run, kc, 4, dst, at);
                case 6 -> interleave(run, kc, 6, dst, at);
                case 8 -> interleave(run, kc, 8, dst, at);
                default -> interleave(run, kc, tileMr, dst, at);
            }
        } else if (rs == 1) {
            // Transposed storage (op(A) = a stored matrix's transpose): the MR values of one k step are
            // adjacent in memory, so each step is one bulk copy.
            if (mr == tileMr && tileMr == 8 && WIDE_256) {
                for (int p = 0; p < kc; p++) { // one 8-lane vector per step
                    FloatVector.fromMemorySegment(FloatVector.SPECIES_256, seg, (src + p * cs) * 4, NATIVE)
                            .intoArray(dst, at + p * tileMr);
                }
            } else if (mr == tileMr && tileMr == 4) {
                for (int p = 0; p < kc; p++) { // one 4-lane vector per step
                    FloatVector.fromMemorySegment(FloatVector.SPECIES_128, seg, (src + p * cs) * 4, NATIVE)
                            .intoArray(dst, at + p * tileMr);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = at + p * tileMr;
                    MemorySegment.copy(seg, FL, (src + p * cs) * 4, dst, d, mr);
                    java.util.Arrays.fill(dst, d + mr, d + tileMr, 0f);
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                long s = src + p * cs;
                for (int i = 0; i < mr; i++) {
                    dst[at + p * tileMr + i] = seg.getAtIndex(FL, s + i * rs);
                }
                for (int i = mr; i < tileMr; i++) {
                    dst[at + p * tileMr + i] = 0f;
                }
            }
        }
    }

    /** dst[at + p·mr + i] = run[i·kc + p]: mr rows of kc floats interleaved, each k step's mr values together. */
    private static void interleave(float[] run, int kc, int mr, float[] dst, int at) {
        for (int p = 0, d = at; p < kc; p++, d += mr) {
            for (int i = 0; i < mr; i++) {
                dst[d + i] = run[i * kc + p];
            }
        }
    }

    /**
     * Rows [i0, i1) of C ← α·a·bᵀ + β·C for k = 1 (a an m×1 column, b a 1×n row with unit column stride, C
     * with unit column stride): c_ij = fl(α·fma(a_i, b_j, +0)), then fl(β·c_ij + that) by one FMA when β ≠ 0
     * (C is not read when β = 0) — the register-tile path's operations exactly (one FMA into a +0
     * accumulator, which also turns a −0 product into +0, then the α/β epilogue), so the bits do not depend on
     * which path ran.
     */
    private static void rankOne(int i0, int i1, int n, float alpha, Operand a, Operand b, float beta, Operand c) {
        var sp = GemmMicroKernel.S;
        int lanes = GemmMicroKernel.L;
        MemorySegment as = a.seg();
        MemorySegment bs = b.seg();
        MemorySegment cs = c.seg();
        FloatVector va = FloatVector.broadcast(sp, alpha);
        FloatVector vb = FloatVector.broadcast(sp, beta);
        FloatVector zero = FloatVector.zero(sp);
        long bRow = b.off() * 4;
        int vecEnd = n - n % lanes;
        for (int i = i0; i < i1; i++) {
            float ai = as.getAtIndex(FL, a.off() + i * a.rs());
            FloatVector vai = FloatVector.broadcast(sp, ai);
            long cRow = (c.off() + i * c.rs()) * 4;
            int j = 0;
            for (; j < vecEnd; j += lanes) {
                FloatVector v = vai.fma(FloatVector.fromMemorySegment(sp, bs, bRow + 4L * j, NATIVE), zero).mul(va);
                if (beta != 0) {
                    v = FloatVector.fromMemorySegment(sp, cs, cRow + 4L * j, NATIVE).fma(vb, v);
                }
                v.intoMemorySegment(cs, cRow + 4L * j, NATIVE);
            }
            for (; j < n; j++) {
                float v = alpha * Math.fma(ai, bs.getAtIndex(FL, b.off() + j), 0f);
                if (beta != 0) {
                    v = Math.fma(beta, cs.getAtIndex(FL, c.off() + i * c.rs() + j), v);
                }
                cs.setAtIndex(FL, c.off() + i * c.rs() + j, v);
            }
        }
    }

    /** C ← β·C (C ← 0 without reading it when β = 0): the whole product when k = 0 or α = 0. */
    private static void scale(int m, int n, float beta, Operand c) {
        MemorySegment seg = c.seg();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long off = c.off() + i * c.rs() + j * c.cs();
                seg.setAtIndex(FL, off, beta == 0 ? 0f : beta * seg.getAtIndex(FL, off));
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
