package org.inertia.kernels;

import static org.inertia.kernels.ElementwiseArrays.U;
import static org.inertia.kernels.ElementwiseArrays.assertClose;
import static org.inertia.kernels.ElementwiseArrays.assertRoundedEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.ElementwiseArrays.Layout;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.kernels.cpu.LayersScalar;
import org.inertia.kernels.simd.ReductionKernels;

/**
 * The fused layer kernels ({@link CpuLayers}: bias + ReLU, ReLU backward with the bias gradient, softmax
 * cross-entropy backward) in float32 against the double reference {@link LayersScalar}, and against the
 * unfused backend ops they replace, which they must match bit for bit (nn's fused ops promise the same
 * values as the op-by-op graph).
 *
 * <p>Tolerances against the reference (u = 2⁻²⁴):
 * <ul>
 *   <li>addBiasRelu and the masked gradient gz: 0 ulps (one correctly rounded float addition, then an exact
 *       max or selection).</li>
 *   <li>The bias gradient Σ_r gz(r, j): float partial sums over blocks of at most k = min(rows,
 *       {@link ReductionKernels#BLOCK}) rows, block totals in double, one rounding to float: |err| ≤
 *       (k + 2)·u·Σ_r |gz(r, j)| (as for the column sums of ReductionPropertiesTest).</li>
 *   <li>softmax cross-entropy backward, (e^l − onehot)·s: e^l from FloatMath is within 2 ulps (≤ 4u·e^l
 *       relative to the exact value), the subtraction and the product add u each of their results, and s is
 *       rounded to float (u·|s|): |err| ≤ (4u·e^l + u·|e^l − onehot|)·|s| + 2u·|ref|, plus 2⁻¹⁴⁹ for a
 *       result in the subnormal range.</li>
 * </ul>
 */
class LayerKernelsPropertiesTest {
    private static final Backend BE = CpuBackend.get();

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 70), Arbitraries.of(1025, 2100));
    }

    @Provide
    Arbitrary<Integer> cols() {
        return Arbitraries.oneOf(Arbitraries.of(Arrays.stream(ElementwiseArrays.LENGTHS).filter(n -> n > 0 && n <= 97)
                .boxed().toList()), Arbitraries.integers().between(1, 70));
    }

    @Property(tries = 200)
    void addBiasReluMatchesReferenceAndUnfusedOps(@ForAll("rows") int rows, @ForAll("cols") int cols,
            @ForAll Layout xLayout, @ForAll Layout outLayout, @ForAll boolean inPlace, @ForAll boolean withBias,
            @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(rows, cols);
            NdArray x = t.array(Dtype.F32, s, xLayout, true);
            NdArray bias = withBias ? t.array(Dtype.F32, Shape.of(cols), Layout.OFFSET, true) : null;
            NdArray ref = t.f64(s);
            LayersScalar.INSTANCE.addBiasRelu(x, bias, ref);
            NdArray unfused = t.view(Dtype.F32, s, Layout.CONTIGUOUS);
            if (bias != null) {
                BE.elementwise().binary(BinaryOp.ADD, x, bias, unfused);
                BE.elementwise().unary(UnaryOp.RELU, unfused, unfused);
            } else {
                BE.elementwise().unary(UnaryOp.RELU, x, unfused);
            }
            NdArray out = inPlace ? x : t.view(Dtype.F32, s, outLayout);
            CpuBackend.get().layers().addBiasRelu(x, bias, out);
            String ctx = "addBiasRelu " + s + " " + xLayout + "→" + (inPlace ? "in place" : outLayout);
            assertRoundedEqual(out, ref, ctx);
            assertArrayEquals(unfused.toFloatArray(), out.toFloatArray(), ctx + " vs add + relu");
        }
    }

    @Property(tries = 200)
    void reluBackwardMatchesReferenceAndUnfusedOps(@ForAll("rows") int rows, @ForAll("cols") int cols,
            @ForAll Layout yLayout, @ForAll Layout gLayout, @ForAll Layout outLayout, @ForAll int inPlace,
            @ForAll boolean withBias, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(rows, cols);
            NdArray y = t.array(Dtype.F32, s, yLayout, true);
            y.forEachOffset(o -> { // a ReLU output: many exact zeros, the rest as drawn (NaN included)
                if (t.rnd.nextInt(3) == 0) {
                    y.setAtOffset(o, 0);
                }
            });
            NdArray g = t.array(Dtype.F32, s, gLayout, true);
            NdArray refZ = t.f64(s);
            NdArray refB = t.f64(Shape.of(cols));
            LayersScalar.INSTANCE.reluBackward(y, g, refZ, refB);
            NdArray unfusedZ = t.view(Dtype.F32, s, Layout.CONTIGUOUS);
            NdArray unfusedB = t.view(Dtype.F32, Shape.of(cols), Layout.CONTIGUOUS);
            try (NdArray zero = NdArray.zeros(Dtype.F32)) {
                BE.elementwise().where(y, g, zero, unfusedZ);
            }
            double[] absSums = new double[cols]; // Σ_r |gz(r, j)|, before an in-place gz overwrites y or g
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    absSums[j] += y.get(i, j) != 0 ? Math.abs(g.get(i, j)) : 0;
                }
            }
            NdArray gz = switch (Math.floorMod(inPlace, 3)) {
                case 0 -> g; // over the incoming gradient
                case 1 -> y; // over the saved output
                default -> t.view(Dtype.F32, s, outLayout);
            };
            NdArray gb = withBias ? t.view(Dtype.F32, Shape.of(cols), Layout.STEPPED) : null;
            CpuBackend.get().layers().reluBackward(y, g, gz, gb);
            String ctx = "reluBackward " + s + " y " + yLayout + " g " + gLayout + " gz " + Math.floorMod(inPlace, 3);
            assertRoundedEqual(gz, refZ, ctx);
            assertArrayEquals(unfusedZ.toFloatArray(), gz.toFloatArray(), ctx + " vs where");
            if (gb != null) {
                double[] r = refB.toDoubleArray();
                float[] got = gb.toFloatArray();
                int k = Math.min(Math.max(rows, 1), ReductionKernels.BLOCK);
                for (int j = 0; j < cols; j++) {
                    assertClose(got[j], r[j], (k + 2) * U * absSums[j], ctx + " bias gradient column " + j);
                }
                BE.reductions().sum(gz, 0, unfusedB); // what the unfused ops compute from this very gz view
                assertArrayEquals(unfusedB.toFloatArray(), got, ctx + " bias gradient vs sum");
            }
        }
    }

    @Property(tries = 200)
    void softmaxCrossEntropyBackwardMatchesReferenceAndUnfusedOps(@ForAll("rows") int rows,
            @ForAll("cols") int cols, @ForAll Layout inLayout, @ForAll Layout outLayout, @ForAll boolean inPlace,
            @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(rows, cols);
            NdArray logits = t.array(Dtype.F32, s, Layout.CONTIGUOUS, false);
            NdArray logp = t.view(Dtype.F32, s, inLayout);
            BE.reductions().logSoftmax(logits, 1, logp);
            int[] labels = t.rnd.ints(rows, 0, cols).toArray();
            double scale = (t.rnd.nextDouble() * 4 - 2) / Math.max(rows, 1);
            NdArray ref = t.f64(s);
            LayersScalar.INSTANCE.softmaxCrossEntropyBackward(logp, labels, scale, ref);
            NdArray unfused = t.view(Dtype.F32, s, Layout.CONTIGUOUS); // what Losses did before the fused kernel
            BE.elementwise().unary(UnaryOp.EXP, logp, unfused);
            for (int i = 0; i < rows; i++) {
                unfused.set(unfused.get(i, labels[i]) - 1, i, labels[i]);
            }
            BE.elementwise().binaryScalar(BinaryOp.MUL, unfused, scale, unfused);
            double[] lp = logp.toDoubleArray();
            NdArray out = inPlace ? logp : t.view(Dtype.F32, s, outLayout);
            CpuBackend.get().layers().softmaxCrossEntropyBackward(logp, labels, scale, out);
            String ctx = "softmaxCrossEntropyBackward " + s + " " + inLayout + "→" + (inPlace ? "in place" : outLayout);
            float[] got = out.toFloatArray();
            double[] r = ref.toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                double e = Math.exp(lp[i]);
                double d = e - (i % cols == labels[i / cols] ? 1 : 0);
                double tol = (4 * U * e + U * Math.abs(d)) * Math.abs(scale) + 2 * U * Math.abs(r[i]) + 0x1p-149;
                assertClose(got[i], r[i], tol, ctx + " at " + i);
            }
            assertArrayEquals(unfused.toFloatArray(), got, ctx + " vs exp, −1, ×scale");
        }
    }

    @Property(tries = 60)
    void float64RunsTheReference(@ForAll("rows") int rows, @ForAll("cols") int cols, @ForAll long seed) {
        try (ElementwiseArrays t = new ElementwiseArrays(seed)) {
            Shape s = Shape.of(rows, cols);
            NdArray x = t.array(Dtype.F64, s, Layout.STEPPED, true);
            NdArray g = t.array(Dtype.F64, s, Layout.TRANSPOSED, true);
            NdArray b = t.array(Dtype.F64, Shape.of(cols), Layout.CONTIGUOUS, true);
            NdArray got = t.f64(s);
            NdArray want = t.f64(s);
            CpuBackend.get().layers().addBiasRelu(x, b, got);
            LayersScalar.INSTANCE.addBiasRelu(x, b, want);
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), "addBiasRelu");
            NdArray gb = t.f64(Shape.of(cols));
            NdArray wantB = t.f64(Shape.of(cols));
            CpuBackend.get().layers().reluBackward(x, g, got, gb);
            LayersScalar.INSTANCE.reluBackward(x, g, want, wantB);
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), "reluBackward");
            assertArrayEquals(wantB.toDoubleArray(), gb.toDoubleArray(), "reluBackward bias gradient");
            int[] labels = t.rnd.ints(rows, 0, cols).toArray();
            CpuBackend.get().layers().softmaxCrossEntropyBackward(x, labels, 0.25, got);
            LayersScalar.INSTANCE.softmaxCrossEntropyBackward(x, labels, 0.25, want);
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), "softmaxCrossEntropyBackward");
        }
    }

    @Example
    void refusesMismatchedOperands() {
        try (NdArray x = NdArray.zeros(Dtype.F32, 3, 4); NdArray out = NdArray.zeros(Dtype.F32, 3, 4);
             NdArray b5 = NdArray.zeros(Dtype.F32, 5); NdArray x64 = NdArray.zeros(Dtype.F64, 3, 4);
             NdArray wide = NdArray.zeros(Dtype.F32, 3, 8)) {
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().layers().addBiasRelu(x, b5, out));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().layers().addBiasRelu(x, null, x64));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().layers().addBiasRelu(x, null, wide));
            // an output that overlaps an input without being the same view
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().layers().addBiasRelu(wide.slice(1, 0, 4),
                    null, wide.slice(1, 2, 6)));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().layers().reluBackward(x, out, x, b5));
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.get().layers().reluBackward(x, out, out, x.select(0, 0)));
            assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().layers().softmaxCrossEntropyBackward(x, new int[] {0, 1}, 1, out));
            assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().layers().softmaxCrossEntropyBackward(x, new int[] {0, 4, 1}, 1, out));
            assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.get().layers().softmaxCrossEntropyBackward(x, new int[] {0, -1, 1}, 1, out));
        }
    }
}
