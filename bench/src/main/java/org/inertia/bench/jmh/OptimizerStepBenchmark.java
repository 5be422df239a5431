package org.inertia.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.optim.AdEMAMix;
import org.inertia.optim.AdaGrad;
import org.inertia.optim.Adam;
import org.inertia.optim.AdamW;
import org.inertia.optim.Adamax;
import org.inertia.optim.AggMo;
import org.inertia.optim.FlatParameters;
import org.inertia.optim.HeavyBall;
import org.inertia.optim.Lion;
import org.inertia.optim.NAdam;
import org.inertia.optim.Nag;
import org.inertia.optim.Nesterov;
import org.inertia.optim.Optimizer;
import org.inertia.optim.QhAdam;
import org.inertia.optim.Qhm;
import org.inertia.optim.RAdam;
import org.inertia.optim.RmsProp;
import org.inertia.optim.Rprop;
import org.inertia.optim.ScheduleFreeAdamW;
import org.inertia.optim.ScheduleFreeSgd;
import org.inertia.optim.Sgd;
import org.inertia.optim.Sghmc;
import org.inertia.optim.Sgld;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One fused optimizer step over {@code size} float32 parameters held in one {@link FlatParameters}
 * (one kernel call per step, chunked over the kernel pool: {@code -Dinertia.threads=N}).
 *
 * <p>Bytes moved per element (float32, every buffer read once and the updated ones written once; all
 * writes are in place, so no extra write-allocate traffic):
 * <pre>
 *   sgd                                      read w g            write w        12
 *   sgd-momentum, nesterov (PyTorch forms),
 *   heavy-ball, sutskever, nag, adagrad,
 *   rmsprop, lion, qhm, sfsgd                read w g s          write w s      20
 *   adam, adamw, rprop, nadam, radam,
 *   adamax, qhadam, sfadamw                  read w g s1 s2      write w s1 s2  28
 *   aggmo (K = 3), ademamix                  read w g v0 v1 v2   write w v0-v2  36
 *   sgld                                     read w g            write w        12
 *   sghmc                                    read w g p          write w p      20
 * </pre>
 * The samplers SGLD and SGHMC also draw one Gaussian per element (counter-based, {@code StrictMath}
 * log and cos), which costs far more than the memory traffic; they are not in the default method list
 * (run them with {@code -p method=sgld,sghmc}).
 * GB/s = bytes/element × size / time. {@code bench/compare/optim.sh} prints it next to PyTorch and the
 * STREAM-like triad.
 *
 * <pre>./inertia jmh OptimizerStepBenchmark -p method=adam -p size=10000000</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class OptimizerStepBenchmark {
    @Param({"sgd", "sgd-momentum", "nesterov", "heavy-ball", "sutskever", "nag", "aggmo", "adagrad", "rmsprop",
            "adam", "adamw", "rprop", "nadam", "radam", "adamax", "lion", "qhm", "qhadam", "ademamix", "sfsgd",
            "sfadamw"})
    public String method;

    @Param({"1000000", "10000000"})
    public int size;

    private FlatParameters flat;
    private Optimizer<?> optimizer;

    /** Bytes read + written per element by one step of {@code method} (see the class comment). */
    public static int bytesPerElement(String method) {
        return switch (method) {
            case "sgd", "sgld" -> 12;
            case "adam", "adamw", "rprop", "nadam", "radam", "adamax", "qhadam", "sfadamw" -> 28;
            case "aggmo", "ademamix" -> 36;
            default -> 20;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Optimizer<?> create(String method, FlatParameters flat) {
        Optimizer opt;
        Optimizer.Hyper h;
        switch (method) {
            case "sgd" -> { opt = new Sgd(); h = Sgd.hyper().lr(1e-3).build(); }
            case "sgd-momentum" -> { opt = new Sgd(); h = Sgd.hyper().lr(1e-3).momentum(0.9).build(); }
            case "nesterov" -> { opt = new Sgd(); h = Sgd.hyper().lr(1e-3).momentum(0.9).nesterov(true).build(); }
            case "heavy-ball" -> { opt = new HeavyBall(); h = new HeavyBall.Hyper(1e-3, 0.9); }
            case "sutskever" -> { opt = new Nesterov(); h = new Nesterov.Hyper(1e-3, 0.9); }
            case "nag" -> { opt = new Nag(); h = new Nag.Hyper(1e-3); }
            case "aggmo" -> { opt = new AggMo(); h = new AggMo.Hyper(1e-3); }
            case "adagrad" -> { opt = new AdaGrad(); h = new AdaGrad.Hyper(1e-3); }
            case "rmsprop" -> { opt = new RmsProp(); h = new RmsProp.Hyper(1e-3); }
            case "adam" -> { opt = new Adam(); h = Adam.hyper().build(); }
            case "adamw" -> { opt = new AdamW(); h = AdamW.hyper().build(); }
            case "rprop" -> { opt = new Rprop(); h = new Rprop.Hyper(1e-3); }
            case "nadam" -> { opt = new NAdam(); h = NAdam.hyper().build(); }
            case "radam" -> { opt = new RAdam(); h = RAdam.hyper().build(); }
            case "adamax" -> { opt = new Adamax(); h = Adamax.hyper().build(); }
            case "lion" -> { opt = new Lion(); h = Lion.hyper().build(); }
            case "qhm" -> { opt = new Qhm(); h = Qhm.hyper().build(); }
            case "qhadam" -> { opt = new QhAdam(); h = QhAdam.hyper().build(); }
            case "ademamix" -> { opt = new AdEMAMix(); h = AdEMAMix.hyper().build(); }
            case "sfsgd" -> { opt = new ScheduleFreeSgd(); h = ScheduleFreeSgd.hyper().lr(1e-3).build(); }
            case "sfadamw" -> { opt = new ScheduleFreeAdamW(); h = ScheduleFreeAdamW.hyper().build(); }
            case "sgld" -> { opt = new Sgld(); h = new Sgld.Hyper(1e-3, 0, 1, 42); }
            case "sghmc" -> { opt = new Sghmc(); h = new Sghmc.Hyper(1e-3, 0.1, 1, 0, 1, 42); }
            default -> throw new IllegalArgumentException("unknown method " + method);
        }
        opt.addGroup(h, flat);
        return opt;
    }

    @Setup(Level.Trial)
    public void setUp() {
        flat = FlatParameters.allocate(Dtype.F32, Shape.of(size));
        Random r = new Random(42);
        NdArray w = flat.params();
        NdArray g = flat.grads();
        for (int i = 0; i < size; i++) {
            w.setAt(i, r.nextGaussian());
            g.setAt(i, r.nextGaussian() * 1e-3);
        }
        optimizer = create(method, flat);
        optimizer.step(); // allocates the state outside the measurement
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        flat.close();
    }

    @Benchmark
    public void step() {
        optimizer.step();
    }
}
