package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.junit.jupiter.api.Test;
import org.inertia.optim.momentum.AdaptiveRestart;
import org.inertia.optim.momentum.ScheduledRestart;

/** Optimizer machinery: state round-trip, flat storage, validation, restart logic, NaN behaviour. */
class OptimizerTest {

    record Made(Supplier<Optimizer<?>> make, Optimizer.Hyper hyper) {
    }

    static Made make(String name) {
        return switch (name) {
            case "sgd-momentum" -> new Made(Sgd::new, Sgd.hyper().lr(0.05).momentum(0.9).dampening(0.1).weightDecay(1e-3).build());
            case "sgd-nesterov" -> new Made(Sgd::new, Sgd.hyper().lr(0.05).momentum(0.9).nesterov(true).build());
            case "heavyball" -> new Made(HeavyBall::new, new HeavyBall.Hyper(0.05, 0.9));
            case "nesterov" -> new Made(Nesterov::new, new Nesterov.Hyper(0.05, 0.9));
            case "nag" -> new Made(Nag::new, new Nag.Hyper(0.05));
            case "arnag" -> new Made(AdaptiveRestartNag::new, new AdaptiveRestartNag.Hyper(0.05));
            case "srsgd" -> new Made(ScheduledRestartSgd::new, new ScheduledRestartSgd.Hyper(0.05, 1e-4,
                    ScheduledRestartSgd.RestartSchedule.linear(3, 2), 0.1, 4));
            case "sgdem" -> new Made(SgdEarlyMomentum::new, new SgdEarlyMomentum.Hyper(0.05, 0.9, 0, 3, 0));
            case "aggmo" -> new Made(AggMo::new, new AggMo.Hyper(0.05));
            case "adagrad" -> new Made(AdaGrad::new, new AdaGrad.Hyper(0.05, 0.01, 0, 0.1, 1e-10, false));
            case "rmsprop" -> new Made(RmsProp::new, new RmsProp.Hyper(0.01, 0.9, 1e-8, 0, 0.5, true, false));
            case "adam" -> new Made(Adam::new, Adam.hyper().lr(0.01).amsgrad(true).build());
            case "adamw" -> new Made(AdamW::new, AdamW.hyper().lr(0.01).build());
            case "rprop" -> new Made(Rprop::new, new Rprop.Hyper(0.01));
            case "sgld" -> new Made(Sgld::new, new Sgld.Hyper(0.01, 0, 1, 42));
            case "sghmc" -> new Made(Sghmc::new, new Sghmc.Hyper(0.01, 1, 1, 0, 1, 42));
            case "nadam" -> new Made(NAdam::new, NAdam.hyper().lr(0.01).weightDecay(0.01).build());
            case "radam" -> new Made(RAdam::new, RAdam.hyper().lr(0.01).betas(0.9, 0.6).decoupledWeightDecay(true)
                    .weightDecay(0.01).build());
            case "adamax" -> new Made(Adamax::new, Adamax.hyper().lr(0.01).build());
            case "lion" -> new Made(Lion::new, Lion.hyper().lr(0.01).weightDecay(0.1).build());
            case "qhm" -> new Made(Qhm::new, Qhm.hyper().lr(0.05).beta(0.9).build());
            case "qhadam" -> new Made(QhAdam::new, QhAdam.hyper().lr(0.01).build());
            case "ademamix" -> new Made(AdEMAMix::new, AdEMAMix.hyper().lr(0.01).alphaWarmup(5).beta3Warmup(5).build());
            case "sfsgd" -> new Made(ScheduleFreeSgd::new, ScheduleFreeSgd.hyper().lr(0.05).warmupSteps(3).build());
            case "sfadamw" -> new Made(ScheduleFreeAdamW::new, ScheduleFreeAdamW.hyper().lr(0.01).weightDecay(0.01).build());
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("sgd-momentum", "sgd-nesterov", "heavyball", "nesterov", "nag", "arnag", "srsgd", "sgdem",
                "aggmo", "adagrad", "rmsprop", "adam", "adamw", "rprop", "sgld", "sghmc", "nadam", "radam", "adamax", "lion",
                "qhm", "qhadam", "ademamix", "sfsgd", "sfadamw");
    }

    private static final Shape[] SHAPES = {Shape.of(3, 5), Shape.of(17), Shape.of(2, 2, 2), Shape.of(40)};

    /** Deterministic gradients and losses for step k. */
    private static double fillGrads(FlatParameters f, long seed, int k) {
        Random r = new Random(seed * 31 + k);
        NdArray g = f.grads();
        for (int i = 0; i < g.numel(); i++) {
            g.setAtOffset(i, r.nextGaussian());
        }
        return 10 - k + (k % 3 == 0 ? 2 : 0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Optimizer<?> build(String name, FlatParameters f, boolean flat) {
        Made m = make(name);
        Optimizer opt = m.make().get();
        if (flat) {
            opt.addGroup(m.hyper(), f);
        } else {
            opt.addGroup(m.hyper(), f.each());
        }
        return opt;
    }

    private static FlatParameters model(long seed) {
        FlatParameters f = FlatParameters.allocate(Dtype.F32, SHAPES);
        Random r = new Random(seed);
        for (int i = 0; i < f.numel(); i++) {
            f.params().setAtOffset(i, r.nextGaussian());
        }
        return f;
    }

    private static void run(Optimizer<?> opt, FlatParameters f, long seed, int from, int to) {
        for (int k = from; k <= to; k++) {
            double loss = fillGrads(f, seed, k);
            opt.step(() -> loss);
        }
    }

    @Property(tries = 32)
    void stateRoundTripContinuesBitIdentically(@ForAll("methods") String name, @ForAll long seed,
                                               @ForAll boolean flat, @ForAll @IntRange(min = 1, max = 6) int n) {
        FlatParameters a = model(seed);
        FlatParameters b = model(seed);
        Optimizer<?> straight = build(name, a, flat);
        run(straight, a, seed, 1, n + 4);

        Optimizer<?> first = build(name, b, flat);
        run(first, b, seed, 1, n);
        StateDict sd = first.stateDict();
        first.close();
        Optimizer<?> resumed = build(name, b, flat);
        resumed.loadStateDict(sd);
        sd.close();
        assertEquals(n, resumed.steps());
        run(resumed, b, seed, n + 1, n + 4);
        assertArrayEquals(a.params().toFloatArray(), b.params().toFloatArray(), name + ": resumed run differs");
        straight.close();
        resumed.close();
        a.close();
        b.close();
    }

    @Property(tries = 24)
    void oneFlatDispatchEqualsOneDispatchPerParameter(@ForAll("methods") String name, @ForAll long seed) {
        // Elementwise updates do not care how the elements are grouped; only the samplers' noise streams do
        // (documented: a flat buffer is one noise slot), so they are left out.
        if (name.equals("sgld") || name.equals("sghmc")) {
            return;
        }
        FlatParameters a = model(seed);
        FlatParameters b = model(seed);
        Optimizer<?> flat = build(name, a, true);
        Optimizer<?> each = build(name, b, false);
        run(flat, a, seed, 1, 5);
        run(each, b, seed, 1, 5);
        assertArrayEquals(a.params().toFloatArray(), b.params().toFloatArray(), name);
        // and the per-parameter view of a flat state buffer is that parameter's state
        String buf = "exp_avg_sq";
        if (flat.groups().getFirst().state(0, buf) != null) {
            NdArray flatState = flat.groups().getFirst().state(0, buf);
            for (int i = 0; i < SHAPES.length; i++) {
                assertArrayEquals(each.groups().getFirst().state(i, buf).toFloatArray(), a.view(flatState, i).toFloatArray());
            }
        }
        flat.close();
        each.close();
        a.close();
        b.close();
    }

    @Test
    void flatParameterViewsAliasTheFlatBuffers() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F32, Shape.of(2, 3), Shape.of(4))) {
            assertEquals(10, f.numel());
            f.param(1).set(7, 2);
            assertEquals(7, f.params().get(8));
            assertEquals(Shape.of(2, 3), f.grad(0).shape());
            Params head = f.range(0, 1);
            assertEquals(6, head.param().numel());
            assertThrows(IllegalArgumentException.class, () -> f.range(1, 1));
        }
    }

    @Test
    void zeroGradClearsEvenNaN() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F32, Shape.of(5))) {
            Sgd opt = new Sgd();
            opt.addGroup(Sgd.hyper().build(), f);
            f.grads().setAtOffset(3, Float.NaN);
            f.grads().setAtOffset(1, 2);
            opt.zeroGrad();
            assertArrayEquals(new float[5], f.grads().toFloatArray());
        }
    }

    @Test
    void nanGradientPropagatesIntoThatParameterOnly() {
        // Documented: no filtering, like PyTorch.
        try (FlatParameters f = FlatParameters.allocate(Dtype.F32, Shape.of(4))) {
            Adam opt = new Adam();
            opt.addGroup(Adam.hyper().build(), f);
            f.grads().setAtOffset(2, Float.NaN);
            f.grads().setAtOffset(0, 1);
            opt.step();
            float[] w = f.params().toFloatArray();
            assertTrue(Float.isNaN(w[2]));
            assertEquals(-1e-3f, w[0], 1e-9);
            assertEquals(0f, w[1]);
            assertTrue(Float.isNaN((float) opt.group().state(0, "exp_avg").get(2)));
        }
    }

    @Test
    void clipGradNormAcrossGroups() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F32, Shape.of(1), Shape.of(1))) {
            Sgd opt = new Sgd();
            opt.addGroup(Sgd.hyper().build(), f.range(0, 1));
            opt.addGroup(Sgd.hyper().lr(0.5).build(), f.range(1, 2));
            f.grads().setAtOffset(0, 3);
            f.grads().setAtOffset(1, 4);
            assertEquals(5, opt.clipGradNorm(1), 1e-6);
            assertEquals(0.6f, (float) f.grads().get(0), 1e-6);
            opt.clipGradValue(0.7);
            assertEquals(0.7f, (float) f.grads().get(1), 1e-7);
        }
    }

    @Test
    void invalidHyperparametersNameTheParameterAndValue() {
        assertMessage(() -> Sgd.hyper().lr(-0.1).build(), "lr", "-0.1");
        assertMessage(() -> Sgd.hyper().momentum(1.0).build(), "momentum", "1.0");
        assertMessage(() -> Sgd.hyper().nesterov(true).build(), "nesterov", "momentum 0.0");
        assertMessage(() -> Sgd.hyper().momentum(0.9).dampening(0.1).nesterov(true).build(), "dampening", "0.1");
        assertMessage(() -> Adam.hyper().betas(0.9, 1.0).build(), "beta2", "1.0");
        assertMessage(() -> Adam.hyper().betas(-0.1, 0.9).build(), "beta1", "-0.1");
        assertMessage(() -> Adam.hyper().eps(0).build(), "eps", "0.0");
        assertMessage(() -> new RmsProp.Hyper(0.01, 0.99, -1e-8, 0, 0, false, false), "eps", "-1.0E-8");
        assertMessage(() -> new AdaGrad.Hyper(Double.NaN), "lr", "NaN");
        assertMessage(() -> AdaGrad.hyper().lrDecay(-1).build(), "lrDecay", "-1.0");
        assertMessage(() -> RmsProp.hyper().alpha(1.5).build(), "alpha", "1.5");
        assertMessage(() -> RmsProp.hyper().momentum(-0.1).build(), "momentum", "-0.1");
        assertMessage(() -> Rprop.hyper().stepSizes(1, 0.5).build(), "stepMin", "stepMax");
        assertMessage(() -> new Rprop.Hyper(0.01, 1.5, 1.2, 1e-6, 50, false), "etaMinus", "1.5");
        assertMessage(() -> new ScheduledRestartSgd.Hyper(0.1, 0, 0), "restart frequency F", "0");
        assertMessage(() -> new ScheduledRestartSgd.Hyper(0.1, 0, ScheduledRestartSgd.RestartSchedule.of(5, 0), 0.1, 10),
                "stage 1", "0");
        assertMessage(() -> new AggMo.Hyper(0.1, new double[] {0, 1.2}, 0), "betas[1]", "1.2");
        assertMessage(() -> new HeavyBall.Hyper(0.1, -0.5), "beta", "-0.5");
        assertMessage(() -> new Sghmc.Hyper(0.1, -1, 1, 0, 1, 0), "friction", "-1.0");
        assertMessage(() -> HeavyBallTuning.of(1, 2), "mu", "2.0");
        assertMessage(() -> new SgdEarlyMomentum.Hyper(0.1, 0.9, 0, -1, 0), "earlySteps", "-1");
    }

    private static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void loadStateDictRejectsAnotherMethodOrLayout() {
        try (FlatParameters f = model(1); FlatParameters g = FlatParameters.allocate(Dtype.F32, Shape.of(3))) {
            Adam adam = new Adam();
            adam.addGroup(Adam.hyper().build(), f);
            fillGrads(f, 1, 1);
            adam.step();
            try (StateDict sd = adam.stateDict()) {
                AdamW w = new AdamW();
                w.addGroup(AdamW.hyper().build(), f);
                assertThrows(IllegalArgumentException.class, () -> w.loadStateDict(sd));
                Adam other = new Adam();
                other.addGroup(Adam.hyper().build(), g);
                var e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(sd));
                assertTrue(e.getMessage().contains("[3]"), e.getMessage());
            }
        }
    }

    @Test
    void adaptiveRestartResetsTheCounterWhenTheLossRises() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(2))) {
            AdaptiveRestartNag opt = new AdaptiveRestartNag();
            opt.addGroup(new AdaptiveRestartNag.Hyper(0.1), f);
            assertThrows(IllegalStateException.class, opt::step);
            double[] losses = {3, 2, 1, 1.5, 1.2, 1.0};
            long[] counters = {1, 2, 3, 1, 2, 3};
            for (int k = 0; k < losses.length; k++) {
                double l = losses[k];
                opt.step(() -> l);
                assertEquals(counters[k], opt.counter(), "after step " + (k + 1));
            }
            assertEquals(1, opt.restarts());
        }
    }

    @Test
    void scheduledRestartCounterAndStages() {
        // F per stage: exponential(40, 1.25) = 40, 50, 63, 78 (the paper's CIFAR-10 schedule)
        var exp = ScheduledRestartSgd.RestartSchedule.exponential(40, 1.25);
        assertArrayEquals(new long[] {40, 50, 63, 78}, new long[] {exp.frequency(0), exp.frequency(1), exp.frequency(2), exp.frequency(3)});
        var exp100 = ScheduledRestartSgd.RestartSchedule.exponential(45, 1.5);
        assertArrayEquals(new long[] {45, 68, 101, 152}, new long[] {exp100.frequency(0), exp100.frequency(1), exp100.frequency(2), exp100.frequency(3)});
        var lin = ScheduledRestartSgd.RestartSchedule.linear(30, 30);
        assertEquals(120, lin.frequency(3));
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            ScheduledRestartSgd opt = new ScheduledRestartSgd(ScheduledRestart.Indexing.REFERENCE_CODE, null);
            // stage 0: F = 4 for t < 6; stage 1: F = 3
            opt.addGroup(new ScheduledRestartSgd.Hyper(0.1, 0, ScheduledRestartSgd.RestartSchedule.of(4, 3), 0.5, 6), f);
            long[] used = new long[9];
            for (int k = 1; k <= 9; k++) {
                used[k - 1] = opt.counter();
                opt.step();
            }
            // c runs 1,2,3 (F = 4) then restarts; at k = 7 the stage changes to F = 3: c = 1 carries on, 1,2,1,…
            assertArrayEquals(new long[] {1, 2, 3, 1, 2, 3, 1, 2, 1}, used);
            assertEquals(1, opt.stage());
        }
    }

    @Test
    void scheduledRestartFollowsTheLecturesFormulaByDefault() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            ScheduledRestartSgd opt = new ScheduledRestartSgd();
            assertEquals(ScheduledRestart.Indexing.LECTURE, opt.indexing());
            // stage 0: F = 4 for t < 6 (k = 1..6); stage 1: F = 3 (k = 7..)
            opt.addGroup(new ScheduledRestartSgd.Hyper(0.1, 0, ScheduledRestartSgd.RestartSchedule.of(4, 3), 0.5, 6), f);
            double[] mu = new double[12];
            for (int k = 1; k <= 12; k++) {
                long c = opt.counter();
                mu[k - 1] = (c - 1.0) / (c + 2.0);
                opt.step();
            }
            // mu_j = (j mod F)/((j mod F) + 3), j the step within the stage: 1/4, 2/5, 3/6, 0 (the 4th step), …
            double[] want = new double[12];
            for (int k = 1; k <= 12; k++) {
                long j = k <= 6 ? k : k - 6;
                long fr = k <= 6 ? 4 : 3;
                want[k - 1] = (double) (j % fr) / (j % fr + 3);
            }
            assertArrayEquals(want, mu, 0);
            assertEquals(0, mu[3], "restart at the F-th step");
            assertEquals(0, mu[8], "and at the F-th step of the next stage");
            assertEquals(Map.of("stage", 1.0, "stageSteps", 6.0), opt.scalarState());
        }
    }

    @Test
    void aScheduledRestartStateLoadsOnlyUnderItsOwnIndexing() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(2));
             FlatParameters g = FlatParameters.allocate(Dtype.F64, Shape.of(2))) {
            var h = new ScheduledRestartSgd.Hyper(0.1, 0, 5);
            ScheduledRestartSgd reference = new ScheduledRestartSgd(ScheduledRestart.Indexing.REFERENCE_CODE, null);
            reference.addGroup(h, f);
            reference.step();
            ScheduledRestartSgd lecture = new ScheduledRestartSgd();
            lecture.addGroup(h, g);
            lecture.step();
            try (StateDict old = reference.stateDict(); StateDict now = lecture.stateDict()) {
                var e = assertThrows(IllegalArgumentException.class, () -> new ScheduledRestartSgd().loadStateDict(old));
                assertTrue(e.getMessage().contains("REFERENCE_CODE") && e.getMessage().contains("[c, stage]"), e.getMessage());
                ScheduledRestartSgd other = new ScheduledRestartSgd(ScheduledRestart.Indexing.REFERENCE_CODE, null);
                other.addGroup(h, g);
                e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(now));
                assertTrue(e.getMessage().contains("LECTURE") && e.getMessage().contains("stageSteps"), e.getMessage());
                ScheduledRestartSgd same = new ScheduledRestartSgd(ScheduledRestart.Indexing.REFERENCE_CODE, null);
                same.addGroup(h, f);
                same.loadStateDict(old);
                assertEquals(reference.counter(), same.counter());
            }
        }
    }

    @Test
    void adaptiveRestartOnTheGradientStepPointTestsFAtV() {
        // f(w) = w^2 / 2 from w = 1 with step 0.9: the test at v restarts where f(v) rises
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            f.params().setAtOffset(0, 1.0);
            AdaptiveRestartNag opt = new AdaptiveRestartNag(AdaptiveRestart.Test.GRADIENT_STEP, null);
            assertEquals(AdaptiveRestart.Test.GRADIENT_STEP, opt.test());
            opt.addGroup(new AdaptiveRestartNag.Hyper(0.9), f);
            NdArray w = f.params();
            NdArray grad = f.grads();
            // the readable loop: v_k = w - s w, w_k = v_k + (m-1)/(m+2)(v_k - v_{k-1}); m from f(v)
            double wr = 1;
            double vPrev = 1;
            double fvPrev = 0.5;
            long m = 1;
            java.util.List<Double> seen = new java.util.ArrayList<>();
            for (int k = 1; k <= 30; k++) {
                opt.step(() -> {
                    double x = w.getAtOffset(0);
                    grad.setAtOffset(0, x);
                    seen.add(x);
                    return 0.5 * x * x;
                });
                double v = wr - 0.9 * wr;
                double mu = (m - 1.0) / (m + 2.0);
                wr = v + mu * (v - vPrev);
                assertEquals(wr, w.getAtOffset(0), 1e-15 * Math.max(1, Math.abs(wr)), "w after step " + k);
                assertEquals(m, opt.counter(), "the m step " + k + " used");
                assertEquals(v, seen.get(seen.size() - 1), 1e-15, "the second closure call sees v_k");
                double fv = 0.5 * v * v;
                m = fv > fvPrev ? 1 : m + 1; // the test before step k + 1
                fvPrev = fv;
                vPrev = v;
            }
            assertTrue(opt.restarts() > 0, "the run restarts");
            assertTrue(opt.scalarState().containsKey("gradientStepLoss"));
        }
    }

    @Test
    void theGradientStepTestNeedsTheValueAtVAndSaysWhereToGetIt() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            var composed = new org.inertia.optim.momentum.Momentum(org.inertia.optim.momentum.MomentumSchedule.nesterovConvex(),
                    new AdaptiveRestart(AdaptiveRestart.Test.GRADIENT_STEP));
            composed.addGroup(new org.inertia.optim.momentum.Momentum.Hyper(0.1, 0, 0,
                    org.inertia.optim.momentum.Trace.LOOK_AHEAD, org.inertia.optim.momentum.UpdateRule.LR_INSIDE_TRACE,
                    false), f);
            composed.step(() -> 1.0);
            var e = assertThrows(IllegalStateException.class, () -> composed.step(() -> 1.0));
            assertTrue(e.getMessage().contains("GRADIENT_STEP") && e.getMessage().contains("Test.ITERATE"), e.getMessage());
        }
        var e = assertThrows(IllegalStateException.class, () -> new AdaptiveRestart().recordGradientStep(1.0));
        assertTrue(e.getMessage().contains("ITERATE"), e.getMessage());
        // a state of one test does not load into the other
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1));
             FlatParameters g = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            AdaptiveRestartNag atV = new AdaptiveRestartNag(AdaptiveRestart.Test.GRADIENT_STEP, null);
            atV.addGroup(new AdaptiveRestartNag.Hyper(0.1), f);
            atV.step(() -> 1.0);
            AdaptiveRestartNag atW = new AdaptiveRestartNag();
            atW.addGroup(new AdaptiveRestartNag.Hyper(0.1), g);
            try (StateDict sd = atV.stateDict()) {
                var r = assertThrows(IllegalArgumentException.class, () -> atW.loadStateDict(sd));
                assertTrue(r.getMessage().contains("gradientStepLoss"), r.getMessage());
            }
        }
    }

    @Test
    void nesterovWithAMomentumScheduleFollowsSutskeversRecurrence() {
        // v_k = μ_k v_{k−1} − s ∇f(w_{k−1} + μ_k v_{k−1}); w_k = w_{k−1} + v_k, μ_k = 1 − 3/(k + 5), f = ½ w²
        Schedule mu = t -> 1 - 3.0 / (t + 1 + 5);
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1)); Nesterov opt = new Nesterov()) {
            opt.addGroup(new Nesterov.Hyper(0.1, 0.9), f).momentumSchedule(mu);
            f.params().setAtOffset(0, 1);
            double w = 1;
            double v = 0;
            for (int k = 1; k <= 8; k++) {
                double muK = mu.at(k - 1);
                assertEquals(w + muK * v, f.params().getAtOffset(0), 1e-14, "look-ahead point before step " + k);
                f.grads().setAtOffset(0, f.params().getAtOffset(0));
                opt.step();
                v = muK * v - 0.1 * (w + muK * v);
                w = w + v;
            }
            try (NdArray out = NdArray.zeros(Dtype.F64, 1)) {
                opt.iterate(0, 0, out);
                assertEquals(w, out.get(0), 1e-14);
            }
        }
    }

    @Test
    void nesterovIterateRecoversTheTrueIterate() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(1))) {
            Nesterov opt = new Nesterov();
            opt.addGroup(new Nesterov.Hyper(0.1, 0.5), f);
            f.params().setAtOffset(0, 1);
            // f(w) = w²/2: the gradient at the stored look-ahead point is the point itself
            double w = 1;
            double v = 0;
            for (int k = 0; k < 5; k++) {
                f.grads().setAtOffset(0, f.params().getAtOffset(0));
                opt.step();
                v = 0.5 * v - 0.1 * (w + 0.5 * v);
                w = w + v;
            }
            try (NdArray out = NdArray.zeros(Dtype.F64, 1)) {
                opt.iterate(0, 0, out);
                assertEquals(w, out.get(0), 1e-14);
            }
        }
    }
}
