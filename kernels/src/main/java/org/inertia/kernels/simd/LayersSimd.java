package org.inertia.kernels.simd;

import org.inertia.kernels.LayersSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.ReductionsSupport;
import org.inertia.kernels.cpu.ReductionsProvider;

/**
 * The fused layer kernels on float32 with the Vector API loops of {@link LayerKernels}. Loaded by name by
 * {@code cpu.LayersProvider}, only when SIMD is on.
 */
public final class LayersSimd implements LayersSupport {
    private final ReductionsSupport reductions = ReductionsProvider.float32();

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public LayersSimd() {
        FloatSpecies.requireLanes();
    }

    @Override
    public void addBiasRelu(NdArray x, NdArray bias, NdArray out) {
        LayerKernels.addBiasRelu(x.dim(0), x.dim(1), plane(x), bias == null ? null : bias.segment(),
                bias == null ? 0 : bias.offset(), bias == null ? 0 : bias.stride(0), plane(out));
    }

    @Override
    public void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias) {
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
            columnSums(gz, gBias);
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out) {
        LayerKernels.softmaxCrossEntropyBackward(logp.dim(0), logp.dim(1), plane(logp), labels, (float) scale,
                plane(out));
    }

    /** gBias ← Σ_r gz(r, ·) as the float32 sum reduction computes it (0 for no rows). */
    private void columnSums(NdArray gz, NdArray gBias) {
        if (gz.dim(0) == 0) {
            gBias.forEachOffset(off -> gBias.setAtOffset(off, 0));
        } else {
            reductions.sum(gz, 0, gBias);
        }
    }

    private static Plane plane(NdArray a) {
        return new Plane(a.segment(), a.offset(), a.stride(0), a.stride(1));
    }
}
