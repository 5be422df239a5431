package org.inertia.app.experiments;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.layers.Layer;
import org.inertia.nn.models.MomentumNet;
import org.inertia.nn.models.MomentumPreResNet;
import org.inertia.nn.models.PreResNet;
import org.inertia.nn.ops.Losses;
import org.inertia.nn.ops.Metrics;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.Schedule;
import org.inertia.optim.ScheduledRestartSgd;
import org.inertia.optim.ScheduledRestartSgd.RestartSchedule;
import org.inertia.optim.Sgd;

/**
 * Image classification with PreResNet or its momentum variant (momentum notes, experiments 3 and 4), the
 * SRSGD paper's recipe scaled down: weight decay 5e-4, batch 128, lr 0.1 dropped ×0.1 at 50 % and 75 %
 * of the iterations (the paper: epochs 80/120/160 of 200, i.e. 40/60/80 %). Baseline: SGD with momentum
 * 0.9 (PyTorch form). SRSGD: w_k = v_k + (c−1)/(c+2)(v_k − v_{k−1}) with the restart period F of each
 * learning-rate stage from a linear (30, 60, 90, …) or an exponential (40, 50, 63, …) schedule, F counted
 * in iterations as in the reference code.
 */
public final class ResNetTraining {
    /** Block type of the network. */
    public enum Block { RESIDUAL, MOMENTUM }

    /** One optimizer configuration. */
    public enum Method {
        SGD("SGD (momentum 0.9)"), SRSGD_LINEAR("SRSGD, linear F"), SRSGD_EXPONENTIAL("SRSGD, exponential F");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Settings of a run. */
    public record Settings(int depth, int epochs, int batch, double lr, double weightDecay, double gamma, long seed) {
    }

    /** Per-epoch curves, per-iteration training loss, and wall time. */
    public record Result(double[] iterationLoss, double[] trainLoss, double[] trainAccuracy, double[] testLoss,
                         double[] testAccuracy, double seconds, long parameters) {
    }

    private ResNetTraining() {
    }

    /** The network: PreResNet-depth, or its momentum variant, for 1-channel 28×28 images and 10 classes. */
    public static Layer model(Block block, int depth, double gamma, long seed) {
        PreResNet.Config c = PreResNet.Config.standard(depth, 1, 10);
        SplittableRandom r = new SplittableRandom(seed);
        return block == Block.RESIDUAL ? new PreResNet(c, Dtype.F32, r)
                : new MomentumPreResNet(c, gamma, MomentumNet.Mode.STORE_ACTIVATIONS, Dtype.F32, r);
    }

    static Optimizer<?> optimizer(Method m, Settings s, long totalIterations, List<Params> ps) {
        long m1 = Math.max(1, totalIterations / 2);
        long m2 = Math.max(m1 + 1, totalIterations * 3 / 4);
        return switch (m) {
            case SGD -> {
                Sgd o = new Sgd();
                o.addGroup(Sgd.hyper().lr(s.lr()).momentum(0.9).weightDecay(s.weightDecay()).build(), ps)
                        .lrSchedule(Schedule.multiStep(s.lr(), 0.1, m1, m2));
                yield o;
            }
            case SRSGD_LINEAR, SRSGD_EXPONENTIAL -> {
                RestartSchedule f = m == Method.SRSGD_LINEAR ? RestartSchedule.linear(30, 30)
                        : RestartSchedule.exponential(40, 1.25);
                ScheduledRestartSgd o = new ScheduledRestartSgd();
                o.addGroup(new ScheduledRestartSgd.Hyper(s.lr(), s.weightDecay(), f, 0.1, m1, m2), ps);
                yield o;
            }
        };
    }

    public static Result train(Block block, Method method, Settings s, ImageDataset train, ImageDataset test) {
        int epochs = s.epochs();
        double[] trainLoss = new double[epochs];
        double[] trainAcc = new double[epochs];
        double[] testLoss = new double[epochs];
        double[] testAcc = new double[epochs];
        long t0 = System.nanoTime();
        try (Layer model = model(block, s.depth(), s.gamma(), s.seed());
             DataLoader loader = DataLoader.builder(train).batchSize(s.batch()).shuffle(s.seed())
                     .dropLast(train.size() >= s.batch()).layout(DataLoader.Layout.IMAGES).build()) {
            long total = (long) epochs * loader.batchesPerEpoch();
            double[] iterLoss = new double[(int) total];
            long params = model.parameters().stream().mapToLong(p -> p.data().numel()).sum();
            int k = 0;
            try (TrainingOptimizer opt = new TrainingOptimizer(model.parameters(), ps -> optimizer(method, s, total, ps));
                 Progress bar = Progress.start("resnet " + block.name().toLowerCase(Locale.ROOT) + " " + method.label(),
                         total)) {
                for (int e = 0; e < epochs; e++) {
                    model.train();
                    double sum = 0;
                    double hits = 0;
                    int n = 0;
                    for (DataLoader.Batch b : loader) {
                        try (TensorScope scope = TensorScope.open()) {
                            Tensor logits = model.forward(Tensor.constant(b.inputs()));
                            int[] y = b.labelArray();
                            Tensor l = Losses.crossEntropy(logits, y);
                            double loss = l.item();
                            hits += Metrics.accuracy(logits, y) * b.size();
                            l.backward();
                            opt.step();
                            iterLoss[k++] = loss;
                            sum += loss * b.size();
                            n += b.size();
                            bar.step(String.format(Locale.ROOT, "epoch %d loss %.3f", e + 1, loss));
                        }
                    }
                    trainLoss[e] = sum / n;
                    trainAcc[e] = hits / n;
                    model.eval();
                    Evaluation.Result r = Evaluation.of(model::forward, test, DataLoader.Layout.IMAGES, 250);
                    testLoss[e] = r.loss();
                    testAcc[e] = r.accuracy();
                }
            }
            return new Result(iterLoss, trainLoss, trainAcc, testLoss, testAcc, (System.nanoTime() - t0) * 1e-9, params);
        }
    }
}
