package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * PyTorch Adagrad's state: the running sum of squares s (key {@value #SUM}), starting at the initial
 * accumulator value.
 *
 * @param sum s
 */
public record AdaGradState(NdArray sum) implements StepState {
    /** State-dict key of the sum of squares s. */
    public static final String SUM = "sum";

    /**
     * The buffers: the sum of squares.
     *
     * @return the layout with the one key {@value #SUM}
     */
    public static StateLayout<AdaGradState> layout() {
        return new StateLayout<>(List.of(SUM), b -> new AdaGradState(b.get(SUM)));
    }
}
