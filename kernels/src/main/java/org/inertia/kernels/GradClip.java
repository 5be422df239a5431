package org.inertia.kernels;

import java.util.Arrays;
import java.util.Objects;

/**
 * The gradient-clipping family's validating facade: the building blocks of PyTorch's
 * {@code clip_grad_norm_} / {@code clip_grad_value_} (Σg², scaling, clamping) over contiguous gradients
 * of any rank, and {@link #clipGradNorm} composed from them. Checks each gradient once and runs the
 * implementation a backend chose for its dtype ({@link Backend#gradClip()}). (The fused optimizer steps are
 * not here: the optim module owns them.)
 */
public final class GradClip {
    private final GradClipSupport float32;
    private final GradClipSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public GradClip(GradClipSupport float32, GradClipSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private GradClipSupport impl(NdArray g) {
        return g.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * Σ g_i² over a contiguous gradient, accumulated in double (the global-norm building block).
     *
     * @param grad the gradient, contiguous and floating
     * @return Σ g_i²
     */
    public double sumOfSquares(NdArray grad) {
        check(grad);
        return impl(grad).sumOfSquares(grad);
    }

    /**
     * grad ← factor·grad over a contiguous gradient.
     *
     * @param grad the gradient, contiguous and floating; updated in place
     * @param factor the multiplier
     */
    public void scale(NdArray grad, double factor) {
        check(grad);
        impl(grad).scale(grad, factor);
    }

    /**
     * grad ← clamp(grad, −clip, clip) over a contiguous gradient; NaN stays NaN. clip must be finite and ≥ 0.
     *
     * @param grad the gradient, contiguous and floating; updated in place
     * @param clip the bound; finite and >= 0
     */
    public void clampValue(NdArray grad, double clip) {
        check(grad);
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip value must be finite and >= 0, got " + clip);
        }
        impl(grad).clampValue(grad, clip);
    }

    /**
     * PyTorch {@code clip_grad_norm_}: total = √(Σ over all grads of Σ g_i²); every grad is multiplied by
     * min(1, maxNorm/(total + 1e-6)). A NaN or infinite total propagates into the gradients (PyTorch's
     * default {@code error_if_nonfinite=False}). Returns the total norm before clipping.
     *
     * @param maxNorm the largest total norm allowed; > 0
     * @param grads the gradients, contiguous and floating; scaled in place
     * @return the total norm of all gradients before clipping
     */
    public double clipGradNorm(double maxNorm, NdArray... grads) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double ss = 0;
        for (NdArray g : grads) {
            ss += sumOfSquares(g);
        }
        double total = Math.sqrt(ss);
        double coef = Math.min(maxNorm / (total + 1e-6), 1.0);
        if (Double.isNaN(total)) {
            coef = Double.NaN;
        }
        for (NdArray g : grads) {
            scale(g, coef);
        }
        return total;
    }

    private static void check(NdArray g) {
        Checks.floating("grad", g);
        Checks.open("grad", g);
        if (!g.isContiguous()) {
            throw new IllegalArgumentException("grad " + g.shape() + " with strides " + Arrays.toString(g.strides())
                    + " must be contiguous for gradient clipping");
        }
    }
}
