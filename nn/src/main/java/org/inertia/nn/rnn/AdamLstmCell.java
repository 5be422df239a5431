package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;

/**
 * AdamLSTM: with u = W_ih x + b_ih, v' = μ v + s u, m' = β m + (1 − β) u⊙u, and
 * gates = v' / √(m' + 1e-16) + W_hh h + b_hh; the rest as the LSTM.
 */
public class AdamLstmCell extends LstmCell {
    /** The ε inside the square root, as in the reference code. */
    public static final double EPS = 1e-16;
    private final double mu;
    private final double s;
    private final double beta;

    /**
     * An AdamLSTM cell.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param mu         μ in [0, 1), the momentum of the input term
     * @param s          s, finite and &gt; 0, the step size scaling the projected input
     * @param beta       β in [0, 1), the decay of the second moment m
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if μ, s or β is out of range, a size is below 1, or {@code dtype} is
     *                                  not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public AdamLstmCell(int inputSize, int hiddenSize, double mu, double s, double beta, RecurrentInit init, Dtype dtype,
            RandomGenerator rnd) {
        Checks.unit("mu", mu);
        Checks.positive("s", s);
        Checks.unit("beta", beta);
        super(inputSize, hiddenSize, init, dtype, rnd);
        this.mu = mu;
        this.s = s;
        this.beta = beta;
    }

    @Override
    protected final InputTerm gateInput(Tensor u, CellState st) {
        Tensor v = RecurrentOps.linComb(mu, mu == 0 ? null : st.v(), s, u);
        Tensor m = RecurrentOps.linComb(beta, st.m(), 1 - beta, u.mul(u));
        return new InputTerm(RecurrentOps.rmsScale(v, m, EPS), v, m);
    }

    @Override
    protected final InputTerm gateInputSequence(Tensor u, CellState st) {
        int steps = u.shape().dim(0);
        double[] muT = new double[steps];
        double[] betaT = new double[steps];
        java.util.Arrays.fill(muT, mu);
        java.util.Arrays.fill(betaT, beta);
        MomentumScan.Result v = MomentumScan.apply(u, mu == 0 ? null : st.v(), muT, s);
        MomentumScan.Result m = MomentumScan.apply(u.mul(u), st.m(), betaT, 1 - beta);
        return new InputTerm(RecurrentOps.rmsScale(v.values(), m.values(), EPS), v.last(), m.last());
    }
}
