package org.inertia.nn.layers;

import java.util.List;
import org.inertia.kernels.Checks;
import org.inertia.nn.autograd.Tensor;

/**
 * Layers applied in order; children are named "0", "1", … as in PyTorch. A {@link Linear} directly followed
 * by a {@link ReLU} runs as one fused op ({@link org.inertia.nn.ops.LinearOp#applyRelu}): the same values
 * and gradients, one pass over the activations instead of two each way, and no pre-activation tensor.
 */
public final class Sequential extends Layer {
    private final List<Layer> layers;

    /**
     * Chains {@code layers}.
     *
     * @param layers the layers, applied in order; registered as sub-modules {@code "0"}, {@code "1"}, …
     */
    public Sequential(Layer... layers) {
        Checks.present("Sequential", "layers", layers);
        for (int i = 0; i < layers.length; i++) {
            Checks.present("Sequential", "layers[" + i + "]", layers[i]);
        }
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            module(Integer.toString(i), layers[i]);
        }
    }

    /**
     * The chained layers.
     *
     * @return an unmodifiable list of the layers, in order
     */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Linear lin && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU) {
                y = lin.forwardRelu(y);
                i++;
            } else {
                y = l.forward(y);
            }
        }
        return y;
    }
}
