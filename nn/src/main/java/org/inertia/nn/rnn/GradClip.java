package org.inertia.nn.rnn;

import java.util.Collection;
import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Tensor;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}: with the global norm
 * ‖g‖ = √(Σ_p ‖g_p‖²) over every parameter's gradient, if ‖g‖ > maxNorm each gradient is scaled by
 * maxNorm / (‖g‖ + 1e-6). Uses the backend's nrm2 and scal.
 */
public final class GradClip {
    private GradClip() {
    }

    /** Clips in place and returns the norm before clipping. Parameters without a gradient are skipped. */
    public static double clipGradNorm(Collection<Tensor> parameters, double maxNorm) {
        java.util.Objects.requireNonNull(parameters, "parameters");
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        double sq = 0;
        for (Tensor p : parameters) {
            NdArray g = p.grad();
            if (g != null) {
                double n = p.backend().blas1().nrm2(flat(g));
                sq += n * n;
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            double factor = maxNorm / (norm + 1e-6);
            for (Tensor p : parameters) {
                NdArray g = p.grad();
                if (g != null) {
                    Backend be = p.backend();
                    be.blas1().scal(factor, flat(g));
                }
            }
        }
        return norm;
    }

    private static NdArray flat(NdArray g) {
        return g.reshape((int) g.numel()); // gradients are contiguous arrays made by backward
    }
}
