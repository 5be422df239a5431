package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.AnomalyMode;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.NumericAnomalyException;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.LinearOp;
import org.inertia.nn.ops.Losses;

/**
 * The fused paths of a dense layer: {@link LinearOp#applyRelu} (bias + ReLU forward, mask + bias gradient
 * backward), its use by {@link Sequential} for Linear followed by ReLU, the fused cross-entropy backward, and
 * weight gradients added straight into existing gradient buffers ({@link Node.GradientSink#accumulator}).
 * Each must give what the unfused ops give: finite differences in F64, and the very same bits in F32.
 */
class FusedLayerTest {

    /** Moves every element of z = x·Wᵀ + b at least 1e-3 away from the ReLU's kink by shifting b, or rejects. */
    private static boolean awayFromKink(NdArray x, NdArray w, NdArray b) {
        try (var off = GradMode.off(); TensorScope s = TensorScope.open()) {
            NdArray z = LinearOp.apply(Tensor.constant(x.view()), Tensor.constant(w.view()), Tensor.constant(b.view()))
                    .data();
            for (double v : z.toDoubleArray()) {
                if (Math.abs(v) < 1e-3) {
                    return false;
                }
            }
            return true;
        }
    }

    @Property(tries = 25)
    void linearReluGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int n,
            @ForAll @IntRange(min = 1, max = 5) int in, @ForAll @IntRange(min = 1, max = 4) int out, @ForAll long seed) {
        Random r = new Random(seed);
        try (NdArray x = GradCheck.randn(r, n, in); NdArray w = GradCheck.randn(r, out, in);
             NdArray b = GradCheck.randn(r, out); NdArray zero = NdArray.zeros(Dtype.F64, out)) {
            Assume.that(awayFromKink(x, w, b) && awayFromKink(x, w, zero));
            GradCheck.check("linear_relu", t -> LinearOp.applyRelu(t[0], t[1], t[2]), seed, x, w, b);
            GradCheck.check("linear_relu no bias", t -> LinearOp.applyRelu(t[0], t[1], null), seed, x, w);
        }
    }

    @Property(tries = 20)
    void crossEntropyGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll @IntRange(min = 2, max = 7) int k, @ForAll long seed) {
        Random r = new Random(seed);
        int[] labels = r.ints(n, 0, k).toArray();
        try (NdArray z = GradCheck.randn(r, n, k)) {
            GradCheck.check("cross_entropy", t -> Losses.crossEntropy(t[0], labels), seed, z);
        }
    }

    /** One training step's loss and gradients of an MLP, as float arrays. */
    private record StepResult(double loss, List<float[]> grads) {
    }

    private static StepResult step(Sequential model, boolean fused, NdArray x, int[] labels) {
        try (TensorScope s = TensorScope.open()) {
            Tensor in = Tensor.constant(x.view());
            Tensor logits;
            if (fused) {
                logits = model.forward(in);
            } else { // the same layers, op by op: linear, relu, linear
                Linear l0 = (Linear) model.layers().get(0);
                Linear l2 = (Linear) model.layers().get(2);
                logits = LinearOp.apply(LinearOp.apply(in, l0.weight(), l0.bias()).relu(), l2.weight(), l2.bias());
            }
            Tensor loss = Losses.crossEntropy(logits, labels);
            double value = loss.item();
            loss.backward();
            List<float[]> grads = model.parameters().stream().map(p -> p.grad().toFloatArray()).toList();
            model.zeroGrad();
            return new StepResult(value, grads);
        }
    }

    @Property(tries = 40)
    void sequentialLinearReluIsBitIdenticalToTheUnfusedOps(@ForAll @IntRange(min = 1, max = 70) int batch,
            @ForAll @IntRange(min = 1, max = 40) int in, @ForAll @IntRange(min = 1, max = 37) int hidden,
            @ForAll @IntRange(min = 2, max = 12) int classes, @ForAll boolean gradBuffersFirst, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        try (Sequential model = new Sequential(new Linear(in, hidden, true, Dtype.F32, rng), new ReLU(),
                new Linear(hidden, classes, true, Dtype.F32, rng));
             NdArray x = NdArray.zeros(Dtype.F32, batch, in)) {
            x.forEachOffset(o -> x.setAtOffset(o, rng.nextDouble() * 2 - 1));
            int[] labels = rng.ints(batch, 0, classes).toArray();
            if (gradBuffersFirst) { // as an optimizer built before the first backward does: the accumulator path
                model.optimizerParams();
            }
            StepResult fused = step(model, true, x, labels);
            StepResult plain = step(model, false, x, labels);
            assertEquals(plain.loss(), fused.loss());
            for (int i = 0; i < plain.grads().size(); i++) {
                assertArrayEquals(plain.grads().get(i), fused.grads().get(i), "gradient of parameter " + i);
            }
        }
    }

    @Example
    void sequentialFusesOnlyLinearFollowedByRelu() {
        SplittableRandom rng = new SplittableRandom(3);
        try (Sequential model = new Sequential(new ReLU(), new Linear(3, 4, false, Dtype.F64, rng), new ReLU(),
                new Linear(4, 2, true, Dtype.F64, rng));
             TensorScope s = TensorScope.open()) {
            Tensor x = Tensor.constant(NdArray.ofDoubles(new double[] {-1, 2, 0.5}, 1, 3));
            Tensor out = model.forward(x);
            assertEquals("linear", out.gradFn().name()); // the last Linear has no ReLU after it
            assertEquals("linear_relu", out.gradFn().inputs()[0].gradFn().name());
            Linear hidden = (Linear) model.layers().get(1);
            Linear last = (Linear) model.layers().get(3);
            Tensor expected = LinearOp.apply(LinearOp.apply(x.relu(), hidden.weight(), null).relu(), last.weight(),
                    last.bias());
            assertArrayEquals(expected.data().toDoubleArray(), out.data().toDoubleArray());
        }
    }

    /**
     * Gradients of fresh leaves, and of the same leaves whose gradient buffers already hold g0 (the engine
     * then lets the op add into them): the second must be g0 + the first, exactly in F64.
     */
    @Property(tries = 30)
    void weightGradientsAccumulateIntoExistingBuffers(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 6) int in, @ForAll @IntRange(min = 1, max = 6) int out,
            @ForAll @IntRange(min = 0, max = 2) int op, @ForAll long seed) {
        Random r = new Random(seed);
        // op 0: linear(x; w, b), 1: linear + relu, 2: matmul(a, w) with both factors leaves
        NdArray[] points = op == 2 ? new NdArray[] {GradCheck.randn(r, n, in), GradCheck.randn(r, in, out)}
                : new NdArray[] {GradCheck.randn(r, out, in), GradCheck.randn(r, out)};
        NdArray[] g0 = new NdArray[points.length];
        for (int i = 0; i < points.length; i++) {
            g0[i] = GradCheck.randn(r, points[i].shape().dims());
        }
        try (NdArray x = GradCheck.randn(r, n, in)) {
            double[][] fresh = grads(op, x, points, null);
            double[][] onTop = grads(op, x, points, g0);
            for (int p = 0; p < points.length; p++) {
                double[] before = g0[p].toDoubleArray();
                for (int i = 0; i < before.length; i++) {
                    assertEquals(before[i] + fresh[p][i], onTop[p][i], "op " + op + " leaf " + p + " element " + i);
                }
            }
        } finally {
            for (int i = 0; i < points.length; i++) {
                points[i].close();
                g0[i].close();
            }
        }
    }

    /** The gradients of Σ op(...)·c with respect to leaves made from {@code points}, whose buffers start at g0. */
    private static double[][] grads(int op, NdArray x, NdArray[] points, NdArray[] g0) {
        Tensor[] leaves = new Tensor[points.length];
        for (int i = 0; i < points.length; i++) {
            leaves[i] = Tensor.parameter(points[i].copy());
            if (g0 != null) {
                leaves[i].backend().blas1().copy(g0[i], leaves[i].gradBuffer());
            }
        }
        try (TensorScope s = TensorScope.open()) {
            Tensor xt = Tensor.constant(x.view());
            Tensor y = switch (op) {
                case 0 -> LinearOp.apply(xt, leaves[0], leaves[1]);
                case 1 -> LinearOp.applyRelu(xt, leaves[0], leaves[1]);
                default -> leaves[0].matmul(leaves[1]);
            };
            NdArray c = NdArray.zeros(Dtype.F64, y.shape());
            Random r = new Random(7);
            c.forEachOffset(o -> c.setAtOffset(o, r.nextGaussian()));
            y.mul(Tensor.constant(c)).sum().backward();
            double[][] out = new double[leaves.length][];
            for (int i = 0; i < leaves.length; i++) {
                out[i] = leaves[i].grad().toDoubleArray();
            }
            return out;
        } finally {
            for (Tensor t : leaves) {
                t.close();
            }
        }
    }

    @Example
    void anomalyModeStillChecksAContributionThatWouldBeAddedInPlace() {
        SplittableRandom rng = new SplittableRandom(1);
        try (Linear layer = new Linear(3, 2, true, Dtype.F32, rng)) {
            layer.optimizerParams(); // gradient buffers exist: without anomaly mode ∂W would be added in place
            layer.weight().backend().elementwise().fill(layer.weight().data(), 1e-30);
            // forward finite (y ≈ 3 + b, loss ≈ 1e30·Σy), but ∂W = ∂yᵀ·x = 1e30·1e30 overflows to +Inf
            NdArray xs = NdArray.of(new float[] {1e30f, 1e30f, 1e30f}, 1, 3);
            try (TensorScope s = TensorScope.open(); var guard = AnomalyMode.on()) {
                Tensor y = layer.forward(Tensor.constant(xs));
                Tensor loss = y.mul(Tensor.constant(NdArray.full(Dtype.F32, 1e30, 1, 2))).sum();
                NumericAnomalyException e = assertThrows(NumericAnomalyException.class, loss::backward);
                assertTrue(e.getMessage().contains("backward of 'linear'"), e.getMessage());
            }
            for (float v : layer.weight().grad().toFloatArray()) {
                assertEquals(0f, v, "nothing may reach the gradient buffer before the check");
            }
        }
    }
}
