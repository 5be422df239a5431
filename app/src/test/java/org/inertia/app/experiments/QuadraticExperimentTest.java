package org.inertia.app.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.junit.jupiter.api.Test;

/** The qualitative claims of the lectures that must hold on the exact-gradient quadratic. */
class QuadraticExperimentTest {

    @Test
    void optimumMatchesTheClosedForm() {
        QuadraticProblem p = new QuadraticProblem(50, QuadraticProblem.Graph.PATH);
        // w* = L⁻¹ e₁ for the path Laplacian: w*_i = (d + 1 − i)/(d + 1), i = 1..d
        try (NdArray w = NdArray.zeros(Dtype.F64, 50); NdArray g = NdArray.zeros(Dtype.F64, 50)) {
            for (int i = 0; i < 50; i++) {
                w.set((50.0 - i) / 51.0, i);
            }
            assertEquals(p.optimum(), p.value(w), 1e-12);
            assertTrue(p.gradient(w, g, 0, null) < 1e-12, "gradient vanishes at w*");
        }
    }

    @Test
    void exactGradientNagBeatsGdAndRestartsBeatNag() {
        QuadraticProblem p = new QuadraticProblem(100, QuadraticProblem.Graph.PATH);
        int steps = 3000;
        Map<String, double[]> c = QuadraticExperiment.run(p, QuadraticProblem.Noise.EXACT, steps, 1);
        double gd = c.get("GD")[steps - 1];
        double nag = c.get("NAG")[steps - 1];
        double arnag = c.get("ARNAG")[steps - 1];
        double srnag = c.get("SRNAG")[steps - 1];
        assertTrue(nag < gd / 10, "NAG " + nag + " vs GD " + gd);
        assertTrue(arnag < nag, "ARNAG " + arnag + " vs NAG " + nag);
        double atV = c.get("ARNAG (f at v)")[steps - 1];
        assertTrue(atV < nag, "ARNAG with the test at v " + atV + " vs NAG " + nag);
        assertTrue(srnag < nag, "SRNAG " + srnag + " vs NAG " + nag);
        for (String m : QuadraticExperiment.METHODS) {
            assertTrue(c.get(m)[steps - 1] >= -1e-12, m + " went below the optimum");
        }
    }

    @Test
    void noisyRunsAreReproducibleFromTheSeed() {
        QuadraticProblem p = new QuadraticProblem(30, QuadraticProblem.Graph.PATH);
        double[] a = QuadraticExperiment.run(p, QuadraticProblem.Noise.CASE_II, 200, 7).get("SRNAG");
        double[] b = QuadraticExperiment.run(p, QuadraticProblem.Noise.CASE_II, 200, 7).get("SRNAG");
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }

    @Test
    void cycleGraphReportsTheGradientNorm() {
        QuadraticProblem p = new QuadraticProblem(20, QuadraticProblem.Graph.CYCLE);
        double[] gd = QuadraticExperiment.run(p, QuadraticProblem.Noise.EXACT, 100, 1).get("GD");
        assertTrue(gd[99] > 0 && Double.isFinite(gd[99]));
    }
    @Test
    void everyNewMethodDecreasesTheGapWithExactGradients() {
        QuadraticProblem p = new QuadraticProblem(20, QuadraticProblem.Graph.PATH);
        int steps = 400;
        Map<String, double[]> c = QuadraticExperiment.run(p, QuadraticProblem.Noise.EXACT, steps, 1, null,
                QuadraticExperiment.ALL_METHODS);
        assertEquals(QuadraticExperiment.ALL_METHODS, java.util.List.copyOf(c.keySet()));
        double start = -p.optimum(); // f(0) − f* with w0 = 0
        for (String m : QuadraticExperiment.ALL_METHODS) {
            double last = c.get(m)[steps - 1];
            assertTrue(Double.isFinite(last) && last < start / 2, m + ": gap " + last + " from " + start);
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> QuadraticExperiment.run(p, QuadraticProblem.Noise.EXACT, 5, 1, null, java.util.List.of("LBFGS")));
        assertTrue(e.getMessage().contains("LBFGS") && e.getMessage().contains("SF-AdamW"), e.getMessage());
    }
}
