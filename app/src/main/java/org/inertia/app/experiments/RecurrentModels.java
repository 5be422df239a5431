package org.inertia.app.experiments;

import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.nn.rnn.AdamLstmCell;
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
 * gradient-norm study the Elman RNN and MomentumRNN (μ = 0.6, s = 0.6).
 */
public final class RecurrentModels {
    /** The LSTM family, as named on the command line. */
    public static final List<String> LSTM_CELLS = List.of("lstm", "momentum-lstm", "adam-lstm", "rmsprop-lstm", "sr-lstm");

    private RecurrentModels() {
    }

    /** Cell {@code name} ({@link #LSTM_CELLS}, "rnn" or "momentum-rnn"); {@code permuted} selects the PMNIST settings. */
    public static RecurrentCell cell(String name, boolean permuted, int in, int hidden, Random rnd) {
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
            default -> throw new IllegalArgumentException("unknown cell " + name + "; known: " + LSTM_CELLS
                    + ", rnn, momentum-rnn");
        };
    }

    /** The cell's settings in words, for reports. */
    public static String settings(String name, boolean permuted) {
        return switch (name) {
            case "lstm" -> "LSTM";
            case "momentum-lstm" -> "mu 0.6, s " + (permuted ? "1.0" : "0.6");
            case "adam-lstm" -> "mu 0.6, s 0.6, beta 0.1";
            case "rmsprop-lstm" -> "s 0.6, beta 0.1";
            case "sr-lstm" -> "s 1.0, restart " + (permuted ? 40 : 2);
            case "rnn" -> "tanh";
            case "momentum-rnn" -> "mu 0.6, s 0.6";
            default -> name;
        };
    }
}
