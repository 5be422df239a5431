package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Storage;
import org.inertia.kernels.cpu.CpuBackend;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.Layer;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.layers.Tanh;
import org.inertia.nn.models.MomentumNet;
import org.inertia.nn.models.PreResNet;
import org.inertia.nn.ops.Losses;
import org.junit.jupiter.api.Test;

/** PreResNet and MomentumNet: gradient checks, the two MomentumNet backward modes, overfitting, memory. */
class ModelsTest {

    private static PreResNet tinyResNet(int depth, PreResNet.Block block, int classes, Dtype dtype, long seed,
            int stem, int... planes) {
        return new PreResNet(new PreResNet.Config(depth, block, 1, classes, stem, planes), dtype,
                new SplittableRandom(seed));
    }

    @Test
    void preResNetGradientsBasicAndBottleneck() {
        try (PreResNet basic = tinyResNet(8, PreResNet.Block.BASIC, 3, Dtype.F64, 1, 2, 2, 2, 3);
             NdArray x = GradCheck.randn(new Random(1), 2, 1, 8, 8)) {
            ModuleGradCheck.check("preresnet-8", basic, basic::forward, 1, x);
        }
        try (PreResNet bottleneck = tinyResNet(11, PreResNet.Block.BOTTLENECK, 2, Dtype.F64, 2, 2, 1, 1, 1);
             NdArray x = GradCheck.randn(new Random(2), 2, 1, 8, 8)) {
            ModuleGradCheck.check("preresnet-11 bottleneck", bottleneck, bottleneck::forward, 2, x);
        }
    }

    @Test
    void preResNetShapesForCifarAndMnist() {
        try (PreResNet net = new PreResNet(PreResNet.Config.standard(20, 3, 10), Dtype.F32, new SplittableRandom(1));
             PreResNet mnist = new PreResNet(PreResNet.Config.standard(11, 1, 10), Dtype.F32, new SplittableRandom(1));
             NdArray cifar = NdArray.zeros(Dtype.F32, 2, 3, 32, 32); NdArray digits = NdArray.zeros(Dtype.F32, 2, 1, 28, 28);
             TensorScope s = TensorScope.open()) {
            assertEquals(org.inertia.kernels.Shape.of(2, 10), net.forward(Tensor.constant(cifar.view())).shape());
            assertEquals(org.inertia.kernels.Shape.of(2, 10), mnist.forward(Tensor.constant(digits.view())).shape());
            assertTrue(net.namedParameters().containsKey("layer2.0.downsample.0.weight"));
            assertTrue(mnist.namedParameters().containsKey("layer1.0.conv3.weight")); // bottleneck for 9n+2
            // PreResNet-20: 0.27M parameters as in the paper's table (stem 432 + 3 stages + bn + fc)
            long count = net.parameters().stream().mapToLong(p -> p.shape().numel()).sum();
            assertTrue(count > 265_000 && count < 280_000, "parameters " + count);
        }
    }

    private static MomentumNet momentumNet(int depth, int d, MomentumNet.Mode mode, Dtype dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Layer> fs = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            fs.add(new Sequential(new Linear(d, d, true, dtype, rng), new Tanh()));
        }
        return new MomentumNet(fs, 0.9, mode);
    }

    @Test
    void momentumNetGradientsInBothModesAgree() {
        try (MomentumNet stored = momentumNet(4, 3, MomentumNet.Mode.STORE_ACTIVATIONS, Dtype.F64, 7);
             MomentumNet inverted = momentumNet(4, 3, MomentumNet.Mode.INVERT, Dtype.F64, 7);
             NdArray x = GradCheck.randn(new Random(7), 2, 3)) {
            ModuleGradCheck.check("momentum net (stored)", stored, stored::forward, 7, x);
            ModuleGradCheck.check("momentum net (inverted)", inverted, inverted::forward, 7, x);
            // identical initial weights: both modes must give the same gradients to rounding
            List<Tensor> a = stored.parameters();
            List<Tensor> b = inverted.parameters();
            try (Tensor xa = Tensor.parameter(x.copy()); Tensor xb = Tensor.parameter(x.copy())) {
                stored.zeroGrad();
                inverted.zeroGrad();
                try (TensorScope s = TensorScope.open()) {
                    stored.forward(xa).tanh().sum().backward();
                    inverted.forward(xb).tanh().sum().backward();
                }
                assertClose(xa.grad(), xb.grad());
                for (int i = 0; i < a.size(); i++) {
                    assertClose(a.get(i).grad(), b.get(i).grad());
                }
            }
        }
    }

    /** Reconstruction divides by γ = 0.9 four times: errors of a few eps64 grow by at most 0.9⁻⁴ ≈ 1.5. */
    private static void assertClose(NdArray want, NdArray got) {
        double[] w = want.toDoubleArray();
        double[] g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 1e-12 * Math.max(1, Math.abs(w[i])), "element " + i);
        }
    }

    /** Plain SGD, p ← p − lr·∂L/∂p. */
    private static void sgd(Layer net, double lr) {
        for (Tensor p : net.parameters()) {
            CpuBackend.get().blas1().axpy(-lr, p.grad().flatten(), p.data().flatten());
        }
    }

    private static double train(Layer net, NdArray images, int[] labels, int steps, double lr) {
        double loss = Double.NaN;
        long live = 0;
        for (int step = 0; step < steps; step++) {
            net.zeroGrad();
            try (TensorScope s = TensorScope.open()) {
                Tensor l = Losses.crossEntropy(net.forward(Tensor.constant(images.view())), labels);
                loss = l.item();
                l.backward();
            }
            sgd(net, lr);
            if (step == 2) {
                live = Storage.liveBytes();
            } else if (step > 2) {
                assertEquals(live, Storage.liveBytes(), "live off-heap bytes grew at step " + step);
            }
        }
        return loss;
    }

    @Test
    void preResNetOverfitsATinyBatchWithFlatMemory() {
        Random r = new Random(11);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
        float[] px = new float[8 * 8 * 8];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextGaussian();
        }
        try (PreResNet net = tinyResNet(8, PreResNet.Block.BASIC, 4, Dtype.F32, 11, 8, 8, 16, 16);
             NdArray images = NdArray.of(px, 8, 1, 8, 8)) {
            double loss = train(net, images, labels, 200, 0.05);
            assertTrue(loss < 0.05, "final loss " + loss);
        }
    }

    @Test
    void momentumNetOverfitsATinyBatchInBothModes() {
        for (MomentumNet.Mode mode : MomentumNet.Mode.values()) {
            SplittableRandom rng = new SplittableRandom(3);
            Random r = new Random(3);
            int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
            float[] px = new float[8 * 16];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextGaussian();
            }
            try (Sequential net = new Sequential(new Linear(16, 16, true, Dtype.F32, rng),
                    momentumNet(4, 16, mode, Dtype.F32, 3), new Linear(16, 4, true, Dtype.F32, rng));
                 NdArray x = NdArray.of(px, 8, 16)) {
                double loss = train(net, x, labels, 300, 0.1);
                assertTrue(loss < 0.05, mode + ": final loss " + loss);
            }
        }
    }

    /** Records the peak of live off-heap bytes each time the data passes through it. */
    static final class MemoryProbe extends Layer {
        long peak;

        @Override
        public Tensor forward(Tensor x) {
            peak = Math.max(peak, Storage.liveBytes());
            return x;
        }
    }

    /**
     * Peak live bytes above the parameters and input during one forward + backward of a MomentumNet of
     * {@code depth} blocks f = tanh(Linear) (F32, batch 32, width 64), sampled inside every f evaluation
     * (forward and, in INVERT mode, the recomputation) and right after the forward. Parameters and their
     * gradients (allocated by a first warm-up step) are the baseline.
     */
    static long peakBytes(int depth, MomentumNet.Mode mode) {
        SplittableRandom rng = new SplittableRandom(5);
        MemoryProbe probe = new MemoryProbe();
        List<Layer> fs = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            fs.add(new Sequential(new Linear(64, 64, true, Dtype.F32, rng), new Tanh(), i == depth - 1 ? probe
                    : new MemoryProbe()));
        }
        List<MemoryProbe> probes = new ArrayList<>();
        for (Layer f : fs) {
            probes.add((MemoryProbe) ((Sequential) f).layers().get(2));
        }
        try (MomentumNet net = new MomentumNet(fs, 0.9, mode);
             Tensor x = Tensor.parameter(NdArray.zeros(Dtype.F32, 32, 64))) {
            try (TensorScope s = TensorScope.open()) { // allocates the parameters' gradients (O(depth) like them)
                net.forward(x).sum().backward();
            }
            probes.forEach(p -> p.peak = 0);
            long base = Storage.liveBytes();
            long peak;
            try (TensorScope s = TensorScope.open()) {
                Tensor y = net.forward(x);
                peak = Storage.liveBytes();
                y.sum().backward();
            }
            for (MemoryProbe p : probes) {
                peak = Math.max(peak, p.peak);
            }
            return peak - base;
        }
    }

    @Test
    void invertibleBackwardMemoryDoesNotGrowWithDepth() {
        int[] depths = {4, 8, 16, 32, 64};
        long[] stored = new long[depths.length];
        long[] inverted = new long[depths.length];
        System.out.println("depth | peak bytes, stored activations | peak bytes, invertible backward");
        for (int i = 0; i < depths.length; i++) {
            stored[i] = peakBytes(depths[i], MomentumNet.Mode.STORE_ACTIVATIONS);
            inverted[i] = peakBytes(depths[i], MomentumNet.Mode.INVERT);
            System.out.printf("%5d | %31d | %31d%n", depths[i], stored[i], inverted[i]);
        }
        for (int i = 1; i < depths.length; i++) {
            // stored: every block keeps >= 4 activations of 32·64 floats (8 KiB each)
            assertTrue(stored[i] - stored[i - 1] >= (depths[i] - depths[i - 1]) * 4L * 8192,
                    "stored: " + stored[i - 1] + " → " + stored[i]);
            // invertible: the same handful of activations whatever the depth
            assertEquals(inverted[0], inverted[i], "invertible mode at depth " + depths[i]);
        }
        assertTrue(inverted[0] < stored[0], "invertible " + inverted[0] + " vs stored " + stored[0]);
    }
}
