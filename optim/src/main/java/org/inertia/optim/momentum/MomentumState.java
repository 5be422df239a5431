package org.inertia.optim.momentum;

import java.util.List;
import org.inertia.kernels.NdArray;
import org.inertia.optim.kernel.StateLayout;
import org.inertia.optim.kernel.StepState;

/**
 * The composable momentum path's state: one trace buffer (key {@value #TRACE}), zero-initialised. For
 * {@link Trace#PLAIN} and {@link Trace#NESTEROV} it holds b; for {@link Trace#LOOK_AHEAD} it holds the
 * momentum carried into the next step, μ_k·b_k (in the position-difference form that is w_k − y_k), so no
 * previous μ needs to be stored.
 *
 * @param trace the trace buffer
 */
public record MomentumState(NdArray trace) implements StepState {
    /** State-dict key of the trace buffer. */
    public static final String TRACE = "trace";

    /**
     * The buffers: the trace.
     *
     * @return the layout with the one key {@value #TRACE}
     */
    public static StateLayout<MomentumState> layout() {
        return new StateLayout<>(List.of(TRACE), b -> new MomentumState(b.get(TRACE)));
    }
}
