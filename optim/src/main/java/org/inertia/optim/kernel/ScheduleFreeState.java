package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * The schedule-free methods' state (the reference code's names): the base sequence z ({@value #Z},
 * starts equal to the parameter) and, for schedule-free AdamW, the second moment v ({@value #EXP_AVG_SQ},
 * zero-initialised).
 *
 * @param z        the base (SGD / Adam) sequence
 * @param expAvgSq v, or null for schedule-free SGD
 */
public record ScheduleFreeState(NdArray z, NdArray expAvgSq) implements StepState {
    /** State-dict key of z. */
    public static final String Z = "z";
    /** State-dict key of v. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    /**
     * The buffers: z, and v for the Adam form.
     *
     * @param adam whether the layout is schedule-free AdamW's (z and v) rather than schedule-free SGD's (z)
     * @return the state-dict layout of this state, keys in that order
     */
    public static StateLayout<ScheduleFreeState> layout(boolean adam) {
        return new StateLayout<>(adam ? List.of(Z, EXP_AVG_SQ) : List.of(Z),
                b -> new ScheduleFreeState(b.get(Z), b.get(EXP_AVG_SQ)));
    }
}
