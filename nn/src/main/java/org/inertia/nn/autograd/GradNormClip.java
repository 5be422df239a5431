package org.inertia.nn.autograd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;

/**
 * Gradient clipping of autograd parameters, as {@code torch.nn.utils.clip_grad_norm_}: with the global norm
 * ‖g‖ = √(Σ_p ‖g_p‖²) over every parameter's gradient, each gradient is multiplied by
 * min(1, maxNorm / (‖g‖ + 1e-6)).
 *
 * <p>One implementation of the clipping exists: {@link org.inertia.kernels.GradClip#clipGradNorm(double, NdArray...)}, on the
 * backend's fused sum-of-squares and scale kernels. This class gathers the gradients of a collection of
 * tensors for it, as {@code Optimizer.clipGradNorm} does for an optimizer's parameter groups.
 */
public final class GradNormClip {
    private GradNormClip() {
    }

    /**
     * Clips in place and returns the norm before clipping. Parameters without a gradient are skipped; all
     * gradients must be on one backend.
     *
     * @param parameters the tensors whose {@link Tensor#grad()} to clip
     * @param maxNorm the largest allowed global L2 norm; finite, > 0
     * @return the global L2 norm of all gradients before clipping
     * @throws IllegalArgumentException if {@code maxNorm} is not finite and positive
     */
    public static double clipGradNorm(Collection<Tensor> parameters, double maxNorm) {
        Checks.present("clipGradNorm", "parameters", parameters);
        Checks.positive("clipGradNorm", "maxNorm", maxNorm);
        List<NdArray> grads = new ArrayList<>();
        Tensor first = null;
        int i = 0;
        for (Tensor p : parameters) {
            Checks.present("clipGradNorm", "parameters[" + i + "]", p);
            NdArray g = p.grad();
            if (g != null) {
                if (first == null) {
                    first = p;
                } else if (p.backend() != first.backend()) {
                    throw new IllegalArgumentException("clipGradNorm: parameters[" + i + "] is on backend "
                            + p.backend().name() + " but the first with a gradient is on " + first.backend().name());
                }
                grads.add(g);
            }
            i++;
        }
        return first == null ? 0 : first.backend().gradClip().clipGradNorm(maxNorm, grads.toArray(NdArray[]::new));
    }
}
