package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * PyTorch Rprop's state: the previous (sign-flip-zeroed) gradient ({@value #PREV}, starts at 0) and the
 * per-element step size ({@value #STEP_SIZE}, starts at lr).
 *
 * @param prev     the previous gradient
 * @param stepSize the step sizes
 */
public record RpropState(NdArray prev, NdArray stepSize) implements StepState {
    /** State-dict key of the previous gradient. */
    public static final String PREV = "prev";
    /** State-dict key of the per-element step sizes. */
    public static final String STEP_SIZE = "step_size";

    /**
     * The buffers: the previous gradient and the step sizes.
     *
     * @return the layout with keys {@value #PREV} and {@value #STEP_SIZE}
     */
    public static StateLayout<RpropState> layout() {
        return new StateLayout<>(List.of(PREV, STEP_SIZE), b -> new RpropState(b.get(PREV), b.get(STEP_SIZE)));
    }
}
