package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.AvgPool2d;
import org.inertia.nn.layers.BatchNorm2d;
import org.inertia.nn.layers.Conv2d;
import org.inertia.nn.layers.Dropout;
import org.inertia.nn.layers.Flatten;
import org.inertia.nn.layers.Init;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.MaxPool2d;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Metrics;
import org.junit.jupiter.api.Test;

/** Layers: gradient checks of their parameters, batch norm's statistics, initializers, dropout, metrics. */
class LayersTest {

    @Property(tries = 8)
    void smallConvNetGradients(@ForAll @IntRange(min = 2, max = 3) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        try (Sequential net = new Sequential(
                new Conv2d(2, 3, 3, 1, 1, 1, true, Dtype.F64, rng), new BatchNorm2d(3, Dtype.F64), new ReLU(),
                new MaxPool2d(2), new Conv2d(3, 2, 2, 1, 0, 1, false, Dtype.F64, rng), new AvgPool2d(2, 1, 0),
                new Flatten(), new Linear(2 * 1 * 1 * 1, 3, true, Dtype.F64, rng));
             NdArray x = GradCheck.randn(new Random(seed), n, 2, 6, 6)) {
            // 6x6 -conv3 pad1-> 6x6 -pool2-> 3x3 -conv2-> 2x2 -avg2 s1-> 1x1
            ModuleGradCheck.check("conv net", net, net::forward, seed, x);
        }
    }

    @Test
    void batchNormTracksRunningStatisticsAndUsesThemInEval() {
        Random r = new Random(3);
        try (BatchNorm2d bn = new BatchNorm2d(2, Dtype.F64); NdArray x = GradCheck.randn(r, 4, 2, 3, 3);
             TensorScope s = TensorScope.open()) {
            Tensor in = Tensor.constant(x.view());
            bn.forward(in);
            for (int c = 0; c < 2; c++) {
                double[] v = new double[36];
                int k = 0;
                for (int i = 0; i < 4; i++) {
                    for (int h = 0; h < 3; h++) {
                        for (int w = 0; w < 3; w++) {
                            v[k++] = x.get(i, c, h, w);
                        }
                    }
                }
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                double ss = java.util.Arrays.stream(v).map(a -> (a - mean) * (a - mean)).sum();
                assertEquals(0.1 * mean, bn.runningMean().get(c), 1e-12);
                assertEquals(0.9 + 0.1 * ss / 35, bn.runningVar().get(c), 1e-12, "unbiased variance in the update");
            }
            bn.eval();
            NdArray y = bn.forward(in).data();
            for (int c = 0; c < 2; c++) {
                double expect = (x.get(1, c, 2, 0) - bn.runningMean().get(c)) / Math.sqrt(bn.runningVar().get(c) + 1e-5);
                assertEquals(expect, y.get(1, c, 2, 0), 1e-12);
            }
            bn.train();
            NdArray yt = bn.forward(in).data(); // batch statistics: per-channel mean 0, biased variance ≈ 1
            double m = 0;
            for (int i = 0; i < 4; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 3; w++) {
                        m += yt.get(i, 1, h, w);
                    }
                }
            }
            assertEquals(0, m / 36, 1e-12);
        }
    }

    @Test
    void batchNormFreesItsBuffersOnClose() {
        long before = Storage.liveBytes();
        BatchNorm2d bn = new BatchNorm2d(16, Dtype.F32);
        assertTrue(Storage.liveBytes() > before);
        bn.close();
        assertEquals(before, Storage.liveBytes());
    }

    @Property(tries = 20)
    void orthogonalInitHasOrthonormalRowsOrColumns(@ForAll @IntRange(min = 1, max = 12) int rows,
                                                   @ForAll @IntRange(min = 1, max = 12) int cols, @ForAll long seed) {
        try (NdArray w = NdArray.zeros(Dtype.F64, rows, cols)) {
            Init.orthogonal(w, 1.0, new SplittableRandom(seed));
            boolean wide = rows <= cols;
            int k = Math.min(rows, cols);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double d = 0;
                    for (int i = 0; i < Math.max(rows, cols); i++) {
                        d += wide ? w.get(a, i) * w.get(b, i) : w.get(i, a) * w.get(i, b);
                    }
                    assertEquals(a == b ? 1 : 0, d, 1e-12); // Gram–Schmidt in double on tiny matrices: ~k·eps64
                }
            }
        }
    }

    @Test
    void initializersHaveTheDocumentedSpread() {
        // sample std of 200·64·9 draws is within a few percent of the target (relative s.e. ≈ 1/√(2n) ≈ 0.3%)
        try (NdArray w = NdArray.zeros(Dtype.F64, 200, 64, 3, 3)) {
            SplittableRandom rng = new SplittableRandom(1);
            Init.kaimingNormal(w, 0, rng);
            assertEquals(Math.sqrt(2.0 / (64 * 9)), std(w), 0.02 * Math.sqrt(2.0 / (64 * 9)));
            Init.kaimingUniform(w, 0, rng);
            assertEquals(Math.sqrt(2.0 / (64 * 9)), std(w), 0.02 * Math.sqrt(2.0 / (64 * 9)));
            Init.xavierNormal(w, 1, rng);
            assertEquals(Math.sqrt(2.0 / (64 * 9 + 200 * 9)), std(w), 0.02 * Math.sqrt(2.0 / (64 * 9 + 200 * 9)));
            Init.xavierUniform(w, 1, rng);
            assertEquals(Math.sqrt(2.0 / (64 * 9 + 200 * 9)), std(w), 0.02 * Math.sqrt(2.0 / (64 * 9 + 200 * 9)));
            Init.defaultWeight(w, rng); // U(±1/√fan_in): std = 1/√(3·fan_in), every |w| <= bound
            assertEquals(1 / Math.sqrt(3.0 * 64 * 9), std(w), 0.02 / Math.sqrt(3.0 * 64 * 9));
            double bound = 1 / Math.sqrt(64 * 9);
            w.forEachOffset(o -> assertTrue(Math.abs(w.getAtOffset(o)) <= bound));
        }
        try (NdArray a = NdArray.zeros(Dtype.F32, 5, 7); NdArray b = NdArray.zeros(Dtype.F64, 5, 7)) {
            Init.kaimingNormal(a, 0, new SplittableRandom(9));
            Init.kaimingNormal(b, 0, new SplittableRandom(9));
            float[] af = a.toFloatArray();
            double[] bd = b.toDoubleArray();
            for (int i = 0; i < af.length; i++) {
                assertEquals((float) bd[i], af[i], "one seed gives one array whatever the dtype");
            }
        }
    }

    private static double std(NdArray w) {
        double[] v = w.toDoubleArray();
        double m = java.util.Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(java.util.Arrays.stream(v).map(a -> (a - m) * (a - m)).sum() / v.length);
    }

    @Test
    void dropoutScalesKeptValuesAndIsIdentityInEval() {
        try (NdArray x = NdArray.full(Dtype.F32, 1, 100, 100); Dropout d = new Dropout(0.25, new SplittableRandom(5));
             TensorScope s = TensorScope.open()) {
            Tensor in = Tensor.constant(x.view());
            float[] y = d.forward(in).data().toFloatArray();
            int zeros = 0;
            for (float v : y) {
                assertTrue(v == 0f || v == (float) (1 / 0.75));
                zeros += v == 0f ? 1 : 0;
            }
            // Binomial(10000, 0.25): mean 2500, sd ≈ 43; ±300 is 7 sd
            assertTrue(Math.abs(zeros - 2500) < 300, "dropped " + zeros);
            d.eval();
            assertTrue(d.forward(in) == in);
            assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, new SplittableRandom(1)));
        }
    }

    @Test
    void accuracyCountsArgmaxHits() {
        try (Tensor z = Tensor.constant(NdArray.of(new float[] {1, 3, 2, 5, 0, 0, 0, 0, 9}, 3, 3))) {
            assertEquals(2.0 / 3, Metrics.accuracy(z, new int[] {1, 0, 1}), 1e-15);
            assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(z, new int[] {1}));
        }
    }

    @Test
    void badShapesNameBothShapes() {
        SplittableRandom rng = new SplittableRandom(1);
        try (Linear l = new Linear(3, 2, true, Dtype.F32, rng); Conv2d c = new Conv2d(3, 2, 3, 1, false, Dtype.F32, rng);
             Tensor x = Tensor.constant(NdArray.zeros(Dtype.F32, 4, 5))) {
            var e = assertThrows(IllegalArgumentException.class, () -> l.forward(x));
            assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[2, 3]"), e.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> c.forward(x));
            assertTrue(e2.getMessage().contains("[4, 5]"), e2.getMessage());
        }
    }

    @Test
    void sequentialNamesParametersLikePyTorch() {
        SplittableRandom rng = new SplittableRandom(1);
        try (Sequential s = new Sequential(new Linear(3, 2, true, Dtype.F32, rng), new ReLU(),
                new Linear(2, 1, false, Dtype.F32, rng))) {
            assertArrayEquals(new String[] {"0.weight", "0.bias", "2.weight"},
                    s.namedParameters().keySet().toArray(String[]::new));
        }
    }
}
