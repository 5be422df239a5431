package org.inertia.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.data.FashionMnist;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.io.Checkpoint;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Losses;
import org.inertia.optim.Adam;
import org.inertia.optim.Schedule;

/** An MLP on Fashion-MNIST: data loader, Adam with a cosine schedule, evaluation, a checkpoint (README.md). */
public final class FashionMnistMlp {
    public static void main(String[] args) throws IOException {
        try (ImageDataset train = FashionMnist.train(); ImageDataset test = FashionMnist.test()) {
            train(train, test, 2, Path.of("mlp.ckpt"));
        }
    }

    /** Trains for {@code epochs}, saves model, optimizer and loader to {@code checkpoint}; returns test accuracy. */
    public static double train(ImageDataset train, ImageDataset test, int epochs, Path checkpoint) throws IOException {
        try (var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
             var optimizer = new Adam();
             var loader = DataLoader.builder(train).batchSize(64).shuffle(1).layout(DataLoader.Layout.FLAT).build()) {
            int steps = epochs * loader.batchesPerEpoch();
            optimizer.addGroup(Adam.hyper().lr(1e-3).build(), model).lrSchedule(Schedule.cosine(1e-3, 1e-5, steps));
            double accuracy = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                for (DataLoader.Batch batch : loader) {
                    try (var step = TensorScope.open()) { // frees every tensor the step makes
                        Tensor logits = model.forward(Tensor.constant(batch.inputs()));
                        Tensor loss = Losses.crossEntropy(logits, batch.labelArray());
                        optimizer.zeroGrad();
                        loss.backward();
                        optimizer.step();
                    }
                }
                accuracy = accuracy(model, test);
                System.out.printf("epoch %d: test accuracy %.4f, next lr %.1e%n", epoch, accuracy, optimizer.currentLr());
            }
            Checkpoint.of(model).optimizer(optimizer).dataLoader(loader).save(checkpoint);
            return accuracy;
        }
    }

    /** Fraction of {@code test} whose highest logit is at the label. */
    public static double accuracy(Sequential model, ImageDataset test) {
        int correct = 0;
        try (var noGrad = GradMode.off(); var scope = TensorScope.open();
             var loader = DataLoader.builder(test).batchSize(1000).layout(DataLoader.Layout.FLAT).build()) {
            model.eval();
            for (DataLoader.Batch batch : loader) {
                int[] predicted = model.forward(Tensor.constant(batch.inputs())).argmax(1).data().toIntArray();
                int[] labels = batch.labelArray();
                for (int i = 0; i < labels.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        } finally {
            model.train();
        }
        return (double) correct / test.size();
    }
}
