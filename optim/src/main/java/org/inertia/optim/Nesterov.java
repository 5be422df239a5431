package org.inertia.optim;

import java.util.List;

import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;
import org.inertia.optim.kernel.VelocityState;
import org.inertia.optim.momentum.MomentumSchedule;

/**
 * Nesterov momentum in Sutskever's look-ahead form (Sutskever, Martens, Dahl, Hinton 2013):
 * v_k = μ_k v_{k−1} − s ∇f(w_{k−1} + μ_k v_{k−1}); w_k = w_{k−1} + v_k (v_0 = 0; the notes write the
 * same with v of the opposite sign).
 *
 * <p>How the look-ahead gradient is obtained: the parameter buffer holds the look-ahead point
 * θ_k = w_k + μ_{k+1} v_k instead of w_k. The caller simply evaluates the gradient at the parameter as
 * usual, which is ∇f(w + μ v), and the step moves θ to the next look-ahead point:
 * θ ← θ − μ_k v + (1 + μ_{k+1}) v'. Before the first step θ_0 = w_0 (v_0 = 0). The actual iterate is
 * w = θ − μ_{k+1} v, available from {@link #iterate(int, int, NdArray)}. With a momentum schedule μ_{k+1}
 * comes from the schedule, so the parametrisation is exact for varying μ. PyTorch's {@code nesterov=True}
 * ({@link Sgd}) is the analogous reparametrisation with lr outside the buffer and b_1 = g_1. Parts: a
 * {@code LOOK_AHEAD} trace with lr inside, the schedule read one step ahead ({@link MomentumSchedule#next()}).
 */
public final class Nesterov extends Optimizer<Nesterov.Hyper> {

    /**
     * Validated hyperparameters.
     *
     * @param lr          the step size s, finite and ≥ 0
     * @param momentum    μ in [0, 1) (replaced by a group momentum schedule, if set)
     * @param weightDecay L2 penalty wd added to the gradient, finite and ≥ 0
     */
    public record Hyper(double lr, double momentum, double weightDecay) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above
         */
        public Hyper {
            Checks.nonNegative("lr", lr);
            Checks.unit("momentum", momentum);
            Checks.nonNegative("weightDecay", weightDecay);
        }

        /**
         * Hyperparameters without weight decay.
         *
         * @param lr       the step size s, finite and ≥ 0
         * @param momentum μ in [0, 1)
         * @throws IllegalArgumentException if a value is out of range
         */
        public Hyper(double lr, double momentum) {
            this(lr, momentum, 0);
        }
    }

    /** Sutskever's Nesterov momentum with no groups yet, on the default backend ({@code Backends.get()}). */
    public Nesterov() {
        this(null);
    }

    /**
     * Sutskever's Nesterov momentum with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public Nesterov(Backend backend) {
        super("nesterov", backend);
    }

    @Override
    protected StateLayout<VelocityState> stateLayout(Group<Hyper> g) {
        return VelocityState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        MomentumSchedule mu = c -> g.momentum(c, h.momentum());
        return new StepHyper.Nesterov(g.lr(k), mu.at(k), mu.next().at(k), h.weightDecay());
    }

    @Override
    protected void apply(StepHyper h, Params p, StepState st, boolean fresh, int slot) {
        OptimizerSteps.nesterov((StepHyper.Nesterov) h, p.param(), p.grad(), (VelocityState) st);
    }

    /**
     * Writes the true iterate w = θ − μ_{k+1} v of parameter i of group gi into {@code out} (same shape);
     * before the first step that is θ itself.
     *
     * @param gi  the group index, in [0, groups().size())
     * @param i   the parameter index within the group, in [0, size of its params())
     * @param out receives w: a floating-point array of the parameter's shape (any strides)
     * @throws NullPointerException if out is null
     * @throws IllegalArgumentException if out's shape differs from the parameter's, or out is not F32/F64
     * @throws IndexOutOfBoundsException if gi or i is out of range
     */
    public void iterate(int gi, int i, NdArray out) {
        java.util.Objects.requireNonNull(out, "out");
        List<Group<Hyper>> gs = groups();
        if (gi < 0 || gi >= gs.size()) {
            throw new IndexOutOfBoundsException("group " + gi + " does not exist: " + method() + " has " + gs.size()
                    + " group(s)");
        }
        Group<Hyper> g = gs.get(gi);
        if (i < 0 || i >= g.params().size()) {
            throw new IndexOutOfBoundsException("parameter " + i + " does not exist: group " + gi + " has "
                    + g.params().size() + " parameter(s)");
        }
        NdArray theta = g.params().get(i).param();
        if (!out.shape().equals(theta.shape())) {
            throw new IllegalArgumentException("out must have the shape of parameter " + i + " of group " + gi + ", "
                    + theta.shape() + ", got " + out.shape());
        }
        if (!out.dtype().isFloating()) {
            throw new IllegalArgumentException("out must be F32 or F64, got " + out.dtype());
        }
        NdArray v = g.state(i, VelocityState.VELOCITY);
        double mu = g.momentum(steps() + 1, g.hyper().momentum());
        long n = theta.numel();
        for (long e = 0; e < n; e++) {
            double t = theta.getAt(e);
            out.setAt(e, v == null ? t : t - mu * v.getAt(e));
        }
    }
}
