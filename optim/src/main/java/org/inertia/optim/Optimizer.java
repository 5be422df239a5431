package org.inertia.optim;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.inertia.kernels.Backend;
import org.inertia.kernels.Backends;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.OptimizerSteps;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepHyper;
import org.inertia.optim.kernel.StepState;

/**
 * The common machinery of every optimizer: parameter groups with their own hyperparameters and
 * optional learning-rate / momentum {@link Schedule}s, lazily allocated per-parameter state buffers,
 * the step counter, {@link #zeroGrad()}, gradient clipping, and exact state export / import.
 *
 * <p>A step computes each group's per-step scalars once ({@link StepHyper}: schedules evaluated, bias
 * corrections hoisted, in double) and then makes one fused {@link OptimizerSteps} call per (param, grad)
 * pair with the pair's state record ({@link StepState}; which buffers exist is the method's
 * {@link StateLayout}). Give a group a
 * {@link FlatParameters} and that is one call for the whole group, whatever the number of parameters.
 *
 * <p>Steps are numbered k = 1, 2, …; {@link #steps()} is the number taken. Schedules are evaluated at
 * t = k − 1. Step counters follow PyTorch: besides the optimizer's clock each group has its own
 * ({@link Group#steps()}, from when it was added) and each parameter its own ({@link Group#steps(int)}, the
 * steps at which it had a gradient), and bias corrections use the parameter's. Inertia's (param, grad)
 * pairs always own a gradient buffer (a zero gradient is a gradient, as after PyTorch's
 * {@code zero_grad(set_to_none=False)}); a parameter without a gradient (PyTorch's {@code p.grad is None})
 * is named per step by the predicate of {@link #step(LossClosure, java.util.function.Predicate)}, and that
 * step skips it entirely: no state update, no counter increment. NaN or Inf in a gradient is not filtered: it propagates into that element's parameter and
 * state exactly as the update equation says (PyTorch's behaviour); clip or check gradients first if
 * that is not wanted.
 *
 * @param <H> the method's hyperparameter record
 */
public abstract class Optimizer<H extends Optimizer.Hyper> implements AutoCloseable {

    /** Hyperparameters of one group; every method's record has a learning rate. */
    public interface Hyper {
        /**
         * The base learning rate, used when no schedule is set.
         *
         * @return the learning rate; &gt; 0
         */
        double lr();
    }

    /**
     * A parameter group: its parameters, hyperparameters, optional schedules and per-parameter state.
     *
     * @param <H> the method's hyperparameter record
     */
    public static final class Group<H extends Hyper> {
        private final List<Params> params;
        private final List<Map<String, NdArray>> state = new ArrayList<>();
        private H hyper;
        private Schedule lrSchedule;
        private Schedule momentumSchedule;
        private long steps;
        private final long[] paramSteps;

        private Group(H hyper, List<Params> params) {
            this.hyper = hyper;
            this.params = List.copyOf(params);
            this.paramSteps = new long[params.size()];
            for (int i = 0; i < params.size(); i++) {
                state.add(new LinkedHashMap<>());
            }
        }

        /**
         * The group's hyperparameters.
         *
         * @return the current hyperparameter record
         */
        public H hyper() {
            return hyper;
        }

        /**
         * Replaces the hyperparameters from the next step on (records validate on construction).
         *
         * @param hyper the new hyperparameters; not null
         * @return this group
         * @throws NullPointerException if {@code hyper} is null
         */
        public Group<H> setHyper(H hyper) {
            this.hyper = java.util.Objects.requireNonNull(hyper, "hyper");
            return this;
        }

        /**
         * The group's (param, grad) pairs, in the order they were added.
         *
         * @return the pairs, unmodifiable
         */
        public List<Params> params() {
            return params;
        }

        /**
         * The group's clock: the optimizer steps taken since the group was added. A group added after the
         * optimizer has stepped starts at 0; while a step runs, {@code steps() + 1} is the step being taken.
         * Every parameter keeps its own counter ({@link #steps(int)}, PyTorch's {@code state[p]["step"]}),
         * which equals this clock unless the parameter had no gradient at some steps (see
         * {@link Optimizer#step(LossClosure, java.util.function.Predicate)}). Learning-rate and momentum
         * schedules keep the optimizer's clock ({@link Optimizer#steps()}); the schedule-free methods'
         * warm-up, averaging weights and bias correction keep this one (the reference implementation's
         * per-group {@code k}).
         *
         * @return the number of steps this group has been stepped; &ge; 0
         */
        public long steps() {
            return steps;
        }

        /**
         * Steps parameter i has taken: PyTorch's per-parameter {@code state[p]["step"]}, the count its bias
         * corrections (Adam, NAdam, RAdam, …) and AdaGrad's learning-rate decay use. It starts at 0 and grows
         * by one at each step at which the parameter has a gradient; a step that skips it for want of a
         * gradient leaves it (and the parameter's state) unchanged, so it is at most {@link #steps()}.
         *
         * @param i the parameter's index in this group
         * @return the number of steps parameter i has taken; in [0, {@link #steps()}]
         * @throws IndexOutOfBoundsException if there is no parameter {@code i}
         */
        public long steps(int i) {
            java.util.Objects.checkIndex(i, paramSteps.length);
            return paramSteps[i];
        }

        /**
         * Learning rate at step k = schedule.at(k − 1); null to use {@code hyper().lr()}.
         *
         * @param s the learning-rate schedule, or null for the hyperparameter
         * @return this group
         */
        public Group<H> lrSchedule(Schedule s) {
            this.lrSchedule = s;
            return this;
        }

        /**
         * Momentum at step k = schedule.at(k − 1), for methods with a momentum; null for the hyperparameter.
         *
         * @param s the momentum schedule, or null for the hyperparameter
         * @return this group
         */
        public Group<H> momentumSchedule(Schedule s) {
            this.momentumSchedule = s;
            return this;
        }

        /**
         * Whether a learning-rate schedule is set.
         *
         * @return true if {@link #lrSchedule(Schedule)} set a non-null schedule
         */
        public boolean hasLrSchedule() {
            return lrSchedule != null;
        }

        /**
         * Whether a momentum schedule is set.
         *
         * @return true if {@link #momentumSchedule(Schedule)} set a non-null schedule
         */
        public boolean hasMomentumSchedule() {
            return momentumSchedule != null;
        }

        /**
         * The learning rate used at step k.
         *
         * @param k the step, counted from 1
         * @return the schedule's value at {@code k − 1}, or the hyperparameter without a schedule
         */
        public double lr(long k) {
            return lrSchedule != null ? lrSchedule.at(k - 1) : hyper.lr();
        }

        /**
         * The momentum used at step k: the schedule's value, else {@code fallback} (the hyperparameter).
         *
         * @param k the step, counted from 1
         * @param fallback the momentum to use without a schedule
         * @return the momentum for step {@code k}
         */
        public double momentum(long k, double fallback) {
            return momentumSchedule != null ? momentumSchedule.at(k - 1) : fallback;
        }

        /**
         * State buffer {@code name} of parameter i (null before the first step); a live view.
         *
         * @param i the parameter's index in this group
         * @param name the buffer's state-dict key, e.g. {@code "exp_avg"}
         * @return the buffer, or null if it does not exist (yet)
         * @throws IndexOutOfBoundsException if there is no parameter {@code i}
         */
        public NdArray state(int i, String name) {
            return state.get(i).get(name);
        }

        /**
         * Every state buffer of parameter i by name (empty before the first step): live, unmodifiable.
         *
         * @param i the parameter's index in this group
         * @return the buffers by state-dict key
         * @throws IndexOutOfBoundsException if there is no parameter {@code i}
         */
        public Map<String, NdArray> stateBuffers(int i) {
            return java.util.Collections.unmodifiableMap(state.get(i));
        }
    }

    /** The compute backend the updates run on. */
    protected final Backend backend;
    private final String method;
    private final List<Group<H>> groups = new ArrayList<>();
    private long steps;
    private boolean closed;

    /**
     * Creates an optimizer with no groups.
     *
     * @param method the method's name, as {@link #method()} and state dicts report it
     * @param backend the compute backend; null for {@link Backends#get()}
     */
    protected Optimizer(String method, Backend backend) {
        this.method = method;
        this.backend = backend == null ? Backends.get() : backend;
    }

    /**
     * Adds a group of (param, grad) pairs with its hyperparameters.
     *
     * @param hyper the group's hyperparameters
     * @param params the group's (param, grad) pairs; at least one
     * @return the new group
     * @throws NullPointerException if {@code hyper}, {@code params} or one of its elements is null
     * @throws IllegalArgumentException if {@code params} is empty, or a parameter shares memory with
     *         another one of this or an existing group
     * @throws IllegalStateException if the optimizer is closed
     */
    public Group<H> addGroup(H hyper, List<Params> params) {
        ensureOpen();
        java.util.Objects.requireNonNull(hyper, "hyper");
        java.util.Objects.requireNonNull(params, "params");
        if (params.isEmpty()) {
            throw new IllegalArgumentException("a parameter group needs at least one parameter");
        }
        for (int i = 0; i < params.size(); i++) {
            Params p = java.util.Objects.requireNonNull(params.get(i), "params[" + i + "]");
            for (int j = 0; j < i; j++) {
                requireDistinct(p, "parameter " + i + " of the new group", params.get(j), "parameter " + j + " of the new group");
            }
            for (int gi = 0; gi < groups.size(); gi++) {
                List<Params> other = groups.get(gi).params;
                for (int j = 0; j < other.size(); j++) {
                    requireDistinct(p, "parameter " + i + " of the new group", other.get(j), "parameter " + j + " of group " + gi);
                }
            }
        }
        Group<H> g = new Group<>(hyper, params);
        groups.add(g);
        return g;
    }

    /** A parameter may be updated by one group only (PyTorch refuses duplicates too); contiguous ranges. */
    private static void requireDistinct(Params a, String nameA, Params b, String nameB) {
        NdArray x = a.param();
        NdArray y = b.param();
        if (x.storage() == y.storage() && x.numel() > 0 && y.numel() > 0
                && x.offset() < y.offset() + y.numel() && y.offset() < x.offset() + x.numel()) {
            throw new IllegalArgumentException(nameA + " " + x.shape() + " shares memory with " + nameB + " " + y.shape()
                    + ": each parameter may appear in one group, once");
        }
    }

    /**
     * Adds a group of (param, grad) pairs with its hyperparameters.
     *
     * @param hyper the group's hyperparameters
     * @param params the group's (param, grad) pairs; at least one
     * @return the new group
     * @throws NullPointerException if {@code hyper} or a pair is null
     * @throws IllegalArgumentException as {@link #addGroup(Hyper, List)}
     */
    public Group<H> addGroup(H hyper, Params... params) {
        return addGroup(hyper, List.of(params));
    }

    /**
     * Adds every parameter of {@code source} (an nn {@code Module}, say) as one group with its
     * hyperparameters: {@code optimizer.addGroup(hyper, model)}.
     *
     * @param hyper the group's hyperparameters
     * @param source what supplies the parameters
     * @return the new group
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if it has no parameters, or one is already in a group
     */
    public Group<H> addGroup(H hyper, ParameterSource source) {
        java.util.Objects.requireNonNull(source, "source");
        return addGroup(hyper, source.optimizerParams());
    }

    /**
     * Adds all of {@code flat}'s parameters as one group: one fused call per step.
     *
     * @param hyper the group's hyperparameters
     * @param flat the flattened parameters
     * @return the new group
     */
    public Group<H> addGroup(H hyper, FlatParameters flat) {
        return addGroup(hyper, List.of(flat.all()));
    }

    /**
     * The parameter groups, in the order they were added.
     *
     * @return a copy of the group list (the groups themselves are live)
     */
    public List<Group<H>> groups() {
        return List.copyOf(groups);
    }

    /**
     * The first group (the common single-group case).
     *
     * @return group 0
     * @throws java.util.NoSuchElementException if there is no group yet
     */
    public Group<H> group() {
        return groups.getFirst();
    }

    /**
     * The learning rate the next {@link #step()} will use in the first group: its schedule's value at the
     * next step, or its hyperparameter (for logging, as PyTorch's {@code scheduler.get_last_lr()}).
     *
     * @return the first group's learning rate for the next step
     * @throws IllegalStateException if the optimizer has no group yet
     */
    public double currentLr() {
        return currentLr(0);
    }

    /**
     * The learning rate the next {@link #step()} will use in group {@code group}.
     *
     * @param group the group's index
     * @return that group's learning rate for the next step
     * @throws IllegalStateException if the optimizer has no group yet
     * @throws IndexOutOfBoundsException if there is no group {@code group}
     */
    public double currentLr(int group) {
        if (groups.isEmpty()) {
            throw new IllegalStateException(method + " has no parameter groups yet: add one with addGroup");
        }
        if (group < 0 || group >= groups.size()) {
            throw new IndexOutOfBoundsException("group " + group + " does not exist: " + method + " has "
                    + groups.size() + " group(s)");
        }
        return groups.get(group).lr(steps + 1);
    }

    /**
     * The method's name, e.g. {@code "adam"}.
     *
     * @return the name state dicts are tagged with
     */
    public String method() {
        return method;
    }

    /**
     * Number of steps taken.
     *
     * @return the optimizer's step count; &ge; 0
     */
    public long steps() {
        return steps;
    }

    /** One step with the gradients already in the grad buffers. */
    public void step() {
        step(null);
    }

    /**
     * Calls {@code closure} (which fills the gradients and returns the loss at the current parameters),
     * then steps. Returns the loss, or NaN without a closure. Every parameter has a gradient: the same as
     * {@code step(closure, null)}.
     *
     * @param closure computes the gradients and returns the loss; null to use the gradients as they are
     * @return the closure's loss, or NaN without a closure
     * @throws IllegalStateException if the optimizer is closed or has no group, or the method needs
     *         the objective and {@code closure} is null
     */
    public double step(LossClosure closure) {
        return step(closure, null);
    }

    /**
     * Calls {@code closure}, then steps every parameter for which {@code hasGradient} is true and skips
     * the others, as PyTorch skips a parameter whose {@code grad} is None: a skipped parameter, its state
     * and its step counter ({@link Group#steps(int)}) are left as they are, and its state is first
     * allocated at the first step at which it has a gradient. The optimizer's and the groups' clocks
     * advance whether or not any parameter had a gradient. The predicate is asked once per pair and
     * step, after the closure ran. A group given a {@link FlatParameters} is one pair: it has a gradient
     * or not as a whole.
     *
     * @param closure computes the gradients and returns the loss; null to use the gradients as they are
     * @param hasGradient whether a (param, grad) pair has a gradient at this step; null: every pair has
     * @return the closure's loss, or NaN without a closure
     * @throws IllegalStateException if the optimizer is closed or has no group, or the method needs
     *         the objective and {@code closure} is null
     */
    public double step(LossClosure closure, java.util.function.Predicate<Params> hasGradient) {
        ensureOpen();
        if (groups.isEmpty()) {
            throw new IllegalStateException(method + " has no parameter groups");
        }
        double loss = Double.NaN;
        if (closure != null) {
            loss = closure.evaluate();
        } else if (needsClosure()) {
            throw new IllegalStateException(method + " needs the objective: call step(closure)");
        }
        List<boolean[]> present = new ArrayList<>();
        for (Group<H> g : groups) {
            boolean[] has = new boolean[g.params.size()];
            for (int i = 0; i < has.length; i++) {
                has[i] = hasGradient == null || hasGradient.test(g.params.get(i));
            }
            present.add(has);
        }
        long k = steps + 1;
        beforeStep(k, loss);
        int slot = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group<H> g = groups.get(gi);
            boolean[] has = present.get(gi);
            StepHyper groupStep = stepHyper(g, k);
            Map<Long, StepHyper> ownSteps = new java.util.HashMap<>();
            for (int i = 0; i < g.params.size(); i++, slot++) {
                if (!has[i]) {
                    continue;
                }
                long t = g.paramSteps[i] + 1;
                StepHyper sh = t == g.steps + 1 ? groupStep
                        : ownSteps.computeIfAbsent(t, own -> stepHyper(g, k, own, groupStep));
                Params p = g.params.get(i);
                StateLayout<?> layout = stateLayout(g, i);
                Map<String, NdArray> st = g.state.get(i);
                boolean fresh = false;
                for (String key : layout.keys()) {
                    if (!st.containsKey(key)) {
                        NdArray b = NdArray.zeros(p.param().dtype(), p.param().shape());
                        initState(key, b, p, g.hyper);
                        st.put(key, b);
                        fresh = true;
                    }
                }
                apply(sh, p, layout.bind(st), fresh, slot);
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            Group<H> g = groups.get(gi);
            boolean[] has = present.get(gi);
            for (int i = 0; i < has.length; i++) {
                if (has[i]) {
                    g.paramSteps[i]++;
                }
            }
            g.steps++;
        }
        steps = k;
        afterStep(k);
        return loss;
    }

    /**
     * Whether {@link #step()} without the objective is an error (adaptive restart).
     *
     * @return true if every step needs a {@link LossClosure}; false unless overridden
     */
    protected boolean needsClosure() {
        return false;
    }

    /**
     * Called at the start of step k with the closure's loss (NaN without one).
     *
     * @param k the step about to be taken, counted from 1
     * @param loss the closure's loss at the current parameters, or NaN
     */
    protected void beforeStep(long k, double loss) {
    }

    /**
     * Called when step k is done ({@link #steps()} is k).
     *
     * @param k the step just taken, counted from 1
     */
    protected void afterStep(long k) {
    }

    /**
     * The per-parameter state buffers group g's settings use: their state-dict keys and the method's
     * state record (the state record's {@code layout} method, the one place that decides them).
     *
     * @param g the group
     * @return the layout of each of its parameters' state
     */
    protected abstract StateLayout<?> stateLayout(Group<H> g);

    /**
     * The state layout of parameter i of group g: {@link #stateLayout(Group)} unless a method keeps
     * different buffers for different parameters (Muon: a momentum buffer for matrices, Adam's moments for
     * the rest).
     *
     * @param g the group
     * @param i the parameter's index in {@code g}
     * @return the layout of that parameter's state
     */
    protected StateLayout<?> stateLayout(Group<H> g, int i) {
        return stateLayout(g);
    }

    /**
     * Initial value of a freshly allocated (zero-filled) state buffer {@code key}; zeros unless overridden.
     *
     * @param key the buffer's state-dict key
     * @param buffer the zero-filled buffer, shaped as the parameter; filled in place
     * @param p the (param, grad) pair the buffer belongs to
     * @param hyper the group's hyperparameters
     */
    protected void initState(String key, NdArray buffer, Params p, H hyper) {
    }

    /**
     * The per-step scalars of group g at step k (schedules evaluated, constants hoisted), for the
     * parameters whose own step is the group's ({@code g.steps() + 1}, the usual case: those with a
     * gradient at every step since the group was added). Called once per group and step, whether or not
     * any parameter has a gradient, so group-level counters (schedule-free averaging) may advance here.
     *
     * @param g the group
     * @param k the step being taken, counted from 1
     * @return the scalars {@link #apply} reads
     */
    protected abstract StepHyper stepHyper(Group<H> g, long k);

    /**
     * The per-step scalars for the parameters of group g whose own step t (their counter + 1,
     * {@link Group#steps(int)}) is not the group's: {@code groupStep} unless the method's update depends on
     * the parameter's step (bias corrections, AdaGrad's decay), which then override this. Called after
     * {@link #stepHyper(Group, long)}, once per distinct t at a step, only for parameters that lag behind
     * the group's clock because they had no gradient at some steps.
     *
     * @param g the group
     * @param k the step being taken, counted from 1
     * @param t the parameters' own step, in [1, {@code g.steps()}]
     * @param groupStep what {@link #stepHyper(Group, long)} returned for this group and step
     * @return the scalars {@link #apply} reads for those parameters
     */
    protected StepHyper stepHyper(Group<H> g, long k, long t, StepHyper groupStep) {
        return groupStep;
    }

    /**
     * The fused update of one (param, grad) pair: one {@link OptimizerSteps} call with {@code state}, the
     * record {@link #stateLayout} binds. {@code fresh}: its state was allocated in this step; {@code slot}:
     * the pair's index over all groups (used to give samplers distinct noise streams).
     *
     * @param h the group's per-step scalars from {@link #stepHyper}
     * @param p the (param, grad) pair, updated in place
     * @param state the pair's state buffers, bound to the method's state record
     * @param fresh whether the state was allocated in this step
     * @param slot the pair's index over all groups; &ge; 0
     */
    protected abstract void apply(StepHyper h, Params p, StepState state, boolean fresh, int slot);

    /**
     * The method's scalar counters besides the step count (restart counters, last loss, …), a copy.
     *
     * @return the counters by name, including {@code step.<group>} for groups with their own count and
     *         {@code step.<group>.<param>} for parameters with their own count
     */
    public Map<String, Double> scalarState() {
        return Map.copyOf(allScalars());
    }

    /**
     * Prefix of the step counts in {@link #scalarState()}: {@code step.<group>} for a group's clock,
     * {@code step.<group>.<param>} for a parameter's own counter.
     */
    public static final String GROUP_STEP = "step.";

    /**
     * The method's scalars plus {@code step.<group>} for every group whose clock differs from the
     * optimizer's (a group added later) and {@code step.<group>.<param>} for every parameter whose counter
     * differs from its group's clock (it had no gradient at some steps). A group without the key has taken
     * {@link #steps()} steps and a parameter without one its group's, so checkpoints written before
     * per-group or per-parameter counters existed load unchanged, and the usual checkpoint (every
     * parameter stepped every time) has no counter key at all.
     */
    private Map<String, Double> allScalars() {
        Map<String, Double> out = new LinkedHashMap<>(scalars());
        for (int gi = 0; gi < groups.size(); gi++) {
            Group<H> g = groups.get(gi);
            if (g.steps != steps) {
                out.put(GROUP_STEP + gi, (double) g.steps);
            }
            for (int i = 0; i < g.paramSteps.length; i++) {
                if (g.paramSteps[i] != g.steps) {
                    out.put(GROUP_STEP + gi + "." + i, (double) g.paramSteps[i]);
                }
            }
        }
        return out;
    }

    /** {group} or {group, param} of a step-counter key, null if {@code key} is not one (or out of int range). */
    private static int[] counterKey(String key) {
        if (!key.startsWith(GROUP_STEP)) {
            return null;
        }
        String[] parts = key.substring(GROUP_STEP.length()).split("\\.", -1);
        if (parts.length > 2) {
            return null;
        }
        int[] out = new int[parts.length];
        for (int j = 0; j < parts.length; j++) {
            if (parts[j].isEmpty() || parts[j].length() > 9 || !parts[j].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            out[j] = Integer.parseInt(parts[j]);
        }
        return out;
    }

    /**
     * Scalar counters to export besides the step count; none unless overridden.
     *
     * @return the counters by name
     */
    protected Map<String, Double> scalars() {
        return Map.of();
    }

    /**
     * Restores what {@link #scalars()} exported.
     *
     * @param scalars the counters by name, as {@link #scalars()} returned them
     */
    protected void loadScalars(Map<String, Double> scalars) {
    }

    // ------------------------------------------------------------------ gradients

    /** Sets every gradient to +0 (bit pattern zero, so earlier NaNs are cleared too). */
    public void zeroGrad() {
        for (Group<H> g : groups) {
            for (Params p : g.params) {
                NdArray a = p.grad();
                long bytes = a.numel() * a.dtype().byteSize();
                MemorySegment s = a.segment().asSlice(a.offset() * a.dtype().byteSize(), bytes);
                s.fill((byte) 0);
            }
        }
    }

    /**
     * Clips all gradients together by their global norm (PyTorch {@code clip_grad_norm_}); returns the norm.
     *
     * @param maxNorm the largest allowed global L2 norm; &gt; 0
     * @return the global norm before clipping
     */
    public double clipGradNorm(double maxNorm) {
        return backend.gradClip().clipGradNorm(maxNorm, allGrads());
    }

    /**
     * Clamps every gradient element to [−clip, clip].
     *
     * @param clip the largest allowed magnitude; &ge; 0
     */
    public void clipGradValue(double clip) {
        for (NdArray g : allGrads()) {
            backend.gradClip().clampValue(g, clip);
        }
    }

    private NdArray[] allGrads() {
        List<NdArray> out = new ArrayList<>();
        for (Group<H> g : groups) {
            for (Params p : g.params) {
                out.add(p.grad());
            }
        }
        return out.toArray(NdArray[]::new);
    }

    // ------------------------------------------------------------------ state

    /**
     * A detached copy of the complete state (see {@link StateDict}).
     *
     * @return the step count, hyperparameters, state buffers (copied) and scalar counters
     */
    public StateDict stateDict() {
        List<Object> hypers = new ArrayList<>();
        List<List<Map<String, NdArray>>> buffers = new ArrayList<>();
        for (Group<H> g : groups) {
            hypers.add(g.hyper);
            List<Map<String, NdArray>> gb = new ArrayList<>();
            for (Map<String, NdArray> st : g.state) {
                Map<String, NdArray> copy = new LinkedHashMap<>();
                st.forEach((name, a) -> copy.put(name, a.copy()));
                gb.add(copy);
            }
            buffers.add(gb);
        }
        return new StateDict(method, steps, hypers, buffers, Map.copyOf(allScalars()));
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first reason {@code sd} cannot be loaded into
     * this optimizer, and changes nothing: another method, another number of groups or of parameters
     * in a group, another hyperparameter record type, a state buffer whose dtype or shape differs from
     * its parameter's, a buffer name the method does not use with the dict's hyperparameters, or scalar
     * counters other than the method's.
     *
     * @param sd the state dict to check
     * @throws NullPointerException if {@code sd} is null
     * @throws IllegalArgumentException if {@code sd} cannot be loaded
     */
    public void checkStateDict(StateDict sd) {
        java.util.Objects.requireNonNull(sd, "stateDict");
        if (!sd.method().equals(method)) {
            throw new IllegalArgumentException("state of " + sd.method() + " cannot be loaded into " + method);
        }
        if (sd.steps() < 0) {
            throw new IllegalArgumentException("state has a negative step count " + sd.steps());
        }
        if (sd.hypers().size() != groups.size() || sd.buffers().size() != groups.size()) {
            throw new IllegalArgumentException("state has " + sd.hypers().size() + " groups, optimizer has " + groups.size());
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            Group<H> g = groups.get(gi);
            List<Map<String, NdArray>> gb = sd.buffers().get(gi);
            if (gb.size() != g.params.size()) {
                throw new IllegalArgumentException("group " + gi + " has " + gb.size() + " parameters in the state, "
                        + g.params.size() + " in the optimizer");
            }
            Object hyper = sd.hypers().get(gi);
            if (hyper == null || g.hyper.getClass() != hyper.getClass()) {
                throw new IllegalArgumentException("group " + gi + " hyperparameters are "
                        + (hyper == null ? "null" : hyper.getClass().getName()) + ", expected " + g.hyper.getClass().getName());
            }
            for (int i = 0; i < gb.size(); i++) {
                List<String> names = stateKeysWith(g, g.hyper.getClass().cast(hyper), i);
                Params p = g.params.get(i);
                for (var e : gb.get(i).entrySet()) {
                    if (!names.contains(e.getKey())) {
                        throw new IllegalArgumentException("state buffer " + e.getKey() + " of group " + gi + " parameter "
                                + i + " is not one " + method + " uses with these hyperparameters " + names);
                    }
                    NdArray a = e.getValue();
                    if (a == null || !a.isOpen()) {
                        throw new IllegalArgumentException("state " + e.getKey() + " of group " + gi + " parameter " + i
                                + " is " + (a == null ? "null" : "closed"));
                    }
                    if (!a.shape().equals(p.param().shape()) || a.dtype() != p.param().dtype()) {
                        throw new IllegalArgumentException("state " + e.getKey() + " of group " + gi + " parameter " + i
                                + " is " + a.dtype() + " " + a.shape() + " but the parameter is "
                                + p.param().dtype() + " " + p.param().shape());
                    }
                }
            }
        }
        java.util.Set<String> methodKeys = new java.util.TreeSet<>();
        long[] clocks = new long[groups.size()];
        java.util.Arrays.fill(clocks, sd.steps());
        for (var e : sd.scalars().entrySet()) {
            int[] key = counterKey(e.getKey());
            if (key == null) {
                methodKeys.add(e.getKey());
                continue;
            }
            if (key[0] >= groups.size()) {
                throw new IllegalArgumentException("state has counter " + e.getKey() + " for a group that does not exist: "
                        + method + " has " + groups.size() + " group(s)");
            }
            if (key.length == 2 && key[1] >= groups.get(key[0]).params.size()) {
                throw new IllegalArgumentException("state has counter " + e.getKey() + " for a parameter that does not"
                        + " exist: group " + key[0] + " has " + groups.get(key[0]).params.size() + " parameter(s)");
            }
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            if (!(v >= 0 && v <= sd.steps() && v == Math.rint(v))) {
                throw new IllegalArgumentException("state counter " + e.getKey() + " must be a whole number in [0, "
                        + sd.steps() + "], got " + v);
            }
            if (key.length == 1) {
                clocks[key[0]] = (long) v;
            }
        }
        for (var e : sd.scalars().entrySet()) {
            int[] key = counterKey(e.getKey());
            if (key != null && key.length == 2 && e.getValue() > clocks[key[0]]) {
                throw new IllegalArgumentException("state counter " + e.getKey() + " is " + e.getValue()
                        + ", more than its group's " + clocks[key[0]] + " steps");
            }
        }
        if (!methodKeys.equals(new java.util.TreeSet<>(scalars().keySet()))) {
            throw new IllegalArgumentException("state has scalar counters " + methodKeys
                    + ", " + method + " keeps " + new java.util.TreeSet<>(scalars().keySet()));
        }
    }

    /** The state keys parameter i of group g would use with {@code hyper} (the group's own untouched). */
    @SuppressWarnings("unchecked")
    private List<String> stateKeysWith(Group<H> g, Object hyper, int i) {
        H saved = g.hyper;
        try {
            g.hyper = (H) hyper;
            return stateLayout(g, i).keys();
        } finally {
            g.hyper = saved;
        }
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimizer of the same method over parameters of the
     * same group structure and shapes. The dict is copied, not adopted. All or nothing: it is checked
     * first ({@link #checkStateDict}) and every buffer copied before the old state is replaced, so on any
     * failure the optimizer is unchanged.
     *
     * @param sd the state dict to restore
     * @throws NullPointerException if {@code sd} is null
     * @throws IllegalArgumentException if {@code sd} cannot be loaded ({@link #checkStateDict})
     * @throws IllegalStateException if the optimizer is closed
     */
    @SuppressWarnings("unchecked")
    public void loadStateDict(StateDict sd) {
        ensureOpen();
        checkStateDict(sd);
        List<List<Map<String, NdArray>>> copies = new ArrayList<>();
        boolean ok = false;
        try {
            for (List<Map<String, NdArray>> gb : sd.buffers()) {
                List<Map<String, NdArray>> gc = new ArrayList<>();
                copies.add(gc);
                for (Map<String, NdArray> st : gb) {
                    Map<String, NdArray> c = new LinkedHashMap<>();
                    gc.add(c);
                    for (var e : st.entrySet()) {
                        c.put(e.getKey(), e.getValue().copy());
                    }
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                copies.forEach(gc -> gc.forEach(c -> c.values().forEach(NdArray::close)));
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            Group<H> g = groups.get(gi);
            g.hyper = (H) sd.hypers().get(gi);
            for (int i = 0; i < g.params.size(); i++) {
                Map<String, NdArray> st = g.state.get(i);
                st.values().forEach(NdArray::close);
                st.clear();
                st.putAll(copies.get(gi).get(i));
            }
        }
        steps = sd.steps();
        Map<String, Double> methodScalars = new LinkedHashMap<>();
        for (Group<H> g : groups) {
            g.steps = steps;
        }
        for (var e : sd.scalars().entrySet()) {
            int[] key = counterKey(e.getKey());
            if (key == null) {
                methodScalars.put(e.getKey(), e.getValue());
            } else if (key.length == 1) {
                groups.get(key[0]).steps = e.getValue().longValue();
            }
        }
        for (Group<H> g : groups) {
            java.util.Arrays.fill(g.paramSteps, g.steps); // a parameter without its own key took its group's steps
        }
        for (var e : sd.scalars().entrySet()) {
            int[] key = counterKey(e.getKey());
            if (key != null && key.length == 2) {
                groups.get(key[0]).paramSteps[key[1]] = e.getValue().longValue();
            }
        }
        loadScalars(methodScalars);
    }

    /**
     * Frees every state buffer (parameters and gradients belong to the caller). Idempotent; a later
     * {@link #step} or {@link #loadStateDict} throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        closed = true;
        for (Group<H> g : groups) {
            for (Map<String, NdArray> st : g.state) {
                st.values().forEach(NdArray::close);
                st.clear();
            }
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(method + " optimizer is closed");
        }
    }
}
