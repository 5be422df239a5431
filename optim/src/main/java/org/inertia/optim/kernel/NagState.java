package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * The state of NAG in the position-difference form ({@link StepHyper.Nag}; NAG, ARNAG, SRSGD): the
 * previous gradient-step point y_{k−1} (key {@value #PREVIOUS}), initialised to a copy of the parameter
 * (y_0 = w_0) and reset to it at a restart.
 *
 * @param previous y_{k−1}
 */
public record NagState(NdArray previous) implements StepState {
    /** State-dict key of the previous point y_{k−1}. */
    public static final String PREVIOUS = "previous";

    /**
     * The buffers: the previous point.
     *
     * @return the layout with the one key {@value #PREVIOUS}
     */
    public static StateLayout<NagState> layout() {
        return new StateLayout<>(List.of(PREVIOUS), b -> new NagState(b.get(PREVIOUS)));
    }
}
