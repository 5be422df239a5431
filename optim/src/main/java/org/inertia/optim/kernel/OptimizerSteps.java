package org.inertia.optim.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.KernelPool;

/**
 * The fused optimizer steps: validates the operands once and runs the implementation that
 * {@link OptimizerStepsProvider} picked for their dtype (SIMD for float32 when available, the scalar
 * double-precision loops otherwise). One pass over memory per step: each call reads the parameter, its
 * gradient and the method's state buffers and writes the parameter and the state. Equations, buffer
 * initialisation and sources are in each {@link StepHyper} record's Javadoc; the per-step scalars
 * arrive there computed once, in double. NaN or Inf in a gradient propagates into that element's
 * parameter and state as the equations say (PyTorch's behaviour); nothing is skipped or sanitised.
 *
 * <p>Operands are contiguous arrays (any rank) with the parameter's shape and dtype, open and pairwise
 * disjoint in memory; a buffer the hyperparameters do not use may be null in the state record. A bad
 * operand throws {@link IllegalArgumentException} (or {@link IllegalStateException} if closed) naming it.
 *
 * <p>Arrays of at least {@link #CHUNKED_MIN} elements are cut into fixed chunks of {@link #CHUNK} elements
 * that run on the {@link KernelPool}: one core cannot saturate memory bandwidth. The cut does not depend on
 * the thread count and every element's update reads only its own index (the samplers' noise included), so
 * results are bit-identical for any {@code inertia.threads}.
 */
public final class OptimizerSteps {
    /**
     * Elements per parallel chunk: 64 KiB of floats per operand, a few microseconds of work, which amortises
     * a task hand-off to a spinning {@link KernelPool} worker (about a microsecond) and splits a layer's
     * weight evenly enough (the 784×128 weight of an MLP is 7 chunks, 4 on one thread and 3 on the other).
     */
    static final int CHUNK = 1 << 14;
    /** Arrays at least this long are chunked. */
    static final int CHUNKED_MIN = 1 << 15;

    private OptimizerSteps() {
    }

    @FunctionalInterface
    private interface ChunkKernel {
        void run(long start, int length);
    }

    private static void forChunks(long n, ChunkKernel k) {
        if (n >= CHUNKED_MIN) {
            int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
            KernelPool.get().parallelFor(chunks, c -> {
                long start = (long) c * CHUNK;
                k.run(start, (int) Math.min(CHUNK, n - start));
            });
        } else {
            k.run(0, Math.toIntExact(n));
        }
    }

    private static OptimizerStepsSupport impl(NdArray param) {
        return OptimizerStepsProvider.forDtype(param.dtype());
    }

    /**
     * Checks the operands: param floating and contiguous; every other non-null operand open, same dtype
     * and shape, contiguous; all pairwise disjoint. {@code names[i]} names {@code arrays[i]}.
     */
    private static void check(String[] names, NdArray... arrays) {
        NdArray p = arrays[0];
        Checks.floating(names[0], p);
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < arrays.length; i++) {
            NdArray a = arrays[i];
            if (a == null) {
                continue;
            }
            Checks.open(names[i], a);
            if (a.dtype() != p.dtype()) {
                throw new IllegalArgumentException(names[i] + " is " + a.dtype() + " but " + names[0] + " is " + p.dtype());
            }
            Checks.sameShape(names[0], p, names[i], a);
            if (!a.isContiguous()) {
                throw new IllegalArgumentException(names[i] + " " + a.shape() + " with strides "
                        + Arrays.toString(a.strides()) + " must be contiguous for a fused optimizer step");
            }
            for (int j : present) {
                Checks.disjoint(names[j], arrays[j], names[i], a);
            }
            present.add(i);
        }
    }

    private static void required(String name, NdArray a, String why) {
        if (a == null) {
            throw new IllegalArgumentException(name + " is required " + why);
        }
    }

    private static <T> T nonNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    // ------------------------------------------------------------------ steps

    /**
     * PyTorch SGD; the momentum buffer is required when momentum ≠ 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the momentum buffer, updated in place; may be null (or hold null) when momentum is 0
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void sgd(StepHyper.Sgd h, NdArray param, NdArray grad, SgdState state) {
        nonNull("hyper", h);
        NdArray buf = h.hasMomentum() && state != null ? state.momentumBuffer() : null;
        check(new String[] {"param", "grad", "momentumBuffer"}, param, grad, buf);
        if (h.hasMomentum()) {
            required("momentumBuffer", buf, "when momentum is " + h.momentum());
        }
        SgdState s = state == null ? new SgdState(null) : state;
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.sgd(h, param, grad, s, start, n));
    }

    /**
     * Heavy ball, classic form.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the velocity, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void heavyBall(StepHyper.HeavyBall h, NdArray param, NdArray grad, VelocityState state) {
        nonNull("hyper", h);
        NdArray v = nonNull("state", state).velocity();
        check(new String[] {"param", "grad", "velocity"}, param, grad, v);
        required("velocity", v, "for heavy ball");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.heavyBall(h, param, grad, state, start, n));
    }

    /**
     * Sutskever's Nesterov momentum; param holds the look-ahead point (see {@link StepHyper.Nesterov}).
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the velocity, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void nesterov(StepHyper.Nesterov h, NdArray param, NdArray grad, VelocityState state) {
        nonNull("hyper", h);
        NdArray v = nonNull("state", state).velocity();
        check(new String[] {"param", "grad", "velocity"}, param, grad, v);
        required("velocity", v, "for Nesterov momentum");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.nesterov(h, param, grad, state, start, n));
    }

    /**
     * NAG in the position-difference form (NAG, ARNAG, SRSGD); previous holds y_{k−1}, initially w.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state y_{k−1} (initially the parameter), updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void nag(StepHyper.Nag h, NdArray param, NdArray grad, NagState state) {
        nonNull("hyper", h);
        NdArray prev = nonNull("state", state).previous();
        check(new String[] {"param", "grad", "previous"}, param, grad, prev);
        required("previous", prev, "for NAG");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.nag(h, param, grad, state, start, n));
    }

    /**
     * AggMo with one zero-initialised velocity buffer per β.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state one velocity per β, in the order of {@code h.betas()}, updated in place
     * @throws IllegalArgumentException if the velocity count differs from the β count, h or a required
     *                                  operand is null, or an operand is of another dtype or shape, not
     *                                  contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void aggmo(StepHyper.AggMo h, NdArray param, NdArray grad, AggMoState state) {
        nonNull("hyper", h);
        List<NdArray> v = nonNull("state", state).velocities();
        int betas = h.betas().length;
        if (v.size() != betas) {
            throw new IllegalArgumentException("AggMo needs one velocity buffer per beta: " + betas + " betas, "
                    + v.size() + " buffers");
        }
        String[] names = new String[betas + 2];
        NdArray[] all = new NdArray[betas + 2];
        names[0] = "param";
        names[1] = "grad";
        all[0] = param;
        all[1] = grad;
        for (int j = 0; j < betas; j++) {
            names[j + 2] = "velocity[" + j + "]";
            required(names[j + 2], v.get(j), "for AggMo");
            all[j + 2] = v.get(j);
        }
        check(names, all);
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.aggmo(h, param, grad, state, start, n));
    }

    /**
     * PyTorch Adagrad; the sum starts at the initial accumulator value.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the sum of squared gradients, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void adagrad(StepHyper.AdaGrad h, NdArray param, NdArray grad, AdaGradState state) {
        nonNull("hyper", h);
        NdArray sum = nonNull("state", state).sum();
        check(new String[] {"param", "grad", "sum"}, param, grad, sum);
        required("sum", sum, "for Adagrad");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.adagrad(h, param, grad, state, start, n));
    }

    /**
     * PyTorch RMSprop; gradAvg required when centered, momentumBuffer when momentum &gt; 0 (all start at 0).
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the square average, and the gradient average and momentum buffer where used, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void rmsprop(StepHyper.RmsProp h, NdArray param, NdArray grad, RmsPropState state) {
        nonNull("hyper", h);
        nonNull("state", state);
        NdArray ga = h.centered() ? state.gradAvg() : null;
        NdArray b = h.momentum() > 0 ? state.momentumBuffer() : null;
        check(new String[] {"param", "grad", "squareAvg", "gradAvg", "momentumBuffer"}, param, grad, state.squareAvg(),
                ga, b);
        required("squareAvg", state.squareAvg(), "for RMSprop");
        if (h.centered()) {
            required("gradAvg", ga, "when centered");
        }
        if (h.momentum() > 0) {
            required("momentumBuffer", b, "when momentum is " + h.momentum());
        }
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.rmsprop(h, param, grad, state, start, n));
    }

    /**
     * PyTorch Adam / AdamW; maxExpAvgSq required for AMSGrad (all start at 0).
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m, v and (for AMSGrad) v_max, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void adam(StepHyper.Adam h, NdArray param, NdArray grad, AdamState state) {
        nonNull("hyper", h);
        nonNull("state", state);
        NdArray x = h.amsgrad() ? state.maxExpAvgSq() : null;
        check(new String[] {"param", "grad", "expAvg", "expAvgSq", "maxExpAvgSq"}, param, grad, state.expAvg(),
                state.expAvgSq(), x);
        required("expAvg", state.expAvg(), "for Adam");
        required("expAvgSq", state.expAvgSq(), "for Adam");
        if (h.amsgrad()) {
            required("maxExpAvgSq", x, "for AMSGrad");
        }
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.adam(h, param, grad, state, start, n));
    }

    /**
     * PyTorch Rprop; prev starts at 0, stepSize at lr.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the previous gradient and the per-element step sizes, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void rprop(StepHyper.Rprop h, NdArray param, NdArray grad, RpropState state) {
        nonNull("hyper", h);
        nonNull("state", state);
        check(new String[] {"param", "grad", "prev", "stepSize"}, param, grad, state.prev(), state.stepSize());
        required("prev", state.prev(), "for Rprop");
        required("stepSize", state.stepSize(), "for Rprop");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.rprop(h, param, grad, state, start, n));
    }

    /**
     * SGLD with counter-based Gaussian noise (index = element index within param).
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void sgld(StepHyper.Sgld h, NdArray param, NdArray grad) {
        nonNull("hyper", h);
        check(new String[] {"param", "grad"}, param, grad);
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.sgld(h, param, grad, start, n));
    }

    /**
     * SGHMC with counter-based Gaussian noise; the momentum starts at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the momentum, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void sghmc(StepHyper.Sghmc h, NdArray param, NdArray grad, SghmcState state) {
        nonNull("hyper", h);
        NdArray p = nonNull("state", state).momentum();
        check(new String[] {"param", "grad", "momentum"}, param, grad, p);
        required("momentum", p, "for SGHMC");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.sghmc(h, param, grad, state, start, n));
    }
    private static void adamPair(String method, NdArray param, NdArray grad, AdamState state) {
        nonNull("state", state);
        check(new String[] {"param", "grad", "expAvg", "expAvgSq"}, param, grad, state.expAvg(), state.expAvgSq());
        required("expAvg", state.expAvg(), "for " + method);
        required("expAvgSq", state.expAvgSq(), "for " + method);
    }

    /**
     * PyTorch NAdam (L2 or decoupled weight decay); m and v start at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m and v, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void nadam(StepHyper.NAdam h, NdArray param, NdArray grad, AdamState state) {
        nonNull("hyper", h);
        adamPair("NAdam", param, grad, state);
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.nadam(h, param, grad, state, start, n));
    }

    /**
     * PyTorch RAdam (L2 or decoupled weight decay); m and v start at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m and v, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void radam(StepHyper.RAdam h, NdArray param, NdArray grad, AdamState state) {
        nonNull("hyper", h);
        adamPair("RAdam", param, grad, state);
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.radam(h, param, grad, state, start, n));
    }

    /**
     * PyTorch Adamax; m and u start at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m and u, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void adamax(StepHyper.Adamax h, NdArray param, NdArray grad, AdamaxState state) {
        nonNull("hyper", h);
        nonNull("state", state);
        check(new String[] {"param", "grad", "expAvg", "expInf"}, param, grad, state.expAvg(), state.expInf());
        required("expAvg", state.expAvg(), "for Adamax");
        required("expInf", state.expInf(), "for Adamax");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.adamax(h, param, grad, state, start, n));
    }

    /**
     * Lion; m starts at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void lion(StepHyper.Lion h, NdArray param, NdArray grad, LionState state) {
        nonNull("hyper", h);
        NdArray m = nonNull("state", state).expAvg();
        check(new String[] {"param", "grad", "expAvg"}, param, grad, m);
        required("expAvg", m, "for Lion");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.lion(h, param, grad, state, start, n));
    }

    /**
     * QHM; the momentum buffer starts at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state the momentum buffer, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void qhm(StepHyper.Qhm h, NdArray param, NdArray grad, SgdState state) {
        nonNull("hyper", h);
        NdArray b = nonNull("state", state).momentumBuffer();
        check(new String[] {"param", "grad", "momentumBuffer"}, param, grad, b);
        required("momentumBuffer", b, "for QHM");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.qhm(h, param, grad, state, start, n));
    }

    /**
     * QHAdam; m and v start at 0 (the first step's β' is 0, so they become d and d²).
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m and v, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void qhadam(StepHyper.QhAdam h, NdArray param, NdArray grad, AdamState state) {
        nonNull("hyper", h);
        adamPair("QHAdam", param, grad, state);
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.qhadam(h, param, grad, state, start, n));
    }

    /**
     * AdEMAMix; m1, m2 and v start at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter, updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state m1, m2 and v, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void ademamix(StepHyper.AdEMAMix h, NdArray param, NdArray grad, AdEMAMixState state) {
        nonNull("hyper", h);
        nonNull("state", state);
        check(new String[] {"param", "grad", "expAvgFast", "expAvgSlow", "expAvgSq"}, param, grad, state.expAvgFast(),
                state.expAvgSlow(), state.expAvgSq());
        required("expAvgFast", state.expAvgFast(), "for AdEMAMix");
        required("expAvgSlow", state.expAvgSlow(), "for AdEMAMix");
        required("expAvgSq", state.expAvgSq(), "for AdEMAMix");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.ademamix(h, param, grad, state, start, n));
    }

    /**
     * Schedule-free SGD on the stored y; z starts equal to the parameter.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter as stored (the training point y), updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state z, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void scheduleFreeSgd(StepHyper.ScheduleFreeSgd h, NdArray param, NdArray grad,
                                       ScheduleFreeState state) {
        nonNull("hyper", h);
        NdArray z = nonNull("state", state).z();
        check(new String[] {"param", "grad", "z"}, param, grad, z);
        required("z", z, "for schedule-free SGD");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.scheduleFreeSgd(h, param, grad, state, start, n));
    }

    /**
     * Schedule-free AdamW on the stored y; z starts equal to the parameter, v at 0.
     *
     * @param h     the hyperparameters and per-step scalars; not null
     * @param param the parameter as stored (the training point y), updated in place; floating, contiguous
     * @param grad  the gradient of the loss with respect to param, read only
     * @param state z and v, updated in place
     * @throws IllegalArgumentException if h or a required operand is null, or an operand is of another dtype or
     *                                  shape, not contiguous or overlapping another
     * @throws IllegalStateException    if an operand is closed
     */
    public static void scheduleFreeAdamW(StepHyper.ScheduleFreeAdamW h, NdArray param, NdArray grad,
                                         ScheduleFreeState state) {
        nonNull("hyper", h);
        nonNull("state", state);
        check(new String[] {"param", "grad", "z", "expAvgSq"}, param, grad, state.z(), state.expAvgSq());
        required("z", state.z(), "for schedule-free AdamW");
        required("expAvgSq", state.expAvgSq(), "for schedule-free AdamW");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.scheduleFreeAdamW(h, param, grad, state, start, n));
    }

    /**
     * w ← w + t·(z − w), element-wise: the schedule-free switch between the training point y and the
     * average x ({@code eval}: t = 1 − 1/β; {@code train}: t = 1 − β).
     *
     * @param param w, updated in place; floating, contiguous
     * @param z     z, read only; same dtype and shape as param
     * @param t     the interpolation weight; finite (0 keeps w, 1 gives z)
     * @throws IllegalArgumentException if t is not finite, or z is null or of another dtype or shape, not
     *                                  contiguous, or overlapping param
     * @throws IllegalStateException    if an operand is closed
     */
    public static void lerp(NdArray param, NdArray z, double t) {
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("t must be finite, got " + t);
        }
        check(new String[] {"param", "z"}, param, z);
        required("z", z, "for lerp");
        OptimizerStepsSupport k = impl(param);
        forChunks(param.numel(), (start, n) -> k.lerp(param, z, t, start, n));
    }
}
