package org.inertia.optim;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.ScheduleFreeState;
import org.inertia.optim.kernel.StateLayout;

/**
 * The schedule-free methods (Defazio, Yang, Mehta, Mishchenko, Khaled, Cutkosky 2024, "The Road Less
 * Scheduled"; reference code facebookresearch/schedule_free): {@link ScheduleFreeSgd} and
 * {@link ScheduleFreeAdamW}. Three sequences: z (the base optimizer's iterates), x (their weighted
 * average, the point to evaluate) and y = (1−β) z + β x (the point where gradients are taken). The
 * parameter holds y while training and x after {@link #eval()}; only y and z are stored (the state key
 * {@code z}), x is recovered from them, exactly as the reference code does.
 *
 * <p>Per step k (0-based within the group, as the reference code's {@code k}): the warm-up factor
 * s = (k+1)/warmupSteps while k &lt; warmupSteps, else 1; lr = s·(the group's learning rate); lr_max =
 * max over steps of lr; the averaging weight c = (k+1)^r·lr_max^p / Σ (same weights so far), with
 * p = {@code weightLrPower}. The running lr_max and weight sum of each group are scalar counters of the
 * state dict ({@code lr_max.<group>}, {@code weight_sum.<group>}), and so is the mode
 * ({@code train_mode}, 1 or 0), so a checkpoint taken in either mode resumes in it.
 *
 * <p>Call {@link #eval()} before evaluating or saving the model you want to use, and {@link #train()}
 * before training again; {@link #step()} in evaluation mode throws.
 *
 * @param <H> the method's hyperparameter record
 */
public abstract sealed class ScheduleFree<H extends Optimizer.Hyper> extends Optimizer<H>
        permits ScheduleFreeSgd, ScheduleFreeAdamW {
    private static final String LR_MAX = "lr_max.";
    private static final String WEIGHT_SUM = "weight_sum.";
    private static final String TRAIN_MODE = "train_mode";
    private final Map<Group<H>, double[]> sums = new IdentityHashMap<>();
    private boolean trainMode = true;

    ScheduleFree(String method, Backend backend) {
        super(method, backend);
    }

    /** β (momentum or β1) of group g's hyperparameters: the interpolation between z and x. */
    abstract double beta(H hyper);

    /** The warm-up length, r and the weight-lr power of {@code hyper}. */
    abstract double[] averaging(H hyper);

    /**
     * Whether the parameters hold y (training); false after {@link #eval()}.
     *
     * @return true in training mode
     */
    public boolean isTrainMode() {
        return trainMode;
    }

    /**
     * Switches every parameter to the averaged point x = y + (1 − 1/β)(z − y), the point to evaluate or
     * export. Does nothing in evaluation mode or for parameters that have not stepped yet.
     */
    public void eval() {
        if (trainMode) {
            swap(true);
            trainMode = false;
        }
    }

    /** Switches every parameter back to the training point y = x + (1 − β)(z − x). Does nothing in training mode. */
    public void train() {
        if (!trainMode) {
            swap(false);
            trainMode = true;
        }
    }

    private void swap(boolean toEval) {
        for (Group<H> g : groups()) {
            double beta = beta(g.hyper());
            double t = toEval ? 1 - 1 / beta : 1 - beta;
            for (int i = 0; i < g.params().size(); i++) {
                NdArray z = g.state(i, ScheduleFreeState.Z);
                if (z != null) {
                    OptimizerSteps.lerp(g.params().get(i).param(), z, t);
                }
            }
        }
    }

    @Override
    protected final void beforeStep(long k, double loss) {
        if (!trainMode) {
            throw new IllegalStateException(method() + " is in evaluation mode (the parameters hold the average x):"
                    + " call train() before step()");
        }
    }

    @Override
    protected final void initState(String key, NdArray buffer, Params p, H hyper) {
        if (key.equals(ScheduleFreeState.Z)) {
            buffer.copyFrom(p.param());
        }
    }

    /**
     * This step's learning rate (warm-up applied) and averaging weight c for group g, updating the group's
     * lr_max and weight sum: {lr, c}.
     */
    final double[] lrAndWeight(Group<H> g, long k) {
        double[] av = averaging(g.hyper());
        long gk = g.steps();
        double warmup = av[0];
        double sched = gk < warmup ? (gk + 1) / warmup : 1.0;
        double lr = g.lr(k) * sched;
        double[] s = sums.computeIfAbsent(g, x -> new double[2]);
        s[0] = Math.max(lr, s[0]);
        double weight = Math.pow(gk + 1, av[1]) * Math.pow(s[0], av[2]);
        s[1] += weight;
        double c = s[1] == 0 ? 0 : weight / s[1];
        return new double[] {lr, c};
    }

    /** The state layout: z, and v for the Adam form. */
    static StateLayout<ScheduleFreeState> layout(boolean adam) {
        return ScheduleFreeState.layout(adam);
    }

    @Override
    protected final Map<String, Double> scalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(TRAIN_MODE, trainMode ? 1.0 : 0.0);
        var gs = groups();
        for (int i = 0; i < gs.size(); i++) {
            double[] s = sums.getOrDefault(gs.get(i), new double[2]);
            out.put(LR_MAX + i, s[0]);
            out.put(WEIGHT_SUM + i, s[1]);
        }
        return out;
    }

    @Override
    protected final void loadScalars(Map<String, Double> scalars) {
        trainMode = scalars.get(TRAIN_MODE) != 0;
        var gs = groups();
        for (int i = 0; i < gs.size(); i++) {
            sums.put(gs.get(i), new double[] {scalars.get(LR_MAX + i), scalars.get(WEIGHT_SUM + i)});
        }
    }
}
