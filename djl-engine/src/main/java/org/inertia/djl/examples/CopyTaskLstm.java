package org.inertia.djl.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import org.inertia.kernels.Dtype;
import org.inertia.nn.data.CopyTaskBatch;

import java.io.IOException;
import java.util.Random;

/**
 * The copying task through DJL's {@code LSTM} block on the Inertia engine: K symbols of an alphabet are shown, then
 * blanks, then a "go" marker; the network must emit the K symbols over the last K steps. The model is DJL's LSTM
 * (batch first) followed by a Linear read-out of the last K outputs, trained with softmax cross-entropy, Adam and
 * {@code EasyTrain.fit}. Arguments: epochs (default 20), training sequences (default 2000), K (default 3), delay
 * (default 5). Prints the held-out per-symbol accuracy of every epoch.
 */
public final class CopyTaskLstm {
    private static final int ALPHABET = 6;

    private CopyTaskLstm() {
    }

    private static ArrayDataset dataset(NDManager manager, Random rnd, int n, int k, int delay, int batch,
            boolean shuffle) {
        try (CopyTaskBatch b = CopyTaskBatch.sample(rnd, Dtype.F32, n, ALPHABET, k, delay)) {
            int steps = 2 * k + delay;
            NDArray x = manager.create(b.inputs().toFloatArray(), new Shape(n, steps, ALPHABET + 2));
            float[] onehot = b.targets().toFloatArray();
            float[] labels = new float[n * k];
            for (int i = 0; i < labels.length; i++) {
                for (int a = 0; a < ALPHABET; a++) {
                    if (onehot[i * ALPHABET + a] == 1) {
                        labels[i] = a;
                    }
                }
            }
            NDArray y = manager.create(labels, new Shape(n, k));
            return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(batch, shuffle).build();
        }
    }

    /**
     * Trains and returns the final held-out per-symbol accuracy.
     *
     * @param epochs epochs over the training sequences
     * @param trainSize training sequences
     * @param k symbols to copy
     * @param delay blank steps before the "go" marker
     * @return the held-out accuracy after the last epoch
     * @throws IOException if DJL's training loop fails to read a batch
     * @throws TranslateException if DJL's training loop fails
     */
    public static float train(int epochs, int trainSize, int k, int delay) throws IOException, TranslateException {
        Engine engine = Engine.getEngine("Inertia");
        engine.setRandomSeed(42);
        int hidden = 32;
        try (Model model = Model.newInstance("copy-lstm", engine.defaultDevice(), engine.getEngineName())) {
            SequentialBlock net = new SequentialBlock()
                    .add(LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).build())
                    .add(new LambdaBlock(list -> {
                        NDArray out = list.singletonOrThrow(); // (batch, steps, hidden)
                        long steps = out.getShape().get(1);
                        NDArray last = out.get(":, " + (steps - k) + ":, :");
                        return new NDList(last.reshape(-1, hidden));
                    }))
                    .add(Linear.builder().setUnits(ALPHABET).build());
            model.setBlock(net);
            Random rnd = new Random(7);
            ArrayDataset trainSet = dataset(model.getNDManager(), rnd, trainSize, k, delay, 32, true);
            ArrayDataset testSet = dataset(model.getNDManager(), rnd, 500, k, delay, 100, false);
            Loss loss = new Loss("CopyLoss") {
                private final Loss ce = Loss.softmaxCrossEntropyLoss();

                @Override
                public NDArray evaluate(NDList labels, NDList predictions) {
                    return ce.evaluate(new NDList(labels.singletonOrThrow().reshape(-1)), predictions);
                }
            };
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build())
                    .addEvaluator(new Accuracy() {
                        @Override
                        public NDArray evaluate(NDList labels, NDList predictions) {
                            return super.evaluate(new NDList(labels.singletonOrThrow().reshape(-1)), predictions);
                        }

                        @Override
                        public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
                            super.updateAccumulators(keys, new NDList(labels.singletonOrThrow().reshape(-1)),
                                    predictions);
                        }
                    })
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(1, 2L * k + delay, ALPHABET + 2));
                float acc = 0;
                for (int e = 0; e < epochs; e++) {
                    EasyTrain.fit(trainer, 1, trainSet, testSet);
                    acc = trainer.getTrainingResult().getValidateEvaluation("Accuracy");
                    System.out.printf("epoch %d: train loss %.4f, held-out accuracy %.4f%n", e + 1,
                            trainer.getTrainingResult().getTrainLoss(), acc);
                }
                return acc;
            }
        }
    }

    /**
     * Runs {@link #train} with the command-line arguments.
     *
     * @param args epochs, training sequences, K, delay
     * @throws Exception if training fails
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int delay = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        long t0 = System.nanoTime();
        float acc = train(epochs, n, k, delay);
        System.out.printf("final held-out accuracy %.4f (%.1f s)%n", acc, (System.nanoTime() - t0) / 1e9);
    }
}
