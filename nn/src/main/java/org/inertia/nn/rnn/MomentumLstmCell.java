package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;

/** MomentumLSTM: v' = μ v + s (W_ih x + b_ih); gates = v' + W_hh h + b_hh; the rest as the LSTM. */
public final class MomentumLstmCell extends LstmCell {
    private final double mu;
    private final double s;

    /**
     * A MomentumLSTM cell.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param mu         μ in [0, 1), the momentum of the input term
     * @param s          s, finite and &gt; 0, the step size scaling the projected input
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if μ or s is out of range, a size is below 1, or {@code dtype} is
     *                                  not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public MomentumLstmCell(int inputSize, int hiddenSize, double mu, double s, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        Checks.unit("mu", mu);
        Checks.positive("s", s);
        super(inputSize, hiddenSize, init, dtype, rnd);
        this.mu = mu;
        this.s = s;
    }

    @Override
    LstmSequence.Momentum loopMomentum(CellState initial, int steps) {
        double[] a = new double[steps];
        java.util.Arrays.fill(a, mu);
        return new LstmSequence.Momentum(a, s);
    }

    @Override
    protected InputTerm gateInput(Tensor u, CellState st) {
        Tensor v = RecurrentOps.linComb(mu, st.v(), s, u);
        return new InputTerm(v, v, null);
    }

    @Override
    protected InputTerm gateInputSequence(Tensor u, CellState st) {
        double[] a = new double[u.shape().dim(0)];
        java.util.Arrays.fill(a, mu);
        MomentumScan.Result v = MomentumScan.apply(u, st.v(), a, s);
        return new InputTerm(v.values(), v.last(), null);
    }
}
