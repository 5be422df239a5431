package org.inertia.app.experiments;

import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.nn.rnn.AdamLstmCell;
import org.inertia.nn.rnn.DtrivCell;
import org.inertia.nn.rnn.MomentumDtrivCell;
import org.inertia.nn.rnn.RecurrentInit;
import org.inertia.nn.rnn.LstmCell;
import org.inertia.nn.rnn.MomentumLstmCell;
import org.inertia.nn.rnn.MomentumRnnCell;
import org.inertia.nn.rnn.RecurrentCell;
import org.inertia.nn.rnn.RmsPropLstmCell;
import org.inertia.nn.rnn.RnnCell;
import org.inertia.nn.rnn.SrLstmCell;

/**
 * The recurrent cells of the MomentumRNN experiments (Nguyen et al. 2020, arXiv:2006.06919; momentum notes
 * §3) with the paper's settings and its code's initialisation (W_ih orthogonal, W_hh identity, forget-gate
 * biases 1): MomentumLSTM μ = 0.6, s = 0.6 (permuted pixels: s = 1.0); AdamLSTM μ = 0.6, s = 0.6, β = 0.1;
 * RMSPropLSTM s = 0.6, β = 0.1; SRLSTM s = 1.0, restart every 2 steps (permuted pixels: 40); for the
 * gradient-norm study the Elman RNN and MomentumRNN (μ = 0.6, s = 0.6). The orthogonal cells of the paper's
 * Table 4: DTRIV and MomentumDTRIV (Cayley initialisation, change of base every K optimizer steps; MomentumDTRIV
 * μ = 0.6, s = 0.9 below 360 hidden units — the paper's N = 170 setting — and μ = s = 0.3 from 360 on, its
 * N = 360 / 512 setting).
 */
public final class RecurrentModels {
    /** The LSTM family, as named on the command line. */
    public static final List<String> LSTM_CELLS = List.of("lstm", "momentum-lstm", "adam-lstm", "rmsprop-lstm", "sr-lstm");

    /** The orthogonal RNNs of the paper's Table 4 (Lezcano-Casado 2019's DTRIV and its momentum version). */
    public static final List<String> ORTHOGONAL_CELLS = List.of("dtriv", "momentum-dtriv");

    /** Every cell {@code ./inertia rnn --cell} takes. */
    public static final List<String> TRAINABLE_CELLS = java.util.stream.Stream.concat(LSTM_CELLS.stream(),
            ORTHOGONAL_CELLS.stream()).toList();

    /** The DTRIV cells' change of base when not given: every step (K = 1, the paper's N = 170 setting). */
    public static final long DEFAULT_DTRIV_K = 1;

    private RecurrentModels() {
    }

    /** Cell {@code name} ({@link #LSTM_CELLS}, "rnn" or "momentum-rnn"); {@code permuted} selects the PMNIST settings. */
    public static RecurrentCell cell(String name, boolean permuted, int in, int hidden, Random rnd) {
        return cell(name, permuted, in, hidden, DEFAULT_DTRIV_K, rnd);
    }

    /** As above; {@code dtrivK}: the DTRIV cells change base every K optimizer steps (0 = never, K = ∞). */
    public static RecurrentCell cell(String name, boolean permuted, int in, int hidden, long dtrivK, Random rnd) {
        RecurrentInit init = RecurrentInit.MOMENTUM_RNN;
        Dtype f = Dtype.F32;
        return switch (name) {
            case "lstm" -> new LstmCell(in, hidden, init, f, rnd);
            case "momentum-lstm" -> new MomentumLstmCell(in, hidden, 0.6, permuted ? 1.0 : 0.6, init, f, rnd);
            case "adam-lstm" -> new AdamLstmCell(in, hidden, 0.6, 0.6, 0.1, init, f, rnd);
            case "rmsprop-lstm" -> new RmsPropLstmCell(in, hidden, 0.6, 0.1, init, f, rnd);
            case "sr-lstm" -> new SrLstmCell(in, hidden, 1.0, permuted ? 40 : 2, init, f, rnd);
            case "rnn" -> new RnnCell(in, hidden, init, f, rnd);
            case "momentum-rnn" -> new MomentumRnnCell(in, hidden, 0.6, 0.6, init, f, rnd);
            case "dtriv" -> new DtrivCell(in, hidden, dtrivK, DtrivCell.SkewInit.CAYLEY, f, rnd);
            case "momentum-dtriv" -> new MomentumDtrivCell(in, hidden, dtrivMu(hidden), dtrivS(hidden), dtrivK,
                    DtrivCell.SkewInit.CAYLEY, f, rnd);
            default -> throw new IllegalArgumentException("unknown cell " + name + "; known: " + TRAINABLE_CELLS
                    + ", rnn, momentum-rnn");
        };
    }

    static double dtrivMu(int hidden) {
        return hidden < 360 ? 0.6 : 0.3;
    }

    static double dtrivS(int hidden) {
        return hidden < 360 ? 0.9 : 0.3;
    }

    /** The cell's settings in words, for reports. */
    public static String settings(String name, boolean permuted) {
        return settings(name, permuted, 0, DEFAULT_DTRIV_K);
    }

    /** The cell's settings in words, for reports ({@code hidden} and {@code dtrivK} matter for the DTRIV cells). */
    public static String settings(String name, boolean permuted, int hidden, long dtrivK) {
        String k = "K " + (dtrivK == 0 ? "infinity" : Long.toString(dtrivK));
        return switch (name) {
            case "lstm" -> "LSTM";
            case "momentum-lstm" -> "mu 0.6, s " + (permuted ? "1.0" : "0.6");
            case "adam-lstm" -> "mu 0.6, s 0.6, beta 0.1";
            case "rmsprop-lstm" -> "s 0.6, beta 0.1";
            case "sr-lstm" -> "s 1.0, restart " + (permuted ? 40 : 2);
            case "rnn" -> "tanh";
            case "momentum-rnn" -> "mu 0.6, s 0.6";
            case "dtriv" -> k + ", Cayley init, modReLU";
            case "momentum-dtriv" -> "mu " + dtrivMu(hidden) + ", s " + dtrivS(hidden) + ", " + k + ", Cayley init, modReLU";
            default -> name;
        };
    }
}
