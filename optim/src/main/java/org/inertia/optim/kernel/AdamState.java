package org.inertia.optim.kernel;

import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * Adam's state (PyTorch's names), all zero-initialised: the first moment m ({@value #EXP_AVG}), the
 * second moment v ({@value #EXP_AVG_SQ}) and, with AMSGrad, the running maximum of v
 * ({@value #MAX_EXP_AVG_SQ}).
 *
 * @param expAvg      m
 * @param expAvgSq    v
 * @param maxExpAvgSq v_max, or null without AMSGrad
 */
public record AdamState(NdArray expAvg, NdArray expAvgSq, NdArray maxExpAvgSq) implements StepState {
    /** State-dict key of the first moment m. */
    public static final String EXP_AVG = "exp_avg";
    /** State-dict key of the second moment v. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";
    /** State-dict key of AMSGrad's running maximum v_max. */
    public static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    /**
     * The buffers: m and v, and v_max with AMSGrad.
     *
     * @param amsgrad whether the method keeps the running maximum of v
     * @return the layout with keys {@value #EXP_AVG}, {@value #EXP_AVG_SQ} (and {@value #MAX_EXP_AVG_SQ})
     */
    public static StateLayout<AdamState> layout(boolean amsgrad) {
        return new StateLayout<>(amsgrad ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ),
                b -> new AdamState(b.get(EXP_AVG), b.get(EXP_AVG_SQ), b.get(MAX_EXP_AVG_SQ)));
    }
}
