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
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link MlpStepBench}'s two training steps spend their time, phase by phase: the same two steps (784-128-10
 * ReLU MLP, softmax cross-entropy, Adam lr 1e-3, one fixed batch), the DJL one written out as
 * {@code EasyTrain.trainBatch} + {@code trainer.step()} do it, each phase timed with {@link System#nanoTime()}.
 * Blocks of steps of the two alternate (after 30 warm-up blocks); it prints the median and mean of each phase in
 * microseconds and the ratio of the two medians of whole steps. Arguments: batch size (64), blocks (40), steps
 * per block (200). Run with {@code -Dinertia.threads=1} for the single-thread figures.
 */
public final class MlpStepPhases {
    private static final int IN = 784;
    private static final int HIDDEN = 128;
    private static final int CLASSES = 10;
    private static final String[] DJL_PHASES = {"batch (manager, duplicate)", "split + collector", "forward", "loss",
        "backward", "collector close", "listeners", "trainer.step", "manager close"};
    private static final String[] INERTIA_PHASES = {"forward", "loss", "backward", "adam", "zeroGrad",
        "scope close"};

    private MlpStepPhases() {
    }

    /**
     * Runs the comparison.
     *
     * @param args batch size, blocks, steps per block
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int per = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[batch * IN];
        float[] y = new float[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(CLASSES);
        }
        Engine engine = Engine.getEngine("Inertia");
        try (Model model = Model.newInstance("mlp-phases", engine.defaultDevice(), engine.getEngineName())) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(HIDDEN).build())
                    .add(Activation::relu).add(Linear.builder().setUnits(CLASSES).build()));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
                trainer.initialize(new Shape(batch, IN));
                run(trainer, batch, x, y, blocks, per);
            }
        }
    }

    private static void run(Trainer trainer, int batch, float[] x, float[] y, int blocks, int per) {
        NDManager data = trainer.getManager().newSubManager();
        NDArray xs = data.create(x, new Shape(batch, IN));
        NDArray ys = data.create(y);
        SplittableRandom r = new SplittableRandom(42);
        Sequential net = new Sequential(new org.inertia.nn.layers.Linear(IN, HIDDEN, true, Dtype.F32, r), new ReLU(),
                new org.inertia.nn.layers.Linear(HIDDEN, CLASSES, true, Dtype.F32, r));
        Adam adam = new Adam();
        adam.addGroup(Adam.hyper().lr(1e-3).build(), net.optimizerParams());
        Tensor tx = Tensor.constant(NdArray.of(x, batch, IN));
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = (int) y[i];
        }
        int total = blocks * per;
        long[][] dt = new long[DJL_PHASES.length + 1][total];
        long[][] it = new long[INERTIA_PHASES.length + 1][total];
        long[] dts = new long[DJL_PHASES.length + 1];
        long[] its = new long[INERTIA_PHASES.length + 1];
        for (int pass = 0; pass < 2; pass++) { // a warm-up pass, then the timed one
            boolean timed = pass == 1;
            for (int b = 0; b < (timed ? blocks : 30); b++) {
                for (int s = 0; s < per; s++) {
                    djlStep(trainer, data, xs, ys, batch, dts);
                    record(dts, dt, timed ? b * per + s : -1);
                }
                for (int s = 0; s < per; s++) {
                    inertiaStep(net, adam, tx, labels, its);
                    record(its, it, timed ? b * per + s : -1);
                }
            }
        }
        print("DJL Trainer on Inertia", DJL_PHASES, dt);
        print("Inertia API", INERTIA_PHASES, it);
        System.out.printf("ratio of the median steps (DJL / Inertia throughput): %.3f%n",
                median(it[INERTIA_PHASES.length]) / median(dt[DJL_PHASES.length]));
        adam.close();
        net.close();
        tx.close();
        data.close();
    }

    /** One DJL step, as EasyTrain.trainBatch (one device) and trainer.step(); t gets the phase boundaries. */
    private static void djlStep(Trainer trainer, NDManager data, NDArray xs, NDArray ys, int batch, long[] t) {
        t[0] = System.nanoTime();
        try (NDManager step = data.newSubManager()) {
            NDArray bx = xs.duplicate();
            NDArray by = ys.duplicate();
            bx.attach(step);
            by.attach(step);
            Batch b = new Batch(step, new NDList(bx), new NDList(by), batch, Batchifier.STACK, Batchifier.STACK, 0,
                    1);
            t[1] = System.nanoTime();
            Batch split = b.split(trainer.getDevices(), false)[0];
            TrainingListener.BatchData bd = new TrainingListener.BatchData(b, new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>());
            GradientCollector collector = trainer.newGradientCollector();
            t[2] = System.nanoTime();
            NDList labels = split.getLabels();
            NDList preds = trainer.forward(split.getData(), labels);
            t[3] = System.nanoTime();
            NDArray loss = trainer.getLoss().evaluate(labels, preds);
            t[4] = System.nanoTime();
            collector.backward(loss);
            t[5] = System.nanoTime();
            bd.getLabels().put(labels.get(0).getDevice(), labels);
            bd.getPredictions().put(preds.get(0).getDevice(), preds);
            collector.close();
            t[6] = System.nanoTime();
            trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, bd));
            t[7] = System.nanoTime();
            trainer.step();
            t[8] = System.nanoTime();
        }
        t[9] = System.nanoTime();
    }

    /** One step of Inertia's own API (as MlpStepBench's); t gets the phase boundaries. */
    private static void inertiaStep(Sequential net, Adam adam, Tensor tx, int[] labels, long[] t) {
        t[0] = System.nanoTime();
        try (TensorScope scope = TensorScope.open()) {
            Tensor out = net.forward(tx);
            t[1] = System.nanoTime();
            Tensor l = Losses.crossEntropy(out, labels);
            l.item();
            t[2] = System.nanoTime();
            l.backward();
            t[3] = System.nanoTime();
            adam.step();
            t[4] = System.nanoTime();
            net.zeroGrad();
            t[5] = System.nanoTime();
        }
        t[6] = System.nanoTime();
    }

    /** Stores the phase durations of boundaries t (and the whole step, last) at index k (nothing if k < 0). */
    private static void record(long[] t, long[][] into, int k) {
        if (k < 0) {
            return;
        }
        int phases = into.length - 1;
        for (int i = 0; i < phases; i++) {
            into[i][k] = t[i + 1] - t[i];
        }
        into[phases][k] = t[phases] - t[0];
    }

    private static void print(String title, String[] names, long[][] d) {
        System.out.printf("%s (µs per step: median, mean)%n", title);
        for (int i = 0; i <= names.length; i++) {
            System.out.printf("  %-28s %8.1f %8.1f%n", i < names.length ? names[i] : "whole step", median(d[i]),
                    Arrays.stream(d[i]).average().orElse(0) / 1e3);
        }
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e3;
    }
}
