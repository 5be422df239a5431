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
import org.inertia.optim.Adam;
import org.inertia.optim.Nag;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
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
    /** The methods, in plotting order. */
    public static final List<String> METHODS = List.of("SGD", "NAG", "SRSGD", "Adam");

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
            default -> throw new IllegalArgumentException("unknown method " + method + "; known: " + METHODS);
        };
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
            losses.add(Evaluation.of(model::forward, train, DataLoader.Layout.FLAT, 1000).loss());
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
                        losses.add(Evaluation.of(model::forward, train, DataLoader.Layout.FLAT, 1000).loss());
                    }
                    bar.step(String.format(java.util.Locale.ROOT, "batch loss %.3f", loss));
                }
                epochLoss[e] = Evaluation.of(model::forward, train, DataLoader.Layout.FLAT, 1000).loss();
                epochAcc[e] = Evaluation.of(model::forward, test, DataLoader.Layout.FLAT, 1000).accuracy();
            }
        }
        double secs = (System.nanoTime() - t0) * 1e-9;
        return new Curves(its.stream().mapToDouble(Double::doubleValue).toArray(),
                losses.stream().mapToDouble(Double::doubleValue).toArray(), epochLoss, epochAcc, secs);
    }
}
