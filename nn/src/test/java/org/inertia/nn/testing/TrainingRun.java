package org.inertia.nn.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.SplitMix64;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.io.Checkpoint;
import org.inertia.nn.layers.BatchNorm2d;
import org.inertia.nn.layers.Dropout;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.ops.Losses;
import org.inertia.optim.Adam;
import org.inertia.optim.AdaptiveRestartNag;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.Schedule;
import org.inertia.optim.ScheduledRestartSgd;
import org.inertia.optim.Sgd;
import org.inertia.optim.Sgld;

/**
 * A small but complete training run for the durability tests: a network with every kind of state a
 * checkpoint must carry (parameters, batch-norm running statistics, a dropout generator), tanh, sigmoid
 * and softmax cross-entropy (the transcendental kernels), a shuffled data loader, and one of several
 * optimizers with schedules and counters. Everything is determined by the seeds given.
 */
public final class TrainingRun implements AutoCloseable {
    public static final int SAMPLES = 100;
    public static final int ROWS = 4;
    public static final int COLS = 4;
    public static final int CLASSES = 3;
    public static final int BATCH = 12; // 9 batches per epoch, the last one of 4

    /** Optimizers with the state that matters for resuming. */
    public enum Method {
        /** Adam with a cosine learning-rate schedule with warm-up. */
        ADAM_COSINE,
        /** SGD with Nesterov momentum under a momentum schedule and a step lr schedule. */
        SGD_NESTEROV_SCHEDULED,
        /** SRSGD: restart counter and learning-rate stages. */
        SRSGD,
        /** Adaptive-restart NAG: needs the loss, keeps the last loss and a counter. */
        ADAPTIVE_RESTART_NAG,
        /** SGLD: counter-based Gaussian noise. */
        SGLD
    }

    /** x → Linear → BatchNorm → tanh → dropout → (gated by a sigmoid) → Linear → logits. */
    public static final class Net extends Module {
        public final Linear in;
        public final BatchNorm2d bn;
        public final Dropout drop;
        public final Linear gate;
        public final Linear out;
        final int hidden;

        Net(long seed, int hidden) {
            SplitMix64 init = new SplitMix64(seed);
            this.hidden = hidden;
            this.in = module("in", new Linear(ROWS * COLS, hidden, true, Dtype.F32, init));
            this.bn = module("bn", new BatchNorm2d(hidden, Dtype.F32));
            this.drop = module("drop", new Dropout(0.25, seed ^ 0x5DEECE66DL));
            this.gate = module("gate", new Linear(hidden, hidden, true, Dtype.F32, init));
            this.out = module("out", new Linear(hidden, CLASSES, true, Dtype.F32, init));
        }

        public Tensor forward(Tensor x) {
            int b = x.shape().dim(0);
            Tensor h = bn.forward(in.forward(x).reshape(b, hidden, 1, 1)).reshape(b, hidden).tanh();
            h = drop.forward(h);
            h = h.mul(gate.forward(h).sigmoid());
            return out.forward(h);
        }
    }

    public final Net net;
    public final NdArray images;
    public final int[] labels;
    public final DataLoader loader;
    public final Optimizer<?> optimizer;
    public final Method method;
    private java.util.Iterator<DataLoader.Batch> epoch;

    /**
     * @param initSeed seeds the weights and the dropout generator (a resumed run uses another one: the
     *                 checkpoint must overwrite them)
     */
    public TrainingRun(Method method, long initSeed, int hidden) {
        this.method = method;
        this.net = new Net(initSeed, hidden);
        this.images = NdArray.zeros(Dtype.F32, SAMPLES, ROWS, COLS);
        this.labels = new int[SAMPLES];
        SplitMix64 data = new SplitMix64(2024);
        for (int i = 0; i < SAMPLES; i++) {
            double sum = 0;
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLS; c++) {
                    double v = data.nextGaussian();
                    images.set(v, i, r, c);
                    sum += v * (r - c);
                }
            }
            labels[i] = sum < -1 ? 0 : sum < 1 ? 1 : 2;
        }
        this.loader = DataLoader.builder(images, labels).batchSize(BATCH).shuffle(77)
                .layout(DataLoader.Layout.FLAT).build();
        this.optimizer = optimizer(method, params(net));
    }

    public TrainingRun(Method method, long initSeed) {
        this(method, initSeed, 8);
    }

    /** (param, grad) pairs, gradient buffers created and zeroed, for an optimizer built before the first backward. */
    public static List<Params> params(Module m) {
        m.zeroGrad();
        return m.optimizerParams();
    }

    public static Optimizer<?> optimizer(Method method, List<Params> ps) {
        return switch (method) {
            case ADAM_COSINE -> {
                Adam o = new Adam();
                o.addGroup(Adam.hyper().lr(0.02).weightDecay(1e-4).build(), ps)
                        .lrSchedule(Schedule.cosine(0.02, 0.001, 40).linearWarmup(5, 0.1));
                yield o;
            }
            case SGD_NESTEROV_SCHEDULED -> {
                Sgd o = new Sgd();
                o.addGroup(Sgd.hyper().lr(0.1).momentum(0.9).nesterov(true).build(), ps)
                        .lrSchedule(Schedule.step(0.1, 7, 0.5))
                        .momentumSchedule(t -> Math.min(0.95, 0.5 + 0.05 * t));
                yield o;
            }
            case SRSGD -> {
                ScheduledRestartSgd o = new ScheduledRestartSgd();
                o.addGroup(new ScheduledRestartSgd.Hyper(0.05, 1e-4,
                        ScheduledRestartSgd.RestartSchedule.linear(4, 3), 0.5, 9, 18), ps);
                yield o;
            }
            case ADAPTIVE_RESTART_NAG -> {
                AdaptiveRestartNag o = new AdaptiveRestartNag();
                o.addGroup(new AdaptiveRestartNag.Hyper(0.05), ps);
                yield o;
            }
            case SGLD -> {
                Sgld o = new Sgld();
                o.addGroup(new Sgld.Hyper(0.01, 0, 1e-4, 99), ps);
                yield o;
            }
        };
    }

    /** The checkpoint of this run: the net, the optimizer and the loader. */
    public Checkpoint checkpoint() {
        return Checkpoint.of(net).optimizer(optimizer).dataLoader(loader);
    }

    /** Runs {@code n} training steps, continuing the loader's stream across epochs; returns the losses. */
    public double[] train(int n) {
        double[] losses = new double[n];
        for (int s = 0; s < n; s++) {
            if (epoch == null || !epoch.hasNext()) {
                epoch = loader.iterator();
            }
            DataLoader.Batch b = epoch.next();
            losses[s] = step(b);
        }
        return losses;
    }

    private double step(DataLoader.Batch b) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.constant(b.inputs());
            int[] y = b.labelArray();
            if (method == Method.ADAPTIVE_RESTART_NAG) {
                return optimizer.step(() -> {
                    net.zeroGrad();
                    Tensor loss = Losses.crossEntropy(net.forward(x), y);
                    loss.backward();
                    return loss.item();
                });
            }
            net.zeroGrad();
            Tensor loss = Losses.crossEntropy(net.forward(x), y);
            double v = loss.item();
            loss.backward();
            optimizer.step();
            return v;
        }
    }

    /** Every parameter's and buffer's raw bits, by name: compared for bit-identity. */
    public Map<String, int[]> stateBits() {
        Map<String, int[]> out = new LinkedHashMap<>();
        net.namedParameters().forEach((k, t) -> out.put(k, bits(t.data())));
        net.namedBuffers().forEach((k, a) -> out.put(k, bits(a)));
        return out;
    }

    public static int[] bits(NdArray a) {
        float[] f = a.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Override
    public void close() {
        optimizer.close();
        loader.close();
        net.close();
        images.close();
    }
}
