package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.GemmScalar;
import org.inertia.kernels.cpu.KernelPool;
import org.inertia.kernels.simd.FloatSpecies;
import org.inertia.kernels.simd.GemmBlocking;
import org.inertia.kernels.simd.GemmF32;
import org.inertia.kernels.simd.GemmTile;
import org.junit.jupiter.api.Test;

/**
 * The float32 GEMM family (packed SIMD sgemm, gemv, batched) against {@link GemmScalar} run in double on
 * float64 copies of the same inputs, over random sizes, transpose flags, strided views, α and β.
 *
 * <h2>Error bound</h2>
 * Let u = 2⁻²⁴ (float32 unit roundoff) and S_ij = |α|·Σ_p |a_ip||b_pj| + |β c_ij|. α and β are drawn as
 * floats, so passing them as float is exact. The kernel computes each k slice of at most KC terms as a chain
 * of FMAs (one rounding per term, k in all), and writes every slice back with two roundings (α·acc, then the
 * fused add of β·c or of the previous partial C), so ⌈k/KC⌉ slices add 2⌈k/KC⌉ roundings. Every rounding is
 * a relative error of at most u on a partial value bounded by S_ij (to first order), hence
 * |c − ref| ≤ (k + 2⌈k/KC⌉)·u·S_ij + O(u²). Two more u cover the second-order terms and the double reference's
 * own error (≤ k·2⁻⁵³·S, below u for any k here): tolerance γ·S_ij with γ = (k + 2⌈k/KC⌉ + 2)·u. gemv uses the
 * same γ: any summation order of k FMA-fused products rounds each term at most k times on its path, plus α·s and
 * the β fused add. With k = 0 it leaves 2u·|β c|, the rounding of β·c.
 */
class GemmPropertiesTest {
    private static final double U = 0x1p-24;
    private static final int L = FloatSpecies.LANES;
    /** The widest register tile is 3 vectors; sizes around both tile edges are interesting. */
    private static final int NR = 3 * L;
    private static final CpuBackend CPU = CpuBackend.get();

    private final List<NdArray> owned = new ArrayList<>();

    @AfterProperty
    void closeAll() {
        owned.forEach(NdArray::close);
        owned.clear();
    }

    enum Layout { CONTIGUOUS, TRANSPOSED_STORAGE, SUBMATRIX, COLUMN_STEP_2 }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Integer> dims() {
        return Arbitraries.of(0, 1, 2, 3, 5, 7, 8, 9, 13, 17, 31, 53, L - 1, L, L + 1, NR - 1, NR, NR + 1, 2 * NR + 3);
    }

    @Provide
    Arbitrary<Integer> depths() {
        // Depths across one KC slice boundary too.
        return Arbitraries.of(0, 1, 2, 3, 7, 13, 31, L - 1, L, L + 1, 97, GemmF32.KC - 1, GemmF32.KC + 1);
    }

    @Provide
    Arbitrary<Integer> large() {
        return Arbitraries.integers().between(100, 230);
    }

    @Provide
    Arbitrary<Float> scalars() {
        return Arbitraries.oneOf(Arbitraries.of(0f, 1f, -1f), Arbitraries.floats().between(-2f, 2f));
    }

    /** A random float view holding a rows×cols matrix in the given layout. */
    private NdArray matrix(int rows, int cols, Layout layout, SplittableRandom rnd) {
        NdArray base;
        NdArray view;
        switch (layout) {
            case CONTIGUOUS -> view = base = NdArray.zeros(Dtype.F32, rows, cols);
            case TRANSPOSED_STORAGE -> {
                base = NdArray.zeros(Dtype.F32, cols, rows);
                view = base.t();
            }
            case SUBMATRIX -> {
                base = NdArray.zeros(Dtype.F32, rows + 2, cols + 7);
                view = base.slice(0, 1, 1 + rows).slice(1, 4, 4 + cols);
            }
            case COLUMN_STEP_2 -> {
                base = NdArray.zeros(Dtype.F32, rows + 3, 2 * cols + 1);
                view = base.slice(0, 3, 3 + rows).slice(1, 1, 1 + 2 * cols, 2);
            }
            default -> throw new AssertionError(layout);
        }
        owned.add(base);
        fillRandom(view, rnd);
        return view;
    }

    private NdArray vector(int n, boolean stepped, SplittableRandom rnd) {
        NdArray base = NdArray.zeros(Dtype.F32, stepped ? 3 * n + 2 : n);
        owned.add(base);
        NdArray v = stepped ? base.slice(0, 2, 2 + 3 * n, 3) : base;
        fillRandom(v, rnd);
        return v;
    }

    private static void fillRandom(NdArray v, SplittableRandom rnd) {
        v.forEachOffset(off -> v.setAtOffset(off, (float) rnd.nextDouble(-1, 1)));
    }

    private static void fillNaN(NdArray v) {
        v.forEachOffset(off -> v.setAtOffset(off, Double.NaN));
    }

    private NdArray f64(NdArray x) {
        NdArray d = x.toDtype(Dtype.F64);
        owned.add(d);
        return d;
    }

    // ------------------------------------------------------------------ gemm

    @Property(tries = 300)
    void gemmMatchesReference(@ForAll("dims") int m, @ForAll("dims") int n, @ForAll("depths") int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll Layout la, @ForAll Layout lb,
            @ForAll Layout lc, @ForAll("scalars") float alpha, @ForAll("scalars") float beta, @ForAll long seed) {
        checkGemm(m, n, k, transA, transB, la, lb, lc, alpha, beta, new SplittableRandom(seed));
    }

    /**
     * k = 1 (an outer product) runs its own row loop when B and C have unit column strides; it must give the
     * bits of the register-tile path, which the same product takes with B's columns strided, and so must the
     * product with B packed beforehand (the row loop over the packed row). With
     * {@code big} the product is large enough to be split over the pool.
     */
    @Property(tries = 200)
    void outerProductGivesTheTilePathsBits(@ForAll("dims") int m, @ForAll("dims") int n, @ForAll boolean transA,
            @ForAll Layout la, @ForAll Layout lc, @ForAll boolean big, @ForAll("scalars") float alpha,
            @ForAll("scalars") float beta, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int mm = big ? m + 9000 : m;
        int nn = big ? n + 40 : n;
        NdArray a = transA ? matrix(1, mm, la, rnd) : matrix(mm, 1, la, rnd);
        NdArray bUnit = matrix(1, nn, Layout.CONTIGUOUS, rnd);
        NdArray bStep = matrix(1, nn, Layout.COLUMN_STEP_2, rnd);
        CPU.blas1().copy(bUnit, bStep);
        Layout lcUnit = lc == Layout.COLUMN_STEP_2 ? Layout.CONTIGUOUS : lc;
        NdArray c1 = matrix(mm, nn, lcUnit, rnd);
        NdArray c2 = matrix(mm, nn, lcUnit, rnd);
        if (beta == 0) {
            fillNaN(c1); // beta = 0 must not read C
            fillNaN(c2);
        } else {
            CPU.blas1().copy(c1, c2);
        }
        NdArray c3 = matrix(mm, nn, lcUnit, rnd); // B packed beforehand: the row loop over the packed row
        if (beta == 0) {
            fillNaN(c3);
        } else {
            CPU.blas1().copy(c1, c3);
        }
        CPU.gemm().gemm(transA, false, alpha, a, bUnit, beta, c1);
        CPU.gemm().gemm(transA, false, alpha, a, bStep, beta, c2);
        try (PackedGemmOperand packed = CPU.gemm().packB(false, bUnit)) {
            CPU.gemm().gemm(transA, alpha, a, packed, beta, c3);
        }
        float[] x = c1.toFloatArray();
        float[] y = c2.toFloatArray();
        float[] z = c3.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])
                    || Float.floatToIntBits(z[i]) != Float.floatToIntBits(y[i])) {
                throw new AssertionError("outer product m=" + mm + " n=" + nn + " transA=" + transA + " " + la + "/"
                        + lcUnit + " alpha=" + alpha + " beta=" + beta + ": element " + i + " is " + x[i]
                        + " by the row loop, " + z[i] + " by the row loop over packed B, " + y[i]
                        + " by the register tiles");
            }
        }
    }

    /** Big enough to be split over the process-wide pool (2 threads on the CI machine) and over NC/KC blocks. */
    @Property(tries = 6)
    void largeGemmMatchesReference(@ForAll("large") int m, @ForAll("large") int n, @ForAll("large") int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll Layout la, @ForAll Layout lc,
            @ForAll("scalars") float alpha, @ForAll("scalars") float beta, @ForAll long seed) {
        checkGemm(m, n, k + GemmF32.KC, transA, transB, la, Layout.CONTIGUOUS, lc, alpha, beta,
                new SplittableRandom(seed));
    }

    /**
     * Every register tile {@link GemmTile} against the reference, each with random cache blocks: k slices as
     * thin as one step, B blocks of one or a few panels and A blocks of one or a few tiles, on one thread or
     * split over the pool. The rounding bound is the one above with this blocking's k slice depth.
     */
    @Property(tries = 400)
    void everyTileShapeMatchesReference(@ForAll GemmTile tile, @ForAll("dims") int m, @ForAll("dims") int n,
            @ForAll("depths") int k, @ForAll("kcs") int kc, @ForAll @IntRange(min = 1, max = 4) int ncPanels,
            @ForAll @IntRange(min = 1, max = 4) int mcTiles, @ForAll boolean transA, @ForAll boolean transB,
            @ForAll Layout la, @ForAll Layout lb, @ForAll Layout lc, @ForAll("scalars") float alpha,
            @ForAll("scalars") float beta, @ForAll boolean threaded, @ForAll long seed) {
        GemmBlocking bl = new GemmBlocking(tile, kc, mcTiles * tile.mr, ncPanels * tile.nr(), "test");
        KernelPool pool = KernelPool.get();
        checkGemm(m, n, k, transA, transB, la, lb, lc, alpha, beta, new SplittableRandom(seed), bl.kc(),
                bl.describe() + " ", (x, y, z) -> GemmF32.gemm(bl, m, n, k, alpha, operand(x, transA),
                        operand(y, transB), beta, operand(z, false), threaded ? pool.threads() : 1,
                        pool::parallelFor));
    }

    /**
     * A row split over one shared packed B (too large for {@link GemmF32#PRIVATE_B_MAX}, so not copied per
     * task) whose A has enough mc-row blocks to be handed out dynamically, on two tasks, against the
     * reference: near-square C (so the split is by rows) and k chosen to make B just too large.
     */
    @Property(tries = 6)
    void dynamicRowBlocksOverSharedPackedBMatchReference(@ForAll @IntRange(min = 0, max = 40) int extra,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll("scalars") float alpha,
            @ForAll("scalars") float beta, @ForAll long seed) {
        GemmTile tile = GemmBlocking.CHOSEN.tile();
        int m = 8 * 4 * tile.mr + extra; // at least 2 blocks of mc = 2·MR rows per task
        int n = m;
        int k = (int) (GemmF32.PRIVATE_B_MAX / (4L * n)) + 8; // 4·k·n bytes of B > PRIVATE_B_MAX
        GemmBlocking bl = new GemmBlocking(tile, GemmBlocking.CHOSEN.kc(), 2 * tile.mr, GemmBlocking.CHOSEN.nc(),
                "test");
        KernelPool pool = KernelPool.get();
        checkGemm(m, n, k, transA, transB, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS, alpha, beta,
                new SplittableRandom(seed), bl.kc(), bl.describe() + " ", (x, y, z) -> GemmF32.gemm(bl, m, n, k,
                        alpha, operand(x, transA), operand(y, transB), beta, operand(z, false), 2,
                        pool::parallelFor));
    }

    /**
     * A layer-sized product over one shared packed B, from 2^24 multiply-adds (the MLP's forward product
     * 256×784×128 is 2^24.6), cut into small dynamic row blocks on two tasks: against the reference with random
     * views, and bit for bit the one-thread product. B is just too large for a private copy (4·k·128 bytes >
     * {@link GemmF32#PRIVATE_B_MAX}).
     */
    @Property(tries = 4)
    void layerSizedProductOverSharedPackedBInSmallBlocksMatchesReference(
            @ForAll @IntRange(min = 0, max = 40) int extra, @ForAll @IntRange(min = 0, max = 9) int kExtra,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll Layout la, @ForAll Layout lb,
            @ForAll("scalars") float alpha, @ForAll("scalars") float beta, @ForAll long seed) {
        int m = 256 + extra;
        int n = 128;
        int kk = (int) (GemmF32.PRIVATE_B_MAX / (4L * n)) + 8 + kExtra;
        checkTwoTasksWithTheChosenBlocking(m, n, kk, transA, transB, la, lb, alpha, beta, seed);
    }

    /**
     * A row split over a small B (each thread packs its own copy on the first block it takes) handed out in
     * dynamic blocks, with random views and the chosen blocking, on two tasks, against the reference; and
     * bit for bit the same as the one-thread product, since the split never changes an element's order of
     * multiply-adds.
     */
    @Property(tries = 4)
    void dynamicRowBlocksOverPrivatePackedBMatchReference(@ForAll @IntRange(min = 0, max = 70) int extra,
            @ForAll @IntRange(min = 0, max = 9) int kExtra, @ForAll boolean transA, @ForAll boolean transB,
            @ForAll Layout la, @ForAll Layout lb, @ForAll("scalars") float alpha, @ForAll("scalars") float beta,
            @ForAll long seed) {
        // B of 4·300·208 bytes (within PRIVATE_B_MAX on a 512 KiB L2) and C 1100-1170 rows: about 2^26
        // multiply-adds or more, the size from which rows are cut into small blocks, at least two per thread
        int m = 1100 + extra;
        int n = 208;
        int kk = 300 - kExtra;
        checkTwoTasksWithTheChosenBlocking(m, n, kk, transA, transB, la, lb, alpha, beta, seed);
    }

    /**
     * The product with the chosen blocking on two tasks of the shared pool: against the reference, and bit
     * for bit the one-thread product.
     */
    private void checkTwoTasksWithTheChosenBlocking(int m, int n, int kk, boolean transA, boolean transB,
            Layout la, Layout lb, float alpha, float beta, long seed) {
        GemmBlocking bl = GemmBlocking.CHOSEN;
        KernelPool pool = KernelPool.get();
        checkGemm(m, n, kk, transA, transB, la, lb, Layout.CONTIGUOUS, alpha, beta, new SplittableRandom(seed),
                bl.kc(), bl.describe() + " ", (x, y, z) -> GemmF32.gemm(bl, m, n, kk, alpha, operand(x, transA),
                        operand(y, transB), beta, operand(z, false), 2, pool::parallelFor));
        SplittableRandom rnd = new SplittableRandom(seed);
        NdArray a = transA ? matrix(kk, m, la, rnd) : matrix(m, kk, la, rnd);
        NdArray b = transB ? matrix(n, kk, lb, rnd) : matrix(kk, n, lb, rnd);
        NdArray c1 = matrix(m, n, Layout.CONTIGUOUS, rnd);
        NdArray c2 = NdArray.empty(Dtype.F32, m, n);
        owned.add(c2);
        CPU.blas1().copy(c1, c2);
        GemmF32.gemm(bl, m, n, kk, alpha, operand(a, transA), operand(b, transB), beta, operand(c1, false), 1,
                pool::parallelFor);
        GemmF32.gemm(bl, m, n, kk, alpha, operand(a, transA), operand(b, transB), beta, operand(c2, false), 2,
                pool::parallelFor);
        assertArrayEquals(c1.toDoubleArray(), c2.toDoubleArray(), "one thread vs two, m=" + m + " n=" + n
                + " k=" + kk);
    }

    /**
     * A product with B packed beforehand, split into dynamic row blocks over two tasks, gives the bits of the
     * same product on one thread.
     */
    @Property(tries = 4)
    void dynamicRowBlocksOverPrePackedBGiveTheOneThreadBits(@ForAll @IntRange(min = 0, max = 70) int extra,
            @ForAll boolean transA, @ForAll("scalars") float alpha, @ForAll("scalars") float beta,
            @ForAll long seed) {
        int m = 1100 + extra;
        int n = 8 * NR + 3; // with m and k: 2^26 multiply-adds or more, so rows are cut into small blocks
        int k = GemmF32.KC + 1; // two k slices
        SplittableRandom rnd = new SplittableRandom(seed);
        NdArray a = transA ? matrix(k, m, Layout.CONTIGUOUS, rnd) : matrix(m, k, Layout.CONTIGUOUS, rnd);
        NdArray b = matrix(k, n, Layout.CONTIGUOUS, rnd);
        NdArray c1 = matrix(m, n, Layout.CONTIGUOUS, rnd);
        NdArray c2 = NdArray.empty(Dtype.F32, m, n);
        owned.add(c2);
        CPU.blas1().copy(c1, c2);
        KernelPool pool = KernelPool.get();
        try (GemmF32.PackedB pb = GemmF32.pack(k, n, operand(b, false))) {
            GemmF32.gemm(m, n, k, alpha, operand(a, transA), pb, beta, operand(c1, false), 1, pool::parallelFor);
            GemmF32.gemm(m, n, k, alpha, operand(a, transA), pb, beta, operand(c2, false), 2, pool::parallelFor);
        }
        assertArrayEquals(c1.toDoubleArray(), c2.toDoubleArray(), "one thread vs two, m=" + m + " n=" + n);
    }

    @Provide
    Arbitrary<Integer> kcs() {
        return Arbitraries.of(1, 2, 7, 16, 64, 256);
    }

    /** op(X) of a matrix view as GEMM's strided operand, as the CPU facade builds it. */
    private static GemmF32.Operand operand(NdArray x, boolean trans) {
        return new GemmF32.Operand(x.segment(), x.offset(), x.stride(trans ? 1 : 0), x.stride(trans ? 0 : 1));
    }

    /**
     * A B packed once ({@link Backend#packGemmB}) gives the same bits as the unpacked product, in float32 (GEMM's
     * panels) and float64 (a copy for the reference loops), for every transpose and layout; B changed after
     * packing is not seen.
     */
    @Property(tries = 200)
    void packedGemmGivesTheSameBitsAsUnpacked(@ForAll("dims") int m, @ForAll("dims") int n, @ForAll("depths") int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll Layout la, @ForAll Layout lb,
            @ForAll("scalars") float alpha, @ForAll("scalars") float beta, @ForAll boolean f64, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NdArray a = transA ? matrix(k, m, la, rnd) : matrix(m, k, la, rnd);
        NdArray b = transB ? matrix(n, k, lb, rnd) : matrix(k, n, lb, rnd);
        NdArray c = matrix(m, n, Layout.CONTIGUOUS, rnd);
        if (f64) {
            a = f64(a);
            b = f64(b);
            c = f64(c);
        }
        NdArray c2 = NdArray.empty(c.dtype(), m, n);
        owned.add(c2);
        CPU.blas1().copy(c, c2);
        NdArray a0 = a;
        NdArray b0 = f64 ? b : f64(b); // B before it is doubled below
        double[] cInit = c.toDoubleArray();
        CPU.gemm().gemm(transA, transB, alpha, a, b, beta, c);
        try (PackedGemmOperand pb = CPU.gemm().packB(transB, b)) {
            assertEquals(k, pb.k());
            assertEquals(n, pb.n());
            CPU.elementwise().add(b, b, b); // a snapshot: B doubled after packing is not seen
            CPU.gemm().gemm(transA, alpha, a, pb, beta, c2);
        }
        String what = "packed B, m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " "
                + la + "/" + lb + (f64 ? " F64" : " F32");
        if (!f64 && (m == 1) != (n == 1)) {
            // The unpacked call sends a one-row or one-column float32 C to GEMV (another summation order);
            // the packed one stays on GEMM: both within the bound of the class comment.
            NdArray a64 = f64(a0);
            double[] absAB = absProduct(a64, transA, b0, transB, m, n, k);
            NdArray ref = NdArray.empty(Dtype.F64, m, n);
            owned.add(ref);
            ref.copyFrom(cInit);
            GemmScalar.INSTANCE.gemm(transA, transB, alpha, a64, b0, beta, ref);
            assertWithin(what, c2.toDoubleArray(), ref.toDoubleArray(), absAB, cInit, alpha, beta, k);
        } else {
            assertArrayEquals(c.toDoubleArray(), c2.toDoubleArray(), what);
        }
    }

    @Test
    void packedOperandIsCheckedAndClosable() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 4, 3); NdArray b = NdArray.zeros(Dtype.F32, 3, 5);
                NdArray c = NdArray.zeros(Dtype.F32, 4, 5); NdArray wrong = NdArray.zeros(Dtype.F32, 4, 4);
                NdArray a64 = NdArray.zeros(Dtype.F64, 4, 3)) {
            PackedGemmOperand pb = CPU.gemm().packB(false, b);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CPU.gemm().gemm(false, 1, wrong, pb, 0, c));
            assertTrue(e.getMessage().contains("op(A) is 4x4 but op(B) is 3x5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, 1, a64, pb, 0, c));
            assertTrue(e.getMessage().contains("F64"), e.getMessage());
            pb.close();
            pb.close(); // harmless
            assertTrue(pb.isClosed());
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> CPU.gemm().gemm(false, 1, a, pb, 0, c));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        }
    }

    @Test
    void parsesTileSpecsAndRejectsUnsupportedOnes() {
        for (GemmTile t : GemmTile.values()) {
            assertEquals(t, GemmTile.parse(t.label()));
            assertEquals(t, GemmTile.parse(" " + t.mr + "X" + t.nr() + " "));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmTile.parse("5x7"));
        assertTrue(e.getMessage().contains("inertia.gemm.tile=5x7") && e.getMessage().contains(GemmTile.T4X2.label()),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmTile.parse("bogus"));
        assertThrows(IllegalArgumentException.class, () -> new GemmBlocking(GemmTile.T4X2, 0, 8, 8, "test"));
        GemmBlocking rounded = new GemmBlocking(GemmTile.T4X2, 256, 10, 1, "test");
        assertEquals(8, rounded.mc());
        assertEquals(GemmTile.T4X2.nr(), rounded.nc());
    }

    @Test
    void wideAndTallProductsSplitAcrossThreadsMatchReference() {
        assertTrue(KernelPool.get().threads() >= 1);
        // Wide C splits by columns, tall C by rows; both wider than one NC block of 768 columns.
        checkGemm(70, 800, 60, false, false, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS, 1.5f, 0f,
                new SplittableRandom(1));
        checkGemm(900, 40, 50, true, true, Layout.SUBMATRIX, Layout.TRANSPOSED_STORAGE, Layout.CONTIGUOUS, -1f,
                0.5f, new SplittableRandom(2));
        closeAll();
    }

    private void checkGemm(int m, int n, int k, boolean transA, boolean transB, Layout la, Layout lb, Layout lc,
            float alpha, float beta, SplittableRandom rnd) {
        checkGemm(m, n, k, transA, transB, la, lb, lc, alpha, beta, rnd, GemmF32.KC, "",
                (x, y, z) -> CPU.gemm().gemm(transA, transB, alpha, x, y, beta, z));
    }

    /** The float32 product under test, C ← α·op(A)·op(B) + β·C on views. */
    @FunctionalInterface
    private interface Product {
        void run(NdArray a, NdArray b, NdArray c);
    }

    /** Runs {@code product} and the double reference on the same operands; the bound uses k slices of kc. */
    private void checkGemm(int m, int n, int k, boolean transA, boolean transB, Layout la, Layout lb, Layout lc,
            float alpha, float beta, SplittableRandom rnd, int kc, String prefix, Product product) {
        NdArray a = transA ? matrix(k, m, la, rnd) : matrix(m, k, la, rnd);
        NdArray b = transB ? matrix(n, k, lb, rnd) : matrix(k, n, lb, rnd);
        NdArray c = matrix(m, n, lc, rnd);
        if (beta == 0) {
            fillNaN(c); // beta = 0 must not read C
        }
        NdArray a64 = f64(a);
        NdArray b64 = f64(b);
        NdArray c64 = f64(c);
        double[] c0 = c64.toDoubleArray();
        double[] absAB = absProduct(a64, transA, b64, transB, m, n, k);

        product.run(a, b, c);
        GemmScalar.INSTANCE.gemm(transA, transB, alpha, a64, b64, beta, c64);

        String what = prefix + "gemm m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " " + la
                + "/" + lb + "/" + lc + " alpha=" + alpha + " beta=" + beta;
        assertWithin(what, c.toDoubleArray(), c64.toDoubleArray(), absAB, c0, alpha, beta, k, kc);
    }

    /** Σ_p |op(A)_ip|·|op(B)_pj| for every (i, j), row-major. */
    private static double[] absProduct(NdArray a64, boolean transA, NdArray b64, boolean transB, int m, int n, int k) {
        double[] a = a64.toDoubleArray(); // stored row-major, contiguous
        double[] b = b64.toDoubleArray();
        double[] s = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = Math.abs(transA ? a[p * m + i] : a[i * k + p]);
                for (int j = 0; j < n; j++) {
                    s[i * n + j] += aip * Math.abs(transB ? b[j * k + p] : b[p * n + j]);
                }
            }
        }
        return s;
    }

    private static void assertWithin(String what, double[] got, double[] ref, double[] absAB, double[] c0,
            float alpha, float beta, int k) {
        assertWithin(what, got, ref, absAB, c0, alpha, beta, k, GemmF32.KC);
    }

    /** The bound of the class comment, with k split into slices of at most {@code kc}. */
    private static void assertWithin(String what, double[] got, double[] ref, double[] absAB, double[] c0,
            float alpha, float beta, int k, int kc) {
        double gamma = (k + 2.0 * Math.ceilDiv(k, kc) + 2) * U;
        for (int i = 0; i < got.length; i++) {
            double betaTerm = beta == 0 ? 0 : Math.abs(beta * c0[i]);
            double tol = gamma * (Math.abs(alpha) * absAB[i] + betaTerm);
            double err = Math.abs(got[i] - ref[i]);
            if (!(err <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", reference " + ref[i]
                        + ", error " + err + " > bound " + tol);
            }
        }
    }

    // ------------------------------------------------------------------ gemv

    @Property(tries = 200)
    void gemvMatchesReference(@ForAll("dims") int m, @ForAll("depths") int k, @ForAll boolean transA,
            @ForAll Layout la, @ForAll boolean xStepped, @ForAll boolean yStepped, @ForAll("scalars") float alpha,
            @ForAll("scalars") float beta, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NdArray a = transA ? matrix(k, m, la, rnd) : matrix(m, k, la, rnd);
        NdArray x = vector(k, xStepped, rnd);
        NdArray y = vector(m, yStepped, rnd);
        if (beta == 0) {
            fillNaN(y);
        }
        NdArray a64 = f64(a);
        NdArray x64 = f64(x);
        NdArray y64 = f64(y);
        double[] y0 = y64.toDoubleArray();
        double[] absAx = absProduct(a64, transA, x64.reshape(k, 1), false, m, 1, k);

        CPU.gemm().gemv(transA, alpha, a, x, beta, y);
        GemmScalar.INSTANCE.gemv(transA, alpha, a64, x64, beta, y64);

        assertWithin("gemv m=" + m + " k=" + k + " transA=" + transA + " " + la + " x stepped " + xStepped
                + " y stepped " + yStepped + " alpha=" + alpha + " beta=" + beta, y.toDoubleArray(),
                y64.toDoubleArray(), absAx, y0, alpha, beta, k);
    }

    // ------------------------------------------------------------------ gemmBatched

    @Property(tries = 100)
    void gemmBatchedMatchesReference(@ForAll("batches") int batch, @ForAll("dims") int m, @ForAll("dims") int n,
            @ForAll("depths") int k, @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean broadcastA,
            @ForAll boolean broadcastB, @ForAll("scalars") float alpha, @ForAll("scalars") float beta,
            @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NdArray a = batched(batch, transA ? k : m, transA ? m : k, broadcastA, rnd);
        NdArray b = batched(batch, transB ? n : k, transB ? k : n, broadcastB, rnd);
        NdArray c = batched(batch, m, n, false, rnd);
        if (beta == 0) {
            fillNaN(c);
        }
        NdArray a64 = f64(a);
        NdArray b64 = f64(b);
        NdArray c64 = f64(c);
        double[] c0 = c64.toDoubleArray();

        CPU.gemm().gemmBatched(transA, transB, alpha, a, b, beta, c);
        GemmScalar.INSTANCE.gemmBatched(transA, transB, alpha, a64, b64, beta, c64);

        double[] got = c.toDoubleArray();
        double[] ref = c64.toDoubleArray();
        int mn = m * n;
        for (int t = 0; t < batch; t++) {
            double[] absAB = absProduct(a64.select(0, t), transA, b64.select(0, t), transB, m, n, k);
            assertWithin("gemmBatched t=" + t + " of " + batch + " m=" + m + " n=" + n + " k=" + k + " broadcast "
                    + broadcastA + "/" + broadcastB, slice(got, t * mn, mn), slice(ref, t * mn, mn), absAB,
                    slice(c0, t * mn, mn), alpha, beta, k);
        }
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Arbitraries.of(0, 1, 2, 3, 7);
    }

    private static double[] slice(double[] x, int from, int len) {
        return java.util.Arrays.copyOfRange(x, from, from + len);
    }

    /** batch×rows×cols; broadcast gives batch stride 0, otherwise matrices are stored transposed at random. */
    private NdArray batched(int batch, int rows, int cols, boolean broadcast, SplittableRandom rnd) {
        if (broadcast) {
            return matrix(rows, cols, Layout.SUBMATRIX, rnd).unsqueeze(0).broadcastTo(Shape.of(batch, rows, cols));
        }
        NdArray base;
        NdArray view;
        if (rnd.nextBoolean()) {
            base = NdArray.zeros(Dtype.F32, batch, cols, rows);
            view = base.transpose(1, 2);
        } else {
            view = base = NdArray.zeros(Dtype.F32, batch, rows, cols);
        }
        owned.add(base);
        fillRandom(view, rnd);
        return view;
    }

    // ------------------------------------------------------------------ examples and bad input

    @Test
    void smallExampleInBothDtypes() {
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray a = NdArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).toDtype(dt);
                    NdArray b = NdArray.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2).toDtype(dt);
                    NdArray c = NdArray.full(dt, 1, 2, 2)) {
                CPU.gemm().gemm(false, false, 2, a, b, 10, c);
                // A·B = [[4, 5], [10, 11]]; 2·A·B + 10 = [[18, 20], [30, 32]].
                assertArrayEquals(new double[] {18, 20, 30, 32}, c.toDoubleArray(), dt.toString());
            }
        }
    }

    @Test
    void innerDimensionMismatchNamesBothShapes() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 3, 4); NdArray b = NdArray.zeros(Dtype.F32, 5, 2);
                NdArray c = NdArray.zeros(Dtype.F32, 3, 2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, false, 1, a, b, 0, c));
            assertTrue(e.getMessage().contains("op(A) is 3x4") && e.getMessage().contains("op(B) is 5x2"),
                    e.getMessage());
            var t = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(true, false, 1, a, b, 0, c));
            assertTrue(t.getMessage().contains("op(A) is 4x3"), t.getMessage());
        }
    }

    @Test
    void badShapesRanksAndDtypesAreRejected() {
        try (NdArray a = NdArray.zeros(Dtype.F32, 3, 4); NdArray b = NdArray.zeros(Dtype.F32, 4, 2);
                NdArray c = NdArray.zeros(Dtype.F32, 2, 3); NdArray v = NdArray.zeros(Dtype.F32, 4);
                NdArray d = NdArray.zeros(Dtype.F64, 3, 2); NdArray a3 = NdArray.zeros(Dtype.F32, 2, 3, 4);
                NdArray b3 = NdArray.zeros(Dtype.F32, 3, 4, 2); NdArray c3 = NdArray.zeros(Dtype.F32, 2, 3, 2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, false, 1, a, b, 0, c));
            assertTrue(e.getMessage().contains("C is 2x3") && e.getMessage().contains("3x2"), e.getMessage());
            var r = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, false, 1, a, v, 0, c));
            assertTrue(r.getMessage().contains("B") && r.getMessage().contains("[4]"), r.getMessage());
            var mixed = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, false, 1, a, b, 0, d));
            assertTrue(mixed.getMessage().contains("F64"), mixed.getMessage());
            var gv = assertThrows(IllegalArgumentException.class,
                    () -> CPU.gemm().gemv(false, 1, a, v.slice(0, 0, 3), 0, v.slice(0, 0, 3)));
            assertTrue(gv.getMessage().contains("3x4") && gv.getMessage().contains("length 3"), gv.getMessage());
            var bt = assertThrows(IllegalArgumentException.class,
                    () -> CPU.gemm().gemmBatched(false, false, 1, a3, b3, 0, c3));
            assertTrue(bt.getMessage().contains("[3, 4, 2]") && bt.getMessage().contains("[2, 3, 4]"),
                    bt.getMessage());
            var br = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemmBatched(false, false, 1, a, b, 0, c));
            assertTrue(br.getMessage().contains("rank 3"), br.getMessage());
        }
    }

    @Test
    void outputOverlappingAnInputIsRejected() {
        try (NdArray base = NdArray.zeros(Dtype.F32, 8, 8)) {
            NdArray a = base.slice(0, 0, 4).slice(1, 0, 4);
            NdArray b = base.slice(0, 4, 8).slice(1, 0, 4);
            NdArray c = base.slice(0, 2, 6).slice(1, 4, 8); // shares rows 2-3 with A's span
            var e = assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, false, 1, a, b, 0, c));
            assertTrue(e.getMessage().contains("C") && e.getMessage().contains("A"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CPU.gemm().gemm(false, false, 1, a, b, 0, a));
        }
    }

    @Test
    void closedOperandThrowsIllegalState() {
        NdArray a = NdArray.zeros(Dtype.F32, 2, 2);
        try (NdArray b = NdArray.zeros(Dtype.F32, 2, 2); NdArray c = NdArray.zeros(Dtype.F32, 2, 2);
                NdArray x = NdArray.zeros(Dtype.F32, 2); NdArray y = NdArray.zeros(Dtype.F32, 2)) {
            a.close();
            assertThrows(IllegalStateException.class, () -> CPU.gemm().gemm(false, false, 1, a, b, 0, c));
            assertThrows(IllegalStateException.class, () -> CPU.gemm().gemv(false, 1, a, x, 0, y));
            assertThrows(IllegalStateException.class, () -> CPU.gemm().gemmBatched(false, false, 1,
                    a.unsqueeze(0), b.unsqueeze(0), 0, c.unsqueeze(0)));
        }
    }
}
