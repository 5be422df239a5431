package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * Lion's state: the momentum m ({@value #EXP_AVG}, the name of the authors' code and lion-pytorch),
 * zero-initialised.
 *
 * @param expAvg m
 */
public record LionState(NdArray expAvg) implements StepState {
    /** State-dict key of m. */
    public static final String EXP_AVG = "exp_avg";

    /**
     * The one buffer, m.
     *
     * @return the state-dict layout of this state
     */
    public static StateLayout<LionState> layout() {
        return new StateLayout<>(List.of(EXP_AVG), b -> new LionState(b.get(EXP_AVG)));
    }
}
