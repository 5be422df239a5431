package org.inertia.djl.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Losses;
import org.inertia.optim.Adam;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The DJL engine's overhead on one MLP training step (784-128-10 ReLU, float32, softmax cross-entropy, Adam
 * lr 1e-3, one fixed batch): DJL's {@code Trainer} ({@code EasyTrain.trainBatch} + {@code trainer.step()}) on the
 * Inertia engine against the same step written with Inertia's own API (as {@code bench/.../MlpBenchmark}), in one
 * process, alternating timed rounds after a warm-up. Prints samples/s (median round) of each and the ratio.
 * Arguments: batch sizes (default 64 256). Run with {@code -Dinertia.threads=1} for the single-thread figure;
 * {@code -Drounds=N} (default 7) and {@code -Dround.seconds=S} (default 1) set the timed rounds. Besides the ratio
 * of the two medians it prints the median (and quartiles) of the per-round ratios, each taken from two adjacent
 * rounds, which drifts less with the host's speed.
 */
public final class MlpStepBench {
    private static final int IN = 784;
    private static final int HIDDEN = 128;
    private static final int CLASSES = 10;

    private MlpStepBench() {
    }

    /** One of the two implementations of the step. */
    private interface Step extends AutoCloseable {
        void run() throws TranslateException;

        @Override
        void close();
    }

    private static Step djl(int batch, float[] x, float[] y) {
        Engine engine = Engine.getEngine("Inertia");
        Model model = Model.newInstance("mlp-bench", engine.defaultDevice(), engine.getEngineName());
        model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(HIDDEN).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(CLASSES).build()));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()));
        trainer.initialize(new Shape(batch, IN));
        NDManager data = trainer.getManager().newSubManager();
        NDArray xs = data.create(x, new Shape(batch, IN));
        NDArray ys = data.create(y);
        return new Step() {
            @Override
            public void run() throws TranslateException {
                try (NDManager step = data.newSubManager()) {
                    // a Batch takes its arrays over (closes them with its manager), as a dataset's batch would be
                    NDArray bx = xs.duplicate();
                    NDArray by = ys.duplicate();
                    bx.attach(step);
                    by.attach(step);
                    Batch b = new Batch(step, new NDList(bx), new NDList(by), batch, Batchifier.STACK,
                            Batchifier.STACK, 0, 1);
                    EasyTrain.trainBatch(trainer, b);
                    trainer.step();
                }
            }

            @Override
            public void close() {
                data.close();
                trainer.close();
                model.close();
            }
        };
    }

    private static Step inertia(int batch, float[] x, float[] y) {
        SplittableRandom rng = new SplittableRandom(42);
        Sequential model = new Sequential(new org.inertia.nn.layers.Linear(IN, HIDDEN, true, Dtype.F32, rng),
                new ReLU(), new org.inertia.nn.layers.Linear(HIDDEN, CLASSES, true, Dtype.F32, rng));
        Adam adam = new Adam();
        adam.addGroup(Adam.hyper().lr(1e-3).build(), model.optimizerParams());
        Tensor xs = Tensor.constant(NdArray.of(x, batch, IN));
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = (int) y[i];
        }
        return new Step() {
            @Override
            public void run() {
                try (TensorScope s = TensorScope.open()) {
                    Tensor l = Losses.crossEntropy(model.forward(xs), labels);
                    l.item();
                    l.backward();
                    adam.step();
                    model.zeroGrad();
                }
            }

            @Override
            public void close() {
                adam.close();
                model.close();
                xs.close();
            }
        };
    }

    private static double samplesPerSecond(Step step, int batch, double seconds) throws TranslateException {
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            step.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n * batch / ((now - t0) / 1e9);
    }

    /**
     * Runs the comparison.
     *
     * @param args batch sizes
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        int[] batches = args.length == 0 ? new int[] {64, 256} : Arrays.stream(args).mapToInt(Integer::parseInt)
                .toArray();
        int rounds = Integer.getInteger("rounds", 7);
        double roundSeconds = Double.parseDouble(System.getProperty("round.seconds", "1"));
        System.out.printf("threads=%s, %d rounds of %s s each, after 8 s of warm-up per implementation%n",
                System.getProperty("inertia.threads", "default"), rounds, roundSeconds);
        for (int batch : batches) {
            SplittableRandom rng = new SplittableRandom(7);
            float[] x = new float[batch * IN];
            float[] y = new float[batch];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextDouble();
            }
            for (int i = 0; i < batch; i++) {
                y[i] = rng.nextInt(CLASSES);
            }
            try (Step d = djl(batch, x, y); Step o = inertia(batch, x, y)) {
                samplesPerSecond(d, batch, 4);
                samplesPerSecond(o, batch, 4);
                samplesPerSecond(d, batch, 4);
                samplesPerSecond(o, batch, 4);
                double[] sd = new double[rounds];
                double[] so = new double[rounds];
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    sd[r] = samplesPerSecond(d, batch, roundSeconds);
                    so[r] = samplesPerSecond(o, batch, roundSeconds);
                    ratio[r] = sd[r] / so[r];
                }
                Arrays.sort(sd);
                Arrays.sort(so);
                Arrays.sort(ratio);
                double md = sd[rounds / 2];
                double mo = so[rounds / 2];
                System.out.printf("batch %d: DJL Trainer on Inertia %.0f samples/s, Inertia API %.0f samples/s, "
                        + "DJL/Inertia %.3f (overhead %.1f%%); median of the %d paired round ratios %.3f "
                        + "(quartiles %.3f-%.3f)%n", batch, md, mo, md / mo, 100 * (mo / md - 1), rounds,
                        ratio[rounds / 2], ratio[rounds / 4], ratio[(3 * rounds) / 4]);
            }
        }
    }
}
