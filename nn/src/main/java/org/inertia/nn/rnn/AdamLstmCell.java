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
