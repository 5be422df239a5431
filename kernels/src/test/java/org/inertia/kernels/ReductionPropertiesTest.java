package org.inertia.kernels;

import static org.inertia.kernels.ElementwiseArrays.U;
import static org.inertia.kernels.ElementwiseArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.ElementwiseArrays.Layout;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.ElementwiseScalar;
import org.inertia.kernels.cpu.ReductionsScalar;
import org.inertia.kernels.simd.ReductionKernels;

/**
 * Float32 reductions (row layout, column layout and reference fallback) against the double reference.
 *
 * <p>Error bounds (u = 2⁻²⁴, B = {@link ReductionKernels#BLOCK}, n the axis length, k = min(n, B)):
 * <ul>
 * <li>sum: float partial sums of at most k terms err by ≤ γ_{k−1}·Σ|x| (any summation order), double
 * totals add ~n·2⁻⁵³·Σ|x| and the store to float u·|S|: |err| ≤ (k + 2)·u·Σ|x_i|; in the row layout the
 * summation tree is only ⌈k/4L⌉ + L + 1 deep, which replaces k. Mean: the same / n.
 * <li>max, argmax: exact (no arithmetic).
 * <li>variance (corrected two-pass, see ReductionKernels): with δ the error of the float mean,
 * |δ| ≤ u|m| + (k+2)·u·Σ|x|/n; d_i = fl(x_i − m') errs by u|x_i − m'|, the fma-square sum by ≤ (k+6)u·Σd²,
 * the deviation sum by e1 = (k+3)·u·Σ|x − m'|; so |ΔM2| ≤ (k+6)u·A2 + 2|δ|e1 + e1²/n with
 * A2 = Σ(x−m)² + nδ², plus u·|var| for the store. A factor 2 covers the second-order terms (γ vs ku).
 * <li>softmax: e_i = e^fl(x_i − m) errs by (|x_i − m| + 4)·u relative (argument rounding, 2-ulp exp);
 * the sum by (k + 2)u + W·u where W = Σ e_j|x_j − m| / Σ e_j carries the argument errors; the reciprocal
 * and product add 2u: |err_i| ≤ (|x_i − m| + W + k + 12)·u·|ref_i|, plus 2⁻¹²⁶ for results below the
 * normal range.
 * <li>logSoftmax: (x_i − m) rounds by u|x_i − m|, ln of the sum errs by its relative error plus u·|lse|,
 * the final subtraction u·|ref|: |err_i| ≤ (|x_i − m| + |lse| + |ref_i| + W + k + 12)·u.
 * </ul>
 */
class ReductionPropertiesTest {
    private static final int B = ReductionKernels.BLOCK;

    enum Op { SUM, MEAN, MAX, ARGMAX, VARIANCE }

    @Provide
    Arbitrary<int[]> shapes() {
        Arbitrary<Integer> len = Arbitraries.oneOf(
                Arbitraries.of(Arrays.stream(ElementwiseArrays.LENGTHS).filter(n -> n <= 1009).boxed().toList()),
                Arbitraries.integers().between(0, 70));
        return Arbitraries.oneOf(len.map(n -> new int[] {n}),
                Arbitraries.integers().between(0, 40).flatMap(r -> len.map(c -> new int[] {r, c})),
                Arbitraries.integers().between(1, 5).flatMap(p -> Arbitraries.integers().between(0, 6)
                        .flatMap(q -> len.map(c -> new int[] {p, q, c}))));
    }

    @Property(tries = 400)
    void reductionsMatchReference(@ForAll Op op, @ForAll("shapes") int[] dims, @ForAll Layout layout,
            @ForAll boolean keepDim, @ForAll boolean negativeAxis, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(dims);
            int a = t.rnd.nextInt(dims.length);
            int n = dims[a];
            if (n == 0 && (op == Op.MAX || op == Op.ARGMAX)) {
                return; // covered by emptyAxisRules
            }
            NdArray x = t.array(Dtype.F32, s, layout, op == Op.MAX || op == Op.ARGMAX);
            Shape os = keepDim ? s.with(a, 1) : s.without(a);
            NdArray out = t.view(op == Op.ARGMAX ? Dtype.I32 : Dtype.F32, os, Layout.STEPPED);
            NdArray ref = t.f64(os);
            int axis = negativeAxis ? a - dims.length : a;
            int correction = t.rnd.nextInt(3);
            switch (op) {
                case SUM -> { CpuBackend.get().reductions().sum(x, axis, out); ReductionsScalar.INSTANCE.sum(x, a, ref); }
                case MEAN -> { CpuBackend.get().reductions().mean(x, axis, out); ReductionsScalar.INSTANCE.mean(x, a, ref); }
                case MAX -> { CpuBackend.get().reductions().max(x, axis, out); ReductionsScalar.INSTANCE.max(x, a, ref); }
                case ARGMAX -> { CpuBackend.get().reductions().argmax(x, axis, out); ReductionsScalar.INSTANCE.argmax(x, a, ref); }
                case VARIANCE -> {
                    CpuBackend.get().reductions().variance(x, axis, correction, out);
                    ReductionsScalar.INSTANCE.variance(x, a, correction, ref);
                }
            }
            // Per-output data for the bounds: Σ|x|, Σ|x − m| and Σ(x − m)² along the axis, in double.
            NdArray absX = t.f64(s);
            ElementwiseScalar.INSTANCE.unary(UnaryOp.ABS, x, absX);
            NdArray sumAbs = t.f64(os);
            ReductionsScalar.INSTANCE.sum(absX, a, sumAbs);
            NdArray mean = t.f64(os);
            ReductionsScalar.INSTANCE.mean(x, a, mean);
            NdArray dev = t.f64(s);
            ElementwiseScalar.INSTANCE.binary(BinaryOp.SUB, x, keepDim ? mean : mean.unsqueeze(a), dev);
            NdArray absDev = t.f64(s);
            ElementwiseScalar.INSTANCE.unary(UnaryOp.ABS, dev, absDev);
            NdArray sumAbsDev = t.f64(os);
            ReductionsScalar.INSTANCE.sum(absDev, a, sumAbsDev);
            double[] g = out.toDoubleArray();
            double[] r = ref.toDoubleArray();
            double[] sa = sumAbs.toDoubleArray();
            double[] m = mean.toDoubleArray();
            double[] sad = sumAbsDev.toDoubleArray();
            int k = Math.min(n, B);
            // Row layout: each element passes through ≤ ⌈k/4L⌉ lane adds, 2 accumulator merges and ≤ L−1
            // cross-lane adds, so γ_depth replaces γ_k (Higham, Accuracy and Stability, §4.2).
            int lanes = ElementwiseArrays.LANES;
            boolean rowPath = n == 1 || x.stride(a) == 1;
            int depth = rowPath ? (k + 4 * lanes - 1) / (4 * lanes) + lanes + 1 : k;
            for (int i = 0; i < g.length; i++) {
                String ctx = op + " " + s + " " + layout + " axis " + axis + " → " + os + " at " + i;
                switch (op) {
                    case ARGMAX -> assertEquals(r[i], g[i], ctx);
                    case MAX -> assertClose((float) g[i], r[i], 0, ctx);
                    case SUM -> assertClose((float) g[i], r[i], (depth + 2) * U * sa[i], ctx);
                    case MEAN -> assertClose((float) g[i], r[i], (depth + 2) * U * sa[i] / n, ctx);
                    case VARIANCE -> {
                        long dof = (long) n - correction;
                        double delta = U * Math.abs(m[i]) + (k + 2) * U * sa[i] / Math.max(n, 1);
                        double a2 = r[i] * dof + n * delta * delta;
                        double e1 = (k + 3) * U * (sad[i] + n * delta);
                        double dm2 = (k + 6) * U * a2 + 2 * delta * e1 + e1 * e1 / Math.max(n, 1);
                        double tol = dof > 0 ? 2 * dm2 / dof + U * Math.abs(r[i]) : 0;
                        assertClose((float) g[i], r[i], tol, ctx);
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<int[]> softmaxShapes() {
        Arbitrary<Integer> len = Arbitraries.oneOf(
                Arbitraries.of(Arrays.stream(ElementwiseArrays.LENGTHS).boxed().toList()),
                Arbitraries.integers().between(0, 70));
        return Arbitraries.oneOf(len.map(n -> new int[] {n}),
                Arbitraries.integers().between(0, 4).flatMap(r -> len.map(c -> new int[] {r, c})));
    }

    @Property(tries = 300)
    void softmaxMatchesReference(@ForAll("softmaxShapes") int[] dims, @ForAll Layout layout, @ForAll boolean log,
            @ForAll boolean inPlace, @ForAll boolean lastAxis, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(dims);
            int a = lastAxis ? dims.length - 1 : t.rnd.nextInt(dims.length);
            NdArray x = t.array(Dtype.F32, s, layout, false);
            if (t.rnd.nextBoolean()) { // large logits: must not overflow
                ElementwiseScalar.INSTANCE.binaryScalar(BinaryOp.MUL, x, 1000, x);
            }
            NdArray ref = t.f64(s);
            NdArray mx = t.f64(s.with(a, 1));
            ReductionsScalar.INSTANCE.max(x, a, mx);
            if (log) {
                ReductionsScalar.INSTANCE.logSoftmax(x, a, ref);
            } else {
                ReductionsScalar.INSTANCE.softmax(x, a, ref);
            }
            NdArray out = inPlace ? x : t.view(Dtype.F32, s, Layout.CONTIGUOUS);
            NdArray xCopy = t.own(x.toDtype(Dtype.F64));
            if (log) {
                CpuBackend.get().reductions().logSoftmax(x, a - (lastAxis ? dims.length : 0), out);
            } else {
                CpuBackend.get().reductions().softmax(x, a - (lastAxis ? dims.length : 0), out);
            }
            if (s.numel() == 0) {
                return;
            }
            int n = dims[a];
            int k = Math.min(n, B);
            NdArray sel = t.f64(s.with(a, 1));
            for (int[] pos = new int[dims.length];;) { // every lane along the axis
                double m = mx.get(pos);
                double sumE = 0;
                double weighted = 0;
                int[] p = pos.clone();
                for (int i = 0; i < n; i++) {
                    p[a] = i;
                    double d = xCopy.get(p) - m;
                    sumE += Math.exp(d);
                    weighted += Math.exp(d) * Math.abs(d);
                }
                double w = weighted / sumE;
                double lse = Math.log(sumE);
                for (int i = 0; i < n; i++) {
                    p[a] = i;
                    double d = Math.abs(xCopy.get(p) - m);
                    double r = ref.get(p);
                    double tol = log ? (d + Math.abs(lse) + Math.abs(r) + w + k + 12) * U
                            : (d + w + k + 12) * U * Math.abs(r) + 0x1p-126;
                    assertClose((float) out.get(p), r, tol, (log ? "logSoftmax " : "softmax ") + s + " " + layout
                            + " axis " + a + " at " + Arrays.toString(p));
                }
                int ax = dims.length - 1;
                for (; ax >= 0; ax--) {
                    if (ax == a) {
                        continue;
                    }
                    if (++pos[ax] < dims[ax]) {
                        break;
                    }
                    pos[ax] = 0;
                }
                if (ax < 0) {
                    break;
                }
            }
            sel.close();
        }
    }

    @Property(tries = 100)
    void sumAllMatchesReference(@ForAll("shapes") int[] dims, @ForAll Layout layout, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            NdArray x = t.array(Dtype.F32, Shape.of(dims), layout, false);
            double ref = ReductionsScalar.INSTANCE.sumAll(x);
            NdArray absX = t.f64(x.shape());
            ElementwiseScalar.INSTANCE.unary(UnaryOp.ABS, x, absX);
            double got = CpuBackend.get().reductions().sumAll(x);
            // Row sums obey the sum bound with k ≤ B; their double total adds only ~rows·2⁻⁵³·Σ|x|.
            long k = Math.min(x.numel(), B);
            assertEquals(ref, got, (k + 2) * U * ReductionsScalar.INSTANCE.sumAll(absX));
        }
    }

    @Example
    void columnSumOfLargeMatrixCrossesBlocks() {
        int rows = 2 * B + 37;
        int cols = 3 * ElementwiseArrays.LANES + 5;
        try (ElementwiseArrays t = new ElementwiseArrays(7)) {
            NdArray x = t.array(Dtype.F32, Shape.of(rows, cols), Layout.CONTIGUOUS, false);
            NdArray out = t.view(Dtype.F32, Shape.of(cols), Layout.CONTIGUOUS);
            NdArray ref = t.f64(Shape.of(cols));
            NdArray absX = t.f64(x.shape());
            ElementwiseScalar.INSTANCE.unary(UnaryOp.ABS, x, absX);
            NdArray sa = t.f64(Shape.of(cols));
            ReductionsScalar.INSTANCE.sum(absX, 0, sa);
            for (Op op : new Op[] {Op.SUM, Op.VARIANCE, Op.MAX}) {
                switch (op) {
                    case SUM -> { CpuBackend.get().reductions().sum(x, 0, out); ReductionsScalar.INSTANCE.sum(x, 0, ref); }
                    case VARIANCE -> { CpuBackend.get().reductions().variance(x, 0, 1, out); ReductionsScalar.INSTANCE.variance(x, 0, 1, ref); }
                    default -> { CpuBackend.get().reductions().max(x, 0, out); ReductionsScalar.INSTANCE.max(x, 0, ref); }
                }
                for (int j = 0; j < cols; j++) {
                    // Data in [-10, 10]: variance ≈ 33, so a relative 1e-4 is far looser than the bound's
                    // (B+6)u ≈ 6e-5 times a small factor; sums use the derived sum bound.
                    double tol = op == Op.SUM ? (B + 2) * U * sa.get(j) : op == Op.VARIANCE ? 2 * (B + 8) * U * ref.get(j) : 0;
                    assertClose((float) out.get(j), ref.get(j), tol, op + " column " + j);
                }
            }
        }
    }

    // ---------------------------------------------------------------- edge cases

    @Example
    void maxAndArgmaxPropagateNaN() {
        int n = 5 * ElementwiseArrays.LANES + 3;
        for (int nanAt : new int[] {0, 3, ElementwiseArrays.LANES + 1, n - 1}) {
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = i == nanAt + 1 ? 1e30f : i;
            }
            d[nanAt] = Float.NaN;
            if (nanAt + 2 < n) {
                d[nanAt + 2] = Float.NaN;
            }
            try (NdArray x = NdArray.of(d, 1, n); NdArray m = NdArray.zeros(Dtype.F32, 1);
                    NdArray i = NdArray.zeros(Dtype.I32, 1); NdArray col = NdArray.zeros(Dtype.F32, 1)) {
                CpuBackend.get().reductions().max(x, 1, m);
                CpuBackend.get().reductions().argmax(x, -1, i);
                assertTrue(Float.isNaN(m.toFloatArray()[0]));
                assertEquals(nanAt, i.toIntArray()[0]);
                NdArray xt = x.t(); // [n, 1]: the reduced axis is outer now
                CpuBackend.get().reductions().max(xt, 0, col);
                assertTrue(Float.isNaN(col.toFloatArray()[0]));
            }
        }
    }

    @Example
    void argmaxTakesFirstOfEqualMaxima() {
        float[] d = new float[3 * ElementwiseArrays.LANES];
        d[5] = 7;
        d[2 * ElementwiseArrays.LANES] = 7;
        try (NdArray x = NdArray.of(d, d.length); NdArray i = NdArray.zeros(Dtype.I32)) {
            CpuBackend.get().reductions().argmax(x, 0, i);
            assertEquals(5, i.toIntArray()[0]);
        }
    }

    @Example
    void softmaxOfHugeAndInfiniteLogits() {
        int n = 2 * ElementwiseArrays.LANES + 1;
        float[] d = new float[3 * n];
        for (int i = 0; i < n; i++) {
            d[i] = i == 4 ? 1e4f : -1e4f;         // row 0: one dominant huge logit
            d[n + i] = 1e4f;                     // row 1: all equal huge logits
            d[2 * n + i] = Float.NEGATIVE_INFINITY; // row 2: all −∞
        }
        d[n + 1] = Float.NEGATIVE_INFINITY; // a −∞ entry among finite ones
        try (NdArray x = NdArray.of(d, 3, n); NdArray out = NdArray.zeros(Dtype.F32, 3, n)) {
            CpuBackend.get().reductions().softmax(x, 1, out);
            float[] g = out.toFloatArray();
            for (int i = 0; i < n; i++) {
                assertEquals(i == 4 ? 1f : 0f, g[i], "row 0 at " + i);
                assertEquals(i == 1 ? 0f : 1f / (n - 1), g[n + i], 1e-6, "row 1 at " + i);
                assertTrue(Float.isNaN(g[2 * n + i]), "all −∞ row gives NaN");
            }
            CpuBackend.get().reductions().logSoftmax(x, 1, out);
            g = out.toFloatArray();
            assertEquals(0f, g[4]);
            assertEquals(-2e4f, g[0]);
            assertEquals(Float.NEGATIVE_INFINITY, g[n + 1]);
            assertEquals(-Math.log(n - 1), g[n], 1e-6);
            assertTrue(Float.isNaN(g[2 * n]));
        }
    }

    @Example
    void emptyAxisRules() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 3, 0); NdArray out = NdArray.zeros(Dtype.F32, 3);
                NdArray idx = NdArray.zeros(Dtype.I32, 3); NdArray one = NdArray.zeros(Dtype.F32, 1, 4);
                NdArray o1 = NdArray.zeros(Dtype.F32, 4)) {
            CpuBackend.get().reductions().sum(x, 1, out);
            assertArrayEquals(new float[] {0, 0, 0}, out.toFloatArray());
            CpuBackend.get().reductions().mean(x, 1, out);
            assertTrue(Float.isNaN(out.toFloatArray()[0]));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().max(x, 1, out));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().argmax(x, 1, idx));
            CpuBackend.get().reductions().variance(one, 0, 1, o1); // n − correction = 0
            assertTrue(Float.isNaN(o1.toFloatArray()[2]));
            CpuBackend.get().reductions().variance(one, 0, 0, o1);
            assertEquals(0f, o1.toFloatArray()[2]);
        }
    }

    @Example
    void badInputs() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 2, 3); NdArray wrong = NdArray.zeros(Dtype.F32, 4);
                NdArray d = NdArray.zeros(Dtype.F64, 3); NdArray f = NdArray.zeros(Dtype.F32, 3);
                NdArray i = NdArray.zeros(Dtype.I32, 2, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().reductions().sum(x, 0, wrong));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().sum(x, 0, d));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().argmax(x, 0, f));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().sum(i, 0, f));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().sum(x, 2, f));
            e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().reductions().softmax(x, 0, wrong));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
            NdArray closed = NdArray.zeros(Dtype.F32, 2, 3);
            closed.close();
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().reductions().sum(closed, 0, f));
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().reductions().sumAll(closed));
            assertThrows(IllegalStateException.class, () -> CpuBackend.get().reductions().softmax(x, 0, closed));
        }
    }
}
