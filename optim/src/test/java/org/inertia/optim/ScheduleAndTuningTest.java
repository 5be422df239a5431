package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.Shape;
import org.junit.jupiter.api.Test;

/** Schedules at known steps (PyTorch's closed forms) and heavy-ball tuning against the iteration matrix. */
class ScheduleAndTuningTest {

    @Test
    void schedulesAtKnownSteps() {
        Schedule step = Schedule.step(0.1, 30, 0.1);
        assertEquals(0.1, step.at(0), 1e-15);
        assertEquals(0.1, step.at(29), 1e-15);
        assertEquals(0.01, step.at(30), 1e-15);
        assertEquals(0.001, step.at(65), 1e-15);
        Schedule multi = Schedule.multiStep(0.1, 0.1, 80, 120, 160);
        assertEquals(0.1, multi.at(79), 1e-15);
        assertEquals(0.01, multi.at(80), 1e-15);
        assertEquals(1e-4, multi.at(500), 1e-15);
        assertEquals(0.1 * Math.pow(0.9, 7), Schedule.exponential(0.1, 0.9).at(7), 1e-15);
        Schedule cos = Schedule.cosine(1, 0, 10);
        assertEquals(1, cos.at(0), 1e-15);
        assertEquals(0.5, cos.at(5), 1e-15);
        assertEquals(0, cos.at(10), 1e-15);
        // SGDR with T0 = 2, mult 2: cycles [0,2), [2,6), [6,14)
        Schedule sgdr = Schedule.cosineWarmRestarts(1, 0, 2, 2);
        assertEquals(1, sgdr.at(0), 1e-15);
        assertEquals(0.5, sgdr.at(1), 1e-15);
        assertEquals(1, sgdr.at(2), 1e-15);
        assertEquals(0.5, sgdr.at(4), 1e-15);
        assertEquals(1, sgdr.at(6), 1e-15);
        assertEquals(1, Schedule.cosineWarmRestarts(1, 0, 3, 1).at(9), 1e-15);
        Schedule warm = Schedule.constant(0.4).linearWarmup(4, 0.25);
        assertEquals(0.1, warm.at(0), 1e-15);
        assertEquals(0.25, warm.at(2), 1e-15);
        assertEquals(0.4, warm.at(4), 1e-15);
        assertEquals(0.4, warm.at(100), 1e-15);
        Schedule seq = Schedule.constant(1).then(5, Schedule.exponential(2, 0.5));
        assertEquals(1, seq.at(4));
        assertEquals(2, seq.at(5));
        assertEquals(1, seq.at(6));
        assertEquals(0.5, Schedule.constant(2).times(Schedule.constant(0.25)).at(3));
    }

    @Test
    void lrScheduleDrivesTheStep() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            Sgd opt = new Sgd();
            opt.addGroup(Sgd.hyper().lr(123).build(), f).lrSchedule(Schedule.multiStep(1, 0.5, 1));
            f.grads().setAtOffset(0, 1);
            opt.step(); // lr 1
            opt.step(); // lr 0.5
            assertEquals(-1.5, f.params().get(0), 1e-15);
        }
    }

    /** Eigenvalue moduli of [[a, b], [c, d]] from its characteristic polynomial, computed numerically. */
    private static double spectralRadius(double a, double b, double c, double d) {
        double tr = a + d;
        double det = a * d - b * c;
        double disc = tr * tr / 4 - det;
        if (disc >= 0) {
            double s = Math.sqrt(disc);
            return Math.max(Math.abs(tr / 2 + s), Math.abs(tr / 2 - s));
        }
        return Math.hypot(tr / 2, Math.sqrt(-disc)); // complex pair
    }

    @Property(tries = 200)
    void spectralRadiusFormulaMatchesTheIterationMatrix(@ForAll @DoubleRange(min = 1, max = 1e4) double kappa,
                                                       @ForAll @DoubleRange(min = 0, max = 1) double where) {
        HeavyBallTuning t = HeavyBallTuning.ofCondition(kappa);
        double h = t.lMin() + where * (t.lMax() - t.lMin());
        double gamma = 1 + t.beta() - t.alpha() * h;
        double numeric = spectralRadius(gamma, -t.beta(), 1, 0);
        // near critical damping the discriminant is a difference of close numbers: √ of its error ~ √eps
        assertEquals(numeric, t.spectralRadius(h), 1e-6 * Math.max(1, numeric), "h = " + h);
        assertTrue(t.spectralRadius(h) <= t.rate() + 1e-6);
    }

    @Test
    void tunedBetaIsCriticallyDampedAtTheSmallestCurvature() {
        HeavyBallTuning t = HeavyBallTuning.of(4, 0.04); // κ = 100
        assertEquals(100, t.kappa(), 1e-12);
        assertEquals(0.81, t.beta(), 1e-12);
        assertEquals(0.25, t.alpha());
        assertEquals(0.04, t.threshold(), 1e-12);
        assertEquals(0.9, t.rate(), 1e-6);
        assertEquals(0.25 / 0.19, t.effectiveLearningRate(), 1e-12);
    }

    @Test
    void tunedHeavyBallConvergesAtTheRateOnAQuadratic() {
        // f(w) = ½ Σ h_i w_i² with h spread over [μ, L]: after k steps |w| ≲ C·k·ρ^k (critical damping adds a factor k)
        double[] h = {0.01, 0.1, 0.5, 1};
        HeavyBallTuning t = HeavyBallTuning.of(1, 0.01);
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(h.length))) {
            HeavyBall opt = new HeavyBall();
            opt.addGroup(t.hyper(), f);
            for (int i = 0; i < h.length; i++) {
                f.params().setAtOffset(i, 1);
            }
            int k = 300;
            for (int s = 0; s < k; s++) {
                for (int i = 0; i < h.length; i++) {
                    f.grads().setAtOffset(i, h[i] * f.params().getAtOffset(i));
                }
                opt.step();
            }
            double norm = 0;
            for (int i = 0; i < h.length; i++) {
                norm = Math.max(norm, Math.abs(f.params().getAtOffset(i)));
            }
            double bound = 4 * k * Math.pow(t.rate(), k);
            assertTrue(norm <= bound, norm + " > " + bound);
            // and gradient descent with the same α is far slower: (1 − αμ)^k
            assertTrue(Math.pow(1 - t.alpha() * 0.01, k) > 100 * bound);
        }
    }
}
