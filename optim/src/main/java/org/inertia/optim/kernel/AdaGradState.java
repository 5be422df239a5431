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
    public static final String SUM = "sum";

    /** The buffers: the sum of squares. */
    public static StateLayout<AdaGradState> layout() {
        return new StateLayout<>(List.of(SUM), b -> new AdaGradState(b.get(SUM)));
    }
}
