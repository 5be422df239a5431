package org.inertia.djl.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import org.inertia.djl.FashionMnistDataset;

import java.io.IOException;

/**
 * A DJL program that trains a 784-128-10 MLP (Linear, ReLU, Linear) on Fashion-MNIST with DJL's Trainer,
 * {@code Loss.softmaxCrossEntropyLoss()}, {@code Optimizer.adam()} and {@code EasyTrain.fit}, on the Inertia
 * engine. Arguments: epochs (default 3), training samples (default all), test samples (default all), batch size
 * (default 64). Prints the test accuracy of every epoch.
 */
public final class FashionMnistMlp {
    private FashionMnistMlp() {
    }

    /**
     * Trains and returns the final test accuracy.
     *
     * @param epochs epochs over the training data
     * @param trainLimit training samples to use (all when &lt;= 0)
     * @param testLimit test samples to use (all when &lt;= 0)
     * @param batchSize the batch size
     * @return the test accuracy after the last epoch
     * @throws IOException if Fashion-MNIST cannot be read
     * @throws TranslateException if DJL's training loop fails
     */
    public static float train(int epochs, int trainLimit, int testLimit, int batchSize)
            throws IOException, TranslateException {
        Engine engine = Engine.getEngine("Inertia");
        engine.setRandomSeed(1234);
        try (Model model = Model.newInstance("fashion-mlp", engine.defaultDevice(), engine.getEngineName())) {
            SequentialBlock net = new SequentialBlock()
                    .add(Blocks.batchFlattenBlock(784))
                    .add(Linear.builder().setUnits(128).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(10).build());
            model.setBlock(net);
            ArrayDataset trainSet = FashionMnistDataset.create(model.getNDManager(), true, trainLimit, batchSize, true);
            ArrayDataset testSet = FashionMnistDataset.create(model.getNDManager(), false, testLimit, batchSize, false);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .addEvaluator(new Accuracy())
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(1, 784));
                float acc = 0;
                for (int e = 0; e < epochs; e++) {
                    EasyTrain.fit(trainer, 1, trainSet, testSet);
                    TrainingResult r = trainer.getTrainingResult();
                    acc = r.getValidateEvaluation("Accuracy");
                    System.out.printf("epoch %d: train loss %.4f, test accuracy %.4f%n", e + 1,
                            r.getTrainLoss(), acc);
                }
                return acc;
            }
        }
    }

    /**
     * Runs {@link #train} with the command-line arguments.
     *
     * @param args epochs, training samples, test samples, batch size
     * @throws Exception if training fails
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int trainLimit = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int testLimit = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        long t0 = System.nanoTime();
        float acc = train(epochs, trainLimit, testLimit, batch);
        System.out.printf("final test accuracy %.4f (%.1f s)%n", acc, (System.nanoTime() - t0) / 1e9);
    }
}
