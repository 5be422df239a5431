package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every op's backward on random shapes, and the engine's bookkeeping. */
class OpsGradientTest {

    @Property(tries = 25)
    void broadcastingArithmetic(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 5) int cols,
                                @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray a = GradCheck.randn(r, rows, cols); NdArray row = GradCheck.randn(r, 1, cols);
             NdArray col = GradCheck.randn(r, rows, 1); NdArray pos = GradCheck.randn(r, cols)) {
            pos.forEachOffset(o -> pos.setAtOffset(o, 0.5 + Math.abs(pos.getAtOffset(o)))); // keep divisors away from 0
            GradCheck.check("add", t -> t[0].add(t[1]), seed, a, row);
            GradCheck.check("sub", t -> t[0].sub(t[1]), seed, col, a);
            GradCheck.check("mul", t -> t[0].mul(t[1]), seed, a, col);
            GradCheck.check("div", t -> t[0].div(t[1]), seed, a, pos);
        }
    }

    @Property(tries = 25)
    void pointwise(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 3) int m,
                   @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, m, n); NdArray pos = GradCheck.randn(r, m, n)) {
            pos.forEachOffset(o -> pos.setAtOffset(o, 0.5 + Math.abs(pos.getAtOffset(o))));
            x.forEachOffset(o -> { // relu is not differentiable at 0: keep points away from it
                if (Math.abs(x.getAtOffset(o)) < 1e-3) {
                    x.setAtOffset(o, 0.5);
                }
            });
            GradCheck.check("tanh", t -> t[0].tanh(), seed, x);
            GradCheck.check("sigmoid", t -> t[0].sigmoid(), seed, x);
            GradCheck.check("relu", t -> t[0].relu(), seed, x);
            GradCheck.check("exp", t -> t[0].exp(), seed, x);
            GradCheck.check("neg", t -> t[0].neg(), seed, x);
            GradCheck.check("log", t -> t[0].log(), seed, pos);
        }
    }

    @Property(tries = 20)
    void matmulAndReductions(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int k,
                             @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray a = GradCheck.randn(r, m, k); NdArray b = GradCheck.randn(r, k, n)) {
            GradCheck.check("matmul", t -> t[0].matmul(t[1]), seed, a, b);
            GradCheck.check("sum(0)", t -> t[0].sum(0), seed, a);
            GradCheck.check("sum(1)", t -> t[0].sum(1), seed, a);
            GradCheck.check("sum()", t -> t[0].sum(), seed, a);
            GradCheck.check("mean()", t -> t[0].mean(), seed, a);
            GradCheck.check("log_softmax(1)", t -> t[0].logSoftmax(1), seed, a);
            GradCheck.check("log_softmax(0)", t -> t[0].logSoftmax(0), seed, a);
            GradCheck.check("composite", t -> t[0].matmul(t[1]).tanh().logSoftmax(1).mean(), seed, a, b);
        }
    }

    @Property(tries = 20)
    void structuralOps(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
                       @ForAll @IntRange(min = 2, max = 5) int c, @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, a, b, c); NdArray y = GradCheck.randn(r, a, 2, c)) {
            GradCheck.check("reshape", t -> t[0].reshape(c, -1), seed, x);
            GradCheck.check("transpose", t -> t[0].transpose(0, 2), seed, x);
            GradCheck.check("slice", t -> t[0].slice(2, 1, c), seed, x);
            GradCheck.check("select", t -> org.inertia.nn.ops.Shapes.select(t[0], 1, b - 1), seed, x);
            GradCheck.check("flatten", t -> org.inertia.nn.ops.Shapes.flatten(t[0], 1), seed, x);
            GradCheck.check("concat", t -> org.inertia.nn.ops.Shapes.concat(1, t[0], t[1], t[0]), seed, x, y);
        }
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsLikePyTorch() {
        Tensor w = Tensor.parameter(NdArray.ofDoubles(new double[] {1, 2, 3}, 3));
        for (int i = 0; i < 2; i++) {
            try (TensorScope s = TensorScope.open()) {
                w.mul(w).sum().backward(); // d/dw Σw² = 2w
            }
        }
        assertArrayEquals(new double[] {4, 8, 12}, w.grad().toDoubleArray());
        w.zeroGrad();
        assertArrayEquals(new double[] {0, 0, 0}, w.grad().toDoubleArray());
        w.close();
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {3}, 1)); TensorScope s = TensorScope.open()) {
            Tensor y = x.mul(x).add(x); // y = x² + x → dy/dx = 2x + 1 = 7
            y.sum().backward();
            assertEquals(7.0, x.grad().get(0));
        }
    }

    @Test
    void noGradRecordsNothingAndGraphIsReleasedAfterBackward() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {1, 2}, 2)); TensorScope s = TensorScope.open()) {
            try (var off = GradMode.off()) {
                Tensor y = x.tanh();
                assertTrue(!y.requiresGrad() && y.isLeaf());
            }
            Tensor loss = x.tanh().sum();
            assertTrue(loss.requiresGrad());
            loss.backward();
            assertNull(loss.gradFn(), "graph released after backward");
            var e = assertThrows(IllegalStateException.class, loss::backward);
            assertTrue(e.getMessage().contains("does not require grad") || e.getMessage().contains("graph"),
                    e.getMessage());
        }
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {2}, 1)); TensorScope s = TensorScope.open()) {
            Tensor y = x.mul(x).sum();
            try (NdArray one = NdArray.scalar(Dtype.F64, 1)) {
                y.backward(one, true);
                y.backward(one, false);
            }
            assertEquals(8.0, x.grad().get(0)); // 2 · 2x
        }
    }

    @Test
    void retainGradKeepsTheGradientOfAnIntermediate() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {2, -1}, 2)); TensorScope s = TensorScope.open()) {
            Tensor y = x.mul(x).retainGrad(); // y = x², L = Σ 3y  =>  ∂L/∂y = 3, ∂L/∂x = 6x
            Tensor three = Tensor.constant(NdArray.ofDoubles(new double[] {3, 3}, 2));
            y.mul(three).sum().backward();
            three.close();
            assertEquals(3.0, y.grad().get(0));
            assertEquals(3.0, y.grad().get(1));
            assertEquals(12.0, x.grad().get(0));
            assertEquals(-6.0, x.grad().get(1));
            assertThrows(IllegalStateException.class, () -> three.data());
        }
    }

    @Test
    void gradBufferExistsBeforeTheFirstBackwardAndBackwardAccumulatesIntoIt() {
        try (Tensor x = Tensor.parameter(NdArray.ofDoubles(new double[] {2, -1}, 2))) {
            NdArray g = x.gradBuffer();
            assertEquals(0.0, g.get(0));
            try (TensorScope s = TensorScope.open()) {
                x.mul(x).sum().backward();
            }
            assertTrue(g == x.grad(), "the same buffer");
            assertEquals(4.0, g.get(0));
            assertEquals(-2.0, g.get(1));
            try (TensorScope s = TensorScope.open()) {
                Tensor y = x.mul(x);
                assertThrows(IllegalStateException.class, y::gradBuffer); // not a leaf
            }
        }
    }

    @Test
    void scopesReleaseEveryIntermediateSoTrainingStepsDoNotGrowMemory() {
        try (Tensor w = Tensor.parameter(NdArray.ofDoubles(new double[] {0.5, -0.3, 0.2, 0.1}, 2, 2));
             Tensor x = Tensor.constant(NdArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 3, 2))) {
            long before = 0;
            for (int step = 0; step < 50; step++) {
                try (TensorScope s = TensorScope.open()) {
                    x.matmul(w).tanh().logSoftmax(1).mean().backward();
                }
                if (step == 1) {
                    before = Storage.liveBytes();
                }
            }
            assertEquals(before, Storage.liveBytes(), "live off-heap bytes grew across steps");
        }
    }
}
