package org.inertia.app.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.ops.Losses;
import org.inertia.nn.ops.Metrics;
import org.inertia.nn.ops.Shapes;
import org.inertia.nn.rnn.Rnn;

/**
 * One recurrent layer and a linear read-out: logits_r = W·h_{t_r} + b at the task's readout steps; the
 * loss is (1/R) Σ_r CE(logits_r, y_r) (PyTorch's mean cross-entropy per step, averaged over the R steps).
 */
public final class SequenceModel extends Module {
    private final Rnn rnn;
    private final Linear head;

    public SequenceModel(String cell, boolean permuted, int in, int hidden, int classes, long seed) {
        this(cell, permuted, in, hidden, classes, RecurrentModels.DEFAULT_DTRIV_K, seed);
    }

    /** {@code dtrivK}: the DTRIV cells' change of base every K optimizer steps (0 = never). */
    public SequenceModel(String cell, boolean permuted, int in, int hidden, int classes, long dtrivK, long seed) {
        Random r = new Random(seed);
        this.rnn = module("rnn", new Rnn(in, hidden, 1, (i, h, l) -> RecurrentModels.cell(cell, permuted, i, h, dtrivK, r)));
        this.head = module("head", new Linear(hidden, classes, true, Dtype.F32, new java.util.SplittableRandom(seed)));
    }

    public Rnn rnn() {
        return rnn;
    }

    public Linear head() {
        return head;
    }

    /** The loss and the accuracy (over all readout steps) of one batch; the loss is recorded for backward. */
    public record Step(Tensor loss, double accuracy) {
    }

    /** Forward through the whole sequence, loss at the readout steps. */
    public Step forward(SequenceTask.Batch b, int[] readout) {
        Tensor out = rnn.forward(Tensor.constant(b.inputs())).output(); // [B, T, H]
        List<Tensor> hs = new ArrayList<>();
        for (int t : readout) {
            hs.add(Shapes.select(out, 1, t));
        }
        return readout(hs, b);
    }

    /** The loss from the hidden states at the readout steps (one [B, H] tensor per step). */
    public Step readout(List<Tensor> hs, SequenceTask.Batch b) {
        Tensor loss = null;
        double acc = 0;
        for (int r = 0; r < hs.size(); r++) {
            Tensor logits = head.forward(hs.get(r));
            Tensor l = Losses.crossEntropy(logits, b.labels()[r]);
            acc += Metrics.accuracy(logits, b.labels()[r]) / hs.size();
            loss = loss == null ? l : loss.add(l);
        }
        if (hs.size() > 1) {
            loss = loss.mul(Tensor.constant(org.inertia.kernels.NdArray.scalar(Dtype.F32, 1.0 / hs.size())));
        }
        return new Step(loss, acc);
    }
}
