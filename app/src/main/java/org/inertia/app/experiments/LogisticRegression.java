package org.inertia.app.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.data.DataLoader;
import org.inertia.nn.data.ImageDataset;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.ops.Losses;
import org.inertia.optim.AdEMAMix;
import org.inertia.optim.Adam;
import org.inertia.optim.Adamax;
import org.inertia.optim.Lion;
import org.inertia.optim.NAdam;
import org.inertia.optim.Nag;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.QhAdam;
import org.inertia.optim.Qhm;
import org.inertia.optim.RAdam;
import org.inertia.optim.ScheduleFree;
import org.inertia.optim.ScheduleFreeAdamW;
import org.inertia.optim.ScheduleFreeSgd;
import org.inertia.optim.ScheduledRestartSgd;
import org.inertia.optim.Sgd;

/**
 * Case III of the lectures (momentum notes, experiment 2): multinomial logistic regression,
 * p(y | x) = softmax(W x + b), trained on mini-batch cross-entropy
 * f(W, b) = −(1/B) Σ log p(y_i | x_i) with
 *
 * <ul>
 *   <li>SGD: w ← w − s g;</li>
 *   <li>NAG with the convex schedule: v_k = w_{k−1} − s g, w_k = v_k + (k−1)/(k+2)(v_k − v_{k−1}), which
 *       accumulates the gradient noise (E f(w_k) − f* = O(k) for stochastic gradients, Wang et al. 2020);</li>
 *   <li>SRSGD: the same with μ = (c−1)/(c+2), c restarting every F iterations;</li>
 *   <li>Adam (lr 1e-3, PyTorch defaults) for reference.</li>
 * </ul>
 *
 * All start from the same initial weights and see the same batches (seeded shuffling). Recorded: the
 * training loss over the whole training set every {@code evalEvery} iterations, and the training loss
 * and test accuracy after every epoch.
 */
public final class LogisticRegression {
    /** The lectures' methods, in plotting order: the default of {@code ./inertia logreg}. */
    public static final List<String> METHODS = List.of("SGD", "NAG", "SRSGD", "Adam");

    /**
     * Every method {@link #optimizer} knows: the lectures' and the newer ones (issue #13). The step-size
     * methods (SGD, NAG, SRSGD, QHM, SF-SGD) use the run's lr; Lion 1e-4; the Adam family (Adam, NAdam, RAdam,
     * Adamax, QHAdam, AdEMAMix, SF-AdamW) 1e-3 (Adamax 2e-3, PyTorch's default). Schedule-free methods are
     * evaluated at their average x.
     */
    public static final List<String> ALL_METHODS = List.of("SGD", "NAG", "SRSGD", "Adam", "QHM", "Lion", "NAdam", "RAdam",
            "Adamax", "QHAdam", "AdEMAMix", "SF-SGD", "SF-AdamW");

    /** Settings of a run. */
    public record Settings(int epochs, int batch, double lr, long restart, int evalEvery, long seed) {
    }

    /** What one method produced. */
    public record Curves(double[] iterations, double[] trainLoss, double[] epochTrainLoss, double[] epochTestAccuracy,
                         double seconds) {
    }

    private LogisticRegression() {
    }

    /** The optimizer of {@code method} over the given parameters. */
    static Optimizer<?> optimizer(String method, Settings s, List<Params> ps) {
        return switch (method) {
            case "SGD" -> {
                Sgd o = new Sgd();
                o.addGroup(Sgd.hyper().lr(s.lr()).build(), ps);
                yield o;
            }
            case "NAG" -> {
                Nag o = new Nag();
                o.addGroup(new Nag.Hyper(s.lr()), ps);
                yield o;
            }
            case "SRSGD" -> {
                ScheduledRestartSgd o = new ScheduledRestartSgd();
                o.addGroup(new ScheduledRestartSgd.Hyper(s.lr(), 0, s.restart()), ps);
                yield o;
            }
            case "Adam" -> {
                Adam o = new Adam();
                o.addGroup(Adam.hyper().lr(1e-3).build(), ps);
                yield o;
            }
            case "QHM" -> group(new Qhm(), Qhm.hyper().lr(s.lr()).beta(0.9).nu(0.7).build(), ps);
            case "Lion" -> group(new Lion(), Lion.hyper().build(), ps);
            case "NAdam" -> group(new NAdam(), NAdam.hyper().lr(1e-3).build(), ps);
            case "RAdam" -> group(new RAdam(), RAdam.hyper().build(), ps);
            case "Adamax" -> group(new Adamax(), Adamax.hyper().build(), ps);
            case "QHAdam" -> group(new QhAdam(), QhAdam.hyper().build(), ps);
            case "AdEMAMix" -> group(new AdEMAMix(), AdEMAMix.hyper().build(), ps);
            case "SF-SGD" -> group(new ScheduleFreeSgd(), ScheduleFreeSgd.hyper().lr(s.lr()).build(), ps);
            case "SF-AdamW" -> group(new ScheduleFreeAdamW(), ScheduleFreeAdamW.hyper().lr(1e-3).build(), ps);
            default -> throw new IllegalArgumentException("unknown method " + method + "; known: " + ALL_METHODS);
        };
    }

    private static <H extends Optimizer.Hyper> Optimizer<?> group(Optimizer<H> o, H hyper, List<Params> ps) {
        o.addGroup(hyper, ps);
        return o;
    }

    /** Evaluates at the schedule-free average x (then back to y); plain evaluation for the other methods. */
    private static <T> T at(TrainingOptimizer opt, java.util.function.Supplier<T> f) {
        if (opt.optimizer() instanceof ScheduleFree<?> sf) {
            sf.eval();
            try {
                return f.get();
            } finally {
                sf.train();
            }
        }
        return f.get();
    }

    /** Trains every method in {@code methods} and returns their curves, keyed by method. */
    public static Map<String, Curves> run(ImageDataset train, ImageDataset test, List<String> methods, Settings s) {
        Map<String, Curves> out = new LinkedHashMap<>();
        for (String m : methods) {
            out.put(m, runOne(train, test, m, s));
        }
        return out;
    }

    static Curves runOne(ImageDataset train, ImageDataset test, String method, Settings s) {
        int features = train.images().dim(1) * train.images().dim(2);
        Function<List<Params>, Optimizer<?>> make = ps -> optimizer(method, s, ps);
        List<Double> its = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        double[] epochLoss = new double[s.epochs()];
        double[] epochAcc = new double[s.epochs()];
        long t0 = System.nanoTime();
        try (Linear model = new Linear(features, 10, true, Dtype.F32, new SplittableRandom(s.seed()));
             DataLoader loader = DataLoader.builder(train).batchSize(s.batch()).shuffle(s.seed())
                     .layout(DataLoader.Layout.FLAT).build();
             TrainingOptimizer opt = new TrainingOptimizer(model.parameters(), make);
             Progress bar = Progress.start("logreg " + method, (long) s.epochs() * loader.batchesPerEpoch())) {
            its.add(0.0);
            losses.add(at(opt, () -> Evaluation.of(model::forward, train, DataLoader.Layout.FLAT, 1000).loss()));
            long k = 0;
            for (int e = 0; e < s.epochs(); e++) {
                for (DataLoader.Batch b : loader) {
                    double loss;
                    try (TensorScope scope = TensorScope.open()) {
                        Tensor l = Losses.crossEntropy(model.forward(Tensor.constant(b.inputs())), b.labelArray());
                        loss = l.item();
                        l.backward();
                        opt.step();
                    }
                    k++;
                    if (k % s.evalEvery() == 0) {
                        its.add((double) k);
                        losses.add(at(opt, () -> Evaluation.of(model::forward, train, DataLoader.Layout.FLAT, 1000).loss()));
                    }
                    bar.step(String.format(java.util.Locale.ROOT, "batch loss %.3f", loss));
                }
                int ep = e;
                at(opt, () -> {
                    epochLoss[ep] = Evaluation.of(model::forward, train, DataLoader.Layout.FLAT, 1000).loss();
                    epochAcc[ep] = Evaluation.of(model::forward, test, DataLoader.Layout.FLAT, 1000).accuracy();
                    return null;
                });
            }
        }
        double secs = (System.nanoTime() - t0) * 1e-9;
        return new Curves(its.stream().mapToDouble(Double::doubleValue).toArray(),
                losses.stream().mapToDouble(Double::doubleValue).toArray(), epochLoss, epochAcc, secs);
    }
}
