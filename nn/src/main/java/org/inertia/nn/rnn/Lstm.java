package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;

/** A multi-layer LSTM (PyTorch's {@code nn.LSTM} with {@code batch_first=True}). */
public final class Lstm extends Rnn {
    /**
     * A stack of {@link LstmCell}s; layer 0 reads the input, every later layer the previous one's outputs.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param layers     the number of layers, ≥ 1
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if a size or {@code layers} is below 1, or {@code dtype} is not F32
     *                                  or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public Lstm(int inputSize, int hiddenSize, int layers, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, layers, (in, h, l) -> new LstmCell(in, h, init, dtype, rnd));
    }
}
