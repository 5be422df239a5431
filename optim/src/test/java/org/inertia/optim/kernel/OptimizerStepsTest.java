package org.inertia.optim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** Fused optimizer steps: hand-computed cases, NaN behaviour, chunking, argument validation. */
class OptimizerStepsTest {
    private static final Backend B = CpuBackend.get();

    private static StepHyper.Adam adam(long k) {
        return StepHyper.Adam.forStep(0.1, 0.9, 0.999, 1e-8, 0, false, false, false, k);
    }

    @Test
    void adamFirstTwoStepsByHand() {
        // w = 1, g1 = 2, g2 = -1, lr 0.1, β = (0.9, 0.999), eps 1e-8
        // step 1: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4 → w = 1 − 0.1·2/(2 + 1e-8)
        // step 2: m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
        //         m̂ = 0.08/0.19, v̂ = 0.004996/0.001999 → w -= 0.1·m̂/(√v̂ + 1e-8)
        double w1 = 1 - 0.1 * 2 / (2 + 1e-8);
        double mh = 0.08 / (1 - 0.81);
        double vh = 0.004996 / (1 - 0.999 * 0.999);
        double w2 = w1 - 0.1 * mh / (Math.sqrt(vh) + 1e-8);
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            NdArray w = NdArray.full(dt, 1, 3);
            NdArray g = NdArray.full(dt, 2, 3);
            NdArray m = NdArray.zeros(dt, 3);
            NdArray v = NdArray.zeros(dt, 3);
            OptimizerSteps.adam(adam(1), w, g, new AdamState(m, v, null));
            double tol = dt == Dtype.F32 ? 1e-6 : 1e-14;
            assertEquals(w1, w.get(0), tol, dt + " step 1");
            fillAll(g, -1);
            OptimizerSteps.adam(adam(2), w, g, new AdamState(m, v, null));
            assertEquals(0.08, m.get(1), tol, dt + " m after step 2");
            assertEquals(0.004996, v.get(2), tol, dt + " v after step 2");
            assertEquals(w2, w.get(0), tol * 10, dt + " step 2");
        }
    }

    private static void fillAll(NdArray a, double v) {
        for (int i = 0; i < a.numel(); i++) {
            a.setAtOffset(a.offset() + i, v);
        }
    }

    @Test
    void sgdMomentumBufferStartsAtTheFirstGradientLikePyTorch() {
        // torch.optim.SGD([w], lr=0.5, momentum=0.9, dampening=0.5): step 1 buf = g (no dampening), step 2 buf = 0.9·buf + 0.5·g
        NdArray w = NdArray.of(new float[] {1}, 1);
        NdArray g = NdArray.of(new float[] {2}, 1);
        NdArray b = NdArray.zeros(Dtype.F32, 1);
        OptimizerSteps.sgd(new StepHyper.Sgd(0.5, 0.9, 0.5, 0, false, false, true), w, g, new SgdState(b));
        assertEquals(2, b.get(0));
        assertEquals(0, w.get(0));
        OptimizerSteps.sgd(new StepHyper.Sgd(0.5, 0.9, 0.5, 0, false, false, false), w, g, new SgdState(b));
        assertEquals(2.8, b.get(0), 1e-6);
        assertEquals(-1.4, w.get(0), 1e-6);
        // nesterov: d = g + μ·buf
        OptimizerSteps.sgd(new StepHyper.Sgd(0.5, 0.9, 0, 0, true, false, false), w, g, new SgdState(b));
        assertEquals(0.9 * 2.8 + 2, b.get(0), 1e-6);
        assertEquals(-1.4 - 0.5 * (2 + 0.9 * b.get(0)), w.get(0), 1e-5);
    }

    @Test
    void rpropZeroesTheGradientOnASignFlip() {
        NdArray w = NdArray.of(new float[] {0, 0}, 2);
        NdArray g = NdArray.of(new float[] {1, 1}, 2);
        NdArray prev = NdArray.zeros(Dtype.F32, 2);
        NdArray step = NdArray.full(Dtype.F32, 0.01, 2);
        var h = new StepHyper.Rprop(0.5, 1.2, 1e-6, 50, false);
        OptimizerSteps.rprop(h, w, g, new RpropState(prev, step));
        assertEquals(-0.01f, (float) w.get(0));
        g.set(-3, 1); // element 1 flips sign, element 0 keeps it
        OptimizerSteps.rprop(h, w, g, new RpropState(prev, step));
        assertEquals(0.012f, (float) step.get(0), 1e-8);
        assertEquals(0.005f, (float) step.get(1), 1e-8);
        assertEquals(-0.022f, (float) w.get(0), 1e-7);
        assertEquals(-0.01f, (float) w.get(1), 1e-8, "no move on a flip");
        assertEquals(0, prev.get(1), "the flipped gradient is stored as 0");
    }

    @Property(tries = 30)
    void nanInAGradientPropagatesOnlyWhereItIs(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        // Documented behaviour: like PyTorch, a NaN gradient element makes that parameter (and its state) NaN;
        // every other element is updated normally. Both the SIMD and the reference paths do this.
        Random r = new Random(seed);
        int bad = r.nextInt(n);
        for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
            NdArray w = NdArray.zeros(dt, n);
            NdArray g = NdArray.zeros(dt, n);
            NdArray m = NdArray.zeros(dt, n);
            NdArray v = NdArray.zeros(dt, n);
            NdArray b = NdArray.zeros(dt, n);
            for (int i = 0; i < n; i++) {
                w.set(r.nextGaussian(), i);
                g.set(r.nextGaussian(), i);
            }
            g.set(Double.NaN, bad);
            NdArray w2 = w.copy();
            OptimizerSteps.adam(adam(1), w, g, new AdamState(m, v, null));
            OptimizerSteps.sgd(new StepHyper.Sgd(0.1, 0.9, 0, 0, false, false, true), w2, g, new SgdState(b));
            for (int i = 0; i < n; i++) {
                assertEquals(i == bad, Double.isNaN(w.get(i)), dt + " adam element " + i);
                assertEquals(i == bad, Double.isNaN(v.get(i)), dt + " adam state element " + i);
                assertEquals(i == bad, Double.isNaN(w2.get(i)), dt + " sgd element " + i);
            }
            g.set(Double.POSITIVE_INFINITY, bad);
            double norm = B.gradClip().clipGradNorm(1.0, g);
            assertEquals(Double.POSITIVE_INFINITY, norm);
            StepArrays.free(w, g, m, v, b, w2);
        }
    }

    @Test
    void chunkedParallelStepIsBitIdenticalToOneSingleThreadedCall() {
        // The facade cuts long arrays into fixed 64K-element chunks run on the pool; every element's update
        // reads only its own index (the samplers' noise included), so the result cannot depend on the
        // thread count: compare with one call of the kernel over the whole array on this thread.
        int n = (1 << 17) + 12345;
        Random r = new Random(7);
        NdArray[] a = new NdArray[4];
        NdArray[] b = new NdArray[4];
        for (int j = 0; j < 4; j++) {
            a[j] = NdArray.zeros(Dtype.F32, n);
            for (int i = 0; i < n; i++) {
                a[j].setAtOffset(i, j == 3 ? Math.abs(r.nextGaussian()) : r.nextGaussian());
            }
            b[j] = a[j].copy();
        }
        var h = StepHyper.Adam.forStep(1e-3, 0.9, 0.999, 1e-8, 0.01, true, false, false, 3);
        OptimizerSteps.adam(h, a[0], a[1], new AdamState(a[2], a[3], null));
        OptimizerStepsProvider.float32().adam(h, b[0], b[1], new AdamState(b[2], b[3], null), 0, n);
        for (int j = 0; j < 4; j++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(b[j].toFloatArray(), a[j].toFloatArray(), "buffer " + j);
        }
        var s = new StepHyper.Sghmc(0.01, 1, 1, 0, 0.1, 99, 4);
        OptimizerSteps.sghmc(s, a[0], a[1], new SghmcState(a[2]));
        OptimizerStepsProvider.float32().sghmc(s, b[0], b[1], new SghmcState(b[2]), 0, n);
        org.junit.jupiter.api.Assertions.assertArrayEquals(b[0].toFloatArray(), a[0].toFloatArray(), "sghmc");
        StepArrays.free(a);
        StepArrays.free(b);
    }

    @Test
    void badOperandsAreRejected() {
        NdArray w = NdArray.zeros(Dtype.F32, 4);
        NdArray g = NdArray.zeros(Dtype.F32, 5);
        NdArray m = NdArray.zeros(Dtype.F32, 4);
        NdArray v = NdArray.zeros(Dtype.F32, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerSteps.adam(adam(1), w, g, new AdamState(m, v, null)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[5]"), e.getMessage());
        NdArray g4 = NdArray.zeros(Dtype.F32, 4);
        var missing = assertThrows(IllegalArgumentException.class,
                () -> OptimizerSteps.sgd(new StepHyper.Sgd(0.1, 0.9, 0, 0, false, false, true), w, g4, null));
        assertTrue(missing.getMessage().contains("momentumBuffer"), missing.getMessage());
        var alias = assertThrows(IllegalArgumentException.class, () -> OptimizerSteps.adam(adam(1), w, g4, new AdamState(m, m, null)));
        assertTrue(alias.getMessage().contains("expAvg"), alias.getMessage());
        NdArray d = NdArray.zeros(Dtype.F64, 4);
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> OptimizerSteps.heavyBall(new StepHyper.HeavyBall(0.1, 0.9, 0), w, d, new VelocityState(m)));
        assertTrue(mixed.getMessage().contains("F64"), mixed.getMessage());
        NdArray big = NdArray.zeros(Dtype.F32, 8);
        NdArray strided = big.slice(0, 0, 8, 2);
        var nc = assertThrows(IllegalArgumentException.class,
                () -> OptimizerSteps.nag(new StepHyper.Nag(0.1, 0.5, 0), w, g4, new NagState(strided)));
        assertTrue(nc.getMessage().contains("contiguous"), nc.getMessage());
        var k = assertThrows(IllegalArgumentException.class,
                () -> OptimizerSteps.aggmo(new StepHyper.AggMo(0.1, new double[] {0, 0.9}, 0), w, g4, new AggMoState(List.of(m))));
        assertTrue(k.getMessage().contains("2 betas"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepHyper.Sgd(Double.NaN, 0, 0, 0, false, false, true));
        m.close();
        assertThrows(IllegalStateException.class,
                () -> OptimizerSteps.adagrad(new StepHyper.AdaGrad(0.1, 0, 1e-10, false), w, g4, new AdaGradState(m)));
        StepArrays.free(w, g, v, g4, d, big);
    }
    /** One step of each new kernel (issue #13) on (w, g) with fresh zero state; z starts at w. */
    private static void newMethodStep(String method, NdArray w, NdArray g, NdArray[] st) {
        switch (method) {
            case "nadam" -> OptimizerSteps.nadam(StepHyper.NAdam.forStep(0.01, 0.9, 0.999, 1e-8, 0.01, true, false, 4e-3,
                    1, 1), w, g, new AdamState(st[0], st[1], null));
            case "radam" -> OptimizerSteps.radam(StepHyper.RAdam.forStep(0.01, 0.9, 0.5, 1e-8, 0.01, false, false, 1),
                    w, g, new AdamState(st[0], st[1], null));
            case "adamax" -> OptimizerSteps.adamax(StepHyper.Adamax.forStep(0.01, 0.9, 0.999, 1e-8, 0.01, false, 1), w, g,
                    new AdamaxState(st[0], st[1]));
            case "lion" -> OptimizerSteps.lion(new StepHyper.Lion(0.01, 0.9, 0.99, 0.1), w, g, new LionState(st[0]));
            case "qhm" -> OptimizerSteps.qhm(new StepHyper.Qhm(0.1, 0.9, 0.7, 0.01), w, g, new SgdState(st[0]));
            case "qhadam" -> OptimizerSteps.qhadam(StepHyper.QhAdam.forStep(0.01, 0.99, 0.999, 0.7, 0.9, 1e-8, 0, false, 2),
                    w, g, new AdamState(st[0], st[1], null));
            case "ademamix" -> OptimizerSteps.ademamix(StepHyper.AdEMAMix.forStep(0.01, 0.9, 0.999, 0.9999, 5, 1e-8, 0.1,
                    1), w, g, new AdEMAMixState(st[0], st[1], st[2]));
            case "sfsgd" -> {
                st[0].copyFrom(w);
                OptimizerSteps.scheduleFreeSgd(new StepHyper.ScheduleFreeSgd(0.1, 0.9, 0.01, 1), w, g,
                        new ScheduleFreeState(st[0], null));
            }
            case "sfadamw" -> {
                st[0].copyFrom(w);
                OptimizerSteps.scheduleFreeAdamW(new StepHyper.ScheduleFreeAdamW(0.01, 0.9, 0.999, 1e-8, 0.01, 1,
                        1 / Math.sqrt(0.001)), w, g, new ScheduleFreeState(st[0], st[1]));
            }
            default -> throw new IllegalArgumentException(method);
        }
    }

    private static final List<String> NEW_METHODS = List.of("nadam", "radam", "adamax", "lion", "qhm", "qhadam",
            "ademamix", "sfsgd", "sfadamw");

    @Property(tries = 20)
    void nanInAGradientPropagatesOnlyWhereItIsInTheNewMethods(@ForAll @IntRange(min = 1, max = 100) int n,
                                                              @ForAll long seed) {
        Random r = new Random(seed);
        int bad = r.nextInt(n);
        for (String method : NEW_METHODS) {
            for (Dtype dt : new Dtype[] {Dtype.F32, Dtype.F64}) {
                NdArray w = NdArray.zeros(dt, n);
                NdArray g = NdArray.zeros(dt, n);
                NdArray[] st = {NdArray.zeros(dt, n), NdArray.zeros(dt, n), NdArray.zeros(dt, n)};
                for (int i = 0; i < n; i++) {
                    w.set(r.nextGaussian(), i);
                    g.set(r.nextGaussian(), i);
                }
                g.set(Double.NaN, bad);
                newMethodStep(method, w, g, st);
                for (int i = 0; i < n; i++) {
                    assertEquals(i == bad, Double.isNaN(w.get(i)), dt + " " + method + " element " + i);
                }
                StepArrays.free(w, g);
                StepArrays.free(st);
            }
        }
    }

    @Test
    void chunkedParallelStepsOfTheNewMethodsAreBitIdenticalToOneCall() {
        int n = (1 << 16) + 777;
        Random r = new Random(9);
        for (String method : NEW_METHODS) {
            NdArray[] a = new NdArray[5];
            NdArray[] b = new NdArray[5];
            for (int j = 0; j < 5; j++) {
                a[j] = NdArray.zeros(Dtype.F32, n);
                for (int i = 0; i < n && j < 2; i++) {
                    a[j].setAtOffset(i, r.nextGaussian());
                }
                b[j] = a[j].copy();
            }
            newMethodStep(method, a[0], a[1], new NdArray[] {a[2], a[3], a[4]});
            // the same kernel over the whole array in one call on this thread, through the implementation
            OptimizerStepsSupport k = OptimizerStepsProvider.float32();
            NdArray[] sb = {b[2], b[3], b[4]};
            switch (method) {
                case "nadam" -> k.nadam(StepHyper.NAdam.forStep(0.01, 0.9, 0.999, 1e-8, 0.01, true, false, 4e-3, 1, 1),
                        b[0], b[1], new AdamState(sb[0], sb[1], null), 0, n);
                case "radam" -> k.radam(StepHyper.RAdam.forStep(0.01, 0.9, 0.5, 1e-8, 0.01, false, false, 1), b[0], b[1],
                        new AdamState(sb[0], sb[1], null), 0, n);
                case "adamax" -> k.adamax(StepHyper.Adamax.forStep(0.01, 0.9, 0.999, 1e-8, 0.01, false, 1), b[0], b[1],
                        new AdamaxState(sb[0], sb[1]), 0, n);
                case "lion" -> k.lion(new StepHyper.Lion(0.01, 0.9, 0.99, 0.1), b[0], b[1], new LionState(sb[0]), 0, n);
                case "qhm" -> k.qhm(new StepHyper.Qhm(0.1, 0.9, 0.7, 0.01), b[0], b[1], new SgdState(sb[0]), 0, n);
                case "qhadam" -> k.qhadam(StepHyper.QhAdam.forStep(0.01, 0.99, 0.999, 0.7, 0.9, 1e-8, 0, false, 2), b[0],
                        b[1], new AdamState(sb[0], sb[1], null), 0, n);
                case "ademamix" -> k.ademamix(StepHyper.AdEMAMix.forStep(0.01, 0.9, 0.999, 0.9999, 5, 1e-8, 0.1, 1), b[0],
                        b[1], new AdEMAMixState(sb[0], sb[1], sb[2]), 0, n);
                case "sfsgd" -> {
                    sb[0].copyFrom(b[0]);
                    k.scheduleFreeSgd(new StepHyper.ScheduleFreeSgd(0.1, 0.9, 0.01, 1), b[0], b[1],
                            new ScheduleFreeState(sb[0], null), 0, n);
                }
                default -> {
                    sb[0].copyFrom(b[0]);
                    k.scheduleFreeAdamW(new StepHyper.ScheduleFreeAdamW(0.01, 0.9, 0.999, 1e-8, 0.01, 1,
                            1 / Math.sqrt(0.001)), b[0], b[1], new ScheduleFreeState(sb[0], sb[1]), 0, n);
                }
            }
            for (int j = 0; j < 5; j++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(b[j].toFloatArray(), a[j].toFloatArray(),
                        method + " buffer " + j);
            }
            StepArrays.free(a);
            StepArrays.free(b);
        }
    }

    @Test
    void badOperandsOfTheNewMethodsAreNamed() {
        NdArray w = NdArray.zeros(Dtype.F32, 4);
        NdArray g = NdArray.zeros(Dtype.F32, 4);
        NdArray m = NdArray.zeros(Dtype.F32, 4);
        NdArray v = NdArray.zeros(Dtype.F32, 3);
        var shape = assertThrows(IllegalArgumentException.class, () -> OptimizerSteps.ademamix(
                StepHyper.AdEMAMix.forStep(0.01, 0.9, 0.999, 0.9999, 5, 1e-8, 0, 1), w, g, new AdEMAMixState(m, m, v)));
        assertTrue(shape.getMessage().contains("expAvg"), shape.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> OptimizerSteps.scheduleFreeAdamW(
                new StepHyper.ScheduleFreeAdamW(0.01, 0.9, 0.999, 1e-8, 0, 1, 1), w, g, new ScheduleFreeState(m, null)));
        assertTrue(missing.getMessage().contains("expAvgSq"), missing.getMessage());
        var alias = assertThrows(IllegalArgumentException.class,
                () -> OptimizerSteps.lion(new StepHyper.Lion(0.01, 0.9, 0.99, 0), w, g, new LionState(w)));
        assertTrue(alias.getMessage().contains("expAvg") && alias.getMessage().contains("param"), alias.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> new StepHyper.Qhm(0.1, Double.NaN, 0.7, 0));
        assertTrue(nan.getMessage().contains("beta"), nan.getMessage());
        var step = assertThrows(IllegalArgumentException.class,
                () -> StepHyper.RAdam.forStep(0.01, 0.9, 0.999, 1e-8, 0, false, false, 0));
        assertTrue(step.getMessage().contains("step"), step.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerSteps.lerp(w, m, Double.POSITIVE_INFINITY));
        StepArrays.free(w, g, m, v);
    }

    /**
     * Lion's fused sign is {@code Math.signum}: ±1 for every non-zero c (subnormal and infinite included),
     * c itself for ±0 and NaN. With β1 = 0 and m = ±0, c is g exactly; lr 0.5 and w 2 make every result exact,
     * so the fused step and the scalar reference must agree bit for bit, at every lane position.
     */
    @Test
    void lionSignIsMathSignumOnZerosSubnormalsInfinitiesAndNaN() {
        float[] gs = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, 3f, -3f, Float.MIN_NORMAL, -1e-30f};
        int n = 5 * gs.length + 3;
        NdArray[] fused = {NdArray.zeros(Dtype.F32, n), NdArray.zeros(Dtype.F32, n), NdArray.zeros(Dtype.F32, n)};
        for (int i = 0; i < n; i++) {
            float g = gs[i % gs.length];
            fused[0].set(2.0, i);
            fused[1].set(g, i);
            fused[2].set(g == 0 && Float.floatToRawIntBits(g) != 0 ? -0.0 : 0.0, i); // m = -0 keeps c = -0
        }
        NdArray[] ref = {fused[0].copy(), fused[1].copy(), fused[2].copy()};
        StepHyper.Lion h = new StepHyper.Lion(0.5, 0, 0.99, 0);
        OptimizerStepsProvider.float32().lion(h, fused[0], fused[1], new LionState(fused[2]), 0, n);
        OptimizerStepsProvider.scalar().lion(h, ref[0], ref[1], new LionState(ref[2]), 0, n);
        float[] got = fused[0].toFloatArray();
        float[] want = ref[0].toFloatArray();
        for (int i = 0; i < n; i++) {
            float g = gs[i % gs.length];
            float expected = 2f - 0.5f * Math.signum(g);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(want[i]), "reference, g = " + g);
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "fused, g = " + g);
        }
        StepArrays.free(fused);
        StepArrays.free(ref);
    }
}
