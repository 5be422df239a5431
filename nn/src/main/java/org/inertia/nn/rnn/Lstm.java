package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;

/** A multi-layer LSTM (PyTorch's {@code nn.LSTM} with {@code batch_first=True}). */
public final class Lstm extends Rnn {
    public Lstm(int inputSize, int hiddenSize, int layers, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, layers, (in, h, l) -> new LstmCell(in, h, init, dtype, rnd));
    }
}
