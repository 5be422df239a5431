package org.inertia.nn.models;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.layers.BatchNorm2d;
import org.inertia.nn.layers.Layer;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.ReLU;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Pool2dOp;

/**
 * {@link PreResNet} with its shape-preserving residual blocks replaced by momentum residual blocks
 * (Sander et al. 2021; the "MomentumNet" of the lectures' CIFAR table):
 *
 * <pre>
 *   conv3×3(in → 16) → stage(16) → stage(32, stride 2) → stage(64, stride 2) → BN → ReLU → pool → linear
 *   stage = [transition block] + MomentumNet(f_1 … f_m),   v_{t+1} = γ v_t + (1 − γ) f_t(x_t),  x_{t+1} = x_t + v_{t+1}
 * </pre>
 *
 * Each f_t is the residual branch of the block it replaces (basic: BN→ReLU→conv3×3→BN→ReLU→conv3×3;
 * bottleneck: the three BN→ReLU→conv of {@link PreResNet}'s bottleneck), without the skip connection,
 * which the momentum step supplies. A stage's first block changes the shape when the stride or the
 * width changes; it stays an ordinary pre-activation residual block, and the velocity starts again from
 * zero after it (the notes: "velocity reset to zero at down-sampling blocks"). Same depth rule, widths and
 * initialisation as {@link PreResNet}; γ = 0 is not allowed (that is PreResNet itself).
 */
public final class MomentumPreResNet extends Layer {
    private final Layer stem;
    private final List<Layer> stages = new ArrayList<>();
    private final BatchNorm2d bn;
    private final Linear fc;

    /**
     * Builds the network for inputs [N, inChannels, H, W] and outputs (logits) [N, numClasses].
     *
     * @param config depth, block type, channels, classes and widths, as for {@link PreResNet}
     * @param gamma the momentum γ, in (0, 1)
     * @param mode how each stage's {@link MomentumNet} obtains activations in backward
     * @param dtype the parameters' dtype, F32 or F64
     * @param rng source of the initial weights
     */
    public MomentumPreResNet(PreResNet.Config config, double gamma, MomentumNet.Mode mode, Dtype dtype,
                             RandomGenerator rng) {
        int n = (config.depth() - 2) / (config.block() == PreResNet.Block.BASIC ? 6 : 9);
        int e = config.block().expansion;
        this.stem = module("conv1", PreResNet.conv(config.inChannels(), config.stem(), 3, 1, 1, dtype, rng));
        int inplanes = config.stem();
        int[] strides = {1, 2, 2};
        for (int s = 0; s < 3; s++) {
            int planes = config.planes()[s];
            List<Layer> functions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int stride = i == 0 ? strides[s] : 1;
                if (stride != 1 || inplanes != planes * e) {
                    Layer t = config.block() == PreResNet.Block.BASIC
                            ? new PreResNet.BasicBlock(inplanes, planes, stride, dtype, rng)
                            : new PreResNet.Bottleneck(inplanes, planes, stride, dtype, rng);
                    stages.add(module("layer" + (s + 1) + ".transition", t));
                } else {
                    functions.add(branch(config.block(), inplanes, planes, dtype, rng));
                }
                inplanes = planes * e;
            }
            if (!functions.isEmpty()) {
                stages.add(module("layer" + (s + 1) + ".momentum", new MomentumNet(functions, gamma, mode)));
            }
        }
        this.bn = module("bn", new BatchNorm2d(inplanes, dtype));
        this.fc = module("fc", new Linear(inplanes, config.numClasses(), true, dtype, rng));
    }

    /** The residual branch of a shape-preserving block (input width = output width = planes·expansion). */
    static Layer branch(PreResNet.Block block, int width, int planes, Dtype dtype, RandomGenerator rng) {
        if (block == PreResNet.Block.BASIC) {
            return new Sequential(new BatchNorm2d(width, dtype), new ReLU(), PreResNet.conv(width, planes, 3, 1, 1, dtype, rng),
                    new BatchNorm2d(planes, dtype), new ReLU(), PreResNet.conv(planes, planes, 3, 1, 1, dtype, rng));
        }
        return new Sequential(new BatchNorm2d(width, dtype), new ReLU(), PreResNet.conv(width, planes, 1, 1, 0, dtype, rng),
                new BatchNorm2d(planes, dtype), new ReLU(), PreResNet.conv(planes, planes, 3, 1, 1, dtype, rng),
                new BatchNorm2d(planes, dtype), new ReLU(), PreResNet.conv(planes, width, 1, 1, 0, dtype, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = stem.forward(x);
        for (Layer s : stages) {
            h = s.forward(h);
        }
        h = bn.forward(h).relu();
        return fc.forward(Pool2dOp.globalAvgPool(h));
    }
}
