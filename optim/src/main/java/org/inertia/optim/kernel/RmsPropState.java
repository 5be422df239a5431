package org.inertia.optim.kernel;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.NdArray;

/**
 * PyTorch RMSprop's state, all zero-initialised: the square average a ({@value #SQUARE_AVG}), the
 * gradient average ḡ when centered ({@value #GRAD_AVG}), and the momentum buffer b with momentum
 * ({@value #MOMENTUM_BUFFER}).
 *
 * @param squareAvg      a
 * @param gradAvg        ḡ, or null unless centered
 * @param momentumBuffer b, or null without momentum
 */
public record RmsPropState(NdArray squareAvg, NdArray gradAvg, NdArray momentumBuffer) implements StepState {
    /** State-dict key of the square average a. */
    public static final String SQUARE_AVG = "square_avg";
    /** State-dict key of the gradient average ḡ (centered only). */
    public static final String GRAD_AVG = "grad_avg";
    /** State-dict key of the momentum buffer b (with momentum only). */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    /**
     * The buffers: the square average; the gradient average when centered; the buffer with momentum.
     *
     * @param centered whether the method keeps the gradient average
     * @param momentum whether the method keeps a momentum buffer (μ &gt; 0 or a momentum schedule)
     * @return the layout: {@value #SQUARE_AVG}, then {@value #GRAD_AVG} and {@value #MOMENTUM_BUFFER} as asked
     */
    public static StateLayout<RmsPropState> layout(boolean centered, boolean momentum) {
        List<String> keys = new ArrayList<>(List.of(SQUARE_AVG));
        if (centered) {
            keys.add(GRAD_AVG);
        }
        if (momentum) {
            keys.add(MOMENTUM_BUFFER);
        }
        return new StateLayout<>(keys, b -> new RmsPropState(b.get(SQUARE_AVG), b.get(GRAD_AVG), b.get(MOMENTUM_BUFFER)));
    }
}
