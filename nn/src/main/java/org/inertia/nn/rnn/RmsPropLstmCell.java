package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;

/** RMSPropLSTM: AdamLSTM with μ = 0, i.e. gates = s·u / √(m' + 1e-16) + W_hh h + b_hh. */
public final class RmsPropLstmCell extends AdamLstmCell {
    public RmsPropLstmCell(int inputSize, int hiddenSize, double s, double beta, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, 0, s, beta, init, dtype, rnd);
    }
}
