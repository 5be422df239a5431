package org.inertia.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.inertia.app.experiments.GradientNorms;
import org.inertia.app.experiments.SequenceModel;
import org.inertia.app.experiments.SequenceTask;
import org.inertia.app.experiments.SequenceTraining;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.ops.MatrixExp;
import org.inertia.nn.rnn.DtrivCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RnnCommandTest {
    @Test
    void copyingTaskIsLearnedAndTheGradientNormPlotIsWritten(@TempDir Path tmp) throws Exception {
        RnnCommand cmd = new RnnCommand();
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run(cmd, "--task", "copying", "--cell", "lstm,adam-lstm", "--steps", "150", "--hidden", "16",
                "--batch", "16", "--lr", "0.01", "--alphabet", "3", "--symbols", "2", "--delay", "2",
                "--gradnorm-steps", "5", "--out", out.toString()));
        Cli.assertFiles(out, "rnn-copying-loss.csv", "rnn-copying-accuracy.csv", "rnn-copying-loss.png",
                "rnn-copying-loss.svg", "rnn-copying-accuracy.png", "rnn-copying-gradnorm.csv", "rnn-copying-gradnorm.png",
                "rnn-copying-gradnorm.svg", "rnn-copying-summary.csv", "rnn-copying.html");
        double chance = Math.log(3);
        for (var e : cmd.last.entrySet()) {
            assertTrue(e.getValue().heldOutLoss() < 0.8 * chance, e.getKey() + " held-out loss " + e.getValue().heldOutLoss()
                    + " vs chance " + chance);
            assertTrue(e.getValue().microsPerSample() > 0);
        }
        List<String> g = Files.readAllLines(out.resolve("rnn-copying-gradnorm.csv"));
        assertEquals("t,\"RNN, initialisation\",\"RNN, after 5 iterations\",\"MomentumRNN, initialisation\","
                + "\"MomentumRNN, after 5 iterations\"", g.get(0));
        assertEquals(1 + 2 * 2 + 2, g.size(), "one row per time step");
    }

    @Test
    void pixelTasksRunOnIdxData(@TempDir Path tmp) throws Exception {
        Path data = Cli.idxDataset(tmp.resolve("data"), 64, 32, true);
        for (String task : List.of("pixel", "permuted-pixel")) {
            Path out = tmp.resolve(task);
            assertEquals(0, Cli.run("rnn", "--task", task, "--data", data.toString(), "--cell", "momentum-lstm",
                    "--pool", "4", "--steps", "3", "--hidden", "8", "--batch", "16", "--gradnorm-steps", "0",
                    "--out", out.toString()).code());
            Cli.assertFiles(out, "rnn-" + task + "-loss.csv", "rnn-" + task + "-gradnorm.csv", "rnn-" + task + ".html");
            assertTrue(Files.readString(out.resolve("rnn-" + task + ".html")).contains("49 steps"), "pooled 7x7 sequences");
        }
    }

    @Test
    void dtrivCellsTrainWithTwoRmspropGroupsAndChangeTheirBase(@TempDir Path tmp) throws Exception {
        RnnCommand cmd = new RnnCommand();
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run(cmd, "--task", "copying", "--cell", "dtriv,momentum-dtriv", "--steps", "120", "--hidden", "16",
                "--batch", "16", "--dtriv-lr", "0.01", "--lr-orth", "0.002", "--dtriv-k", "3", "--alphabet", "3",
                "--symbols", "2", "--delay", "2", "--no-gradnorm", "--out", out.toString()));
        for (var e : cmd.last.entrySet()) {
            double[] loss = e.getValue().loss();
            double first = java.util.Arrays.stream(loss, 0, 20).average().orElseThrow();
            double last = SequenceTraining.tailMean(loss, 20);
            assertTrue(last < 0.8 * first, e.getKey() + ": loss of the first 20 iterations " + first + ", last 20 " + last);
        }
        assertTrue(Files.readString(out.resolve("rnn-copying-summary.csv")).contains("K 3"), "the settings name K");
        // directly: every 3rd optimizer step the base moves to W and X restarts at 0; W stays orthogonal
        try (SequenceTask t = SequenceTask.copying(3, 2, 2, 8, 1, 5);
             SequenceModel m = new SequenceModel("momentum-dtriv", false, t.inputSize(), 8, t.classes(), 3, 5)) {
            SequenceTraining.train(m, t, 7, new SequenceTraining.Rates(1e-3, 0.01, 0.01), 1.0, "test");
            DtrivCell cell = (DtrivCell) m.rnn().cells().getFirst();
            double[] x = cell.skew().data().toDoubleArray();
            assertTrue(java.util.Arrays.stream(x).anyMatch(v -> v != 0), "7 = 2*3 + 1 steps: X moved after the last change");
            double[] w;
            try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
                w = cell.recurrentWeight().data().toDoubleArray();
            }
            double[] wtw = MatrixExp.multiply(MatrixExp.transposed(w, 8), w, 8);
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    assertEquals(i == j ? 1 : 0, wtw[i * 8 + j], 1e-6, "W^T W after training (float32 W)");
                }
            }
        }
    }

    @Test
    void badDtrivOptionsAreRejectedNamingThem(@TempDir Path tmp) throws Exception {
        var r = Cli.run("rnn", "--cell", "dtriv", "--dtriv-k", "-2", "--steps", "1", "--out", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--dtriv-k") && r.err().contains("-2"), r.err());
        r = Cli.run("rnn", "--cell", "dtrv", "--steps", "1", "--out", tmp.toString());
        assertTrue(r.err().contains("dtrv") && r.err().contains("momentum-dtriv"), r.err());
    }

    @Test
    void theRnnGradientVanishesBackInTime() {
        // Elman RNN at the MomentumRNN init (W_hh = I, tanh): dL/dh_t = dL/dh_T prod D_k, every D_k < 1
        try (SequenceTask t = SequenceTask.copying(3, 1, 40, 8, 1, 5);
             SequenceModel m = new SequenceModel("rnn", false, t.inputSize(), 8, t.classes(), 5)) {
            double[] n = GradientNorms.of(m, t.heldOut().iterator().next(), t.readoutSteps());
            assertEquals(t.length(), n.length);
            for (double v : n) {
                assertTrue(Double.isFinite(v) && v >= 0);
            }
            assertTrue(n[0] < n[n.length - 1], "norm at t = 0 " + n[0] + " vs at T - 1 " + n[n.length - 1]);
        }
    }
}
