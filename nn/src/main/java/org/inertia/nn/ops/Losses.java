package org.inertia.nn.ops;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;

/**
 * Losses reduced to a scalar by the mean over the batch, as PyTorch's defaults.
 *
 * <ul>
 *   <li>Cross-entropy from logits z [N, K] and integer labels y: L = −(1/N)·Σ_n log softmax(z_n)[y_n], computed
 *       as log-softmax + negative log-likelihood; the backward is one fused kernel from the saved log-softmax,
 *       ∂L/∂z = (softmax(z) − onehot(y))/N ({@link org.inertia.kernels.Layers#softmaxCrossEntropyBackward}).</li>
 *   <li>Mean squared error: L = (1/n)·Σ (p − t)²; ∂L/∂p = 2(p − t)/n = −∂L/∂t.</li>
 * </ul>
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean cross-entropy of logits [N, K] against labels in [0, K).
     *
     * @param logits unnormalised scores [N, K]
     * @param labels class of each row, in [0, K); length N
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), rank 0
     * @throws IllegalArgumentException if the shapes disagree or a label is out of range
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        Checks.floating("cross_entropy", "logits", Tensor.requireOpen("cross_entropy", "logits", logits).dtype());
        Checks.present("cross_entropy", "labels", labels);
        if (logits.shape().rank() != 2 || logits.shape().dim(0) != labels.length) {
            throw new IllegalArgumentException("cross-entropy needs logits [N, K] and N labels, got logits "
                    + logits.shape() + " and " + labels.length + " labels");
        }
        int n = labels.length, k = logits.shape().dim(1);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is outside [0, " + k
                        + ") for logits " + logits.shape());
            }
        }
        Backend be = logits.backend();
        NdArray logp = NdArray.empty(logits.dtype(), logits.shape().dims()); // logSoftmax writes all of it
        be.reductions().logSoftmax(logits.data(), 1, logp);
        double nll = 0;
        for (int i = 0; i < n; i++) {
            nll -= logp.get(i, labels[i]);
        }
        NdArray out = NdArray.scalar(logits.dtype(), n == 0 ? Double.NaN : nll / n);
        int[] y = labels.clone();
        return Tensor.result(out, be, new Node(logits) {
            private NdArray saved = logp;

            @Override
            public String name() {
                return "cross_entropy";
            }

            @Override
            protected void backward(Backend b, NdArray g, GradientSink sink) {
                if (!sink.wants(0)) {
                    return;
                }
                NdArray gz = NdArray.empty(g.dtype(), saved.shape().dims());
                b.layers().softmaxCrossEntropyBackward(saved, y, g.getAtOffset(g.offset()) / n, gz); // (softmax − onehot)·g/N
                sink.accept(0, gz);
            }

            @Override
            protected void release() {
                if (saved != null) {
                    saved.close();
                    saved = null;
                }
            }
        });
    }

    /**
     * Mean cross-entropy with labels given as an I32 array [N].
     *
     * @param logits unnormalised scores [N, K]
     * @param labels I32 vector [N] of classes in [0, K); read only
     * @return a new tensor, owned by the current {@code TensorScope} (else by the caller), rank 0
     * @throws IllegalArgumentException if labels is not an I32 vector, or as {@link #crossEntropy(Tensor, int[])}
     */
    public static Tensor crossEntropy(Tensor logits, NdArray labels) {
        Checks.present("cross_entropy", "labels", labels);
        if (labels.dtype() != Dtype.I32 || labels.rank() != 1) {
            throw new IllegalArgumentException("labels must be an I32 vector, got " + labels);
        }
        return crossEntropy(logits, labels.toIntArray());
    }

    /**
     * Mean squared error between equally shaped {@code prediction} and {@code target}.
     *
     * @param prediction the prediction
     * @param target the target, same shape and dtype
     * @return the mean of (prediction − target)², rank 0: a new tensor, owned by the current
     *     {@code TensorScope} (else by the caller)
     */
    public static Tensor mse(Tensor prediction, Tensor target) {
        Checks.floating("mse", "prediction", Tensor.requireOpen("mse", "prediction", prediction).dtype());
        Checks.floating("mse", "target", Tensor.requireOpen("mse", "target", target).dtype());
        Checks.sameDtype("mse", "prediction", prediction.dtype(), "target", target.dtype());
        Checks.sameBackend("mse", "prediction", prediction.backend(), "target", target.backend());
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse needs equal shapes, got prediction " + prediction.shape()
                    + " and target " + target.shape());
        }
        Backend be = prediction.backend();
        long n = prediction.shape().numel();
        NdArray diff = NdArray.zeros(prediction.dtype(), prediction.shape());
        be.elementwise().binary(BinaryOp.SUB, prediction.data(), target.data(), diff);
        double ss;
        try (NdArray sq = NdArray.zeros(prediction.dtype(), prediction.shape())) {
            be.elementwise().mul(diff, diff, sq);
            ss = be.reductions().sumAll(sq);
        }
        NdArray out = NdArray.scalar(prediction.dtype(), ss / n);
        return Tensor.result(out, be, new Node(prediction, target) {
            private NdArray saved = diff;

            @Override
            public String name() {
                return "mse";
            }

            @Override
            protected void backward(Backend b, NdArray g, GradientSink sink) {
                double scale = 2 * g.getAtOffset(g.offset()) / n;
                for (int i = 0; i < 2; i++) {
                    if (sink.wants(i)) {
                        NdArray gi = NdArray.zeros(g.dtype(), saved.shape());
                        b.elementwise().binaryScalar(BinaryOp.MUL, saved, i == 0 ? scale : -scale, gi);
                        sink.accept(i, gi);
                    }
                }
            }

            @Override
            protected void release() {
                if (saved != null) {
                    saved.close();
                    saved = null;
                }
            }
        });
    }
}
