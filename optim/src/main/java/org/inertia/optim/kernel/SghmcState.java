package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * SGHMC's state: the momentum p (key {@value #MOMENTUM}), zero-initialised.
 *
 * @param momentum p
 */
public record SghmcState(NdArray momentum) implements StepState {
    /** State-dict key of the momentum p. */
    public static final String MOMENTUM = "momentum";

    /**
     * The buffers: the momentum.
     *
     * @return the layout with the one key {@value #MOMENTUM}
     */
    public static StateLayout<SghmcState> layout() {
        return new StateLayout<>(List.of(MOMENTUM), b -> new SghmcState(b.get(MOMENTUM)));
    }
}
