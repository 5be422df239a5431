package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.momentum.MomentumSchedule;
import org.junit.jupiter.api.Test;

/**
 * The methods of issue #13: PyTorch 2.13 parity (expected values generated on this machine with
 * {@code torch.optim.NAdam/RAdam/Adamax} in float64 and embedded here), RAdam's rectification switch,
 * Demon's schedule, AdEMAMix's warm-ups, the schedule-free train/eval switch and its checkpoint, per-group
 * step counters, and the hyperparameter checks.
 */
class NewMethodsTest {

    /** The gradients of the parity runs: g_k = (sin 1.3k, 2 cos 0.7k, 0.1k − 0.5), w_0 = (0.5, −1, 2). */
    private static double[] grads(int k) {
        return new double[] {Math.sin(1.3 * k), 2 * Math.cos(0.7 * k), 0.1 * k - 0.5};
    }

    private static double[][] run(Dtype dt, Supplier<Optimizer<?>> make, Optimizer.Hyper hyper, int steps) {
        try (FlatParameters f = FlatParameters.allocate(dt, Shape.of(3)); Optimizer<?> opt = make.get()) {
            addGroup(opt, hyper, f);
            double[] w0 = {0.5, -1.0, 2.0};
            for (int i = 0; i < 3; i++) {
                f.params().setAtOffset(i, w0[i]);
            }
            double[][] out = new double[steps][];
            for (int k = 1; k <= steps; k++) {
                double[] g = grads(k);
                for (int i = 0; i < 3; i++) {
                    f.grads().setAtOffset(i, g[i]);
                }
                opt.step();
                out[k - 1] = f.params().toDoubleArray();
            }
            return out;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void addGroup(Optimizer opt, Optimizer.Hyper hyper, FlatParameters f) {
        opt.addGroup(hyper, f);
    }

    private static void parity(double[][] expected, Supplier<Optimizer<?>> make, Optimizer.Hyper hyper) {
        for (Dtype dt : new Dtype[] {Dtype.F64, Dtype.F32}) {
            double[][] got = run(dt, make, hyper, expected.length);
            // float64: a few roundings of O(1) values per step; float32: the float path, 1e-5 after 8 steps
            double tol = dt == Dtype.F64 ? 1e-13 : 1e-5;
            for (int k = 0; k < expected.length; k++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(expected[k][i], got[k][i], tol, dt + " step " + (k + 1) + " element " + i);
                }
            }
        }
    }

    @Test
    void nadamMatchesPyTorch() {
        // torch.optim.NAdam(lr=0.05, weight_decay=0.1)
        parity(new double[][] {{0.4471774116033905, -1.0528225885482991, 2.05282258627664},
                {0.4191326348873975, -1.0644009194816482, 2.078044960658869},
                {0.44257138759473225, -1.0329866428210441, 2.080596881876677},
                {0.47389650602592914, -0.9878219114146, 2.0574478015100617},
                {0.46337989489693304, -0.9455230638389661, 2.0155947281511897},
                {0.42293124663493636, -0.9180155433460692, 1.964120839252095},
                {0.40516271427188105, -0.9177955385663032, 1.907734319561663},
                {0.43316693882631374, -0.9446469731291455, 1.8484407400286837}},
                NAdam::new, NAdam.hyper().lr(0.05).weightDecay(0.1).build());
    }

    @Test
    void decoupledNadamMatchesPyTorch() {
        // torch.optim.NAdam(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=0.01)
        parity(new double[][] {{0.4446755031818737, -1.0478244970210202, 2.042824496045737},
                {0.41501579607734157, -1.0570048226188271, 2.066490020101993},
                {0.4390828786596308, -1.0245192157221523, 2.081614099120738},
                {0.4703594424278532, -0.9762465690731733, 2.0885051768326033},
                {0.4599008367886719, -0.930367705938169, 2.0848750067709396},
                {0.4187504120252982, -0.8998912439187992, 2.0678473240786848},
                {0.4008736154658225, -0.8980126883160786, 2.035930977875566},
                {0.429434874195139, -0.9236546966213981, 1.9903344323701546}},
                NAdam::new, NAdam.hyper().lr(0.05).weightDecay(0.1).decoupledWeightDecay(true).momentumDecay(0.01).build());
    }

    @Test
    void radamMatchesPyTorchOnBothSidesOfTheThreshold() {
        // torch.optim.RAdam(lr=0.05, weight_decay=0.1): steps 1-5 unrectified, 6-8 rectified (β2 = 0.999)
        parity(new double[][] {{0.44932209072914037, -1.0714842187284488, 2.01},
                {0.41056851315624954, -1.111471108229494, 2.0173421052631575},
                {0.3980470547591182, -1.116022995700215, 2.021942950087395},
                {0.4014325332358873, -1.0902305282665778, 2.023720136995182},
                {0.4008746060455568, -1.046537556831384, 2.022592440605183},
                {0.40049132524416775, -1.045713906257284, 2.021999979749045},
                {0.3999202175165881, -1.0448675350423227, 2.020956185533179},
                {0.39973142158121705, -1.044414665272703, 2.0195047922424862}},
                RAdam::new, RAdam.hyper().lr(0.05).weightDecay(0.1).build());
        for (int k = 1; k <= 8; k++) {
            assertEquals(k >= 6, StepHyper.RAdam.forStep(0.05, 0.9, 0.999, 1e-8, 0, false, false, k).rectified(),
                    "rectified at step " + k);
        }
    }

    @Test
    void decoupledRadamMatchesPyTorch() {
        // torch.optim.RAdam(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, decoupled_weight_decay=True)
        parity(new double[][] {{0.44932209072914037, -1.0714842187284488, 2.01},
                {0.41134359360451633, -1.1095624027863529, 2.017172222222222},
                {0.4022927736500142, -1.1089583042798967, 2.0213486561930782},
                {0.4106201464038507, -1.074764425597158, 2.022366574158725},
                {0.41263064549403783, -1.0214065027524606, 2.020070067323153},
                {0.409435578380695, -1.0134548473846814, 2.011543250981264},
                {0.40565765555940403, -1.0058647437318557, 2.0018184651340762},
                {0.40377745491155265, -1.000357069893792, 1.9901984071868022}},
                RAdam::new, RAdam.hyper().lr(0.05).betas(0.8, 0.99).weightDecay(0.1).decoupledWeightDecay(true).build());
    }

    @Test
    void adamaxMatchesPyTorch() {
        // torch.optim.Adamax(lr=0.05, weight_decay=0.1, maximize=True)
        parity(new double[][] {{0.5499999994526895, -0.9500000003068079, 1.9500000008333334},
                {0.5869863139166115, -0.9192618273732507, 1.9045598245678865},
                {0.5952421341883868, -0.9102578767511594, 1.8638278490579692},
                {0.5863641796236602, -0.9190058281736798, 1.8279506452763892},
                {0.5816756354154099, -0.9377615880698817, 1.7970725973107378},
                {0.5886469025386054, -0.9578160449237224, 1.771335534250908},
                {0.5969404021074635, -0.9715298692961717, 1.7508783767453233},
                {0.5954886094759353, -0.9747460810711641, 1.7358368007984475}},
                Adamax::new, Adamax.hyper().lr(0.05).weightDecay(0.1).maximize(true).build());
    }

    @Test
    void lionMovesEveryCoordinateByExactlyLr() {
        // w = (0.5, −1, 2), m = 0: c = 0.1·g, sign(c) = sign(g); with wd 0 each coordinate moves by lr
        double[][] got = run(Dtype.F64, Lion::new, Lion.hyper().lr(0.01).build(), 1);
        double[] g = grads(1);
        double[] w0 = {0.5, -1.0, 2.0};
        for (int i = 0; i < 3; i++) {
            assertEquals(w0[i] - 0.01 * Math.signum(g[i]), got[0][i], 1e-15);
        }
    }

    @Test
    void demonDecaysTheMomentumToZero() {
        Schedule d = Schedule.demon(0.9, 100);
        assertEquals(0.9, d.at(0), 1e-15);
        // half-way: 0.9·0.5/(0.1 + 0.45) = 0.8181…, so β/(1−β) = 4.5 = half of 9
        double mid = d.at(50);
        assertEquals(0.45 / 0.55, mid, 1e-15);
        assertEquals(4.5, mid / (1 - mid), 1e-12);
        assertEquals(0, d.at(100), 0);
        assertEquals(0, d.at(1000), 0);
        assertEquals(d.at(49), MomentumSchedule.demon(0.9, 100).at(50), 0);
        assertThrows(IllegalArgumentException.class, () -> Schedule.demon(1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.demon(0.9, 0));
    }

    @Test
    void ademamixWarmupsFollowTheReferenceSchedulers() {
        AdEMAMix.Hyper h = AdEMAMix.hyper().betas(0.9, 0.999, 0.9999).alpha(8).alphaWarmup(100).beta3Warmup(100).build();
        assertEquals(8 * 0.25, h.alphaAt(25), 1e-15);
        assertEquals(8, h.alphaAt(100), 0);
        // the half-life of β3 grows linearly from β1's (≈ 5.6 steps) to β3's (≈ 6931 steps)
        double hl1 = Math.log(0.5) / Math.log(0.9 + 1e-8) - 1;
        double hl3 = Math.log(0.5) / Math.log(0.9999 + 1e-8) - 1;
        double b = h.beta3At(50);
        assertEquals((hl1 + hl3) / 2, Math.log(0.5) / Math.log(b) - 1, 1e-6);
        assertTrue(h.beta3At(1) < h.beta3At(50) && h.beta3At(50) < 0.9999);
        assertEquals(0.9999, h.beta3At(100), 0);
        AdEMAMix.Hyper none = AdEMAMix.hyper().alpha(5).build();
        assertEquals(5, none.alphaAt(1), 0);
        assertEquals(0.9999, none.beta3At(1), 0);
    }

    // ------------------------------------------------------------------ schedule-free

    @Test
    void scheduleFreeEvalHoldsTheAverageAndTrainRestoresY() {
        for (boolean adam : new boolean[] {false, true}) {
            try (FlatParameters f = FlatParameters.allocate(Dtype.F64, Shape.of(4))) {
                ScheduleFree<?> opt = adam ? new ScheduleFreeAdamW() : new ScheduleFreeSgd();
                if (adam) {
                    ((ScheduleFreeAdamW) opt).addGroup(ScheduleFreeAdamW.hyper().lr(0.05).betas(0.8, 0.99).build(), f);
                } else {
                    ((ScheduleFreeSgd) opt).addGroup(ScheduleFreeSgd.hyper().lr(0.05).momentum(0.8).build(), f);
                }
                for (int i = 0; i < 4; i++) {
                    f.params().setAtOffset(i, i - 1.5);
                }
                // gradient of ½‖w − 1‖², the x sequence must approach 1
                for (int k = 0; k < 30; k++) {
                    for (int i = 0; i < 4; i++) {
                        f.grads().setAtOffset(i, f.params().getAtOffset(i) - 1);
                    }
                    opt.step();
                }
                double[] y = f.params().toDoubleArray();
                double[] z = opt.group().state(0, "z").toDoubleArray();
                opt.eval();
                assertFalse(opt.isTrainMode());
                double[] x = f.params().toDoubleArray();
                for (int i = 0; i < 4; i++) {
                    // y = (1−β) z + β x
                    assertEquals(y[i], 0.2 * z[i] + 0.8 * x[i], 1e-12, "y from z and x");
                    assertNotEquals(y[i], x[i]);
                }
                opt.eval(); // idempotent
                assertArrayEquals(x, f.params().toDoubleArray(), 0);
                IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
                assertTrue(e.getMessage().contains("train()"), e.getMessage());
                opt.train();
                assertTrue(opt.isTrainMode());
                assertArrayEquals(y, f.params().toDoubleArray(), 1e-12);
                opt.close();
            }
        }
    }

    @Test
    void scheduleFreeCheckpointInEvalModeResumesInEvalModeAndContinuesExactly() {
        try (FlatParameters a = FlatParameters.allocate(Dtype.F32, Shape.of(5));
             FlatParameters b = FlatParameters.allocate(Dtype.F32, Shape.of(5));
             ScheduleFreeAdamW straight = new ScheduleFreeAdamW();
             ScheduleFreeAdamW first = new ScheduleFreeAdamW();
             ScheduleFreeAdamW resumed = new ScheduleFreeAdamW()) {
            var h = ScheduleFreeAdamW.hyper().lr(0.02).warmupSteps(2).weightDecay(0.01).build();
            straight.addGroup(h, a);
            first.addGroup(h, b);
            for (int i = 0; i < 5; i++) {
                a.params().setAtOffset(i, i * 0.3 - 0.7);
                b.params().setAtOffset(i, i * 0.3 - 0.7);
            }
            for (int k = 1; k <= 7; k++) {
                for (FlatParameters f : List.of(a, b)) {
                    for (int i = 0; i < 5; i++) {
                        f.grads().setAtOffset(i, Math.sin(k + i) + f.params().getAtOffset(i));
                    }
                }
                straight.step();
                if (k <= 4) {
                    first.step();
                }
                if (k == 4) {
                    first.eval();
                    try (StateDict sd = first.stateDict()) {
                        assertEquals(0.0, sd.scalars().get("train_mode"));
                        resumed.addGroup(h, b);
                        resumed.loadStateDict(sd);
                    }
                    assertFalse(resumed.isTrainMode());
                    resumed.train();
                } else if (k > 4) {
                    resumed.step();
                }
            }
            assertArrayEquals(a.params().toFloatArray(), b.params().toFloatArray());
        }
    }

    // ------------------------------------------------------------------ per-group step counters

    @Test
    void aGroupAddedLaterStartsItsOwnBiasCorrection() {
        try (FlatParameters early = FlatParameters.allocate(Dtype.F64, Shape.of(3));
             FlatParameters late = FlatParameters.allocate(Dtype.F64, Shape.of(3));
             FlatParameters alone = FlatParameters.allocate(Dtype.F64, Shape.of(3));
             Adam both = new Adam();
             Adam fresh = new Adam()) {
            var h = Adam.hyper().lr(0.1).build();
            both.addGroup(h, early);
            for (int k = 0; k < 3; k++) {
                early.grads().setAtOffset(0, 1);
                both.step();
            }
            both.addGroup(h, late);
            fresh.addGroup(h, alone);
            for (int k = 1; k <= 4; k++) {
                for (int i = 0; i < 3; i++) {
                    late.grads().setAtOffset(i, Math.cos(k * i));
                    alone.grads().setAtOffset(i, Math.cos(k * i));
                }
                both.step();
                fresh.step();
            }
            assertEquals(7, both.steps());
            assertEquals(4, both.groups().get(1).steps());
            assertArrayEquals(alone.params().toDoubleArray(), late.params().toDoubleArray(), 0);
            try (StateDict sd = both.stateDict()) {
                assertEquals(Map.of("step.1", 4.0), sd.scalars());
            }
        }
    }

    @Test
    void groupStepCountersSurviveAStateDictAndLegacyDictsUseTheGlobalCount() {
        try (FlatParameters p0 = FlatParameters.allocate(Dtype.F64, Shape.of(2));
             FlatParameters p1 = FlatParameters.allocate(Dtype.F64, Shape.of(2));
             NAdam opt = new NAdam();
             NAdam copy = new NAdam()) {
            var h = NAdam.hyper().lr(0.1).build();
            opt.addGroup(h, p0);
            p0.grads().setAtOffset(0, 1);
            opt.step();
            opt.step();
            opt.addGroup(h, p1);
            p1.grads().setAtOffset(1, -1);
            opt.step();
            copy.addGroup(h, p0);
            copy.addGroup(h, p1);
            try (StateDict sd = opt.stateDict()) {
                assertEquals(1.0, sd.scalars().get("step.1"));
                copy.loadStateDict(sd);
                assertEquals(3, copy.groups().get(0).steps());
                assertEquals(1, copy.groups().get(1).steps());
                // a dict written before per-group counters: every group has taken the optimizer's steps
                Map<String, Double> legacy = new HashMap<>(sd.scalars());
                legacy.remove("step.1");
                copy.loadStateDict(new StateDict(sd.method(), sd.steps(), sd.hypers(), sd.buffers(), legacy));
                assertEquals(3, copy.groups().get(1).steps());
                Map<String, Double> bad = new HashMap<>(sd.scalars());
                bad.put("step.1", 7.0);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> copy.loadStateDict(
                        new StateDict(sd.method(), sd.steps(), sd.hypers(), sd.buffers(), bad)));
                assertTrue(e.getMessage().contains("step.1") && e.getMessage().contains("7.0"), e.getMessage());
                bad.remove("step.1");
                bad.put("step.5", 1.0);
                e = assertThrows(IllegalArgumentException.class, () -> copy.loadStateDict(
                        new StateDict(sd.method(), sd.steps(), sd.hypers(), sd.buffers(), bad)));
                assertTrue(e.getMessage().contains("step.5"), e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ validation

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message \"" + e.getMessage() + "\" lacks \"" + p + "\"");
        }
    }

    @Test
    void badHyperparametersNameTheArgumentAndValue() {
        assertMessage(() -> NAdam.hyper().momentumDecay(-1).build(), "momentumDecay", "-1.0");
        assertMessage(() -> NAdam.hyper().betas(1, 0.9).build(), "beta1", "1.0");
        assertMessage(() -> RAdam.hyper().eps(0).build(), "eps", "0.0");
        assertMessage(() -> Adamax.hyper().betas(0.9, -0.1).build(), "beta2", "-0.1");
        assertMessage(() -> Lion.hyper().betas(1.5, 0.9).build(), "beta1", "1.5");
        assertMessage(() -> Lion.hyper().lr(Double.NaN).build(), "lr", "NaN");
        assertMessage(() -> Qhm.hyper().nu(1.2).build(), "nu", "1.2");
        assertMessage(() -> QhAdam.hyper().nus(0.7, -1).build(), "nu2", "-1.0");
        assertMessage(() -> AdEMAMix.hyper().alpha(-2).build(), "alpha", "-2.0");
        assertMessage(() -> AdEMAMix.hyper().beta3Warmup(-5).build(), "beta3Warmup", "-5");
        assertMessage(() -> ScheduleFreeSgd.hyper().momentum(0).build(), "momentum", "0.0");
        assertMessage(() -> ScheduleFreeAdamW.hyper().warmupSteps(-1).build(), "warmupSteps", "-1");
        assertMessage(() -> ScheduleFreeAdamW.hyper().weightLrPower(-1).build(), "weightLrPower", "-1.0");
    }

    @Test
    void nadamStateSurvivesAndRejectsAnotherLayout() {
        try (FlatParameters f = FlatParameters.allocate(Dtype.F32, Shape.of(3)); NAdam opt = new NAdam();
             Lion lion = new Lion()) {
            opt.addGroup(NAdam.hyper().build(), f);
            f.grads().setAtOffset(0, 1);
            opt.step();
            NdArray m = opt.group().state(0, "exp_avg");
            assertEquals(0.1, m.getAtOffset(0), 1e-7);
            lion.addGroup(Lion.hyper().build(), f);
            try (StateDict sd = opt.stateDict()) {
                assertMessage(() -> lion.loadStateDict(sd), "nadam", "lion");
            }
        }
    }
}
