package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * The state of the classic momentum forms, heavy ball ({@link StepHyper.HeavyBall}) and Sutskever's
 * Nesterov ({@link StepHyper.Nesterov}): one velocity v (key {@value #VELOCITY}), zero-initialised.
 *
 * @param velocity v
 */
public record VelocityState(NdArray velocity) implements StepState {
    /** State-dict key of the velocity v. */
    public static final String VELOCITY = "velocity";

    /**
     * The buffers: the velocity.
     *
     * @return the layout with the one key {@value #VELOCITY}
     */
    public static StateLayout<VelocityState> layout() {
        return new StateLayout<>(List.of(VELOCITY), b -> new VelocityState(b.get(VELOCITY)));
    }
}
