package org.inertia.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResnetCommandTest {
    @Test
    void residualAndMomentumNetworksTrainWithSgdAndBothSrsgdSchedules(@TempDir Path tmp) throws Exception {
        Path data = Cli.idxDataset(tmp.resolve("data"), 256, 64, true);
        ResnetCommand cmd = new ResnetCommand();
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run(cmd, "--data", data.toString(), "--depth", "8", "--epochs", "2", "--batch", "32",
                "--block", "residual,momentum", "--optimizer", "sgd,srsgd", "--out", out.toString()));
        Cli.assertFiles(out, "resnet-test-accuracy.csv", "resnet-train-loss.csv", "resnet-iteration-loss.csv",
                "resnet-iteration-loss.png", "resnet-iteration-loss.svg", "resnet-test-accuracy.png",
                "resnet-test-accuracy.svg", "resnet-summary.csv", "resnet.html");
        assertEquals(6, cmd.last.size(), "2 block types x (SGD, SRSGD linear, SRSGD exponential)");
        for (var e : cmd.last.entrySet()) {
            double[] it = e.getValue().iterationLoss();
            assertEquals(16, it.length, e.getKey());
            for (double v : it) {
                assertTrue(Double.isFinite(v), e.getKey() + " diverged");
            }
            assertTrue(e.getValue().trainLoss()[1] < Math.log(10), e.getKey() + " second-epoch loss "
                    + e.getValue().trainLoss()[1]);
        }
        assertTrue(Files.readString(out.resolve("resnet-summary.csv")).contains("MomentumNet / SRSGD, exponential F"));
    }
}
