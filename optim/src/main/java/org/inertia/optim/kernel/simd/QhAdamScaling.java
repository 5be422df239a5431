package org.inertia.optim.kernel.simd;

import org.inertia.optim.kernel.StepHyper;

/**
 * QHAdam's update with the root's argument divided by the larger of its two weights, for ν2 ≠ 1
 * (Ma and Yarats 2019, Algorithm 1; equation in {@link StepHyper.QhAdam}). With c = max(ν2, 1−ν2) ≥ ½,
 * <pre>
 *   −lr·(ν1 m + (1−ν1) d) / (√(ν2 v + (1−ν2) d²) + eps)
 *     = (p1 m + p0 d) / (√(v + k d²) + e)   if ν2 ≥ ½ (c = ν2),
 *     = (p1 m + p0 d) / (√(d² + k v) + e)   if ν2 &lt; ½ (c = 1−ν2),
 *   p1 = −lr ν1/√c,  p0 = −lr (1−ν1)/√c,  e = eps/√c,  k = (1−c)/c ∈ [0, 1],
 * </pre>
 * exactly in real arithmetic (multiply numerator and denominator by 1/√c). Because c ≥ ½, 1/√c ≤ √2 and
 * k ≤ 1: no constant overflows or loses range, and ν2 = 0 gives k = 0, so √(d² + 0·v) = |d| as the
 * direct form.
 *
 * @param p1          −lr ν1/√c, rounded to float
 * @param p0          −lr (1−ν1)/√c, rounded to float
 * @param k           (1−c)/c, the weight of the smaller term under the root, rounded to float
 * @param eps         eps/√c, rounded to float
 * @param vWeighsMore whether ν2 ≥ ½, so v keeps weight 1 under the root and d² gets k (else the reverse)
 */
record QhAdamScaling(float p1, float p0, float k, float eps, boolean vWeighsMore) {
    /**
     * The scaled constants of one step.
     *
     * @param h the step's scalars (ν2 in [0, 1), as {@code QhAdam.Hyper} checks)
     * @return the constants, each computed in double and rounded once to float
     */
    static QhAdamScaling of(StepHyper.QhAdam h) {
        boolean vWeighsMore = h.nu2() >= 0.5;
        double c = vWeighsMore ? h.nu2() : 1 - h.nu2();
        double s = 1 / Math.sqrt(c);
        return new QhAdamScaling((float) (-h.lr() * h.nu1() * s), (float) (-h.lr() * (1 - h.nu1()) * s),
                (float) ((1 - c) / c), (float) (h.eps() * s), vWeighsMore);
    }
}
