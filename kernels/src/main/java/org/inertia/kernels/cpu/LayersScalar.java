package org.inertia.kernels.cpu;

import org.inertia.kernels.LayersSupport;
import org.inertia.kernels.NdArray;

/**
 * The fused layer kernels ({@code simd.LayerKernels}) in double precision over
 * rank-2 views of any dtype and layout: the oracle for the float32 kernels and the float64 path of the CPU
 * backend. Every element is computed in double and rounded once when stored; column sums are accumulated
 * in double. Arguments are assumed validated. Elements are read before they are written, so an output
 * may be the very same view as an input.
 */
public final class LayersScalar implements LayersSupport {
    /** The one instance (stateless). */
    public static final LayersScalar INSTANCE = new LayersScalar();

    private LayersScalar() {
    }

    /** out(r, j) ← max(x(r, j) + b[j], 0) (b null: max(x, 0)), with {@link Math#max} semantics. */
    @Override
    public void addBiasRelu(NdArray x, NdArray bias, NdArray out) {
        int rows = x.dim(0);
        int cols = x.dim(1);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double v = x.getAtOffset(x.offset() + r * x.stride(0) + j * x.stride(1));
                if (bias != null) {
                    v += bias.getAtOffset(bias.offset() + j * bias.stride(0));
                }
                out.setAtOffset(out.offset() + r * out.stride(0) + j * out.stride(1), Math.max(v, 0));
            }
        }
    }

    /** gz(r, j) ← y(r, j) ≠ 0 ? g(r, j) : 0 (NaN counts as ≠ 0); gBias[j] ← Σ_r gz(r, j) if gBias is not null. */
    @Override
    public void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias) {
        int rows = y.dim(0);
        int cols = y.dim(1);
        double[] sums = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double yv = y.getAtOffset(y.offset() + r * y.stride(0) + j * y.stride(1));
                double z = yv != 0 ? g.getAtOffset(g.offset() + r * g.stride(0) + j * g.stride(1)) : 0;
                gz.setAtOffset(gz.offset() + r * gz.stride(0) + j * gz.stride(1), z);
                sums[j] += z;
            }
        }
        if (gBias != null) {
            for (int j = 0; j < cols; j++) {
                gBias.setAtOffset(gBias.offset() + j * gBias.stride(0), sums[j]);
            }
        }
    }

    /** out(r, j) ← (e^logp(r, j) − [j = labels[r]])·scale. */
    @Override
    public void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out) {
        int rows = logp.dim(0);
        int cols = logp.dim(1);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(logp.getAtOffset(logp.offset() + r * logp.stride(0) + j * logp.stride(1)));
                out.setAtOffset(out.offset() + r * out.stride(0) + j * out.stride(1), (p - (j == labels[r] ? 1 : 0)) * scale);
            }
        }
    }
}
