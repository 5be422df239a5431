package org.inertia.kernels;

/**
 * One implementation of the gradient-clipping building blocks (Σg², scaling, clamping):
 * {@code cpu.GradClipScalar} (double precision, any floating dtype) or {@code simd.GradClipSimd}
 * (float32, long gradients in fixed chunks over the kernel pool), picked once by
 * {@code cpu.GradClipProvider}. Callers go through the validating facade {@link GradClip};
 * implementations receive open, contiguous, floating gradients of any rank.
 */
public interface GradClipSupport {
    /**
     * Σ g_i², accumulated in double.
     *
     * @param g the gradient, contiguous
     * @return Σ g_i²
     */
    double sumOfSquares(NdArray g);

    /**
     * g ← factor·g.
     *
     * @param g the gradient, contiguous; updated in place
     * @param factor the multiplier
     */
    void scale(NdArray g, double factor);

    /**
     * g ← clamp(g, −clip, clip) for a finite clip ≥ 0; NaN stays NaN.
     *
     * @param g the gradient, contiguous; updated in place
     * @param clip the bound; finite and >= 0
     */
    void clampValue(NdArray g, double clip);
}
