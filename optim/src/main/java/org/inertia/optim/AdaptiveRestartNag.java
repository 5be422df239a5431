package org.inertia.optim;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.NagState;
import org.inertia.optim.momentum.AdaptiveRestart;
import org.inertia.optim.momentum.AdaptiveRestart.Test;
import org.inertia.optim.momentum.MomentumSchedule;
import org.inertia.optim.momentum.RestartPolicy;

/**
 * NAG with function-value adaptive restart (O'Donoghue and Candès 2015), position-difference form:
 * <pre>
 *   v_k = w_{k−1} − s (∇f(w_{k−1}) + wd·w_{k−1}),   w_k = v_k + (m−1)/(m+2) · (v_k − v_{k−1}),   v_0 = w_0,
 * </pre>
 * with a counter m that grows by one while the objective does not increase and is reset to 1 when it does
 * (μ = 0 then, so the step is a plain gradient step from the current point). Parts:
 * {@link MomentumSchedule#nesterovConvex()} at the clock of an {@link AdaptiveRestart}.
 *
 * <p>Which objective values the test compares is the {@link Test} given at construction:
 * <ul>
 *   <li>{@link Test#ITERATE} (default; the lecture's ARNAG slide): m ← m + 1 if f(w_{k−1}) ≤ f(w_{k−2}),
 *       else 1. {@link #step(LossClosure)} evaluates f at the current parameters w_{k−1} (and fills the gradient
 *       there) and that value is the one tested: no extra cost.</li>
 *   <li>{@link Test#GRADIENT_STEP} (O'Donoghue–Candès's function scheme): m ← m + 1 if f(v_{k−1}) ≤ f(v_{k−2})
 *       at the gradient-step points. After each update the closure is evaluated once more, with the parameters
 *       set to v_k for the call and restored after it: two closure calls per step, and when {@code step}
 *       returns the gradient buffers hold the closure's gradient at v_k, not at w_{k−1}.</li>
 * </ul>
 * The counter and the losses are part of the exported state; the two tests keep different counters, so a
 * state is refused by an optimizer with the other test. With noisy gradients or losses either test restarts
 * too often and the method degenerates towards gradient descent (the lecture's Case I/II).
 */
public final class AdaptiveRestartNag extends PositionNag<AdaptiveRestartNag.Hyper> {
    private final AdaptiveRestart restart;

    /**
     * Validated hyperparameters.
     *
     * @param lr          learning rate (≥ 0)
     * @param weightDecay L2 weight decay (≥ 0)
     */
    public record Hyper(double lr, double weightDecay) implements Optimizer.Hyper {
        /** Checks every value, naming the first bad one. */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.nonNegative("weightDecay", weightDecay);
        }

        /**
         * No weight decay.
         *
         * @param lr learning rate (≥ 0)
         */
        public Hyper(double lr) {
            this(lr, 0);
        }
    }

    /** The lecture's test on the iterate ({@link Test#ITERATE}), the default backend. */
    public AdaptiveRestartNag() {
        this(Test.ITERATE, null);
    }

    /**
     * The lecture's test on the iterate ({@link Test#ITERATE}); the backend serves gradient clipping.
     *
     * @param backend the compute backend; null for the default
     */
    public AdaptiveRestartNag(Backend backend) {
        this(Test.ITERATE, backend);
    }

    /**
     * Adaptive-restart NAG with the given restart test.
     *
     * @param test    where the restart test evaluates f: {@link Test#ITERATE} or {@link Test#GRADIENT_STEP}
     * @param backend serves gradient clipping; null for the default
     */
    public AdaptiveRestartNag(Test test, Backend backend) {
        super("arnag", backend);
        this.restart = new AdaptiveRestart(java.util.Objects.requireNonNull(test, "test"));
    }

    /**
     * Where the restart test evaluates the objective.
     *
     * @return the test given at construction
     */
    public Test test() {
        return restart.test();
    }

    /**
     * One step (see {@link Optimizer#step(LossClosure, java.util.function.Predicate)}); with {@link Test#GRADIENT_STEP} the closure is then
     * evaluated at v_k as well (class comment). Returns f(w_{k−1}).
     */
    @Override
    public double step(LossClosure closure, java.util.function.Predicate<Params> hasGradient) {
        double loss = super.step(closure, hasGradient);
        if (restart.test() == Test.GRADIENT_STEP) {
            restart.recordGradientStep(atGradientStepPoint(closure));
        }
        return loss;
    }

    /** f(v_k): the closure with every parameter temporarily set to its gradient-step point (state "previous"). */
    private double atGradientStepPoint(LossClosure closure) {
        java.util.List<NdArray> saved = new java.util.ArrayList<>();
        try {
            for (Group<Hyper> g : groups()) {
                for (int i = 0; i < g.params().size(); i++) {
                    NdArray w = g.params().get(i).param();
                    saved.add(w.copy());
                    NdArray previous = g.state(i, NagState.PREVIOUS);
                    if (previous != null) { // null while the parameter has never had a gradient: v = w
                        w.copyFrom(previous);
                    }
                }
            }
            return closure.evaluate();
        } finally {
            int j = 0;
            for (Group<Hyper> g : groups()) {
                for (int i = 0; i < g.params().size() && j < saved.size(); i++, j++) {
                    g.params().get(i).param().copyFrom(saved.get(j));
                    saved.get(j).close();
                }
            }
        }
    }

    @Override
    protected RestartPolicy restartPolicy() {
        return restart;
    }

    @Override
    protected double weightDecay(Hyper h) {
        return h.weightDecay();
    }

    /**
     * The current momentum counter m (1 right after a restart).
     *
     * @return the counter m; &ge; 1
     */
    public long counter() {
        return restart.counter();
    }

    /**
     * Number of restarts so far.
     *
     * @return the restart count; &ge; 0
     */
    public long restarts() {
        return restart.restarts();
    }
}
