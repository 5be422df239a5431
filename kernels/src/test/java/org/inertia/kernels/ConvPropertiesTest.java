package org.inertia.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.cpu.ConvScalar;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.SimdSupport;
import org.inertia.kernels.simd.FloatSpecies;

/**
 * The float32 convolution kernels ({@link CpuConv} on F32, i.e. {@code simd.ConvKernels}) against the
 * double-precision {@link ConvScalar} run on F64 copies of the same inputs, on random shapes,
 * windows and strided views; adjoint identities; hand-derived PyTorch examples; bad input.
 *
 * <p>Error bounds (u = eps32 = 2⁻²⁴, m = kH·kW):
 * <ul>
 * <li>im2col and max pooling copy or select input values: exact.</li>
 * <li>col2im: pixel p receives at most m column entries (for a fixed (ki, kj) the map (oh, ow) → pixel
 *     is injective). Recursive float summation of k ≤ m terms from 0 errs by at most
 *     γ_{k−1}·Σ|t| ≤ m·u·Σ|t| (γ_j = j·u/(1 − j·u), and γ_{m−1} ≤ m·u while m(m−1)u ≤ 1). Σ|t| is the
 *     reference col2im of |columns|. The double reference adds ≤ m·2⁻⁵³·Σ|t|; one MIN_VALUE per term
 *     covers subnormal underflow.</li>
 * <li>max-pool backward: the same argument (each pixel is the argmax of at most m windows), Σ|t| from
 *     the reference backward of |gradOut|.</li>
 * <li>avg pooling: fl(fl(Σ x)/d): ≤ γ_{m−1}·S/d for the sum plus u·|result| for the division, S = Σ|x|
 *     over the window; to first order m·u·S/d, and the neglected O(m²u²) terms are below m·u·2⁻¹⁰
 *     since m ≤ 16. Checked as m·u·(1 + 2⁻¹⁰)·S/d with S/d = reference avg pool of |x|.</li>
 * <li>avg-pool backward: each pixel sums at most m shares fl(g/d) (u each) in float: first order
 *     u + (m − 1)·u = m·u times Σ|g/d|, the reference backward of |gradOut|; same slack.</li>
 * </ul>
 */
class ConvPropertiesTest {
    private static final double U = 0x1p-24;
    private static final double U64 = 0x1p-53;
    private static final int LANES = FloatSpecies.LANES;

    /** One random call: image [n, c, h, w], a window that fits, operand layouts and a value seed. */
    record Case(int n, int c, int h, int w, Conv2dGeometry g, int inLayout, int outLayout, long seed) {
        int m() {
            return g.kernelH() * g.kernelW();
        }

        int[] image() {
            return new int[] {n, c, h, w};
        }

        int[] pooled() {
            return new int[] {n, c, g.outH(h), g.outW(w)};
        }

        int[] columns() {
            return new int[] {n, c * m(), g.outH(h) * g.outW(w)};
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> cases() {
        return cases(Arbitraries.integers().between(1, 3), Arbitraries.of(1, 2, 3, 5),
                Arbitraries.oneOf(Arbitraries.of(1, 2, 3, 5, 7, 13, LANES - 1, LANES, LANES + 1, 2 * LANES + 1),
                        Arbitraries.integers().between(1, 40)));
    }

    /** Calls big enough (> 10⁵ inner steps) to run on the kernel pool. */
    @Provide
    Arbitrary<Case> largeCases() {
        return cases(Arbitraries.integers().between(2, 3), Arbitraries.integers().between(6, 9),
                Arbitraries.integers().between(40, 67));
    }

    private static Arbitrary<Case> cases(Arbitrary<Integer> batch, Arbitrary<Integer> channels, Arbitrary<Integer> side) {
        Arbitrary<int[]> dims = Combinators.combine(batch, channels, side, side).as((n, c, h, w) -> new int[] {n, c, h, w});
        Arbitrary<Integer> k = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> s = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> p = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> d = Arbitraries.integers().between(1, 2);
        Arbitrary<int[]> window = Combinators.combine(k, k, s, s, p, p, d, d)
                .as((kh, kw, sh, sw, ph, pw, dh, dw) -> new int[] {kh, kw, sh, sw, ph, pw, dh, dw});
        Arbitrary<Integer> layout = Arbitraries.integers().between(0, 3);
        return Combinators.combine(dims, window, layout, layout, Arbitraries.longs())
                .as((dm, wn, li, lo, seed) -> {
                    // Shrink the kernel until its dilated span fits the padded image: span = d(k−1)+1 ≤ size + 2p.
                    int kh = Math.min(wn[0], (dm[2] + 2 * wn[4] - 1) / wn[6] + 1);
                    int kw = Math.min(wn[1], (dm[3] + 2 * wn[5] - 1) / wn[7] + 1);
                    Conv2dGeometry g = new Conv2dGeometry(kh, kw, wn[2], wn[3], wn[4], wn[5], wn[6], wn[7]);
                    return new Case(dm[0], dm[1], dm[2], dm[3], g, li, lo, seed);
                });
    }

    /**
     * The case with PyTorch's pooling constraint pad ≤ kernel/2; rejected if the smaller padding no longer
     * fits the window or a window still lies entirely in padding (possible with dilation).
     */
    private static Case pooling(Case cs) {
        Conv2dGeometry g = cs.g();
        Conv2dGeometry p = new Conv2dGeometry(g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
                Math.min(g.padH(), g.kernelH() / 2), Math.min(g.padW(), g.kernelW() / 2), g.dilationH(), g.dilationW());
        Assume.that(cs.h() + 2 * p.padH() >= p.dilationH() * (p.kernelH() - 1) + 1
                && cs.w() + 2 * p.padW() >= p.dilationW() * (p.kernelW() - 1) + 1);
        Assume.that(windowsHoldPixels(cs.h(), p.kernelH(), p.strideH(), p.padH(), p.dilationH())
                && windowsHoldPixels(cs.w(), p.kernelW(), p.strideW(), p.padW(), p.dilationW()));
        return new Case(cs.n(), cs.c(), cs.h(), cs.w(), p, cs.inLayout(), cs.outLayout(), cs.seed());
    }

    private static boolean windowsHoldPixels(int size, int k, int s, int p, int d) {
        int out = (size + 2 * p - d * (k - 1) - 1) / s + 1;
        for (int o = 0; o < out; o++) {
            boolean any = false;
            for (int t = 0; t < k; t++) {
                int i = o * s - p + t * d;
                any |= i >= 0 && i < size;
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * A view of the given shape: 0 contiguous; 1 a window of a larger array with an offset; 2 a
     * permutation of differently ordered storage; 3 every other element of a twice-as-wide last axis.
     */
    static NdArray view(Dtype dtype, int[] dims, int layout, Random rnd) {
        int r = dims.length;
        switch (layout) {
            case 1 -> {
                int[] big = new int[r];
                int[] start = new int[r];
                for (int i = 0; i < r; i++) {
                    start[i] = rnd.nextInt(3);
                    big[i] = dims[i] + start[i] + rnd.nextInt(3);
                }
                NdArray a = NdArray.zeros(dtype, big);
                for (int i = 0; i < r; i++) {
                    a = a.slice(i, start[i], start[i] + dims[i]);
                }
                return a;
            }
            case 2 -> {
                int[] perm = shuffled(r, rnd);
                int[] stored = new int[r];
                int[] inverse = new int[r];
                for (int i = 0; i < r; i++) {
                    stored[i] = dims[perm[i]];
                    inverse[perm[i]] = i;
                }
                return NdArray.zeros(dtype, stored).permute(inverse);
            }
            case 3 -> {
                if (dims[r - 1] == 0) {
                    return NdArray.zeros(dtype, dims);
                }
                int[] wide = dims.clone();
                wide[r - 1] = 2 * dims[r - 1];
                return NdArray.zeros(dtype, wide).slice(r - 1, 1, wide[r - 1], 2);
            }
            default -> {
                return NdArray.zeros(dtype, dims);
            }
        }
    }

    private static int[] shuffled(int r, Random rnd) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        for (int i = r - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Fills a view with values of mixed magnitude; a quarter are multiples of 1/4 in [−1, 1] so max
     * pooling meets ties; with {@code specials} a few are NaN or −∞.
     */
    static NdArray fill(NdArray a, Random rnd, boolean specials) {
        a.forEachOffset(off -> {
            double v = rnd.nextInt(4) == 0 ? (rnd.nextInt(9) - 4) / 4.0
                    : Math.scalb(rnd.nextDouble() * 2 - 1, rnd.nextInt(7) - 3);
            if (specials && rnd.nextInt(40) == 0) {
                v = rnd.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
            }
            a.setAtOffset(off, v);
        });
        return a;
    }

    /** Fills the whole storage of an output view with a sentinel so unwritten or stray writes show. */
    static NdArray poison(NdArray a) {
        for (long i = 0; i < a.storage().length(); i++) {
            a.setAtOffset(i, 7.0);
        }
        return a;
    }

    /** Asserts every storage element outside the view still holds the sentinel. */
    static void untouchedOutside(NdArray a) {
        Set<Long> inside = new HashSet<>();
        a.forEachOffset(inside::add);
        for (long i = 0; i < a.storage().length(); i++) {
            if (!inside.contains(i)) {
                assertEquals(7.0, a.getAtOffset(i), "storage element " + i + " outside the view was written");
            }
        }
    }

    static NdArray f64(NdArray a) {
        return a.toDtype(Dtype.F64);
    }

    static NdArray abs(NdArray a) {
        NdArray r = a.toDtype(Dtype.F64);
        r.forEachOffset(off -> r.setAtOffset(off, Math.abs(r.getAtOffset(off))));
        return r;
    }

    static void assertExact(NdArray ref, NdArray got, String what) {
        double[] e = ref.toDoubleArray();
        double[] g = got.toDoubleArray();
        assertEquals(e.length, g.length);
        for (int i = 0; i < e.length; i++) {
            if (Double.compare(e[i], g[i]) != 0) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", reference " + e[i]);
            }
        }
    }

    /** |got − ref| ≤ factor·scale + absolute, elementwise; NaN only where the reference is NaN. */
    static void assertWithin(NdArray ref, NdArray got, NdArray scale, double factor, double absolute, String what) {
        double[] e = ref.toDoubleArray();
        double[] g = got.toDoubleArray();
        double[] s = scale.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double tol = factor * s[i] + absolute;
            if (!(Math.abs(g[i] - e[i]) <= tol) && !(Double.isNaN(e[i]) && Double.isNaN(g[i]))) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", reference " + e[i]
                        + ", tolerance " + tol);
            }
        }
    }

    // ------------------------------------------------------------------ fast path vs reference

    @Property(tries = 150)
    void im2colIsExact(@ForAll("cases") Case cs) {
        checkIm2col(cs);
    }

    @Property(tries = 150)
    void col2imWithinSummationBound(@ForAll("cases") Case cs) {
        checkCol2im(cs);
    }

    @Property(tries = 150)
    void maxPoolIsExactWithIndices(@ForAll("cases") Case raw) {
        checkMaxPool(pooling(raw));
    }

    @Property(tries = 150)
    void maxPoolBackwardWithinSummationBound(@ForAll("cases") Case raw) {
        checkMaxPoolBackward(pooling(raw));
    }

    @Property(tries = 150)
    void avgPoolWithinBound(@ForAll("cases") Case raw, @ForAll boolean countIncludePad) {
        checkAvgPool(countIncludePad ? raw : pooling(raw), countIncludePad);
    }

    @Property(tries = 150)
    void avgPoolBackwardWithinBound(@ForAll("cases") Case raw, @ForAll boolean countIncludePad) {
        checkAvgPoolBackward(countIncludePad ? raw : pooling(raw), countIncludePad);
    }

    @Property(tries = 6)
    void largeCallsOnThePoolMatchTheReference(@ForAll("largeCases") Case cs) {
        checkIm2col(cs);
        checkCol2im(cs);
        Case p = pooling(cs);
        checkMaxPool(p);
        checkMaxPoolBackward(p);
        checkAvgPool(p, false);
        checkAvgPoolBackward(p, true);
    }

    private static void checkIm2col(Case cs) {
        Random rnd = new Random(cs.seed());
        try (NdArray x = fill(view(Dtype.F32, cs.image(), cs.inLayout(), rnd), rnd, true);
             NdArray cols = poison(view(Dtype.F32, cs.columns(), cs.outLayout(), rnd));
             NdArray ref = NdArray.zeros(Dtype.F64, cs.columns());
             NdArray x64 = f64(x)) {
            CpuBackend.get().conv().im2col(x, cs.g(), cols);
            ConvScalar.INSTANCE.im2col(x64, cs.g(), ref);
            assertExact(ref, cols, "im2col " + cs);
            untouchedOutside(cols);
        }
    }

    private static void checkCol2im(Case cs) {
        Random rnd = new Random(cs.seed());
        try (NdArray cols = fill(view(Dtype.F32, cs.columns(), cs.inLayout(), rnd), rnd, false);
             NdArray img = poison(view(Dtype.F32, cs.image(), cs.outLayout(), rnd));
             NdArray ref = NdArray.zeros(Dtype.F64, cs.image());
             NdArray scale = NdArray.zeros(Dtype.F64, cs.image());
             NdArray c64 = f64(cols); NdArray cAbs = abs(cols)) {
            CpuBackend.get().conv().col2im(cols, cs.g(), img);
            ConvScalar.INSTANCE.col2im(c64, cs.g(), ref);
            ConvScalar.INSTANCE.col2im(cAbs, cs.g(), scale);
            int m = cs.m();
            assertWithin(ref, img, scale, m * U + m * U64, m * Float.MIN_VALUE, "col2im " + cs);
            untouchedOutside(img);
        }
    }

    private static void checkMaxPool(Case cs) {
        Random rnd = new Random(cs.seed());
        try (NdArray x = fill(view(Dtype.F32, cs.image(), cs.inLayout(), rnd), rnd, true);
             NdArray out = poison(view(Dtype.F32, cs.pooled(), cs.outLayout(), rnd));
             NdArray idx = view(Dtype.I32, cs.pooled(), (cs.outLayout() + 1) % 4, rnd);
             NdArray ref = NdArray.zeros(Dtype.F64, cs.pooled());
             NdArray refIdx = NdArray.zeros(Dtype.I32, cs.pooled());
             NdArray x64 = f64(x)) {
            CpuBackend.get().conv().maxPool2d(x, cs.g(), out, idx);
            ConvScalar.INSTANCE.maxPool2d(x64, cs.g(), ref, refIdx);
            assertExact(ref, out, "max pool " + cs);
            assertArrayEquals(refIdx.toIntArray(), idx.toIntArray(), "max pool indices " + cs);
            untouchedOutside(out);
        }
    }

    private static void checkMaxPoolBackward(Case cs) {
        Random rnd = new Random(cs.seed());
        try (NdArray x = fill(NdArray.zeros(Dtype.F32, cs.image()), rnd, false);
             NdArray out = NdArray.zeros(Dtype.F32, cs.pooled());
             NdArray idx = view(Dtype.I32, cs.pooled(), cs.outLayout(), rnd);
             NdArray gradOut = fill(view(Dtype.F32, cs.pooled(), cs.inLayout(), rnd), rnd, false);
             NdArray gradIn = poison(view(Dtype.F32, cs.image(), cs.outLayout(), rnd));
             NdArray ref = NdArray.zeros(Dtype.F64, cs.image());
             NdArray scale = NdArray.zeros(Dtype.F64, cs.image());
             NdArray g64 = f64(gradOut); NdArray gAbs = abs(gradOut)) {
            CpuBackend.get().conv().maxPool2d(x, cs.g(), out, idx);
            CpuBackend.get().conv().maxPool2dBackward(gradOut, idx, gradIn);
            ConvScalar.INSTANCE.maxPool2dBackward(g64, idx, ref);
            ConvScalar.INSTANCE.maxPool2dBackward(gAbs, idx, scale);
            int m = cs.m();
            assertWithin(ref, gradIn, scale, m * U + m * U64, m * Float.MIN_VALUE, "max pool backward " + cs);
            untouchedOutside(gradIn);
        }
    }

    private static void checkAvgPool(Case cs, boolean countIncludePad) {
        Random rnd = new Random(cs.seed());
        try (NdArray x = fill(view(Dtype.F32, cs.image(), cs.inLayout(), rnd), rnd, false);
             NdArray out = poison(view(Dtype.F32, cs.pooled(), cs.outLayout(), rnd));
             NdArray ref = NdArray.zeros(Dtype.F64, cs.pooled());
             NdArray scale = NdArray.zeros(Dtype.F64, cs.pooled());
             NdArray x64 = f64(x); NdArray xAbs = abs(x)) {
            CpuBackend.get().conv().avgPool2d(x, cs.g(), countIncludePad, out);
            ConvScalar.INSTANCE.avgPool2d(x64, cs.g(), countIncludePad, ref);
            ConvScalar.INSTANCE.avgPool2d(xAbs, cs.g(), countIncludePad, scale);
            int m = cs.m();
            assertWithin(ref, out, scale, m * U * (1 + 0x1p-10), m * Float.MIN_VALUE,
                    "avg pool " + countIncludePad + " " + cs);
            untouchedOutside(out);
        }
    }

    private static void checkAvgPoolBackward(Case cs, boolean countIncludePad) {
        Random rnd = new Random(cs.seed());
        try (NdArray gradOut = fill(view(Dtype.F32, cs.pooled(), cs.inLayout(), rnd), rnd, false);
             NdArray gradIn = poison(view(Dtype.F32, cs.image(), cs.outLayout(), rnd));
             NdArray ref = NdArray.zeros(Dtype.F64, cs.image());
             NdArray scale = NdArray.zeros(Dtype.F64, cs.image());
             NdArray g64 = f64(gradOut); NdArray gAbs = abs(gradOut)) {
            CpuBackend.get().conv().avgPool2dBackward(gradOut, cs.g(), countIncludePad, gradIn);
            ConvScalar.INSTANCE.avgPool2dBackward(g64, cs.g(), countIncludePad, ref);
            ConvScalar.INSTANCE.avgPool2dBackward(gAbs, cs.g(), countIncludePad, scale);
            int m = cs.m();
            assertWithin(ref, gradIn, scale, m * U * (1 + 0x1p-10), m * Float.MIN_VALUE,
                    "avg pool backward " + countIncludePad + " " + cs);
            untouchedOutside(gradIn);
        }
    }

    // ------------------------------------------------------------------ adjoint identities

    /** Σ a_i·b_i and Σ |a_i·b_i| in double over two views of one shape; index 0 and 1 of the result. */
    static double[] dot(NdArray a, NdArray b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        double t = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
            t += Math.abs(x[i] * y[i]);
        }
        return new double[] {s, t};
    }

    /**
     * ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ for the float32 path and the float64 path. Let S = ⟨|im2col x|, |y|⟩,
     * K = the number of column entries. Float32: im2col is exact and float·float products are exact in
     * double, so the left side errs only by the double sum, ≤ K·2⁻⁵³·S; col2im(y) errs per pixel by
     * ≤ m·u·col2im(|y|), which weighted by |x| sums to m·u·S; the right-hand double sum adds another
     * K·2⁻⁵³·S. Float64: the same with u replaced by 2⁻⁵³.
     */
    @Property(tries = 100)
    void col2imIsTheAdjointOfIm2col(@ForAll("cases") Case cs, @ForAll boolean float64) {
        Random rnd = new Random(cs.seed());
        Dtype dt = float64 ? Dtype.F64 : Dtype.F32;
        double unit = float64 ? U64 : U;
        try (NdArray x = fill(view(dt, cs.image(), cs.inLayout(), rnd), rnd, false);
             NdArray y = fill(view(dt, cs.columns(), cs.outLayout(), rnd), rnd, false);
             NdArray cols = NdArray.zeros(dt, cs.columns());
             NdArray img = NdArray.zeros(dt, cs.image())) {
            CpuBackend.get().conv().im2col(x, cs.g(), cols);
            CpuBackend.get().conv().col2im(y, cs.g(), img);
            double[] left = dot(cols, y);
            double[] right = dot(x, img);
            long k = cols.numel();
            double tol = (cs.m() * unit + 2 * k * U64) * left[1] + cs.m() * Double.MIN_NORMAL;
            assertTrue(Math.abs(left[0] - right[0]) <= tol,
                    "<im2col x, y> = " + left[0] + " but <x, col2im y> = " + right[0] + ", tolerance " + tol + " " + cs);
        }
    }

    /**
     * ⟨avgPool(x), y⟩ = ⟨x, avgPoolBackward(y)⟩. With S = ⟨avgPool(|x|), |y|⟩ (= ⟨|x|, avgPoolBackward |y|⟩):
     * the forward errs per output by m·u·(1 + 2⁻¹⁰)·avgPool(|x|), weighted by |y| ≤ m·u·(1 + 2⁻¹⁰)·S;
     * the backward likewise; the two double dot products add ≤ 2·K·2⁻⁵³·S each, K the larger size.
     */
    @Property(tries = 100)
    void avgPoolBackwardIsTheAdjoint(@ForAll("cases") Case raw, @ForAll boolean countIncludePad,
                                     @ForAll boolean float64) {
        Case cs = countIncludePad ? raw : pooling(raw);
        Random rnd = new Random(cs.seed());
        Dtype dt = float64 ? Dtype.F64 : Dtype.F32;
        double unit = float64 ? U64 : U;
        try (NdArray x = fill(view(dt, cs.image(), cs.inLayout(), rnd), rnd, false);
             NdArray y = fill(view(dt, cs.pooled(), cs.outLayout(), rnd), rnd, false);
             NdArray pooled = NdArray.zeros(dt, cs.pooled());
             NdArray back = NdArray.zeros(dt, cs.image());
             NdArray absPooled = NdArray.zeros(Dtype.F64, cs.pooled());
             NdArray xAbs = abs(x); NdArray yAbs = abs(y)) {
            CpuBackend.get().conv().avgPool2d(x, cs.g(), countIncludePad, pooled);
            CpuBackend.get().conv().avgPool2dBackward(y, cs.g(), countIncludePad, back);
            ConvScalar.INSTANCE.avgPool2d(xAbs, cs.g(), countIncludePad, absPooled);
            double left = dot(pooled, y)[0];
            double right = dot(x, back)[0];
            double s = dot(absPooled, yAbs)[0];
            long k = Math.max(x.numel(), y.numel());
            double tol = (2 * cs.m() * unit * (1 + 0x1p-10) + 4 * k * U64) * s + cs.m() * Double.MIN_NORMAL;
            assertTrue(Math.abs(left - right) <= tol,
                    "<avg x, y> = " + left + " but <x, avgBack y> = " + right + ", tolerance " + tol + " " + cs);
        }
    }

    // ------------------------------------------------------------------ hand-checked examples (PyTorch semantics)

    /** x[0, 0, h, w] = 4h + w, i.e. torch.arange(16.).reshape(1, 1, 4, 4). */
    private static NdArray arange4x4(Dtype dt) {
        NdArray x = NdArray.zeros(dt, 1, 1, 4, 4);
        for (int i = 0; i < 16; i++) {
            x.setAtOffset(i, i);
        }
        return x;
    }

    @Example
    void simdPathIsActiveUnderTest() {
        // The properties above compare the SIMD path with the reference only if SIMD is on.
        if (!"false".equalsIgnoreCase(System.getProperty("inertia.simd"))) {
            assertTrue(SimdSupport.enabled(), "jdk.incubator.vector missing: F32 conv would run the reference");
        }
    }

    @Example
    void unfoldOf4x4WithKernel2() {
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            // F.unfold(arange(16).reshape(1,1,4,4), 2): row (ki,kj) holds x[oh+ki, ow+kj] for the 3x3 outputs.
            try (NdArray x = arange4x4(dt); NdArray cols = NdArray.zeros(dt, 1, 4, 9)) {
                CpuBackend.get().conv().im2col(x, Conv2dGeometry.square(2, 1, 0, 1), cols);
                assertArrayEquals(new double[] {
                        0, 1, 2, 4, 5, 6, 8, 9, 10,
                        1, 2, 3, 5, 6, 7, 9, 10, 11,
                        4, 5, 6, 8, 9, 10, 12, 13, 14,
                        5, 6, 7, 9, 10, 11, 13, 14, 15}, cols.toDoubleArray(), dt.toString());
            }
        }
    }

    @Example
    void unfoldWithPaddingAndStride() {
        // F.unfold(x, 2, padding=1, stride=2): outputs read rows/cols 2o−1+k; o = 0..2.
        // Row (0,0) reads rows/cols {−1, 1, 3}; row (1,1) reads {0, 2, 4}; −1 and 4 are padding.
        try (NdArray x = arange4x4(Dtype.F32); NdArray cols = NdArray.zeros(Dtype.F32, 1, 4, 9)) {
            CpuBackend.get().conv().im2col(x, Conv2dGeometry.square(2, 2, 1, 1), cols);
            assertArrayEquals(new double[] {0, 0, 0, 0, 5, 7, 0, 13, 15}, cols.select(1, 0).toDoubleArray());
            assertArrayEquals(new double[] {0, 2, 0, 8, 10, 0, 0, 0, 0}, cols.select(1, 3).toDoubleArray());
        }
    }

    @Example
    void unfoldWithDilation() {
        // F.unfold(x, 2, dilation=2): taps at (oh + 2ki, ow + 2kj), 2x2 outputs.
        try (NdArray x = arange4x4(Dtype.F32); NdArray cols = NdArray.zeros(Dtype.F32, 1, 4, 4)) {
            CpuBackend.get().conv().im2col(x, Conv2dGeometry.square(2, 1, 0, 2), cols);
            assertArrayEquals(new double[] {0, 1, 4, 5}, cols.select(1, 0).toDoubleArray());
            assertArrayEquals(new double[] {10, 11, 14, 15}, cols.select(1, 3).toDoubleArray());
        }
    }

    @Example
    void tapsBeyondTheLastPixelOfStorage() {
        // 1x1 image, kernel 1x3, dilation 2, padW 2: taps at x = −2, 0, 2; the last tap has no in-image
        // output, and its would-be source lies past the end of the storage.
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray x = NdArray.full(dt, 5, 1, 1, 1, 1); NdArray cols = NdArray.full(dt, 9, 1, 3, 1);
                 NdArray back = NdArray.full(dt, 9, 1, 1, 1, 1)) {
                Conv2dGeometry g = new Conv2dGeometry(1, 3, 1, 1, 0, 2, 1, 2);
                CpuBackend.get().conv().im2col(x, g, cols);
                assertArrayEquals(new double[] {0, 5, 0}, cols.toDoubleArray(), dt.toString());
                CpuBackend.get().conv().col2im(cols, g, back);
                assertArrayEquals(new double[] {5}, back.toDoubleArray(), dt.toString());
            }
        }
    }

    @Example
    void foldOfOnesCountsWindowsPerPixel() {
        // F.fold(ones(1, 4, 9), (4, 4), 2): each pixel gets one per 2x2 window that covers it.
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray cols = NdArray.full(dt, 1.0, 1, 4, 9); NdArray img = NdArray.full(dt, 99.0, 1, 1, 4, 4)) {
                CpuBackend.get().conv().col2im(cols, Conv2dGeometry.square(2, 1, 0, 1), img);
                assertArrayEquals(new double[] {1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1}, img.toDoubleArray(),
                        dt.toString());
            }
        }
    }

    @Example
    void maxPool2x2Stride2() {
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray x = arange4x4(dt); NdArray out = NdArray.zeros(dt, 1, 1, 2, 2);
                 NdArray idx = NdArray.zeros(Dtype.I32, 1, 1, 2, 2)) {
                CpuBackend.get().conv().maxPool2d(x, Conv2dGeometry.square(2, 2, 0, 1), out, idx);
                assertArrayEquals(new double[] {5, 7, 13, 15}, out.toDoubleArray());
                assertArrayEquals(new int[] {5, 7, 13, 15}, idx.toIntArray());
            }
        }
    }

    @Example
    void maxPoolTiesNaNAndPadding() {
        // Plane 2x3: [[1, 1, NaN], [−inf, −inf, NaN]]; kernel 2, stride 1, pad 1 → 3x4 outputs.
        // PyTorch replaces the running max when v > max or v is NaN, starting from −inf at the first
        // in-image tap: ties keep the first pixel, the last NaN in scan order wins, padding never wins.
        float nan = Float.NaN, ninf = Float.NEGATIVE_INFINITY;
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray x32 = NdArray.of(new float[] {1, 1, nan, ninf, ninf, nan}, 1, 1, 2, 3); NdArray x = x32.toDtype(dt);
                 NdArray out = NdArray.zeros(dt, 1, 1, 3, 4); NdArray idx = NdArray.zeros(Dtype.I32, 1, 1, 3, 4)) {
                CpuBackend.get().conv().maxPool2d(x, Conv2dGeometry.square(2, 1, 1, 1), out, idx);
                // window (oh, ow) covers rows oh−1..oh, cols ow−1..ow
                assertArrayEquals(new int[] {
                        0, 0, 2, 2,
                        0, 0, 5, 5,
                        3, 3, 5, 5}, idx.toIntArray(), dt.toString());
                double[] o = out.toDoubleArray();
                assertArrayEquals(new double[] {1, 1, Double.NaN, Double.NaN, 1, 1, Double.NaN, Double.NaN,
                        Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.NaN}, o, dt.toString());
            }
        }
    }

    @Example
    void maxPoolBackwardScatterAddsRepeatedIndices() {
        try (NdArray g = NdArray.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
             NdArray idx = NdArray.ofInts(new int[] {0, 0, 5, 8}, 1, 1, 2, 2);
             NdArray gi = NdArray.full(Dtype.F32, 99, 1, 1, 3, 3)) {
            CpuBackend.get().conv().maxPool2dBackward(g, idx, gi);
            assertArrayEquals(new double[] {3, 0, 0, 0, 0, 3, 0, 0, 4}, gi.toDoubleArray());
        }
    }

    @Example
    void avgPoolCountIncludePad() {
        // avg_pool2d(arange(16).reshape(1,1,4,4), 2, stride=2, padding=1, count_include_pad=…):
        // window (0,1) holds x[0,1] + x[0,2] = 3 → 3/4 or 3/2; (1,1) holds 5+6+9+10 = 30 → 7.5;
        // (2,2) holds x[3,3] = 15 → 15/4 or 15/1.
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray x = arange4x4(dt); NdArray in = NdArray.zeros(dt, 1, 1, 3, 3);
                 NdArray ex = NdArray.zeros(dt, 1, 1, 3, 3)) {
                Conv2dGeometry g = Conv2dGeometry.square(2, 2, 1, 1);
                CpuBackend.get().conv().avgPool2d(x, g, true, in);
                CpuBackend.get().conv().avgPool2d(x, g, false, ex);
                assertArrayEquals(new double[] {0, 0.75, 0.75, 3, 7.5, 4.5, 3, 6.75, 3.75}, in.toDoubleArray());
                assertArrayEquals(new double[] {0, 1.5, 3, 6, 7.5, 9, 12, 13.5, 15}, ex.toDoubleArray());
            }
        }
    }

    @Example
    void avgPoolBackwardSpreadsShares() {
        // kernel 2, stride 1 on 1x3: outputs average (x0, x1) and (x1, x2); gradient g/2 to each tap.
        try (NdArray g = NdArray.of(new float[] {2, 4}, 1, 1, 1, 2); NdArray gi = NdArray.full(Dtype.F32, 9, 1, 1, 1, 3)) {
            CpuBackend.get().conv().avgPool2dBackward(g, new Conv2dGeometry(1, 2, 1, 1, 0, 0, 1, 1), true, gi);
            assertArrayEquals(new double[] {1, 3, 2}, gi.toDoubleArray());
        }
    }

    @Example
    void emptyBatchIsANoOp() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 0, 3, 5, 5); NdArray cols = NdArray.zeros(Dtype.F32, 0, 27, 9);
             NdArray out = NdArray.zeros(Dtype.F32, 0, 3, 3, 3); NdArray idx = NdArray.zeros(Dtype.I32, 0, 3, 3, 3)) {
            Conv2dGeometry g = Conv2dGeometry.square(3, 1, 0, 1);
            CpuBackend.get().conv().im2col(x, g, cols);
            CpuBackend.get().conv().col2im(cols, g, x);
            CpuBackend.get().conv().maxPool2d(x, g, out, idx);
            assertEquals(0, out.numel());
        }
    }

    // ------------------------------------------------------------------ bad input

    @Example
    void wrongColumnShapeNamesBothShapes() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 1, 2, 4, 4); NdArray cols = NdArray.zeros(Dtype.F32, 1, 8, 8)) {
            Conv2dGeometry g = Conv2dGeometry.square(2, 1, 0, 1);
            var e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().im2col(x, g, cols));
            assertTrue(e.getMessage().contains("[1, 8, 8]") && e.getMessage().contains("[1, 8, 9]"), e.getMessage());
            var f = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().col2im(cols, g, x));
            assertTrue(f.getMessage().contains("[1, 8, 8]") && f.getMessage().contains("[1, 8, 9]"), f.getMessage());
        }
    }

    @Example
    void wrongRanksAndDtypes() {
        try (NdArray x3 = NdArray.zeros(Dtype.F32, 2, 4, 4); NdArray x = NdArray.zeros(Dtype.F32, 1, 1, 4, 4);
             NdArray cols = NdArray.zeros(Dtype.F32, 1, 4, 9); NdArray cols64 = NdArray.zeros(Dtype.F64, 1, 4, 9);
             NdArray out = NdArray.zeros(Dtype.F32, 1, 1, 3, 3); NdArray idxF = NdArray.zeros(Dtype.F32, 1, 1, 3, 3);
             NdArray idxBad = NdArray.zeros(Dtype.I32, 1, 1, 2, 3)) {
            Conv2dGeometry g = Conv2dGeometry.square(2, 1, 0, 1);
            var e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().im2col(x3, g, cols));
            assertTrue(e.getMessage().contains("[2, 4, 4]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().im2col(x, g, cols64));
            var f = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().maxPool2d(x, g, out, idxF));
            assertTrue(f.getMessage().contains("I32"), f.getMessage());
            var h = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().maxPool2d(x, g, out, idxBad));
            assertTrue(h.getMessage().contains("[1, 1, 2, 3]") && h.getMessage().contains("[1, 1, 3, 3]"), h.getMessage());
            var k = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().maxPool2dBackward(out, idxBad, x));
            assertTrue(k.getMessage().contains("[1, 1, 3, 3]") && k.getMessage().contains("[1, 1, 2, 3]"), k.getMessage());
        }
    }

    @Example
    void windowLargerThanPaddedImage() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 1, 1, 3, 3); NdArray cols = NdArray.zeros(Dtype.F32, 1, 25, 1);
             NdArray out = NdArray.zeros(Dtype.F32, 1, 1, 1, 1)) {
            Conv2dGeometry g = Conv2dGeometry.square(5, 1, 0, 1);
            var e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().im2col(x, g, cols));
            assertTrue(e.getMessage().contains("3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().avgPool2d(x, g, true, out));
            assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().conv().col2im(cols, Conv2dGeometry.square(2, 1, 0, 3), x));
        }
    }

    @Example
    void windowEntirelyInPaddingIsRejectedForMaxAndExclusiveAvg() {
        // kernel 2, pad 1, dilation 2 on a 1x1 image: the single window taps rows/cols −1 and 1, both padding.
        try (NdArray x = NdArray.zeros(Dtype.F32, 1, 1, 1, 1); NdArray out = NdArray.zeros(Dtype.F32, 1, 1, 1, 1);
             NdArray idx = NdArray.zeros(Dtype.I32, 1, 1, 1, 1)) {
            Conv2dGeometry g = Conv2dGeometry.square(2, 1, 1, 2);
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().maxPool2d(x, g, out, idx));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().avgPool2d(x, g, false, out));
            CpuBackend.get().conv().avgPool2d(x, g, true, out); // all padding, counted: 0 / 4
            assertEquals(0.0, out.get(0, 0, 0, 0));
        }
    }

    @Example
    void outOfPlaneIndexIsRejected() {
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            try (NdArray g = NdArray.zeros(dt, 1, 1, 1, 2); NdArray idx = NdArray.ofInts(new int[] {0, 9}, 1, 1, 1, 2);
                 NdArray gi = NdArray.zeros(dt, 1, 1, 3, 3)) {
                var e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().conv().maxPool2dBackward(g, idx, gi));
                assertTrue(e.getMessage().contains("9"), e.getMessage());
            }
        }
    }

    @Example
    void aliasedOutputIsRejected() {
        try (NdArray buf = NdArray.zeros(Dtype.F32, 2, 1, 4, 4)) {
            NdArray x = buf.slice(0, 0, 1);
            NdArray out = buf.slice(0, 1, 2).slice(2, 0, 3).slice(3, 0, 3);
            NdArray overlapping = buf.slice(0, 0, 1).slice(2, 1, 4).slice(3, 1, 4);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().conv().avgPool2d(x, Conv2dGeometry.square(2, 1, 0, 1), true, overlapping));
            assertTrue(e.getMessage().contains("share memory"), e.getMessage());
            CpuBackend.get().conv().avgPool2d(x, Conv2dGeometry.square(2, 1, 0, 1), true, out); // disjoint halves are fine
        }
    }

    @Example
    void closedOperandThrowsIllegalState() {
        NdArray x = NdArray.zeros(Dtype.F32, 1, 1, 4, 4);
        NdArray cols = NdArray.zeros(Dtype.F32, 1, 4, 9);
        NdArray out = NdArray.zeros(Dtype.F32, 1, 1, 2, 2);
        NdArray idx = NdArray.zeros(Dtype.I32, 1, 1, 2, 2);
        Conv2dGeometry g = Conv2dGeometry.square(2, 1, 0, 1);
        Conv2dGeometry p = Conv2dGeometry.square(2, 2, 0, 1);
        x.close();
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().im2col(x, g, cols));
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().col2im(cols, g, x));
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().maxPool2d(x, p, out, idx));
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().avgPool2d(x, p, true, out));
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().avgPool2dBackward(out, p, true, x));
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().maxPool2dBackward(out, idx, x));
        idx.close();
        try (NdArray y = NdArray.zeros(Dtype.F32, 1, 1, 4, 4)) {
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().conv().maxPool2d(y, p, out, idx));
        }
        cols.close();
        out.close();
    }
}
