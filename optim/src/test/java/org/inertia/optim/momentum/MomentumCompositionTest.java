package org.inertia.optim.momentum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.optim.AdaptiveRestartNag;
import org.inertia.optim.HeavyBall;
import org.inertia.optim.LossClosure;
import org.inertia.optim.Nag;
import org.inertia.optim.Nesterov;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.Schedule;
import org.inertia.optim.ScheduledRestartSgd;
import org.inertia.optim.Sgd;
import org.inertia.optim.SgdEarlyMomentum;
import org.inertia.optim.StateDict;
import org.junit.jupiter.api.Test;

/**
 * Each momentum preset (a fused kernel) against its composition from the parts ({@link Momentum}: trace,
 * update rule, momentum schedule, restart policy), on a convex quadratic f(w) = ½ Σ a_i w_i² − b_i w_i with
 * curvatures a_i in [0.5, 2]. Both run in float64, where the fused presets run the scalar double loops:
 * the two compute the same recurrence in a different algebraic arrangement, so each step may differ by a
 * few ulps of the values involved. The quadratic is contracting for these step sizes, so differences do not
 * grow beyond a small multiple of that: the tolerance 1e-12·(1 + |w|) per element after every step is a
 * thousandfold margin over 60 steps × a few ulps (2^-52 ≈ 2.2e-16), and far below any real difference in
 * the methods (swapping μ_k and μ_{k+1} in the look-ahead changes w by ~1e-3 here).
 */
class MomentumCompositionTest {
    private static final int N = 17;
    private static final int STEPS = 60;
    private static final double TOL = 1e-12;

    /** The quadratic: curvatures a, linear term b, start w0. */
    private static final double[] A = new double[N];
    private static final double[] B = new double[N];
    private static final double[] W0 = new double[N];

    static {
        for (int i = 0; i < N; i++) {
            A[i] = 0.5 + 1.5 * i / (N - 1);
            B[i] = Math.sin(i + 1.0);
            W0[i] = Math.cos(0.7 * i);
        }
    }

    private record Run(Optimizer<?> opt, Params p) {
        double loss() {
            double f = 0;
            for (int i = 0; i < N; i++) {
                double w = p.param().get(i);
                f += 0.5 * A[i] * w * w - B[i] * w;
            }
            return f;
        }

        void grad() {
            for (int i = 0; i < N; i++) {
                p.grad().set(A[i] * p.param().get(i) - B[i], i);
            }
        }

        void step() {
            LossClosure closure = () -> {
                grad();
                return loss();
            };
            opt.step(closure);
        }
    }

    private static Params params() {
        NdArray w = NdArray.ofDoubles(W0.clone(), N);
        return new Params(w, NdArray.zeros(Dtype.F64, N));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Run run(Optimizer opt, Optimizer.Hyper h) {
        Params p = params();
        opt.addGroup(h, p);
        return new Run(opt, p);
    }

    private static void sameTrajectory(String what, Run fused, Run composed) {
        for (int k = 1; k <= STEPS; k++) {
            fused.step();
            composed.step();
            for (int i = 0; i < N; i++) {
                double f = fused.p().param().get(i);
                double c = composed.p().param().get(i);
                double tol = TOL * (1 + Math.abs(f));
                int step = k;
                int el = i;
                assertTrue(Math.abs(f - c) <= tol, () -> what + " step " + step + " element " + el + ": fused " + f
                        + ", composed " + c + ", |diff| " + Math.abs(f - c) + " > " + tol);
            }
        }
        assertTrue(composed.loss() < new Run(null, params()).loss(), what + " decreases f");
    }

    private static Momentum.Hyper parts(double lr, double wd, double damp, Trace t, UpdateRule r, boolean first) {
        return new Momentum.Hyper(lr, wd, damp, t, r, first);
    }

    @Test
    void sgdMomentumIsAPlainTraceWithLrOutsideStartingAtTheFirstGradient() {
        sameTrajectory("sgd momentum",
                run(new Sgd(), Sgd.hyper().lr(0.05).momentum(0.9).dampening(0.2).weightDecay(0.01).build()),
                run(new Momentum(MomentumSchedule.constant(0.9), RestartPolicy.never()),
                        parts(0.05, 0.01, 0.2, Trace.PLAIN, UpdateRule.LR_OUTSIDE_TRACE, true)));
        sameTrajectory("sgd nesterov",
                run(new Sgd(), Sgd.hyper().lr(0.05).momentum(0.9).nesterov(true).build()),
                run(new Momentum(MomentumSchedule.constant(0.9), RestartPolicy.never()),
                        parts(0.05, 0, 0, Trace.NESTEROV, UpdateRule.LR_OUTSIDE_TRACE, true)));
    }

    @Test
    void heavyBallIsAPlainTraceWithLrInside() {
        sameTrajectory("heavy ball",
                run(new HeavyBall(), new HeavyBall.Hyper(0.05, 0.9, 0.01)),
                run(new Momentum(MomentumSchedule.constant(0.9), RestartPolicy.never()),
                        parts(0.05, 0.01, 0, Trace.PLAIN, UpdateRule.LR_INSIDE_TRACE, false)));
    }

    @Test
    void sgdWithEarlyMomentumIsHeavyBallWithTheEarlyPhaseSchedule() {
        sameTrajectory("sgdem per epoch",
                run(new SgdEarlyMomentum(), new SgdEarlyMomentum.Hyper(0.05, 0.9, 0.01, 5, 12)),
                run(new Momentum(MomentumSchedule.earlyPhase(MomentumSchedule.constant(0.9), 5, 12), RestartPolicy.never()),
                        parts(0.05, 0.01, 0, Trace.PLAIN, UpdateRule.LR_INSIDE_TRACE, false)));
        sameTrajectory("sgdem once",
                run(new SgdEarlyMomentum(), new SgdEarlyMomentum.Hyper(0.05, 0.9, 0, 20, 0)),
                run(new Momentum(MomentumSchedule.earlyPhase(MomentumSchedule.constant(0.9), 20, 0), RestartPolicy.never()),
                        parts(0.05, 0, 0, Trace.PLAIN, UpdateRule.LR_INSIDE_TRACE, false)));
    }

    @Test
    void sutskeverNesterovIsALookAheadTraceReadingTheNextMomentum() {
        sameTrajectory("sutskever",
                run(new Nesterov(), new Nesterov.Hyper(0.05, 0.9, 0.01)),
                run(new Momentum(MomentumSchedule.constant(0.9).next(), RestartPolicy.never()),
                        parts(0.05, 0.01, 0, Trace.LOOK_AHEAD, UpdateRule.LR_INSIDE_TRACE, false)));
        // with a varying μ the look-ahead must read μ_{k+1}: the fused preset with a group schedule
        Schedule mu = t -> Math.min(0.95, 0.5 + 0.02 * t);
        Nesterov fused = new Nesterov();
        Run f = run(fused, new Nesterov.Hyper(0.05, 0.9));
        fused.group().momentumSchedule(mu);
        sameTrajectory("sutskever scheduled", f,
                run(new Momentum(MomentumSchedule.of(mu).next(), RestartPolicy.never()),
                        parts(0.05, 0, 0, Trace.LOOK_AHEAD, UpdateRule.LR_INSIDE_TRACE, false)));
    }

    @Test
    void nagIsALookAheadTraceWithTheConvexSchedule() {
        sameTrajectory("nag",
                run(new Nag(), new Nag.Hyper(0.05, 0.01)),
                run(new Momentum(MomentumSchedule.nesterovConvex(), RestartPolicy.never()),
                        parts(0.05, 0.01, 0, Trace.LOOK_AHEAD, UpdateRule.LR_INSIDE_TRACE, false)));
    }

    @Test
    void adaptiveRestartNagIsNagWithTheFunctionValueRestart() {
        AdaptiveRestartNag fused = new AdaptiveRestartNag();
        AdaptiveRestart policy = new AdaptiveRestart();
        // a large step makes f oscillate, so the policy restarts
        sameTrajectory("arnag",
                run(fused, new AdaptiveRestartNag.Hyper(0.9)),
                run(new Momentum(MomentumSchedule.nesterovConvex(), policy),
                        parts(0.9, 0, 0, Trace.LOOK_AHEAD, UpdateRule.LR_INSIDE_TRACE, false)));
        assertTrue(fused.restarts() > 0, "the run restarts");
        assertEquals(fused.restarts(), policy.restarts());
        assertEquals(fused.counter(), policy.counter());
        assertEquals(fused.scalarState(), policy.scalars());
    }

    @Test
    void scheduledRestartSgdIsNagWithTheScheduledRestartAndStagedLr() {
        ScheduledRestartSgd.RestartSchedule f = ScheduledRestartSgd.RestartSchedule.linear(4, 3);
        var h = new ScheduledRestartSgd.Hyper(0.05, 1e-3, f, 0.5, 20, 40);
        ScheduledRestartSgd fused = new ScheduledRestartSgd();
        ScheduledRestart policy = new ScheduledRestart(h::stageOf, f::frequency);
        Momentum composed = new Momentum(MomentumSchedule.nesterovConvex(), policy);
        Run c = run(composed, parts(0.05, 1e-3, 0, Trace.LOOK_AHEAD, UpdateRule.LR_INSIDE_TRACE, false));
        composed.group().lrSchedule(Schedule.multiStep(0.05, 0.5, 20, 40));
        sameTrajectory("srsgd", run(fused, h), c);
        assertEquals(2, fused.stage());
        assertEquals(fused.stage(), policy.stage());
        assertEquals(fused.counter(), policy.counter());
    }

    @Test
    void aNewCombinationPytorchNesterovWithAdaptiveRestartRunsAndResumesFromItsState() {
        // PyTorch's Nesterov buffer, Nesterov's convex schedule and the function-value restart: no preset has it
        Supplier<Momentum> make = () -> new Momentum(MomentumSchedule.nesterovConvex(), new AdaptiveRestart());
        Momentum.Hyper h = parts(0.9, 0, 0, Trace.NESTEROV, UpdateRule.LR_OUTSIDE_TRACE, true);
        Run a = run(make.get(), h);
        for (int k = 0; k < 10; k++) {
            a.step();
        }
        assertTrue(((AdaptiveRestart) ((Momentum) a.opt()).restartPolicy()).restarts() > 0, "restarts happen");
        Run b = run(make.get(), h);
        b.p().param().copyFrom(a.p().param());
        try (StateDict sd = a.opt().stateDict()) {
            assertEquals(List.of(MomentumState.TRACE), List.copyOf(sd.buffers().get(0).get(0).keySet()));
            b.opt().loadStateDict(sd);
        }
        for (int k = 0; k < 10; k++) {
            a.step();
            b.step();
        }
        assertArrayEquals(a.p().param().toDoubleArray(), b.p().param().toDoubleArray(), "resumed bit for bit");
        assertEquals(a.opt().scalarState(), b.opt().scalarState());
        assertTrue(a.loss() < new Run(null, params()).loss());
    }

    @Test
    void invalidPartsAreRejectedNamingTheArgument() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> parts(0.1, 0, 0.5, Trace.LOOK_AHEAD, UpdateRule.LR_INSIDE_TRACE, false));
        assertTrue(e.getMessage().contains("dampening 0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parts(-1, 0, 0, Trace.PLAIN, UpdateRule.LR_INSIDE_TRACE, false));
        assertTrue(e.getMessage().contains("lr") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MomentumSchedule.constant(1.5));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MomentumSchedule.earlyPhase(c -> 0.9, -2, 0));
        assertTrue(e.getMessage().contains("earlySteps") && e.getMessage().contains("-2"), e.getMessage());
        var m = new Momentum(MomentumSchedule.constant(0.5), new AdaptiveRestart());
        m.addGroup(parts(0.1, 0, 0, Trace.PLAIN, UpdateRule.LR_INSIDE_TRACE, false), params());
        assertThrows(IllegalStateException.class, m::step, "adaptive restart needs the objective");
    }

    @Test
    void theSchedulesHaveTheirClosedForms() {
        MomentumSchedule nag = MomentumSchedule.nesterovConvex();
        assertEquals(0, nag.at(1));
        assertEquals(0.25, nag.at(2));
        assertEquals(0.4, nag.at(3));
        MomentumSchedule early = MomentumSchedule.earlyPhase(MomentumSchedule.constant(0.9), 2, 5);
        double[] expected = {0.9, 0.9, 0, 0, 0, 0.9, 0.9, 0};
        for (int c = 1; c <= expected.length; c++) {
            assertEquals(expected[c - 1], early.at(c), "clock " + c);
        }
        // of(s).at(c) = s.at(c − 1); next() reads one clock later: of(0.1·t).next().at(2) = s.at(2)
        assertEquals(0.2, MomentumSchedule.of(t -> 0.1 * t).next().at(2), 1e-15);
    }
}
