package org.inertia.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 kernels that fuse the elementwise tails of a dense layer and of the softmax cross-entropy loss,
 * each one pass over a [rows, cols] plane instead of two or three passes with temporaries in between.
 * In a small MLP step (batch 64, 784-128-10) those passes and their allocations are a visible share of
 * the time next to the GEMMs:
 *
 * <ul>
 *   <li>{@link #addBiasRelu}: out ← max(x + b, 0) per row (a Linear layer's bias and the ReLU after it).</li>
 *   <li>{@link #reluBackward}: gz ← g where y ≠ 0, else 0 (relu′ from the saved output, as nn's ReLU), and
 *       the column sums of gz (the bias gradient) in the same pass.</li>
 *   <li>{@link #softmaxCrossEntropyBackward}: out ← (e^logp − onehot(label))·scale, the gradient of the
 *       mean cross-entropy with respect to the logits.</li>
 * </ul>
 *
 * <p>Every element is computed by the same float operations as the unfused ops, so the results are the
 * same bits: ADD then MAX with {@link Math#max} semantics (NaN stays NaN, −0 becomes +0); the same
 * selection as {@code where}; column sums accumulated exactly as {@link ReductionKernels#sumColumns} (float
 * partial sums over blocks of {@link ReductionKernels#BLOCK} rows, block totals in double), which is what a
 * sum along axis 0 runs for a [rows, cols] gradient with rows, cols &gt; 1 (the facade leaves the other
 * layouts to the sum itself); e^x from
 * {@link FloatMath} (lanes and scalar tails bit-identical, independent of JIT state), then a float
 * subtraction and multiplication. Rows whose operands all have unit column stride are vectorized, others
 * take a scalar loop performing the same operations.
 */
public final class LayerKernels {
    private static final VectorSpecies<Float> F = FloatSpecies.F;
    private static final int L = FloatSpecies.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final FloatVector ZERO = FloatVector.zero(F);

    private LayerKernels() {
    }

    /**
     * out(r, j) ← max(x(r, j) + b[j], 0) for r &lt; rows, j &lt; cols; without a bias ({@code bias == null})
     * out ← max(x, 0). {@code bias} holds b[j] at element {@code biasOffset + j·biasStride}. out may be the
     * very same plane as x.
     *
     * @param rows the number of rows; >= 0
     * @param cols the number of columns; >= 0
     * @param x the input plane
     * @param bias the bias memory, float32, or null for no bias
     * @param biasOffset element offset of b[0]
     * @param biasStride element stride between bias entries
     * @param out the output plane
     */
    public static void addBiasRelu(int rows, int cols, Plane x, MemorySegment bias, long biasOffset, long biasStride,
            Plane out) {
        boolean unit = x.colStride() == 1 && out.colStride() == 1 && (bias == null || biasStride == 1);
        int bound = unit ? F.loopBound(cols) : 0;
        MemorySegment xs = x.segment();
        MemorySegment os = out.segment();
        for (int r = 0; r < rows; r++) {
            long x0 = x.at(r, 0);
            long o0 = out.at(r, 0);
            int j = 0;
            if (bias != null) {
                for (; j < bound; j += L) {
                    FloatVector v = FloatVector.fromMemorySegment(F, xs, (x0 + j) * 4, NATIVE)
                            .add(FloatVector.fromMemorySegment(F, bias, (biasOffset + j) * 4, NATIVE));
                    v.max(ZERO).intoMemorySegment(os, (o0 + j) * 4, NATIVE);
                }
            } else {
                for (; j < bound; j += L) {
                    FloatVector.fromMemorySegment(F, xs, (x0 + j) * 4, NATIVE).max(ZERO)
                            .intoMemorySegment(os, (o0 + j) * 4, NATIVE);
                }
            }
            for (; j < cols; j++) {
                float v = xs.getAtIndex(FL, x0 + j * x.colStride());
                if (bias != null) {
                    v += bias.getAtIndex(FL, biasOffset + j * biasStride);
                }
                os.setAtIndex(FL, o0 + j * out.colStride(), Math.max(v, 0f));
            }
        }
    }

    /**
     * gz(r, j) ← y(r, j) ≠ 0 ? g(r, j) : 0 (a NaN y counts as ≠ 0, as {@code where}); if {@code colSums} is
     * not null, colSums[j] ← Σ_r gz(r, j), accumulated as {@link ReductionKernels#sumColumns} does. gz may be
     * the very same plane as g or y.
     *
     * @param rows the number of rows; >= 0
     * @param cols the number of columns; >= 0
     * @param y the saved ReLU output plane
     * @param g the gradient of y
     * @param gz the gradient of the pre-activation, written
     * @param colSums the column sums of gz, {@code cols} of them, written; or null to skip them
     */
    public static void reluBackward(int rows, int cols, Plane y, Plane g, Plane gz, double[] colSums) {
        boolean unit = y.colStride() == 1 && g.colStride() == 1 && gz.colStride() == 1;
        int bound = unit ? F.loopBound(cols) : 0;
        float[] partial = colSums == null ? null : new float[cols];
        if (colSums != null) {
            Arrays.fill(colSums, 0, cols, 0);
        }
        MemorySegment ys = y.segment();
        MemorySegment gs = g.segment();
        MemorySegment zs = gz.segment();
        for (int r0 = 0; r0 < rows; r0 += ReductionKernels.BLOCK) {
            int r1 = Math.min(rows, r0 + ReductionKernels.BLOCK);
            if (partial != null) {
                Arrays.fill(partial, 0);
            }
            for (int r = r0; r < r1; r++) {
                long y0 = y.at(r, 0);
                long g0 = g.at(r, 0);
                long z0 = gz.at(r, 0);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector yv = FloatVector.fromMemorySegment(F, ys, (y0 + j) * 4, NATIVE);
                    VectorMask<Float> dead = yv.compare(VectorOperators.EQ, 0f); // NaN: not equal, passes g
                    FloatVector z = FloatVector.fromMemorySegment(F, gs, (g0 + j) * 4, NATIVE).blend(ZERO, dead);
                    z.intoMemorySegment(zs, (z0 + j) * 4, NATIVE);
                    if (partial != null) {
                        FloatVector.fromArray(F, partial, j).add(z).intoArray(partial, j);
                    }
                }
                for (; j < cols; j++) {
                    float z = ys.getAtIndex(FL, y0 + j * y.colStride()) != 0f ? gs.getAtIndex(FL, g0 + j * g.colStride())
                            : 0f;
                    zs.setAtIndex(FL, z0 + j * gz.colStride(), z);
                    if (partial != null) {
                        partial[j] += z;
                    }
                }
            }
            if (partial != null) {
                for (int j = 0; j < cols; j++) {
                    colSums[j] += partial[j];
                }
            }
        }
    }

    /**
     * out(r, j) ← (e^logp(r, j) − [j = labels[r]])·scale: the gradient of the mean cross-entropy with
     * respect to the logits, from the saved log-softmax (scale = ∂L/∂loss / N). out may be the very same
     * plane as logp. Labels are assumed to lie in [0, cols).
     *
     * @param rows the number of rows; >= 0
     * @param cols the number of columns; >= 0
     * @param logp the saved log-softmax plane
     * @param labels the class of each row, each in [0, cols)
     * @param scale the factor applied to every entry
     * @param out the gradient of the logits, written
     */
    public static void softmaxCrossEntropyBackward(int rows, int cols, Plane logp, int[] labels, float scale,
            Plane out) {
        boolean unit = logp.colStride() == 1 && out.colStride() == 1;
        int bound = unit ? F.loopBound(cols) : 0;
        MemorySegment ls = logp.segment();
        MemorySegment os = out.segment();
        for (int r = 0; r < rows; r++) {
            long l0 = logp.at(r, 0);
            long o0 = out.at(r, 0);
            int label = labels[r];
            int j = 0;
            float atLabel = label < bound ? FloatMath.exp(ls.getAtIndex(FL, l0 + label)) : 0f; // before out overwrites it
            for (; j < bound; j += L) {
                FloatMath.exp(FloatVector.fromMemorySegment(F, ls, (l0 + j) * 4, NATIVE)).mul(scale)
                        .intoMemorySegment(os, (o0 + j) * 4, NATIVE);
            }
            if (label < bound) { // the scalar twin gives the lane's bits
                os.setAtIndex(FL, o0 + label, (atLabel - 1f) * scale);
            }
            for (; j < cols; j++) {
                float e = FloatMath.exp(ls.getAtIndex(FL, l0 + j * logp.colStride()));
                if (j == label) {
                    e -= 1f;
                }
                os.setAtIndex(FL, o0 + j * out.colStride(), e * scale);
            }
        }
    }
}
