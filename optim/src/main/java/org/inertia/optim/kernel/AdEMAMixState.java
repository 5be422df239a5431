package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * AdEMAMix's state (the reference code's names), all zero-initialised: the fast EMA m1
 * ({@value #EXP_AVG_FAST}), the slow EMA m2 ({@value #EXP_AVG_SLOW}) and the second moment v
 * ({@value #EXP_AVG_SQ}).
 *
 * @param expAvgFast m1
 * @param expAvgSlow m2
 * @param expAvgSq   v
 */
public record AdEMAMixState(NdArray expAvgFast, NdArray expAvgSlow, NdArray expAvgSq) implements StepState {
    /** State-dict key of m1. */
    public static final String EXP_AVG_FAST = "exp_avg_fast";
    /** State-dict key of m2. */
    public static final String EXP_AVG_SLOW = "exp_avg_slow";
    /** State-dict key of v. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    /**
     * The buffers: m1, m2 and v.
     *
     * @return the state-dict layout of this state, keys in that order
     */
    public static StateLayout<AdEMAMixState> layout() {
        return new StateLayout<>(List.of(EXP_AVG_FAST, EXP_AVG_SLOW, EXP_AVG_SQ),
                b -> new AdEMAMixState(b.get(EXP_AVG_FAST), b.get(EXP_AVG_SLOW), b.get(EXP_AVG_SQ)));
    }
}
