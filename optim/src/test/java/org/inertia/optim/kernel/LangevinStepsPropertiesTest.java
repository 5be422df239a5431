package org.inertia.optim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.inertia.kernels.CounterNormal;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.simd.FloatSpecies;

/**
 * The float32 SGLD and SGHMC steps ({@link OptimizerSteps}: the vector kernels when SIMD is on) give bit for
 * bit what the strict scalar float32 loop below gives: the counter-based noise is drawn per element with
 * {@code StrictMath} into a block buffer, and the update's float operations (FMAs, one product, one sum) are
 * the loop's, in its order. Sizes 0, 1, lanes ± 1, primes, the noise block (256) ± 1 and past the chunking
 * threshold (so several threads draw noise for their chunks), at random offsets into larger buffers, with
 * random valid hyperparameters, over three steps. Against the double-precision reference with an error
 * bound: {@code OptimizerStepsPropertiesTest}.
 *
 * <p>In the module's second surefire run ({@code -Dinertia.simd=false}) {@link OptimizerSteps} runs the
 * double-precision loops, so the vector kernels are called directly ({@code OptimizerStepsSimd}, one call
 * for the whole array) as long as the vector module is in the JVM.
 */
class LangevinStepsPropertiesTest {
    private static final int L = FloatSpecies.LANES;
    /** The vector kernels called directly when {@link OptimizerSteps} runs the scalar loops; else null. */
    private static final OptimizerStepsSupport DIRECT = OptimizerStepsProvider.simd() ? null : direct();

    private static OptimizerStepsSupport direct() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("the vector module is not in the JVM: these properties test the vector"
                    + " kernels (add --add-modules jdk.incubator.vector)");
        }
        return new org.inertia.optim.kernel.simd.OptimizerStepsSimd();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, L - 1, L, L + 1, 2 * L + 1, 255, 256, 257, 511, 513),
                Arbitraries.of(3, 7, 13, 31, 61, 127, 251, 1021, 4099),
                Arbitraries.integers().between(0, 2000));
    }

    @Property(tries = 200)
    void sgldIsBitIdenticalToTheScalarFloatLoop(@ForAll("sizes") int n, @ForAll long seed) {
        run(false, n, seed);
    }

    @Property(tries = 200)
    void sghmcIsBitIdenticalToTheScalarFloatLoop(@ForAll("sizes") int n, @ForAll long seed) {
        run(true, n, seed);
    }

    @Property(tries = 6)
    void chunkedMultiThreadedStepsAreBitIdentical(@ForAll boolean sghmc, @ForAll long seed) {
        run(sghmc, (1 << 17) + 1 + Math.floorMod(seed, 70_000), seed);
    }

    private static void run(boolean sghmc, int n, long seed) {
        Random r = new Random(seed);
        double lr = r.nextDouble() * 0.1;
        double wdc = r.nextBoolean() ? r.nextDouble() * 0.1 : 0;
        double fr = r.nextDouble() * 5;
        double eta = 0.1 + r.nextDouble() * 1.9;
        double temperature = r.nextBoolean() ? 1 : r.nextDouble() * 2;
        long noiseSeed = r.nextLong();
        NdArray w = StepArrays.offsetView(Dtype.F32, n, r);
        NdArray g = StepArrays.offsetView(Dtype.F32, n, r);
        NdArray p = StepArrays.offsetView(Dtype.F32, n, r);
        float[] ew = new float[n];
        float[] ep = new float[n];
        try {
            for (int i = 0; i < n; i++) {
                w.set(r.nextGaussian(), i);
                ew[i] = (float) w.get(i);
            }
            for (int k = 1; k <= 3; k++) {
                float[] eg = new float[n];
                for (int i = 0; i < n; i++) {
                    g.set(r.nextGaussian() * (r.nextInt(8) == 0 ? 0.01 : 1), i);
                    eg[i] = (float) g.get(i);
                }
                if (sghmc) {
                    StepHyper.Sghmc h = new StepHyper.Sghmc(lr, fr, eta, wdc,
                            Math.sqrt(2 * fr * lr * eta * temperature), noiseSeed, k);
                    if (DIRECT == null) {
                        OptimizerSteps.sghmc(h, w, g, new SghmcState(p));
                    } else {
                        DIRECT.sghmc(h, w, g, new SghmcState(p), 0, n);
                    }
                    sghmcLoop(h, ew, eg, ep);
                } else {
                    StepHyper.Sgld h = new StepHyper.Sgld(lr, wdc, Math.sqrt(2 * lr * temperature), noiseSeed, k);
                    if (DIRECT == null) {
                        OptimizerSteps.sgld(h, w, g);
                    } else {
                        DIRECT.sgld(h, w, g, 0, n);
                    }
                    sgldLoop(h, ew, eg);
                }
                for (int i = 0; i < n; i++) {
                    int at = i;
                    assertEquals(Float.floatToRawIntBits(ew[i]), Float.floatToRawIntBits((float) w.get(i)),
                            () -> "w[" + at + "] of " + n + ": " + ew[at] + " vs " + w.get(at));
                    if (sghmc) {
                        assertEquals(Float.floatToRawIntBits(ep[i]), Float.floatToRawIntBits((float) p.get(i)),
                                () -> "p[" + at + "] of " + n + ": " + ep[at] + " vs " + p.get(at));
                    }
                }
            }
        } finally {
            StepArrays.free(w, g, p);
        }
    }

    /** The scalar float32 SGLD loop (the kernel before it was vectorised). */
    private static void sgldLoop(StepHyper.Sgld h, float[] ws, float[] gs) {
        float lr = (float) h.lr();
        float wd = (float) h.weightDecay();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        for (int i = 0; i < ws.length; i++) {
            float w = ws[i];
            float d = Math.fma(wd, w, gs[i]);
            float noise = (float) (h.noiseStd() * CounterNormal.gaussian(key, i));
            ws[i] = Math.fma(-lr, d, w) + noise;
        }
    }

    /** The scalar float32 SGHMC loop (the kernel before it was vectorised). */
    private static void sghmcLoop(StepHyper.Sghmc h, float[] ws, float[] gs, float[] ps) {
        float lr = (float) h.lr();
        float keep = (float) (1 - h.friction() * h.lr());
        float lrEta = (float) (h.lr() * h.eta());
        float wd = (float) h.weightDecay();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        for (int i = 0; i < ws.length; i++) {
            float w = ws[i];
            float d = Math.fma(wd, w, gs[i]);
            float noise = (float) (h.noiseStd() * CounterNormal.gaussian(key, i));
            float p = Math.fma(-lrEta, d, keep * ps[i]) + noise;
            ps[i] = p;
            ws[i] = Math.fma(lr, p, w);
        }
    }
}
