package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;

/** RMSPropLSTM: AdamLSTM with μ = 0, i.e. gates = s·u / √(m' + 1e-16) + W_hh h + b_hh. */
public final class RmsPropLstmCell extends AdamLstmCell {
    /**
     * An RMSPropLSTM cell.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param s          s, finite and &gt; 0, the step size scaling the projected input
     * @param beta       β in [0, 1), the decay of the second moment m
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if s or β is out of range, a size is below 1, or {@code dtype} is
     *                                  not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public RmsPropLstmCell(int inputSize, int hiddenSize, double s, double beta, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, 0, s, beta, init, dtype, rnd);
    }
}
