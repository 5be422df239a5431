package org.inertia.nn.models;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.layers.BatchNorm2d;
import org.inertia.nn.layers.Conv2d;
import org.inertia.nn.layers.Init;
import org.inertia.nn.layers.Layer;
import org.inertia.nn.layers.Linear;
import org.inertia.nn.layers.Sequential;
import org.inertia.nn.ops.Pool2dOp;

/**
 * Pre-activation ResNet for CIFAR-sized (32×32×3) or MNIST-sized (28×28×1) images, as
 * {@code models/cifar/preresnet.py} in the SRSGD code (He et al. 2016, "Identity mappings"):
 *
 * <pre>
 *   conv3×3(in → 16) → stage(16 planes, stride 1) → stage(32, stride 2) → stage(64, stride 2)
 *                    → BN → ReLU → global average pool → linear
 * </pre>
 *
 * Each stage has n blocks: basic blocks (two BN→ReLU→conv3×3) for depth 6n+2, bottleneck blocks
 * (BN→ReLU→conv1×1, BN→ReLU→conv3×3, BN→ReLU→conv1×1 to 4·planes) for depth 9n+2. The first block of a
 * stage whose stride or width changes adds a 1×1 strided conv shortcut applied to the block's raw input.
 * Convolutions have no bias and weights N(0, 2/(k·k·out)); batch norm γ = 1, β = 0; the linear layer
 * has PyTorch's default init. The reference pools with AvgPool2d(8), i.e. globally on 32×32 inputs;
 * global pooling here also serves 28×28 (7×7 maps).
 */
public final class PreResNet extends Layer {
    /** Residual block type. */
    public enum Block {
        /** Two 3×3 convolutions; output width = planes. Depth 6n + 2. */
        BASIC(1),
        /** 1×1, 3×3, 1×1 convolutions; output width = 4·planes. Depth 9n + 2. */
        BOTTLENECK(4);

        final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }
    }

    /**
     * The architecture: depth, block type, input channels, classes, and the widths (the reference uses
     * stem 16 and planes 16/32/64; tests may shrink them).
     *
     * @param depth number of weighted layers: 6n + 2 for basic blocks, 9n + 2 for bottleneck, n >= 1
     * @param block the residual block type
     * @param inChannels channels of the input images; >= 1
     * @param numClasses number of output classes; >= 1
     * @param stem output channels of the first convolution; >= 1
     * @param planes the three stages' widths, each >= 1 (copied on the way in)
     */
    public record Config(int depth, Block block, int inChannels, int numClasses, int stem, int[] planes) {
        /**
         * Validates the architecture.
         *
         * @param depth number of weighted layers: 6n + 2 (basic) or 9n + 2 (bottleneck)
         * @param block the residual block type
         * @param inChannels channels of the input images; >= 1
         * @param numClasses number of output classes; >= 1
         * @param stem output channels of the first convolution; >= 1
         * @param planes the three stages' widths, each >= 1; copied
         * @throws IllegalArgumentException if the depth does not fit the block type or a width is below 1
         */
        public Config {
            java.util.Objects.requireNonNull(block, "block");
            int per = block == Block.BASIC ? 6 : 9;
            if (depth < per + 2 || (depth - 2) % per != 0) {
                throw new IllegalArgumentException("PreResNet depth with " + block + " blocks must be " + per
                        + "n+2 (n >= 1), got " + depth);
            }
            java.util.Objects.requireNonNull(planes, "planes");
            if (planes.length != 3) {
                throw new IllegalArgumentException("PreResNet has 3 stages, got planes of length " + planes.length);
            }
            for (int i = 0; i < 3; i++) {
                if (planes[i] < 1) {
                    throw new IllegalArgumentException("PreResNet planes[" + i + "] must be >= 1, got " + planes[i]);
                }
            }
            if (inChannels < 1 || numClasses < 1 || stem < 1) {
                throw new IllegalArgumentException("PreResNet inChannels, numClasses and stem must be >= 1, got "
                        + inChannels + ", " + numClasses + ", " + stem);
            }
            planes = planes.clone();
        }

        /**
         * The three stages' widths.
         *
         * @return a copy: changing it does not change this configuration
         */
        @Override
        public int[] planes() {
            return planes.clone();
        }

        /**
         * Equal when every component is, the widths compared by content.
         *
         * @param o the other object
         * @return whether o is a {@code Config} with the same components
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && depth == c.depth && block == c.block && inChannels == c.inChannels
                    && numClasses == c.numClasses && stem == c.stem && java.util.Arrays.equals(planes, c.planes);
        }

        /**
         * A hash of every component, the widths by content.
         *
         * @return the hash code, consistent with {@link #equals(Object)}
         */
        @Override
        public int hashCode() {
            return java.util.Objects.hash(depth, block, inChannels, numClasses, stem, java.util.Arrays.hashCode(planes));
        }

        /**
         * The components, the widths listed.
         *
         * @return e.g. {@code Config[depth=20, block=BASIC, inChannels=3, numClasses=10, stem=16, planes=[16, 32, 64]]}
         */
        @Override
        public String toString() {
            return "Config[depth=" + depth + ", block=" + block + ", inChannels=" + inChannels + ", numClasses="
                    + numClasses + ", stem=" + stem + ", planes=" + java.util.Arrays.toString(planes) + "]";
        }

        /**
         * The reference widths (stem 16, planes 16/32/64); basic blocks for 6n+2, else bottleneck.
         *
         * @param depth 6n + 2 (basic blocks) or 9n + 2 (bottleneck)
         * @param inChannels channels of the input images; >= 1
         * @param numClasses number of output classes; >= 1
         * @return the configuration
         */
        public static Config standard(int depth, int inChannels, int numClasses) {
            Block b = (depth - 2) % 6 == 0 ? Block.BASIC : Block.BOTTLENECK;
            return new Config(depth, b, inChannels, numClasses, 16, new int[] {16, 32, 64});
        }
    }

    private final Conv2d stem;
    private final List<Layer> blocks = new ArrayList<>();
    private final BatchNorm2d bn;
    private final Linear fc;

    /**
     * Builds the network for inputs [N, inChannels, H, W] and outputs (logits) [N, numClasses].
     *
     * @param config the architecture
     * @param dtype the parameters' dtype, F32 or F64
     * @param rng source of the initial weights
     */
    public PreResNet(Config config, Dtype dtype, RandomGenerator rng) {
        int n = (config.depth() - 2) / (config.block() == Block.BASIC ? 6 : 9);
        int e = config.block().expansion;
        this.stem = module("conv1", conv(config.inChannels(), config.stem(), 3, 1, 1, dtype, rng));
        int inplanes = config.stem();
        int[] strides = {1, 2, 2};
        for (int s = 0; s < 3; s++) {
            int planes = config.planes()[s];
            for (int i = 0; i < n; i++) {
                int stride = i == 0 ? strides[s] : 1;
                Layer b = config.block() == Block.BASIC ? new BasicBlock(inplanes, planes, stride, dtype, rng)
                        : new Bottleneck(inplanes, planes, stride, dtype, rng);
                blocks.add(module("layer" + (s + 1) + "." + i, b));
                inplanes = planes * e;
            }
        }
        this.bn = module("bn", new BatchNorm2d(inplanes, dtype));
        this.fc = module("fc", new Linear(inplanes, config.numClasses(), true, dtype, rng));
    }

    /** Conv without bias, weights N(0, 2/(k·k·out)) as the reference. */
    static Conv2d conv(int in, int out, int k, int stride, int pad, Dtype dtype, RandomGenerator rng) {
        Conv2d c = new Conv2d(in, out, k, stride, pad, 1, false, dtype, rng);
        Init.kaimingNormalFanOut(c.weight().data(), rng);
        return c;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = stem.forward(x);
        for (Layer b : blocks) {
            h = b.forward(h);
        }
        h = bn.forward(h).relu();
        return fc.forward(Pool2dOp.globalAvgPool(h));
    }

    /** BN → ReLU → conv3×3(stride) → BN → ReLU → conv3×3, plus the (possibly projected) input. */
    static final class BasicBlock extends Layer {
        private final BatchNorm2d bn1;
        private final Conv2d conv1;
        private final BatchNorm2d bn2;
        private final Conv2d conv2;
        private final Sequential downsample; // a Sequential so parameter names match PyTorch ("downsample.0.weight")

        BasicBlock(int inplanes, int planes, int stride, Dtype dtype, RandomGenerator rng) {
            bn1 = module("bn1", new BatchNorm2d(inplanes, dtype));
            conv1 = module("conv1", conv(inplanes, planes, 3, stride, 1, dtype, rng));
            bn2 = module("bn2", new BatchNorm2d(planes, dtype));
            conv2 = module("conv2", conv(planes, planes, 3, 1, 1, dtype, rng));
            downsample = stride != 1 || inplanes != planes
                    ? module("downsample", new Sequential(conv(inplanes, planes, 1, stride, 0, dtype, rng))) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = conv1.forward(bn1.forward(x).relu());
            out = conv2.forward(bn2.forward(out).relu());
            return out.add(downsample == null ? x : downsample.forward(x));
        }
    }

    /** BN → ReLU → conv1×1 → BN → ReLU → conv3×3(stride) → BN → ReLU → conv1×1 (×4), plus the shortcut. */
    static final class Bottleneck extends Layer {
        private final BatchNorm2d bn1;
        private final Conv2d conv1;
        private final BatchNorm2d bn2;
        private final Conv2d conv2;
        private final BatchNorm2d bn3;
        private final Conv2d conv3;
        private final Sequential downsample; // a Sequential so parameter names match PyTorch ("downsample.0.weight")

        Bottleneck(int inplanes, int planes, int stride, Dtype dtype, RandomGenerator rng) {
            int out = planes * Block.BOTTLENECK.expansion;
            bn1 = module("bn1", new BatchNorm2d(inplanes, dtype));
            conv1 = module("conv1", conv(inplanes, planes, 1, 1, 0, dtype, rng));
            bn2 = module("bn2", new BatchNorm2d(planes, dtype));
            conv2 = module("conv2", conv(planes, planes, 3, stride, 1, dtype, rng));
            bn3 = module("bn3", new BatchNorm2d(planes, dtype));
            conv3 = module("conv3", conv(planes, out, 1, 1, 0, dtype, rng));
            downsample = stride != 1 || inplanes != out
                    ? module("downsample", new Sequential(conv(inplanes, out, 1, stride, 0, dtype, rng))) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = conv1.forward(bn1.forward(x).relu());
            out = conv2.forward(bn2.forward(out).relu());
            out = conv3.forward(bn3.forward(out).relu());
            return out.add(downsample == null ? x : downsample.forward(x));
        }
    }
}
