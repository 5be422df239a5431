package org.inertia.app.experiments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.Sghmc;
import org.inertia.optim.Sgld;

/**
 * SGLD against SGHMC on a {@link BayesianLogisticRegression} posterior (momentum notes §1; lecture: "LMC vs
 * HMC ... momentum accelerates MCMC sampling"), both from the optim library, from w₀ = 0, one stochastic
 * gradient per iteration each.
 *
 * <ul>
 *   <li>SGLD: w ← w − s ∇Ũ(w) + √(2s) ξ with s = c/L.</li>
 *   <li>SGHMC: p ← p − γ s p − s ∇Ũ(w) + √(2γs) ξ, w ← w + s p (η = 1). Eliminating p gives heavy ball with
 *       α = s² and β = 1 − γs; we take α = c/L (the same step as SGLD) and the critically damped
 *       β = (1 − √(αμ))² for the smallest curvature μ, i.e. s = √(c/L), γ = (1 − β)/s.</li>
 * </ul>
 *
 * With mini-batch gradients two more SGHMC runs apply Chen et al.'s (2014) noise correction
 * ({@link Sghmc.NoiseCorrection}): "SGHMC, B from batch" estimates the gradient noise V̂ of each iteration from
 * its own batch (N²/B times the per-example gradients' sample variance), "SGHMC, B running" from running moments
 * of the gradients (decay 0.99); B̂ = ½ s V̂ is taken off the injected noise and the friction raised where needed.
 *
 * <p>L and μ are the extreme eigenvalues of ∇²U at the posterior mode. Recorded per iteration: the energy gap
 * U(w_k) − U(w_MAP) (about d/2 at stationarity), the position along the slowest eigendirection in units of
 * its posterior standard deviation 1/√μ, and the test accuracy and negative log-likelihood of the Bayesian
 * model average of all samples so far.
 */
public final class SamplerStudy {
    /** The samplers, in plotting order. */
    public static final String[] METHODS = {"SGLD", "SGHMC"};

    /** The noise-corrected SGHMC runs, added when the gradients are mini-batch estimates. */
    public static final String[] CORRECTED = {"SGHMC, B from batch", "SGHMC, B running"};

    /** Settings: iterations, mini-batch size, step scale c (s = c/L). */
    public record Settings(int steps, int batch, double stepScale, long seed) {
    }

    /** One sampler's traces and summaries. */
    public record Trace(double[] energyGap, double[] slowCoordinate, double[] bmaAccuracy, double[] bmaNll,
                        int burnIn, double autocorrelationTime, String tuning) {
    }

    private SamplerStudy() {
    }

    public static Map<String, Trace> run(BayesianLogisticRegression model, Settings s) {
        double[] map = model.map();
        BayesianLogisticRegression.Extremes e = BayesianLogisticRegression.extremes(model.hessian(map));
        double uMap = model.potential(map);
        Map<String, Trace> out = new LinkedHashMap<>();
        for (String m : METHODS) {
            out.put(m, runOne(model, s, m, map, uMap, e));
        }
        if (s.batch() < model.trainSize()) {
            for (String m : CORRECTED) {
                out.put(m, runOne(model, s, m, map, uMap, e));
            }
        }
        return out;
    }

    /** The Hessian's extreme eigenvalues at the mode (what the samplers are tuned from). */
    public static BayesianLogisticRegression.Extremes curvature(BayesianLogisticRegression model) {
        return BayesianLogisticRegression.extremes(model.hessian(model.map()));
    }

    static Trace runOne(BayesianLogisticRegression model, Settings s, String method, double[] map, double uMap,
                        BayesianLogisticRegression.Extremes e) {
        int d = model.dimension();
        double alpha = s.stepScale() / e.max();
        NdArray variance = NdArray.zeros(Dtype.F64, d);
        long hot = 0;
        Optimizer<?> opt;
        String tuning;
        if (method.equals("SGLD")) {
            Sgld o = new Sgld();
            opt = o;
            tuning = String.format(java.util.Locale.ROOT, "s = %.3g", alpha);
            o.addGroup(new Sgld.Hyper(alpha, model.priorPrecision(), 1, s.seed()), params(d));
        } else {
            double beta = Math.pow(1 - Math.sqrt(alpha * e.min()), 2);
            double step = Math.sqrt(alpha);
            double friction = (1 - beta) / step;
            tuning = String.format(java.util.Locale.ROOT, "s = %.3g, friction = %.3g (beta = %.4f), eta = 1", step,
                    friction, beta);
            Sghmc.NoiseCorrection c = switch (method) {
                case "SGHMC" -> Sghmc.NoiseCorrection.none();
                case "SGHMC, B from batch" -> Sghmc.NoiseCorrection.given(pair -> variance);
                case "SGHMC, B running" -> Sghmc.NoiseCorrection.runningMoments(0.99);
                default -> throw new IllegalArgumentException("unknown sampler " + method);
            };
            if (!method.equals("SGHMC")) {
                tuning += method.endsWith("batch") ? ", B = s V/2, V from the batch" : ", B = s V/2, V from running moments (0.99)";
            }
            Sghmc o = new Sghmc(c, null);
            opt = o;
            o.addGroup(new Sghmc.Hyper(step, friction, 1, model.priorPrecision(), 1, s.seed()), params(d));
        }
        Params p = opt.group().params().getFirst();
        double[] varianceValues = new double[d];
        double[] w = new double[d];
        double[] g = new double[d];
        double[] pred = new double[model.testSize()];
        double[] avg = new double[model.testSize()];
        double[] gap = new double[s.steps()];
        double[] slow = new double[s.steps()];
        double[] acc = new double[s.steps()];
        double[] nll = new double[s.steps()];
        SplittableRandom batches = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
        double sd = 1 / Math.sqrt(e.min());
        try (opt; Progress bar = Progress.start("sample " + method, s.steps())) {
            for (int k = 0; k < s.steps(); k++) {
                model.likelihoodGradient(w, s.batch(), batches, g, varianceValues);
                for (int j = 0; j < d; j++) {
                    p.grad().setAtOffset(j, g[j]);
                    variance.setAtOffset(j, varianceValues[j]);
                }
                opt.step();
                if (opt instanceof Sghmc sg) {
                    hot += sg.hotElements();
                }
                for (int j = 0; j < d; j++) {
                    w[j] = p.param().getAtOffset(j);
                }
                gap[k] = model.potential(w) - uMap;
                double proj = 0;
                for (int j = 0; j < d; j++) {
                    proj += (w[j] - map[j]) * e.minVector()[j];
                }
                slow[k] = proj / sd;
                model.predict(w, pred);
                for (int i = 0; i < avg.length; i++) {
                    avg[i] += (pred[i] - avg[i]) / (k + 1);
                }
                acc[k] = model.testAccuracy(avg);
                nll[k] = model.testNll(avg);
                bar.step();
            }
        } finally {
            p.param().close();
            p.grad().close();
            variance.close();
        }
        int burn = burnIn(gap, d);
        int from = Math.max(burn, s.steps() / 2);
        double tau = from < s.steps() - 10 ? autocorrelationTime(java.util.Arrays.copyOfRange(slow, from, s.steps()))
                : Double.NaN;
        if (method.startsWith("SGHMC, B")) {
            tuning += String.format(java.util.Locale.ROOT, "; friction at its cap 1/s (still hot) in %.1f%% of element-steps",
                    100.0 * hot / ((double) s.steps() * d));
        }
        return new Trace(gap, slow, acc, nll, burn, tau, tuning);
    }

    private static Params params(int d) {
        return new Params(NdArray.zeros(Dtype.F64, d), NdArray.zeros(Dtype.F64, d));
    }

    /**
     * The first iteration k (1-based) from which the mean energy gap over the next 50 iterations is at most
     * d (the stationary mean is about d/2), or −1 if that never happens.
     */
    static int burnIn(double[] gap, int d) {
        int w = Math.min(50, gap.length);
        double sum = 0;
        for (int i = 0; i < w; i++) {
            sum += gap[i];
        }
        for (int k = 0; k + w <= gap.length; k++) {
            if (sum / w <= d) {
                return k + 1;
            }
            if (k + w < gap.length) {
                sum += gap[k + w] - gap[k];
            }
        }
        return -1;
    }

    /**
     * Integrated autocorrelation time τ = 1 + 2 Σ_t ρ(t), summed until the window t ≥ 5τ (Sokal's
     * automatic windowing); the effective sample size of n draws is n/τ.
     */
    static double autocorrelationTime(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        double c0 = 0;
        for (double v : x) {
            c0 += (v - mean) * (v - mean) / n;
        }
        if (c0 == 0) {
            return Double.NaN;
        }
        double tau = 1;
        for (int t = 1; t < n / 2; t++) {
            double c = 0;
            for (int i = 0; i + t < n; i++) {
                c += (x[i] - mean) * (x[i + t] - mean);
            }
            tau += 2 * c / n / c0;
            if (t >= 5 * tau) {
                break;
            }
        }
        return tau;
    }
}
