package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.inertia.kernels.CounterNormal;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;

/**
 * SGHMC's mini-batch noise correction (Chen, Fox, Guestrin 2014): the corrected update against a readable loop
 * of its equations, the uncorrected kernel as its V̂ = 0 case, and the point of it — with noisy gradients the
 * uncorrected chain samples hot and the corrected one at the right temperature.
 */
class SghmcNoiseCorrectionTest {

    private static List<Params> params(Random r, int... sizes) {
        List<Params> ps = new ArrayList<>();
        for (int n : sizes) {
            NdArray w = NdArray.zeros(Dtype.F64, n);
            w.forEachOffset(o -> w.setAtOffset(o, r.nextGaussian()));
            ps.add(new Params(w, NdArray.zeros(Dtype.F64, n)));
        }
        return ps;
    }

    private static void close(List<Params> ps) {
        for (Params p : ps) {
            p.param().close();
            p.grad().close();
        }
    }

    @Test
    void withZeroVarianceTheCorrectedLoopIsTheKernelBitForBit() {
        Random r = new Random(3);
        List<Params> a = params(new Random(7), 5, 13);
        List<Params> b = params(new Random(7), 5, 13);
        NdArray zero5 = NdArray.zeros(Dtype.F64, 5);
        NdArray zero13 = NdArray.zeros(Dtype.F64, 13);
        var h = new Sghmc.Hyper(0.05, 0.7, 1.3, 1e-2, 0.8, 99);
        try (Sghmc kernel = new Sghmc();
             Sghmc corrected = new Sghmc(Sghmc.NoiseCorrection.given(p -> p.param().numel() == 5 ? zero5 : zero13), null)) {
            kernel.addGroup(h, a);
            corrected.addGroup(h, b);
            for (int k = 0; k < 20; k++) {
                for (int i = 0; i < a.size(); i++) {
                    for (int e = 0; e < a.get(i).grad().numel(); e++) {
                        double g = r.nextGaussian();
                        a.get(i).grad().setAtOffset(e, g);
                        b.get(i).grad().setAtOffset(e, g);
                    }
                }
                kernel.step();
                corrected.step();
            }
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).param().toDoubleArray(), b.get(i).param().toDoubleArray(), "parameter " + i);
            }
            assertEquals(0, corrected.hotElements());
        } finally {
            close(a);
            close(b);
            zero5.close();
            zero13.close();
        }
    }

    /** The class comment's equations, one element, as a readable loop. */
    private static double[] readableStep(double w, double p, double g, double variance, double s, double gamma,
                                         double eta, double wd, double temperature, double xi) {
        double bHat = 0.5 * s * eta * variance;
        double friction = gamma;
        if (bHat > gamma * temperature) {
            friction = Math.max(gamma, Math.min(bHat / temperature, 1 / s));
        }
        double noise = Math.sqrt(Math.max(0, 2 * s * eta * (friction * temperature - bHat)));
        p = p - friction * s * p - s * eta * (g + wd * w) + noise * xi;
        return new double[] {w + s * p, p, bHat > friction * temperature ? 1 : 0};
    }

    @Test
    void givenVarianceFollowsTheCorrectedEquationsIncludingTheRaisedAndCappedFriction() {
        Random r = new Random(11);
        List<Params> ps = params(new Random(5), 9);
        NdArray variance = NdArray.zeros(Dtype.F64, 9);
        double s = 0.1;
        double gamma = 0.5;
        double eta = 1.0;
        double wd = 0.01;
        double temperature = 1.0;
        long seed = 42;
        // V̂ spans: no correction, partial (B̂ < γT), friction raised (γT < B̂ < T/s), capped (B̂ > T/s: hot)
        double[] vs = {0, 1, 5, 9, 30, 100, 250, 400, 1000};
        for (int e = 0; e < 9; e++) {
            variance.setAtOffset(e, vs[e]);
        }
        double[] w = ps.getFirst().param().toDoubleArray();
        double[] p = new double[9];
        try (Sghmc opt = new Sghmc(Sghmc.NoiseCorrection.given(x -> variance), null)) {
            opt.addGroup(new Sghmc.Hyper(s, gamma, eta, wd, temperature, seed), ps);
            for (int k = 1; k <= 6; k++) {
                double[] g = new double[9];
                for (int e = 0; e < 9; e++) {
                    g[e] = r.nextGaussian();
                    ps.getFirst().grad().setAtOffset(e, g[e]);
                }
                opt.step();
                long key = CounterNormal.streamKey(seed ^ CounterNormal.mix(0), k);
                int hot = 0;
                for (int e = 0; e < 9; e++) {
                    double[] out = readableStep(w[e], p[e], g[e], vs[e], s, gamma, eta, wd, temperature,
                            CounterNormal.gaussian(key, e));
                    w[e] = out[0];
                    p[e] = out[1];
                    hot += (int) out[2];
                }
                double[] got = ps.getFirst().param().toDoubleArray();
                for (int e = 0; e < 9; e++) {
                    assertEquals(w[e], got[e], 1e-14 * Math.max(1, Math.abs(w[e])), "step " + k + " element " + e);
                }
                assertEquals(3, hot, "elements 6, 7, 8 (B̂ = 12.5, 20, 50 > T/s = 10) are at the cap");
                assertEquals(hot, opt.hotElements());
            }
        } finally {
            close(ps);
            variance.close();
        }
    }

    @Test
    void runningMomentsKeepBiasCorrectedMomentsInTheState() {
        Random r = new Random(2);
        List<Params> ps = params(new Random(4), 6);
        double rho = 0.9;
        double s = 0.05;
        double[] w = ps.getFirst().param().toDoubleArray();
        double[] p = new double[6];
        double[] m1 = new double[6];
        double[] m2 = new double[6];
        try (Sghmc opt = new Sghmc(Sghmc.NoiseCorrection.runningMoments(rho), null)) {
            opt.addGroup(new Sghmc.Hyper(s, 1.0, 1.0, 0, 1.0, 8), ps);
            for (int k = 1; k <= 8; k++) {
                double[] g = new double[6];
                for (int e = 0; e < 6; e++) {
                    g[e] = 3 * r.nextGaussian();
                    ps.getFirst().grad().setAtOffset(e, g[e]);
                }
                opt.step();
                long key = CounterNormal.streamKey(8 ^ CounterNormal.mix(0), k);
                double bias = 1 - Math.pow(rho, k);
                for (int e = 0; e < 6; e++) {
                    m1[e] = rho * m1[e] + (1 - rho) * g[e];
                    m2[e] = rho * m2[e] + (1 - rho) * g[e] * g[e];
                    double v = Math.max(0, m2[e] / bias - (m1[e] / bias) * (m1[e] / bias));
                    double[] out = readableStep(w[e], p[e], g[e], v, s, 1.0, 1.0, 0, 1.0, CounterNormal.gaussian(key, e));
                    w[e] = out[0];
                    p[e] = out[1];
                }
                assertArrayEquals(w, ps.getFirst().param().toDoubleArray(), 1e-13, "step " + k);
            }
            try (StateDict sd = opt.stateDict()) {
                assertEquals(List.of("momentum", "grad_mean", "grad_sq"), List.copyOf(sd.buffers().get(0).get(0).keySet()));
                assertArrayEquals(m1, sd.buffers().get(0).get(0).get("grad_mean").toDoubleArray(), 1e-15);
            }
        } finally {
            close(ps);
        }
    }

    /**
     * Sampling N(0, 1) (U = w²/2) with g = w + ε, Var ε = V: uncorrected, the chain's variance is about
     * T + B/γ = 1 + ½ s V / γ = 1.8 here; corrected with the true V it is 1 (up to the integrator's O(s) bias).
     */
    @Test
    void withNoisyGradientsTheCorrectionBringsTheTemperatureBack() {
        double s = 0.1;
        double gamma = 1.0;
        double v = 16;
        double plain = chainVariance(Sghmc.NoiseCorrection.none(), s, gamma, v);
        NdArray given = NdArray.zeros(Dtype.F64, 1);
        given.setAtOffset(0, v);
        double corrected = chainVariance(Sghmc.NoiseCorrection.given(x -> given), s, gamma, v);
        given.close();
        assertTrue(plain > 1.6 && plain < 2.0, "uncorrected variance " + plain + " (about 1 + sV/(2γ) = 1.8)");
        assertTrue(Math.abs(corrected - 1) < 0.1, "corrected variance " + corrected + " (target 1)");
    }

    private static double chainVariance(Sghmc.NoiseCorrection c, double s, double gamma, double v) {
        Random r = new Random(17);
        NdArray w = NdArray.zeros(Dtype.F64, 1);
        NdArray g = NdArray.zeros(Dtype.F64, 1);
        double sum = 0;
        double sq = 0;
        int n = 0;
        try (Sghmc opt = new Sghmc(c, null)) {
            opt.addGroup(new Sghmc.Hyper(s, gamma, 1.0, 0, 1.0, 5), List.of(new Params(w, g)));
            for (int k = 0; k < 300_000; k++) {
                g.setAtOffset(0, w.getAtOffset(0) + Math.sqrt(v) * r.nextGaussian());
                opt.step();
                if (k >= 10_000) {
                    double x = w.getAtOffset(0);
                    sum += x;
                    sq += x * x;
                    n++;
                }
            }
        } finally {
            w.close();
            g.close();
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    @Test
    void badCorrectionsAreRejectedNamingTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sghmc.NoiseCorrection.runningMoments(1.0));
        assertTrue(e.getMessage().contains("decay") && e.getMessage().contains("1.0"), e.getMessage());
        NdArray wrong = NdArray.zeros(Dtype.F64, 3);
        NdArray w = NdArray.zeros(Dtype.F64, 4);
        NdArray g = NdArray.zeros(Dtype.F64, 4);
        try (Sghmc opt = new Sghmc(Sghmc.NoiseCorrection.given(x -> wrong), null)) {
            opt.addGroup(new Sghmc.Hyper(0.1, 1, 1, 0, 1, 1), List.of(new Params(w, g)));
            e = assertThrows(IllegalArgumentException.class, opt::step);
            assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[3]"), e.getMessage());
        } finally {
            wrong.close();
            w.close();
            g.close();
        }
        NdArray negative = NdArray.zeros(Dtype.F64, 2);
        negative.setAtOffset(1, -0.5);
        NdArray w2 = NdArray.zeros(Dtype.F64, 2);
        NdArray g2 = NdArray.zeros(Dtype.F64, 2);
        try (Sghmc opt = new Sghmc(Sghmc.NoiseCorrection.given(x -> negative), null)) {
            opt.addGroup(new Sghmc.Hyper(0.1, 1, 1, 0, 1, 1), List.of(new Params(w2, g2)));
            e = assertThrows(IllegalArgumentException.class, opt::step);
            assertTrue(e.getMessage().contains("-0.5") && e.getMessage().contains("element 1"), e.getMessage());
        } finally {
            negative.close();
            w2.close();
            g2.close();
        }
    }
}
