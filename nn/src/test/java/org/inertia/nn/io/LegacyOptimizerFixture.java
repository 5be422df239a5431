package org.inertia.nn.io;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.optim.AdaGrad;
import org.inertia.optim.AdaptiveRestartNag;
import org.inertia.optim.Adam;
import org.inertia.optim.AdamW;
import org.inertia.optim.AggMo;
import org.inertia.optim.HeavyBall;
import org.inertia.optim.Nag;
import org.inertia.optim.Nesterov;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;
import org.inertia.optim.RmsProp;
import org.inertia.optim.Rprop;
import org.inertia.optim.ScheduledRestartSgd;
import org.inertia.optim.momentum.ScheduledRestart;
import org.inertia.optim.Sgd;
import org.inertia.optim.SgdEarlyMomentum;
import org.inertia.optim.Sghmc;
import org.inertia.optim.Sgld;

/**
 * The optimizers of the committed legacy checkpoint ({@code src/test/resources/legacy-optimizer-checkpoint}):
 * how each is built, its parameters' initial values and the gradients of every step. The resource was
 * written by this class compiled against the tree before the optimizer kernels moved into optim (commit
 * fa7cd65, see {@code README.md} there), so only public API that both trees share is used here: change
 * nothing in it, or the resource no longer matches. One exception: SRSGD's default restart indexing became the
 * lectures' (period F) after the resource was written, so {@code srsgd} is built with
 * {@code Indexing.REFERENCE_CODE}, the old code's only indexing (period F − 1), which is what it computed.
 */
final class LegacyOptimizerFixture {
    /** Checkpoint part names, one optimizer each. */
    static final List<String> NAMES = List.of("adam_amsgrad", "adamw", "adam_f64", "sgd_momentum", "sgd_nesterov",
            "sgd_plain", "heavy_ball", "sutskever", "nag", "arnag", "srsgd", "sgdem", "aggmo", "rmsprop_centered",
            "rmsprop", "rprop", "adagrad", "sgld", "sghmc");

    private LegacyOptimizerFixture() {
    }

    static Dtype dtype(String name) {
        return name.endsWith("_f64") ? Dtype.F64 : Dtype.F32;
    }

    /** Two parameters ([3, 5] and [7]) with deterministic values and zero gradients. */
    static List<Params> params(String name) {
        Dtype dt = dtype(name);
        int salt = NAMES.indexOf(name);
        List<Params> out = new ArrayList<>();
        int[][] shapes = {{3, 5}, {7}};
        for (int p = 0; p < shapes.length; p++) {
            NdArray w = NdArray.zeros(dt, shapes[p]);
            NdArray g = NdArray.zeros(dt, shapes[p]);
            for (int i = 0; i < w.numel(); i++) {
                w.setAtOffset(i, StrictMath.cos(0.37 * i + 1.1 * p + 0.5 * salt));
            }
            out.add(new Params(w, g));
        }
        return out;
    }

    /** The gradients of step k. */
    static void fillGrads(String name, List<Params> params, long k) {
        int salt = NAMES.indexOf(name);
        for (int p = 0; p < params.size(); p++) {
            NdArray g = params.get(p).grad();
            for (int i = 0; i < g.numel(); i++) {
                g.setAtOffset(i, StrictMath.sin(0.91 * i + 0.7 * k + 0.3 * p + salt) * (1 + (i % 3)));
            }
        }
    }

    /** The objective values the restart methods see at step k (rises at k = 3: one adaptive restart). */
    static double loss(long k) {
        return new double[] {0, 1.0, 0.9, 1.1, 0.8, 0.7, 0.75}[(int) k];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Optimizer<?> create(String name, List<Params> params) {
        Optimizer opt;
        Optimizer.Hyper h;
        switch (name) {
            case "adam_amsgrad" -> {
                opt = new Adam();
                h = Adam.hyper().lr(0.05).amsgrad(true).weightDecay(0.01).build();
            }
            case "adamw" -> {
                opt = new AdamW();
                h = AdamW.hyper().lr(0.05).betas(0.8, 0.99).build();
            }
            case "adam_f64" -> {
                opt = new Adam();
                h = Adam.hyper().lr(0.05).maximize(true).build();
            }
            case "sgd_momentum" -> {
                opt = new Sgd();
                h = Sgd.hyper().lr(0.05).momentum(0.9).dampening(0.1).weightDecay(1e-3).build();
            }
            case "sgd_nesterov" -> {
                opt = new Sgd();
                h = Sgd.hyper().lr(0.05).momentum(0.9).nesterov(true).build();
            }
            case "sgd_plain" -> {
                opt = new Sgd();
                h = Sgd.hyper().lr(0.05).weightDecay(0.01).build();
            }
            case "heavy_ball" -> {
                opt = new HeavyBall();
                h = new HeavyBall.Hyper(0.05, 0.9, 1e-3);
            }
            case "sutskever" -> {
                opt = new Nesterov();
                h = new Nesterov.Hyper(0.05, 0.9);
            }
            case "nag" -> {
                opt = new Nag();
                h = new Nag.Hyper(0.05, 1e-3);
            }
            case "arnag" -> {
                opt = new AdaptiveRestartNag();
                h = new AdaptiveRestartNag.Hyper(0.05);
            }
            case "srsgd" -> {
                // the old code's only indexing, srsgd.py's counter (period F - 1); the default is now the lectures'
                opt = new ScheduledRestartSgd(ScheduledRestart.Indexing.REFERENCE_CODE, null);
                h = new ScheduledRestartSgd.Hyper(0.05, 1e-4, ScheduledRestartSgd.RestartSchedule.linear(2, 1), 0.5, 2);
            }
            case "sgdem" -> {
                opt = new SgdEarlyMomentum();
                h = new SgdEarlyMomentum.Hyper(0.05, 0.9, 0, 2, 3);
            }
            case "aggmo" -> {
                opt = new AggMo();
                h = new AggMo.Hyper(0.05);
            }
            case "rmsprop_centered" -> {
                opt = new RmsProp();
                h = RmsProp.hyper().lr(0.01).centered(true).momentum(0.5).weightDecay(1e-3).build();
            }
            case "rmsprop" -> {
                opt = new RmsProp();
                h = RmsProp.hyper().lr(0.01).build();
            }
            case "rprop" -> {
                opt = new Rprop();
                h = new Rprop.Hyper(0.01);
            }
            case "adagrad" -> {
                opt = new AdaGrad();
                h = AdaGrad.hyper().lr(0.05).lrDecay(0.01).initialAccumulatorValue(0.1).build();
            }
            case "sgld" -> {
                opt = new Sgld();
                h = new Sgld.Hyper(0.01, 1e-3, 0.5, 1234);
            }
            case "sghmc" -> {
                opt = new Sghmc();
                h = new Sghmc.Hyper(0.01, 0.5, 1.0, 1e-3, 0.5, 4321);
            }
            default -> throw new IllegalArgumentException("unknown optimizer " + name);
        }
        opt.addGroup(h, params);
        return opt;
    }

    /** Step k: fills the gradients, then steps (with the objective for the restart methods). */
    static void step(String name, Optimizer<?> opt, List<Params> params, long k) {
        fillGrads(name, params, k);
        opt.step(() -> loss(k));
    }
}
