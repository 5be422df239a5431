package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer operations of DJL's NDArrayEx on the Inertia engine, against hand-computed values. */
class InertiaNDArrayExTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("Inertia").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static NDArrayEx ex(NDArray a) {
        return a.getNDArrayInternal();
    }

    @Test
    void linearIsXTimesWTransposedPlusBiasForAnyLeadingShape() {
        NDArray x = manager.arange(12f).reshape(2, 3, 2);
        NDArray w = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(3, 2));
        NDArray b = manager.create(new float[] {10, 20, 30});
        NDArray y = ex(x).linear(x, w, b).singletonOrThrow();
        assertEquals(new Shape(2, 3, 3), y.getShape());
        assertArrayEquals(new float[] {10, 21, 31}, y.get(0, 0).toFloatArray());
        assertArrayEquals(new float[] {20, 31, 51}, y.get(1, 2).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ex(x).linear(x, manager.ones(new Shape(3, 4)), null));
        assertTrue(e.getMessage().contains("(3, 4)"), e.getMessage());
    }

    @Test
    void linearGradientsReachWeightAndBias() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray w = manager.create(new float[] {1, -1}, new Shape(1, 2));
        NDArray b = manager.create(new float[] {0.5f});
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("Inertia").newGradientCollector()) {
            NDArray y = ex(x).linear(x, w, b).singletonOrThrow();
            gc.backward(y.sum());
        }
        assertArrayEquals(new float[] {4, 6}, w.getGradient().toFloatArray()); // Σ rows of x
        assertArrayEquals(new float[] {2}, b.getGradient().toFloatArray());
    }

    @Test
    void convolutionOneAndTwoDimensional() {
        NDArray x = manager.arange(9f).reshape(1, 1, 3, 3);
        NDArray k = manager.ones(new Shape(1, 1, 2, 2));
        NDArray y = ex(x).convolution(x, k, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                .singletonOrThrow();
        assertArrayEquals(new float[] {8, 12, 20, 24}, y.toFloatArray());
        NDArray x1 = manager.arange(5f).reshape(1, 1, 5);
        NDArray k1 = manager.create(new float[] {1, -1}, new Shape(1, 1, 2));
        NDArray y1 = ex(x1).convolution(x1, k1, manager.create(new float[] {1}), new Shape(2), new Shape(0),
                new Shape(1), 1).singletonOrThrow();
        assertArrayEquals(new float[] {0, 0}, y1.toFloatArray()); // (0−1)+1, (2−3)+1
        assertThrows(UnsupportedOperationException.class, () -> ex(x).convolution(x, k, null, new Shape(1, 1),
                new Shape(0, 0), new Shape(1, 1), 2));
    }

    @Test
    void poolingFamily() {
        NDArray x = manager.arange(16f).reshape(1, 1, 4, 4);
        assertArrayEquals(new float[] {5, 7, 13, 15},
                ex(x).maxPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f},
                ex(x).avgPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true).toFloatArray());
        assertArrayEquals(new float[] {15}, ex(x).globalMaxPool().toFloatArray());
        assertArrayEquals(new float[] {7.5f}, ex(x).globalAvgPool().toFloatArray());
        NDArray x1 = manager.create(new float[] {1, 3, 2, 8}, new Shape(1, 1, 4));
        assertArrayEquals(new float[] {3, 8},
                ex(x1).maxPool(new Shape(2), new Shape(2), new Shape(0), false).toFloatArray());
    }

    @Test
    void batchNormNormalizesPerChannelAndUpdatesRunningStatistics() {
        NDArray x = manager.create(new float[] {1, 2, 3, 5}, new Shape(2, 2)); // channels on axis 1
        NDArray mean = manager.zeros(new Shape(2));
        NDArray var = manager.ones(new Shape(2));
        NDArray y = ex(x).batchNorm(x, mean, var, null, null, 1, 0.9f, 0f, true).singletonOrThrow();
        assertArrayEquals(new float[] {-1, -1, 1, 1}, y.toFloatArray(), 1e-6f);
        // running ← 0.9·running + 0.1·batch (batch variance unbiased: 2 and 4.5)
        assertArrayEquals(new float[] {0.2f, 0.35f}, mean.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1.1f, 1.35f}, var.toFloatArray(), 1e-6f);
        NDArray eval = ex(x).batchNorm(x, mean, var, null, null, 1, 0.9f, 0f, false).singletonOrThrow();
        assertEquals((1 - 0.2f) / Math.sqrt(1.1f), eval.getFloat(0, 0), 1e-6);
    }

    @Test
    void dropoutKeepsExpectationAndIsIdentityOutOfTraining() {
        NDArray x = manager.ones(new Shape(20000));
        NDArray y = ex(x).dropout(x, 0.5f, true).singletonOrThrow();
        float[] v = y.toFloatArray();
        int zeros = 0;
        for (float f : v) {
            assertTrue(f == 0 || f == 2);
            zeros += f == 0 ? 1 : 0;
        }
        assertEquals(0.5, zeros / 20000.0, 0.02);
        assertEquals(x, ex(x).dropout(x, 0.5f, false).singletonOrThrow());
    }

    @Test
    void lstmShapesAndAZeroInputStep() {
        int hidden = 3;
        NDArray x = manager.zeros(new Shape(2, 4, 5)); // batch first
        NDList params = new NDList(manager.ones(new Shape(4 * hidden, 5)), manager.ones(new Shape(4 * hidden, hidden)),
                manager.zeros(new Shape(4 * hidden)), manager.zeros(new Shape(4 * hidden)));
        NDList states = new NDList(manager.zeros(new Shape(1, 2, hidden)), manager.zeros(new Shape(1, 2, hidden)));
        NDList out = ex(x).lstm(x, states, params, true, 1, 0, false, false, true);
        assertEquals(new Shape(2, 4, hidden), out.get(0).getShape());
        assertEquals(new Shape(1, 2, hidden), out.get(1).getShape());
        assertEquals(new Shape(1, 2, hidden), out.get(2).getShape());
        // zero input and state: gates are σ(0) = 0.5 and tanh(0) = 0, so c stays 0 and h = 0
        assertEquals(0f, out.get(0).abs().sum().getFloat());
    }

    @Test
    void activations() {
        NDArray x = manager.create(new float[] {-1, 0, 2});
        assertArrayEquals(new float[] {0, 0, 2}, ex(x).relu().toFloatArray());
        assertArrayEquals(new float[] {-0.1f, 0, 2}, ex(x).leakyRelu(0.1f).toFloatArray(), 1e-7f);
        assertEquals(1 / (1 + Math.exp(1)), ex(x).sigmoid().getFloat(0), 1e-7);
        assertEquals(2 * 0.5 * (1 + Special.erf(2 / Math.sqrt(2))), ex(x).gelu().getFloat(2), 1e-6);
        assertEquals(0.8427007929497149, Special.erf(1), 1e-15);
        assertEquals(1, Special.erf(Special.erfinv(0.9999)) / 0.9999, 1e-12);
        assertEquals(Math.log(24), Special.lgamma(5), 1e-13);
    }
}
