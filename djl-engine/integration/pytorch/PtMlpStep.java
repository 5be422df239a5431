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

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Baseline for bench/RESULTS.md (issue #15): the DJL training step of org.inertia.djl.examples.MlpStepBench
 * (784-128-10 ReLU MLP, softmax cross-entropy, Adam lr 1e-3, one fixed batch, EasyTrain.trainBatch +
 * trainer.step in a fresh sub-manager) on the engine named by -Dengine (default PyTorch). Prints samples/s,
 * median of 7 one-second rounds after 8 s of warm-up. Run by pytorch-baseline.sh.
 */
public class PtMlpStep {
    public static void main(String[] args) throws Exception {
        String engineName = System.getProperty("engine", "PyTorch");
        Engine engine = Engine.getEngine(engineName);
        for (String a : args) {
            int batch = Integer.parseInt(a);
            SplittableRandom rng = new SplittableRandom(7);
            float[] x = new float[batch * 784];
            float[] y = new float[batch];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextDouble();
            }
            for (int i = 0; i < batch; i++) {
                y[i] = rng.nextInt(10);
            }
            try (Model model = Model.newInstance("mlp", engine.defaultDevice(), engineName)) {
                model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(128).build())
                        .add(Activation::relu).add(Linear.builder().setUnits(10).build()));
                try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
                    trainer.initialize(new Shape(batch, 784));
                    NDManager data = trainer.getManager().newSubManager();
                    NDArray xs = data.create(x, new Shape(batch, 784));
                    NDArray ys = data.create(y);
                    Runnable step = () -> {
                        try (NDManager s = data.newSubManager()) {
                            NDArray bx = xs.duplicate();
                            NDArray by = ys.duplicate();
                            bx.attach(s);
                            by.attach(s);
                            EasyTrain.trainBatch(trainer, new Batch(s, new NDList(bx), new NDList(by), batch,
                                    Batchifier.STACK, Batchifier.STACK, 0, 1));
                            trainer.step();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    };
                    rounds(step, batch, 8);
                    double[] r = new double[7];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = rounds(step, batch, 1);
                    }
                    Arrays.sort(r);
                    System.out.printf("%s batch %d: %.0f samples/s (median of 7 rounds)%n", engineName, batch, r[3]);
                }
            }
        }
    }

    private static double rounds(Runnable step, int batch, double seconds) {
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
}
