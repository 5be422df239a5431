package org.inertia.optim.kernel;

import static org.inertia.optim.kernel.StepArrays.EPS32;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.simd.FloatSpecies;

/**
 * Every fused float32 optimizer step ({@link OptimizerSteps}, so {@code OptimizerStepsSimd} when the vector
 * module is present) against {@link OptimizerStepsScalar}, the double-precision reference, over several
 * steps with state, on awkward lengths (0, 1, LANES±1, primes, and lengths past the chunking threshold so
 * the multi-threaded path runs), operands at random offsets into larger buffers, and random valid
 * hyperparameters.
 *
 * <p>Each step starts both implementations from the same values (the float32 state, copied exactly to
 * float64), so the comparison bounds the error of one step and the state still evolves over steps.
 *
 * <p>Error bound (u = 2^-24). Every output is a short expression: along any path at most 8 roundings
 * happen (float operations, each correctly rounded or an FMA, plus the float rounding of hoisted
 * constants), so by the standard a-priori bound |fl(e) − e| ≤ γ_8·ẽ with γ_8 ≤ 8.0001u, where ẽ is
 * e evaluated with every term replaced by its absolute value ("magnitude", {@code M…} below). We use
 * T = 8u·ẽ. Quotients by a denominator D without cancellation (√s + eps, s a sum of squares) add
 * the relative error of D times the quotient (first order), and the error of √x is at most
 * min(e_x/(2√x), √e_x). Rprop's decisions are on signs of exact float products, so only its
 * multiplications by η round. The centered RMSprop denominator has real cancellation; the tests keep
 * α ≥ 0.5 so a − ḡ² stays a fixed fraction of a, and the bound still carries e_x explicitly.
 */
class OptimizerStepsPropertiesTest {
    private static final OptimizerStepsSupport REF = OptimizerStepsProvider.scalar();
    private static final int L = FloatSpecies.LANES;
    private static final double T = 8 * EPS32;
    private static final int STEPS = 3;

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, L - 1, L, L + 1, 2 * L - 1, 2 * L + 1, 4 * L + 3),
                Arbitraries.of(3, 7, 13, 31, 61, 127, 251, 1021),
                Arbitraries.integers().between(0, 200));
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("sgd", "sgd-momentum", "sgd-nesterov", "heavyball", "nesterov", "nag", "aggmo",
                "adagrad", "rmsprop", "rmsprop-centered", "adam", "adamw", "adam-amsgrad", "rprop",
                "sgld", "sghmc", "nadam", "nadam-decoupled", "radam", "radam-decoupled", "adamax", "lion", "qhm",
                "qhadam", "qhadam-decoupled", "ademamix", "sfsgd", "sfadamw", "lerp");
    }

    @Property(tries = 400)
    void fusedStepMatchesReference(@ForAll("methods") String method, @ForAll("sizes") int n, @ForAll long seed) {
        run(method, n, seed);
    }

    @Property(tries = 16)
    void chunkedMultiThreadedStepMatchesReference(@ForAll("methods") String method, @ForAll long seed) {
        run(method, (1 << 17) + 1 + Math.floorMod(seed, 70_000), seed);
    }

    // ------------------------------------------------------------------ harness

    /** One method: its state buffers, hyperparameters per step, both implementations and the bound. */
    private abstract static class Case {
        final Random r;

        Case(Random r) {
            this.r = r;
        }

        abstract int states();

        /** Initial state value for buffer j at element i (w is the element's parameter). */
        double init(int j, double w) {
            return 0;
        }

        abstract StepHyper hyper(int k);

        abstract void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s);

        abstract void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s);

        /** Tolerances for [w', s'_0, …] given the inputs (w, g, s) and the reference outputs (w', s'). */
        abstract double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr);
    }

    private static double uni(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private void run(String method, int n, long seed) {
        Random r = new Random(seed);
        Case c = make(method, r);
        NdArray w = StepArrays.offsetView(Dtype.F32, n, r);
        NdArray g = StepArrays.offsetView(Dtype.F32, n, r);
        NdArray[] s = new NdArray[c.states()];
        for (int i = 0; i < n; i++) {
            w.set(r.nextGaussian(), i);
        }
        for (int j = 0; j < s.length; j++) {
            s[j] = StepArrays.offsetView(Dtype.F32, n, r);
            for (int i = 0; i < n; i++) {
                s[j].set(c.init(j, w.get(i)), i);
            }
        }
        for (int k = 1; k <= STEPS; k++) {
            for (int i = 0; i < n; i++) {
                g.set(r.nextGaussian() * (r.nextInt(8) == 0 ? 0.01 : 1), i);
            }
            StepHyper h = c.hyper(k);
            double[] w0 = w.toDoubleArray();
            double[] g0 = g.toDoubleArray();
            double[][] s0 = new double[s.length][];
            NdArray wd = w.toDtype(Dtype.F64);
            NdArray gd = g.toDtype(Dtype.F64);
            NdArray[] sd = new NdArray[s.length];
            for (int j = 0; j < s.length; j++) {
                s0[j] = s[j].toDoubleArray();
                sd[j] = s[j].toDtype(Dtype.F64);
            }
            c.reference(h, wd, gd, sd);
            c.fused(h, w, g, s);
            double[] sIn = new double[s.length];
            double[] sRef = new double[s.length];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s.length; j++) {
                    sIn[j] = s0[j][i];
                    sRef[j] = sd[j].get(i);
                }
                double[] tol = c.tol(h, w0[i], g0[i], sIn, wd.get(i), sRef);
                check(method, k, i, "w", w.get(i), wd.get(i), tol[0]);
                for (int j = 0; j < s.length; j++) {
                    check(method, k, i, "state" + j, s[j].get(i), sd[j].get(i), tol[j + 1]);
                }
            }
            wd.close();
            gd.close();
            for (NdArray a : sd) {
                a.close();
            }
        }
        StepArrays.free(w, g);
        StepArrays.free(s);
    }

    private static void check(String method, int k, int i, String what, double got, double ref, double tol) {
        assertTrue(Math.abs(got - ref) <= tol, () -> method + " step " + k + " element " + i + " " + what + ": got " + got
                + " ref " + ref + " |diff| " + Math.abs(got - ref) + " > tol " + tol);
    }

    /** Error of √x given its absolute error ex (first order, capped by √ex). */
    private static double sqrtErr(double x, double ex) {
        return x > 0 ? Math.min(ex / (2 * Math.sqrt(x)), Math.sqrt(ex)) : Math.sqrt(ex);
    }

    /** Error of q = num/den given the errors of num and den (den > 0, first order) plus q's own rounding. */
    private static double quotErr(double num, double eNum, double den, double eDen) {
        return (eNum + Math.abs(num) * eDen / den) / den + T * Math.abs(num / den);
    }

    private Case make(String method, Random r) {
        return switch (method) {
            case "sgd", "sgd-momentum", "sgd-nesterov" -> new Case(r) {
                final boolean mom = !method.equals("sgd");
                final boolean nes = method.equals("sgd-nesterov");
                final double lr = uni(r, 0, 0.5);
                final double mu = mom ? uni(r, 0.1, 0.99) : 0;
                final double damp = method.equals("sgd-momentum") ? uni(r, 0, 0.5) : 0;
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final boolean max = r.nextBoolean();

                int states() {
                    return mom ? 1 : 0;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Sgd(lr, mu, damp, wdc, nes, max, k == 1);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.sgd((StepHyper.Sgd) h, w, g, new SgdState(mom ? s[0] : null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.sgd((StepHyper.Sgd) h, w, g, new SgdState(mom ? s[0] : null), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.Sgd) hh;
                    double md = Math.abs(g) + Math.abs(wdc * w);
                    if (!mom) {
                        return new double[] {T * (Math.abs(w) + lr * md)};
                    }
                    double mb = h.firstStep() ? md : Math.abs(mu * s[0]) + (1 - damp) * md;
                    double mD = nes ? md + mu * mb : mb;
                    return new double[] {T * (Math.abs(w) + lr * mD), T * mb};
                }
            };
            case "heavyball" -> new Case(r) {
                final double lr = uni(r, 0, 0.5);
                final double beta = uni(r, 0, 0.99);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 1;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.HeavyBall(lr, beta, wdc);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.heavyBall((StepHyper.HeavyBall) h, w, g, new VelocityState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.heavyBall((StepHyper.HeavyBall) h, w, g, new VelocityState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    double mv = Math.abs(beta * s[0]) + lr * (Math.abs(g) + Math.abs(wdc * w));
                    return new double[] {T * (Math.abs(w) + mv), T * mv};
                }
            };
            case "nesterov" -> new Case(r) {
                final double lr = uni(r, 0, 0.5);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 1;
                }

                double mu(int k) {
                    return Math.min(0.99, 1 - 3.0 / (k + 5));
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Nesterov(lr, mu(k), mu(k + 1), wdc);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.nesterov((StepHyper.Nesterov) h, w, g, new VelocityState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.nesterov((StepHyper.Nesterov) h, w, g, new VelocityState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.Nesterov) hh;
                    double mv = Math.abs(h.mu() * s[0]) + lr * (Math.abs(g) + Math.abs(wdc * w));
                    return new double[] {T * (Math.abs(w) + Math.abs(h.mu() * s[0]) + (1 + h.muNext()) * mv), T * mv};
                }
            };
            case "nag" -> new Case(r) {
                final double lr = uni(r, 0, 0.5);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 1;
                }

                @Override
                double init(int j, double w) {
                    return w; // y_0 = w_0
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Nag(lr, (k - 1.0) / (k + 2.0), wdc);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.nag((StepHyper.Nag) h, w, g, new NagState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.nag((StepHyper.Nag) h, w, g, new NagState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    double mu = ((StepHyper.Nag) hh).mu();
                    double my = Math.abs(w) + lr * (Math.abs(g) + Math.abs(wdc * w));
                    return new double[] {T * (my + mu * (my + Math.abs(s[0]))), T * my};
                }
            };
            case "aggmo" -> new Case(r) {
                final double lr = uni(r, 0, 0.3);
                // K = 3 (the unrolled loop) and other K (the loop over buffers): 1, 2 and 5
                final double[] betas = switch (r.nextInt(4)) {
                    case 0 -> new double[] {0, 0.9, 0.99};
                    case 1 -> new double[] {uni(r, 0, 0.99)};
                    case 2 -> new double[] {uni(r, 0, 0.99), uni(r, 0, 0.99)};
                    default -> new double[] {0, uni(r, 0, 0.99), 0.5, uni(r, 0, 0.99), 0.999};
                };
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return betas.length;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.AggMo(lr, betas, wdc);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.aggmo((StepHyper.AggMo) h, w, g, new AggMoState(java.util.List.of(s)));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.aggmo((StepHyper.AggMo) h, w, g, new AggMoState(java.util.List.of(s)), 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    double md = Math.abs(g) + Math.abs(wdc * w);
                    double[] t = new double[betas.length + 1];
                    double sum = 0;
                    for (int j = 0; j < betas.length; j++) {
                        double mv = Math.abs(betas[j] * s[j]) + md;
                        t[j + 1] = T * mv;
                        sum += mv;
                    }
                    t[0] = T * (Math.abs(w) + lr / betas.length * sum);
                    return t;
                }
            };
            case "adagrad" -> new Case(r) {
                final double lr = uni(r, 0, 0.5);
                final double decay = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final double acc0 = r.nextBoolean() ? uni(r, 0, 0.5) : 0;
                final double eps = Math.pow(10, -uni(r, 1, 10));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final boolean max = r.nextBoolean();

                int states() {
                    return 1;
                }

                @Override
                double init(int j, double w) {
                    return acc0;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.AdaGrad(lr / (1 + (k - 1) * decay), wdc, eps, max);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.adagrad((StepHyper.AdaGrad) h, w, g, new AdaGradState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.adagrad((StepHyper.AdaGrad) h, w, g, new AdaGradState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    double clr = ((StepHyper.AdaGrad) hh).clr();
                    double md = Math.abs(g) + Math.abs(wdc * w);
                    double d = (max ? -g : g) + wdc * w;
                    double ms = s[0] + md * md;
                    double den = Math.sqrt(sr[0]) + eps;
                    double eDen = sqrtErr(sr[0], T * ms) + T * den;
                    double eq = quotErr(d, T * md, den, eDen);
                    return new double[] {T * Math.abs(w) + clr * eq + T * clr * Math.abs(d / den), T * ms};
                }
            };
            case "rmsprop", "rmsprop-centered" -> new Case(r) {
                final boolean centered = method.endsWith("centered");
                final double lr = uni(r, 0, 0.1);
                final double alpha = uni(r, 0.5, 0.999);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final double mu = r.nextBoolean() ? uni(r, 0.1, 0.95) : 0;
                final boolean max = r.nextBoolean();

                int states() {
                    return 3; // square_avg, grad_avg (used if centered), momentum buffer (used if mu > 0)
                }

                StepHyper hyper(int k) {
                    return new StepHyper.RmsProp(lr, alpha, eps, wdc, mu, centered, max);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.rmsprop((StepHyper.RmsProp) h, w, g,
                            new RmsPropState(s[0], centered ? s[1] : null, mu > 0 ? s[2] : null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.rmsprop((StepHyper.RmsProp) h, w, g,
                            new RmsPropState(s[0], centered ? s[1] : null, mu > 0 ? s[2] : null), 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    double md = Math.abs(g) + Math.abs(wdc * w);
                    double d = (max ? -g : g) + wdc * w;
                    double ma = alpha * s[0] + (1 - alpha) * md * md;
                    double x = sr[0];
                    double ex = T * ma;
                    double mga = 0;
                    if (centered) {
                        mga = alpha * Math.abs(s[1]) + (1 - alpha) * md;
                        x = sr[0] - sr[1] * sr[1];
                        ex = T * (ma + 3 * mga * mga);
                    }
                    double den = Math.sqrt(Math.max(x, 0)) + eps;
                    double eDen = sqrtErr(x, ex) + T * den;
                    double eu = quotErr(d, T * md, den, eDen);
                    double u = d / den;
                    double eb = 0;
                    if (mu > 0) {
                        u = sr[2];
                        eb = T * (Math.abs(mu * s[2]) + Math.abs(d / den)) + eu;
                        eu = eb;
                    }
                    return new double[] {T * Math.abs(w) + lr * eu + T * lr * Math.abs(u), T * ma, T * mga, eb};
                }
            };
            case "adam", "adamw", "adam-amsgrad" -> new Case(r) {
                final boolean decoupled = method.equals("adamw");
                final boolean ams = method.equals("adam-amsgrad");
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 0.99);
                final double b2 = uni(r, 0.9, 0.9999);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final boolean max = r.nextBoolean();

                int states() {
                    return ams ? 3 : 2;
                }

                StepHyper hyper(int k) {
                    return StepHyper.Adam.forStep(lr, b1, b2, eps, wdc, decoupled, ams, max, k);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.adam((StepHyper.Adam) h, w, g, new AdamState(s[0], s[1], ams ? s[2] : null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.adam((StepHyper.Adam) h, w, g, new AdamState(s[0], s[1], ams ? s[2] : null), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.Adam) hh;
                    double l2 = decoupled ? 0 : wdc;
                    double md = Math.abs(g) + Math.abs(l2 * w);
                    double mm = b1 * Math.abs(s[0]) + (1 - b1) * md;
                    double mv = b2 * s[1] + (1 - b2) * md * md;
                    double v = ams ? sr[2] : sr[1];
                    double den = Math.sqrt(v) * h.invBc2Sqrt() + eps;
                    double eDen = sqrtErr(v, T * mv) * h.invBc2Sqrt() + T * den;
                    double eq = quotErr(sr[0], T * mm, den, eDen);
                    double mw = decoupled ? Math.abs(w) * (1 + lr * wdc) : Math.abs(w);
                    double tw = T * mw + h.stepSize() * eq + T * h.stepSize() * Math.abs(sr[0] / den);
                    return ams ? new double[] {tw, T * mm, T * mv, T * mv} : new double[] {tw, T * mm, T * mv};
                }
            };
            case "rprop" -> new Case(r) {
                final double lr = uni(r, 1e-3, 0.1);
                final double em = uni(r, 0.1, 0.9);
                final double ep = uni(r, 1.05, 2);
                final double lo = uni(r, 1e-6, 1e-3);
                final double hi = uni(r, 0.05, 50);
                final boolean max = r.nextBoolean();

                int states() {
                    return 2;
                }

                @Override
                double init(int j, double w) {
                    return j == 0 ? 0 : lr;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Rprop(em, ep, lo, hi, max);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.rprop((StepHyper.Rprop) h, w, g, new RpropState(s[0], s[1]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.rprop((StepHyper.Rprop) h, w, g, new RpropState(s[0], s[1]), 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    // the step is one product with a float-rounded η (2 roundings); w − sign·step one more
                    double es = 2 * EPS32 * sr[1];
                    return new double[] {EPS32 * Math.abs(wr) + es, 0, es};
                }
            };
            case "sgld" -> new Case(r) {
                final double lr = uni(r, 0, 0.1);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final long seed = r.nextLong();

                int states() {
                    return 0;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Sgld(lr, wdc, Math.sqrt(2 * lr), seed, k);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.sgld((StepHyper.Sgld) h, w, g);
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.sgld((StepHyper.Sgld) h, w, g, 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    // |noise| ≤ std·8.6 (the generator's largest deviate)
                    return new double[] {T * (Math.abs(w) + lr * (Math.abs(g) + Math.abs(wdc * w)) + Math.sqrt(2 * lr) * 8.6)};
                }
            };
            case "sghmc" -> new Case(r) {
                final double lr = uni(r, 0, 0.1);
                final double fr = uni(r, 0, 5);
                final double eta = uni(r, 0.1, 2);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final long seed = r.nextLong();

                int states() {
                    return 1;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Sghmc(lr, fr, eta, wdc, Math.sqrt(2 * fr * lr * eta), seed, k);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.sghmc((StepHyper.Sghmc) h, w, g, new SghmcState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.sghmc((StepHyper.Sghmc) h, w, g, new SghmcState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.Sghmc) hh;
                    double mp = Math.abs((1 - fr * lr) * s[0]) + lr * eta * (Math.abs(g) + Math.abs(wdc * w))
                            + h.noiseStd() * 8.6;
                    return new double[] {T * (Math.abs(w) + lr * mp), T * mp};
                }
            };
            case "nadam", "nadam-decoupled" -> new Case(r) {
                final boolean decoupled = method.equals("nadam-decoupled");
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 0.99);
                final double b2 = uni(r, 0.9, 0.9999);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double psi = r.nextBoolean() ? 4e-3 : uni(r, 0, 0.1);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final boolean max = r.nextBoolean();
                final long offset = r.nextBoolean() ? 0 : r.nextInt(1000);

                int states() {
                    return 2;
                }

                StepHyper hyper(int k) {
                    double prod = 1;
                    for (long j = 1; j < k + offset; j++) {
                        prod *= StepHyper.NAdam.mu(b1, psi, j);
                    }
                    return StepHyper.NAdam.forStep(lr, b1, b2, eps, wdc, decoupled, max, psi, k + offset, prod);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.nadam((StepHyper.NAdam) h, w, g, new AdamState(s[0], s[1], null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.nadam((StepHyper.NAdam) h, w, g, new AdamState(s[0], s[1], null), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.NAdam) hh;
                    double l2 = decoupled ? 0 : wdc;
                    double md = Math.abs(g) + Math.abs(l2 * w);
                    double mm = b1 * Math.abs(s[0]) + (1 - b1) * md;
                    double mv = b2 * s[1] + (1 - b2) * md * md;
                    double den = Math.sqrt(sr[1]) * h.invBc2Sqrt() + eps;
                    double eDen = sqrtErr(sr[1], T * mv) * h.invBc2Sqrt() + T * den;
                    double d = (max ? -g : g) + l2 * w;
                    double num = h.gradCoef() * d + h.avgCoef() * sr[0];
                    double mnum = h.gradCoef() * md + h.avgCoef() * mm;
                    double eq = quotErr(num, T * mnum, den, eDen);
                    double tw = T * (Math.abs(w) * (1 + lr * wdc) + mnum / den) + eq;
                    return new double[] {tw, T * mm, T * mv};
                }
            };
            case "radam", "radam-decoupled" -> new Case(r) {
                final boolean decoupled = method.equals("radam-decoupled");
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 0.99);
                final double b2 = uni(r, 0.9, 0.9999);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final boolean max = r.nextBoolean();
                // both sides of the rectification threshold: from step 1, or later (ρ_k > 5 once k ≳ 10)
                final long offset = r.nextBoolean() ? 0 : 10 + r.nextInt(5000);

                int states() {
                    return 2;
                }

                StepHyper hyper(int k) {
                    return StepHyper.RAdam.forStep(lr, b1, b2, eps, wdc, decoupled, max, k + offset);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.radam((StepHyper.RAdam) h, w, g, new AdamState(s[0], s[1], null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.radam((StepHyper.RAdam) h, w, g, new AdamState(s[0], s[1], null), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.RAdam) hh;
                    double l2 = decoupled ? 0 : wdc;
                    double md = Math.abs(g) + Math.abs(l2 * w);
                    double mm = b1 * Math.abs(s[0]) + (1 - b1) * md;
                    double mv = b2 * s[1] + (1 - b2) * md * md;
                    double mw = Math.abs(w) * (1 + lr * wdc);
                    if (!h.rectified()) {
                        return new double[] {T * (mw + h.stepSize() * mm), T * mm, T * mv};
                    }
                    double den = Math.sqrt(sr[1]) + eps;
                    double eDen = sqrtErr(sr[1], T * mv) + T * den;
                    double eq = quotErr(sr[0], T * mm, den, eDen);
                    return new double[] {T * mw + h.stepSize() * eq + T * h.stepSize() * Math.abs(sr[0] / den), T * mm,
                            T * mv};
                }
            };
            case "adamax" -> new Case(r) {
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 0.99);
                final double b2 = uni(r, 0.5, 0.9999);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final boolean max = r.nextBoolean();

                int states() {
                    return 2;
                }

                StepHyper hyper(int k) {
                    return StepHyper.Adamax.forStep(lr, b1, b2, eps, wdc, max, k);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.adamax((StepHyper.Adamax) h, w, g, new AdamaxState(s[0], s[1]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.adamax((StepHyper.Adamax) h, w, g, new AdamaxState(s[0], s[1]), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.Adamax) hh;
                    double md = Math.abs(g) + Math.abs(wdc * w);
                    double mm = b1 * Math.abs(s[0]) + (1 - b1) * md;
                    double eu = T * (b2 * s[1] + md + eps);
                    double eq = quotErr(sr[0], T * mm, sr[1], eu);
                    return new double[] {T * Math.abs(w) + h.stepSize() * eq + T * h.stepSize() * Math.abs(sr[0] / sr[1]),
                            T * mm, eu};
                }
            };
            case "lion" -> new Case(r) {
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 1);
                final double b2 = uni(r, 0, 0.999);
                final double wdc = r.nextBoolean() ? uni(r, 0, 1) : 0;

                int states() {
                    return 1;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Lion(lr, b1, b2, wdc);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.lion((StepHyper.Lion) h, w, g, new LionState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.lion((StepHyper.Lion) h, w, g, new LionState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    // the sign of c = β1 m + (1−β1) g is exact unless c is within its rounding error of 0;
                    // there the two sides may take signs that differ by up to 2
                    double c = b1 * s[0] + (1 - b1) * g;
                    double mc = b1 * Math.abs(s[0]) + (1 - b1) * Math.abs(g);
                    double flip = Math.abs(c) <= T * mc ? 2 * lr : 0;
                    return new double[] {T * (Math.abs(w) + lr) + flip, T * (b2 * Math.abs(s[0]) + (1 - b2) * Math.abs(g))};
                }
            };
            case "qhm" -> new Case(r) {
                final double lr = uni(r, 0, 0.5);
                final double beta = uni(r, 0, 0.999);
                final double nu = uni(r, 0, 1);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 1;
                }

                StepHyper hyper(int k) {
                    return new StepHyper.Qhm(lr, beta, nu, wdc);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.qhm((StepHyper.Qhm) h, w, g, new SgdState(s[0]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.qhm((StepHyper.Qhm) h, w, g, new SgdState(s[0]), 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    double md = Math.abs(g) + Math.abs(wdc * w);
                    double mb = beta * Math.abs(s[0]) + (1 - beta) * md;
                    return new double[] {T * (Math.abs(w) + lr * (1 - nu) * md + lr * nu * mb), T * mb};
                }
            };
            case "qhadam", "qhadam-decoupled" -> new Case(r) {
                final boolean decoupled = method.equals("qhadam-decoupled");
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 0.999);
                final double b2 = uni(r, 0.9, 0.9999);
                final double nu1 = uni(r, 0, 1);
                // ν2 = 1 runs the Adam-denominator loop, any other ν2 the scaled one, whose two forms meet at ½
                final double nu2 = switch (r.nextInt(5)) {
                    case 0, 1 -> 1;
                    case 2 -> r.nextBoolean() ? 0 : 0.5;
                    default -> uni(r, 0, 1);
                };
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;
                final long offset = r.nextBoolean() ? 0 : r.nextInt(1000);

                int states() {
                    return 2;
                }

                StepHyper hyper(int k) {
                    return StepHyper.QhAdam.forStep(lr, b1, b2, nu1, nu2, eps, wdc, decoupled, k + offset);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.qhadam((StepHyper.QhAdam) h, w, g, new AdamState(s[0], s[1], null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.qhadam((StepHyper.QhAdam) h, w, g, new AdamState(s[0], s[1], null), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.QhAdam) hh;
                    double l2 = decoupled ? 0 : wdc;
                    double d = g + l2 * w;
                    double md = Math.abs(g) + Math.abs(l2 * w);
                    double a1 = h.beta1Adj();
                    double a2 = h.beta2Adj();
                    double mm = a1 * Math.abs(s[0]) + (1 - a1) * md;
                    double mv = a2 * s[1] + (1 - a2) * md * md;
                    double num = nu1 * sr[0] + (1 - nu1) * d;
                    double mnum = nu1 * mm + (1 - nu1) * md;
                    double x = nu2 * sr[1] + (1 - nu2) * d * d;
                    double mx = nu2 * mv + (1 - nu2) * md * md;
                    double den = Math.sqrt(x) + eps;
                    double eDen = sqrtErr(x, T * mx) + T * den;
                    double eq = quotErr(num, T * mnum, den, eDen);
                    double tw = T * Math.abs(w) * (1 + lr * wdc) + lr * eq + T * lr * Math.abs(num / den);
                    return new double[] {tw, T * mm, T * mv};
                }
            };
            case "ademamix" -> new Case(r) {
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0, 0.99);
                final double b2 = uni(r, 0.9, 0.9999);
                final double b3 = uni(r, 0.9, 0.99999);
                final double alpha = uni(r, 0, 10);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 3;
                }

                StepHyper hyper(int k) {
                    return StepHyper.AdEMAMix.forStep(lr, b1, b2, b3, alpha, eps, wdc, k);
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.ademamix((StepHyper.AdEMAMix) h, w, g, new AdEMAMixState(s[0], s[1], s[2]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.ademamix((StepHyper.AdEMAMix) h, w, g, new AdEMAMixState(s[0], s[1], s[2]), 0, (int) w.numel());
                }

                double[] tol(StepHyper hh, double w, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.AdEMAMix) hh;
                    double ag = Math.abs(g);
                    double ma = b1 * Math.abs(s[0]) + (1 - b1) * ag;
                    double mb = b3 * Math.abs(s[1]) + (1 - b3) * ag;
                    double mv = b2 * s[2] + (1 - b2) * ag * ag;
                    double num = sr[0] * h.invBc1() + alpha * sr[1];
                    double mnum = ma * h.invBc1() + alpha * mb;
                    double den = Math.sqrt(sr[2]) * h.invBc2Sqrt() + eps;
                    double eDen = sqrtErr(sr[2], T * mv) * h.invBc2Sqrt() + T * den;
                    double eq = quotErr(num, T * mnum, den, eDen);
                    double tw = T * (Math.abs(w) + lr * (mnum / den + wdc * Math.abs(w))) + lr * eq;
                    return new double[] {tw, T * ma, T * mb, T * mv};
                }
            };
            case "sfsgd" -> new Case(r) {
                final double lr = uni(r, 0, 1);
                final double beta = uni(r, 0.01, 0.99);
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 1;
                }

                @Override
                double init(int j, double w) {
                    return w + r.nextGaussian();
                }

                StepHyper hyper(int k) {
                    return new StepHyper.ScheduleFreeSgd(lr, beta, wdc, r.nextBoolean() ? 1.0 / k : uni(r, 0, 1));
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.scheduleFreeSgd((StepHyper.ScheduleFreeSgd) h, w, g, new ScheduleFreeState(s[0], null));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.scheduleFreeSgd((StepHyper.ScheduleFreeSgd) h, w, g, new ScheduleFreeState(s[0], null), 0,
                            (int) w.numel());
                }

                double[] tol(StepHyper hh, double y, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.ScheduleFreeSgd) hh;
                    double c = h.ckp1();
                    double yc = Math.abs(lr * (beta * (1 - c) - 1));
                    double md = Math.abs(g) + Math.abs(wdc * y);
                    double my = Math.abs(y) + c * (Math.abs(s[0]) + Math.abs(y)) + yc * md;
                    return new double[] {T * my, T * (Math.abs(s[0]) + lr * md)};
                }
            };
            case "sfadamw" -> new Case(r) {
                final double lr = uni(r, 0, 0.1);
                final double b1 = uni(r, 0.01, 0.99);
                final double b2 = uni(r, 0.9, 0.9999);
                final double eps = Math.pow(10, -uni(r, 1, 8));
                final double wdc = r.nextBoolean() ? uni(r, 0, 0.1) : 0;

                int states() {
                    return 2;
                }

                @Override
                double init(int j, double w) {
                    return j == 0 ? w + r.nextGaussian() : 0;
                }

                StepHyper hyper(int k) {
                    double c = r.nextBoolean() ? 1.0 / k : uni(r, 0, 1);
                    return new StepHyper.ScheduleFreeAdamW(lr, b1, b2, eps, wdc, c, 1 / Math.sqrt(1 - Math.pow(b2, k)));
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.scheduleFreeAdamW((StepHyper.ScheduleFreeAdamW) h, w, g, new ScheduleFreeState(s[0], s[1]));
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.scheduleFreeAdamW((StepHyper.ScheduleFreeAdamW) h, w, g, new ScheduleFreeState(s[0], s[1]), 0,
                            (int) w.numel());
                }

                double[] tol(StepHyper hh, double y, double g, double[] s, double wr, double[] sr) {
                    var h = (StepHyper.ScheduleFreeAdamW) hh;
                    double c = h.ckp1();
                    double yc = Math.abs(lr * (b1 * (1 - c) - 1));
                    double mv = b2 * s[1] + (1 - b2) * g * g;
                    double den = Math.sqrt(sr[1]) * h.invBc2Sqrt() + eps;
                    double eDen = sqrtErr(sr[1], T * mv) * h.invBc2Sqrt() + T * den;
                    double eq = quotErr(g, 0, den, eDen);
                    double mu = Math.abs(g / den) + Math.abs(wdc * y);
                    double eu = eq + T * mu;
                    double ty = T * (Math.abs(y) + c * (Math.abs(s[0]) + Math.abs(y)) + yc * mu) + yc * eu;
                    double tz = T * (Math.abs(s[0]) + lr * mu) + lr * eu;
                    return new double[] {ty, tz, T * mv};
                }
            };
            case "lerp" -> new Case(r) {
                final double t = r.nextBoolean() ? 1 - 1 / uni(r, 0.01, 0.99) : uni(r, 0, 1);

                int states() {
                    return 1;
                }

                @Override
                double init(int j, double w) {
                    return w + r.nextGaussian();
                }

                StepHyper hyper(int k) {
                    return null;
                }

                void fused(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    OptimizerSteps.lerp(w, s[0], t);
                }

                void reference(StepHyper h, NdArray w, NdArray g, NdArray[] s) {
                    REF.lerp(w, s[0], t, 0, (int) w.numel());
                }

                double[] tol(StepHyper h, double w, double g, double[] s, double wr, double[] sr) {
                    return new double[] {T * (Math.abs(w) + Math.abs(t) * (Math.abs(s[0]) + Math.abs(w))), 0};
                }
            };
            default -> throw new IllegalArgumentException(method);
        };
    }
}
