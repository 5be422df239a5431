package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * Adamax's state (PyTorch's names), zero-initialised: the first moment m ({@value #EXP_AVG}) and the
 * exponentially weighted infinity norm u ({@value #EXP_INF}).
 *
 * @param expAvg m
 * @param expInf u
 */
public record AdamaxState(NdArray expAvg, NdArray expInf) implements StepState {
    /** State-dict key of m. */
    public static final String EXP_AVG = "exp_avg";
    /** State-dict key of u. */
    public static final String EXP_INF = "exp_inf";

    /**
     * The buffers: m and u.
     *
     * @return the state-dict layout of this state, keys in that order
     */
    public static StateLayout<AdamaxState> layout() {
        return new StateLayout<>(List.of(EXP_AVG, EXP_INF), b -> new AdamaxState(b.get(EXP_AVG), b.get(EXP_INF)));
    }
}
