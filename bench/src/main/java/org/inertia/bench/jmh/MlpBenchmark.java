package org.inertia.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Losses;
import org.inertia.optim.Adam;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of a 784-128-10 ReLU MLP in float32, written the way a user of the public nn/optim
 * API writes it: {@code Sequential(Linear(784, 128), ReLU, Linear(128, 10))}, PyTorch's default
 * initialization, mean cross-entropy from the logits, {@code backward()}, one {@link Adam} step (lr 1e-3)
 * over {@code model.optimizerParams()}, then {@code model.zeroGrad()}; the step's intermediate tensors
 * live in a {@link TensorScope}. The batch is fixed (x uniform in [0, 1), labels uniform in [0, 10)), as in
 * {@code bench/compare/torch_mlp.py}, its PyTorch twin.
 *
 * <p>Throughput mode: the primary score is steps per second; the secondary score {@code samples} is
 * samples per second (= steps/s × {@code batch}), the figure bench/compare/mlp.sh compares. Why this
 * benchmark: at batch 64 the step is a few hundred microseconds, so per-op overhead (allocation,
 * dispatch, extra passes over the activations) matters as much as the GEMMs; at batch 256 it is
 * GEMM-bound. FLOPs per step (the three GEMMs of each layer, none for ∂x of the first layer, elementwise
 * work not counted): 2·batch·(784·128·2 + 128·10·3), about 26.2 MFLOP at batch 64.
 *
 * <p>Warm-up: until C2 has compiled the Vector API kernels a step runs interpreted, hundreds of times slower
 * (the first steps take about a second), and on a busy machine the compiler threads get little CPU; hence
 * five two-second warm-up iterations. Shorter runs report the warm-up, not the step.
 *
 * <pre>./inertia jmh MlpBenchmark -p batch=64 -jvmArgs -Dinertia.threads=1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MlpBenchmark {
    /** Input features (28 × 28 pixels), hidden units and classes. */
    public static final int IN = 784;
    public static final int HIDDEN = 128;
    public static final int CLASSES = 10;

    @Param({"64", "256"})
    public int batch;

    private Sequential model;
    private Adam adam;
    private Tensor x;
    private int[] labels;

    /** Samples processed, reported by JMH per second next to the primary steps/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
        }
    }

    /** Floating-point operations of one step's matrix products (see the class comment). */
    public static double flopsPerStep(int batch) {
        return 2.0 * batch * (IN * HIDDEN * 2.0 + HIDDEN * CLASSES * 3.0);
    }

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom rng = new SplittableRandom(42);
        model = new Sequential(new Linear(IN, HIDDEN, true, Dtype.F32, rng), new ReLU(),
                new Linear(HIDDEN, CLASSES, true, Dtype.F32, rng));
        adam = new Adam();
        adam.addGroup(Adam.hyper().lr(1e-3).build(), model.optimizerParams());
        NdArray xs = NdArray.zeros(Dtype.F32, batch, IN);
        xs.forEachOffset(o -> xs.setAtOffset(o, rng.nextDouble()));
        x = Tensor.constant(xs);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(CLASSES);
        }
    }

    /** One step: forward, loss, backward, Adam, zero the gradients. Returns the loss (kept alive for JMH). */
    @Benchmark
    public double trainingStep(Samples counter) {
        double loss;
        try (TensorScope step = TensorScope.open()) {
            Tensor l = Losses.crossEntropy(model.forward(x), labels);
            loss = l.item();
            l.backward();
            adam.step();
            model.zeroGrad();
        }
        counter.samples += batch;
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        adam.close();
        model.close();
        x.close();
    }
}
