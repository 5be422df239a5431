package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.inertia.app.cli.Main;
import org.inertia.optim.HeavyBallTuning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HeavyBallStudyTest {
    @Test
    void trajectoriesDecayAtThePredictedRate() {
        double kappa = 400;
        HeavyBallTuning t = HeavyBallTuning.of(1, 1 / kappa);
        double[] x = HeavyBallStudy.trajectory(t.alpha(), t.beta(), 1 / kappa, 3000);
        // over many steps |x_k|^(1/k) approaches the spectral radius (critical damping: a double root,
        // so x_k ~ k rho^k and the k-th root converges slowly; compare ratios far apart instead)
        double measured = Math.pow(Math.abs(x[2999] / x[1999]), 1.0 / 1000);
        assertEquals(t.spectralRadius(1 / kappa), measured, 2e-3);
    }

    @Test
    void criticalDampingBeatsGradientDescentsRate() {
        double kappa = 1e4;
        HeavyBallTuning critical = HeavyBallTuning.of(1, 1 / kappa);
        HeavyBallTuning gd = new HeavyBallTuning(1, 0, 1, 1 / kappa);
        assertEquals(1 - 1 / kappa, gd.rate(), 1e-12);
        assertEquals(1 - 1 / Math.sqrt(kappa), critical.rate(), 1e-9);
        assertTrue(HeavyBallStudy.iterationsToShrink(critical.rate(), 1e-6)
                < HeavyBallStudy.iterationsToShrink(gd.rate(), 1e-6) / 50);
    }

    @Test
    void verbWritesPlotsAndReport(@TempDir Path dir) throws Exception {
        assertEquals(0, new CommandLine(new Main()).execute("heavyball", "--kappa", "100", "--steps", "200",
                "--out", dir.toString()));
        for (String f : new String[] {"heavyball-dynamics.png", "heavyball-dynamics.svg", "heavyball-radius.png",
            "heavyball-radius.svg", "heavyball.html"}) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
        assertTrue(Files.readString(dir.resolve("heavyball.html")).contains("critical"));
        // --steps reaches the table: the measured worst residual after 200 iterations, below rho^200 bounds' order
        java.util.List<String> rates = Files.readAllLines(dir.resolve("heavyball-rates.csv"));
        assertTrue(rates.get(0).contains("max |x_200|"), rates.get(0));
        assertEquals(5, rates.size());
    }
}
