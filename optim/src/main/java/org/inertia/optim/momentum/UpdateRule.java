package org.inertia.optim.momentum;

/**
 * Where the learning rate sits relative to the {@link Trace}, which is what tells the momentum forms apart
 * (optax composes {@code trace} and {@code scale_by_learning_rate} in either order). With d = g + wd·w:
 * <ul>
 *   <li>{@link #LR_OUTSIDE_TRACE}, PyTorch's form: u = d, w ← w − lr·out (lr changes act on the whole
 *       accumulated buffer);</li>
 *   <li>{@link #LR_INSIDE_TRACE}, the classic form of Polyak, Nesterov and Sutskever: u = −lr·d, w ← w + out
 *       (an lr change affects only new gradients).</li>
 * </ul>
 * Both are equal while lr is constant (lecture notes §1).
 */
public enum UpdateRule {
    /** u = d; w ← w − lr·out. */
    LR_OUTSIDE_TRACE,
    /** u = −lr·d; w ← w + out. */
    LR_INSIDE_TRACE
}
