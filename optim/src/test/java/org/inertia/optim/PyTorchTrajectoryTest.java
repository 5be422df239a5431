package org.inertia.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.Shape;
import org.junit.jupiter.api.Test;

/**
 * Small trajectories computed by hand from PyTorch's documented update rules (torch.optim docs,
 * "Algorithm" sections), in float64 and float32. Float32 tolerances: a few float roundings of O(1)
 * values, 1e-6.
 */
class PyTorchTrajectoryTest {

    private interface Run {
        double[] apply(Dtype dt);
    }

    private static void check(double[] expected, Run run) {
        for (Dtype dt : new Dtype[] {Dtype.F64, Dtype.F32}) {
            double[] got = run.apply(dt);
            double tol = dt == Dtype.F64 ? 1e-14 : 1e-6;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], tol, dt + " value " + i);
            }
        }
    }

    @Test
    void adagradWithLrDecayAndInitialAccumulator() {
        // lr 0.1, lr_decay 0.5, initial_accumulator_value 0.25, eps 1e-10; w = 1, g = 2 then −1
        double w1 = 1 - 0.1 * 2 / (Math.sqrt(4.25) + 1e-10);
        double w2 = w1 - (0.1 / 1.5) * -1 / (Math.sqrt(5.25) + 1e-10);
        check(new double[] {w1, w2}, dt -> {
            try (FlatParameters f = FlatParameters.allocate(dt, Shape.of(1)); AdaGrad opt = new AdaGrad()) {
                opt.addGroup(new AdaGrad.Hyper(0.1, 0.5, 0, 0.25, 1e-10, false), f);
                f.params().setAtOffset(0, 1);
                f.grads().setAtOffset(0, 2);
                opt.step();
                double a = f.params().getAtOffset(0);
                f.grads().setAtOffset(0, -1);
                opt.step();
                return new double[] {a, f.params().getAtOffset(0)};
            }
        });
    }

    @Test
    void rmspropCentered() {
        // alpha 0.9, lr 0.01, eps 1e-8; w = 1, g = 2: a = 0.4, ḡ = 0.2, D = √(0.4 − 0.04) + eps = 0.6 + eps
        check(new double[] {1 - 0.01 * 2 / (0.6 + 1e-8), 0.4, 0.2}, dt -> {
            try (FlatParameters f = FlatParameters.allocate(dt, Shape.of(1)); RmsProp opt = new RmsProp()) {
                opt.addGroup(new RmsProp.Hyper(0.01, 0.9, 1e-8, 0, 0, true, false), f);
                f.params().setAtOffset(0, 1);
                f.grads().setAtOffset(0, 2);
                opt.step();
                return new double[] {f.params().getAtOffset(0), opt.group().state(0, "square_avg").getAtOffset(0),
                        opt.group().state(0, "grad_avg").getAtOffset(0)};
            }
        });
    }

    @Test
    void adamwDecaysBeforeTheUpdate() {
        // lr 0.1, wd 0.1: w = 1·(1 − 0.01) = 0.99; m̂ = 0.5, v̂ = 0.25 → w = 0.99 − 0.1·0.5/(0.5 + 1e-8)
        check(new double[] {0.99 - 0.1 * 0.5 / (0.5 + 1e-8)}, dt -> {
            try (FlatParameters f = FlatParameters.allocate(dt, Shape.of(1)); AdamW opt = new AdamW()) {
                opt.addGroup(AdamW.hyper().lr(0.1).weightDecay(0.1).build(), f);
                f.params().setAtOffset(0, 1);
                f.grads().setAtOffset(0, 0.5);
                opt.step();
                return new double[] {f.params().getAtOffset(0)};
            }
        });
    }

    @Test
    void sgdMaximizeNegatesTheGradientBeforeWeightDecay() {
        // maximize: d = −g + wd·w = −2 + 0.5 = −1.5; w = 1 − 0.1·(−1.5) = 1.15
        check(new double[] {1.15}, dt -> {
            try (FlatParameters f = FlatParameters.allocate(dt, Shape.of(1)); Sgd opt = new Sgd()) {
                opt.addGroup(Sgd.hyper().lr(0.1).weightDecay(0.5).maximize(true).build(), f);
                f.params().setAtOffset(0, 1);
                f.grads().setAtOffset(0, 2);
                opt.step();
                return new double[] {f.params().getAtOffset(0)};
            }
        });
    }

    @Test
    void amsgradUsesTheRunningMaximumOfTheRawSecondMoment() {
        // β2 = 0.5 so v moves fast: g = 2 then 0 → v1 = 2, v2 = 1, v_max = 2; bc2 = 0.75 at k = 2
        double b1 = 0.9;
        double m1 = 0.2;
        double w1 = 1 - 0.1 * (m1 / 0.1) / (Math.sqrt(2 / 0.5) + 1e-8);
        double m2 = b1 * m1;
        double w2 = w1 - 0.1 * (m2 / (1 - b1 * b1)) / (Math.sqrt(2 / 0.75) + 1e-8);
        check(new double[] {w1, w2}, dt -> {
            try (FlatParameters f = FlatParameters.allocate(dt, Shape.of(1)); Adam opt = new Adam()) {
                opt.addGroup(Adam.hyper().lr(0.1).betas(0.9, 0.5).amsgrad(true).build(), f);
                f.params().setAtOffset(0, 1);
                f.grads().setAtOffset(0, 2);
                opt.step();
                double a = f.params().getAtOffset(0);
                f.grads().setAtOffset(0, 0);
                opt.step();
                return new double[] {a, f.params().getAtOffset(0)};
            }
        });
    }
}
