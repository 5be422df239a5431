package org.inertia.optim;

import org.inertia.kernels.Checks;

/**
 * Heavy-ball tuning for a quadratic whose Hessian eigenvalues lie in [μ, L] (Grosse's lecture, notes
 * section 2). Per eigendirection with curvature h the iteration (w_{k+1}, w_k) = A (w_k, w_{k−1}) has
 * A = [[1 + β − αh, −β], [1, 0]], whose eigenvalues solve λ² − γλ + β = 0 with γ = 1 + β − αh. With
 * α = 1/L: for h ≤ T = (1 − √β)²/α the roots are real (overdamped) and ρ(h) = ½(γ + √(γ² − 4β));
 * for h &gt; T they are complex with modulus √β (underdamped). Making the smallest curvature μ critically
 * damped (T = μ) gives β = (1 − 1/√κ)², κ = L/μ, and the rate ρ = √β = 1 − 1/√κ (−log ρ ≈ 1/√κ, against
 * gradient descent's 1 − 1/κ). The effective learning rate is α/(1 − β).
 *
 * @param alpha  step size α = 1/L
 * @param beta   momentum β = (1 − 1/√κ)²
 * @param lMax   L, the largest curvature
 * @param lMin   μ, the smallest curvature
 */
public record HeavyBallTuning(double alpha, double beta, double lMax, double lMin) {
    /**
     * Checks α, β and the curvature bounds, which {@link #kappa()}, {@link #rate()} and the spectral radius
     * need finite with 0 &lt; μ ≤ L.
     *
     * @throws IllegalArgumentException if α is not finite and &gt; 0, β is outside [0, 1), L or μ is not
     *                                  finite and &gt; 0, or μ &gt; L
     */
    public HeavyBallTuning {
        Checks.positive("alpha", alpha);
        Checks.unit("beta", beta);
        Checks.positive("lMax", lMax);
        Checks.positive("lMin", lMin);
        if (lMin > lMax) {
            throw new IllegalArgumentException("lMin " + lMin + " must be <= lMax " + lMax);
        }
    }

    /**
     * Tuning from the curvature bounds μ ≤ h ≤ L: α = 1/L, β = (1 − 1/√κ)².
     *
     * @param lMax L, the largest Hessian eigenvalue, finite and &gt; 0
     * @param lMin μ, the smallest Hessian eigenvalue, finite, &gt; 0 and ≤ L
     * @return the tuned α and β with the bounds
     * @throws IllegalArgumentException if a bound is not finite and positive, or μ &gt; L
     */
    public static HeavyBallTuning of(double lMax, double lMin) {
        Checks.positive("L", lMax);
        Checks.positive("mu", lMin);
        if (lMin > lMax) {
            throw new IllegalArgumentException("mu " + lMin + " must be <= L " + lMax);
        }
        double kappa = lMax / lMin;
        double b = 1 - 1 / Math.sqrt(kappa);
        return new HeavyBallTuning(1 / lMax, b * b, lMax, lMin);
    }

    /**
     * Tuning from the condition number κ = L/μ, with L = 1.
     *
     * @param kappa κ ≥ 1
     * @return the tuning for curvatures in [1/κ, 1]: α = 1, β = (1 − 1/√κ)²
     * @throws IllegalArgumentException if κ &lt; 1 or NaN
     */
    public static HeavyBallTuning ofCondition(double kappa) {
        if (!(kappa >= 1)) {
            throw new IllegalArgumentException("kappa must be >= 1, got " + kappa);
        }
        return of(1, 1 / kappa);
    }

    /**
     * The condition number L/μ.
     *
     * @return κ = lMax/lMin
     */
    public double kappa() {
        return lMax / lMin;
    }

    /**
     * The curvature below which an eigendirection is overdamped: T = (1 − √β)²/α.
     *
     * @return T; equals μ for a tuning made by {@link #of}
     */
    public double threshold() {
        double s = 1 - Math.sqrt(beta);
        return s * s / alpha;
    }

    /**
     * Spectral radius of the iteration matrix for curvature h (the formula above).
     *
     * @param h the curvature (Hessian eigenvalue) of one eigendirection
     * @return ρ(h): ½(|γ| + √(γ² − 4β)) when the roots are real, else √β; below 1 means that direction converges
     */
    public double spectralRadius(double h) {
        double gamma = 1 + beta - alpha * h;
        double disc = gamma * gamma - 4 * beta;
        if (disc >= 0) {
            return 0.5 * (Math.abs(gamma) + Math.sqrt(disc));
        }
        return Math.sqrt(beta);
    }

    /**
     * The worst spectral radius over h ∈ [μ, L] (√β = 1 − 1/√κ at the tuned β).
     *
     * @return the larger of ρ(μ) and ρ(L), the linear convergence rate per step
     */
    public double rate() {
        return Math.max(spectralRadius(lMin), spectralRadius(lMax));
    }

    /**
     * The effective learning rate α/(1 − β).
     *
     * @return the step size plain gradient descent would take for the same long-run progress
     */
    public double effectiveLearningRate() {
        return alpha / (1 - beta);
    }

    /**
     * Hyperparameters for {@link HeavyBall}.
     *
     * @return lr α and β, no weight decay
     */
    public HeavyBall.Hyper hyper() {
        return new HeavyBall.Hyper(alpha, beta);
    }
}
