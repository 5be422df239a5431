package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.inertia.djl.examples.CopyTaskLstm;
import org.inertia.djl.examples.FashionMnistMlp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradients through Inertia's autograd, DJL's optimizers on Inertia's step kernels, and DJL's training loop. */
class InertiaTrainingTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("Inertia").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void gradientsOfACompositeExpressionMatchTheCalculus() {
        NDArray x = manager.create(new float[] {1, 2, 3});
        NDArray w = manager.create(new float[] {0.5f, -1, 2}, new Shape(3, 1));
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("Inertia").newGradientCollector()) {
            // y = sum(exp(x) * x) + sum((x·w)^2)
            NDArray y = x.exp().mul(x).sum().add(x.reshape(1, 3).matMul(w).square().sum());
            gc.backward(y);
        }
        float xw = 1 * 0.5f - 2 + 3 * 2; // 4.5
        float[] gx = x.getGradient().toFloatArray();
        for (int i = 0; i < 3; i++) {
            float xi = i + 1;
            float expected = (float) (Math.exp(xi) * (xi + 1)) + 2 * xw * new float[] {0.5f, -1, 2}[i];
            assertEquals(expected, gx[i], 1e-4 * Math.abs(expected));
        }
        assertArrayEquals(new float[] {2 * xw * 1, 2 * xw * 2, 2 * xw * 3}, w.getGradient().toFloatArray(), 1e-4f);
    }

    @Test
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverBatch() {
        NDArray logits = manager.create(new float[] {1, 2, 3, 1, 1, 1}, new Shape(2, 3));
        NDArray labels = manager.create(new float[] {2, 0});
        logits.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getEngine("Inertia").newGradientCollector()) {
            NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
            gc.backward(loss);
        }
        float[] sm = logits.softmax(1).toFloatArray();
        float[] g = logits.getGradient().toFloatArray();
        float[] oneHot = {0, 0, 1, 1, 0, 0};
        for (int i = 0; i < 6; i++) {
            assertEquals((sm[i] - oneHot[i]) / 2, g[i], 1e-6);
        }
    }

    @Test
    void collectorStartsFromZeroAndAccumulatesWithinItself() {
        NDArray a = manager.create(1f);
        a.setRequiresGradient(true);
        for (int round = 0; round < 2; round++) {
            try (GradientCollector gc = Engine.getEngine("Inertia").newGradientCollector()) {
                gc.backward(a.mul(3));
                gc.backward(a.mul(3));
            }
            assertEquals(6f, a.getGradient().getFloat());
        }
        try (GradientCollector gc = Engine.getEngine("Inertia").newGradientCollector()) {
            assertThrows(IllegalStateException.class, () -> Engine.getEngine("Inertia").newGradientCollector());
            NDArray plain = manager.create(2f);
            assertThrows(IllegalStateException.class, () -> gc.backward(plain.mul(2)));
        }
    }

    @Test
    void adamUpdateMatchesDjlsFormula() {
        NDArray w = manager.create(new float[] {1, -2});
        NDArray g = manager.create(new float[] {0.5f, 0.25f});
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.1f)).build();
        adam.update("w", w, g);
        // step 1: m = 0.1 g, v = 0.001 g², lrbc = lr·√(1−β2)/(1−β1); w -= lrbc·m/(√v + eps)
        double lrbc = 0.1 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        float[] got = w.toFloatArray();
        float[] gr = {0.5f, 0.25f};
        float[] w0 = {1, -2};
        for (int i = 0; i < 2; i++) {
            double m = 0.1 * gr[i];
            double v = 0.001 * gr[i] * gr[i];
            assertEquals(w0[i] - lrbc * m / (Math.sqrt(v) + 1e-8), got[i], 1e-6);
        }
    }

    @Test
    void sgdWithMomentumKeepsDjlsStateConvention() {
        NDArray w = manager.create(new float[] {1});
        NDArray g = manager.create(new float[] {1});
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
        sgd.update("w", w, g); // s = 0.1, w = 0.9
        assertEquals(0.9f, w.getFloat(0), 1e-7);
        sgd.update("w", w, manager.create(new float[] {1})); // s = 0.9·0.1 + 0.1 = 0.19, w = 0.71
        assertEquals(0.71f, w.getFloat(0), 1e-6);
    }

    @Test
    void mlpOnFashionMnistSmallDataLearns() throws Exception {
        Assumptions.assumeTrue(FashionMnistDataset.isAvailable(), "Fashion-MNIST not installed");
        float acc = FashionMnistMlp.train(3, 6000, 1000, 64);
        assertTrue(acc >= 0.75f, "test accuracy " + acc + " after 3 epochs on 6000 images");
    }

    @Test
    void lstmLearnsTheCopyingTask() throws Exception {
        float acc = CopyTaskLstm.train(12, 640, 2, 2);
        assertTrue(acc >= 0.9f, "held-out accuracy " + acc);
    }
}
