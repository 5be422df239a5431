package org.inertia.optim.kernel;

import java.util.List;

/** SGLD keeps no per-parameter buffer (its noise is counter-based). */
public record SgldState() implements StepState {
    /**
     * No buffers.
     *
     * @return the layout with no keys
     */
    public static StateLayout<SgldState> layout() {
        return new StateLayout<>(List.of(), b -> new SgldState());
    }
}
