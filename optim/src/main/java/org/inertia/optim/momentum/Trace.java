package org.inertia.optim.momentum;

/**
 * The momentum (trace) transform of optax ({@code optax.trace}): a buffer b that accumulates its input u
 * (the gradient d, or the already scaled −lr·d, see {@link UpdateRule}) and what it passes on. With μ_k the
 * schedule's value at this step's clock and τ the dampening:
 * <ul>
 *   <li>{@link #PLAIN}: b ← μ_k b + (1−τ) u; out = b (heavy ball; PyTorch SGD momentum);</li>
 *   <li>{@link #NESTEROV}: b ← μ_k b + (1−τ) u; out = u + μ_k b (PyTorch's {@code nesterov=True});</li>
 *   <li>{@link #LOOK_AHEAD}: b ← μ_prev b + u; out = u + μ_k b, μ_prev the μ this trace passed on at its
 *       previous step. With lr inside the trace this is Nesterov's method in the position-difference form
 *       (NAG, ARNAG, SRSGD: b = y_k − y_{k−1}, w_k = y_k + μ_k b) and, with the schedule read one step
 *       ahead ({@link MomentumSchedule#next()}), Sutskever's look-ahead form.</li>
 * </ul>
 * b starts at 0, or at the first input when the optimizer asks for PyTorch's {@code buf = clone(d)}; a
 * restart sets it back to 0.
 */
public enum Trace {
    /** b ← μ b + (1−τ) u; out = b. */
    PLAIN,
    /** b ← μ b + (1−τ) u; out = u + μ b. */
    NESTEROV,
    /** b ← μ_prev b + u; out = u + μ b. */
    LOOK_AHEAD
}
