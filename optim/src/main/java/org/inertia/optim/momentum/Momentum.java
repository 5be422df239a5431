package org.inertia.optim.momentum;

import java.util.Map;
import java.util.Objects;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * Momentum composed from parts, in the spirit of optax's {@code chain(trace, scale_by_learning_rate)}: a
 * {@link Trace} (the momentum buffer's recurrence), an {@link UpdateRule} (lr inside or outside the trace),
 * a {@link MomentumSchedule} (μ as a function of the momentum clock) and a {@link RestartPolicy} (which owns
 * the clock and drops the trace). Per element, with d = g + wd·w:
 * <pre>
 *   u   = d                 (LR_OUTSIDE_TRACE)   or  −lr·d   (LR_INSIDE_TRACE)
 *   out = trace(u; μ_clock) (see {@link Trace})
 *   w  ← w − lr·out         (LR_OUTSIDE_TRACE)   or  w + out (LR_INSIDE_TRACE)
 * </pre>
 *
 * <p>This is the unfused path, for new combinations: one scalar double-precision loop per parameter, any
 * dtype, values rounded once when stored. The methods users know are presets over the same parts that
 * dispatch to a fused SIMD kernel, and {@code MomentumCompositionTest} checks each preset against its
 * composition here:
 * <table>
 *   <caption>Presets and their parts</caption>
 *   <tr><th>preset</th><th>trace</th><th>update rule</th><th>schedule</th><th>restart</th></tr>
 *   <tr><td>{@code Sgd} (momentum)</td><td>PLAIN / NESTEROV, b₁ = d</td><td>LR_OUTSIDE</td><td>constant</td><td>never</td></tr>
 *   <tr><td>{@code HeavyBall}</td><td>PLAIN</td><td>LR_INSIDE</td><td>constant</td><td>never</td></tr>
 *   <tr><td>{@code SgdEarlyMomentum}</td><td>PLAIN</td><td>LR_INSIDE</td><td>earlyPhase</td><td>never</td></tr>
 *   <tr><td>{@code Nesterov} (Sutskever)</td><td>LOOK_AHEAD</td><td>LR_INSIDE</td><td>constant, {@code next()}</td><td>never</td></tr>
 *   <tr><td>{@code Nag}</td><td>LOOK_AHEAD</td><td>LR_INSIDE</td><td>nesterovConvex</td><td>never</td></tr>
 *   <tr><td>{@code AdaptiveRestartNag}</td><td>LOOK_AHEAD</td><td>LR_INSIDE</td><td>nesterovConvex</td><td>AdaptiveRestart</td></tr>
 *   <tr><td>{@code ScheduledRestartSgd}</td><td>LOOK_AHEAD</td><td>LR_INSIDE</td><td>nesterovConvex</td><td>ScheduledRestart</td></tr>
 * </table>
 * A group's momentum schedule, if set, replaces the optimizer's schedule for that group (evaluated at the
 * same clock). The restart policy's counters are the exported scalar state.
 */
public final class Momentum extends Optimizer<Momentum.Hyper> {
    private final MomentumSchedule schedule;
    private final RestartPolicy restart;

    /**
     * Validated hyperparameters.
     *
     * @param lr                        learning rate, ≥ 0
     * @param weightDecay               L2 weight decay added to the gradient, ≥ 0
     * @param dampening                 τ in [0, 1]; must be 0 for {@link Trace#LOOK_AHEAD}
     * @param trace                     the trace recurrence
     * @param rule                      where lr sits
     * @param bufferStartsAtFirstInput  PyTorch's {@code buf = clone(d)} on the first step (else b starts at 0);
     *                                  not with {@link Trace#LOOK_AHEAD}
     */
    public record Hyper(double lr, double weightDecay, double dampening, Trace trace, UpdateRule rule,
                        boolean bufferStartsAtFirstInput) implements Optimizer.Hyper {
        /**
         * Validates the hyperparameters.
         *
         * @throws IllegalArgumentException if a value is out of its range above, or a {@link Trace#LOOK_AHEAD}
         *                                  trace has dampening or starts at the first input
         * @throws NullPointerException if {@code trace} or {@code rule} is null
         */
        public Hyper {
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
            }
            if (!(dampening >= 0 && dampening <= 1)) {
                throw new IllegalArgumentException("dampening must be in [0, 1], got " + dampening);
            }
            Objects.requireNonNull(trace, "trace");
            Objects.requireNonNull(rule, "rule");
            if (trace == Trace.LOOK_AHEAD && (dampening != 0 || bufferStartsAtFirstInput)) {
                throw new IllegalArgumentException("a LOOK_AHEAD trace takes no dampening and starts at 0, got dampening "
                        + dampening + ", bufferStartsAtFirstInput " + bufferStartsAtFirstInput);
            }
        }
    }

    /** The per-step scalars of one group: lr and μ at this step's clock. */
    record Step(double lr, double mu, double weightDecay, double dampening, Trace trace, UpdateRule rule,
                boolean bufferStartsAtFirstInput) implements StepHyper {
    }

    /**
     * Momentum with the given parts, on the default backend ({@code Backends.get()}).
     *
     * @param schedule μ as a function of the momentum clock (a group's momentum schedule overrides it)
     * @param restart  the restart policy; stateful, so one instance per optimizer
     * @throws NullPointerException if {@code schedule} or {@code restart} is null
     */
    public Momentum(MomentumSchedule schedule, RestartPolicy restart) {
        this(schedule, restart, null);
    }

    /**
     * Momentum with the given parts; the backend serves gradient clipping.
     *
     * @param schedule μ as a function of the momentum clock (a group's momentum schedule overrides it)
     * @param restart  the restart policy; stateful, so one instance per optimizer
     * @param backend  the backend that runs gradient clipping; null for the default ({@code Backends.get()})
     * @throws NullPointerException if {@code schedule} or {@code restart} is null
     */
    public Momentum(MomentumSchedule schedule, RestartPolicy restart, Backend backend) {
        super("momentum", backend);
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.restart = Objects.requireNonNull(restart, "restart");
    }

    /**
     * The restart policy (its counters).
     *
     * @return the policy given to the constructor, live
     */
    public RestartPolicy restartPolicy() {
        return restart;
    }

    @Override
    protected boolean needsClosure() {
        return restart.needsObjective();
    }

    @Override
    protected void beforeStep(long k, double loss) {
        if (restart.beforeStep(k, loss)) {
            for (Group<Hyper> g : groups()) {
                for (int i = 0; i < g.params().size(); i++) {
                    NdArray t = g.state(i, MomentumState.TRACE);
                    if (t != null) {
                        fill(t, 0);
                    }
                }
            }
        }
    }

    @Override
    protected void afterStep(long k) {
        restart.afterStep(k);
    }

    @Override
    protected StateLayout<MomentumState> stateLayout(Group<Hyper> g) {
        return MomentumState.layout();
    }

    @Override
    protected StepHyper stepHyper(Group<Hyper> g, long k) {
        Hyper h = g.hyper();
        long clock = restart.clock(k);
        double mu = g.momentum(clock, schedule.at(clock));
        return new Step(g.lr(k), mu, h.weightDecay(), h.dampening(), h.trace(), h.rule(), h.bufferStartsAtFirstInput());
    }

    @Override
    protected void apply(StepHyper sh, Params p, StepState st, boolean fresh, int slot) {
        Step h = (Step) sh;
        NdArray w = p.param();
        NdArray g = p.grad();
        NdArray b = ((MomentumState) st).trace();
        Checks.open("trace", b);
        boolean first = fresh && h.bufferStartsAtFirstInput();
        boolean inside = h.rule() == UpdateRule.LR_INSIDE_TRACE;
        double keep = 1 - h.dampening();
        for (long i = 0; i < w.numel(); i++) {
            double wi = w.getAtOffset(w.offset() + i);
            double d = g.getAtOffset(g.offset() + i) + h.weightDecay() * wi;
            double u = inside ? -h.lr() * d : d;
            double bOld = b.getAtOffset(b.offset() + i);
            double out;
            switch (h.trace()) {
                case PLAIN -> {
                    double bi = first ? u : h.mu() * bOld + keep * u;
                    b.setAtOffset(b.offset() + i, bi);
                    out = bi;
                }
                case NESTEROV -> {
                    double bi = first ? u : h.mu() * bOld + keep * u;
                    b.setAtOffset(b.offset() + i, bi);
                    out = u + h.mu() * bi;
                }
                case LOOK_AHEAD -> {
                    double bi = bOld + u; // bOld is the carried μ_prev·b_prev
                    b.setAtOffset(b.offset() + i, h.mu() * bi);
                    out = u + h.mu() * bi;
                }
                default -> throw new IllegalStateException("unknown trace " + h.trace());
            }
            w.setAtOffset(w.offset() + i, inside ? wi + out : wi - h.lr() * out);
        }
    }

    private static void fill(NdArray a, double v) {
        for (long i = 0; i < a.numel(); i++) {
            a.setAtOffset(a.offset() + i, v);
        }
    }

    @Override
    protected Map<String, Double> scalars() {
        return restart.scalars();
    }

    @Override
    protected void loadScalars(Map<String, Double> s) {
        restart.loadScalars(s);
    }
}
