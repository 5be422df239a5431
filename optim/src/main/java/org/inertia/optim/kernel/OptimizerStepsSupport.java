package org.inertia.optim.kernel;

import org.inertia.kernels.NdArray;

/**
 * One implementation of the fused optimizer steps: {@link OptimizerStepsScalar} (double-precision loops,
 * any dtype) or {@code simd.OptimizerStepsSimd} (float32 Vector API loops), picked once by
 * {@link OptimizerStepsProvider}. Callers go through the validating facade {@link OptimizerSteps}.
 *
 * <p>Every method updates the elements [start, start + n) of contiguous, pairwise disjoint arrays of one
 * shape and dtype (element indices relative to each array's offset). Each element's update reads only
 * that element (the samplers' noise is indexed by it), so any cut of an array into ranges gives the same
 * bits. Arguments are validated by the facade; implementations assume them valid. Equations, sources and
 * buffer initialisation: each {@link StepHyper} record.
 */
public interface OptimizerStepsSupport {
    /**
     * PyTorch SGD; {@code s.momentumBuffer()} is used only with momentum.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the momentum buffer, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void sgd(StepHyper.Sgd h, NdArray w, NdArray g, SgdState s, long start, int n);

    /**
     * Heavy ball, classic form.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the velocity, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void heavyBall(StepHyper.HeavyBall h, NdArray w, NdArray g, VelocityState s, long start, int n);

    /**
     * Sutskever's Nesterov on the look-ahead parameter.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the velocity, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void nesterov(StepHyper.Nesterov h, NdArray w, NdArray g, VelocityState s, long start, int n);

    /**
     * NAG in the position-difference form.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     y_{k−1}, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void nag(StepHyper.Nag h, NdArray w, NdArray g, NagState s, long start, int n);

    /**
     * AggMo with one velocity per β.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     one velocity per β, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void aggmo(StepHyper.AggMo h, NdArray w, NdArray g, AggMoState s, long start, int n);

    /**
     * PyTorch Adagrad.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the sum of squared gradients, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void adagrad(StepHyper.AdaGrad h, NdArray w, NdArray g, AdaGradState s, long start, int n);

    /**
     * PyTorch RMSprop; the gradient average is used only when centered, the buffer only with momentum.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the averages and buffer, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void rmsprop(StepHyper.RmsProp h, NdArray w, NdArray g, RmsPropState s, long start, int n);

    /**
     * PyTorch Adam / AdamW; v_max is used only with AMSGrad.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m and v (and v_max for AMSGrad), updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void adam(StepHyper.Adam h, NdArray w, NdArray g, AdamState s, long start, int n);

    /**
     * PyTorch Rprop.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the previous gradient and step sizes, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void rprop(StepHyper.Rprop h, NdArray w, NdArray g, RpropState s, long start, int n);

    /**
     * SGLD; element i draws its noise at index i (its index in the whole array).
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void sgld(StepHyper.Sgld h, NdArray w, NdArray g, long start, int n);

    /**
     * SGHMC; noise indexed as SGLD's.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the momentum, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void sghmc(StepHyper.Sghmc h, NdArray w, NdArray g, SghmcState s, long start, int n);

    /**
     * PyTorch NAdam / decoupled NAdam over m and v.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m and v (and v_max for AMSGrad), updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void nadam(StepHyper.NAdam h, NdArray w, NdArray g, AdamState s, long start, int n);

    /**
     * PyTorch RAdam / decoupled RAdam over m and v.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m and v (and v_max for AMSGrad), updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void radam(StepHyper.RAdam h, NdArray w, NdArray g, AdamState s, long start, int n);

    /**
     * PyTorch Adamax over m and the infinity norm u.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m and u, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void adamax(StepHyper.Adamax h, NdArray w, NdArray g, AdamaxState s, long start, int n);

    /**
     * Lion over its momentum m.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void lion(StepHyper.Lion h, NdArray w, NdArray g, LionState s, long start, int n);

    /**
     * QHM over its momentum buffer ({@code s.momentumBuffer()}).
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     the momentum buffer, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void qhm(StepHyper.Qhm h, NdArray w, NdArray g, SgdState s, long start, int n);

    /**
     * QHAdam over m and v (bias-corrected averages).
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m and v (and v_max for AMSGrad), updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void qhadam(StepHyper.QhAdam h, NdArray w, NdArray g, AdamState s, long start, int n);

    /**
     * AdEMAMix over m1, m2 and v.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param w     the parameter, updated in place
     * @param g     the gradient, read only
     * @param s     m1, m2 and v, updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void ademamix(StepHyper.AdEMAMix h, NdArray w, NdArray g, AdEMAMixState s, long start, int n);

    /**
     * Schedule-free SGD over z.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param y     the stored parameter y, updated in place
     * @param g     the gradient, read only
     * @param s     z (and v for AdamW), updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void scheduleFreeSgd(StepHyper.ScheduleFreeSgd h, NdArray y, NdArray g, ScheduleFreeState s, long start, int n);

    /**
     * Schedule-free AdamW over z and v.
     *
     * @param h     the hyperparameters and per-step scalars
     * @param y     the stored parameter y, updated in place
     * @param g     the gradient, read only
     * @param s     z (and v for AdamW), updated in place
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void scheduleFreeAdamW(StepHyper.ScheduleFreeAdamW h, NdArray y, NdArray g, ScheduleFreeState s, long start,
                           int n);

    /**
     * w ← w + t·(z − w) (the schedule-free methods' switch between the y and x sequences).
     *
     * @param w     the parameter, updated in place
     * @param z     z, read only
     * @param t     the interpolation weight; finite
     * @param start index of the first element to update, relative to each array's offset; &gt;= 0
     * @param n     number of elements to update; &gt;= 0, start + n &lt;= the arrays' length
     */
    void lerp(NdArray w, NdArray z, double t, long start, int n);
}
