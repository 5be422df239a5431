package org.inertia.kernels.cpu;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.reference.LayerReference;
import org.inertia.kernels.simd.LayerKernels;
import org.inertia.kernels.simd.Plane;

/**
 * The fused layer kernels of the CPU backend (bias + ReLU, ReLU backward with the bias gradient, softmax
 * cross-entropy backward): validates, then runs float32 on {@link LayerKernels} and float64 (or
 * SIMD-disabled float32) on {@link LayerReference}. Operands are rank-2 [rows, cols] views of any strides
 * (a bias is a rank-1 [cols] view); an output may be the very same view as an input where the method says
 * so, and must otherwise be disjoint from every input.
 */
public final class CpuLayers {
    private CpuLayers() {
    }

    /** See {@link org.inertia.kernels.Backend#addBiasRelu}. */
    public static void addBiasRelu(NdArray x, NdArray bias, NdArray out) {
        Checks.sameFloating("x", x, "out", out);
        Checks.rank("x", x, 2);
        Checks.sameShape("x", x, "out", out);
        if (bias != null) {
            Checks.sameFloating("x", x, "bias", bias);
            Checks.rank("bias", bias, 1);
            if (bias.dim(0) != x.dim(1)) {
                throw new IllegalArgumentException("bias must have one element per column of x " + x.shape() + ", got "
                        + bias.shape());
            }
            Checks.disjoint("bias", bias, "out", out);
        }
        Checks.writable("out", out);
        Checks.noPartialOverlap("x", x, "out", out);
        if (!simd(out)) {
            LayerReference.addBiasRelu(x, bias, out);
            return;
        }
        LayerKernels.addBiasRelu(x.dim(0), x.dim(1), plane(x), bias == null ? null : bias.segment(),
                bias == null ? 0 : bias.offset(), bias == null ? 0 : bias.stride(0), plane(out));
    }

    /** See {@link org.inertia.kernels.Backend#reluBackward}. */
    public static void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias) {
        Checks.sameFloating("y", y, "g", g);
        Checks.sameFloating("y", y, "gz", gz);
        Checks.rank("y", y, 2);
        Checks.sameShape("y", y, "g", g);
        Checks.sameShape("y", y, "gz", gz);
        Checks.writable("gz", gz);
        Checks.noPartialOverlap("y", y, "gz", gz);
        Checks.noPartialOverlap("g", g, "gz", gz);
        if (gBias != null) {
            Checks.sameFloating("y", y, "gBias", gBias);
            Checks.rank("gBias", gBias, 1);
            if (gBias.dim(0) != y.dim(1)) {
                throw new IllegalArgumentException("gBias must have one element per column of y " + y.shape() + ", got "
                        + gBias.shape());
            }
            Checks.writable("gBias", gBias);
            Checks.disjoint("y", y, "gBias", gBias);
            Checks.disjoint("g", g, "gBias", gBias);
            Checks.disjoint("gz", gz, "gBias", gBias);
        }
        if (!simd(gz)) {
            LayerReference.reluBackward(y, g, gz, gBias);
            return;
        }
        int rows = y.dim(0);
        int cols = y.dim(1);
        // The column sums join the pass where sum(gz, 0, ·) would take its column kernel (the layout of a
        // [batch, features] gradient); elsewhere (one row, one column, strided rows) sum itself runs after the
        // pass, so the bias gradient has the bits of the unfused ops in every layout.
        boolean fusedSums = gBias != null && rows > 1 && cols > 1 && gz.stride(0) != 1 && gz.stride(1) == 1;
        double[] sums = fusedSums ? new double[cols] : null;
        LayerKernels.reluBackward(rows, cols, plane(y), plane(g), plane(gz), sums);
        if (fusedSums) {
            for (int j = 0; j < cols; j++) {
                gBias.setAtOffset(gBias.offset() + j * gBias.stride(0), sums[j]); // rounded once to float
            }
        } else if (gBias != null) {
            CpuReductions.sum(gz, 0, gBias);
        }
    }

    /** See {@link org.inertia.kernels.Backend#softmaxCrossEntropyBackward}. */
    public static void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out) {
        Checks.sameFloating("logp", logp, "out", out);
        Checks.rank("logp", logp, 2);
        Checks.sameShape("logp", logp, "out", out);
        java.util.Objects.requireNonNull(labels, "labels");
        if (labels.length != logp.dim(0)) {
            throw new IllegalArgumentException(labels.length + " labels for " + logp.dim(0) + " rows of logp "
                    + logp.shape());
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= logp.dim(1)) {
                throw new IllegalArgumentException("label " + labels[r] + " of row " + r + " is outside [0, "
                        + logp.dim(1) + ")");
            }
        }
        Checks.writable("out", out);
        Checks.noPartialOverlap("logp", logp, "out", out);
        if (!simd(out)) {
            LayerReference.softmaxCrossEntropyBackward(logp, labels, scale, out);
            return;
        }
        LayerKernels.softmaxCrossEntropyBackward(logp.dim(0), logp.dim(1), plane(logp), labels, (float) scale,
                plane(out));
    }

    private static boolean simd(NdArray a) {
        return a.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    private static Plane plane(NdArray a) {
        return new Plane(a.segment(), a.offset(), a.stride(0), a.stride(1));
    }
}
