package org.inertia.app.experiments;

import java.util.function.UnaryOperator;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.ops.Losses;
import org.inertia.nn.ops.Metrics;

/** Mean cross-entropy and accuracy of a classifier over a whole data set, without recording a graph. */
public final class Evaluation {
    /** The mean loss and the accuracy (fraction correct). */
    public record Result(double loss, double accuracy) {
    }

    private Evaluation() {
    }

    /** Evaluates {@code logits} (inputs in {@code layout} → logits [B, classes]) on {@code data}, batch by batch. */
    public static Result of(UnaryOperator<Tensor> logits, ImageDataset data, DataLoader.Layout layout, int batch) {
        double loss = 0;
        double hits = 0;
        try (var noGrad = GradMode.off();
             DataLoader loader = DataLoader.builder(data).batchSize(batch).layout(layout).build()) {
            for (DataLoader.Batch b : loader) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor z = logits.apply(Tensor.constant(b.inputs()));
                    int[] y = b.labelArray();
                    loss += Losses.crossEntropy(z, y).item() * b.size();
                    hits += Metrics.accuracy(z, y) * b.size();
                }
            }
        }
        return new Result(loss / data.size(), hits / data.size());
    }
}
