package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.CounterNormal;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.optim.momentum.AdaptiveRestart;
import org.inertia.optim.momentum.ScheduledRestart;

/**
 * "Fused matches the readable loop": every optimizer, run in float64 over several parameters of
 * random shapes for several steps (schedules included), against a plain per-element loop written here
 * from the published update rule (PyTorch's single-tensor algorithm where PyTorch has the method, the
 * lecture's equation otherwise), including each method's buffer initialisation and counters.
 *
 * <p>Both sides compute in double with the same operations, possibly in a different order; one step
 * is a short expression (≤ 10 roundings), so after S steps the difference is bounded by about
 * S·10·2^-53 times the magnitudes involved; we allow 1e-12 relative to max(1, |w|) per element, which is
 * ≥ 100× that for the sizes and hyperparameters used (values O(1), S ≤ 6).
 */
class ReadableLoopTest {
    private static final int STEPS = 6;

    /** A readable single-element update: (w, g, state, k) → new w; state is updated in place. */
    interface Rule {
        double step(double w, double g, double[] s, long k, long elementIndex, int slot);
    }

    /** Initial state for one element given w. */
    interface Init {
        double[] init(double w);
    }

    record Method(Supplier<Optimizer<?>> make, Object hyper, Init init, Rule rule, Schedule lr, Schedule momentum) {
        Method(Supplier<Optimizer<?>> make, Object hyper, Init init, Rule rule, Schedule lr) {
            this(make, hyper, init, rule, lr, null);
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("sgd", "sgd-momentum", "sgd-nesterov", "heavyball", "nesterov", "nag", "arnag",
                "arnag-gradient-step", "srsgd", "srsgd-reference", "sgdem", "aggmo", "adagrad", "rmsprop",
                "rmsprop-centered", "adam", "adamw", "amsgrad", "rprop", "sgld", "sghmc", "nadam", "nadamw", "radam",
                "radamw", "adamax", "lion", "qhm", "qhm-demon", "qhadam", "ademamix", "sfsgd", "sfadamw");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Property(tries = 120)
    void optimizerMatchesReadableLoop(@ForAll("methods") String name, @ForAll long seed) {
        Random r = new Random(seed);
        arnagPrevLoss = Double.NaN;
        arnagM = 1;
        srC = 1;
        srStage = 0;
        srStageSteps = 0;
        Method m = method(name, r);
        int count = 1 + r.nextInt(4);
        List<Params> params = new ArrayList<>();
        List<double[]> ws = new ArrayList<>();
        List<double[][]> states = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            int n = r.nextInt(40);
            NdArray w = NdArray.zeros(Dtype.F64, Math.max(n, 1));
            NdArray g = NdArray.zeros(Dtype.F64, Math.max(n, 1));
            double[] wv = new double[Math.max(n, 1)];
            double[][] st = new double[wv.length][];
            for (int i = 0; i < wv.length; i++) {
                wv[i] = r.nextGaussian();
                w.setAtOffset(i, wv[i]);
                st[i] = m.init.init(wv[i]);
            }
            params.add(new Params(w, g));
            ws.add(wv);
            states.add(st);
        }
        Optimizer opt = m.make.get();
        var group = opt.addGroup((Optimizer.Hyper) m.hyper, params);
        if (m.lr != null) {
            group.lrSchedule(m.lr);
        }
        if (m.momentum != null) {
            group.momentumSchedule(m.momentum);
        }
        // a loss sequence for ARNAG: rises at steps 3 and 5
        double[] losses = {5, 4, 4.5, 3, 3.5, 2, 1};
        for (int k = 1; k <= STEPS; k++) {
            List<double[]> gs = new ArrayList<>();
            for (Params p : params) {
                double[] gv = new double[(int) p.grad().numel()];
                for (int i = 0; i < gv.length; i++) {
                    gv[i] = r.nextGaussian();
                    p.grad().setAtOffset(i, gv[i]);
                }
                gs.add(gv);
            }
            double loss = losses[k - 1];
            // ARNAG's gradient-step test evaluates the closure a second time, at v_k: it returns that step's
            // entry of a second sequence, which rises after steps 2 and 5 (where the first one falls)
            double[] vLosses = {4.8, 4.9, 4.0, 3.5, 3.6, 3.0, 2.0};
            int[] calls = {0};
            double vLoss = vLosses[k - 1];
            opt.step(() -> calls[0]++ == 0 ? loss : vLoss);
            assertEquals(name.equals("arnag-gradient-step") ? 2 : 1, calls[0], "closure calls per step");
            arnagLoss = name.equals("arnag-gradient-step") ? (k == 1 ? loss : vLosses[k - 2]) : loss;
            beginStep(name, k);
            for (int p = 0; p < count; p++) {
                double[] wv = ws.get(p);
                for (int i = 0; i < wv.length; i++) {
                    wv[i] = m.rule.step(wv[i], gs.get(p)[i], states.get(p)[i], k, i, p);
                }
                NdArray w = params.get(p).param();
                for (int i = 0; i < wv.length; i++) {
                    double got = w.getAtOffset(i);
                    double tol = 1e-12 * Math.max(1, Math.abs(wv[i]));
                    int step = k;
                    int el = i;
                    int par = p;
                    assertTrue(Math.abs(got - wv[i]) <= tol || (Double.isNaN(got) && Double.isNaN(wv[i])),
                            () -> name + " step " + step + " param " + par + " element " + el + ": optimizer " + got
                                    + " readable loop " + wv[el]);
                }
            }
        }
        opt.close();
        for (Params p : params) {
            p.param().close();
            p.grad().close();
        }
    }

    // ARNAG / SRSGD counters of the readable loops (updated once per step, before the elements)
    private double arnagLoss;
    private double arnagPrevLoss = Double.NaN;
    private long arnagM = 1;
    private long srC = 1;
    private long srCUsed = 1;
    private int srStage;
    private boolean srReset;

    private long srStageSteps;

    private void beginStep(String name, int k) {
        if (name.equals("arnag") || name.equals("arnag-gradient-step")) {
            if (k > 1) {
                arnagM = arnagLoss > arnagPrevLoss ? 1 : arnagM + 1;
            }
            arnagPrevLoss = arnagLoss;
        }
        if (name.equals("srsgd")) {
            // the lectures' mu = (j mod F)/((j mod F) + 3), j the step within the stage; stages start at t = 3
            // (k = 4); F = 3 then 4
            int stage = k - 1 >= 3 ? 1 : 0;
            long f = stage == 0 ? 3 : 4;
            srReset = stage != srStage;
            if (srReset) {
                srStage = stage;
                srStageSteps = 0;
            }
            srStageSteps++;
            srCUsed = srStageSteps % f + 1;
        }
        if (name.equals("srsgd-reference")) {
            // srsgd.py's counter c = 1 .. F-1; stages start at t = 3 (k = 4); F = 3 then 4
            int stage = k - 1 >= 3 ? 1 : 0;
            long f = stage == 0 ? 3 : 4;
            srReset = stage != srStage;
            if (srReset) {
                srStage = stage;
                if (srC >= f) {
                    srC = 1;
                }
            }
            srCUsed = srC;
            srC++;
            if (srC >= f) {
                srC = 1;
            }
        }
    }

    private static double uni(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private Method method(String name, Random r) {
        double lr = uni(r, 0.01, 0.2);
        double wd = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
        return switch (name) {
            case "sgd", "sgd-momentum", "sgd-nesterov" -> {
                double mu = name.equals("sgd") ? 0 : uni(r, 0.1, 0.95);
                double damp = name.equals("sgd-momentum") ? uni(r, 0, 0.5) : 0;
                boolean nes = name.equals("sgd-nesterov");
                boolean max = r.nextBoolean();
                Schedule sched = Schedule.step(lr, 2, 0.5);
                yield new Method(Sgd::new, Sgd.hyper().lr(lr).momentum(mu).dampening(damp).weightDecay(wd).nesterov(nes)
                        .maximize(max).build(), w -> new double[1], (w, g, s, k, i, slot) -> {
                            double d = (max ? -g : g) + wd * w;
                            if (mu != 0) {
                                s[0] = k == 1 ? d : mu * s[0] + (1 - damp) * d;
                                d = nes ? d + mu * s[0] : s[0];
                            }
                            return w - sched.at(k - 1) * d;
                        }, sched);
            }
            case "heavyball" -> {
                double beta = uni(r, 0, 0.95);
                yield new Method(HeavyBall::new, new HeavyBall.Hyper(lr, beta, wd), w -> new double[1],
                        (w, g, s, k, i, slot) -> {
                            s[0] = beta * s[0] - lr * (g + wd * w);
                            return w + s[0];
                        }, null);
            }
            case "nesterov" -> {
                double mu = uni(r, 0.1, 0.95);
                // the readable loop keeps the true iterate x and velocity v and returns the look-ahead point
                yield new Method(Nesterov::new, new Nesterov.Hyper(lr, mu, wd), w -> new double[] {0, w},
                        (theta, g, s, k, i, slot) -> {
                            double x = s[1];
                            double look = x + mu * s[0]; // == theta
                            s[0] = mu * s[0] - lr * (g + wd * look);
                            s[1] = x + s[0];
                            return s[1] + mu * s[0];
                        }, null);
            }
            case "nag" -> new Method(Nag::new, new Nag.Hyper(lr, wd), w -> new double[] {w}, (w, g, s, k, i, slot) -> {
                double y = w - lr * (g + wd * w);
                double out = y + (k - 1.0) / (k + 2.0) * (y - s[0]);
                s[0] = y;
                return out;
            }, null);
            case "arnag", "arnag-gradient-step" -> new Method(name.equals("arnag") ? AdaptiveRestartNag::new
                    : () -> new AdaptiveRestartNag(AdaptiveRestart.Test.GRADIENT_STEP, null),
                    new AdaptiveRestartNag.Hyper(lr, wd), w -> new double[] {w},
                    (w, g, s, k, i, slot) -> {
                        double y = w - lr * (g + wd * w);
                        double out = y + (arnagM - 1.0) / (arnagM + 2.0) * (y - s[0]);
                        s[0] = y;
                        return out;
                    }, null);
            case "srsgd", "srsgd-reference" -> new Method(name.equals("srsgd") ? ScheduledRestartSgd::new
                    : () -> new ScheduledRestartSgd(ScheduledRestart.Indexing.REFERENCE_CODE, null),
                    new ScheduledRestartSgd.Hyper(lr, wd, ScheduledRestartSgd.RestartSchedule.linear(3, 1), 0.1, 3),
                    w -> new double[] {w}, (w, g, s, k, i, slot) -> {
                        if (srReset) {
                            s[0] = w;
                        }
                        double lrk = lr * (srStage == 0 ? 1 : 0.1);
                        double y = w - lrk * (g + wd * w);
                        double out = y + (srCUsed - 1.0) / (srCUsed + 2.0) * (y - s[0]);
                        s[0] = y;
                        return out;
                    }, null);
            case "sgdem" -> {
                double mu = uni(r, 0.1, 0.95);
                yield new Method(SgdEarlyMomentum::new, new SgdEarlyMomentum.Hyper(lr, mu, wd, 2, 4), w -> new double[1],
                        (w, g, s, k, i, slot) -> {
                            double beta = (k - 1) % 4 < 2 ? mu : 0;
                            s[0] = beta * s[0] - lr * (g + wd * w);
                            return w + s[0];
                        }, null);
            }
            case "aggmo" -> {
                double[] betas = {0, 0.9, 0.99};
                yield new Method(AggMo::new, new AggMo.Hyper(lr, betas, wd), w -> new double[3], (w, g, s, k, i, slot) -> {
                    double sum = 0;
                    for (int j = 0; j < 3; j++) {
                        s[j] = betas[j] * s[j] + g + wd * w;
                        sum += s[j];
                    }
                    return w - lr / 3 * sum;
                }, null);
            }
            case "adagrad" -> {
                double decay = uni(r, 0, 0.2);
                double acc = uni(r, 0, 0.3);
                boolean max = r.nextBoolean();
                yield new Method(AdaGrad::new, new AdaGrad.Hyper(lr, decay, wd, acc, 1e-10, max), w -> new double[] {acc},
                        (w, g, s, k, i, slot) -> {
                            double clr = lr / (1 + (k - 1) * decay);
                            double d = (max ? -g : g) + wd * w;
                            s[0] += d * d;
                            return w - clr * d / (Math.sqrt(s[0]) + 1e-10);
                        }, null);
            }
            case "rmsprop", "rmsprop-centered" -> {
                boolean centered = name.equals("rmsprop-centered");
                double alpha = uni(r, 0.5, 0.99);
                double mu = r.nextBoolean() ? uni(r, 0.1, 0.9) : 0;
                yield new Method(RmsProp::new, new RmsProp.Hyper(lr, alpha, 1e-8, wd, mu, centered, false),
                        w -> new double[3], (w, g, s, k, i, slot) -> {
                            double d = g + wd * w;
                            s[0] = alpha * s[0] + (1 - alpha) * d * d;
                            double avg;
                            if (centered) {
                                s[1] = alpha * s[1] + (1 - alpha) * d;
                                avg = Math.sqrt(s[0] - s[1] * s[1]) + 1e-8;
                            } else {
                                avg = Math.sqrt(s[0]) + 1e-8;
                            }
                            if (mu > 0) {
                                s[2] = mu * s[2] + d / avg;
                                return w - lr * s[2];
                            }
                            return w - lr * d / avg;
                        }, null);
            }
            case "adam", "adamw", "amsgrad" -> {
                boolean decoupled = name.equals("adamw");
                boolean ams = name.equals("amsgrad");
                double b1 = uni(r, 0.5, 0.95);
                double b2 = uni(r, 0.9, 0.999);
                Schedule sched = Schedule.cosine(lr, lr / 10, 5);
                var h = (decoupled ? AdamW.hyper() : Adam.hyper()).lr(lr).betas(b1, b2).weightDecay(wd).amsgrad(ams).build();
                yield new Method(decoupled ? AdamW::new : Adam::new, h, w -> new double[3], (w, g, s, k, i, slot) -> {
                    double lrk = sched.at(k - 1);
                    double d = g;
                    if (decoupled) {
                        w *= 1 - lrk * wd;
                    } else {
                        d += wd * w;
                    }
                    s[0] = b1 * s[0] + (1 - b1) * d;
                    s[1] = b2 * s[1] + (1 - b2) * d * d;
                    double v = s[1];
                    if (ams) {
                        s[2] = Math.max(s[2], s[1]);
                        v = s[2];
                    }
                    double mHat = s[0] / (1 - Math.pow(b1, k));
                    double vHat = v / (1 - Math.pow(b2, k));
                    return w - lrk * mHat / (Math.sqrt(vHat) + 1e-8);
                }, sched);
            }
            case "rprop" -> new Method(Rprop::new, new Rprop.Hyper(lr), w -> new double[] {0, lr}, (w, g, s, k, i, slot) -> {
                double p = g * s[0];
                double f = p > 0 ? 1.2 : p < 0 ? 0.5 : 1;
                s[1] = Math.min(Math.max(s[1] * f, 1e-6), 50);
                double d = p < 0 ? 0 : g;
                s[0] = d;
                return w - Math.signum(d) * s[1];
            }, null);
            case "sgld" -> {
                long sd = r.nextLong();
                double temp = uni(r, 0, 2);
                yield new Method(Sgld::new, new Sgld.Hyper(lr, wd, temp, sd), w -> new double[0], (w, g, s, k, i, slot) ->
                        w - lr * (g + wd * w) + Math.sqrt(2 * lr * temp)
                                * CounterNormal.gaussian(sd ^ CounterNormal.mix(slot), k, i), null);
            }
            case "sghmc" -> {
                long sd = r.nextLong();
                double fr = uni(r, 0, 3);
                double eta = uni(r, 0.5, 2);
                yield new Method(Sghmc::new, new Sghmc.Hyper(lr, fr, eta, wd, 1, sd), w -> new double[1],
                        (w, g, s, k, i, slot) -> {
                            double noise = Math.sqrt(2 * fr * lr * eta) * CounterNormal.gaussian(sd ^ CounterNormal.mix(slot), k, i);
                            s[0] = s[0] - fr * lr * s[0] - lr * eta * (g + wd * w) + noise;
                            return w + lr * s[0];
                        }, null);
            }
            case "nadam", "nadamw" -> {
                // torch.optim.NAdam's single-tensor loop, with μ_product carried per element as PyTorch does per tensor
                boolean dec = name.equals("nadamw");
                double b1 = uni(r, 0.5, 0.95);
                double b2 = uni(r, 0.9, 0.999);
                double psi = r.nextBoolean() ? 0.004 : uni(r, 0, 0.1);
                boolean max = r.nextBoolean();
                var h = NAdam.hyper().lr(lr).betas(b1, b2).weightDecay(wd).momentumDecay(psi).decoupledWeightDecay(dec)
                        .maximize(max).build();
                yield new Method(NAdam::new, h, w -> new double[] {0, 0, 1}, (w, g, s, k, i, slot) -> {
                    double grad = max ? -g : g;
                    if (dec) {
                        w *= 1 - lr * wd;
                    } else {
                        grad += wd * w;
                    }
                    double mu = b1 * (1.0 - 0.5 * Math.pow(0.96, k * psi));
                    double muNext = b1 * (1.0 - 0.5 * Math.pow(0.96, (k + 1) * psi));
                    s[2] *= mu;
                    s[0] = s[0] + (1 - b1) * (grad - s[0]);
                    s[1] = b2 * s[1] + (1 - b2) * grad * grad;
                    double denom = Math.sqrt(s[1] / (1 - Math.pow(b2, k))) + 1e-8;
                    w -= lr * (1 - mu) / (1 - s[2]) * grad / denom;
                    return w - lr * muNext / (1 - s[2] * muNext) * s[0] / denom;
                }, null);
            }
            case "radam", "radamw" -> {
                boolean dec = name.equals("radamw");
                double b1 = uni(r, 0.5, 0.95);
                // small β2 so the six steps cross the rectification threshold (ρ_k > 5 from k ≈ 3 at β2 = 0.5)
                double b2 = r.nextBoolean() ? uni(r, 0.3, 0.8) : 0.999;
                var h = RAdam.hyper().lr(lr).betas(b1, b2).weightDecay(wd).decoupledWeightDecay(dec).build();
                yield new Method(RAdam::new, h, w -> new double[2], (w, g, s, k, i, slot) -> {
                    double grad = g;
                    if (dec) {
                        w *= 1 - lr * wd;
                    } else {
                        grad += wd * w;
                    }
                    s[0] = b1 * s[0] + (1 - b1) * grad;
                    s[1] = b2 * s[1] + (1 - b2) * grad * grad;
                    double bc1 = 1 - Math.pow(b1, k);
                    double bc2 = 1 - Math.pow(b2, k);
                    double mHat = s[0] / bc1;
                    double rhoInf = 2 / (1 - b2) - 1;
                    double rho = rhoInf - 2 * k * Math.pow(b2, k) / bc2;
                    if (rho > 5) {
                        double rect = Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                        double adaptive = Math.sqrt(bc2) / (Math.sqrt(s[1]) + 1e-8);
                        return w - mHat * lr * adaptive * rect;
                    }
                    return w - mHat * lr;
                }, null);
            }
            case "adamax" -> {
                double b1 = uni(r, 0.5, 0.95);
                double b2 = uni(r, 0.5, 0.999);
                boolean max = r.nextBoolean();
                var h = Adamax.hyper().lr(lr).betas(b1, b2).weightDecay(wd).maximize(max).build();
                yield new Method(Adamax::new, h, w -> new double[2], (w, g, s, k, i, slot) -> {
                    double grad = (max ? -g : g) + wd * w;
                    s[0] = b1 * s[0] + (1 - b1) * grad;
                    s[1] = Math.max(b2 * s[1], Math.abs(grad) + 1e-8);
                    return w - lr / (1 - Math.pow(b1, k)) * s[0] / s[1];
                }, null);
            }
            case "lion" -> {
                double b1 = uni(r, 0.5, 0.95);
                double b2 = uni(r, 0.9, 0.999);
                var h = Lion.hyper().lr(lr).betas(b1, b2).weightDecay(wd).build();
                yield new Method(Lion::new, h, w -> new double[1], (w, g, s, k, i, slot) -> {
                    // Chen et al. 2023, Algorithm 2
                    double c = b1 * s[0] + (1 - b1) * g;
                    double out = w - lr * (Math.signum(c) + wd * w);
                    s[0] = b2 * s[0] + (1 - b2) * g;
                    return out;
                }, null);
            }
            case "qhm", "qhm-demon" -> {
                boolean demon = name.equals("qhm-demon");
                double beta = uni(r, 0.5, 0.999);
                double nu = uni(r, 0, 1);
                Schedule betaSchedule = demon ? Schedule.demon(beta, 5) : null;
                var h = Qhm.hyper().lr(lr).beta(beta).nu(nu).weightDecay(wd).build();
                yield new Method(Qhm::new, h, w -> new double[1], (w, g, s, k, i, slot) -> {
                    // qhoptim QHM; Demon (Chen et al. 2019): β_t = β0 (1 − t/T)/((1 − β0) + β0 (1 − t/T)), t = k − 1
                    double b = beta;
                    if (demon) {
                        double rest = Math.max(0, 1 - (k - 1) / 5.0);
                        b = beta * rest / ((1 - beta) + beta * rest);
                    }
                    double d = g + wd * w;
                    s[0] = b * s[0] + (1 - b) * d;
                    return w - lr * ((1 - nu) * d + nu * s[0]);
                }, null, betaSchedule);
            }
            case "qhadam" -> {
                double b1 = uni(r, 0.5, 0.999);
                double b2 = uni(r, 0.9, 0.999);
                double nu1 = uni(r, 0, 1);
                double nu2 = r.nextBoolean() ? 1 : uni(r, 0, 1);
                boolean dec = r.nextBoolean();
                var h = QhAdam.hyper().lr(lr).betas(b1, b2).nus(nu1, nu2).weightDecay(wd).decoupledWeightDecay(dec).build();
                yield new Method(QhAdam::new, h, w -> new double[4], (w, g, s, k, i, slot) -> {
                    // qhoptim QHAdam: s[2], s[3] are beta1_weight, beta2_weight (start at 0)
                    double d = g;
                    if (dec) {
                        w *= 1 - lr * wd;
                    } else {
                        d += wd * w;
                    }
                    s[2] = 1 + b1 * s[2];
                    s[3] = 1 + b2 * s[3];
                    double b1Adj = 1 - 1 / s[2];
                    double b2Adj = 1 - 1 / s[3];
                    s[0] = b1Adj * s[0] + (1 - b1Adj) * d;
                    s[1] = b2Adj * s[1] + (1 - b2Adj) * d * d;
                    double avg = nu1 * s[0] + (1 - nu1) * d;
                    double rms = Math.sqrt(nu2 * s[1] + (1 - nu2) * d * d) + 1e-8;
                    return w - lr * avg / rms;
                }, null);
            }
            case "ademamix" -> {
                double b1 = uni(r, 0.5, 0.95);
                double b2 = uni(r, 0.9, 0.999);
                double b3 = uni(r, 0.99, 0.9999);
                double alpha = uni(r, 1, 8);
                long tAlpha = r.nextBoolean() ? 4 : 0;
                long tBeta = r.nextBoolean() ? 5 : 0;
                var h = AdEMAMix.hyper().lr(lr).betas(b1, b2, b3).alpha(alpha).weightDecay(wd).alphaWarmup(tAlpha)
                        .beta3Warmup(tBeta).build();
                yield new Method(AdEMAMix::new, h, w -> new double[3], (w, g, s, k, i, slot) -> {
                    // apple/ml-ademamix: linear_warmup_scheduler and linear_hl_warmup_scheduler
                    double a = alpha;
                    if (tAlpha > 0 && k < tAlpha) {
                        double f = (double) k / tAlpha;
                        a = (1 - f) * 0 + f * alpha;
                    }
                    double beta3 = b3;
                    if (tBeta > 0 && k < tBeta) {
                        double f = (double) k / tBeta;
                        double hlStart = Math.log(0.5) / Math.log(b1 + 1e-8) - 1;
                        double hlEnd = Math.log(0.5) / Math.log(b3 + 1e-8) - 1;
                        beta3 = Math.pow(0.5, 1 / ((1 - f) * hlStart + f * hlEnd + 1));
                    }
                    s[0] = s[0] * b1 + (1 - b1) * g;
                    s[1] = s[1] * beta3 + (1 - beta3) * g;
                    s[2] = s[2] * b2 + (1 - b2) * g * g;
                    double denom = Math.sqrt(s[2]) / Math.sqrt(1 - Math.pow(b2, k)) + 1e-8;
                    double update = (s[0] / (1 - Math.pow(b1, k)) + a * s[1]) / denom + wd * w;
                    return w - lr * update;
                }, null);
            }
            case "sfsgd", "sfadamw" -> {
                boolean adam = name.equals("sfadamw");
                double beta = uni(r, 0.5, 0.95);
                double b2 = uni(r, 0.9, 0.999);
                long warm = r.nextBoolean() ? 3 : 0;
                double rr = r.nextBoolean() ? 0 : uni(r, 0, 2);
                double power = r.nextBoolean() ? 2 : uni(r, 0, 3);
                Object h = adam
                        ? ScheduleFreeAdamW.hyper().lr(lr).betas(beta, b2).weightDecay(wd).warmupSteps(warm).r(rr)
                                .weightLrPower(power).build()
                        : ScheduleFreeSgd.hyper().lr(lr).momentum(beta).weightDecay(wd).warmupSteps(warm).r(rr)
                                .weightLrPower(power).build();
                // state: z, v; initial z = w
                yield new Method(adam ? ScheduleFreeAdamW::new : ScheduleFreeSgd::new, h, w -> new double[] {w, 0},
                        (y, g, s, k, i, slot) -> {
                            // facebookresearch/schedule_free, k0 = k − 1 the reference's group['k']
                            double weightSum = 0;
                            double lrMax = -1;
                            double lrk = 0;
                            double weight = 0;
                            for (long j = 0; j < k; j++) {
                                double sched = j < warm ? (j + 1.0) / warm : 1.0;
                                lrk = lr * sched;
                                lrMax = Math.max(lrk, lrMax);
                                weight = Math.pow(j + 1, rr) * Math.pow(lrMax, power);
                                weightSum += weight;
                            }
                            double ckp1 = weightSum == 0 ? 0 : weight / weightSum;
                            double grad;
                            if (adam) {
                                s[1] = s[1] * b2 + (1 - b2) * g * g;
                                double denom = Math.sqrt(s[1] / (1 - Math.pow(b2, k))) + 1e-8;
                                grad = g / denom + wd * y;
                            } else {
                                grad = g + wd * y;
                            }
                            y = y + ckp1 * (s[0] - y);
                            y += lrk * (beta * (1 - ckp1) - 1) * grad;
                            s[0] -= lrk * grad;
                            return y;
                        }, null);
            }
            default -> throw new IllegalArgumentException(name);
        };
    }
}
