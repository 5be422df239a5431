package org.inertia.app.experiments;

import java.util.LinkedHashMap;
import java.util.Map;
import org.inertia.optim.HeavyBallTuning;

/**
 * Grosse's heavy-ball analysis for quadratics (momentum notes, section 2). Along an eigendirection of
 * curvature h, heavy ball with step α and momentum β is the 2×2 recurrence
 * x_{k+1} = (1 + β − αh) x_k − β x_{k−1}; its spectral radius is ½(γ + √(γ² − 4β)) when overdamped and
 * √β when underdamped (γ = 1 + β − αh). With α = 1/L, the critically damped choice for the smallest
 * curvature, β = (1 − 1/√κ)², gives a rate 1 − 1/√κ instead of gradient descent's 1 − 1/κ.
 */
public final class HeavyBallStudy {
    private HeavyBallStudy() {
    }

    /** x_k along one eigendirection, from x_0 = x_{−1} = 1, for k = 0 … steps−1. */
    public static double[] trajectory(double alpha, double beta, double h, int steps) {
        double[] x = new double[steps];
        double prev = 1;
        double cur = 1;
        for (int k = 0; k < steps; k++) {
            x[k] = cur;
            double next = (1 + beta - alpha * h) * cur - beta * prev;
            prev = cur;
            cur = next;
        }
        return x;
    }

    /** Spectral radius against curvature h ∈ [μ, L] (log-spaced points) for each β. */
    public static Map<String, double[][]> radiusAgainstCurvature(double lMax, double lMin, double[] betas, int points) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        double[] h = new double[points];
        for (int i = 0; i < points; i++) {
            h[i] = lMin * Math.pow(lMax / lMin, i / (points - 1.0));
        }
        for (double beta : betas) {
            HeavyBallTuning t = new HeavyBallTuning(1 / lMax, beta, lMax, lMin);
            double[] rho = new double[points];
            for (int i = 0; i < points; i++) {
                rho[i] = t.spectralRadius(h[i]);
            }
            out.put("beta = " + beta, new double[][] {h, rho});
        }
        return out;
    }

    /** Iterations for the slowest direction to shrink by {@code factor} at worst-case rate ρ: ln(factor)/ln ρ. */
    public static double iterationsToShrink(double rho, double factor) {
        return Math.log(factor) / Math.log(rho);
    }

    /**
     * max over {@code points} log-spaced curvatures h ∈ [μ, L] of |x_N| after N = {@code steps} iterations of
     * the recurrence from x_0 = x_{−1} = 1: the measured counterpart of ρ^N.
     */
    public static double worstResidual(double alpha, double beta, double lMax, double lMin, int steps, int points) {
        double worst = 0;
        for (int i = 0; i < points; i++) {
            double h = lMin * Math.pow(lMax / lMin, i / (points - 1.0));
            double prev = 1;
            double cur = 1;
            for (int k = 0; k < steps; k++) {
                double next = (1 + beta - alpha * h) * cur - beta * prev;
                prev = cur;
                cur = next;
            }
            worst = Math.max(worst, Math.abs(cur));
        }
        return worst;
    }
}
