package org.inertia.nn.ops;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;

/** Evaluation metrics; they record nothing in the graph. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Fraction of rows of logits [N, K] whose first maximum is at the label (0 for an empty batch).
     *
     * @param logits scores [N, K]
     * @param labels the true class of each row; length N
     * @return the fraction in [0, 1]
     */
    public static double accuracy(Tensor logits, int[] labels) {
        Tensor.requireOpen("accuracy", "logits", logits);
        Checks.present("accuracy", "labels", labels);
        if (logits.shape().rank() != 2 || logits.shape().dim(0) != labels.length) {
            throw new IllegalArgumentException("accuracy needs logits [N, K] and N labels, got logits "
                    + logits.shape() + " and " + labels.length + " labels");
        }
        if (labels.length == 0) {
            return 0;
        }
        int[] predicted;
        try (NdArray argmax = NdArray.zeros(Dtype.I32, labels.length)) {
            logits.backend().reductions().argmax(logits.data(), 1, argmax);
            predicted = argmax.toIntArray();
        }
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) hits / labels.length;
    }
}
