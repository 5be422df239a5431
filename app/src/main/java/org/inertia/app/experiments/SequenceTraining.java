package org.inertia.app.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.autograd.GradNormClip;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.rnn.DtrivCell;
import org.inertia.optim.RmsProp;

/**
 * Trains a {@link SequenceModel} on a {@link SequenceTask} as the MomentumRNN paper does: RMSprop
 * (c ← αc + (1−α)g², w ← w − lr·g/(√c + ε), α = 0.9), gradient-norm clipping at 1.0, full BPTT over
 * the sequence; records the training loss and accuracy per iteration, the training time per sample
 * (forward, backward, clipping and the optimizer step; the first iteration, which warms up the JIT, is
 * left out) and the held-out loss and accuracy at the end.
 *
 * <p>A model with {@link DtrivCell}s is trained as the reference code trains DTRIV ({@code mnist.py}): two
 * RMSprop groups with PyTorch's default α = 0.99, learning rate {@code dtrivLr} for every parameter but the
 * skew generators X and {@code lrOrth} for those, clipping over all parameters, and after each optimizer step
 * the cells' change of base ({@link DtrivCell#afterOptimizerStep()}).
 */
public final class SequenceTraining {
    /** What a run produced. */
    public record Result(double[] loss, double[] accuracy, double microsPerSample, double heldOutLoss,
                         double heldOutAccuracy) {
    }

    private SequenceTraining() {
    }

    /** Learning rates: {@code lr} for the LSTM family; {@code dtrivLr} and {@code lrOrth} for models with DTRIV cells. */
    public record Rates(double lr, double dtrivLr, double lrOrth) {
        /** The paper's: LSTMs 1e-3 (given), DTRIV 7e-4, the orthogonal generators 2e-4 (N = 170). */
        public static Rates of(double lr) {
            return new Rates(lr, 7e-4, 2e-4);
        }
    }

    public static Result train(SequenceModel model, SequenceTask task, int steps, double lr, double clip, String label) {
        return train(model, task, steps, Rates.of(lr), clip, label);
    }

    public static Result train(SequenceModel model, SequenceTask task, int steps, Rates rates, double clip, String label) {
        List<DtrivCell> dtriv = model.rnn().cells().stream().filter(DtrivCell.class::isInstance)
                .map(DtrivCell.class::cast).toList();
        List<Tensor> skews = dtriv.stream().map(DtrivCell::skew).toList();
        List<Tensor> ordered = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (!skews.contains(p)) {
                ordered.add(p);
            }
        }
        int plain = ordered.size();
        ordered.addAll(skews);
        double lr = rates.lr();
        double[] loss = new double[steps];
        double[] acc = new double[steps];
        long nanos = 0;
        long samples = 0;
        int[] readout = task.readoutSteps();
        try (TrainingOptimizer opt = new TrainingOptimizer(ordered, ps -> {
            RmsProp o = new RmsProp();
            if (dtriv.isEmpty()) {
                o.addGroup(RmsProp.hyper().lr(lr).alpha(0.9).build(), ps);
            } else {
                o.addGroup(RmsProp.hyper().lr(rates.dtrivLr()).alpha(0.99).build(), ps.subList(0, plain));
                o.addGroup(RmsProp.hyper().lr(rates.lrOrth()).alpha(0.99).build(), ps.subList(plain, ps.size()));
            }
            return o;
        }); Progress bar = Progress.start(label, steps)) {
            for (int it = 0; it < steps; it++) {
                SequenceTask.Batch b = task.next();
                long t0 = System.nanoTime();
                try (TensorScope scope = TensorScope.open()) {
                    SequenceModel.Step s = model.forward(b, readout);
                    loss[it] = s.loss().item();
                    acc[it] = s.accuracy();
                    s.loss().backward();
                    GradNormClip.clipGradNorm(model.parameters(), clip);
                    opt.step();
                    dtriv.forEach(DtrivCell::afterOptimizerStep);
                }
                if (it > 0 || steps == 1) {
                    nanos += System.nanoTime() - t0;
                    samples += b.size();
                }
                bar.step(String.format(Locale.ROOT, "loss %.3f acc %.2f", loss[it], acc[it]));
            }
        }
        double heldLoss = 0;
        double heldAcc = 0;
        int n = 0;
        try (var noGrad = GradMode.off()) {
            for (SequenceTask.Batch b : task.heldOut()) {
                try (TensorScope scope = TensorScope.open()) {
                    SequenceModel.Step s = model.forward(b, readout);
                    heldLoss += s.loss().item() * b.size();
                    heldAcc += s.accuracy() * b.size();
                    n += b.size();
                }
            }
        }
        return new Result(loss, acc, nanos / 1e3 / Math.max(1, samples), heldLoss / n, heldAcc / n);
    }

    /** Mean of the last {@code n} values (or all if fewer). */
    public static double tailMean(double[] v, int n) {
        int from = Math.max(0, v.length - n);
        double s = 0;
        for (int i = from; i < v.length; i++) {
            s += v[i];
        }
        return s / (v.length - from);
    }

}
