package org.inertia.app.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.optim.AdEMAMix;
import org.inertia.optim.Adamax;
import org.inertia.optim.AdaptiveRestartNag;
import org.inertia.optim.momentum.AdaptiveRestart;
import org.inertia.optim.HeavyBall;
import org.inertia.optim.HeavyBallTuning;
import org.inertia.optim.Lion;
import org.inertia.optim.NAdam;
import org.inertia.optim.Nag;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.QhAdam;
import org.inertia.optim.Qhm;
import org.inertia.optim.RAdam;
import org.inertia.optim.Schedule;
import org.inertia.optim.ScheduleFree;
import org.inertia.optim.ScheduleFreeAdamW;
import org.inertia.optim.ScheduleFreeSgd;
import org.inertia.optim.ScheduledRestartSgd.RestartSchedule;
import org.inertia.optim.ScheduledRestartSgd;
import org.inertia.optim.Sgd;

/**
 * Runs the lectures' methods on a {@link QuadraticProblem} from w₀ = 0 with step 1/L, through the
 * optim library in float64, and records per iteration f(w_k) − f* (path graph) or ‖∇f(w_k)‖ (cycle
 * graph, where f has no minimum).
 *
 * <p>Methods: GD; GD + momentum (heavy ball with β = 0.9); heavy ball tuned for the problem's κ
 * (β = (1 − 1/√κ)²); NAG with μ_k = (k−1)/(k+2); ARNAG (function-value restart tested at the iterate,
 * f(w_k) ≤ f(w_{k−1}), the lecture's slide); "ARNAG (f at v)", the same with O'Donoghue and Candès's test at
 * the gradient-step point, f(v_k) ≤ f(v_{k−1}); SRNAG with the reference script's restart periods F = 1000 for
 * k &lt; 2000, 2000 for k &lt; 10 000, 4000 beyond, μ_k = (k mod F)/((k mod F)+3) within each stage. Every method
 * sees the same noise sequence (same seed): the extra objective evaluation at v draws no noise.
 */
public final class QuadraticExperiment {
    /** The lectures' methods, in plotting order: the default of {@code ./inertia quadratic}. */
    public static final String[] METHODS = {"GD", "GD+momentum", "heavy ball", "NAG", "ARNAG", "ARNAG (f at v)",
        "SRNAG"};

    /**
     * Every method {@link #run(QuadraticProblem, QuadraticProblem.Noise, int, long, Progress, List)} knows: the
     * lectures' and the newer ones (issue #13) with the settings used here: QHM (lr 1/L, β 0.9, ν 0.7), QHM with
     * Demon's momentum decay over the run, Lion (lr 1e-3), the Adam family (NAdam, RAdam, Adamax, QHAdam,
     * AdEMAMix; lr 0.01, default betas), schedule-free SGD (lr 1/L, β 0.9) and AdamW (lr 0.01), whose curves
     * are measured at the averaged point x ({@code eval()} around each measurement).
     */
    public static final List<String> ALL_METHODS = List.of("GD", "GD+momentum", "heavy ball", "NAG", "ARNAG",
            "ARNAG (f at v)", "SRNAG", "QHM", "QHM+Demon", "Lion", "NAdam", "RAdam", "Adamax", "QHAdam", "AdEMAMix",
            "SF-SGD", "SF-AdamW");

    private QuadraticExperiment() {
    }

    /** Curves per method: element k−1 is the metric after iteration k. */
    public static Map<String, double[]> run(QuadraticProblem p, QuadraticProblem.Noise noise, int steps, long seed) {
        return run(p, noise, steps, seed, null);
    }

    /** As {@link #run(QuadraticProblem, QuadraticProblem.Noise, int, long)}, advancing {@code progress} once per step. */
    public static Map<String, double[]> run(QuadraticProblem p, QuadraticProblem.Noise noise, int steps, long seed,
                                            Progress progress) {
        return run(p, noise, steps, seed, progress, List.of(METHODS));
    }

    /**
     * Curves of the named methods (names from {@link #ALL_METHODS}, in the given order), advancing
     * {@code progress} once per step.
     *
     * @throws IllegalArgumentException naming an unknown method and the known ones
     */
    public static Map<String, double[]> run(QuadraticProblem p, QuadraticProblem.Noise noise, int steps, long seed,
                                            Progress progress, List<String> methods) {
        double lr = 1 / p.smoothness();
        Map<String, Function<Params, Optimizer<?>>> makers = new LinkedHashMap<>();
        makers.put("GD", w -> withGroup(new Sgd(), Sgd.hyper().lr(lr).build(), w));
        makers.put("GD+momentum", w -> withGroup(new HeavyBall(), new HeavyBall.Hyper(lr, 0.9), w));
        makers.put("heavy ball", w -> {
            double mu = p.graph() == QuadraticProblem.Graph.PATH ? p.strongConvexity() : 1e-6;
            HeavyBallTuning t = HeavyBallTuning.of(p.smoothness(), mu);
            return withGroup(new HeavyBall(), new HeavyBall.Hyper(t.alpha(), t.beta()), w);
        });
        makers.put("NAG", w -> withGroup(new Nag(), new Nag.Hyper(lr), w));
        makers.put("ARNAG", w -> withGroup(new AdaptiveRestartNag(), new AdaptiveRestartNag.Hyper(lr), w));
        makers.put("ARNAG (f at v)", w -> withGroup(new AdaptiveRestartNag(AdaptiveRestart.Test.GRADIENT_STEP, null),
                new AdaptiveRestartNag.Hyper(lr), w));
        makers.put("SRNAG", w -> withGroup(new ScheduledRestartSgd(),
                new ScheduledRestartSgd.Hyper(lr, 0, RestartSchedule.of(1000, 2000, 4000), 1.0, 2000, 10_000), w));
        makers.put("QHM", w -> withGroup(new Qhm(), Qhm.hyper().lr(lr).beta(0.9).nu(0.7).build(), w));
        makers.put("QHM+Demon", w -> {
            Qhm o = new Qhm();
            o.addGroup(Qhm.hyper().lr(lr).beta(0.9).nu(0.7).build(), w).momentumSchedule(Schedule.demon(0.9, steps));
            return o;
        });
        makers.put("Lion", w -> withGroup(new Lion(), Lion.hyper().lr(1e-3).build(), w));
        makers.put("NAdam", w -> withGroup(new NAdam(), NAdam.hyper().lr(0.01).build(), w));
        makers.put("RAdam", w -> withGroup(new RAdam(), RAdam.hyper().lr(0.01).build(), w));
        makers.put("Adamax", w -> withGroup(new Adamax(), Adamax.hyper().lr(0.01).build(), w));
        makers.put("QHAdam", w -> withGroup(new QhAdam(), QhAdam.hyper().lr(0.01).build(), w));
        makers.put("AdEMAMix", w -> withGroup(new AdEMAMix(), AdEMAMix.hyper().lr(0.01).build(), w));
        makers.put("SF-SGD", w -> withGroup(new ScheduleFreeSgd(), ScheduleFreeSgd.hyper().lr(lr).build(), w));
        makers.put("SF-AdamW", w -> withGroup(new ScheduleFreeAdamW(), ScheduleFreeAdamW.hyper().lr(0.01).build(), w));
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (String name : methods) {
            Function<Params, Optimizer<?>> make = makers.get(name);
            if (make == null) {
                throw new IllegalArgumentException("unknown method " + name + "; known: " + ALL_METHODS);
            }
            curves.put(name, runOne(p, noise, steps, seed, make, progress));
        }
        return curves;
    }

    private static <H extends Optimizer.Hyper> Optimizer<?> withGroup(Optimizer<H> o, H hyper, Params w) {
        o.addGroup(hyper, w);
        return o;
    }

    private static double[] runOne(QuadraticProblem p, QuadraticProblem.Noise noise, int steps, long seed,
                                   Function<Params, Optimizer<?>> make, Progress progress) {
        double[] curve = new double[steps];
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean path = p.graph() == QuadraticProblem.Graph.PATH;
        try (NdArray w = NdArray.zeros(Dtype.F64, p.dimension()); NdArray g = NdArray.zeros(Dtype.F64, p.dimension());
             Optimizer<?> opt = make.apply(new Params(w, g))) {
            for (int k = 1; k <= steps; k++) {
                double sigma = noise.sigma(k);
                // the closure re-evaluates f and fills the (noisy) gradient; ARNAG restarts on f increases. A second
                // call in the same step (ARNAG's test at v_k) only evaluates f: the gradient there is not used
                int[] calls = {0};
                opt.step(() -> {
                    if (calls[0]++ == 0) {
                        p.gradient(w, g, sigma, rnd);
                    }
                    return p.value(w);
                });
                // schedule-free methods are measured at the average x, the point they return
                ScheduleFree<?> sf = opt instanceof ScheduleFree<?> f ? f : null;
                if (sf != null) {
                    sf.eval();
                }
                curve[k - 1] = path ? p.value(w) - p.optimum() : p.gradient(w, g, 0, null);
                if (sf != null) {
                    sf.train();
                }
                if (progress != null) {
                    progress.step();
                }
            }
        }
        return curve;
    }
}
