package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * PyTorch SGD's state: the momentum buffer b (key {@value #MOMENTUM_BUFFER}), kept only with momentum
 * (a momentum value or a momentum schedule); it starts at the first d (see {@link StepHyper.Sgd}).
 *
 * @param momentumBuffer b, or null without momentum
 */
public record SgdState(NdArray momentumBuffer) implements StepState {
    /** State-dict key of the momentum buffer b. */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    /**
     * The buffers SGD keeps: the momentum buffer, only with momentum.
     *
     * @param momentum whether the method keeps a momentum buffer (μ ≠ 0 or a momentum schedule)
     * @return the layout with the key {@value #MOMENTUM_BUFFER}, or with no keys
     */
    public static StateLayout<SgdState> layout(boolean momentum) {
        return new StateLayout<>(momentum ? List.of(MOMENTUM_BUFFER) : List.of(),
                b -> new SgdState(b.get(MOMENTUM_BUFFER)));
    }
}
