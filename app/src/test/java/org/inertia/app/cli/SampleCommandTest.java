package org.inertia.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.inertia.app.experiments.BayesianLogisticRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
    @Test
    void momentumBurnsInFasterAndMixesFaster(@TempDir Path tmp) throws Exception {
        SampleCommand cmd = new SampleCommand();
        Path out = tmp.resolve("out");
        // the default posterior (d = 10, kappa about 1500) with exact gradients, a shorter run
        assertEquals(0, Cli.run(cmd, "--steps", "3000", "--test-size", "200", "--out", out.toString()));
        Cli.assertFiles(out, "sample-energy-gap.csv", "sample-energy-gap.png", "sample-energy-gap.svg",
                "sample-slow-coordinate.csv", "sample-bma-test-nll.csv", "sample-bma-test-nll.png", "sample-summary.csv",
                "sample.html");
        var sgld = cmd.last.get("SGLD");
        var sghmc = cmd.last.get("SGHMC");
        assertTrue(sghmc.burnIn() > 0, "SGHMC reaches the typical set");
        assertTrue(sgld.burnIn() < 0 || sghmc.burnIn() < sgld.burnIn() / 3, "burn-in SGHMC " + sghmc.burnIn() + " vs SGLD "
                + sgld.burnIn());
        assertTrue(sghmc.autocorrelationTime() < sgld.autocorrelationTime(), "autocorrelation time SGHMC "
                + sghmc.autocorrelationTime() + " vs SGLD " + sgld.autocorrelationTime());
        assertTrue(sghmc.bmaAccuracy()[2999] > 0.7, "the model average classifies: " + sghmc.bmaAccuracy()[2999]);
    }

    @Test
    void withMiniBatchesTheNoiseCorrectedSghmcSamplesAtTheRightTemperature(@TempDir Path tmp) throws Exception {
        SampleCommand cmd = new SampleCommand();
        assertEquals(0, Cli.run(cmd, "--steps", "3000", "--batch", "500", "--test-size", "200", "--out",
                tmp.resolve("out").toString()));
        double plain = secondHalfGap(cmd.last.get("SGHMC").energyGap());
        double batch = secondHalfGap(cmd.last.get("SGHMC, B from batch").energyGap());
        double running = secondHalfGap(cmd.last.get("SGHMC, B running").energyGap());
        // stationary mean about d/2 = 5 at temperature 1; the uncorrected chain runs hot (about 70 on 10000 steps)
        assertTrue(plain > 30, "uncorrected SGHMC energy gap " + plain);
        assertTrue(batch < 10 && running < 10, "corrected energy gaps " + batch + ", " + running);
        assertTrue(cmd.last.get("SGHMC, B from batch").burnIn() > 0);
    }

    private static double secondHalfGap(double[] gap) {
        return java.util.Arrays.stream(gap, gap.length / 2, gap.length).average().orElseThrow();
    }

    @Test
    void theBatchVarianceEstimateIsTheVarianceOfTheMiniBatchGradient() {
        var model = new BayesianLogisticRegression(3, 400, 10, 0.5, 10, 2);
        double[] w = {0.3, -0.2, 0.5};
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        int reps = 4000;
        double[] g = new double[3];
        double[] v = new double[3];
        double[] sum = new double[3];
        double[] sq = new double[3];
        double[] est = new double[3];
        for (int k = 0; k < reps; k++) {
            model.likelihoodGradient(w, 20, r, g, v);
            for (int j = 0; j < 3; j++) {
                sum[j] += g[j];
                sq[j] += g[j] * g[j];
                est[j] += v[j] / reps;
            }
        }
        for (int j = 0; j < 3; j++) {
            double mean = sum[j] / reps;
            double empirical = sq[j] / reps - mean * mean;
            assertEquals(empirical, est[j], 0.1 * empirical, "element " + j);
        }
        model.likelihoodGradient(w, 1000, r, g, v);
        assertEquals(0, v[0] + v[1] + v[2], "the full gradient is exact");
    }

    @Test
    void jacobiFindsTheExtremeEigenpairs() {
        // eigenvalues 1, 3 of [[2, 1], [1, 2]] with the smallest along (1, -1)/sqrt 2; and a diagonal 3x3
        var e = BayesianLogisticRegression.extremes(new double[][] {{2, 1}, {1, 2}});
        assertEquals(3, e.max(), 1e-12);
        assertEquals(1, e.min(), 1e-12);
        assertEquals(0, e.minVector()[0] + e.minVector()[1], 1e-12);
        assertEquals(1, Math.abs(e.minVector()[0]) * Math.sqrt(2), 1e-12);
        var d = BayesianLogisticRegression.extremes(new double[][] {{5, 0, 0}, {0, 0.5, 0}, {0, 0, 2}});
        assertEquals(5, d.max(), 1e-12);
        assertEquals(0.5, d.min(), 1e-12);
        assertEquals(1, Math.abs(d.minVector()[1]), 1e-12);
    }

    @Test
    void theModeHasZeroGradient() {
        var model = new BayesianLogisticRegression(4, 300, 50, 0.3, 10, 3);
        double[] w = model.map();
        double[] g = new double[4];
        model.likelihoodGradient(w, Integer.MAX_VALUE, null, g);
        for (int j = 0; j < 4; j++) {
            assertEquals(0, g[j] + model.priorPrecision() * w[j], 1e-8);
        }
    }
}
