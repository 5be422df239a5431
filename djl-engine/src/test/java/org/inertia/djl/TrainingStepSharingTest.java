package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the cheaper training step must not change: the kernel-backed gradients of the loss operations (against
 * central finite differences in float64), the zeroing of a gradient after an optimizer update (done lazily), and
 * the values of a gradient's duplicate (which shares the gradient buffer until either would change).
 */
class TrainingStepSharingTest {
    private static final Engine ENGINE = Engine.getEngine("Inertia");
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = ENGINE.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    // ------------------------------------------------------------------ gradients of the loss operations

    /** Checks the recorded gradient of the scalar f(x) against central differences, in float64. */
    private static void checkGradient(NDManager m, double[] x0, Shape shape, Function<NDArray, NDArray> f) {
        NDArray x = m.create(x0, shape);
        x.setRequiresGradient(true);
        try (GradientCollector gc = ENGINE.newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        double[] got = x.getGradient().toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < x0.length; i++) {
            double[] p = x0.clone();
            double[] q = x0.clone();
            p[i] += h;
            q[i] -= h;
            double fp;
            double fq;
            try (NDManager t = m.newSubManager()) {
                fp = f.apply(t.create(p, shape)).toDoubleArray()[0];
                fq = f.apply(t.create(q, shape)).toDoubleArray()[0];
            }
            double fd = (fp - fq) / (2 * h);
            // the difference quotient's error: O(h²) truncation and O(eps·|f|/h) rounding
            assertEquals(fd, got[i], 1e-6 * (1 + Math.abs(fd)) + 1e-7, "element " + i + " of " + shape);
        }
    }

    private static double[] randoms(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-2, 2);
        }
        return v;
    }

    @Property(tries = 30)
    void softmaxCrossEntropyStepMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 9) int n,
            @ForAll @IntRange(min = 1, max = 11) int k, @ForAll long seed) {
        try (NDManager m = ENGINE.newBaseManager()) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(k);
            }
            NDArray y = m.create(labels);
            // DJL's loss: logSoftmax, a pick (gather), neg, mean over everything
            checkGradient(m, randoms(seed, n * k), new Shape(n, k),
                    x -> Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(x)));
        }
    }

    @Property(tries = 20)
    void logSoftmaxAlongTheFirstAxisMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 7) int rows,
            @ForAll @IntRange(min = 1, max = 7) int cols, @ForAll long seed) {
        try (NDManager m = ENGINE.newBaseManager()) {
            NDArray w = m.create(randoms(seed + 1, rows * cols), new Shape(rows, cols));
            checkGradient(m, randoms(seed, rows * cols), new Shape(rows, cols),
                    x -> x.logSoftmax(0).mul(w).sum());
        }
    }

    @Property(tries = 20)
    void gatherWithRepeatedIndicesAddsTheirGradients(@ForAll @IntRange(min = 1, max = 6) int rows,
            @ForAll @IntRange(min = 1, max = 6) int cols, @ForAll @IntRange(min = 1, max = 8) int picks,
            @ForAll long seed) {
        try (NDManager m = ENGINE.newBaseManager()) {
            SplittableRandom r = new SplittableRandom(seed);
            long[] idx = new long[picks * cols];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = r.nextInt(-rows, rows); // negative indices count from the end
            }
            NDArray index = m.create(idx, new Shape(picks, cols));
            NDArray w = m.create(randoms(seed + 1, picks * cols), new Shape(picks, cols));
            checkGradient(m, randoms(seed, rows * cols), new Shape(rows, cols),
                    x -> x.gather(index, 0).mul(w).sum());
        }
    }

    @Test
    void negAndMeanOfEverythingMatchFiniteDifferences() {
        double[] x0 = randoms(3, 12);
        checkGradient(manager, x0, new Shape(3, 4), x -> x.neg().mean());
        checkGradient(manager, x0, new Shape(3, 4), x -> x.square().mean(new int[] {0, 1}, true).neg().sum());
        checkGradient(manager, x0, new Shape(12), x -> x.mean(new int[] {0}).mul(x.exp().sum()));
    }

    @Test
    void lossGradientsInFloat32AgreeWithFloat64() {
        double[] x0 = randoms(5, 4 * 10);
        NDArray y = manager.create(new float[] {3, 0, 9, 3});
        double[][] grads = new double[2][];
        DataType[] types = {DataType.FLOAT64, DataType.FLOAT32};
        for (int t = 0; t < 2; t++) {
            NDArray x = manager.create(x0, new Shape(4, 10)).toType(types[t], false);
            x.setRequiresGradient(true);
            try (GradientCollector gc = ENGINE.newGradientCollector()) {
                gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(x)));
            }
            grads[t] = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
        assertArrayEquals(grads[0], grads[1], 1e-6); // float32 rounding of values below 1
    }

    // ------------------------------------------------------------------ zeroing after an update

    private NDArray trainedLeaf(float scale) {
        NDArray w = manager.create(new float[] {1, 2, 3});
        w.setRequiresGradient(true);
        try (GradientCollector gc = ENGINE.newGradientCollector()) {
            gc.backward(w.square().mul(scale).sum()); // ∂/∂w = 2·scale·w
        }
        return w;
    }

    @Test
    void anOptimizerUpdateZeroesTheGradientForEveryReader() {
        NDArray w = trainedLeaf(1);
        NDArray held = w.getGradient();
        assertArrayEquals(new float[] {2, 4, 6}, held.toFloatArray());
        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build().update("w", w, held);
        assertArrayEquals(new float[] {0, 0, 0}, w.toFloatArray()); // w − 0.5·2w
        assertArrayEquals(new float[] {0, 0, 0}, held.toFloatArray()); // a view held across the update
        assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray());
    }

    @Test
    void aBackwardInTheSameCollectorAfterAnUpdateStartsFromZero() {
        NDArray w = manager.create(new float[] {1, 2});
        w.setRequiresGradient(true);
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.25f)).build();
        try (GradientCollector gc = ENGINE.newGradientCollector()) {
            gc.backward(w.mul(3).sum());
            sgd.update("w", w, w.getGradient()); // w = (0.25, 1.25); gradient zeroed (lazily)
            gc.backward(w.mul(5).sum());
            assertArrayEquals(new float[] {5, 5}, w.getGradient().toFloatArray());
        }
        assertArrayEquals(new float[] {0.25f, 1.25f}, w.toFloatArray());
    }

    @Test
    void aWriteThroughAHeldViewAfterAnUpdateLandsOnZeroes() {
        NDArray w = trainedLeaf(1);
        NDArray held = w.getGradient();
        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build().update("w", w, held);
        held.addi(manager.create(new float[] {1, 1, 1}));
        assertArrayEquals(new float[] {1, 1, 1}, w.getGradient().toFloatArray());
    }

    // ------------------------------------------------------------------ copy-on-write gradient duplicates

    @Test
    void aGradientDuplicateKeepsItsValuesWhateverHappensToTheGradient() {
        NDArray w = trainedLeaf(1);
        NDArray d1 = w.getGradient().duplicate();
        NDArray d2 = w.getGradient().duplicate();
        NDArray d3 = w.getGradient().duplicate();
        w.getGradient().addi(manager.create(new float[] {10, 10, 10})); // a write through the view
        assertArrayEquals(new float[] {12, 14, 16}, w.getGradient().toFloatArray());
        try (GradientCollector gc = ENGINE.newGradientCollector()) { // zeroes, then adds 2·3·w
            gc.backward(w.square().mul(3).sum());
        }
        assertArrayEquals(new float[] {6, 12, 18}, w.getGradient().toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6}, d1.toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6}, d2.toFloatArray());
        NDArray d4 = w.getGradient().duplicate();
        w.close(); // the leaf and its gradient buffer go
        assertArrayEquals(new float[] {6, 12, 18}, d4.toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6}, d3.toFloatArray());
    }

    @Test
    void aWriteToAGradientDuplicateLeavesTheGradientAlone() {
        NDArray w = trainedLeaf(1);
        NDArray d = w.getGradient().duplicate();
        d.muli(-1);
        assertArrayEquals(new float[] {-2, -4, -6}, d.toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6}, w.getGradient().toFloatArray());
        NDArray e = w.getGradient().duplicate();
        w.getGradient().close();
        assertArrayEquals(new float[] {2, 4, 6}, e.toFloatArray());
        e.close();
        assertThrows(IllegalStateException.class, e::toFloatArray);
        assertArrayEquals(new float[] {2, 4, 6}, w.getGradient().toFloatArray());
    }

    @Test
    void anUpdateFromASharedDuplicateEqualsOneFromACopy() {
        NDArray w = trainedLeaf(0.5f); // gradient = w
        NDArray copy = manager.create(w.getGradient().toFloatArray());
        NDArray v = manager.create(new float[] {1, 2, 3});
        Optimizer a = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.1f)).build();
        Optimizer b = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.1f)).build();
        try (NDArray shared = w.getGradient().duplicate()) { // as DJL's LocalParameterServer does
            a.update("w", w, shared);
        }
        b.update("v", v, copy);
        assertArrayEquals(v.toFloatArray(), w.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, copy.toFloatArray());
    }
}
