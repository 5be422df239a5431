package org.inertia.optim.kernel.simd;

import static org.inertia.kernels.simd.FloatSpecies.F;
import static org.inertia.optim.kernel.simd.StepIo.NATIVE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.KernelPool;
import org.inertia.optim.kernel.StepHyper;

/**
 * Issue #13's paired kernel timing: the fused step kernels called directly, in 16384-element chunks over
 * the kernel pool as {@code OptimizerSteps} runs them ({@code -Dinertia.threads=N}), in alternating
 * rounds inside one process, so host noise
 * (this VM's memory bandwidth drifts by ±20 % over minutes) hits every kernel alike. Besides the
 * production kernels it holds copies of the loops #13 replaced ({@code lion-before}: sign by three
 * compares and three blends; {@code qhadam-before}: the direct general-ν2 loop, used before for ν2 = 1 too;
 * {@code qhadam-nu2-before} and {@code qhadam-nu2-low-before}: the same loop at ν2 = 0.9 and 0.3, which
 * ran for every ν2 ≠ 1 until the scaled denominator replaced it; {@code qhadam-nu2} and
 * {@code qhadam-nu2-low} are the production kernel at those ν2).
 * It lives in the kernels' package to call them; compile it against the benchmark jar:
 * <pre>
 * javac --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar -d /tmp/kp bench/compare/KernelPairs.java
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=1 \
 *   -cp /tmp/kp:bench/target/benchmarks.jar org.inertia.optim.kernel.simd.KernelPairs 10000000 31 \
 *   qhm adam lion-before lion qhadam-before qhadam qhadam-nu2-before qhadam-nu2 sfadamw
 * </pre>
 * Also known: nadam, radam, adamax, ademamix, sfsgd (the other new methods, for the 2-thread table), and
 * qhadam-nu2-low-before, qhadam-nu2-low (ν2 = 0.3, the other form of the scaled denominator).
 * <pre>
 * </pre>
 * Prints per kernel the median time of one step over n elements and GB/s by the byte model of
 * {@code OptimizerStepBenchmark} (20 bytes per element for QHM, Lion and schedule-free SGD, 36 for
 * AdEMAMix, 28 for the others).
 */
public final class KernelPairs {
    private static final int L = F.length();
    private static final int CHUNK = 1 << 14;

    private KernelPairs() {
    }

    /** Lion as before #13: sign(c) by compare-and-blend for c &gt; 0, c &lt; 0 and NaN. */
    static void lionBefore(StepHyper.Lion h, MemorySegment ws, long wo, MemorySegment gs, long go, MemorySegment ms,
                           long mo, int n) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2()));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        FloatVector decay = FloatVector.broadcast(F, (float) (1 - h.lr() * h.weightDecay()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        for (int i = 0, bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector g = FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE);
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE);
            FloatVector c = m.fma(b1, g.mul(c1));
            FloatVector sg = zero.blend(1f, c.compare(VectorOperators.GT, 0f)).blend(-1f, c.lt(0f))
                    .blend(Float.NaN, c.test(VectorOperators.IS_NAN));
            sg.fma(lr, FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE).mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
            m.fma(b2, g.mul(c2)).intoMemorySegment(ms, mb + o, NATIVE);
        }
    }

    /**
     * QHAdam's direct general loop (ν2 v + (1−ν2) d² under the root), which ran for ν2 = 1 too before #13
     * and for ν2 ≠ 1 until {@code SignAndQuasiSteps.qhadamScaledDenominator}.
     */
    static void qhadamBefore(StepHyper.QhAdam h, MemorySegment ws, long wo, MemorySegment gs, long go,
                             MemorySegment ms, long mo, MemorySegment vs, long vo, int n) {
        FloatVector l2 = FloatVector.broadcast(F, (float) (h.decoupled() ? 0 : h.weightDecay()));
        FloatVector decay = FloatVector.broadcast(F, (float) (h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1));
        FloatVector b1 = FloatVector.broadcast(F, (float) (h.beta1Adj()));
        FloatVector c1 = FloatVector.broadcast(F, (float) (1 - h.beta1Adj()));
        FloatVector b2 = FloatVector.broadcast(F, (float) (h.beta2Adj()));
        FloatVector c2 = FloatVector.broadcast(F, (float) (1 - h.beta2Adj()));
        FloatVector nu1 = FloatVector.broadcast(F, (float) (h.nu1()));
        FloatVector r1 = FloatVector.broadcast(F, (float) (1 - h.nu1()));
        FloatVector nu2 = FloatVector.broadcast(F, (float) (h.nu2()));
        FloatVector r2 = FloatVector.broadcast(F, (float) (1 - h.nu2()));
        FloatVector eps = FloatVector.broadcast(F, (float) (h.eps()));
        FloatVector lr = FloatVector.broadcast(F, (float) (-h.lr()));
        long wb = wo * 4;
        long gb = go * 4;
        long mb = mo * 4;
        long vb = vo * 4;
        for (int i = 0, bound = F.loopBound(n); i < bound; i += L) {
            long o = i * 4L;
            FloatVector w = FloatVector.fromMemorySegment(F, ws, wb + o, NATIVE);
            FloatVector d = w.fma(l2, FloatVector.fromMemorySegment(F, gs, gb + o, NATIVE));
            FloatVector d2 = d.mul(d);
            FloatVector m = FloatVector.fromMemorySegment(F, ms, mb + o, NATIVE).fma(b1, d.mul(c1));
            FloatVector v = FloatVector.fromMemorySegment(F, vs, vb + o, NATIVE).fma(b2, d2.mul(c2));
            m.intoMemorySegment(ms, mb + o, NATIVE);
            v.intoMemorySegment(vs, vb + o, NATIVE);
            FloatVector num = m.fma(nu1, d.mul(r1));
            FloatVector den = v.fma(nu2, d2.mul(r2)).sqrt().add(eps);
            num.div(den).fma(lr, w.mul(decay)).intoMemorySegment(ws, wb + o, NATIVE);
        }
    }

    private interface Chunk {
        void run(long start, int n);
    }

    private static NdArray gaussian(int n, Random r, double scale) {
        NdArray a = NdArray.zeros(Dtype.F32, n);
        for (int i = 0; i < n; i++) {
            a.setAt(i, r.nextGaussian() * scale);
        }
        return a;
    }

    /**
     * Times the named kernels.
     *
     * @param args n, rounds, then kernel names
     */
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String> names = List.of(args).subList(2, args.length);
        Random r = new Random(42);
        NdArray w = gaussian(n, r, 1);
        NdArray g = gaussian(n, r, 1e-3);
        NdArray s1 = gaussian(n, r, 1e-3);
        NdArray s2 = NdArray.zeros(Dtype.F32, n);
        for (int i = 0; i < n; i++) {
            s2.setAt(i, 1e-6);
        }
        MemorySegment ws = w.segment();
        MemorySegment gs = g.segment();
        MemorySegment as = s1.segment();
        MemorySegment bs = s2.segment();
        long wo = w.offset();
        long go = g.offset();
        long ao = s1.offset();
        long bo = s2.offset();
        // the benchmark's defaults (OptimizerStepBenchmark.create), at step 100
        var qhm = new StepHyper.Qhm(1e-3, 0.999, 0.7, 0);
        var adam = StepHyper.Adam.forStep(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 100);
        var lion = new StepHyper.Lion(1e-4, 0.9, 0.99, 0);
        var qhadam = StepHyper.QhAdam.forStep(1e-3, 0.995, 0.999, 0.7, 1.0, 1e-8, 0, false, 100);
        var qhadamNu2 = StepHyper.QhAdam.forStep(1e-3, 0.995, 0.999, 0.7, 0.9, 1e-8, 0, false, 100);
        var qhadamNu2Low = StepHyper.QhAdam.forStep(1e-3, 0.995, 0.999, 0.7, 0.3, 1e-8, 0, false, 100);
        var sfadamw = new StepHyper.ScheduleFreeAdamW(0.0025, 0.9, 0.999, 1e-8, 0, 0.01, 1.0);
        NdArray s3 = gaussian(n, r, 1e-3);
        MemorySegment cs = s3.segment();
        long co = s3.offset();
        var nadam = StepHyper.NAdam.forStep(2e-3, 0.9, 0.999, 1e-8, 0, false, false, 4e-3, 100, 0.5);
        var radam = StepHyper.RAdam.forStep(1e-3, 0.9, 0.999, 1e-8, 0, false, false, 100);
        var adamax = StepHyper.Adamax.forStep(2e-3, 0.9, 0.999, 1e-8, 0, false, 100);
        var ademamix = StepHyper.AdEMAMix.forStep(1e-3, 0.9, 0.999, 0.9999, 5, 1e-8, 0, 100);
        var sfsgd = new StepHyper.ScheduleFreeSgd(1e-3, 0.9, 0, 0.01);
        Map<String, Chunk> kernels = new LinkedHashMap<>();
        kernels.put("nadam", (s, k) -> AdamFamilySteps.nadam(nadam, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s, k));
        kernels.put("radam", (s, k) -> AdamFamilySteps.radam(radam, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s, k));
        kernels.put("adamax", (s, k) -> AdamFamilySteps.adamax(adamax, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s, k));
        kernels.put("ademamix", (s, k) -> AdamFamilySteps.ademamix(ademamix, ws, wo + s, gs, go + s, as, ao + s, cs,
                co + s, bs, bo + s, k));
        kernels.put("sfsgd", (s, k) -> ScheduleFreeSteps.sgd(sfsgd, ws, wo + s, gs, go + s, as, ao + s, k));
        kernels.put("qhm", (s, k) -> SignAndQuasiSteps.qhm(qhm, ws, wo + s, gs, go + s, as, ao + s, k));
        kernels.put("adam", (s, k) -> AdamStep.run(adam, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s, null, 0, k));
        kernels.put("lion-before", (s, k) -> lionBefore(lion, ws, wo + s, gs, go + s, as, ao + s, k));
        kernels.put("lion", (s, k) -> SignAndQuasiSteps.lion(lion, ws, wo + s, gs, go + s, as, ao + s, k));
        kernels.put("qhadam-before", (s, k) -> qhadamBefore(qhadam, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s, k));
        kernels.put("qhadam", (s, k) -> SignAndQuasiSteps.qhadam(qhadam, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s, k));
        kernels.put("qhadam-nu2", (s, k) -> SignAndQuasiSteps.qhadam(qhadamNu2, ws, wo + s, gs, go + s, as, ao + s, bs,
                bo + s, k));
        kernels.put("qhadam-nu2-before", (s, k) -> qhadamBefore(qhadamNu2, ws, wo + s, gs, go + s, as, ao + s, bs,
                bo + s, k));
        kernels.put("qhadam-nu2-low", (s, k) -> SignAndQuasiSteps.qhadam(qhadamNu2Low, ws, wo + s, gs, go + s, as,
                ao + s, bs, bo + s, k));
        kernels.put("qhadam-nu2-low-before", (s, k) -> qhadamBefore(qhadamNu2Low, ws, wo + s, gs, go + s, as, ao + s,
                bs, bo + s, k));
        kernels.put("sfadamw", (s, k) -> ScheduleFreeSteps.adamw(sfadamw, ws, wo + s, gs, go + s, as, ao + s, bs, bo + s,
                k));
        for (String name : names) {
            if (!kernels.containsKey(name)) {
                throw new IllegalArgumentException("unknown kernel " + name + "; known: " + kernels.keySet());
            }
        }
        int reps = Math.max(1, 50_000_000 / n);
        int chunks = (n + CHUNK - 1) / CHUNK;
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (int round = -2; round < rounds; round++) { // two warm-up rounds
            for (String name : names) {
                Chunk k = kernels.get(name);
                long t0 = System.nanoTime();
                for (int q = 0; q < reps; q++) {
                    KernelPool.get().parallelFor(chunks, c -> {
                        long s = (long) c * CHUNK;
                        k.run(s, (int) Math.min(CHUNK, n - s));
                    });
                }
                double us = (System.nanoTime() - t0) / 1e3 / reps;
                if (round >= 0) {
                    times.computeIfAbsent(name, x -> new ArrayList<>()).add(us);
                }
            }
        }
        for (String name : names) {
            List<Double> t = new ArrayList<>(times.get(name));
            Collections.sort(t);
            double med = t.get(t.size() / 2);
            int bytes = switch (name) {
                case "qhm", "lion", "lion-before", "sfsgd" -> 20;
                case "ademamix" -> 36;
                default -> 28;
            };
            System.out.printf("%-14s median %10.1f us  %6.1f GB/s%n", name, med, bytes * (double) n / med / 1e3);
        }
    }
}
